import { printJson } from '../../io/output.js';
import { eraseContact } from '../../services/people/service.js';
import { confirmed, examples, outputFlags, type Register } from '../shared.js';

export const registerContactErase: Register = (parent, context) => {
  const cmd = parent
    .command('erase')
    .argument('<contact>', 'a lead or customer id, or an email')
    .description("erase a person everywhere the store reaches (admins only): reports keep counting them as \"erased contact\"; their emails and phones are suppressed so a form, inquiry or import from them is caught; import reject and warnings files are rewritten without them; backups are out of reach")
    .addHelpText('after', examples('crm contact erase 12 --yes', 'crm contact erase ana@sousa.example --yes --json'));
  outputFlags(cmd).action(async (ref: string, opts: { json?: boolean }, c) => {
    const ctx = context(c);
    const svc = await ctx.services();
    if (!(await confirmed(ctx, `Erase ${ref} and every lead sharing their email or phone? This cannot be undone.`))) return;
    const r = await eraseContact(svc, ref, { dataDir: ctx.paths.dataDir });
    const backups = 'Backups made before now still hold their data: restoring one brings it back (erase again after a restore).';
    if (opts.json) {
      printJson(ctx.io, { erased: r.leadIds, suppressed: r.suppressed, changed: r.changed, importFiles: r.files, backups });
      return;
    }
    ctx.io.out(`Erased ${r.leadIds.length} lead(s) (${r.leadIds.join(', ')}); ${r.suppressed} email(s)/phone(s) on the suppression list.`);
    const lines = r.files.rewritten.reduce((n, f) => n + f.lines, 0);
    ctx.io.out(`Import files: ${r.files.scanned} read, ${r.files.rewritten.length} rewritten without them (${lines} line(s) removed)${r.files.rewritten.length ? `: ${r.files.rewritten.map((f) => f.file).join(', ')}` : ''}.`);
    for (const f of r.files.missing) ctx.io.out(`Reject file ${f} is gone from disk: nothing to rewrite (if it was moved, remove the person's lines by hand).`);
    ctx.io.out(backups);
  });
};
