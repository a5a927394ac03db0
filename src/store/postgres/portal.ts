/** The portal's links and sessions on PostgreSQL: the port of src/store/sqlite/portal.ts (row-level security: migration 0013). */
import { END_SESSION, INSERT_LINK, INSERT_SESSION, LEADS_BY_EMAIL, LINK_BY_HASH, LINKS_SINCE, LIVE_SESSION, PERSONS_BY_EMAIL, USE_LINK, linkParams, revokeStatements, sessionParams, sessionsQuery, toContact, toLink, toSession, type ContactRow, type LinkRow, type SessionRow } from '../rows/portal.js';
import type { Store } from '../types.js';
import type { PgSql } from './sql.js';

export function portalRepo(sql: PgSql): Store['portal'] {
  return {
    async insertLink(l, at) {
      return sql.insert(INSERT_LINK, ...linkParams(l, at));
    },
    async linkByHash(hash) {
      const r = await sql.get<LinkRow>(LINK_BY_HASH, hash);
      return r && toLink(r);
    },
    async useLink(hash, at) {
      const r = await sql.get<LinkRow>(`${USE_LINK} RETURNING id, lead_id, person_id, email, created_by, remote, created_at, expires_at, used_at`, at, hash, at);
      return r && toLink(r);
    },
    async linksSince(email, since) {
      return Number((await sql.get<{ n: number }>(LINKS_SINCE, email, since))!.n);
    },
    async insertSession(s, at) {
      return sql.insert(INSERT_SESSION, ...sessionParams(s, at));
    },
    async liveSession(hash, at) {
      const r = await sql.get<SessionRow>(LIVE_SESSION, hash, at);
      return r && toSession(r);
    },
    async endSession(id, reason, at) {
      await sql.run(END_SESSION, at, reason, id);
    },
    async revoke(leadId, personId, at) {
      const [[sessions, sp], [links, lp]] = revokeStatements(leadId, personId, at);
      const n = await sql.run(sessions, ...sp);
      await sql.run(links, ...lp);
      return Number(n.changes ?? 0);
    },
    async sessions(leadId, at) {
      const [q, p] = sessionsQuery(leadId, at);
      return (await sql.all<SessionRow>(q, ...p)).map(toSession);
    },
    async contactsByEmail(email) {
      return [...await sql.all<ContactRow>(PERSONS_BY_EMAIL, email), ...await sql.all<ContactRow>(LEADS_BY_EMAIL, email)].map(toContact);
    },
  };
}
