/**
 * Keys → named actions (as gemini-cli's keyMatchers): the board never tests raw keys
 * anywhere else, so the help screen, the footer and the tests all speak in action names.
 * No ink import: KeyInfo is the subset of ink's Key the board reads.
 */

export type ActionName =
  | 'cursor.left'
  | 'cursor.right'
  | 'cursor.up'
  | 'cursor.down'
  | 'cursor.page-up'
  | 'cursor.page-down'
  | 'cursor.top'
  | 'cursor.bottom'
  | 'card.prev-stage'
  | 'card.next-stage'
  | 'card.open'
  | 'card.won'
  | 'card.lost'
  | 'card.assign'
  | 'card.note'
  | 'card.followup'
  | 'card.dial'
  | 'column.toggle'
  | 'filter.start'
  | 'board.reload'
  | 'board.quit'
  | 'help.toggle'
  | 'panel.close'
  | 'input.submit'
  | 'input.cancel'
  | 'input.backspace'
  | 'input.char';

export interface Command {
  name: ActionName;
  /** Typed text, for input.char. */
  text?: string;
}

export interface KeyInfo {
  upArrow?: boolean;
  downArrow?: boolean;
  leftArrow?: boolean;
  rightArrow?: boolean;
  pageUp?: boolean;
  pageDown?: boolean;
  home?: boolean;
  end?: boolean;
  return?: boolean;
  escape?: boolean;
  ctrl?: boolean;
  shift?: boolean;
  meta?: boolean;
  tab?: boolean;
  backspace?: boolean;
  delete?: boolean;
}

export type Mode = 'board' | 'help' | 'panel' | 'input' | 'picker';

/** What the footer and the help screen list, in this order. */
export const BOARD_KEYS: { keys: string; action: ActionName; label: string }[] = [
  { keys: '←↓↑→ hjkl', action: 'cursor.left', label: 'move the cursor' },
  { keys: '< > ⇧← ⇧→', action: 'card.next-stage', label: 'move the card to the previous / next stage' },
  { keys: 'enter', action: 'card.open', label: 'open the 360° view' },
  { keys: '/', action: 'filter.start', label: 'filter as you type (name, business, email, phone)' },
  { keys: 'a', action: 'card.assign', label: 'reassign' },
  { keys: 'n', action: 'card.note', label: 'add a note' },
  { keys: 'f', action: 'card.followup', label: 'add a follow-up (asks the title, then when)' },
  { keys: 'C', action: 'card.dial', label: 'call the lead through Twilio (your phone rings first; also in the 360° view)' },
  { keys: 'w', action: 'card.won', label: 'mark won' },
  { keys: 'L', action: 'card.lost', label: 'mark lost (asks the reason)' },
  { keys: 'c', action: 'column.toggle', label: 'collapse / expand the column' },
  { keys: 'g G PgUp PgDn', action: 'cursor.top', label: 'first / last card, page up / down' },
  { keys: 'r', action: 'board.reload', label: 'reload' },
  { keys: '?', action: 'help.toggle', label: 'this help' },
  { keys: 'q', action: 'board.quit', label: 'quit' },
];

const BOARD_CHARS: Record<string, ActionName> = {
  h: 'cursor.left',
  l: 'cursor.right',
  k: 'cursor.up',
  j: 'cursor.down',
  g: 'cursor.top',
  G: 'cursor.bottom',
  '<': 'card.prev-stage',
  '>': 'card.next-stage',
  w: 'card.won',
  W: 'card.won',
  L: 'card.lost',
  a: 'card.assign',
  n: 'card.note',
  f: 'card.followup',
  C: 'card.dial',
  c: 'column.toggle',
  '/': 'filter.start',
  r: 'board.reload',
  q: 'board.quit',
  '?': 'help.toggle',
};

function boardKey(input: string, key: KeyInfo): ActionName | null {
  if (key.leftArrow) return key.shift ? 'card.prev-stage' : 'cursor.left';
  if (key.rightArrow) return key.shift ? 'card.next-stage' : 'cursor.right';
  if (key.upArrow) return 'cursor.up';
  if (key.downArrow) return 'cursor.down';
  if (key.pageUp) return 'cursor.page-up';
  if (key.pageDown) return 'cursor.page-down';
  if (key.home) return 'cursor.top';
  if (key.end) return 'cursor.bottom';
  if (key.return) return 'card.open';
  if (key.ctrl || key.meta) return null;
  return BOARD_CHARS[input] ?? null;
}

/** The action a key means in a mode, or null when the key means nothing there. */
export function keyToCommand(input: string, key: KeyInfo, mode: Mode): Command | null {
  switch (mode) {
    case 'board': {
      const name = boardKey(input, key);
      return name ? { name } : null;
    }
    case 'help':
      return key.escape || key.return || input === '?' || input === 'q' ? { name: 'help.toggle' } : null;
    case 'panel':
      if (key.escape || key.return || input === 'q') return { name: 'panel.close' };
      if (input === 'C') return { name: 'card.dial' };
      if (key.upArrow || input === 'k') return { name: 'cursor.up' };
      if (key.downArrow || input === 'j') return { name: 'cursor.down' };
      return null;
    case 'picker':
      if (key.escape || input === 'q') return { name: 'input.cancel' };
      if (key.return) return { name: 'input.submit' };
      if (key.upArrow || input === 'k') return { name: 'cursor.up' };
      if (key.downArrow || input === 'j') return { name: 'cursor.down' };
      return null;
    case 'input':
      if (key.escape) return { name: 'input.cancel' };
      if (key.return) return { name: 'input.submit' };
      // Terminals send DEL (0x7f) for backspace; ink reports it as `delete`.
      if (key.backspace || key.delete) return { name: 'input.backspace' };
      if (key.ctrl || key.meta || key.tab || key.upArrow || key.downArrow || key.leftArrow || key.rightArrow) return null;
      {
        // A paste arrives as one string: keep it on one line, drop other control characters.
        // eslint-disable-next-line no-control-regex
        const text = input.replace(/[\r\n\t]+/g, ' ').replace(/[\u0000-\u001f\u007f]/g, '');
        return text ? { name: 'input.char', text } : null;
      }
  }
}
