import type { Column } from '../../io/output.js';
import type { RoutingGroupView, RoutingRuleView } from '../../services/routing/service.js';

export const ruleColumns: Column<RoutingRuleView>[] = [
  { header: '#', cell: (x) => x.position },
  { header: 'NAME', cell: (x) => x.name },
  { header: 'IF', cell: (x) => x.if },
  { header: 'TO', cell: (x) => x.to },
];

/** A group's users, deactivated ones marked. */
export const groupUsers = (g: RoutingGroupView) => g.users.map((u) => u.email + (u.active ? '' : ' (deactivated)')).join(', ');

export const groupColumns: Column<RoutingGroupView>[] = [
  { header: 'NAME', cell: (g) => g.name },
  { header: 'USERS', cell: groupUsers },
  { header: 'HANDED OUT', cell: (g) => g.handedOut },
];
