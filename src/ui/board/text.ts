/**
 * Text for cards and column headers drawn as one ink <Text> each: ANSI styles written here and
 * lines cut to the column width here, because ink's nested <Text> elements and its own
 * truncation cost a React element, a layout node and a grapheme-segmentation pass per span —
 * the bulk of a first frame full of cards. No ink import.
 */

const ESC = '\u001B[';

const FG = { red: 31, green: 32, yellow: 33, cyan: 36 } as const;

export interface Sgr {
  bold(s: string): string;
  dim(s: string): string;
  inverse(s: string): string;
  /** A foreground colour; nothing when colour is off (NO_COLOR, --no-color, TERM=dumb). */
  color(name: keyof typeof FG, s: string): string;
}

export function sgr(color: boolean): Sgr {
  return {
    bold: (s) => `${ESC}1m${s}${ESC}22m`,
    dim: (s) => `${ESC}2m${s}${ESC}22m`,
    inverse: (s) => `${ESC}7m${s}${ESC}27m`,
    color: (name, s) => (color ? `${ESC}${FG[name]}m${s}${ESC}39m` : s),
  };
}

const MARK = /\p{M}/u;
const PICTOGRAPHIC = /\p{Extended_Pictographic}/u;

/**
 * Columns a code point takes, erring wide: a character counted too wide only ends a line a
 * little early, one counted too narrow would make ink wrap the card onto another line.
 */
function charWidth(ch: string): number {
  const c = ch.codePointAt(0)!;
  if (c < 0x20 || (c >= 0x7f && c < 0xa0) || c === 0xad || c === 0x200b || c === 0x200d || c === 0xfe0f) return 0;
  if (c < 0x7f) return 1;
  if (MARK.test(ch)) return 0;
  // Latin, Greek, Cyrillic, Hebrew, Arabic, Indic and other narrow scripts; punctuation,
  // arrows, box drawing and geometric shapes — except pictographs (emoji are wide).
  if (c < 0x1100) return 1;
  if (c >= 0x1e00 && c < 0x2e80) return PICTOGRAPHIC.test(ch) ? 2 : 1;
  return 2;
}

export function displayWidth(s: string): number {
  let w = 0;
  for (const ch of s) w += charWidth(ch);
  return w;
}

/** s cut to at most `width` columns, with … when something was cut. */
export function fitWidth(s: string, width: number): string {
  if (s.length <= width && /^[\x20-\x7e]*$/.test(s)) return s;
  if (displayWidth(s) <= width) return s;
  let out = '';
  let w = 0;
  for (const ch of s) {
    const cw = charWidth(ch);
    if (w + cw > width - 1) break;
    out += ch;
    w += cw;
  }
  return `${out}…`;
}
