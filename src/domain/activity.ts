/**
 * Timeline entry types, and which of them are a contact attempt: someone on the team reaching
 * out to the lead, or acting on it by hand. A lead with none is "not attempted" (the dashboard's
 * count, the board's mark, the not-attempted notification rule).
 *
 * Inbound, mass and automatic entries are not attempts: an inquiry arriving by form, SMS,
 * WhatsApp, mailbox or marketplace ('intake'), a contact opting out or back in, a campaign
 * message, routing, rescoring and the welcome message; nor is bookkeeping (creation, edits,
 * assignment, merges, deletes) or something merely scheduled or cancelled.
 *
 * Every backend applies isContactAttempt when it records an entry (see DERIVED_FIELDS in
 * ./derived.ts); the SQLite migrations 0006 and 0015 held the same list as a trigger until 0019.
 */
export const ACTIVITY_TYPES = {
  created: { attempt: false },
  assigned: { attempt: false },
  updated: { attempt: false },
  reengaged: { attempt: false },
  merged: { attempt: false },
  deleted: { attempt: false },
  restored: { attempt: false },
  'follow-up': { attempt: false },
  'follow-up-cancelled': { attempt: false },
  'appointment-cancelled': { attempt: false },
  intake: { attempt: false },
  'opt-out': { attempt: false },
  'opt-in': { attempt: false },
  campaign: { attempt: false },
  routed: { attempt: false },
  scored: { attempt: false },
  welcome: { attempt: false },
  // A ticket opened, assigned, edited, resolved, closed, reopened, or answered by the customer.
  ticket: { attempt: false },
  'contact-person': { attempt: false },

  note: { attempt: true },
  stage: { attempt: true },
  lost: { attempt: true },
  converted: { attempt: true },
  call: { attempt: true },
  'follow-up-done': { attempt: true },
  'follow-up-edited': { attempt: true },
  'follow-up-log': { attempt: true },
  appointment: { attempt: true },
  'appointment-confirmed': { attempt: true },
  'appointment-completed': { attempt: true },
  'appointment-no-show': { attempt: true },
  proposal: { attempt: true },
  // The team's reply to a ticket, mailed to the customer.
  'ticket-reply': { attempt: true },
  order: { attempt: true },
} as const satisfies Record<string, { attempt: boolean }>;

export type ActivityType = keyof typeof ACTIVITY_TYPES;

/** The types that never mark a lead attempted. */
export const NOT_CONTACT_ATTEMPTS: readonly ActivityType[] = (Object.keys(ACTIVITY_TYPES) as ActivityType[]).filter((t) => !ACTIVITY_TYPES[t].attempt);

const notAttempts: ReadonlySet<string> = new Set(NOT_CONTACT_ATTEMPTS);

/**
 * Whether a timeline entry of this type is a contact attempt. A type not listed (written by a
 * newer crm) counts as one, as it always has: the rule names what is *not* an attempt.
 */
export function isContactAttempt(type: string): boolean {
  return !notAttempts.has(type);
}
