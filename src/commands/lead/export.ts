import { once } from 'node:events';
import { createWriteStream, renameSync, rmSync } from 'node:fs';
import type { Writable } from 'node:stream';
import type { Command } from 'commander';
import { UsageError } from '../../errors.js';
import { csvCell } from '../../io/csv.js';
import { minorToDecimal } from '../../io/format.js';
import { exportCustomKeys, exportFormat, exportLeads } from '../../services/export/service.js';
import type { LeadFilter } from '../../services/leads/service.js';
import type { Lead, LeadType } from '../../domain/leads.js';
import { collect, examples, type ContextFactory } from '../shared.js';
import { leadJson } from './render.js';
import { own } from '../../domain/keyed.js';

/** The CSV export's header line: crm's columns, then one `custom:<key>` column per custom field key. */
export function csvHeader(keys: string[]): string {
  return `${[...CSV_COLUMNS.map(([h]) => h), ...keys.map((k) => `custom:${k}`)].map((h) => csvCell(h)).join(',')}\r\n`;
}

/** One lead as a CSV line under csvHeader(keys); a key the lead lacks is an empty cell, whatever its name. */
export function csvRow(l: Lead, keys: string[]): string {
  const cells = [...CSV_COLUMNS.map(([, cell]) => cell(l)), ...keys.map((k) => own(l.custom, k) ?? '')];
  return `${cells.map((v) => csvCell(v)).join(',')}\r\n`;
}

type Options = Omit<LeadFilter, 'type' | 'limit' | 'offset' | 'sort'> & { limit?: string; format?: string; output?: string; type?: string };

/** Columns of the CSV export; `crm lead import` maps each of them back (custom:<key> columns too). */
const CSV_COLUMNS: [string, (l: Lead) => string][] = [
  ['id', (l) => String(l.id)],
  ['name', (l) => l.name],
  ['business_name', (l) => l.businessName ?? ''],
  ['kind', (l) => l.kind],
  ['type', (l) => l.type],
  ['emails', (l) => l.emails.join('; ')],
  ['phones', (l) => l.phones.join('; ')],
  ['source', (l) => l.source ?? ''],
  ['stage', (l) => l.stage],
  ['status', (l) => l.status],
  ['lost_reason', (l) => l.lostReason ?? ''],
  ['score', (l) => String(l.score)],
  ['value', (l) => (l.valueMinor === null ? '' : minorToDecimal(l.valueMinor, l.currency))],
  ['currency', (l) => l.currency],
  ['expected_close', (l) => l.expectedClose ?? ''],
  ['assigned_to', (l) => l.assignees.map((a) => a.email).join('; ')],
  ['tags', (l) => l.tags.join('; ')],
  ['birthday', (l) => l.birthday ?? ''],
  ['address', (l) => l.address ?? ''],
  ['order_id', (l) => l.orderId ?? ''],
  ['created_at', (l) => l.createdAt],
];

function exportType(raw: string): LeadType | undefined {
  if (raw === 'all') return undefined;
  if (raw === 'lead' || raw === 'customer') return raw;
  throw new UsageError(`invalid --type '${raw}'`, 'use lead, customer or all');
}

/** Writes with backpressure: waits for 'drain' when the stream's buffer is full (rejects on a write error). */
async function write(out: Writable, text: string): Promise<void> {
  const failed = (out as Writable & { crmError?: Error }).crmError;
  if (failed) throw failed;
  if (!out.write(text)) await once(out, 'drain');
}

/** The reader went away (crm lead export | head): stop quietly, like other Unix tools. */
const isBrokenPipe = (err: unknown) => (err as NodeJS.ErrnoException)?.code === 'EPIPE';

export function registerLeadExport(parent: Command, context: ContextFactory, type: LeadType = 'lead'): void {
  parent
    .command('export')
    .description(`export ${type}s you may see as CSV (safe to open in a spreadsheet), JSON or JSON Lines, streamed`).addHelpText('after', examples('crm lead export -o leads.csv', 'crm lead export --type all --stage Won --format jsonl', 'crm lead export --mine --format json -o mine.json'))
    .option('--stage <stage>', 'in these stages (repeatable or comma-separated)', collect)
    .option('--source <source>', 'from these sources (repeatable or comma-separated)', collect)
    .option('--tag <tag>', 'with this tag')
    .option('--user <email>', 'assigned to this user')
    .option('--mine', 'assigned to me')
    .option('--status <status>', 'active | junk | archived | all', 'all')
    .option('--deleted', 'only deleted ones')
    .option('--search <text>', 'name, business, email or phone contains text')
    .option('--min-score <n>', 'score at least n')
    .option('--max-score <n>', 'score at most n')
    .option('--limit <n>', 'at most n rows (default: all)')
    .option('--type <type>', 'lead | customer | all', type)
    .option('--format <format>', 'csv | json | jsonl', 'csv')
    .option('-o, --output <file>', 'write to this file (default: stdout); written to a temporary file and renamed when complete')
    .action(async (opts: Options, c) => {
      const ctx = context(c);
      const svc = await ctx.services();
      const format = exportFormat(opts.format);
      const pages = exportLeads(svc, { ...opts, type: exportType(opts.type ?? type) });
      const tmp = opts.output ? `${opts.output}.${process.pid}.tmp` : undefined;
      let out: Writable = ctx.io.stdout;
      if (tmp) {
        out = createWriteStream(tmp);
        await once(out, 'open').catch((err: Error) => {
          throw new UsageError(`cannot write ${opts.output}: ${err.message}`, 'check the directory exists and is writable');
        });
      }
      // Keep a write error for the next write instead of letting it crash the process.
      out.on('error', (err: Error) => ((out as Writable & { crmError?: Error }).crmError = err));
      let count = 0;
      try {
        if (format === 'csv') {
          const keys = await exportCustomKeys(svc);
          await write(out, csvHeader(keys));
          for await (const page of pages) {
            let chunk = '';
            for (const l of page) {
              chunk += csvRow(l, keys);
            }
            count += page.length;
            await write(out, chunk);
          }
        } else {
          let first = true;
          if (format === 'json') await write(out, '[');
          for await (const page of pages) {
            let chunk = '';
            for (const l of page) {
              const json = JSON.stringify(leadJson(l));
              chunk += format === 'json' ? `${first ? '\n' : ',\n'}${json}` : `${json}\n`;
              first = false;
            }
            count += page.length;
            await write(out, chunk);
          }
          if (format === 'json') await write(out, first ? ']\n' : '\n]\n');
        }
        if (tmp) {
          out.end();
          await once(out, 'finish');
          renameSync(tmp, opts.output!);
          ctx.io.out(`Exported ${count.toLocaleString('en')} ${opts.type === 'all' ? 'contact' : (opts.type ?? type)}${count === 1 ? '' : 's'} to ${opts.output} (${format})`);
        }
      } catch (err) {
        if (tmp) {
          out.destroy();
          rmSync(tmp, { force: true });
        }
        if (!tmp && isBrokenPipe(err)) return;
        throw err;
      }
    });
}
