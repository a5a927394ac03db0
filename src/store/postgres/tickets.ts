/** Tickets on PostgreSQL: the port of src/store/sqlite/tickets.ts (row-level security: migration 0008). */
import { BY_MESSAGE_ID, INSERT, INSERT_MESSAGE, SELECT, SELECT_MESSAGES, insertParams, messageParams, toTicket, toTicketMessage, updateOf, where, type TicketMessageRow, type TicketRow } from '../rows/tickets.js';
import type { Store } from '../types.js';
import type { PgSql } from './sql.js';

export function ticketsRepo(sql: PgSql): Store['tickets'] {
  return {
    async insert(t, at) {
      return sql.insert(INSERT, ...insertParams(t, at));
    },
    async get(id) {
      const r = await sql.get<TicketRow>(`${SELECT} WHERE t.id = ?`, id);
      return r && toTicket(r);
    },
    async list(q) {
      const w = where(q);
      // LIMIT NULL is no limit (SQLite's LIMIT -1).
      return (await sql.all<TicketRow>(`${SELECT} ${w.sql} ORDER BY t.id DESC LIMIT ?`, ...w.params, q.limit ?? null)).map(toTicket);
    },
    async update(id, patch, at) {
      const u = updateOf(patch, at);
      await sql.run(`UPDATE tickets SET ${u.set} WHERE id = ?`, ...u.params, id);
    },
    async addMessage(m) {
      return sql.insert(INSERT_MESSAGE, ...messageParams(m));
    },
    async messages(ticketId) {
      return (await sql.all<TicketMessageRow>(SELECT_MESSAGES, ticketId)).map(toTicketMessage);
    },
    async byMessageId(ids) {
      if (!ids.length) return undefined;
      return (await sql.get<{ ticket_id: number }>(BY_MESSAGE_ID(ids.length), ...ids))?.ticket_id;
    },
    async moveToLead(fromLeadId, toLeadId) {
      await sql.run('UPDATE tickets SET lead_id = ? WHERE lead_id = ?', toLeadId, fromLeadId);
    },
  };
}
