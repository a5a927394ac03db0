import { createElement } from 'react';
import { render } from 'ink-testing-library';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createBoardApi } from '../src/commands/board/api.js';
import { showLead } from '../src/services/leads/service.js';
import { addFollowUp } from '../src/services/followups/service.js';
import type { User } from '../src/domain/users.js';
import { BoardApp } from '../src/ui/board/App.js';
import { BoardController } from '../src/ui/board/controller.js';
import { runBoard } from '../src/ui/board/main.js';
import { PassThrough } from 'node:stream';
import { addLeadAs, testTeam, type TestTeam } from './helpers/store.js';

// ink-testing-library: a write right after render() is lost; wait a tick before and after.
const tick = (ms = 40) => new Promise((r) => setTimeout(r, ms));

async function renderBoard(t: TestTeam, user: User) {
  const api = createBoardApi(async () => t.as(user), {}, 'UTC');
  const controller = new BoardController(api, { viewport: { width: 100, height: 24 }, refreshMs: 0 });
  await controller.start();
  const r = render(createElement(BoardApp, { controller, color: false, who: `${user.name} (${user.role})`, timeZone: 'UTC' }));
  await tick();
  const press = async (keys: string) => {
    r.stdin.write(keys);
    await tick();
    await controller.idle();
    await tick();
  };
  return {
    ...r,
    controller,
    press,
    frame: () => r.lastFrame() ?? '',
    done() {
      controller.stop();
      r.unmount();
    },
  };
}

describe('crm board rendered by ink', () => {
  let t: TestTeam;
  beforeEach(async () => {
    t = await testTeam();
  });
  afterEach(() => t.close());

  it('draws columns with counts, totals and cards, and moves a card with >', async () => {
    const lead = await addLeadAs(t, t.ravi, { name: 'Ana Sousa', businessName: 'Sousa Lda', value: '12000', score: '78' });
    await addLeadAs(t, t.ravi, { name: 'Rahul Nair', value: '500.50' });
    const b = await renderBoard(t, t.ravi);
    let f = b.frame();
    expect(f).toContain('crm board · Ravi Kumar (rep) · 2 leads');
    expect(f).toMatch(/New · 2/);
    expect(f).toContain('Σ EUR 12,501');
    expect(f).toContain('w EUR 1,250'); // 10% of 12,500.50, rounded to whole euros
    expect(f).toContain('▌Rahul Nair ✱'); // newest first, selected, not attempted
    expect(f).toContain('EUR 12,000  78pt  RK');
    expect(f).toContain('q quit');

    await b.press('j');
    expect(b.frame()).toContain('▌Ana Sousa ✱');
    await b.press('>');
    f = b.frame();
    expect(f).toContain(`✓ Moved #${lead.id} Ana Sousa: New → Contacted`);
    expect(f).toMatch(/New · 1/);
    expect(f).toMatch(/Contacted · 1/);
    expect(f).toContain('▌Ana Sousa'); // the cursor went with the card
    expect(f).not.toContain('Ana Sousa ✱'); // a stage move is an attempt
    expect((await showLead(t.as(t.admin), lead.id)).lead.stage).toBe('Contacted');
    b.done();
  });

  it('scrolls sideways on a narrow terminal and shows where more columns are', async () => {
    await addLeadAs(t, t.admin, { name: 'Only One' });
    const b = await renderBoard(t, t.admin);
    // 100 columns: three expanded columns of 26+ fit, then won/lost are further right.
    expect(b.frame()).toMatch(/4 ▸/);
    expect(b.frame()).not.toContain('Demo');
    await b.press('lll');
    expect(b.frame()).toContain('Demo');
    expect(b.frame()).toMatch(/◂ \d/);
    b.done();
  });

  it('shows why a move is refused, and the help screen', async () => {
    const lead = await addLeadAs(t, t.ravi, { name: 'Not Yours' });
    const b = await renderBoard(t, t.ravi);
    const { assignLead } = await import('../src/services/leads/service.js');
    await assignLead(t.as(t.admin), lead.id, { to: ['priya@acme.example'] });
    await b.press('>');
    expect(b.frame()).toContain(`✗ lead ${lead.id} is not assigned to you (ravi@acme.example)`);
    expect((await showLead(t.as(t.admin), lead.id)).lead.stage).toBe('New');
    await b.press('?');
    expect(b.frame()).toContain('move the card to the previous / next stage');
    await b.press('?');
    expect(b.frame()).toContain('Not Yours');
    b.done();
  });

  it('opens the 360° view on enter and asks the lost reason in the status line', async () => {
    const lead = await addLeadAs(t, t.ravi, { name: 'Ana Sousa', value: '100' });
    const b = await renderBoard(t, t.ravi);
    await b.press('\r');
    expect(b.frame()).toContain(`Lead ${lead.id}: Ana Sousa`);
    expect(b.frame()).toContain('Timeline (1)');
    await b.press('\u001B');
    await b.press('L');
    expect(b.frame()).toContain(`why was #${lead.id} Ana Sousa lost?:`);
    await b.press('No budget');
    await b.press('\r');
    expect(b.frame()).toContain(`✓ Marked #${lead.id} Ana Sousa lost: No budget`);
    expect((await showLead(t.as(t.admin), lead.id)).lead).toMatchObject({ stage: 'Lost', lostReason: 'No budget' });
    b.done();
  });

  it('shows the next follow-up date and an overdue marker on cards', async () => {
    const soon = await addLeadAs(t, t.ravi, { name: 'Soon', businessName: 'Soon Lda' });
    await addFollowUp(t.as(t.ravi), { leadId: soon.id, title: 'Call', start: '2026-11-25T10:00:00Z' }, { timeZone: 'UTC' });
    const late = await addLeadAs(t, t.ravi, { name: 'Late' });
    await addFollowUp(t.as(t.ravi, new Date('2026-11-20T09:00:00Z')), { leadId: late.id, title: 'Call', start: '2026-11-21T10:00:00Z' }, { timeZone: 'UTC' });
    const b = await renderBoard(t, t.ravi);
    expect(b.frame()).toContain('→11-25 Soon Lda');
    expect(b.frame()).toMatch(/Late ✱ !/);
    b.done();
  });

  it('quits on q', async () => {
    await addLeadAs(t, t.admin, {});
    const b = await renderBoard(t, t.admin);
    await b.press('q');
    expect(b.controller.getState().quit).toBe(true);
    b.done();
  });
  it('ends when q is pressed while the board still waits on the store', async () => {
    // On PostgreSQL the first frame is out before the controller's first store round trip
    // returns; a q then unmounted ink, and the command waited for an exit that had passed.
    await addLeadAs(t, t.admin, { name: 'Only One' });
    const real = createBoardApi(async () => t.as(t.admin), {}, 'UTC');
    let answer!: () => void;
    const held = new Promise<void>((r) => (answer = r));
    const api = { ...real, version: async () => held.then(() => real.version()) };
    const stdin = Object.assign(new PassThrough(), { isTTY: true, setRawMode: () => stdin, ref: () => stdin, unref: () => stdin }) as unknown as NodeJS.ReadStream;
    const stdout = Object.assign(new PassThrough(), { isTTY: true, columns: 100, rows: 24 }) as unknown as NodeJS.WriteStream;
    const stderr = new PassThrough() as unknown as NodeJS.WriteStream;
    let shown = '';
    stdout.on('data', (d: Buffer) => (shown += d.toString()));
    const board = await real.load({ search: '', loaded: {}, expanded: [] });
    const run = runBoard({ api, board, refreshMs: 0, color: false, who: 'Admin (admin)', timeZone: 'UTC', stdin, stdout, stderr });
    // The first frame waits on ink and the board's UI compiling; a loaded CI machine took over 2 s.
    for (const until = Date.now() + 30_000; Date.now() < until && !shown.includes('q quit'); ) await tick(20);
    expect(shown).toContain('q quit');
    stdin.write('q');
    await tick(100);
    answer();
    const outcome = await Promise.race([run.then(() => 'ended'), tick(5000).then(() => 'still running 5 s after q')]);
    expect(outcome).toBe('ended');
    expect(shown).toContain('\u001B[?1049l'); // the terminal's own screen is back
  });
});
