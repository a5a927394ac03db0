/**
 * Property-based tests of every parser of user input (issue 18): whatever a person, a script,
 * a CSV file or a web form sends, the answer is a result or a typed usage/not-found error
 * (exit 2 or 3), never an internal error (exit 1); valid input round-trips where that means
 * something. The filter languages run against a real store, so "parses" includes "compiles
 * and runs". CI runs a short pass; a longer one by hand:
 *
 *   CRM_FUZZ_RUNS=100000 npx vitest run test/fuzz
 *
 * CRM_FUZZ_SEED=<n> replays a run (fast-check prints the seed and the shrunk case on failure).
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CrmError } from '../../src/errors.js';
import { CsvParser, csvRaw, detectDelimiter, unneutralize, csvCell, type CsvRecord } from '../../src/io/csv.js';
import { minorToDecimal } from '../../src/io/format.js';
import { parseRuleWhere } from '../../src/services/followups/rules.js';
import { parseWhere } from '../../src/services/followups/where.js';
import { mapSubmission, parseFieldMap, parseRate } from '../../src/services/intake/forms.js';
import { MAX_LIST_ROWS, parseBirthday, parseCount, parseDate, parseId, parseMoney, parseScore, phoneNormalizer, checkName, normalizeEmail, normalizeCurrency } from '../../src/services/leads/normalize.js';
import { buildLeadQuery } from '../../src/services/leads/service.js';
import { FILTER_FIELDS, parseFilter, type FilterAst } from '../../src/services/segments/filter.js';
import { formatDuration, MAX_DURATION_DAYS, parseDuration, parseTime, parseWindow, resolveTimeZone } from '../../src/services/time/parse.js';
import { addLeadAs, testTeam, type TestTeam } from '../helpers/store.js';

/** Cases per property: a short run in CI (the whole file well under 20 s on a shared core). */
const RUNS = Number(process.env.CRM_FUZZ_RUNS) || 0;
const runs = (ci: number) => ({ numRuns: RUNS || ci, ...(process.env.CRM_FUZZ_SEED ? { seed: Number(process.env.CRM_FUZZ_SEED) } : {}) });
/** The long run takes its time; the short one keeps vitest's default. */
const TIMEOUT = RUNS ? 24 * 3600_000 : 30_000;

/** What every parser may throw: a typed error that the CLI maps to exit 2 or 3. */
function expectTyped(err: unknown): void {
  if (!(err instanceof CrmError) || (err.exitCode !== 2 && err.exitCode !== 3)) throw err;
  expect(err.message.length).toBeGreaterThan(0);
}
function settles<T>(fn: () => T): T | undefined {
  try {
    return fn();
  } catch (err) {
    expectTyped(err);
    return undefined;
  }
}
async function settlesAsync<T>(fn: () => Promise<T>): Promise<T | undefined> {
  try {
    return await fn();
  } catch (err) {
    expectTyped(err);
    return undefined;
  }
}

// Text that breaks parsers: control characters, quotes, operators, unicode, huge numbers.
const nasty = fc.oneof(
  fc.constantFrom('', ' ', '\n', '\r\n', '\t', '\u0000', '\u001b[31m', '\u2028', '"', "'", '(', ')', ',', '=', '!=', '<>', '>=', '-', '.', '+', 'e', 'NaN', 'Infinity', '__proto__', 'constructor', 'toString', '99999999999999999999', '1e308', '-1', '0', '9'.repeat(400), '😀', 'é', '\uFFFF', '\uD800'),
  fc.string({ unit: 'binary', maxLength: 30 }),
  fc.bigInt({ min: -(10n ** 30n), max: 10n ** 30n }).map(String),
  fc.double().map(String),
);
const text = fc.array(nasty, { maxLength: 8 }).map((parts) => parts.join(''));

describe('fuzz: user-input parsers never fail with an internal error', () => {
  let team: TestTeam;
  beforeAll(async () => {
    team = await testTeam();
    await addLeadAs(team, team.admin, { name: 'Ana Sousa', emails: ['ana@sousa.example'], score: '40', tags: ['vip'], source: 'Website', value: '1200' });
  });
  afterAll(() => team.close());

  describe('the filter language (segments, lead list --where)', () => {
    const word = fc.oneof(fc.constantFrom(...FILTER_FIELDS, 'and', 'or', 'not', 'in', 'New', 'Lost', 'Website', 'Google Ads', 'vip', 'active', 'lead', 'admin@acme.example', '2026-11-01', '0000-01-01', '60'), nasty);
    const token = fc.oneof(word, fc.constantFrom('(', ')', ',', '=', '!=', '<', '<=', '>', '>=', '"', "'", ' '));
    const soup = fc.array(token, { maxLength: 40 }).map((t) => t.join(' '));
    const deep = fc.tuple(fc.integer({ min: 0, max: 3000 }), fc.integer({ min: 0, max: 3000 })).map(([o, c]) => `${'('.repeat(o)}score=1${')'.repeat(c)}`);
    const wide = fc.tuple(fc.integer({ min: 1, max: 1500 }), fc.constantFrom(' or ', ' and ')).map(([n, j]) => Array.from({ length: n }, (_, i) => `score=${i % 101}`).join(j));
    const where = fc.oneof(soup, text, deep, wide);

    it('parses, compiles and runs, or refuses with exit 2/3', async () => {
      const ctx = team.as(team.admin);
      await fc.assert(
        fc.asyncProperty(where, async (w) => {
          const q = await settlesAsync(() => buildLeadQuery(ctx, { where: w }));
          if (q) expect(await team.store.leads.count(q)).toBeGreaterThanOrEqual(0);
        }),
        runs(300),
      );
    }, TIMEOUT);

    // A generated tree, printed and parsed again, gives the same tree.
    const value = fc.oneof(fc.constantFrom('Website', 'Google Ads', 'New', 'vip', '60', '2026-11-01'), fc.stringMatching(/^[A-Za-z0-9@.-]{1,12}$/).filter((s) => !/^(and|or|not|in)$/i.test(s)));
    const leaf = fc.oneof(
      fc.record({ kind: fc.constant('cmp' as const), field: fc.constantFrom(...FILTER_FIELDS), op: fc.constant('=' as const), value }),
      fc.record({ kind: fc.constant('in' as const), field: fc.constantFrom('stage', 'source', 'tag', 'status'), not: fc.boolean(), values: fc.array(value, { minLength: 1, maxLength: 4 }) }),
    );
    type Tree = { kind: 'cmp'; field: string; op: '='; value: string } | { kind: 'in'; field: string; not: boolean; values: string[] } | { kind: 'and' | 'or'; left: Tree; right: Tree };
    const tree: fc.Arbitrary<Tree> = fc.letrec<{ t: Tree }>((tie) => ({
      t: fc.oneof({ depthSize: 'small', withCrossShrink: true }, leaf, fc.record({ kind: fc.constantFrom('and' as const, 'or' as const), left: tie('t'), right: tie('t') })),
    })).t;
    const q = (v: string) => `"${v}"`;
    const print = (t: Tree): string =>
      t.kind === 'cmp' ? `${t.field} ${t.op} ${q(t.value)}` : t.kind === 'in' ? `${t.field} ${t.not ? 'not in' : 'in'} (${t.values.map(q).join(', ')})` : `(${print(t.left)}) ${t.kind} (${print(t.right)})`;
    const strip = (a: FilterAst): Tree =>
      'left' in a ? { kind: a.kind, left: strip(a.left), right: strip(a.right) } : a.kind === 'cmp' ? { kind: 'cmp', field: a.field, op: a.op as '=', value: a.value.text } : { kind: 'in', field: a.field, not: a.not, values: a.values.map((v) => v.text) };
    const size = (t: Tree): [number, number] => ('left' in t ? [size(t.left)[0] + size(t.right)[0], 1 + Math.max(size(t.left)[1], size(t.right)[1])] : [1, 0]);

    it('valid filters round-trip: printed and parsed again, the same tree', () => {
      fc.assert(
        fc.property(tree.filter((t) => size(t)[0] <= 100 && size(t)[1] <= 20), (t) => {
          expect(strip(parseFilter(print(t)))).toEqual(t);
        }),
        runs(500),
      );
    }, TIMEOUT);
  });

  describe('follow-up rule --where', () => {
    const cond = fc.tuple(fc.constantFrom('stage', 'source', 'tag', 'score', 'no-activity', 'nope', ''), fc.constantFrom('=', '!=', '<', '<=', '>', '>=', '', '=='), fc.oneof(fc.constantFrom('Qualified', '"Proposal Sent"', '14d', '0d', '99999999999d', '101', '50', 'vip', "'x", '"'), nasty));
    const rule = fc.oneof(
      fc.array(cond, { maxLength: 8 }).chain((cs) => fc.constantFrom(' and ', ' or ', ' ', 'and').map((j) => cs.map(([f, o, v]) => `${f}${o}${v}`).join(j))),
      text,
      fc.integer({ min: 1, max: 400 }).map((n) => Array.from({ length: n }, () => 'score>=1').join(' and ')),
    );
    it('parses and is checked against the store, or refuses with exit 2/3', async () => {
      await fc.assert(
        fc.asyncProperty(rule, async (w) => {
          settles(() => parseWhere(w, 'stage=Qualified'));
          const conds = await settlesAsync(() => parseRuleWhere(team.store, w));
          if (conds) expect(await team.store.followUpRules.matchingLeads(conds, '2026-11-23T09:00:00.000Z')).toBeInstanceOf(Array);
        }),
        runs(400),
      );
    }, TIMEOUT);
  });

  describe('the CSV reader', () => {
    const csvText = fc.array(fc.oneof(fc.constantFrom(',', ';', '\t', '|', '"', '""', '\n', '\r', '\r\n', 'a', ' ', '=1+1', "'", '\u0000', 'é'), fc.string({ maxLength: 6 })), { maxLength: 60 }).map((p) => p.join(''));
    const delimiter = fc.constantFrom(',', ';', '\t', '|');

    it('reads any text (in any chunking) the same as in one piece, or refuses with exit 2', () => {
      fc.assert(
        fc.property(csvText, delimiter, fc.array(fc.nat({ max: 80 }), { maxLength: 6 }), (t, d, cuts) => {
          const whole: CsvRecord[] = [];
          const okWhole = settles(() => {
            const p = new CsvParser(d, 1000);
            p.push(t, whole);
            p.end(whole);
            return true;
          });
          const chunked: CsvRecord[] = [];
          const okChunked = settles(() => {
            const p = new CsvParser(d, 1000);
            let at = 0;
            for (const c of [...cuts].sort((a, b) => a - b)) {
              p.push(t.slice(at, Math.max(at, c)), chunked);
              at = Math.max(at, c);
            }
            p.push(t.slice(at), chunked);
            p.end(chunked);
            return true;
          });
          expect(okChunked).toBe(okWhole);
          if (okWhole) expect(chunked).toEqual(whole);
          settles(() => detectDelimiter(t));
        }),
        runs(1500),
      );
    }, TIMEOUT);

    it('written rows read back cell for cell (csvRaw, and csvCell + unneutralize)', () => {
      const cell = fc.string({ unit: fc.constantFrom('a', 'b', ',', ';', '"', '\n', '\r', ' ', '=', '+', '-', '@', "'", '\t', 'é', '😀'), maxLength: 8 });
      const rows = fc.array(fc.array(cell, { minLength: 2, maxLength: 5 }), { minLength: 1, maxLength: 5 });
      fc.assert(
        fc.property(rows, delimiter, (rs, d) => {
          for (const write of [csvRaw, csvCell]) {
            const out: CsvRecord[] = [];
            const p = new CsvParser(d);
            p.push(rs.map((r) => r.map((c) => write(c, d)).join(d)).join('\r\n'), out);
            p.end(out);
            const back = out.map((r) => (write === csvCell ? r.cells.map(unneutralize) : r.cells));
            expect(back).toEqual(rs);
          }
        }),
        runs(1000),
      );
    }, TIMEOUT);
  });

  describe('intake: the field mapping and the rate', () => {
    const key = fc.oneof(fc.constantFrom('name', 'Your-Email', 'tel', 'first_name', 'last-name', 'company', 'message', 'token', 'hp', 'subject', 'address', 'comments'), nasty);
    const entry = fc.tuple(key, fc.oneof(fc.constantFrom('name', 'email', 'phone', 'custom:x', 'custom:', 'ignore', 'nope', '', 'first-name'), nasty)).map(([k, v]) => `${k}=${v}`);
    it('--fields parses or refuses with exit 2; a submission maps to a lead without throwing', () => {
      fc.assert(
        fc.property(fc.array(fc.oneof(entry, nasty), { maxLength: 6 }), fc.array(fc.tuple(key, fc.oneof(nasty, fc.array(nasty, { maxLength: 3 }))), { maxLength: 10 }), (entries, data) => {
          const fields = settles(() => parseFieldMap(entries.join(','))) ?? {};
          const submitted: Record<string, string | string[]> = {};
          for (const [k, v] of data) Object.defineProperty(submitted, k, { value: v, enumerable: true, configurable: true, writable: true });
          const m = mapSubmission({ fields, honeypot: 'hp' }, submitted);
          expect(Array.isArray(m.lead.emails) && Array.isArray(m.lead.phones)).toBe(true);
          if (m.lead.name !== undefined) expect(typeof m.lead.name).toBe('string');
        }),
        runs(1500),
      );
    }, TIMEOUT);

    it('--rate parses or refuses with exit 2; valid rates round-trip', () => {
      fc.assert(
        fc.property(text, (r) => {
          settles(() => parseRate(r));
        }),
        runs(1000),
      );
      fc.assert(
        fc.property(fc.integer({ min: 1, max: 100_000 }), fc.constantFrom(['s', 1], ['min', 60], ['hour', 3600], ['day', 86400]), (n, [u, s]) => {
          expect(parseRate(`${n}/${u}`)).toEqual({ count: n, seconds: s });
        }),
        runs(300),
      );
    }, TIMEOUT);
  });

  describe('dates, times and durations', () => {
    const zones = fc.constantFrom('UTC', 'Europe/Lisbon', 'Asia/Kolkata', 'America/New_York', 'Pacific/Kiritimati', 'Pacific/Pago_Pago');
    const phrase = fc.oneof(
      fc.constantFrom('now', 'tomorrow 10am', 'in 2h', 'next monday 9:30', 'friday 3pm', '10:30', 'yesterday', 'in 99999999 days', '99999999 days ago', '99999999999h ago', '275760-09-13', '0000-01-01', '9999-12-31 23:59', '2026-02-29', '2026-11-25T15:00:00+14:00', 'last year', 'in 9999 years', '1 day later', 'from now'),
      fc.tuple(fc.integer({ min: -300000, max: 300000 }), fc.integer({ min: 0, max: 99 }), fc.integer({ min: 0, max: 99 })).map(([y, m, d]) => `${y}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`),
      fc.tuple(fc.oneof(fc.nat(), fc.bigInt({ min: 0n, max: 10n ** 25n })), fc.constantFrom('d', 'h', 'm', 'w', 's', ' days', ' hours', ' weeks')).chain(([n, u]) => fc.constantFrom(`in ${n}${u}`, `${n}${u} ago`, `${n}${u} later`)),
      text,
    );
    it('parseTime gives a time in the years 1900-9999 or refuses with exit 2', async () => {
      await fc.assert(
        fc.asyncProperty(phrase, zones, fc.boolean(), async (p, tz, forward) => {
          const t = await settlesAsync(() => parseTime(p, 'at', { now: new Date('2026-11-23T09:00:00.000Z'), timeZone: tz, forward }));
          if (t) {
            expect(Number.isNaN(t.getTime())).toBe(false);
            expect(t.toISOString()).toMatch(/^\d{4}-/);
          }
        }),
        runs(400),
      );
    }, TIMEOUT);

    it('ISO times round-trip through parseTime', async () => {
      await fc.assert(
        fc.asyncProperty(fc.date({ min: new Date('1900-01-02T00:00:00Z'), max: new Date('9999-12-30T00:00:00Z'), noInvalidDate: true }), zones, async (d, tz) => {
          const iso = d.toISOString().replace(/\.\d{3}Z$/, 'Z');
          expect((await parseTime(iso, 'at', { now: new Date('2026-11-23T09:00:00.000Z'), timeZone: tz })).toISOString()).toBe(iso.replace('Z', '.000Z'));
        }),
        runs(500),
      );
    }, TIMEOUT);

    it('dates, birthdays and time zones parse or refuse with exit 2; valid dates round-trip', () => {
      fc.assert(
        fc.property(phrase, (p) => {
          settles(() => parseDate(p, 'expected close date'));
          settles(() => parseBirthday(p));
          settles(() => resolveTimeZone(p, undefined));
        }),
        runs(1000),
      );
      fc.assert(
        fc.property(fc.date({ min: new Date('1900-01-01T00:00:00Z'), max: new Date('9999-12-31T00:00:00Z'), noInvalidDate: true }), (d) => {
          const day = d.toISOString().slice(0, 10);
          expect(parseDate(day, 'date')).toBe(day);
        }),
        runs(500),
      );
    }, TIMEOUT);

    const duration = fc.oneof(
      fc.array(fc.tuple(fc.oneof(fc.nat(), fc.bigInt({ min: 0n, max: 10n ** 25n })), fc.constantFrom('w', 'd', 'h', 'm', 's', '', 'D', ' ')), { maxLength: 5 }).map((ps) => ps.map(([n, u]) => `${n}${u}`).join('')),
      text,
    );
    it('durations and windows parse (at most ten years) or refuse with exit 2; valid ones round-trip', () => {
      fc.assert(
        fc.property(duration, fc.boolean(), (d, allowZero) => {
          const s = settles(() => parseDuration(d, 'duration', { allowZero }));
          if (s !== undefined) expect(s).toBeLessThanOrEqual(MAX_DURATION_DAYS * 86_400);
          settles(() => parseWindow(d, 'upcoming'));
        }),
        runs(1500),
      );
      fc.assert(
        fc.property(fc.integer({ min: 1, max: MAX_DURATION_DAYS * 86_400 }), (s) => {
          expect(parseDuration(formatDuration(s), 'duration')).toBe(s);
        }),
        runs(1000),
      );
    }, TIMEOUT);
  });

  describe('money, phones, scores, names, emails, ids and limits', () => {
    const currency = fc.constantFrom('EUR', 'JPY', 'BHD', 'CLF', 'USD', 'INR');
    it('money parses or refuses with exit 2; amounts round-trip', () => {
      fc.assert(
        fc.property(text, currency, (m, c) => {
          const minor = settles(() => parseMoney(m, c));
          if (minor !== undefined) expect(Number.isSafeInteger(minor) && minor >= 0).toBe(true);
          settles(() => normalizeCurrency(m));
        }),
        runs(1500),
      );
      fc.assert(
        fc.property(fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER }), currency, (minor, c) => {
          expect(parseMoney(minorToDecimal(minor, c), c)).toBe(minor);
        }),
        runs(1000),
      );
    }, TIMEOUT);

    it('phones normalise to E.164 (idempotently) or refuse with exit 2', async () => {
      const withRegion = await phoneNormalizer('IN');
      const noRegion = await phoneNormalizer(undefined);
      const phone = fc.oneof(text, fc.tuple(fc.constantFrom('+', '+91', '+351', '00', '0', ''), fc.stringMatching(/^[0-9 ()\-.]{0,20}$/)).map(([a, b]) => a + b));
      fc.assert(
        fc.property(phone, (p) => {
          for (const normalize of [withRegion, noRegion]) {
            const e164 = settles(() => normalize(p));
            if (e164 !== undefined) {
              expect(e164).toMatch(/^\+\d{6,15}$/);
              expect(noRegion(e164)).toBe(e164);
            }
          }
        }),
        runs(1500),
      );
    }, TIMEOUT);

    it('scores, names, emails, ids, --limit and --offset parse or refuse with exit 2', async () => {
      const ctx = team.as(team.admin);
      await fc.assert(
        fc.asyncProperty(text, async (s) => {
          const score = settles(() => parseScore(s));
          if (score !== undefined) expect(Number.isInteger(score) && score >= 0 && score <= 100).toBe(true);
          const name = settles(() => checkName(s, 'name'));
          if (name !== undefined) expect(name).not.toMatch(/[\p{Cc}\u2028\u2029]/u);
          settles(() => normalizeEmail(s));
          const id = settles(() => parseId(s));
          if (id !== undefined) expect(Number.isSafeInteger(id) && id >= 1).toBe(true);
          const n = settles(() => parseCount(s, 'limit', 0));
          if (n !== undefined) expect(Number.isInteger(n) && n >= 0 && n <= MAX_LIST_ROWS).toBe(true);
          const q = await settlesAsync(() => buildLeadQuery(ctx, { limit: s, offset: s }));
          if (q) expect(await team.store.leads.list(q)).toBeInstanceOf(Array);
        }),
        runs(800),
      );
      fc.assert(
        fc.property(fc.integer({ min: 0, max: 100 }), (n) => {
          expect(parseScore(String(n))).toBe(n);
        }),
        runs(101),
      );
    }, TIMEOUT);
  });
});
