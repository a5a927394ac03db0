import type { Register } from '../shared.js';
import { registerRoutingAdd } from './add.js';
import { registerRoutingGroup } from './group/index.js';
import { registerRoutingList } from './list.js';
import { registerRoutingRemove } from './remove.js';
import { registerRoutingTest } from './test.js';

export const registerRouting: Register = (program, context) => {
  const routing = program.command('routing').description('routing of new leads: ordered rules to a user or a round-robin group');
  for (const r of [registerRoutingList, registerRoutingAdd, registerRoutingRemove, registerRoutingTest, registerRoutingGroup]) r(routing, context);
};
