import type { Register } from '../../shared.js';
import { registerRoutingGroupAdd } from './add.js';
import { registerRoutingGroupList } from './list.js';
import { registerRoutingGroupRemove } from './remove.js';

export const registerRoutingGroup: Register = (routing, context) => {
  const group = routing.command('group').description('round-robin groups (skip deactivated users; fair across restarts)');
  for (const r of [registerRoutingGroupAdd, registerRoutingGroupList, registerRoutingGroupRemove]) r(group, context);
};
