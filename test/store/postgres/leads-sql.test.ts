// PostgreSQL backend specifics; not part of the contract. How this backend compiles a segment
// filter and a search, and that it orders and matches text as the SQLite backend does (SQLite's
// NOCASE and LIKE fold ASCII letters only; expressions sort BINARY). The store tests run only
// when the suite runs on PostgreSQL (CRM_TEST_STORE=postgres).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compileFilter, where } from '../../../src/store/postgres/leads.js';
import { TEST_BACKEND, testTeam, type TestTeam } from '../../helpers/store.js';
import { insertLead } from '../contract/builders.js';

describe('postgres: compiled filter and search SQL', () => {
  it('values are parameters, never SQL text (injection attempts stay values)', () => {
    const params: unknown[] = [];
    const evil = "x') OR 1=1; DROP TABLE leads; --";
    const sql = compileFilter({ kind: 'or', left: { kind: 'cmp', field: 'tag', op: '=', value: evil }, right: { kind: 'in', field: 'status', not: true, values: ['active', evil] } }, params);
    expect(sql).not.toContain('DROP');
    expect(sql).not.toContain('1=1');
    expect(params).toEqual([evil, 'active', evil]);
    expect(sql.match(/\?/g)).toHaveLength(3);
  });

  it('!= and not in keep rows where the column is empty; tags compare case-insensitively', () => {
    const params: unknown[] = [];
    expect(compileFilter({ kind: 'cmp', field: 'source', op: '!=', value: 1 }, params)).toBe('(l.source_id IS NULL OR l.source_id NOT IN (?))');
    expect(compileFilter({ kind: 'cmp', field: 'score', op: '>=', value: 60 }, params)).toBe('l.score >= ?');
    expect(compileFilter({ kind: 'cmp', field: 'assigned', op: '!=', value: 3 }, params)).toMatch(/^NOT EXISTS \(SELECT 1 FROM lead_assignees/);
    expect(compileFilter({ kind: 'in', field: 'tag', not: false, values: ['a', 'b'] }, params)).toMatch(/t\.name COLLATE NOCASE IN \(\?, \?\)\)$/);
  });

  it('an empty list means what SQLite\'s empty IN () means (PostgreSQL refuses the syntax)', () => {
    const params: unknown[] = [];
    expect(compileFilter({ kind: 'in', field: 'status', not: false, values: [] }, params)).toBe('FALSE');
    expect(compileFilter({ kind: 'in', field: 'tag', not: true, values: [] }, params)).toBe('TRUE');
    expect(params).toEqual([]);
  });

  it('a search escapes % _ and \\ and matches with ILIKE under "C" (LIKE cannot run on a nondeterministic collation)', () => {
    const w = where({ search: '100%_o\\' });
    expect(w.params).toEqual(['%100\\%\\_o\\\\%', '%100\\%\\_o\\\\%', '%100\\%\\_o\\\\%', '%100\\%\\_o\\\\%']);
    expect(w.sql).not.toMatch(/[^I]LIKE/);
    expect(w.sql.match(/COLLATE "C" ILIKE \? ESCAPE/g)).toHaveLength(4);
  });
});

describe.skipIf(TEST_BACKEND !== 'postgres')('postgres: text order and matching as on SQLite', () => {
  let t: TestTeam;
  const names = ['zebra', 'Émile', 'emma', '_under', 'Bob', 'bob', 'ab', 'a b', 'a-b', '{curly}', '9 lives', 'ångström', 'Zed', 'x%y', 'x_y'];
  const ids = new Map<string, number>();
  beforeAll(async () => {
    t = await testTeam();
    for (const name of names) ids.set(name, await insertLead(t.store, { name, tags: name === 'Bob' ? ['Ñu', 'b2B', 'A1', 'a2', '_z', 'É'] : [] }));
  });
  afterAll(() => t.close());

  /** SQLite's NOCASE: ASCII letters folded, then code point order; ties by id. */
  const nocase = (s: string) => s.replace(/[A-Z]/g, (c) => c.toLowerCase());
  const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

  it('list by name: ASCII case folded, then code points (not linguistic order), ties by id', async () => {
    const expected = [...names].sort((a, b) => cmp(nocase(a), nocase(b)) || ids.get(a)! - ids.get(b)!);
    expect((await t.store.leads.list({ sort: { key: 'name', desc: false } })).map((l) => l.name)).toEqual(expected);
    expect(expected.indexOf('Émile')).toBeGreaterThan(expected.indexOf('zebra'));
    const desc = [...names].sort((a, b) => cmp(nocase(b), nocase(a)) || ids.get(b)! - ids.get(a)!);
    expect((await t.store.leads.list({ sort: { key: 'name', desc: true } })).map((l) => l.name)).toEqual(desc);
  });

  it('a lead\'s tags in the same order through get and fields', async () => {
    const expected = ['Ñu', 'b2B', 'A1', 'a2', '_z', 'É'].sort((a, b) => cmp(nocase(a), nocase(b)));
    expect((await t.store.leads.get(ids.get('Bob')!))!.tags).toEqual(expected);
    expect((await t.store.leads.fields(ids.get('Bob')!))!.tags).toEqual(expected);
  });

  it('search folds ASCII case only and takes % and _ literally', async () => {
    const found = async (search: string) => (await t.store.leads.list({ search, sort: { key: 'id', desc: false } })).map((l) => l.name);
    expect(await found('BOB')).toEqual(['Bob', 'bob']);
    expect(await found('x_')).toEqual(['x_y']);
    expect(await found('%')).toEqual(['x%y']);
    expect(await found('émile')).toEqual([]);
    expect(await found('Émile')).toEqual(['Émile']);
  });
});
