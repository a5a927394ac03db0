import { printJson } from '../../io/output.js';
import { eraseContact } from '../../services/people/service.js';
import { confirmed, examples, outputFlags, type Register } from '../shared.js';

export const registerContactErase: Register = (parent, context) => {
  const cmd = parent
    .command('erase')
    .argument('<contact>', 'a lead or customer id, or an email')
    .description("erase a person everywhere the store reaches (admins only): reports keep counting them as \"erased contact\"; their emails and phones are suppressed so a form or inquiry from them is caught; backups are out of reach")
    .addHelpText('after', examples('crm contact erase 12 --yes', 'crm contact erase ana@sousa.example --yes --json'));
  outputFlags(cmd).action(async (ref: string, opts: { json?: boolean }, c) => {
    const ctx = context(c);
    const svc = await ctx.services();
    if (!(await confirmed(ctx, `Erase ${ref} and every lead sharing their email or phone? This cannot be undone.`))) return;
    const r = await eraseContact(svc, ref);
    const backups = 'Backups made before now still hold their data: restoring one brings it back (erase again after a restore).';
    if (opts.json) {
      printJson(ctx.io, { erased: r.leadIds, suppressed: r.suppressed, changed: r.changed, backups });
      return;
    }
    ctx.io.out(`Erased ${r.leadIds.length} lead(s) (${r.leadIds.join(', ')}); ${r.suppressed} email(s)/phone(s) on the suppression list.`);
    ctx.io.out(backups);
  });
};
