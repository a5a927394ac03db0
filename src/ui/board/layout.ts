/**
 * Screen geometry of the board, as pure functions of the terminal size: which columns fit,
 * how wide each is, how many cards a column shows. The reducer uses them to keep the cursor
 * in view; the ink components use them to draw exactly that.
 */

/** Narrowest an expanded column gets; narrower terminals scroll sideways instead. */
export const MIN_COLUMN = 26;
/** A collapsed column (won and lost by default): name and count only. */
export const COLLAPSED_COLUMN = 18;
/** Lines of one card, and the blank line between cards. */
export const CARD_LINES = 3;
export const CARD_STEP = CARD_LINES + 1;
/** Title bar, status line, footer — and one spare line, so a frame never fills the screen (ink clears the whole terminal then). */
export const CHROME_LINES = 4;
/** Most currencies a column header lists; more are summarised. */
export const MAX_CURRENCY_ROWS = 2;

export interface Viewport {
  width: number;
  height: number;
}

export interface ColumnFit {
  first: number;
  /** Indexes of the columns on screen, left to right. */
  indexes: number[];
  widths: number[];
}

/**
 * The columns on screen: starts at `first` (the previous scroll position), scrolls just
 * enough to show the cursor's column, and fills any room left with earlier columns.
 */
export function fitColumns(collapsed: boolean[], cursor: number, first: number, width: number): ColumnFit {
  const n = collapsed.length;
  if (n === 0) return { first: 0, indexes: [], widths: [] };
  const need = (i: number) => (collapsed[i] ? COLLAPSED_COLUMN : MIN_COLUMN);
  const fromFirst = (f: number) => {
    const idx: number[] = [];
    let used = 0;
    for (let i = f; i < n; i++) {
      if (idx.length > 0 && used + need(i) > width) break;
      idx.push(i);
      used += need(i);
    }
    return { idx, used };
  };
  let f = Math.min(Math.max(first, 0), n - 1);
  if (cursor < f) f = cursor;
  let fit = fromFirst(f);
  while (!fit.idx.includes(cursor) && f < cursor) fit = fromFirst(++f);
  while (f > 0 && fit.used + need(f - 1) <= width) fit = fromFirst(--f);
  const widths: number[] = fit.idx.map(need);
  const open = fit.idx.map((i, k) => (collapsed[i] ? -1 : k)).filter((k) => k >= 0);
  let extra = Math.max(0, width - fit.used);
  // Spread the room left over the expanded columns, so the board uses the whole width.
  for (let j = 0; j < open.length && extra > 0; j++) {
    const share = Math.ceil(extra / (open.length - j));
    widths[open[j]!]! += share;
    extra -= share;
  }
  if (open.length === 0 && extra > 0 && widths.length) widths[widths.length - 1]! += extra;
  // A terminal narrower than one column: that column takes what there is.
  if (fit.used > width) widths[0] = Math.max(1, width);
  return { first: f, indexes: fit.idx, widths };
}

/** Lines a column header takes: name and count, then value and weighted value per currency. */
export function headerLines(currencyRows: number): number {
  return 1 + 2 * Math.max(1, Math.min(MAX_CURRENCY_ROWS, currencyRows)) + 1;
}

/** How many cards fit in a column, leaving one line for "↓ N more". */
export function visibleCards(viewport: Viewport, currencyRows: number): number {
  const lines = viewport.height - CHROME_LINES - headerLines(currencyRows) - 1;
  return Math.max(1, Math.floor((lines + 1) / CARD_STEP));
}

/** The first card shown so that `row` stays visible, moving the window as little as possible. */
export function scrollTop(top: number, row: number, visible: number, total: number): number {
  let t = Math.min(top, Math.max(0, total - visible));
  if (row < t) t = row;
  if (row >= t + visible) t = row - visible + 1;
  return Math.max(0, t);
}
