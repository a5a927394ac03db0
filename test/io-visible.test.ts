import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { jsonText, visible, visibleCell } from '../src/io/visible.js';

const RAW = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/;

describe('visible: controls from outside shown, not obeyed', () => {
  it('escapes C0, DEL and C1 as JavaScript writes them; keeps tab, newline and other text', () => {
    expect(visible('a\x1b]0;pwned\x07b')).toBe('a\\x1b]0;pwned\\x07b');
    expect(visible('\x1b[2J\u009b31m\x7f\r\x00')).toBe('\\x1b[2J\\u009b31m\\x7f\\x0d\\x00');
    expect(visible('line 1\n\tline 2 — Łódź ☎')).toBe('line 1\n\tline 2 — Łódź ☎');
  });

  it('a cell holds no tab or line break: runs of them become one space', () => {
    expect(visibleCell('a\t\tb\r\nc\x1bd')).toBe('a b c\\x1bd');
  });

  it('whatever the text, no control is left (but tab/newline in lines); JSON reads back the same value', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (s) => {
        expect(visible(s)).not.toMatch(RAW);
        expect(visibleCell(s)).not.toMatch(/[\u0000-\u001f\u007f-\u009f]/);
        expect(jsonText({ s })).not.toMatch(RAW);
        expect(JSON.parse(jsonText({ s }))).toEqual({ s });
      }),
      { numRuns: 200 },
    );
  });
});
