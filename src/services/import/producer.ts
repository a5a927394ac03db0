import * as errorClasses from '../../errors.js';
import { UsageError } from '../../errors.js';
import { CsvParser, detectDelimiter, type CsvRecord, type DetectedEncoding } from '../../io/csv.js';
import type { Source, Stage } from '../../domain/pipeline.js';
import type { User } from '../../domain/users.js';
import { UsageError as PhoneError } from '../../errors.js';
import { buildMapping, type ImportField, type MappingResult, type Target } from './mapping.js';
import { dateEvidence, type DateOrder, type ValueMap } from './values.js';
import { RowError, validateRow, type RowContext, type ValidRow } from './rows.js';
import { decodedChunks } from './source.js';
import { SUPPRESSED_REASON } from '../../domain/suppression.js';

/**
 * The producing half of an import: read, decode, parse and validate the file into batches of
 * rows; the service checks duplicates and writes each batch. Its input is plain data, so it can
 * run in a worker thread (produceRowsThreaded, what `crm lead import` does). On two idle cores,
 * 1M new leads: 28.9k rows/s instead of 25.0k, for ~35 % more CPU in all (the rows are copied
 * between threads); 1M duplicates: 46k instead of 51k rows/s (the writes no longer dominate).
 */
export interface ProducerInput {
  path: string;
  display: string;
  enc: DetectedEncoding;
  forcedDelimiter?: string;
  decimal: string;
  overrides: [string, Target][];
  ignoreUnknown: boolean;
  /** Rows on lines up to this one were applied by an earlier run: counted, not validated again. */
  skipThrough: number;
  batchRows: number;
  region?: string;
  stages: Stage[];
  sources: Source[];
  users: User[];
  actor: User;
  settings: RowContext['settings'];
  defaults: RowContext['defaults'];
  now: string;
  strict?: boolean;
  valueMap?: ValueMap;
  owners?: Record<string, string>;
  dateOrder?: DateOrder;
  /** What the scan found each date column's values settle (by column index). */
  columnOrders?: Record<number, DateOrder | 'mixed'>;
  /** The suppression list's hashes, loaded once by the importer (absent when it is empty), and privacy.suppressed. */
  suppressed?: { hashes: string[]; refuse: boolean };
}

export interface RejectRow {
  line: number;
  reason: string;
  /** The reason with its inputs and remedies as data, worded by the importer's reader. */
  words?: errorClasses.Words;
  cells: string[];
  /** Refused because its email or phone belongs to an erased person. */
  suppressed?: true;
}

export type ProducerEvent =
  | { type: 'header'; header: string[]; mapping: MappingResult; delimiter: string; decimalComma: boolean }
  | { type: 'batch'; rows: ValidRow[]; rejects: RejectRow[]; lastLine: number; dataRows: number; bytes: number };

export async function* produceRows(input: ProducerInput): AsyncGenerator<ProducerEvent> {
  const { parsePhoneNumberWithError } = await import('../../vendor/phone.js');
  const phone = (raw: string, region: string | undefined): string => {
    const parsed = parsePhoneNumberWithError(raw, region ? { defaultCountry: region as never } : undefined);
    if (!parsed.isValid()) throw new PhoneError(`invalid phone '${raw}': not a valid number for ${parsed.country ?? 'its country code'}`);
    return parsed.ext ? `${parsed.number} ext. ${parsed.ext}` : parsed.number;
  };
  // One number is often written the same way on many rows (a switchboard, a shared mobile).
  const phoneCache = new Map<string, string | Error>();
  const cachedPhone = (raw: string, region: string | undefined) => {
    const key = `${region ?? ''}|${raw}`;
    let v = phoneCache.get(key);
    if (v === undefined) {
      try {
        v = phone(raw, region);
      } catch (err) {
        v = err instanceof Error && !(err instanceof PhoneError) ? new PhoneError(`invalid phone '${raw}': ${err.message.toLowerCase().replace(/_/g, ' ')}`) : (err as Error);
      }
      if (phoneCache.size >= 50_000) phoneCache.clear();
      phoneCache.set(key, v);
    }
    if (v instanceof Error) throw v;
    return v;
  };
  const overrides = new Map(input.overrides);
  let parser: CsvParser | undefined;
  let delimiter = input.forcedDelimiter ?? ',';
  let decimalComma = false;
  let rc: RowContext | undefined;
  let dataRows = 0;
  let bytes = 0;
  let rows: ValidRow[] = [];
  let rejects: RejectRow[] = [];
  let lastLine = input.skipThrough;
  const records: CsvRecord[] = [];

  function* handle(list: CsvRecord[]): Generator<ProducerEvent> {
    for (const r of list) {
      if (!rc) {
        const mapping = buildMapping(r.cells, overrides, { ignoreUnknown: input.ignoreUnknown, source: input.display, delimiter });
        rc = {
          columns: mapping.columns, headerLength: r.cells.length,
          stages: new Map(input.stages.map((s) => [s.name.toLowerCase(), s])),
          sources: new Map(input.sources.map((s) => [s.name.toLowerCase(), s])),
          users: input.users, actor: input.actor, settings: input.settings, phone: cachedPhone, region: input.region, decimalComma,
          strict: input.strict, valueMap: input.valueMap, owners: input.owners, dateOrder: input.dateOrder, columnOrders: input.columnOrders,
          encodingGuessed: input.enc.detected && input.enc.encoding === 'utf8', defaults: input.defaults, now: input.now,
          ...(input.suppressed?.hashes.length ? { suppressed: { hashes: new Set(input.suppressed.hashes), refuse: input.suppressed.refuse } } : {}),
        };
        yield { type: 'header', header: r.cells, mapping, delimiter, decimalComma };
        continue;
      }
      // Spreadsheets save blank rows as a line of delimiters: not a row.
      if (r.cells.every((c) => c.trim() === '')) continue;
      dataRows++;
      if (r.line <= input.skipThrough) continue;
      try {
        rows.push(validateRow(rc, r.cells, r.line));
      } catch (err) {
        if (!(err instanceof RowError)) throw err;
        rejects.push({ line: r.line, reason: `line ${r.line}: ${err.message}`, ...(err.words ? { words: [`line ${r.line}: `, ...err.words] } : {}), cells: r.cells, ...(err.message === SUPPRESSED_REASON ? { suppressed: true as const } : {}) });
      }
      lastLine = r.line;
      if (rows.length + rejects.length >= input.batchRows) {
        yield { type: 'batch', rows, rejects, lastLine, dataRows, bytes };
        rows = [];
        rejects = [];
      }
    }
    list.length = 0;
  }

  for await (const text of decodedChunks(input.path, input.enc, (n) => (bytes += n))) {
    if (!parser) {
      if (!input.forcedDelimiter) delimiter = detectDelimiter(text.slice(0, 64 * 1024));
      decimalComma = input.decimal === 'comma' || (input.decimal === 'auto' && delimiter === ';');
      parser = new CsvParser(delimiter, undefined, input.display);
    }
    parser.push(text, records);
    yield* handle(records);
  }
  if (parser) {
    parser.end(records);
    yield* handle(records);
  }
  yield { type: 'batch', rows, rejects, lastLine, dataRows, bytes };
}

/**
 * A first, parse-only pass over the whole file, before anything is written: an unclosed quote
 * or a runaway record on line 900,000 is reported while the store is still untouched, and an
 * empty or header-only file too. About 1 s per million rows here.
 */
export async function scanFile(
  input: Pick<ProducerInput, 'path' | 'display' | 'enc' | 'forcedDelimiter'> & { dateColumns?: (header: string[]) => number[] },
): Promise<{ header: string[] | undefined; rows: number; columnOrders: Record<number, DateOrder | 'mixed'> }> {
  let parser: CsvParser | undefined;
  let header: string[] | undefined;
  let rows = 0;
  let dateCols: number[] = [];
  // Per date column: which orders its values settle (a day above 12 in the first or second place).
  const seen: Record<number, Set<DateOrder>> = {};
  const records: CsvRecord[] = [];
  const count = () => {
    for (const r of records) {
      if (!header) {
        header = r.cells;
        dateCols = input.dateColumns?.(header) ?? [];
      } else if (!r.cells.every((c) => c.trim() === '')) {
        rows++;
        for (const k of dateCols) {
          const cell = r.cells[k];
          if (!cell) continue;
          const e = dateEvidence(cell);
          if (e && e !== 'ymd') (seen[k] ??= new Set()).add(e);
        }
      }
    }
    records.length = 0;
  };
  for await (const text of decodedChunks(input.path, input.enc, () => {})) {
    parser ??= new CsvParser(input.forcedDelimiter ?? detectDelimiter(text.slice(0, 64 * 1024)), undefined, input.display);
    parser.push(text, records);
    count();
  }
  parser?.end(records);
  count();
  const columnOrders: Record<number, DateOrder | 'mixed'> = {};
  for (const [k, set] of Object.entries(seen)) columnOrders[Number(k)] = set.size > 1 ? 'mixed' : [...set][0]!;
  return { header, rows, columnOrders };
}

/** The columns of a header that hold dates, by the same mapping the import uses. */
export function dateColumnsOf(header: string[], overrides: Map<string, Target>, ignoreUnknown: boolean): number[] {
  try {
    const m = buildMapping(header, overrides, { ignoreUnknown, source: '', delimiter: ',' });
    const dates: ImportField[] = ['createdAt', 'expectedClose', 'birthday'];
    return m.columns.filter((c) => 'field' in c.target && dates.includes(c.target.field)).map((c) => c.index);
  } catch {
    return [];
  }
}

/**
 * produceRows in a worker thread when the built worker is there (dist/import-worker.cjs beside
 * the bundle); in-thread otherwise (tests running the sources). The events are the same.
 */
export async function* produceRowsThreaded(input: ProducerInput, workerFile: string | undefined): AsyncGenerator<ProducerEvent> {
  if (!workerFile) {
    yield* produceRows(input);
    return;
  }
  const { Worker } = await import('node:worker_threads');
  // A small young generation: with V8's default the worker's heap alone took peak RSS from ~260 to
  // ~325 MB on 500k rows; at 8 MB it stays ~255 MB for about the same speed. The old generation
  // only caps a runaway (a batch of huge cells), reported below.
  const worker = new Worker(workerFile, { workerData: input, resourceLimits: { maxYoungGenerationSizeMb: 8, maxOldGenerationSizeMb: 512 } });
  const queue: ({ type: 'event'; ev: ProducerEvent } | { type: 'json'; json: string } | { type: 'end' } | { type: 'error'; error: { name: string; message: string; hint?: string; stack?: string } })[] = [];
  let wake: (() => void) | undefined;
  let failure: Error | undefined;
  worker.on('message', (m) => {
    queue.push(m);
    wake?.();
  });
  worker.on('error', (err) => {
    failure = (err as NodeJS.ErrnoException).code === 'ERR_WORKER_OUT_OF_MEMORY'
      ? new UsageError(`${input.display}: the rows of one batch do not fit in the parser's memory (very large cells?)`, { id: 'import.smaller-batch' })
      : err;
    wake?.();
  });
  worker.on('exit', () => wake?.());
  try {
    for (;;) {
      while (!queue.length && !failure) await new Promise<void>((resolve) => (wake = resolve));
      wake = undefined;
      if (failure) throw failure;
      const m = queue.shift()!;
      if (m.type === 'end') return;
      if (m.type === 'error') throw rebuildError(m.error);
      worker.postMessage('ack');
      yield m.type === 'json' ? (JSON.parse(m.json) as ProducerEvent) : m.ev;
    }
  } finally {
    await worker.terminate();
  }
}

/** An error thrown in the worker, as the class it was (exit codes are chosen by class). */
function rebuildError(e: { name: string; message: string; hint?: string; fix?: errorClasses.Fix; words?: errorClasses.Words; stack?: string }): Error {
  const Ctor = (errorClasses as unknown as Record<string, new (message: string | errorClasses.Words, hint?: string | errorClasses.Fix) => Error>)[e.name];
  const err = Ctor && e.name.endsWith('Error') ? new Ctor(e.words ?? e.message, e.hint) : new Error(e.message);
  if (e.fix) Object.assign(err, { fix: e.fix });
  if (e.stack) err.stack = e.stack;
  return err;
}
