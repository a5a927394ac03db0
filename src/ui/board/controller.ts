/**
 * Runs the board: keys become named commands, the reducer applies them, and the commands
 * that write go through the BoardApi (the same services `crm lead move|lose|assign|note`
 * use). Plain TypeScript — no ink, no React — so it is tested against a real store without
 * a terminal; the ink app subscribes to it with useSyncExternalStore.
 */
import type { Board, BoardCard } from '../../services/board/service.js';
import { keyToCommand, type Command, type KeyInfo } from './keys.js';
import type { Viewport } from './layout.js';
import {
  adjacentStage, cardsPerColumn, currentColumn, initialState, reduce, selectedCard, stageOf,
  type BoardEvent, type BoardState, type InputState, type LeadView, type PickerState, type UserChoice,
} from './state.js';

/** What the board may do. The command builds it from the services; tests build it on a real store. */
export interface BoardApi {
  load(opts: { search: string; loaded: Record<number, number>; expanded: number[] }): Promise<Board>;
  cards(stageId: number, search: string, offset: number, limit: number): Promise<{ cards: BoardCard[]; hasMore: boolean }>;
  move(id: number, stage: string): Promise<BoardCard>;
  lose(id: number, reason: string, stage: string): Promise<BoardCard>;
  assign(id: number, email: string): Promise<BoardCard>;
  note(id: number, text: string): Promise<BoardCard>;
  /** Adds a follow-up (addFollowUp); `start` as a person types it, empty for now. */
  followUp(id: number, title: string, start: string): Promise<{ card: BoardCard; startAt: string }>;
  show(id: number): Promise<LeadView>;
  /** Places a call to the lead through Twilio (dialLead); what to tell the user. */
  dial(id: number): Promise<string>;
  users(): Promise<UserChoice[]>;
  /** Changes when another process wrote to the store. */
  version(): Promise<string>;
  /** What a failed call says, in the words of the program that runs the board. */
  describe(err: unknown): { text: string; hint?: string };
}

export interface ControllerOptions {
  viewport: Viewport;
  filter?: string;
  /** The first load, when the caller has it already (the board then opens fully drawn). */
  board?: Board;
  /** How often to look for changes made elsewhere; 0 turns polling off. */
  refreshMs?: number;
  /** Pause after the last key of a `/` filter before it is applied. */
  filterDelayMs?: number;
  /** Cards fetched per column at a time. */
  page?: number;
  /** Cards a reload keeps per column at most. */
  maxLoaded?: number;
}

const PAGE = 40;

/** Board commands the controller carries out; the others are the reducer's alone. */
const EFFECTS = new Set<Command['name']>(['card.next-stage', 'card.prev-stage', 'card.won', 'card.lost', 'card.note', 'card.followup', 'card.assign', 'card.open', 'board.reload']);

export class BoardController {
  private state: BoardState;
  private listeners = new Set<() => void>();
  private queue: Promise<void> = Promise.resolve();
  private loadSeq = 0;
  private poller?: ReturnType<typeof setInterval>;
  private filterTimer?: ReturnType<typeof setTimeout>;
  private seen?: string;
  private stopped = false;
  private notifying = false;

  constructor(
    private api: BoardApi,
    private opts: ControllerOptions,
  ) {
    this.state = initialState({ viewport: opts.viewport, filter: opts.filter, board: opts.board });
  }

  getState = (): BoardState => this.state;

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  /** Loads (unless given a board) and starts polling for changes made elsewhere. */
  async start(): Promise<void> {
    this.seen = await this.api.version();
    if (!this.state.loaded) await this.enqueue(() => this.load());
    const every = this.opts.refreshMs ?? 5000;
    if (every > 0) {
      this.poller = setInterval(() => void this.refreshIfChanged(), every);
      this.poller.unref?.();
    }
  }

  stop(): void {
    this.stopped = true;
    clearInterval(this.poller);
    clearTimeout(this.filterTimer);
  }

  /** A key from the terminal. */
  handle(input: string, key: KeyInfo): Promise<void> {
    // What a key means depends on the mode when its turn comes: `L` then a typed-ahead reason
    // must be a prompt's text, not board commands.
    return this.enqueue(async () => {
      if ([...input].length <= 1 || key.ctrl || key.meta) {
        const cmd = keyToCommand(input, key, this.state.mode);
        return cmd ? this.exec(cmd) : undefined;
      }
      // Keys typed faster than they are read arrive as one string (`>>>`, `?c`, `Price too
      // high⏎`): in a prompt the text up to a line end is typed text and the line end submits;
      // elsewhere each character is a key.
      for (const part of input.split(/(\r\n|\r|\n)/)) {
        if (!part) continue;
        if (/^[\r\n]+$/.test(part)) {
          const enter = keyToCommand('', { return: true }, this.state.mode);
          if (enter) await this.exec(enter);
        } else if (this.state.mode === 'input') {
          const typed = keyToCommand(part, {}, 'input');
          if (typed) await this.exec(typed);
        } else {
          for (const ch of part) {
            const one = keyToCommand(ch, {}, this.state.mode);
            if (one) await this.exec(one);
          }
        }
      }
    });
  }

  /** Commands run one after another, each on the state the previous one left (`>>>` moves a card three stages). */
  run(cmd: Command): Promise<void> {
    return this.enqueue(() => this.exec(cmd));
  }

  resize(viewport: Viewport): void {
    const v = this.state.viewport;
    if (v.width !== viewport.width || v.height !== viewport.height) this.dispatch({ type: 'resize', viewport });
  }

  /** Resolves when every command issued so far is done (tests, benchmarks). */
  idle(): Promise<void> {
    return this.queue;
  }

  private enqueue(work: () => Promise<void>): Promise<void> {
    this.queue = this.queue.then(work).catch((err: unknown) => this.fail(err));
    return this.queue;
  }

  /**
   * Applies an event at once, but tells subscribers once per turn of the event loop: ink
   * renders synchronously on every notification, and a move (card out, card in, message)
   * must cost one frame, not three.
   */
  private dispatch(e: BoardEvent): void {
    const before = this.state;
    this.state = reduce(before, e);
    if (this.state === before || this.notifying) return;
    this.notifying = true;
    queueMicrotask(() => {
      this.notifying = false;
      for (const l of this.listeners) l();
    });
  }

  private say(text: string, kind: 'info' | 'error' = 'info', hint?: string): void {
    this.dispatch({ type: 'message', message: { text, kind, hint } });
  }

  private fail(err: unknown): void {
    const { text, hint } = this.api.describe(err);
    this.say(text, 'error', hint);
  }

  private async exec(cmd: Command): Promise<void> {
    const s = this.state;
    if (s.mode === 'input' && cmd.name === 'input.submit') {
      const input = s.input!;
      this.dispatch({ type: 'command', command: cmd });
      return this.submit(input);
    }
    if (s.mode === 'picker' && cmd.name === 'input.submit') {
      const picker = s.picker!;
      this.dispatch({ type: 'command', command: cmd });
      return this.reassign(picker);
    }
    if (cmd.name === 'card.dial' && (s.mode === 'board' || s.mode === 'panel')) {
      const leadId = s.mode === 'panel' ? s.panel?.leadId : selectedCard(s)?.id;
      if (leadId === undefined) return this.say('No card selected.');
      return this.say(await this.api.dial(leadId));
    }
    if (s.mode !== 'board' || !EFFECTS.has(cmd.name)) {
      this.dispatch({ type: 'command', command: cmd });
      if (s.mode === 'input' && s.input?.purpose === 'filter' && this.state.filter !== s.filter) this.scheduleFilter();
      if (s.mode === 'board') await this.fillColumn();
      return;
    }
    // Commands with an effect draw once, when it is done (the message they leave replaces the last one).
    const card = selectedCard(s);
    switch (cmd.name) {
      case 'card.next-stage':
      case 'card.prev-stage': {
        if (!card) return this.say('No card selected.');
        const target = adjacentStage(s, cmd.name === 'card.next-stage' ? 1 : -1);
        if (!target) return this.say(`${currentColumn(s)!.stage.name} is the ${cmd.name === 'card.next-stage' ? 'last' : 'first'} stage.`);
        if (target.outcome === 'lost') return this.askLostReason(card, target.name);
        return this.move(card, target.name);
      }
      case 'card.won': {
        if (!card) return this.say('No card selected.');
        const won = stageOf(s, 'won');
        if (!won) return this.say('The pipeline has no won stage.', 'error', 'add one: crm stage add Won --won');
        if (card.stageId === won.id) return this.say(`#${card.id} is already in ${won.name}.`);
        return this.move(card, won.name);
      }
      case 'card.lost': {
        if (!card) return this.say('No card selected.');
        const lost = stageOf(s, 'lost');
        if (!lost) return this.say('The pipeline has no lost stage.', 'error', 'add one: crm stage add Lost --lost');
        if (card.stageId === lost.id) return this.say(`#${card.id} is already in ${lost.name}.`);
        return this.askLostReason(card, lost.name);
      }
      case 'card.note':
        if (!card) return this.say('No card selected.');
        this.dispatch({ type: 'input.open', input: { purpose: 'note', prompt: `note on #${card.id} ${card.name}`, text: '', leadId: card.id } });
        return;
      case 'card.followup':
        if (!card) return this.say('No card selected.');
        this.dispatch({ type: 'input.open', input: { purpose: 'followup', prompt: `follow-up on #${card.id} ${card.name}, title`, text: '', leadId: card.id } });
        return;
      case 'card.assign': {
        if (!card) return this.say('No card selected.');
        const users = await this.api.users();
        const index = Math.max(0, users.findIndex((u) => u.email === card.assignees[0]));
        this.dispatch({ type: 'picker.open', picker: { leadId: card.id, users, index } });
        return;
      }
      case 'card.open': {
        if (!card) return this.say('No card selected.');
        this.dispatch({ type: 'panel.open', leadId: card.id });
        this.dispatch({ type: 'panel.loaded', leadId: card.id, view: await this.api.show(card.id) });
        return;
      }
      case 'board.reload':
        await this.load();
        return this.say(`Reloaded: ${this.state.count.toLocaleString('en')} leads.`);
    }
  }

  private askLostReason(card: BoardCard, stage: string): void {
    this.dispatch({ type: 'input.open', input: { purpose: 'lose', prompt: `why was #${card.id} ${card.name} lost?`, text: '', leadId: card.id, stage } });
  }

  private async move(card: BoardCard, stage: string): Promise<void> {
    const from = this.state.columns.find((c) => c.stage.id === card.stageId)?.stage.name ?? '?';
    const moved = await this.api.move(card.id, stage);
    this.dispatch({ type: 'card.moved', card: moved });
    this.say(`Moved #${card.id} ${card.name}: ${from} → ${stage}`);
  }

  private async submit(input: InputState): Promise<void> {
    const text = input.text.trim();
    if (input.purpose === 'filter') {
      if (this.filterTimer) {
        clearTimeout(this.filterTimer);
        this.filterTimer = undefined;
        await this.load();
      }
      return;
    }
    if (input.purpose === 'followup-when') {
      const { card, startAt } = await this.api.followUp(input.leadId!, input.title!, text);
      this.dispatch({ type: 'card.changed', card });
      return this.say(`Follow-up "${input.title}" on #${card.id} ${card.name} at ${startAt}.`);
    }
    if (!text) {
      const what = { lose: 'Not marked lost: a lost lead needs a reason.', note: 'Empty note not added.', followup: 'No follow-up added: it needs a title.' } as const;
      return this.say(what[input.purpose]);
    }
    if (input.purpose === 'followup') {
      this.dispatch({ type: 'input.open', input: { purpose: 'followup-when', prompt: 'when (tomorrow 10:00, in 2h, 2026-11-25 15:00; empty: now)', text: '', leadId: input.leadId, title: text } });
      return;
    }
    if (input.purpose === 'note') {
      this.dispatch({ type: 'card.changed', card: await this.api.note(input.leadId!, text) });
      return this.say(`Note added to #${input.leadId}.`);
    }
    const lost = await this.api.lose(input.leadId!, text, input.stage!);
    this.dispatch({ type: 'card.moved', card: lost });
    this.say(`Marked #${lost.id} ${lost.name} lost: ${text}`);
  }

  private async reassign(p: PickerState): Promise<void> {
    const user = p.users[p.index];
    if (!user) return;
    const card = await this.api.assign(p.leadId, user.email);
    this.dispatch({ type: 'card.changed', card });
    this.say(`#${card.id} ${card.name} is assigned to ${user.name}.`);
  }

  /** Fetches more cards when the cursor nears the end of what a column has loaded. */
  private async fillColumn(): Promise<void> {
    const c = currentColumn(this.state);
    if (!c || c.collapsed || c.loading || c.cards.length >= c.count) return;
    if (!(c.hasMore || c.cards.length === 0)) return;
    const page = this.opts.page ?? PAGE;
    if (c.row < c.cards.length - cardsPerColumn(this.state) - 1) return;
    this.dispatch({ type: 'cards.loading', stageId: c.stage.id });
    const more = await this.api.cards(c.stage.id, this.state.filter, c.cards.length, page);
    this.dispatch({ type: 'cards.appended', stageId: c.stage.id, ...more });
  }

  private scheduleFilter(): void {
    clearTimeout(this.filterTimer);
    this.filterTimer = setTimeout(() => {
      this.filterTimer = undefined;
      if (!this.stopped) void this.enqueue(() => this.load());
    }, this.opts.filterDelayMs ?? 120);
  }

  /** Reloads when another process wrote to the store since the last load (what polling does). */
  refreshIfChanged(): Promise<void> {
    return this.enqueue(async () => {
      if (this.stopped) return;
      if ((await this.api.version()) !== this.seen) await this.load();
    });
  }

  /** (Re)loads every column, keeping as many cards per column as were loaded. */
  private async load(): Promise<void> {
    const seq = ++this.loadSeq;
    const s = this.state;
    const max = this.opts.maxLoaded ?? 400;
    const loaded = Object.fromEntries(s.columns.map((c) => [c.stage.id, Math.min(max, c.cards.length)]));
    const expanded = s.columns.filter((c) => !c.collapsed && c.stage.outcome !== 'open').map((c) => c.stage.id);
    this.seen = await this.api.version();
    const board = await this.api.load({ search: s.filter, loaded, expanded });
    if (seq === this.loadSeq) this.dispatch({ type: 'loaded', board });
  }
}
