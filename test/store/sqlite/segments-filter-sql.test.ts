// SQLite backend specifics; not part of the contract. How this backend compiles a resolved
// segment filter to SQL; what the filter selects is checked for every backend in
// test/store/contract/leads.test.ts.
import { describe, expect, it } from 'vitest';
import { compileFilter } from '../../../src/store/sqlite/leads.js';

describe('filter language: compiled SQL', () => {
  it('values are parameters, never SQL text (injection attempts stay values)', () => {
    const params: unknown[] = [];
    const evil = "x') OR 1=1; DROP TABLE leads; --";
    const sql = compileFilter({ kind: 'or', left: { kind: 'cmp', field: 'tag', op: '=', value: evil }, right: { kind: 'in', field: 'status', not: true, values: ['active', evil] } }, params);
    expect(sql).not.toContain('DROP');
    expect(sql).not.toContain('1=1');
    expect(params).toEqual([evil, 'active', evil]);
    expect(sql.match(/\?/g)).toHaveLength(3);
  });

  it('!= and not in keep rows where the column is empty (no source is not Website)', () => {
    const params: unknown[] = [];
    expect(compileFilter({ kind: 'cmp', field: 'source', op: '!=', value: 1 }, params)).toBe('(l.source_id IS NULL OR l.source_id NOT IN (?))');
    expect(compileFilter({ kind: 'cmp', field: 'score', op: '>=', value: 60 }, params)).toBe('l.score >= ?');
    expect(compileFilter({ kind: 'cmp', field: 'assigned', op: '!=', value: 3 }, params)).toMatch(/^NOT EXISTS \(SELECT 1 FROM lead_assignees/);
  });
});
