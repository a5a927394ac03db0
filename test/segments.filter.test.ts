import { describe, expect, it } from 'vitest';
import { UsageError } from '../src/errors.js';
import { parseFilter, tokenize } from '../src/services/segments/filter.js';

function parseError(expr: string): UsageError {
  try {
    parseFilter(expr);
  } catch (err) {
    expect(err).toBeInstanceOf(UsageError);
    return err as UsageError;
  }
  throw new Error(`expected '${expr}' to be rejected`);
}

describe('filter language: parsing', () => {
  it('parses the issue example: in-list with a multi-word value, >=, !=, and', () => {
    const ast = parseFilter('source in (Website, Google Ads) and score>=60 and stage!=Lost');
    expect(ast).toEqual({
      kind: 'and',
      left: {
        kind: 'and',
        left: { kind: 'in', field: 'source', not: false, col: 1, values: [{ text: 'Website', col: 12 }, { text: 'Google Ads', col: 21 }] },
        right: { kind: 'cmp', field: 'score', op: '>=', col: 37, value: { text: '60', col: 44 } },
      },
      right: { kind: 'cmp', field: 'stage', op: '!=', col: 51, value: { text: 'Lost', col: 58 } },
    });
  });

  it('and binds tighter than or; parentheses override', () => {
    const flat = parseFilter('tag = a or tag = b and score > 1');
    expect(flat.kind).toBe('or');
    const grouped = parseFilter('(tag = a or tag = b) and score > 1');
    expect(grouped.kind).toBe('and');
    expect(grouped.kind === 'and' && grouped.left.kind).toBe('or');
  });

  it('not in, quoted values, keywords in any case', () => {
    const ast = parseFilter(`stage NOT IN ("Won", 'Lost') AND tag = "and or"`);
    expect(ast).toMatchObject({
      kind: 'and',
      left: { kind: 'in', not: true, values: [{ text: 'Won' }, { text: 'Lost' }] },
      right: { kind: 'cmp', field: 'tag', op: '=', value: { text: 'and or' } },
    });
  });

  it.each([
    ['scor = 3', 1, 'scor', /unknown field 'scor'/],
    ['score >> 3', 8, '>', /expected a value/],
    ['stage < Won', 7, '<', /'stage' takes = != in/],
    ['stage = Won and', 16, '', /at the end: expected a field name/],
    ['(stage = Won', 13, '', /expected '\)'/],
    ['stage = Won)', 12, ')', /unmatched '\)'/],
    ['source in Website', 11, 'Website', /expected '\(' after in/],
    ['source in (Website, )', 21, ')', /expected a value/],
    ['stage not Won', 11, 'Won', /expected 'in' after 'not'/],
    ['tag = "vip', 7, '"vip', /unterminated quoted value/],
    ['score ! 3', 7, '!', /unknown operator '!'/],
    ['stage = Won score > 3', 19, '>', /unexpected token after a value/],
    ['created in (2026-01-01)', 9, 'in', /'created' takes = != < <= > >=, not in/],
  ])('%s → error at column %i naming the token', (expr, col, token, message) => {
    const e = parseError(expr);
    expect(e.message).toMatch(message);
    expect(e.message).toContain(token === '' ? 'at the end' : `at column ${col} ('${token}')`);
    // The hint repeats the expression with a caret under the column ("hint: " is 6 wide).
    const [line, caret] = e.hint!.split('\n');
    expect(line).toBe(expr);
    expect(caret!.indexOf('^')).toBe(col - 1 + 6);
  });

  it('an empty filter is a usage error', () => {
    expect(parseError('   ').message).toBe('empty filter');
  });

  it('tokenizer keeps 1-based columns', () => {
    expect(tokenize('a<=b').map((t) => [t.kind, t.text, t.col])).toEqual([['word', 'a', 1], ['op', '<=', 2], ['word', 'b', 4], ['end', '', 5]]);
  });
});
