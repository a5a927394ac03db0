import { describe, expect, it } from 'vitest';
import { CsvParser, csvCell, detectDelimiter, detectEncoding, unneutralize, type CsvRecord } from '../src/io/csv.js';

function parseAll(text: string, delimiter = ',', chunk = text.length): CsvRecord[] {
  const p = new CsvParser(delimiter);
  const out: CsvRecord[] = [];
  for (let i = 0; i < text.length; i += chunk) p.push(text.slice(i, i + chunk), out);
  p.end(out);
  return out;
}

describe('CsvParser', () => {
  const text = 'a,b,c\r\n1,"x\r\ny",3\r\n\r\n"q""uote",,\n4,5\n"last","row"';
  const expected = [
    { cells: ['a', 'b', 'c'], line: 1 },
    { cells: ['1', 'x\r\ny', '3'], line: 2 },
    { cells: ['q"uote', '', ''], line: 5 },
    { cells: ['4', '5'], line: 6 },
    { cells: ['last', 'row'], line: 7 },
  ];

  it('parses quoted newlines, "" escapes, CRLF, blank lines and ragged rows with their start lines', () => {
    expect(parseAll(text)).toEqual(expected);
  });

  it('gives the same records whatever the chunk boundaries', () => {
    for (const size of [1, 2, 3, 5, 7, 11]) expect(parseAll(text, ',', size)).toEqual(expected);
  });

  it('keeps a stray quote inside an unquoted cell, and text after a closing quote', () => {
    expect(parseAll('5" screen,"a"b,c\n').map((r) => r.cells)).toEqual([['5" screen', 'ab', 'c']]);
  });

  it('splits on the delimiter it is given', () => {
    expect(parseAll('a;b\t;c\n', ';').map((r) => r.cells)).toEqual([['a', 'b\t', 'c']]);
    expect(parseAll('a;b\tc\n', '\t').map((r) => r.cells)).toEqual([['a;b', 'c']]);
  });

  it('refuses a quoted cell that never ends, naming its line', () => {
    expect(() => parseAll('a,b\n1,"never closed\n2,3\n')).toThrow(/line 2: a quoted cell never ends/);
  });

  it('refuses a record longer than the limit instead of growing without bound', () => {
    const p = new CsvParser(',', 1000, 'big.csv');
    expect(() => p.push(`a,"${'x'.repeat(2000)}`, [])).toThrow(/big.csv, line 1: a record longer than 1,000 characters/);
  });
});

describe('detectEncoding', () => {
  it('reads BOMs, tells UTF-8 from Windows-1252, and refuses binary', () => {
    expect(detectEncoding(Buffer.from([0xef, 0xbb, 0xbf, 0x61]), 'f')).toEqual({ encoding: 'utf8', bom: 3, detected: true });
    expect(detectEncoding(Buffer.from([0xff, 0xfe, 0x61, 0]), 'f').encoding).toBe('utf16le');
    expect(detectEncoding(Buffer.from('José', 'utf8'), 'f').encoding).toBe('utf8');
    expect(detectEncoding(Buffer.from('Jos\xe9', 'latin1'), 'f').encoding).toBe('win1252');
    // A multi-byte character cut by the end of the sample is still UTF-8.
    expect(detectEncoding(Buffer.from('ação', 'utf8').subarray(0, 4), 'f', false).encoding).toBe('utf8');
    expect(detectEncoding(Buffer.from('ação', 'utf8').subarray(0, 4), 'f', true).encoding).toBe('win1252');
    expect(() => detectEncoding(Buffer.from([0x50, 0x4b, 0x03, 0x04, 0x00, 0x00]), 'x.xlsx')).toThrow(/x.xlsx looks like a binary file/);
  });
});

describe('detectDelimiter', () => {
  it('picks the delimiter that splits every line alike', () => {
    expect(detectDelimiter('a,b,c\n1,2,3\n')).toBe(',');
    expect(detectDelimiter('a;b;c\n1,5;2;3\n')).toBe(';');
    expect(detectDelimiter('a\tb\n1\t2\n')).toBe('\t');
    expect(detectDelimiter('name;note\n"x;y;z";1\n"a,b",2\n')).toBe(';');
  });
});

describe('csvCell (OWASP CSV injection)', () => {
  it('neutralises = + - @ tab CR and a leading apostrophe, and import takes exactly one off', () => {
    for (const v of ['=SUM(A1)', '+351 912345678', '+1+1', '-5', '@cmd', '\tx', '\rx', "'quoted", "'=x"]) {
      const cell = csvCell(v);
      expect(cell.replace(/^"/, '').startsWith("'")).toBe(true);
      const unquoted = cell.startsWith('"') ? cell.slice(1, -1).replace(/""/g, '"') : cell;
      expect(unneutralize(unquoted)).toBe(v);
    }
    expect(csvCell('plain')).toBe('plain');
    // An E.164 phone (+ and digits only) is a number to a spreadsheet, not a formula.
    expect(csvCell('+351912345678')).toBe('+351912345678');
    expect(unneutralize('+351912345678')).toBe('+351912345678');
    expect(csvCell('a,b')).toBe('"a,b"');
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
    expect(unneutralize("it's")).toBe("it's");
  });
});
