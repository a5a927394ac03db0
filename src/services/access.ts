import { PermissionError } from '../errors.js';
import type { Lead } from '../domain/leads.js';
import type { Role, User } from '../domain/users.js';

/** U2: reps see and change only leads assigned to them; everyone else sees all. */
export function seesAllLeads(user: User): boolean {
  return user.role !== 'rep';
}

export function canTouchLead(actor: User, lead: Pick<Lead, 'assignees'>): boolean {
  return seesAllLeads(actor) || lead.assignees.some((a) => a.id === actor.id);
}

/** A rep is refused another rep's lead without learning whose it is (U2). */
export function assertCanTouchLead(actor: User, lead: Pick<Lead, 'id' | 'assignees'>): void {
  if (canTouchLead(actor, lead)) return;
  throw new PermissionError(`lead ${lead.id} is not assigned to you (${actor.email})`, { id: 'lead.reassign' });
}

export function assertRole(actor: User, roles: readonly Role[], what: string): void {
  if (roles.includes(actor.role)) return;
  throw new PermissionError(`${actor.email} is a ${actor.role} and may not ${what}`, `ask a user with role ${roles.join(' or ')}`);
}
