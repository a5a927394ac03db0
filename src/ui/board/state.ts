/**
 * The board's state and its reducer: pure, no ink, no store. Key commands that only move
 * the cursor or open a prompt are handled here; commands that write (moves, notes, …) are
 * carried out by the controller, which reports back with events (`card.moved`, …).
 */
import type { Board, BoardCard, BoardColumn } from '../../services/board/service.js';
import { adjustTotals } from '../../services/board/totals.js';
import type { Command, Mode } from './keys.js';
import { fitColumns, MAX_CURRENCY_ROWS, scrollTop, visibleCards, type Viewport } from './layout.js';

/** The 360° view of a lead, ready to print (built by the command from `showLead`). */
export interface LeadView {
  title: string;
  fields: [string, string][];
  timeline: { at: string; text: string; user: string | null }[];
}

export interface UserChoice {
  email: string;
  name: string;
  role: string;
}

export interface ColumnState extends BoardColumn {
  /** Cursor row in this column (each column remembers its own). */
  row: number;
  /** First card shown. */
  top: number;
  loading: boolean;
}

export type InputPurpose = 'filter' | 'note' | 'lose' | 'followup' | 'followup-when';

export interface InputState {
  purpose: InputPurpose;
  prompt: string;
  text: string;
  leadId?: number;
  /** The lost stage a `lose` prompt moves the card to. */
  stage?: string;
  /** The filter before `/`, restored by escape. */
  before?: string;
  /** A follow-up's title, asked before its time. */
  title?: string;
}

export interface PickerState {
  leadId: number;
  users: UserChoice[];
  index: number;
}

export interface PanelState {
  leadId: number;
  view?: LeadView;
  scroll: number;
}

export interface Message {
  text: string;
  hint?: string;
  kind: 'info' | 'error';
}

export interface BoardState {
  columns: ColumnState[];
  /** Cursor column. */
  col: number;
  /** First column on screen (horizontal scroll). */
  firstCol: number;
  viewport: Viewport;
  mode: Mode;
  input?: InputState;
  picker?: PickerState;
  panel?: PanelState;
  /** Text of the `/` filter (a search over name, business, email, phone). */
  filter: string;
  count: number;
  message?: Message;
  loaded: boolean;
  quit: boolean;
}

export type BoardEvent =
  | { type: 'command'; command: Command }
  | { type: 'loaded'; board: Board }
  | { type: 'cards.loading'; stageId: number }
  | { type: 'cards.appended'; stageId: number; cards: BoardCard[]; hasMore: boolean }
  | { type: 'card.moved'; card: BoardCard }
  | { type: 'card.changed'; card: BoardCard }
  | { type: 'input.open'; input: InputState }
  | { type: 'picker.open'; picker: PickerState }
  | { type: 'panel.open'; leadId: number }
  | { type: 'panel.loaded'; leadId: number; view: LeadView }
  | { type: 'message'; message: Message | undefined }
  | { type: 'resize'; viewport: Viewport };

export function initialState(opts: { viewport: Viewport; filter?: string; board?: Board }): BoardState {
  const s: BoardState = { columns: [], col: 0, firstCol: 0, viewport: opts.viewport, mode: 'board', filter: opts.filter ?? '', count: 0, loaded: false, quit: false };
  return opts.board ? reduce(s, { type: 'loaded', board: opts.board }) : s;
}

// ---- selectors -------------------------------------------------------------------------

export function currentColumn(s: BoardState): ColumnState | undefined {
  return s.columns[s.col];
}

export function selectedCard(s: BoardState): BoardCard | undefined {
  const c = currentColumn(s);
  return c && !c.collapsed ? c.cards[c.row] : undefined;
}

/** Currency rows every column header reserves (the same for all, so cards line up). */
export function currencyRows(s: BoardState): number {
  return Math.min(MAX_CURRENCY_ROWS, Math.max(1, ...s.columns.map((c) => c.totals.length)));
}

export function cardsPerColumn(s: BoardState): number {
  return visibleCards(s.viewport, currencyRows(s));
}

/** The stage `step` columns away from the selected card's (pipeline order), if any. */
export function adjacentStage(s: BoardState, step: -1 | 1): BoardColumn['stage'] | undefined {
  return s.columns[s.col + step]?.stage;
}

export function stageOf(s: BoardState, outcome: 'won' | 'lost'): BoardColumn['stage'] | undefined {
  return s.columns.find((c) => c.stage.outcome === outcome)?.stage;
}

export function locate(s: BoardState, id: number): { col: number; row: number } | undefined {
  for (let col = 0; col < s.columns.length; col++) {
    const row = s.columns[col]!.cards.findIndex((c) => c.id === id);
    if (row >= 0) return { col, row };
  }
  return undefined;
}

// ---- reducer ---------------------------------------------------------------------------

export function reduce(s: BoardState, e: BoardEvent): BoardState {
  switch (e.type) {
    case 'command':
      return command({ ...s, message: undefined }, e.command);
    case 'loaded':
      return loaded(s, e.board);
    case 'cards.loading':
      return updateColumn(s, e.stageId, (c) => ({ ...c, loading: true }));
    case 'cards.appended':
      return updateColumn(s, e.stageId, (c) => {
        const have = new Set(c.cards.map((x) => x.id));
        return { ...c, loading: false, hasMore: e.hasMore, cards: [...c.cards, ...e.cards.filter((x) => !have.has(x.id))] };
      });
    case 'card.moved':
    case 'card.changed':
      return placeCard(s, e.card, e.type === 'card.moved');
    case 'input.open':
      return { ...s, mode: 'input', input: e.input };
    case 'picker.open':
      return { ...s, mode: 'picker', picker: e.picker };
    case 'panel.open':
      return { ...s, mode: 'panel', panel: { leadId: e.leadId, scroll: 0 } };
    case 'panel.loaded':
      return s.panel?.leadId === e.leadId ? { ...s, panel: { ...s.panel, view: e.view } } : s;
    case 'message':
      return { ...s, message: e.message };
    case 'resize':
      return fit({ ...s, viewport: e.viewport });
  }
}

function command(s: BoardState, cmd: Command): BoardState {
  switch (s.mode) {
    case 'help':
      return cmd.name === 'help.toggle' ? { ...s, mode: 'board' } : s;
    case 'panel':
      if (cmd.name === 'panel.close') return { ...s, mode: 'board', panel: undefined };
      if (cmd.name === 'cursor.up' && s.panel) return { ...s, panel: { ...s.panel, scroll: Math.max(0, s.panel.scroll - 1) } };
      if (cmd.name === 'cursor.down' && s.panel) {
        const max = Math.max(0, (s.panel.view?.timeline.length ?? 0) - 1);
        return { ...s, panel: { ...s.panel, scroll: Math.min(max, s.panel.scroll + 1) } };
      }
      return s;
    case 'picker': {
      const p = s.picker;
      if (!p || cmd.name === 'input.cancel' || cmd.name === 'input.submit') return { ...s, mode: 'board', picker: undefined };
      if (cmd.name === 'cursor.up') return { ...s, picker: { ...p, index: Math.max(0, p.index - 1) } };
      if (cmd.name === 'cursor.down') return { ...s, picker: { ...p, index: Math.min(p.users.length - 1, p.index + 1) } };
      return s;
    }
    case 'input':
      return inputCommand(s, cmd);
    case 'board':
      return boardCommand(s, cmd);
  }
}

function inputCommand(s: BoardState, cmd: Command): BoardState {
  const input = s.input;
  if (!input) return { ...s, mode: 'board' };
  const withText = (text: string): BoardState => ({ ...s, input: { ...input, text }, filter: input.purpose === 'filter' ? text : s.filter });
  switch (cmd.name) {
    case 'input.char':
      return withText(input.text + (cmd.text ?? ''));
    case 'input.backspace':
      return withText([...input.text].slice(0, -1).join(''));
    case 'input.cancel':
      return { ...s, mode: 'board', input: undefined, filter: input.purpose === 'filter' ? (input.before ?? '') : s.filter };
    case 'input.submit':
      return { ...s, mode: 'board', input: undefined };
    default:
      return s;
  }
}

function boardCommand(s: BoardState, cmd: Command): BoardState {
  const c = currentColumn(s);
  const page = cardsPerColumn(s);
  const moveRow = (to: (col: ColumnState) => number) => {
    if (!c || c.collapsed) return s;
    return updateColumnAt(s, s.col, (col) => withRow(col, to(col), page));
  };
  switch (cmd.name) {
    case 'cursor.left':
      return fit({ ...s, col: Math.max(0, s.col - 1) });
    case 'cursor.right':
      return fit({ ...s, col: Math.min(s.columns.length - 1, s.col + 1) });
    case 'cursor.up':
      return moveRow((col) => col.row - 1);
    case 'cursor.down':
      return moveRow((col) => col.row + 1);
    case 'cursor.page-up':
      return moveRow((col) => col.row - page);
    case 'cursor.page-down':
      return moveRow((col) => col.row + page);
    case 'cursor.top':
      return moveRow(() => 0);
    case 'cursor.bottom':
      return moveRow((col) => col.cards.length - 1);
    case 'column.toggle':
      return c ? fit(updateColumnAt(s, s.col, (col) => ({ ...col, collapsed: !col.collapsed }))) : s;
    case 'filter.start':
      return { ...s, mode: 'input', input: { purpose: 'filter', prompt: 'filter', text: s.filter, before: s.filter } };
    case 'help.toggle':
      return { ...s, mode: 'help' };
    case 'board.quit':
      return { ...s, quit: true };
    default:
      // Writes (card.*) and reloads are the controller's.
      return s;
  }
}

function withRow(col: ColumnState, row: number, page: number): ColumnState {
  const r = Math.max(0, Math.min(row, col.cards.length - 1));
  const top = scrollTop(col.top, r, page, col.cards.length);
  // The same object when nothing changed: the ink columns are memoised on it.
  return r === col.row && top === col.top ? col : { ...col, row: r, top };
}

function fit(s: BoardState): BoardState {
  const col = Math.max(0, Math.min(s.col, s.columns.length - 1));
  const f = fitColumns(s.columns.map((c) => c.collapsed), col, s.firstCol, s.viewport.width);
  const page = cardsPerColumn(s);
  return { ...s, col, firstCol: f.first, columns: s.columns.map((c) => withRow(c, c.row, page)) };
}

function updateColumnAt(s: BoardState, index: number, f: (c: ColumnState) => ColumnState): BoardState {
  return { ...s, columns: s.columns.map((c, i) => (i === index ? f(c) : c)) };
}

function updateColumn(s: BoardState, stageId: number, f: (c: ColumnState) => ColumnState): BoardState {
  return { ...s, columns: s.columns.map((c) => (c.stage.id === stageId ? f(c) : c)) };
}

/** A new load keeps what the user was doing: the selected card (or its row), collapsed columns, scroll. */
function loaded(s: BoardState, board: Board): BoardState {
  const selected = selectedCard(s);
  const stageId = currentColumn(s)?.stage.id;
  const before = new Map(s.columns.map((c) => [c.stage.id, c]));
  const columns = board.columns.map((c): ColumnState => {
    const old = before.get(c.stage.id);
    return { ...c, collapsed: old ? old.collapsed : c.collapsed, row: old?.row ?? 0, top: old?.top ?? 0, loading: false };
  });
  let next: BoardState = { ...s, columns, count: board.count, loaded: true };
  const at = selected ? locate(next, selected.id) : undefined;
  if (at) next = updateColumnAt({ ...next, col: at.col }, at.col, (c) => ({ ...c, row: at.row }));
  else if (stageId !== undefined) next = { ...next, col: Math.max(0, columns.findIndex((c) => c.stage.id === stageId)) };
  return fit(next);
}

/**
 * A card changed by the board itself: replaced where it is, or — when its stage changed —
 * taken out of its old column and put on top of the new one, with both columns' counts and
 * totals adjusted, without a reload. After a move (`follow`), the cursor goes with the card.
 */
function placeCard(s: BoardState, card: BoardCard, follow: boolean): BoardState {
  const from = locate(s, card.id);
  const to = s.columns.findIndex((c) => c.stage.id === card.stageId);
  if (from && from.col === to) {
    return updateColumnAt(s, to, (c) => ({ ...c, cards: c.cards.map((x) => (x.id === card.id ? card : x)) }));
  }
  const page = cardsPerColumn(s);
  const old = from ? s.columns[from.col]!.cards[from.row]! : undefined;
  const columns = s.columns.map((c, i): ColumnState => {
    if (from && i === from.col && old) {
      const cards = c.cards.filter((x) => x.id !== card.id);
      return withRow({ ...c, cards, count: c.count - 1, totals: adjustTotals(c.totals, old.currency, old.valueMinor, c.stage.probability, -1) }, c.row, page);
    }
    if (i === to) {
      const cards = c.collapsed ? c.cards : [card, ...c.cards.filter((x) => x.id !== card.id)];
      const totals = adjustTotals(c.totals, card.currency, card.valueMinor, c.stage.probability, 1);
      // The cursor goes with the card, or stays on the card it was on (now one row lower).
      const row = follow ? 0 : c.cards.length && !c.collapsed ? c.row + 1 : c.row;
      return withRow({ ...c, cards, count: c.count + 1, totals, row, top: follow ? 0 : c.top }, row, page);
    }
    return c;
  });
  const next = { ...s, columns };
  // Into a collapsed column (won and lost, by default) the cursor does not follow: there is nothing to select there.
  return follow && to >= 0 && !columns[to]!.collapsed ? fit({ ...next, col: to }) : fit(next);
}
