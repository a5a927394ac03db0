import { examples, type Register } from '../shared.js';
import { registerRoutingAdd } from './add.js';
import { registerRoutingGroup } from './group/index.js';
import { registerRoutingList } from './list.js';
import { registerRoutingRemove } from './remove.js';
import { registerRoutingTest } from './test.js';

export const registerRouting: Register = (program, context) => {
  const routing = program.command('routing').description('routing of new leads: ordered rules to a user or a round-robin group').addHelpText('after', examples('crm routing group add india --users ravi@acme.example,priya@acme.example', 'crm routing add --name india-web --if "source=Website,country=India" --to group:india', 'crm routing list'));
  for (const r of [registerRoutingList, registerRoutingAdd, registerRoutingRemove, registerRoutingTest, registerRoutingGroup]) r(routing, context);
};
