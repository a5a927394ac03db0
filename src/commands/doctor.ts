import { ExternalServiceError } from '../errors.js';
import { printJson } from '../io/output.js';
import { fixText } from './hints.js';
import { examples, outputFlags, type Register } from './shared.js';

export const registerDoctor: Register = (program, context) => {
  outputFlags(program.command('doctor').description('check the store and every configured notification channel for real').addHelpText('after', examples('crm doctor', 'crm doctor --json'))).action(async (opts: { json?: boolean }, c) => {
    const ctx = context(c);
    const store = await ctx.store();
    const { runDoctor } = await import('../services/notify/doctor.js');
    const checks = (await runDoctor(store, ctx.env)).map(({ fix, ...ch }) => (fix ? { ...ch, detail: `${ch.detail}: ${fixText(fix)}` } : ch));
    if (opts.json) printJson(ctx.io, checks);
    else for (const ch of checks) ctx.io.out(`${!ch.ok ? 'FAIL' : ch.warn ? 'WARN' : 'ok  '}  ${ch.check.padEnd(8)} ${ch.detail}`);
    const failed = checks.filter((ch) => !ch.ok);
    if (failed.length) throw new ExternalServiceError(`${failed.length} check(s) failed: ${failed.map((f) => f.check).join(', ')}`, 'fix the settings named above (crm config set …) and run crm doctor again');
  });
};
