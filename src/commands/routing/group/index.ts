import { examples, type Register } from '../../shared.js';
import { registerRoutingGroupAdd } from './add.js';
import { registerRoutingGroupList } from './list.js';
import { registerRoutingGroupRemove } from './remove.js';

export const registerRoutingGroup: Register = (routing, context) => {
  const group = routing.command('group').description('round-robin groups (skip deactivated users; fair across restarts)').addHelpText('after', examples('crm routing group add india --users ravi@acme.example,priya@acme.example', 'crm routing group list'));
  for (const r of [registerRoutingGroupAdd, registerRoutingGroupList, registerRoutingGroupRemove]) r(group, context);
};
