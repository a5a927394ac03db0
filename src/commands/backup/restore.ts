import { maskUrlCredentials } from '../../io/mask.js';
import { resolve } from 'node:path';
import { printJson } from '../../io/output.js';
import { assertNoWriters, inspectBackup, restoreStore, storeAt } from '../../services/export/backup.js';
import { assertRole } from '../../services/access.js';
import { audit } from '../../services/audit/service.js';
import { examples, outputFlags, type Register } from '../shared.js';

export const registerRestore: Register = (program, context) => {
  const cmd = program
    .command('restore')
    .argument('<file>', 'a file made with crm backup')
    .description('replace the store with a backup; the current store is kept beside it as <store>.before-restore-<time>.db').addHelpText('after', examples('crm restore crm-2026-12-07.db', 'crm restore nightly.db --yes'));
  outputFlags(cmd).action(async (file: string, opts: { json?: boolean }, c) => {
    const ctx = context(c);
    const dest = ctx.paths.dbFile;
    const incoming = await inspectBackup(file, dest);
    // Before asking (a quick refusal); restoreStore checks again after the answer.
    assertNoWriters(dest);
    if (await storeAt(dest)) {
      // Only an admin of the current store may replace it (a missing store is like crm init).
      assertRole(await ctx.actor(), ['admin'], 'restore the store');
      const ok = await ctx.prompter.confirm('--yes', `Replace ${maskUrlCredentials(dest)} with ${resolve(file)} (${incoming.leads} leads)?`);
      if (!ok) {
        ctx.io.err('Nothing changed.');
        return;
      }
    }
    await ctx.close(); // nothing of ours may hold the old store open while it is swapped
    const r = await restoreStore(file, dest, ctx.now());
    // Recorded in the restored store, by whoever acts there (a context of its own: the old
    // store's user ids mean nothing in it).
    const after = context(c);
    try {
      await audit(await after.services(), 'restore', null, { file: r.restored.file });
    } catch (err) {
      ctx.io.err(`Warning: the restore is not in the audit log: ${(err as Error).message}`);
    }
    if (opts.json) {
      printJson(ctx.io, { store: maskUrlCredentials(dest), restored: r.restored, replaced: r.replaced, savedAs: r.savedAs });
      return;
    }
    ctx.io.out(`Restored ${r.restored.file} (${r.restored.leads.toLocaleString('en')} leads, ${r.restored.users} users) into ${maskUrlCredentials(dest)}`);
    if (r.replaced) ctx.io.out(`It replaced a store of ${r.replaced.leads.toLocaleString('en')} leads and ${r.replaced.users} users, saved as ${r.savedAs}`);
  });
};
