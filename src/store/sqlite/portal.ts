import { END_SESSION, INSERT_LINK, INSERT_SESSION, LEADS_BY_EMAIL, LINK_BY_HASH, LINKS_SINCE, LIVE_SESSION, PERSONS_BY_EMAIL, USE_LINK, linkParams, revokeStatements, sessionParams, sessionsQuery, toContact, toLink, toSession, type ContactRow, type LinkRow, type SessionRow } from '../rows/portal.js';
import type { Store } from '../types.js';
import type { Sql } from './index.js';

export function portalRepo(sql: Sql): Store['portal'] {
  return {
    async insertLink(l, at) {
      return Number(sql.run(INSERT_LINK, ...linkParams(l, at)).lastInsertRowid);
    },
    async linkByHash(hash) {
      const r = sql.get<LinkRow>(LINK_BY_HASH, hash);
      return r && toLink(r);
    },
    async useLink(hash, at) {
      if (sql.run(USE_LINK, at, hash, at).changes !== 1) return undefined;
      return toLink(sql.get<LinkRow>(LINK_BY_HASH, hash)!);
    },
    async linksSince(email, since) {
      return Number(sql.get<{ n: number }>(LINKS_SINCE, email, since)!.n);
    },
    async insertSession(s, at) {
      return Number(sql.run(INSERT_SESSION, ...sessionParams(s, at)).lastInsertRowid);
    },
    async liveSession(hash, at) {
      const r = sql.get<SessionRow>(LIVE_SESSION, hash, at);
      return r && toSession(r);
    },
    async endSession(id, reason, at) {
      sql.run(END_SESSION, at, reason, id);
    },
    async revoke(leadId, personId, at) {
      const [[sessions, sp], [links, lp]] = revokeStatements(leadId, personId, at);
      const n = sql.run(sessions, ...sp).changes;
      sql.run(links, ...lp);
      return Number(n);
    },
    async sessions(leadId, at) {
      const [q, p] = sessionsQuery(leadId, at);
      return sql.all<SessionRow>(q, ...p).map(toSession);
    },
    async contactsByEmail(email) {
      return [...sql.all<ContactRow>(PERSONS_BY_EMAIL, email), ...sql.all<ContactRow>(LEADS_BY_EMAIL, email)].map(toContact);
    },
  };
}
