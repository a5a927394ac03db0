import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { tmpdir } from 'node:os';
import type { Context } from '../../context.js';
import { RowsRejectedError, UsageError } from '../../errors.js';
import { printJson, styler } from '../../io/output.js';
import { DEFAULT_BATCH_ROWS, importLeads, type ImportOptions, type ImportSummary } from '../../services/import/service.js';
import { collect, examples, outputFlags, repeat, type Register } from '../shared.js';
import { cliText } from '../hints.js';

/** The service's options as flags: numbers arrive as typed, `--tag` is repeatable. */
export type Options = Omit<ImportOptions, 'file' | 'stdin' | 'dataDir' | 'tags' | 'maxErrors' | 'batchRows' | 'tmpDir'> & {
  tag?: string[];
  maxErrors?: string;
  batch?: string;
  json?: boolean;
};

const whole = (raw: string | undefined, flag: string, min: number): number | undefined => {
  if (raw === undefined) return undefined;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min) throw new UsageError(`invalid ${flag} '${raw}'`, `${flag} is a whole number ≥ ${min}`);
  return n;
};

export const registerLeadImport: Register = (parent, context) => {
  const cmd = parent
    .command('import')
    .argument('<file>', "CSV file, or - for stdin")
    .description('import leads from a CSV file (any size, streamed); every row is validated and checked for duplicates like lead add').addHelpText('after', examples('crm lead import leads.csv --dry-run', 'crm lead import leads.csv --map "E-mail=email,Mobile=phone" --source Website --on-duplicate update', 'crm lead import hubspot.csv --mapping mapping.json --assign round-robin'))
    .option('--map <col=field>', 'map columns to fields, e.g. "E-mail=email,Mobile=phone" (field ignore drops a column; custom:<key>)', repeat)
    .option('--encoding <enc>', 'auto (detect) | utf8 | win1252 | latin1 | utf16le | …', 'auto')
    .option('--delimiter <d>', "auto (detect) | , | ; | '\\t' | '|'", 'auto')
    .option('--decimal <mark>', 'auto | point | comma: the decimal mark of amounts (auto: comma when ;-separated)', 'auto')
    .option('--on-duplicate <policy>', 'skip | update | merge | create, for rows matching an active lead by email or phone', 'skip')
    .option('--source <source>', 'source of rows that have none')
    .option('--stage <stage>', 'stage of rows that have none (default: the first open stage)')
    .option('--assign <who>', 'assign rows that name no owner: user email(s), round-robin (all reps), or round-robin:<manager email> (their team)')
    .option('--tag <tag>', 'add this tag to every row (repeatable or comma-separated)', collect)
    .option('--dry-run', 'show the mapping and what would happen; write nothing')
    .option('--rejects <file>', 'write rejected rows here (default: an import-<id>-rejects.csv file in the data directory)')
    .option('--max-errors <n>', 'stop when more than n rows have been rejected')
    .option('--ignore-unknown', 'drop columns no field matches instead of keeping them as custom fields')
    .option('--batch <rows>', `rows per transaction (default ${DEFAULT_BATCH_ROWS})`)
    .option('--again', 'import a file again although the same bytes were imported before')
    .option('--strict', 'refuse a row on any bad value (default: leave the value out, keep the row, and warn)')
    .option('--map-values <col:v=target>', "map a column's values, e.g. 'Lifecycle Stage:lead=New,opportunity=Demo' (targets: a stage, won, lost, junk, customer, ignore; or a user for an owner column)", repeat)
    .option('--mapping <file.json>', 'a mapping file: columns, values, owners, dateFormat, region (--dry-run writes one to fill in)')
    .option('--date-format <order>', 'dmy | mdy | ymd: the order of dates like 03/04/2024 that the file does not settle')
    .option('--region <country>', "where numbers without a country code are (when the row has no Country column), e.g. GB; default: the team's phone.region");
  outputFlags(cmd).action(async (file: string, opts: Options, c) => runImport(context(c), file, opts));
};

/** Runs one import from its flags: the summary (or JSON), and exit 8 when rows were rejected. */
export async function runImport(ctx: Context, file: string, opts: Options): Promise<void> {
  {
    const svc = await ctx.services();
    // On a terminal, values no map knows are offered for mapping before anything is written.
    if (!opts.dryRun && !opts.json && file !== '-' && ctx.prompter.interactive) {
      const mapped = await mapInteractively(ctx, svc, file, opts);
      if (mapped) opts.mapping = mapped;
    }
    const progress = progressBar(ctx);
    let summary: ImportSummary;
    try {
      summary = await importLeads(
        svc,
        {
          ...serviceOptions(ctx, file, opts),
          file, stdin: ctx.io.stdin, map: opts.map, encoding: opts.encoding, delimiter: opts.delimiter, decimal: opts.decimal,
          onDuplicate: opts.onDuplicate, source: opts.source, stage: opts.stage, assign: opts.assign, tags: opts.tag, dryRun: opts.dryRun,
          rejects: opts.rejects, maxErrors: whole(opts.maxErrors, '--max-errors', 0), ignoreUnknown: opts.ignoreUnknown,
          batchRows: whole(opts.batch, '--batch', 1), again: opts.again, dataDir: ctx.paths.dataDir, tmpDir: tmpdir(),
          strict: opts.strict, mapValues: opts.mapValues, mapping: opts.mapping, dateFormat: opts.dateFormat, region: opts.region,
          workerFile: producerWorker(ctx.env), wording: cliText,
        },
        { progress: progress.update },
      );
    } finally {
      progress.done();
    }
    if (opts.json) printJson(ctx.io, summary);
    else printSummary(ctx, summary);
    if (summary.status === 'stopped') {
      throw new RowsRejectedError(
        `stopped: more than ${opts.maxErrors} rows rejected (--max-errors); the batch with line ${summary.firstRejects[0]?.line ?? '?'} was not applied`,
        `fix the rows listed in ${summary.rejectsFile ?? 'the reject file'} and run the same command again (rows already applied are not applied twice)`,
      );
    }
    const rejected = summary.status === 'already-imported' ? 0 : summary.counts.rejected;
    if (rejected > 0) {
      throw new RowsRejectedError(
        `${rejected.toLocaleString('en')} row${rejected === 1 ? '' : 's'} rejected${summary.status === 'dry-run' ? ' (dry run)' : ''}`,
        summary.rejectsFile ? `each is in ${summary.rejectsFile} with its line number and reason; fix them there and run crm import rejects ${summary.importId ?? 'ID'}` : 'run with --rejects FILE to list them with line numbers and reasons',
      );
    }
  }
}

function printSummary(ctx: Context, s: ImportSummary): void {
  const io = ctx.io;
  const chalk = styler(io);
  const n = (x: number) => x.toLocaleString('en');
  const name = s.file === '-' ? 'stdin' : s.file;
  if (s.status === 'already-imported') {
    io.out(`${name} was already imported (import ${s.importId}): ${n(s.counts.imported)} imported, ${n(s.counts.rejected)} rejected.${s.changedOptions.length ? '' : ' Nothing to do.'}`);
    if (s.changedOptions.length) {
      io.out(`  options that differ from import ${s.importId}:`);
      for (const c of s.changedOptions) io.out(`    ${flagName(c.option)}: ${shown(c.before)} → ${shown(c.now)}`);
      io.out('  To apply them, run the same command with --again (rows already imported are then duplicates and follow --on-duplicate;');
      io.out('  --on-duplicate merge fills what they lack, update overwrites).');
    } else io.hint('Pass --again to import the same file again (duplicates then follow --on-duplicate).');
    return;
  }
  if (s.status === 'dry-run') {
    io.out(chalk.bold(`Dry run of ${name} (${s.encoding}, delimiter ${s.delimiter === '\t' ? 'tab' : `'${s.delimiter}'`}, decimal ${s.decimalComma ? 'comma' : 'point'}): nothing was written`));
    for (const m of s.mapping) io.out(`  ${m.column.padEnd(28)} → ${m.field}`);
  } else {
    const rate = s.seconds > 0 ? ` (${n(Math.round(s.counts.rows / s.seconds))} rows/s)` : '';
    io.out(chalk.bold(`Import ${s.importId} of ${name}: ${n(s.counts.rows)} row${s.counts.rows === 1 ? '' : 's'} in ${s.seconds.toFixed(1)} s${rate}${s.resumedFromLine !== null ? `, resumed after line ${s.resumedFromLine}` : ''}`));
  }
  if (s.unknownAsCustom.length) io.out(`  kept as custom fields: ${s.unknownAsCustom.join(', ')}`);
  if (s.ignored.length) io.out(`  ignored columns: ${s.ignored.map((i) => `${i.column || '(no header)'} (${i.why})`).join(', ')}`);
  const would = s.status === 'dry-run' ? 'would be ' : '';
  const c = s.counts;
  io.out(`  ${would}imported   ${n(c.imported)}${c.junk ? ` (${n(c.junk)} as junk)` : ''}`);
  io.out(`  ${would}re-engaged ${n(c.reengaged)}`);
  io.out(`  ${would}updated    ${n(c.updated)}`);
  io.out(`  ${would}merged     ${n(c.merged)}`);
  io.out(`  ${would}skipped    ${n(c.skipped)} (duplicates)`);
  io.out(`  ${would}rejected   ${n(c.rejected)}${s.rejectsFile ? ` → ${s.rejectsFile}` : ''}`);
  for (const r of s.firstRejects) io.out(`    ${r.reason}`);
  if (c.rejected > s.firstRejects.length && s.firstRejects.length) io.out(`    … and ${n(c.rejected - s.firstRejects.length)} more`);
  if (c.suppressed) io.out(`  suppressed ${n(c.suppressed)} (the email or phone of a person erased at their request: ${s.suppressedAs === 'flag' ? 'imported, with a note saying so' : 'refused, in the rejects'}; crm config set privacy.suppressed)`);
  if (s.warnings.count) {
    io.out(`  warnings   ${n(s.warnings.count)} (rows kept; values left out, kept unverified, or duplicates)${s.warnings.file ? ` → ${s.warnings.file}` : ''}`);
    for (const w of s.warnings.first) io.out(`    line ${w.line}${w.column ? `, column '${w.column}'` : ''}: ${w.warning}`);
    if (s.warnings.count > s.warnings.first.length) io.out(`    … and ${n(s.warnings.count - s.warnings.first.length)} more`);
  }
  if (s.created.sources.length) io.out(`  ${s.status === 'dry-run' ? 'would create' : 'created'} sources: ${s.created.sources.join(', ')}`);
  if (s.created.tags.length) io.out(`  ${s.status === 'dry-run' ? 'would create' : 'created'} tags: ${s.created.tags.join(', ')}`);
  if (s.unmapped.length) {
    io.out(`  values no stage or status matches (left at the default stage):`);
    for (const u of s.unmapped) io.out(`    ${u.column}: '${u.value}' (${n(u.rows)} row${u.rows === 1 ? '' : 's'})`);
    io.out(`    map them with --map-values '${s.unmapped[0]!.column}:${s.unmapped[0]!.value}=<stage>' or in a --mapping file`);
  }
  if (s.unknownOwners.length) {
    io.out(`  owners who are not users (rows left unassigned${s.status === 'dry-run' ? '' : ' or given --assign'}):`);
    for (const u of s.unknownOwners) io.out(`    ${u.column}: '${u.value}' (${n(u.rows)} row${u.rows === 1 ? '' : 's'})`);
  }
  if (s.mappingSkeleton) io.out(`  a mapping file to fill in: ${s.mappingSkeleton} (then import with --mapping ${s.mappingSkeleton})`);
}

const shown = (v: unknown): string => (v === null || v === undefined ? '(none)' : Array.isArray(v) ? (v.length ? v.join(' ') : '(none)') : typeof v === 'object' ? JSON.stringify(v) : String(v));
const flagName = (option: string): string => (option === 'mappingContent' ? '--mapping (its content)' : `--${option.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`);

/** ImportOptions from the flags (the parts the interactive preview and the import share). */
function serviceOptions(ctx: Context, file: string, opts: Options): Omit<ImportOptions, 'stdin'> {
  return {
    file, map: opts.map, encoding: opts.encoding, delimiter: opts.delimiter, decimal: opts.decimal, onDuplicate: opts.onDuplicate, source: opts.source,
    stage: opts.stage, assign: opts.assign, tags: opts.tag, ignoreUnknown: opts.ignoreUnknown, dataDir: ctx.paths.dataDir, tmpDir: tmpdir(),
    strict: opts.strict, mapValues: opts.mapValues, mapping: opts.mapping, dateFormat: opts.dateFormat, region: opts.region, wording: cliText,
  };
}

/**
 * A dry run first; when it finds stage, status or owner values nothing maps, asks for each and
 * saves the answers as a mapping file (the --mapping given, or one beside the file). Returns its path.
 */
async function mapInteractively(ctx: Context, svc: Awaited<ReturnType<Context['services']>>, file: string, opts: Options): Promise<string | undefined> {
  const preview = await importLeads(svc, { ...serviceOptions(ctx, file, opts), stdin: ctx.io.stdin, dryRun: true, skeleton: false });
  if (!preview.unmapped.length && !preview.unknownOwners.length) return undefined;
  const what = [preview.unmapped.length && `${preview.unmapped.length} stage/status value${preview.unmapped.length === 1 ? '' : 's'}`, preview.unknownOwners.length && `${preview.unknownOwners.length} owner${preview.unknownOwners.length === 1 ? '' : 's'}`].filter(Boolean).join(' and ');
  if (!(await ctx.prompter.confirm('--mapping', `${what} in ${file} match nothing. Map them now?`))) return undefined;
  const store = await ctx.store();
  const stages = await store.stages.list();
  const users = (await store.users.list()).filter((u) => u.active);
  const path = opts.mapping ?? join(dirname(resolve(file)), `${basename(file).replace(/\.[^.]*$/, '')}.mapping.json`);
  const content: { values?: Record<string, Record<string, string>>; owners?: Record<string, string> } & Record<string, unknown> = existsSync(path) ? JSON.parse(readFileSync(path, 'utf8')) : {};
  for (const u of preview.unmapped) {
    const target = await ctx.prompter.select('--map-values', `${u.column}: '${u.value}' (${u.rows} row${u.rows === 1 ? '' : 's'}) →`, [
      ...stages.map((st) => ({ value: st.name, name: st.name })),
      { value: 'junk', name: 'junk (status)' }, { value: 'customer', name: 'customer (won, converted)' }, { value: 'ignore', name: 'leave at the default stage' },
    ]);
    ((content.values ??= {})[u.column] ??= {})[u.value] = target;
  }
  for (const u of preview.unknownOwners) {
    const target = await ctx.prompter.select('--mapping', `owner '${u.value}' (${u.rows} row${u.rows === 1 ? '' : 's'}) →`, [
      ...users.map((x) => ({ value: x.email, name: `${x.name} <${x.email}>` })), { value: '', name: 'leave unassigned' },
    ]);
    if (target) (content.owners ??= {})[u.value] = target;
  }
  writeFileSync(path, `${JSON.stringify(content, null, 2)}\n`, { mode: 0o600 });
  ctx.io.hint(`Saved the mapping to ${path}; next time pass --mapping ${path}.`);
  return path;
}

/** rows, rows/s, percent and ETA on stderr, redrawn at most 10 times a second; only on a TTY. */
function progressBar(ctx: Context): { update: (p: { rows: number; bytes: number; totalBytes: number }) => void; done: () => void } {
  const stderr = ctx.io.stderr;
  if (!stderr.isTTY) return { update: () => {}, done: () => {} };
  const start = Date.now();
  let last = 0;
  let drawn = false;
  return {
    update(p) {
      const now = Date.now();
      if (now - last < 100) return;
      last = now;
      const secs = (now - start) / 1000;
      const rate = secs > 0 ? p.rows / secs : 0;
      const frac = p.totalBytes ? Math.min(1, p.bytes / p.totalBytes) : 0;
      const eta = frac > 0 ? Math.round((secs / frac) * (1 - frac)) : 0;
      const width = 24;
      const bar = '█'.repeat(Math.round(frac * width)).padEnd(width, '░');
      stderr.write(`\r${bar} ${Math.round(frac * 100)}%  ${p.rows.toLocaleString('en')} rows  ${Math.round(rate).toLocaleString('en')} rows/s  ETA ${Math.floor(eta / 60)}:${String(eta % 60).padStart(2, '0')}  `);
      drawn = true;
    },
    done() {
      if (drawn) stderr.write('\r\x1b[2K');
    },
  };
}

/** The built producer worker beside the bundle (dist/import-worker.cjs); CRM_IMPORT_THREADS=0 keeps the work in one thread. */
function producerWorker(env: Record<string, string | undefined>): string | undefined {
  if (env.CRM_IMPORT_THREADS === '0' || typeof __dirname !== 'string') return undefined;
  const file = join(__dirname, 'import-worker.cjs');
  return existsSync(file) ? file : undefined;
}
