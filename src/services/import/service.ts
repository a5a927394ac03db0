import { closeSync, existsSync, statSync, truncateSync, writeSync } from 'node:fs';
import { mkdirPrivate, openPrivate } from '../../io/private.js';
import { basename, dirname, join, resolve } from 'node:path';
import type { Readable } from 'node:stream';
import { NotFoundError, UsageError, fieldRef, say, plainText, type Words } from '../../errors.js';
import { csvRaw } from '../../io/csv.js';
import type { BulkLead, ImportCounts, ImportRecord } from '../../domain/imports.js';
import { isVerifiedPhone, type ContactMatch, type LeadFields } from '../../domain/leads.js';
import type { Store } from '../../store/types.js';
import { assertRole } from '../access.js';
import type { ServiceContext } from '../context.js';
import { classify, reopen, settingsOf } from '../leads/service.js';
import { findSource, findStage, findUser, firstOpenStage } from '../lookup.js';
import { describeTarget, parseMapOption, type MappingResult } from './mapping.js';
import { dateColumnsOf, produceRowsThreaded, scanFile, type ProducerInput, type RejectRow } from './producer.js';
import type { RowWarning, ValidRow } from './rows.js';
import { dateOrderOf, meaningOf, parseMapValues, readMappingFile, regionOf, type DateOrder, type MappingFile, type ValueMap } from './values.js';
import { writeFileSync } from 'node:fs';
import { importHolder, takeImportLock } from './locks.js';
import { chooseEncoding, openSource, readSample } from './source.js';
import { keyed } from '../../domain/keyed.js';
import type { ConsentChannel, NewConsentEntry } from '../../domain/consent.js';
import { SUPPRESSED_NOTE } from '../../domain/suppression.js';

export const DUPLICATE_POLICIES = ['skip', 'update', 'merge', 'create'] as const;
export type DuplicatePolicy = (typeof DUPLICATE_POLICIES)[number];

export interface ImportOptions {
  /** A path, or '-' for stdin. */
  file: string;
  stdin: Readable;
  map?: string[];
  encoding?: string;
  delimiter?: string;
  decimal?: string;
  onDuplicate?: string;
  source?: string;
  stage?: string;
  assign?: string;
  tags?: string[];
  dryRun?: boolean;
  rejects?: string;
  maxErrors?: number;
  ignoreUnknown?: boolean;
  batchRows?: number;
  /** Import a file again although an import of the same bytes finished. */
  again?: boolean;
  /** Refuse a row on any bad value, as before warnings existed. */
  strict?: boolean;
  /** 'Column:value=target,…' (repeatable): stage, status and owner values. */
  mapValues?: string[];
  /** A mapping file (JSON: columns, values, owners, dateFormat, region). */
  mapping?: string;
  /** dmy | mdy | ymd: the day/month order of dates the file does not settle. */
  dateFormat?: string;
  /** Where numbers without a country code (and no Country column) are: ISO code or country name. */
  region?: string;
  /** A dry run writes a mapping file to fill in when values are unmapped (default true). */
  skeleton?: boolean;
  /** The built producer worker (dist/import-worker.cjs); absent: parse and validate in this thread. */
  workerFile?: string;
  /** Where reject files go when --rejects is not given, and where stdin is spooled. */
  dataDir: string;
  /** Words the reasons and notes that name inputs or remedies (the CLI: flags and commands); plain text otherwise. */
  wording?: (words: Words) => string;
  tmpDir: string;
}

export interface ImportHooks {
  progress?(p: { rows: number; bytes: number; totalBytes: number }): void;
}

export interface RejectedRow {
  line: number;
  reason: string;
}

/** A warning as the summary shows it (all are in the warnings file). */
export interface ImportWarning {
  line: number;
  column: string;
  value: string;
  warning: string;
  leadId?: number | null;
}

/** An option of this run that differs from the finished import of the same bytes. */
export interface OptionChange {
  option: string;
  before: unknown;
  now: unknown;
}

export interface ImportSummary {
  importId: number | null;
  file: string;
  status: 'done' | 'stopped' | 'dry-run' | 'already-imported';
  resumedFromLine: number | null;
  encoding: string;
  delimiter: string;
  decimalComma: boolean;
  onDuplicate: DuplicatePolicy;
  mapping: { column: string; field: string; by: string }[];
  unknownAsCustom: string[];
  ignored: { column: string; why: string }[];
  counts: ImportCounts;
  rejectsFile: string | null;
  /** The first rejected rows of this run (all are in the reject file). */
  firstRejects: RejectedRow[];
  /** Values left out or kept unverified (rows kept), and duplicates skipped or merged: how many, the first ones, and the file listing all. */
  warnings: { count: number; first: ImportWarning[]; file: string | null };
  /** Distinct stage, status and owner values no map or built-in synonym knows, with how many rows have each. */
  unmapped: { column: string; value: string; rows: number }[];
  /** Owners that are not users: their rows were left unassigned (or given --assign's default). */
  unknownOwners: { column: string; value: string; rows: number }[];
  /** Sources and tags this import created (a dry run: would create). */
  created: { sources: string[]; tags: string[] };
  /** Dry run: where a mapping file to fill in was written. */
  mappingSkeleton: string | null;
  /** Already imported: the options that differ from that import's. */
  changedOptions: OptionChange[];
  seconds: number;
  /** Where the file was parsed and validated: a worker thread beside the writes, or the main thread. */
  parsedIn: 'worker' | 'main';
  /** What rows from erased people's emails or phones became (privacy.suppressed): refused, or imported flagged. */
  suppressedAs: 'refuse' | 'flag';
}

const ZERO: ImportCounts = { rows: 0, imported: 0, junk: 0, reengaged: 0, updated: 0, merged: 0, skipped: 0, rejected: 0, suppressed: 0 };
// Small enough that a batch's row objects die young (peak RSS: ~230 MB at 2,000 rows, ~310 MB at 5,000), large enough that commits are rare.
export const DEFAULT_BATCH_ROWS = 2000;

function oneOfPolicy(raw: string | undefined): DuplicatePolicy {
  const v = (raw ?? 'skip').trim().toLowerCase();
  if (!(DUPLICATE_POLICIES as readonly string[]).includes(v)) throw new UsageError(say`invalid ${fieldRef('onDuplicate')} '${raw}'`, `use one of: ${DUPLICATE_POLICIES.join(', ')}`);
  return v as DuplicatePolicy;
}

function delimiterOf(raw: string | undefined): string | undefined {
  if (!raw || raw === 'auto') return undefined;
  const named: Record<string, string> = { '\\t': '\t', tab: '\t', comma: ',', semicolon: ';', pipe: '|' };
  const d = named[raw.toLowerCase()] ?? raw;
  if (d.length !== 1) throw new UsageError(say`invalid ${fieldRef('delimiter')} '${raw}'`, "use auto, ',', ';', '|' or '\\t' (tab)");
  return d;
}

/** Default assignees of imported rows: --assign a@x[,b@x] (all of them), round-robin[:manager]. */
async function assigner(store: Store, raw: string | undefined, actor: ServiceContext['actor']): Promise<() => number[]> {
  if (!raw) return () => (actor.role === 'rep' ? [actor.id] : []);
  const rr = /^round-robin(?::(.+))?$/i.exec(raw.trim());
  if (rr) {
    const users = await store.users.list();
    let pool = users.filter((u) => u.active && u.role === 'rep');
    if (rr[1]) {
      const manager = await findUser(store, rr[1]);
      pool = pool.filter((u) => u.managerId === manager.id);
      if (!pool.length) throw new UsageError(`${manager.email} has no active reps to share the leads`, { id: 'user.add-reps-of' });
    }
    if (!pool.length) throw new UsageError('there are no active reps for round-robin', { id: 'user.add-reps' });
    let i = 0;
    return () => [pool[i++ % pool.length]!.id];
  }
  const ids: number[] = [];
  for (const email of raw.split(',').map((s) => s.trim()).filter(Boolean)) {
    const u = await findUser(store, email);
    if (!u.active) throw new UsageError(`user ${u.email} is deactivated`, 'assign the leads to an active user');
    ids.push(u.id);
  }
  return () => ids;
}

/** Appends rejected rows (line, reason, original cells) to a CSV file, synchronously, so its size can be committed with the batch. */
class RejectWriter {
  private fd: number | undefined;
  bytes: number;
  constructor(
    readonly path: string,
    private readonly header: string[],
    startBytes: number,
  ) {
    this.bytes = startBytes;
  }
  write(rows: { line: number; reason: string; cells: string[] }[]): void {
    if (!rows.length) return;
    if (this.fd === undefined) {
      // Rejected rows are the leads' data: their owner's alone, like the store.
      mkdirPrivate(dirname(this.path));
      if (!existsSync(this.path)) this.bytes = 0;
      else if (this.bytes > 0) truncateSync(this.path, Math.min(this.bytes, statSync(this.path).size));
      this.fd = openPrivate(this.path, this.bytes > 0 ? 'a' : 'w');
      if (this.bytes === 0) this.append(['crm_reject_line', 'crm_reject_reason', ...this.header]);
    }
    for (const r of rows) this.append([String(r.line), r.reason, ...r.cells]);
  }
  private append(cells: string[]): void {
    const text = `${cells.map((c) => csvRaw(c)).join(',')}\n`;
    this.bytes += writeSync(this.fd!, text);
  }
  close(): void {
    if (this.fd !== undefined) closeSync(this.fd);
    this.fd = undefined;
  }
}

type Pending = { newIndex: number } | { id: number };

/** The warnings file: one line per value left out, number kept unverified, value not mapped, or duplicate. */
class WarningWriter {
  private fd: number | undefined;
  constructor(
    readonly path: string,
    private readonly append: boolean,
  ) {}
  write(rows: ImportWarning[]): void {
    if (!rows.length) return;
    if (this.fd === undefined) {
      mkdirPrivate(dirname(this.path));
      const fresh = !this.append || !existsSync(this.path);
      this.fd = openPrivate(this.path, fresh ? 'w' : 'a');
      if (fresh) writeSync(this.fd, 'crm_line,crm_column,crm_value,crm_warning,crm_lead_id\n');
    }
    writeSync(this.fd, rows.map((w) => `${[String(w.line), w.column, w.value, w.warning, w.leadId ? String(w.leadId) : ''].map((c) => csvRaw(c)).join(',')}\n`).join(''));
  }
  close(): void {
    if (this.fd !== undefined) closeSync(this.fd);
    this.fd = undefined;
  }
}

/** rejects.csv → rejects.warnings.csv, in the same folder. */
const warningsBeside = (rejects: string): string => join(dirname(rejects), `${basename(rejects).replace(/\.csv$/i, '')}.warnings.csv`);
/** leads.csv → leads.mapping.json, beside the file imported. */
const skeletonBeside = (file: string): string => join(dirname(resolve(file)), `${basename(file).replace(/\.[^.]*$/, '')}.mapping.json`);

/** Writes a mapping file to fill in (not over one that exists); where the file's folder is not writable, into the data directory. */
function writeSkeleton(path: string, content: MappingFile | Record<string, unknown>, fallback: string): string {
  const text = `${JSON.stringify(content, null, 2)}\n`;
  for (const p of [path, fallback]) {
    try {
      if (existsSync(p)) continue;
      mkdirPrivate(dirname(p));
      writeFileSync(p, text, { mode: 0o600, flag: 'wx' });
      return p;
    } catch {
      continue;
    }
  }
  return existsSync(path) ? path : fallback;
}

/** Every value map target names a stage (or won, lost, junk, customer, ignore), every owner map target a user: checked before a row is applied. */
async function checkValueMap(store: Store, valueMap: ValueMap, owners: Record<string, string>, mapping: MappingResult, users: { email: string; name: string }[], display: string): Promise<void> {
  const stages = await store.stages.list();
  const byHeader = new Map(mapping.columns.map((c) => [c.header.toLowerCase(), c]));
  const isUser = (who: string) => users.some((u) => u.email.toLowerCase() === who.toLowerCase() || u.name.toLowerCase() === who.toLowerCase());
  for (const [key, values] of Object.entries(valueMap)) {
    const col = byHeader.get(key);
    if (!col) throw new UsageError(say`${fieldRef('mapValues')} names a column '${key}' that ${display} does not have`, `its columns are: ${mapping.columns.map((c) => `'${c.header}'`).join(', ')}`);
    const field = 'field' in col.target ? col.target.field : undefined;
    const column = col.header;
    for (const [value, target] of Object.entries(values)) {
      if (field === 'assign') {
        if (!isUser(target)) throw new UsageError(say`${fieldRef('mapValues')} '${column}:${value}=${target}': no user '${target}'`, { id: 'import.user-list' });
        continue;
      }
      const m = meaningOf(target);
      if (m.open && !stages.some((s) => s.name.toLowerCase() === m.open!.toLowerCase())) {
        throw new UsageError(say`${fieldRef('mapValues')} '${column}:${value}=${target}': no stage '${target}'`, `stages are: ${stages.map((s) => s.name).join(', ')}; or won, lost, junk, customer, ignore`);
      }
    }
  }
  for (const [who, target] of Object.entries(owners)) {
    if (!isUser(target)) throw new UsageError(`the mapping file maps owner '${who}' to '${target}', who is not a user`, { id: 'import.user-list' });
  }
}

/** A row's contact keys; a number kept unverified (as entered) is also matched by its digits alone. */
const keysOf = (f: LeadFields): string[] => [
  ...f.emails.map((e) => `e${e.toLowerCase()}`),
  ...f.phones.flatMap((p) => (isVerifiedPhone(p) ? [`p${p}`] : [`p${p}`, `d${p.replace(/\D/g, '')}`])),
];

/** update: the row's values win; merge: only empty fields are filled. Lists are always unions. */
function patchFor(existing: LeadFields, row: ValidRow, policy: 'update' | 'merge', foreign: (key: string) => boolean): Partial<LeadFields> {
  const patch: Partial<LeadFields> = {};
  const f = row.fields;
  const union = (a: string[], b: string[], key: (v: string) => string) => {
    const seen = new Set(a.map(key));
    const added = b.filter((v) => !seen.has(key(v)));
    return added.length ? [...a, ...added] : undefined;
  };
  for (const k of row.given) {
    switch (k) {
      case 'emails': {
        const v = union(existing.emails, f.emails.filter((e) => !foreign(`e${e.toLowerCase()}`)), (e) => e.toLowerCase());
        if (v) patch.emails = v;
        break;
      }
      case 'phones': {
        const v = union(existing.phones, f.phones.filter((p) => !foreign(`p${p}`)), (p) => p);
        if (v) patch.phones = v;
        break;
      }
      case 'tags': {
        const v = union(existing.tags, f.tags, (t) => t.toLowerCase());
        if (v) patch.tags = v;
        break;
      }
      case 'assigneeIds': {
        const ids = [...new Set([...existing.assigneeIds, ...f.assigneeIds])];
        if (ids.length !== existing.assigneeIds.length) patch.assigneeIds = ids;
        break;
      }
      case 'custom': {
        const custom = keyed(policy === 'update' ? { ...existing.custom, ...f.custom } : { ...f.custom, ...existing.custom });
        if (JSON.stringify(custom) !== JSON.stringify(existing.custom)) patch.custom = custom;
        break;
      }
      case 'currency':
        break; // travels with valueMinor
      case 'valueMinor':
        if (policy === 'update' ? existing.valueMinor !== f.valueMinor || existing.currency !== f.currency : existing.valueMinor === null) {
          patch.valueMinor = f.valueMinor;
          patch.currency = f.currency;
        }
        break;
      default: {
        const key = k as keyof LeadFields;
        const now = existing[key];
        const empty = now === null || now === '' || (key === 'score' && now === 0);
        // merge never renames or moves an existing lead; it fills what is missing.
        if (policy === 'merge' && (!empty || key === 'name' || key === 'stageId' || key === 'status' || key === 'type' || key === 'kind')) break;
        if (now !== f[key]) (patch as Record<string, unknown>)[key] = f[key];
      }
    }
  }
  return patch;
}

export async function importLeads(ctx: ServiceContext, opts: ImportOptions, hooks: ImportHooks = {}): Promise<ImportSummary> {
  const { store, actor } = ctx;
  const at = ctx.now.toISOString();
  assertRole(actor, ['admin', 'manager'], 'import leads in bulk');
  const policy = oneOfPolicy(opts.onDuplicate);
  const wording = (w: string | Words) => (typeof w === 'string' ? w : (opts.wording ?? plainText)(w));
  const mappingFile: MappingFile = opts.mapping ? readMappingFile(resolve(opts.mapping)) : {};
  const overrides = new Map([...Object.entries(mappingFile.columns ?? {}).flatMap(([c, f]) => [...parseMapOption([`${c}=${f}`])]), ...parseMapOption(opts.map)]);
  const valueMap: ValueMap = keyed();
  for (const [col, values] of Object.entries(mappingFile.values ?? {})) {
    const m = (valueMap[col.trim().toLowerCase()] ??= keyed());
    for (const [v, t] of Object.entries(values)) m[v.trim().toLowerCase()] = t;
  }
  parseMapValues(opts.mapValues, valueMap);
  const owners: Record<string, string> = keyed();
  for (const [who, user] of Object.entries(mappingFile.owners ?? {})) owners[who.trim().toLowerCase()] = user.trim();
  const dateOrder: DateOrder | undefined = opts.dateFormat ? dateOrderOf(opts.dateFormat) : mappingFile.dateFormat;
  const regionRaw = opts.region ?? mappingFile.region;
  const region = regionRaw ? regionOf(regionRaw) : undefined;
  if (regionRaw && !region) throw new UsageError(say`invalid ${fieldRef('region')} '${regionRaw}'`, 'use a country code such as GB, US, PT or IN, or a country name');
  const forcedDelimiter = delimiterOf(opts.delimiter);
  const decimalOpt = (opts.decimal ?? 'auto').toLowerCase();
  if (!['auto', 'point', 'comma'].includes(decimalOpt)) throw new UsageError(say`invalid ${fieldRef('decimal')} '${opts.decimal}'`, 'use auto, point or comma');
  const batchRows = opts.batchRows ?? DEFAULT_BATCH_ROWS;
  if (!Number.isInteger(batchRows) || batchRows < 1) throw new UsageError(say`invalid ${fieldRef('batch')} '${opts.batchRows}'`, 'a batch is a whole number of rows ≥ 1');

  // Defaults and lookups, resolved once: a bad --source fails before anything is read.
  const settings = await settingsOf(store);
  const suppressedAs = (await store.settings.get('privacy.suppressed')) === 'flag' ? 'flag' : 'refuse';
  const defaultSource = opts.source ? (await findSource(store, opts.source)).id : undefined;
  const defaultStage = opts.stage ? await findStage(store, opts.stage) : await firstOpenStage(store);
  const assign = await assigner(store, opts.assign, actor);
  const stages = new Map((await store.stages.list()).map((s) => [s.name.toLowerCase(), s]));
  const sources = new Map((await store.sources.list()).map((s) => [s.name.toLowerCase(), s]));
  const users = await store.users.list();
  const src = await openSource(opts.file, opts.stdin, opts.tmpDir);
  const started = Date.now();
  let releaseLock: (() => void) | undefined;
  try {
    const display = src.name === '-' ? 'stdin' : src.name;
    if (src.bytes === 0) throw new UsageError(`${display} is empty`, 'export the leads with a header row and at least one row');
    // Taken before the previous run is looked up: a second `crm lead import` of these bytes
    // would otherwise resume the running one's record and apply its rows again.
    // The store's import lock for these bytes, held for as long as the import runs: the same file
    // is never imported twice into one store at the same moment.
    if (!opts.dryRun) releaseLock = takeImportLock(store.files, store.location, src.hash, display);
    const previous = opts.dryRun ? undefined : await store.imports.latestByHash(src.hash);
    const sample = readSample(src.path);
    const enc = await chooseEncoding(sample, opts.encoding, display, sample.length === src.bytes);

    const baseSummary = {
      file: src.name === '-' ? '-' : resolve(src.name),
      encoding: enc.encoding,
      onDuplicate: policy,
    };
    const resume = previous && previous.status !== 'done' ? previous : undefined;
    let record: ImportRecord | undefined = resume;
    const counts: ImportCounts = resume ? pickCounts(resume) : { ...ZERO };
    const skipThrough = resume?.lastLine ?? 0;

    let delimiter = forcedDelimiter ?? ',';
    let decimalComma = false;
    let mapping: MappingResult | undefined;
    let header: string[] | undefined;
    let rejects: RejectWriter | undefined;
    const rejectsPath = opts.rejects ? resolve(opts.rejects) : undefined;
    const firstRejects: RejectedRow[] = [];
    let dataRows = 0;
    let stopped = false;
    let bytesRead = 0;

    // The current batch: valid rows, rejected rows, and the last source line it covers.
    let batch: ValidRow[] = [];
    let batchRejects: RejectRow[] = [];
    let batchLastLine = skipThrough;
    // Dry run: nothing reaches the store, so the contacts seen earlier in the file (and who owns
    // them) are kept in the store connection's scratch table between batches, not in memory:
    // a dry run of any size stays within the import's memory. New rows are numbered across the file.
    let dryNewCount = 0;

    const options = (): Record<string, unknown> => ({
      map: opts.map ?? [], encoding: enc.encoding, delimiter, decimalComma, onDuplicate: policy, source: opts.source ?? null,
      stage: opts.stage ?? null, assign: opts.assign ?? null, tags: opts.tags ?? [], ignoreUnknown: Boolean(opts.ignoreUnknown),
      strict: Boolean(opts.strict), mapValues: opts.mapValues ?? [], mapping: opts.mapping ? resolve(opts.mapping) : null,
      mappingContent: opts.mapping ? mappingFile : null, dateFormat: dateOrder ?? null, region: region ?? null,
    });

    if (previous?.status === 'done' && !opts.again) {
      const now = options();
      const changedOptions = OPTION_NAMES.filter((k) => JSON.stringify(now[k] ?? OPTION_DEFAULTS[k]) !== JSON.stringify(previous.options[k] ?? OPTION_DEFAULTS[k]))
        .map((k) => ({ option: k, before: previous.options[k] ?? OPTION_DEFAULTS[k], now: now[k] }));
      return {
        warnings: { count: 0, first: [], file: null }, unmapped: [], unknownOwners: [], created: { sources: [], tags: [] }, mappingSkeleton: null, changedOptions,
        ...baseSummary, importId: previous.id, status: 'already-imported', resumedFromLine: null, delimiter: String(previous.options.delimiter ?? ''),
        decimalComma: Boolean(previous.options.decimalComma), mapping: [], unknownAsCustom: [], ignored: [], counts: pickCounts(previous),
        rejectsFile: previous.rejectsFile, firstRejects: [], seconds: 0, parsedIn: 'main', suppressedAs,
      };
    }

    // Warnings: every one goes to the warnings file; the summary keeps counts, the first ten, and what is unmapped.
    let batchWarnings: RowWarning[] = [];
    let warningCount = 0;
    const firstWarnings: ImportWarning[] = [];
    let warningsOut: WarningWriter | undefined;
    const unmapped = new Map<string, { column: string; value: string; rows: number }>();
    const unknownOwners = new Map<string, { column: string; value: string; rows: number }>();
    let unverifiedPhones = 0;
    let ambiguousDates = 0;
    const noteWarnings = (ws: RowWarning[]): void => {
      if (!ws.length) return;
      const worded: ImportWarning[] = ws.map((w) => ({ line: w.line, column: w.column, value: w.value, warning: w.words ? wording(w.words) : w.what, ...(w.leadId !== undefined ? { leadId: w.leadId } : {}) }));
      warningCount += ws.length;
      for (const w of worded) if (firstWarnings.length < 10) firstWarnings.push(w);
      for (const w of ws) {
        const tally = w.kind === 'unmapped' ? unmapped : w.kind === 'owner' ? unknownOwners : undefined;
        if (w.kind === 'unverified') unverifiedPhones++;
        if (w.kind === 'date' && w.words) ambiguousDates++;
        if (!tally) continue;
        const key = `${w.column.toLowerCase()}\u0000${w.value.toLowerCase()}`;
        const t = tally.get(key);
        if (t) t.rows++;
        else tally.set(key, { column: w.column, value: w.value, rows: 1 });
      }
      if (!warningsOut) {
        const path = opts.dryRun
          ? (rejectsPath ? warningsBeside(rejectsPath) : undefined)
          : rejectsPath ? warningsBeside(rejectsPath) : join(opts.dataDir, 'imports', `import-${record!.id}-warnings.csv`);
        if (!path) return;
        warningsOut = new WarningWriter(path, resume !== undefined);
      }
      warningsOut.write(worded);
    };

    // Sources the store does not have are created; tags are created by the store as rows use them.
    const knownSources = new Map<string, number>();
    const createdSources: string[] = [];
    const knownTags = new Set((await store.tags.names()).map((t) => t.toLowerCase()));
    const createdTags: string[] = [];
    const newValues = async (rows: ValidRow[], dry: boolean): Promise<void> => {
      for (const r of rows) {
        for (const t of r.fields.tags) {
          if (knownTags.has(t.toLowerCase())) continue;
          knownTags.add(t.toLowerCase());
          createdTags.push(t);
        }
        if (!r.newSource) continue;
        const key = r.newSource.toLowerCase();
        let id = knownSources.get(key);
        if (id === undefined) {
          const existing = await store.sources.byName(r.newSource);
          if (existing) id = existing.id;
          else {
            createdSources.push(r.newSource);
            if (!dry) id = (await store.sources.insert(r.newSource)).id;
          }
          if (id !== undefined) knownSources.set(key, id);
          else knownSources.set(key, 0);
        }
        if (id) r.fields.sourceId = id;
      }
    };

    const matchAll = async (rows: ValidRow[]): Promise<Map<string, ContactMatch[]>> => {
      const byKey = new Map<string, ContactMatch[]>();
      if (policy === 'create') return byKey;
      const emails: string[] = [];
      const phones: string[] = [];
      for (const r of rows) {
        for (const e of r.fields.emails) emails.push(e.toLowerCase());
        for (const p of r.fields.phones) phones.push(p);
      }
      const ms = await store.imports.matchContacts(emails, phones);
      for (const m of ms) {
        const key = m.on === 'email' ? `e${m.value.toLowerCase()}` : `p${m.value}`;
        const list = byKey.get(key);
        if (list) list.push(m);
        else byKey.set(key, [m]);
      }
      return byKey;
    };

    /** The batch's consent entries (source 'import'), written in one call after its leads. */
    const consent: NewConsentEntry[] = [];
    const consentOf = (leadId: number, row: ValidRow): void => {
      for (const [channel, granted] of Object.entries(row.consent ?? {}) as [ConsentChannel, boolean][]) {
        consent.push({ leadId, channel, state: granted ? 'granted' : 'withdrawn', source: 'import', at, userId: actor.id, note: `import ${record!.id} line ${row.line}` });
      }
    };

    /** Decides and (unless dry run) applies one batch: new leads in bulk, duplicates by policy. */
    const apply = async (rows: ValidRow[], dry: boolean): Promise<void> => {
      await newValues(rows, dry);
      const byKey = await matchAll(rows);
      const duplicates: { row: ValidRow; target: Pending }[] = [];
      const pending = new Map<string, Pending>();
      const fresh: ValidRow[] = [];
      const freshBase = dry ? dryNewCount : 0;
      if (dry && policy !== 'create') {
        const known = await store.imports.recall(rows.flatMap((r) => keysOf(r.fields)));
        for (const [k, owner] of known) pending.set(k, owner > 0 ? { id: owner } : { newIndex: -owner - 1 });
      }
      for (const row of rows) {
        const keys = keysOf(row.fields);
        if (policy === 'create') {
          fresh.push(row);
          counts.imported++;
          if (row.fields.status === 'junk') counts.junk++;
          continue;
        }
        let target: Pending | undefined;
        for (const k of keys) {
          target = pending.get(k);
          if (target) break;
        }
        if (!target) {
          const seen = new Set<number>();
          const matches: ContactMatch[] = [];
          for (const k of keys) for (const m of byKey.get(k) ?? []) if (!seen.has(m.id)) (seen.add(m.id), matches.push(m));
          const { duplicateOf, reengage } = classify(matches);
          if (duplicateOf) target = { id: duplicateOf.id };
          else if (reengage) {
            if (!dry) await reopen(ctx, reengage.id, row.fields.emails, row.fields.phones, { importId: record!.id, line: row.line });
            counts.reengaged++;
            for (const k of keys) pending.set(k, { id: reengage.id });
            continue;
          }
        }
        if (!target) {
          const t = { newIndex: freshBase + fresh.length };
          fresh.push(row);
          counts.imported++;
          if (row.fields.status === 'junk') counts.junk++;
          for (const k of keys) pending.set(k, t);
          continue;
        }
        duplicates.push({ row, target });
        if (policy === 'skip') {
          counts.skipped++;
          continue;
        }
        const owner = target;
        const ownerKey = 'id' in owner ? `id${owner.id}` : `new${owner.newIndex}`;
        // A contact already belonging to another lead is not moved onto this one.
        const foreign = (key: string) => {
          const p = pending.get(key);
          if (p) return ('id' in p ? `id${p.id}` : `new${p.newIndex}`) !== ownerKey;
          return (byKey.get(key) ?? []).some((m) => !m.deleted && !('id' in owner && m.id === owner.id));
        };
        if ('newIndex' in owner) {
          // A dry run only counts: the earlier row it would change may be in an earlier batch.
          if (!dry) {
            const base = fresh[owner.newIndex]!;
            Object.assign(base.fields, patchFor(base.fields, row, policy, foreign));
          }
        } else if (!dry) {
          const existing = (await store.leads.fields(owner.id))!;
          const patch = patchFor(existing, row, policy, foreign);
          if (Object.keys(patch).length) {
            await store.leads.update(owner.id, patch, at);
            const changes = Object.keys(patch).map((field) => ({ field, from: existing[field as keyof LeadFields], to: patch[field as keyof LeadFields] }));
            await store.activities.add({ leadId: owner.id, type: 'updated', at, userId: actor.id, data: { changes, importId: record!.id, line: row.line, policy } });
          }
        }
        if (policy === 'update') counts.updated++;
        else counts.merged++;
        for (const k of keys) if (!foreign(k)) pending.set(k, owner);
      }
      if (dry) {
        dryNewCount += fresh.length;
        if (pending.size) await store.imports.remember([...pending].map(([k, p]): [string, number] => [k, 'id' in p ? p.id : -p.newIndex - 1]));
      }
      let ids: number[] = [];
      if (!dry && fresh.length) {
        const leads: BulkLead[] = fresh.map((r) => ({
          fields: r.fields, importId: record!.id, line: r.line,
          ...(r.createdAt ? { createdAt: r.createdAt } : {}),
        }));
        ids = await store.imports.insertLeads(leads, at);
        for (let i = 0; i < fresh.length; i++) {
          const r = fresh[i]!;
          if (r.note) await store.activities.add({ leadId: ids[i]!, type: 'note', at: r.createdAt ?? at, userId: actor.id, body: r.note, data: { importId: record!.id, line: r.line } });
          // privacy.suppressed flag: imported, with the note addLead writes.
          if (r.suppressed) await store.activities.add({ leadId: ids[i]!, type: 'note', at, userId: actor.id, body: SUPPRESSED_NOTE, data: { suppressed: true, importId: record!.id, line: r.line } });
          if (r.consent) consentOf(ids[i]!, r);
        }
      }
      if (!dry) {
        for (const { row, target } of duplicates) {
          if (row.note && 'id' in target && policy !== 'skip') {
            await store.activities.add({ leadId: target.id, type: 'note', at: row.createdAt ?? at, userId: actor.id, body: row.note, data: { importId: record!.id, line: row.line } });
          }
          // A duplicate's consent columns speak for the same person: recorded on their lead unless skipped.
          if (row.consent && policy !== 'skip') {
            const leadId = 'id' in target ? target.id : ids[target.newIndex];
            if (leadId !== undefined) consentOf(leadId, row);
          }
        }
        await store.consent.record(consent.splice(0));
      }
      for (const { row, target } of duplicates) {
        const leadId = 'id' in target ? target.id : dry ? null : (ids[target.newIndex] ?? null);
        const contact = row.fields.emails[0] ?? row.fields.phones[0] ?? '';
        const done = policy === 'skip' ? 'skipped' : policy === 'update' ? 'updated that lead' : 'merged into that lead';
        const what = leadId ? `duplicate of lead ${leadId}: ${done}` : `duplicate of an earlier row of this file: ${done}`;
        batchWarnings.push({ line: row.line, column: '', value: contact, what, kind: 'duplicate', leadId });
      }
      duplicates.length = 0;
    };

    const flush = async (): Promise<void> => {
      const rows = batch;
      const rejected = batchRejects;
      const lastLine = batchLastLine;
      batch = [];
      batchRejects = [];
      if (!rows.length && !rejected.length) return;
      const suppressedHere = rows.reduce((n, r) => n + (r.suppressed ? 1 : 0), 0) + rejected.reduce((n, r) => n + (r.suppressed ? 1 : 0), 0);
      counts.rows += rows.length + rejected.length;
      counts.rejected += rejected.length;
      counts.suppressed += suppressedHere;
      for (const r of rejected) if (firstRejects.length < 10) firstRejects.push({ line: r.line, reason: r.reason });
      if (opts.maxErrors !== undefined && counts.rejected > opts.maxErrors) {
        // Over the limit: this batch is not applied; its rejects are written so the file can be fixed.
        stopped = true;
        counts.rows -= rows.length + rejected.length;
        counts.rejected -= rejected.length;
        counts.suppressed -= suppressedHere;
        firstRejects.splice(0, firstRejects.length, ...rejected.slice(0, 10).map((r) => ({ line: r.line, reason: r.reason })));
        if (opts.dryRun) {
          rejects?.write(rejected);
          return;
        }
        await store.transaction(async () => {
          const w = await ensureWriter();
          const committed = w.bytes;
          w.write(rejected);
          // A resumed run repeats this batch, so its rejects are not counted as written.
          await store.imports.progress(record!.id, { status: 'stopped', rejectsBytes: committed, rejectsFile: w.path });
        });
        return;
      }
      for (const r of rows) if (r.warnings) batchWarnings.push(...r.warnings);
      if (opts.dryRun) {
        await apply(rows, true);
        rejects?.write(rejected);
        noteWarnings(batchWarnings.splice(0));
        return;
      }
      await store.transaction(async () => {
        const w = await ensureWriter();
        await apply(rows, false);
        w.write(rejected);
        noteWarnings(batchWarnings.splice(0));
        await store.imports.progress(record!.id, {
          ...counts, lastLine, rejectsBytes: w.bytes, rejectsFile: w.bytes > 0 ? w.path : record!.rejectsFile, status: 'running',
        });
      });
    };

    /** The import's record and reject file, created with the first batch (inside its transaction). */
    const ensureWriter = async (): Promise<RejectWriter> => {
      if (!record) {
        record = await store.imports.create({
          file: baseSummary.file, contentHash: src.hash, bytes: src.bytes, options: options(), userId: actor.id, startedAt: at,
          rejectsFile: rejectsPath ?? null,
        });
      }
      if (!rejects) {
        const path = rejectsPath ?? record.rejectsFile ?? join(opts.dataDir, 'imports', `import-${record.id}-rejects.csv`);
        rejects = new RejectWriter(path, header!, record.rejectsBytes);
      }
      return rejects;
    };

    // The suppression list, loaded once (a set of hashes; most stores have few): each row's email
    // and phone are checked in the producer, beside parsing, so the writes do not wait for it.
    const suppressionList = await store.people.suppressions();
    const input: ProducerInput = {
      path: src.path, display, enc, forcedDelimiter, decimal: decimalOpt, overrides: [...overrides], ignoreUnknown: Boolean(opts.ignoreUnknown),
      skipThrough, batchRows, region: settings.region, stages: [...stages.values()], sources: [...sources.values()], users, actor,
      settings: { currency: settings.currency, junkDomains: settings.junkDomains, junkWords: settings.junkWords },
      defaults: { sourceId: defaultSource, stageId: defaultStage.id, tags: opts.tags ?? [] }, now: at,
      strict: Boolean(opts.strict), valueMap, owners, dateOrder,
      ...(suppressionList.length ? { suppressed: { hashes: suppressionList, refuse: suppressedAs === 'refuse' } } : {}),
    };
    if (region) input.region = region;
    const scan = await scanFile({ ...input, dateColumns: (h) => dateColumnsOf(h, overrides, Boolean(opts.ignoreUnknown)) });
    input.columnOrders = scan.columnOrders;
    if (!scan.header) throw new UsageError(`${display} has no header row`, 'the first line names the columns, e.g. Name,Email,Phone');
    if (scan.rows === 0) throw new UsageError(`${display} has a header but no rows`, 'nothing to import');
    if (!opts.dryRun) await store.imports.beginBulk();
    for await (const ev of produceRowsThreaded(input, opts.workerFile)) {
      if (ev.type === 'header') {
        ({ header, mapping, delimiter, decimalComma } = ev);
        await checkValueMap(store, valueMap, owners, mapping, users, display);
        if (opts.dryRun && rejectsPath) rejects = new RejectWriter(rejectsPath, header, 0);
        continue;
      }
      dataRows = ev.dataRows;
      bytesRead = ev.bytes;
      for (const row of ev.rows) {
        if (!row.defaultAssign) continue;
        row.fields.assigneeIds = assign();
        if (row.fields.assigneeIds.length) row.given.push('assigneeIds');
      }
      batch = ev.rows;
      batchRejects = ev.rejects.map((r) => (r.words ? { line: r.line, reason: wording(r.words), cells: r.cells } : r));
      batchLastLine = ev.lastLine;
      await flush();
      if (stopped) break;
      hooks.progress?.({ rows: dataRows, bytes: bytesRead, totalBytes: src.bytes });
    }
    if (!header) throw new UsageError(`${display} has no header row`, 'the first line names the columns, e.g. Name,Email,Phone');
    if (dataRows === 0) throw new UsageError(`${display} has a header but no rows`, 'nothing to import');
    if (record && !stopped) await store.transaction(() => store.imports.progress(record!.id, { status: 'done', finishedAt: at }));
    hooks.progress?.({ rows: dataRows, bytes: bytesRead, totalBytes: src.bytes });
    rejects?.close();
    warningsOut?.close();
    const rejectsFile = rejects && rejects.bytes > 0 ? rejects.path : null;
    let mappingSkeleton: string | null = null;
    if (opts.dryRun && opts.skeleton !== false && (unmapped.size || unknownOwners.size || unverifiedPhones || ambiguousDates) && !opts.mapping) {
      mappingSkeleton = writeSkeleton(src.name === '-' ? join(opts.dataDir, 'imports', `mapping-${src.hash.slice(0, 12)}.json`) : skeletonBeside(src.name), {
        columns: Object.fromEntries(mapping!.columns.filter((c) => c.by !== 'ignored').map((c) => [c.header, describeTarget(c.target)])),
        values: [...unmapped.values()].reduce<Record<string, Record<string, string>>>((acc, u) => (((acc[u.column] ??= {})[u.value] = ''), acc), {}),
        owners: Object.fromEntries([...unknownOwners.values()].map((o) => [o.value, ''])),
        ...(ambiguousDates ? { dateFormat: '' } : dateOrder ? { dateFormat: dateOrder } : {}),
        ...(unverifiedPhones ? { region: '' } : region ? { region } : {}),
      }, join(opts.dataDir, 'imports', `mapping-${src.hash.slice(0, 12)}.json`));
    }
    return {
      ...baseSummary,
      importId: record?.id ?? null,
      status: opts.dryRun ? 'dry-run' : stopped ? 'stopped' : 'done',
      resumedFromLine: resume ? resume.lastLine : null,
      delimiter,
      decimalComma,
      mapping: mapping!.columns.map((c) => ({ column: c.header, field: describeTarget(c.target, wording), by: c.by })),
      unknownAsCustom: mapping!.unknownAsCustom,
      ignored: mapping!.ignored.map((i) => ({ column: i.header, why: wording(i.why) })),
      counts,
      rejectsFile,
      firstRejects,
      seconds: (Date.now() - started) / 1000,
      parsedIn: opts.workerFile ? 'worker' : 'main',
      suppressedAs,
      warnings: { count: warningCount, first: firstWarnings, file: warningsOut?.path ?? null },
      unmapped: [...unmapped.values()].sort((a, b) => b.rows - a.rows),
      unknownOwners: [...unknownOwners.values()].sort((a, b) => b.rows - a.rows),
      created: { sources: createdSources, tags: createdTags },
      mappingSkeleton,
      changedOptions: [],
    };
  } finally {
    releaseLock?.();
    src.cleanup();
  }
}

/** The options that change what an import does (encoding and delimiter are the file's). */
const OPTION_DEFAULTS: Record<string, unknown> = {
  map: [], onDuplicate: 'skip', source: null, stage: null, assign: null, tags: [], ignoreUnknown: false, strict: false, mapValues: [], mappingContent: null,
  dateFormat: null, region: null,
};
const OPTION_NAMES = Object.keys(OPTION_DEFAULTS);

function pickCounts(r: ImportCounts): ImportCounts {
  return { rows: r.rows, imported: r.imported, junk: r.junk, reengaged: r.reengaged, updated: r.updated, merged: r.merged, skipped: r.skipped, rejected: r.rejected, suppressed: r.suppressed ?? 0 };
}

/**
 * An import as `crm import list|show` tell it: a record left `running` is `running` while its
 * process holds the import's lock (pid given), and `interrupted` once no live process does (killed,
 * crashed, machine restarted): running the same import again finishes it.
 */
export type ImportView = Omit<ImportRecord, 'status'> & { status: ImportRecord['status'] | 'interrupted'; pid: number | null };

function viewOf(rec: ImportRecord, store: Store): ImportView {
  if (rec.status !== 'running') return { ...rec, pid: null };
  const holder = importHolder(store.files, rec.contentHash);
  return holder ? { ...rec, pid: holder.pid } : { ...rec, status: 'interrupted', pid: null };
}

export async function listImports(ctx: Pick<ServiceContext, 'store' | 'actor'>, limit = 50): Promise<ImportView[]> {
  assertRole(ctx.actor, ['admin', 'manager'], 'see imports');
  return (await ctx.store.imports.list(limit)).map((r) => viewOf(r, ctx.store));
}

export async function showImport(ctx: Pick<ServiceContext, 'store' | 'actor'>, id: number): Promise<ImportView> {
  assertRole(ctx.actor, ['admin', 'manager'], 'see imports');
  const rec = await ctx.store.imports.get(id);
  if (!rec) throw new NotFoundError(`no import with id ${id}`, { id: 'import.list' });
  return viewOf(rec, ctx.store);
}

/**
 * The reject file of an import and the options it ran with: fixed by hand, it is imported again
 * with the same mapping (its crm_reject_line and crm_reject_reason columns are ignored).
 */
export async function rejectsOf(ctx: Pick<ServiceContext, 'store' | 'actor'>, id: number): Promise<{ file: string; options: Record<string, unknown> }> {
  assertRole(ctx.actor, ['admin', 'manager'], 'import leads in bulk');
  const rec = await ctx.store.imports.get(id);
  if (!rec) throw new NotFoundError(`no import with id ${id}`, { id: 'import.list' });
  if (!rec.rejectsFile || !existsSync(rec.rejectsFile)) throw new NotFoundError(`import ${id} has no reject file${rec.rejectsFile ? ` (${rec.rejectsFile} is gone)` : ''}`, { id: 'import.list' });
  return { file: rec.rejectsFile, options: rec.options };
}
