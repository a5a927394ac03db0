/**
 * The statements of the people repository (src/store/contract/people.ts), the same on both
 * backends: plain SQL with `?` placeholders and no JSON functions.
 */
const list = (n: number) => Array.from({ length: Math.max(n, 1) }, () => '?').join(', ');
/** An empty list still binds one value that matches nothing. */
const values = <T>(xs: T[], none: T): T[] => (xs.length ? xs : [none]);

/** What records() reads: table name in the export, then the SELECT over lead ids (L) and addresses (A). */
export function recordQueries(leadIds: number[], addresses: string[]): [string, string, unknown[]][] {
  const L = values(leadIds, -1);
  const A = values(addresses, '\u0000');
  const inL = `(${list(L.length)})`;
  const inA = `(${list(A.length)})`;
  return [
    ['outbox', `SELECT id, channel, rule, address, status, created_at, sent_at, vars, content FROM outbox WHERE lead_id IN ${inL} OR (recipient_kind = 'lead' AND lower(address) IN ${inA}) ORDER BY id`, [...L, ...A]],
    ['inbox', `SELECT id, user_id, rule, subject, body, created_at FROM inbox WHERE lead_id IN ${inL} ORDER BY id`, L],
    ['campaignRecipients', `SELECT campaign_id, lead_id, status, address, at FROM campaign_recipients WHERE lead_id IN ${inL} OR lower(address) IN ${inA} ORDER BY campaign_id, seq`, [...L, ...A]],
    ['intakeLog', `SELECT id, at, channel, ref, remote, result, reason, outcome, lead_id FROM intake_log WHERE lead_id IN ${inL} ORDER BY id`, L],
    ['intakeMessages', `SELECT sid, lead_id, at FROM intake_messages WHERE lead_id IN ${inL} ORDER BY at`, L],
    ['mailboxMessages', `SELECT mailbox, message_key, lead_id, outcome, reason, at FROM mailbox_messages WHERE lead_id IN ${inL} ORDER BY at`, L],
    ['marketplaceInquiries', `SELECT site, inq_id, lead_id, outcome, at FROM marketplace_seen WHERE lead_id IN ${inL} ORDER BY at`, L],
    ['appointmentParticipants', `SELECT appointment_id, email FROM appointment_participants WHERE lower(email) IN ${inA} ORDER BY appointment_id`, A],
    ['optOuts', `SELECT ref_id AS lead_id, channel, at FROM opt_outs WHERE kind = 'lead' AND ref_id IN ${inL} ORDER BY at`, L],
    ['consent', `SELECT id, lead_id, channel, state, source, at, user_id, note FROM consent_events WHERE lead_id IN ${inL} ORDER BY id`, L],
    ['orders', `SELECT id, lead_id, title, status, currency, total_minor, paid_minor, invoice_number, billed_at, created_at FROM orders WHERE lead_id IN ${inL} ORDER BY id`, L],
    ['orderPayments', `SELECT p.id, p.order_id, p.paid_on, p.amount_minor, p.method, p.note FROM order_payments p WHERE p.order_id IN (SELECT id FROM orders WHERE lead_id IN ${inL}) ORDER BY p.id`, L],
  ];
}

/** What erase() runs, in order: [table, statement, parameters]. `name` replaces the lead's name. */
export function eraseStatements(leadIds: number[], addresses: string[], name: string): [string, string, unknown[]][] {
  const L = values(leadIds, -1);
  const A = values(addresses, '\u0000');
  const inL = `(${list(L.length)})`;
  const inA = `(${list(A.length)})`;
  const x = '[erased]';
  return [
    ['lead_emails', `DELETE FROM lead_emails WHERE lead_id IN ${inL}`, L],
    ['lead_phones', `DELETE FROM lead_phones WHERE lead_id IN ${inL}`, L],
    ['leads', `UPDATE leads SET name = ?, business_name = NULL, birthday = NULL, address = NULL, custom = '{}', lost_reason = NULL, order_id = NULL WHERE id IN ${inL}`, [name, ...L]],
    ['activities', `UPDATE activities SET body = NULL, data = '{}' WHERE lead_id IN ${inL}`, L],
    ['calls', `UPDATE calls SET number = NULL, recording_url = NULL, note = NULL WHERE lead_id IN ${inL}`, L],
    ['follow_up_logs', `UPDATE follow_up_logs SET subject = NULL, description = NULL WHERE follow_up_id IN (SELECT id FROM follow_ups WHERE lead_id IN ${inL})`, L],
    ['follow_ups', `UPDATE follow_ups SET title = ?, description = NULL WHERE lead_id IN ${inL}`, [x, ...L]],
    ['appointment_participants', `DELETE FROM appointment_participants WHERE lower(email) IN ${inA}`, A],
    ['appointments', `UPDATE appointments SET location = NULL, outcome = NULL WHERE lead_id IN ${inL}`, L],
    ['proposal_revisions', `UPDATE proposal_revisions SET subject = ?, body = ?, cc = '[]', bcc = '[]' WHERE proposal_id IN (SELECT id FROM proposals WHERE lead_id IN ${inL})`, [x, x, ...L]],
    ['proposal_events', `UPDATE proposal_events SET note = NULL WHERE proposal_id IN (SELECT id FROM proposals WHERE lead_id IN ${inL})`, L],
    ['outbox', `UPDATE outbox SET address = ?, vars = '{}', content = NULL, last_error = NULL, attachments = NULL WHERE lead_id IN ${inL} OR (recipient_kind = 'lead' AND lower(address) IN ${inA})`, [x, ...L, ...A]],
    ['inbox', `UPDATE inbox SET subject = ?, body = ? WHERE lead_id IN ${inL}`, [x, x, ...L]],
    ['campaign_recipients', `UPDATE campaign_recipients SET address = ? WHERE lead_id IN ${inL} OR lower(address) IN ${inA}`, [x, ...L, ...A]],
    ['intake_log', `UPDATE intake_log SET ref = NULL, remote = NULL, reason = NULL WHERE lead_id IN ${inL}`, L],
    ['mailbox_messages', `UPDATE mailbox_messages SET reason = NULL WHERE lead_id IN ${inL}`, L],
    // Entries on other leads' timelines that name the person's email or phone (a contact person
    // added, a note): blanked as theirs are. Addresses are matched literally (LIKE wildcards escaped).
    ...(addresses.length ? [['activities', `UPDATE activities SET body = NULL, data = '{}' WHERE ${addresses.map(() => "(lower(coalesce(body, '')) LIKE ? ESCAPE '\\' OR lower(data) LIKE ? ESCAPE '\\')").join(' OR ')}`,
      addresses.flatMap((a) => { const p = `%${a.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`; return [p, p]; })] as [string, string, unknown[]]] : []),
    // The person as another company's contact person; their own leads' contact persons too.
    ['contact_persons', `DELETE FROM contact_persons WHERE lead_id IN ${inL} OR lower(email) IN ${inA} OR phone IN ${inA}`, [...L, ...A, ...A]],
    // Tickets: messages first (found by their ticket while it still names the address).
    ['ticket_messages', `UPDATE ticket_messages SET from_address = NULL, to_address = NULL, subject = NULL, body = ? WHERE ticket_id IN (SELECT id FROM tickets WHERE lead_id IN ${inL} OR lower(email) IN ${inA}) OR lower(from_address) IN ${inA} OR lower(to_address) IN ${inA}`, [x, ...L, ...A, ...A, ...A]],
    ['tickets', `UPDATE tickets SET subject = ?, email = NULL WHERE lead_id IN ${inL} OR lower(email) IN ${inA}`, [x, ...L, ...A]],
    // Consent keeps what was agreed, where and when (proof of a withdrawal outlives the person);
    // a note typed with it may name them.
    ['consent_events', `UPDATE consent_events SET note = NULL WHERE lead_id IN ${inL}`, L],
    // Orders and invoices are kept for the legal retention of accounts: numbers, amounts, items
    // and dates stay, and the buyer is the lead, read when shown (now "erased contact"). Payment
    // notes are free text about the person's payment; a title naming their email or phone goes.
    ['order_payments', `UPDATE order_payments SET note = NULL WHERE note IS NOT NULL AND order_id IN (SELECT id FROM orders WHERE lead_id IN ${inL})`, L],
    ...(addresses.length ? [['orders', `UPDATE orders SET title = ? WHERE ${addresses.map(() => "lower(title) LIKE ? ESCAPE '\\'").join(' OR ')}`,
      [name, ...addresses.map((a) => `%${a.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`)]] as [string, string, unknown[]]] : []),
    ['twilio_calls', `UPDATE twilio_calls SET number = ?, leg_to = NULL, recording_url = NULL WHERE lead_id IN ${inL} OR number IN ${inA} OR leg_to IN ${inA}`, [x, ...L, ...A, ...A]],
  ];
}

export const SUPPRESS = 'INSERT INTO suppressions (hash, at) VALUES (?, ?) ON CONFLICT (hash) DO NOTHING';
export const suppressedQuery = (n: number) => `SELECT hash FROM suppressions WHERE hash IN (${list(n)})`;
