import { BY_MESSAGE_ID, INSERT, INSERT_MESSAGE, SELECT, SELECT_MESSAGES, insertParams, messageParams, toTicket, toTicketMessage, updateOf, where, type TicketMessageRow, type TicketRow } from '../rows/tickets.js';
import type { Store } from '../types.js';
import type { Sql } from './index.js';

export function ticketsRepo(sql: Sql): Store['tickets'] {
  return {
    async insert(t, at) {
      return Number(sql.run(INSERT, ...insertParams(t, at)).lastInsertRowid);
    },
    async get(id) {
      const r = sql.get<TicketRow>(`${SELECT} WHERE t.id = ?`, id);
      return r && toTicket(r);
    },
    async list(q) {
      const w = where(q);
      return sql.all<TicketRow>(`${SELECT} ${w.sql} ORDER BY t.id DESC LIMIT ?`, ...w.params, q.limit ?? -1).map(toTicket);
    },
    async update(id, patch, at) {
      const u = updateOf(patch, at);
      sql.run(`UPDATE tickets SET ${u.set} WHERE id = ?`, ...u.params, id);
    },
    async addMessage(m) {
      return Number(sql.run(INSERT_MESSAGE, ...messageParams(m)).lastInsertRowid);
    },
    async messages(ticketId) {
      return sql.all<TicketMessageRow>(SELECT_MESSAGES, ticketId).map(toTicketMessage);
    },
    async byMessageId(ids) {
      if (!ids.length) return undefined;
      return sql.get<{ ticket_id: number }>(BY_MESSAGE_ID(ids.length), ...ids)?.ticket_id;
    },
    async moveToLead(fromLeadId, toLeadId) {
      sql.run('UPDATE tickets SET lead_id = ? WHERE lead_id = ?', toLeadId, fromLeadId);
    },
  };
}
