import { describe, expect, it } from 'vitest';
import type { Board, BoardCard, BoardColumn } from '../src/services/board/service.js';
import { keyToCommand, type ActionName } from '../src/ui/board/keys.js';
import { fitColumns, MIN_COLUMN, COLLAPSED_COLUMN } from '../src/ui/board/layout.js';
import { adjacentStage, initialState, reduce, selectedCard, type BoardState } from '../src/ui/board/state.js';

const STAGES: [string, number, 'open' | 'won' | 'lost'][] = [
  ['New', 10, 'open'],
  ['Contacted', 20, 'open'],
  ['Qualified', 40, 'open'],
  ['Won', 100, 'won'],
  ['Lost', 0, 'lost'],
];

function card(id: number, stageId: number, valueMinor: number | null = 10000, currency = 'EUR'): BoardCard {
  return { id, stageId, name: `Lead ${id}`, businessName: null, valueMinor, currency, score: 50, initials: ['RK'], assignees: ['ravi@acme.example'], notAttempted: true, nextFollowUpAt: null, overdueFollowUp: false };
}

/** A board with `counts[i]` cards of EUR 100 in stage i (ids 100·(i+1) + n). */
function board(counts: number[]): Board {
  const columns = STAGES.map(([name, probability, outcome], i): BoardColumn => {
    const n = counts[i] ?? 0;
    const cards = Array.from({ length: n }, (_, k) => card(100 * (i + 1) + k, i + 1));
    return {
      stage: { id: i + 1, name, position: i + 1, probability, outcome },
      count: n,
      totals: n ? [{ currency: 'EUR', count: n, valueMinor: n * 10000, weightedMinor: Math.round((n * 10000 * probability) / 100) }] : [],
      cards: outcome === 'open' ? cards : [],
      hasMore: false,
      collapsed: outcome !== 'open',
    };
  });
  return { columns, count: counts.reduce((a, b) => a + b, 0) };
}

const cmd = (s: BoardState, ...names: ActionName[]) => names.reduce((st, name) => reduce(st, { type: 'command', command: { name } }), s);
const start = (counts: number[], width = 200, height = 40) => initialState({ viewport: { width, height }, board: board(counts) });

describe('board keys', () => {
  it('maps keys to named actions, by mode', () => {
    expect(keyToCommand('>', {}, 'board')).toEqual({ name: 'card.next-stage' });
    expect(keyToCommand('<', {}, 'board')).toEqual({ name: 'card.prev-stage' });
    expect(keyToCommand('', { rightArrow: true, shift: true }, 'board')).toEqual({ name: 'card.next-stage' });
    expect(keyToCommand('', { leftArrow: true, shift: true }, 'board')).toEqual({ name: 'card.prev-stage' });
    expect(keyToCommand('', { rightArrow: true }, 'board')).toEqual({ name: 'cursor.right' });
    expect(keyToCommand('l', {}, 'board')).toEqual({ name: 'cursor.right' });
    expect(keyToCommand('j', {}, 'board')).toEqual({ name: 'cursor.down' });
    expect(keyToCommand('', { return: true }, 'board')).toEqual({ name: 'card.open' });
    expect(keyToCommand('w', {}, 'board')).toEqual({ name: 'card.won' });
    expect(keyToCommand('L', {}, 'board')).toEqual({ name: 'card.lost' });
    expect(keyToCommand('x', {}, 'board')).toBeNull();
    // In a prompt, letters are text, not commands.
    expect(keyToCommand('q', {}, 'input')).toEqual({ name: 'input.char', text: 'q' });
    expect(keyToCommand('', { delete: true }, 'input')).toEqual({ name: 'input.backspace' });
    expect(keyToCommand('a\nb', {}, 'input')).toEqual({ name: 'input.char', text: 'a b' });
    expect(keyToCommand('', { escape: true }, 'panel')).toEqual({ name: 'panel.close' });
  });
});

describe('board reducer: navigation', () => {
  it('starts on the first card of the first column', () => {
    const s = start([3, 2, 0, 1, 1]);
    expect(s.col).toBe(0);
    expect(selectedCard(s)?.id).toBe(100);
  });

  it('moves the cursor within and across columns, clamped, each column keeping its row', () => {
    let s = start([3, 2, 0, 1, 1]);
    s = cmd(s, 'cursor.down', 'cursor.down', 'cursor.down');
    expect(selectedCard(s)?.id).toBe(102);
    s = cmd(s, 'cursor.right');
    expect(selectedCard(s)?.id).toBe(200);
    s = cmd(s, 'cursor.left');
    expect(selectedCard(s)?.id).toBe(102);
    s = cmd(s, 'cursor.top');
    expect(selectedCard(s)?.id).toBe(100);
    s = cmd(s, 'cursor.left', 'cursor.left');
    expect(s.col).toBe(0);
    s = cmd(s, 'cursor.right', 'cursor.right');
    expect(s.col).toBe(2);
    expect(selectedCard(s)).toBeUndefined();
    s = cmd(s, 'cursor.right', 'cursor.right', 'cursor.right');
    expect(s.col).toBe(4);
  });

  it('scrolls a long column so the cursor stays in its window', () => {
    // 40 lines: 4 of chrome, 4 of header, 1 for "more" → 31 lines: 8 cards of 3 lines and 7 gaps.
    let s = start([30, 0, 0, 0, 0], 200, 40);
    s = cmd(s, ...Array<ActionName>(10).fill('cursor.down'));
    const c = s.columns[0]!;
    expect(c.row).toBe(10);
    expect(c.top).toBe(3);
    s = cmd(s, 'cursor.bottom');
    expect(s.columns[0]!.row).toBe(29);
    expect(s.columns[0]!.top).toBe(22);
    s = cmd(s, 'cursor.page-up');
    expect(s.columns[0]!.row).toBe(21);
    expect(s.columns[0]!.top).toBe(21);
  });

  it('shows fewer columns on a narrow terminal and scrolls sideways to the cursor', () => {
    let s = start([1, 1, 1, 1, 1], 2 * MIN_COLUMN + 5);
    expect(s.firstCol).toBe(0);
    s = cmd(s, 'cursor.right', 'cursor.right');
    expect(s.col).toBe(2);
    expect(s.firstCol).toBe(1);
    s = cmd(s, 'cursor.left', 'cursor.left');
    expect(s.firstCol).toBe(0);
    // A wider terminal fits everything again.
    s = reduce(cmd(s, 'cursor.right', 'cursor.right'), { type: 'resize', viewport: { width: 300, height: 40 } });
    expect(s.firstCol).toBe(0);
  });

  it('lays out columns: collapsed ones narrow, room left shared by the expanded ones', () => {
    const f = fitColumns([false, false, true], 0, 0, 2 * MIN_COLUMN + COLLAPSED_COLUMN + 10);
    expect(f.indexes).toEqual([0, 1, 2]);
    expect(f.widths).toEqual([MIN_COLUMN + 5, MIN_COLUMN + 5, COLLAPSED_COLUMN]);
    expect(f.widths.reduce((a, b) => a + b, 0)).toBe(2 * MIN_COLUMN + COLLAPSED_COLUMN + 10);
  });

  it('gives a terminal narrower than one column all its width', () => {
    expect(fitColumns([false, false], 1, 0, 20)).toEqual({ first: 1, indexes: [1], widths: [20] });
  });

  it('toggles a column between collapsed and expanded', () => {
    let s = start([1, 1, 1, 1, 1]);
    s = cmd(s, 'cursor.right', 'cursor.right', 'cursor.right');
    expect(s.columns[3]!.collapsed).toBe(true);
    s = cmd(s, 'column.toggle');
    expect(s.columns[3]!.collapsed).toBe(false);
  });

  it('opens and closes the help and the filter prompt; escape restores the filter', () => {
    let s = cmd(start([1]), 'help.toggle');
    expect(s.mode).toBe('help');
    s = cmd(s, 'help.toggle', 'filter.start');
    expect(s.mode).toBe('input');
    s = reduce(s, { type: 'command', command: { name: 'input.char', text: 'an' } });
    s = reduce(s, { type: 'command', command: { name: 'input.char', text: 'a' } });
    expect(s.filter).toBe('ana');
    s = cmd(s, 'input.backspace');
    expect(s.filter).toBe('an');
    s = cmd(s, 'input.cancel');
    expect(s).toMatchObject({ mode: 'board', filter: '' });
    expect(cmd(start([1]), 'board.quit').quit).toBe(true);
  });
});

describe('board reducer: moves', () => {
  it('knows the stage before and after the cursor', () => {
    const s = cmd(start([1, 1]), 'cursor.right');
    expect(adjacentStage(s, 1)?.name).toBe('Qualified');
    expect(adjacentStage(s, -1)?.name).toBe('New');
    expect(adjacentStage(cmd(s, 'cursor.left'), -1)).toBeUndefined();
  });

  it('moves a saved card to the top of its new column, adjusting counts and totals, the cursor following', () => {
    let s = cmd(start([3, 1, 0, 0, 0]), 'cursor.down');
    const moved = { ...selectedCard(s)!, stageId: 2, notAttempted: false };
    s = reduce(s, { type: 'card.moved', card: moved });
    const [newCol, contacted] = s.columns;
    expect(newCol!.cards.map((c) => c.id)).toEqual([100, 102]);
    expect(newCol).toMatchObject({ count: 2, totals: [{ currency: 'EUR', count: 2, valueMinor: 20000, weightedMinor: 2000 }] });
    expect(contacted!.cards.map((c) => c.id)).toEqual([101, 200]);
    expect(contacted).toMatchObject({ count: 2, totals: [{ currency: 'EUR', count: 2, valueMinor: 20000, weightedMinor: 4000 }] });
    expect(s.col).toBe(1);
    expect(selectedCard(s)?.id).toBe(101);
  });

  it('adds a currency to a column and drops it when its last lead leaves', () => {
    let s = start([1, 1, 0, 0, 0]);
    const usd = { ...card(999, 1, 5000, 'USD') };
    s = reduce(s, { type: 'card.moved', card: { ...usd, stageId: 2 } });
    expect(s.columns[1]!.totals.map((t) => t.currency)).toEqual(['EUR', 'USD']);
    s = reduce(s, { type: 'card.moved', card: { ...usd, stageId: 3 } });
    expect(s.columns[1]!.totals.map((t) => t.currency)).toEqual(['EUR']);
    expect(s.columns[2]!.totals).toEqual([{ currency: 'USD', count: 1, valueMinor: 5000, weightedMinor: 2000 }]);
  });

  it('does not follow a card into a collapsed column', () => {
    let s = start([2, 0, 0, 3, 0]);
    const won = { ...selectedCard(s)!, stageId: 4 };
    s = reduce(s, { type: 'card.moved', card: won });
    expect(s.col).toBe(0);
    expect(s.columns[3]).toMatchObject({ count: 4, collapsed: true, cards: [] });
    expect(selectedCard(s)?.id).toBe(101);
  });

  it('keeps the selected card across a reload, wherever it went', () => {
    let s = cmd(start([3, 1, 0, 0, 0]), 'cursor.down');
    expect(selectedCard(s)?.id).toBe(101);
    const b = board([3, 1, 0, 0, 0]);
    // Someone else moved 101 to Qualified.
    const moving = b.columns[0]!.cards.splice(1, 1)[0]!;
    b.columns[2]!.cards.push({ ...moving, stageId: 3 });
    s = reduce(s, { type: 'loaded', board: b });
    expect(s.col).toBe(2);
    expect(selectedCard(s)?.id).toBe(101);
  });

  it('replaces a changed card in place', () => {
    let s = start([2]);
    s = reduce(s, { type: 'card.changed', card: { ...card(100, 1), name: 'Renamed', notAttempted: false } });
    expect(s.columns[0]!.cards[0]).toMatchObject({ name: 'Renamed', notAttempted: false });
    expect(s.columns[0]!.count).toBe(2);
  });
});
