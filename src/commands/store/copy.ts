import { printJson } from '../../io/output.js';
import { copyStore } from '../../services/store/copy.js';
import { examples, outputFlags, type Register } from '../shared.js';

export const registerStoreCopy: Register = (parent, context) => {
  const cmd = parent
    .command('copy')
    .description('copy every record of the store (ids, timelines, settings, outbox…) into a new SQLite file or an empty PostgreSQL database, and check every table’s row count').addHelpText('after', examples('crm store copy --to team.db', 'crm store copy --to postgres://crm@db.acme.example/crm'))
    .requiredOption('--to <location>', 'the new store: a file such as team.db, or postgres://user@host/database');
  outputFlags(cmd).action(async (opts: { to: string; json?: boolean }, c) => {
    const ctx = context(c);
    const r = await copyStore(await ctx.services(), opts.to);
    if (opts.json) {
      printJson(ctx.io, {
        from: r.from,
        to: r.to,
        tables: Object.fromEntries(r.tables.map((t) => [t.table, t.rows])),
        leads: r.leads,
        users: r.users,
        rows: r.rows,
        skipped: r.skipped,
        login: r.login,
        missingLogins: r.missingLogins,
      });
      return;
    }
    const n = (v: number) => v.toLocaleString('en');
    ctx.io.out(`Copied ${r.from} to ${r.to}: ${n(r.leads)} leads, ${n(r.users)} users, ${n(r.rows)} rows in ${r.tables.length} tables; every table’s row count matches.`);
    if (r.login) ctx.io.out(`On the new store you (${(await ctx.actor()).email}) log in as the database role ${r.login}; give the other users theirs with crm user edit EMAIL --db-role ROLE --password-stdin`);
    if (r.missingLogins.length) ctx.io.out(`These users' logins do not exist on this server (give them one with crm user edit EMAIL --db-role ROLE --password-stdin): ${r.missingLogins.join(', ')}`);
    if (r.skipped.length) ctx.io.out(`Left behind (the new store has no place for them): ${r.skipped.join(', ')}`);
    if (r.daemonRunning) ctx.io.err('note: the daemon is running on the old store: what it records from now on is not in the copy; stop it before you switch.');
    ctx.io.hint(`Next: use the new store with --db ${r.to} or CRM_DB=${r.to}`);
  });
};
