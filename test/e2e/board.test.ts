import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIN, teamHome, type Home } from '../helpers/cli.js';
import { waitFor } from '../helpers/wait.js';

describe('crm board without a terminal', () => {
  let h: Home;
  let ana: number;
  beforeAll(async () => {
    h = await teamHome();
    ana = (await h.json(['lead', 'add', '--name', 'Ana Sousa', '--business', 'Sousa Lda', '--value', '12000', '--email', 'ana@sousa.example'])).lead.id;
    await h.ok(['lead', 'add', '--name', 'Rahul Nair', '--value', '500', '--currency', 'USD', '--email', 'rahul@nair.example']);
    await h.ok(['lead', 'add', '--name', 'Won Deal', '--value', '700', '--email', 'won@deal.example', '--stage', 'Won']);
  });
  afterAll(() => h.cleanup());

  it('prints a text board: stages with counts, values and top cards (never ink’s raw-mode error)', async () => {
    const r = await h.run(['board']);
    expect(r.exitCode, String(r.stderr)).toBe(0);
    expect(String(r.stderr)).toBe('');
    const out = String(r.stdout);
    expect(out).toContain('New · 2 leads · EUR 12,000.00 (weighted EUR 1,200.00) + USD 500.00 (weighted USD 50.00)');
    expect(out).toContain(`  #${ana}  Ana Sousa (Sousa Lda)  EUR 12,000.00  score 0  unassigned  not attempted`);
    expect(out).toContain('Contacted · 0 leads · no value');
    // Won is collapsed: its header, not its cards.
    expect(out).toContain('Won · 1 lead · EUR 700.00 (weighted EUR 700.00)');
    expect(out).not.toContain('Won Deal');
    expect(await h.ok(['board', '--include-closed'])).toContain('Won Deal');
  });

  it('finishes with stdin an open pipe (cron, scripts): the text board, no prompt, no raw mode', async () => {
    const r = await h.run(['board'], { timeout: 10_000, openStdin: true });
    expect(r.timedOut ?? false).toBe(false);
    expect(r.exitCode, String(r.stderr)).toBe(0);
    expect(String(r.stdout)).toContain('New · 2 leads');
  });

  it('prints --json with every column, its totals per currency and its top cards', async () => {
    const board = await h.json(['board', '--limit', '1']);
    expect(board.count).toBe(3);
    expect(board.filter).toEqual({ mine: false, user: null, source: [], tag: null, search: null, includeClosed: false });
    expect(board.columns.map((c: { stage: string }) => c.stage)).toEqual(['New', 'Contacted', 'Qualified', 'Demo', 'Proposal Sent', 'Won', 'Lost']);
    const col = board.columns[0];
    expect(col).toMatchObject({ stage: 'New', outcome: 'open', probability: 10, count: 2, collapsed: false, more: 1 });
    expect(col.totals).toEqual([
      { currency: 'EUR', count: 1, value: { amountMinor: 1200000, amount: '12000.00', currency: 'EUR' }, weighted: { amountMinor: 120000, amount: '1200.00', currency: 'EUR' } },
      { currency: 'USD', count: 1, value: { amountMinor: 50000, amount: '500.00', currency: 'USD' }, weighted: { amountMinor: 5000, amount: '50.00', currency: 'USD' } },
    ]);
    expect(col.cards).toHaveLength(1);
    expect(Object.keys(col.cards[0]).sort()).toEqual(['assignedTo', 'businessName', 'id', 'initials', 'name', 'nextFollowUpAt', 'notAttempted', 'overdueFollowUp', 'score', 'value']);
    expect(board.columns[5]).toMatchObject({ stage: 'Won', collapsed: true, cards: [], more: 1 });
  });

  it('filters like crm lead list and refuses --mine with --user', async () => {
    const board = await h.json(['board', '--search', 'rahul']);
    expect(board.count).toBe(1);
    await h.fail(['board', '--mine', '--user', 'ravi@acme.example'], 2, '--mine and --user cannot be used together');
    await h.fail(['board', '--source', 'Nowhere'], 3, "unknown source 'Nowhere'");
  });
});

/** An SGR sequence that sets a foreground colour (30–37, 90–97, 38;5;n, 38;2;r;g;b). */
const COLOUR = /\u001B\[(?:\d+;)*(?:3[0-7]|9[0-7]|38;[25])[;m]/;

/** A real terminal: tmux, on a socket of its own, with the test's environment. */
class Tmux {
  private readonly socket = `crm-e2e-${process.pid}-${Math.random().toString(36).slice(2)}`;
  constructor(private readonly env: Record<string, string>) {}
  private tmux(args: string[]) {
    return execa('tmux', ['-L', this.socket, '-f', '/dev/null', ...args], { env: this.env, extendEnv: false });
  }
  async start(command: string, extraEnv: Record<string, string> = {}) {
    const e = Object.entries({ ...this.env, ...extraEnv }).flatMap(([k, v]) => ['-e', `${k}=${v}`]);
    await this.tmux(['new-session', '-d', '-s', 'board', '-x', '140', '-y', '40', ...e, command]);
  }
  async screen(escapes = false): Promise<string> {
    return String((await this.tmux(['capture-pane', '-p', ...(escapes ? ['-e'] : []), '-t', 'board'])).stdout);
  }
  async waitFor(text: string, timeoutMs = 15_000): Promise<string> {
    let last = '';
    return waitFor(async () => {
      last = await this.screen().catch(() => last);
      return last.includes(text) && last;
    }, { timeoutMs, what: () => `"${text}" on the board; the screen:\n${last}` });
  }
  async keys(keys: string) {
    await this.tmux(['send-keys', '-t', 'board', '-l', keys]);
  }
  async stop() {
    await this.tmux(['kill-server']).catch(() => undefined);
  }
}

describe('crm board in a real terminal (tmux)', () => {
  let h: Home;
  let tmux: Tmux;
  beforeAll(async () => {
    const found = await execa('tmux', ['-V'], { reject: false });
    if (found.exitCode !== 0) throw new Error('this test drives crm board in tmux: install it (apt-get install -y tmux; .ci/run does)');
    h = await teamHome();
    tmux = new Tmux({ ...h.env, CRM_USER: 'ravi@acme.example' });
  });
  afterAll(async () => {
    await tmux?.stop();
    h?.cleanup();
  });

  it('moves the selected card with > and the stage change is saved with its timeline entry', async () => {
    const id = (await h.json(['lead', 'add', '--name', 'Ana Sousa', '--email', 'ana@sousa.example', '--value', '12000', '--assign', 'ravi@acme.example'])).lead.id;
    await tmux.start(`${BIN} board --refresh 0`);
    const first = await tmux.waitFor('q quit');
    expect(first).toContain('crm board · Ravi Kumar (rep) · 1 lead');
    expect(first).toContain('▌Ana Sousa ✱');
    await tmux.keys('>');
    const moved = await tmux.waitFor(`Moved #${id} Ana Sousa: New → Contacted`);
    expect(moved).toMatch(/New · 0/);
    expect(moved).toMatch(/Contacted · 1/);
    // NO_COLOR (set for every test): attributes such as bold stay, colours go.
    expect(await tmux.screen(true)).not.toMatch(COLOUR);
    await tmux.keys('q');

    const shown = await h.json(['lead', 'show', String(id)]);
    expect(shown.stage).toBe('Contacted');
    expect(shown.timeline.map((a: { type: string }) => a.type)).toEqual(['stage', 'created']);
    expect(shown.timeline[0]).toMatchObject({ user: 'ravi@acme.example', data: { from: 'New', to: 'Contacted' } });
  });

  it('uses colour when NO_COLOR is not set', async () => {
    await tmux.stop();
    const env: Record<string, string> = { ...h.env, CRM_USER: 'ravi@acme.example' };
    delete env.NO_COLOR;
    tmux = new Tmux(env);
    await tmux.start(`${BIN} board --refresh 0`);
    await tmux.waitFor('q quit');
    expect(await tmux.screen(true)).toMatch(COLOUR);
    await tmux.keys('q');
  });

  it('draws on a terminal even where CI is set (ink would hold every frame back until the board ends)', async () => {
    await tmux.stop();
    tmux = new Tmux({ ...h.env, CRM_USER: 'ravi@acme.example' });
    await tmux.start(`${BIN} board --refresh 0`, { CI: 'true', CONTINUOUS_INTEGRATION: '1' });
    expect(await tmux.waitFor('q quit')).toContain('crm board · Ravi Kumar (rep)');
    await tmux.keys('q');
  });
});
