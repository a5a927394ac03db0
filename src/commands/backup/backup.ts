import { maskUrlCredentials } from '../../io/mask.js';
import { printJson } from '../../io/output.js';
import { backupStore } from '../../services/export/backup.js';
import { examples, outputFlags, type Register } from '../shared.js';

const size = (bytes: number) => (bytes >= 1 << 20 ? `${(bytes / (1 << 20)).toFixed(1)} MB` : `${Math.ceil(bytes / 1024)} KB`);

export const registerBackupCommand: Register = (program, context) => {
  const cmd = program
    .command('backup')
    .argument('<file>', 'where to write the copy')
    .description('copy the whole store to a file with SQLite’s online backup (safe while others use it)').addHelpText('after', examples('crm backup crm-2026-12-07.db', 'crm backup nightly.db --force'))
    .option('--force', 'overwrite the file if it exists');
  outputFlags(cmd).action(async (file: string, opts: { force?: boolean; json?: boolean }, c) => {
    const ctx = context(c);
    const info = await backupStore(await ctx.services(), file, opts);
    if (opts.json) printJson(ctx.io, info);
    else ctx.io.out(`Backed up ${maskUrlCredentials(ctx.paths.dbFile)} to ${info.file} (${info.leads.toLocaleString('en')} leads, ${info.users} users, ${size(info.bytes)}, schema v${info.schemaVersion})`);
  });
};
