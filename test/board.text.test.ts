import { describe, expect, it } from 'vitest';
import { displayWidth, fitWidth, sgr } from '../src/ui/board/text.js';

describe('board card text', () => {
  it('measures what a terminal shows: accents narrow, combining marks nothing, CJK and emoji wide', () => {
    expect(displayWidth('Ana Sousa')).toBe(9);
    expect(displayWidth('Müller · García')).toBe(15);
    expect(displayWidth('Jose\u0301')).toBe(4);
    expect(displayWidth('田中太郎')).toBe(8);
    expect(displayWidth('Deal 🚀')).toBe(7);
    expect(displayWidth('▌✱─│')).toBe(4);
  });

  it('cuts to a width with an ellipsis, never wider', () => {
    expect(fitWidth('Ana Sousa', 20)).toBe('Ana Sousa');
    expect(fitWidth('Priyanka García Textiles', 10)).toBe('Priyanka …');
    expect(fitWidth('田中太郎商事株式会社', 7)).toBe('田中太…');
    for (const s of ['Priyanka García Textiles', '田中太郎商事株式会社', 'a🚀b🚀c🚀d']) {
      for (let w = 1; w < 12; w++) expect(displayWidth(fitWidth(s, w))).toBeLessThanOrEqual(w);
    }
  });

  it('styles with SGR, colour only when allowed', () => {
    expect(sgr(true).color('cyan', 'x')).toBe('\u001B[36mx\u001B[39m');
    expect(sgr(false).color('cyan', 'x')).toBe('x');
    expect(sgr(false).bold('x')).toBe('\u001B[1mx\u001B[22m');
  });
});
