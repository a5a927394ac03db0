import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createBoardApi } from '../src/commands/board/api.js';
import type { BoardFilter } from '../src/services/board/service.js';
import { assignLead, showLead } from '../src/services/leads/service.js';
import { openStore } from '../src/store/index.js';
import type { User } from '../src/domain/users.js';
import { BoardController } from '../src/ui/board/controller.js';
import type { KeyInfo } from '../src/ui/board/keys.js';
import { currentColumn, selectedCard } from '../src/ui/board/state.js';
import { addLeadAs, testTeam, type TestTeam } from './helpers/store.js';
import { startTwilio } from './helpers/notify-servers.js';

/** The board as `crm board` runs it, on a real store, without a terminal: keys in, state out. */
async function boardAs(t: TestTeam, user: User, filter: BoardFilter = {}, voice?: Parameters<typeof createBoardApi>[3]) {
  const api = createBoardApi(async () => t.as(user), filter, 'UTC', voice);
  const c = new BoardController(api, { viewport: { width: 200, height: 40 }, refreshMs: 0, filterDelayMs: 0 });
  await c.start();
  const press = async (input: string, key: KeyInfo = {}) => {
    await c.handle(input, key);
    await c.idle();
  };
  const type = async (text: string) => {
    for (const ch of text) await press(ch);
  };
  return { c, press, type, state: () => c.getState() };
}

const ENTER: KeyInfo = { return: true };

describe('board controller on a real store', () => {
  let t: TestTeam;
  beforeEach(async () => {
    t = await testTeam();
  });
  afterEach(() => t.close());

  it('> moves the selected card to the next stage through moveLead, with its timeline entry', async () => {
    const lead = await addLeadAs(t, t.ravi, { name: 'Ana Sousa', value: '1000' });
    const b = await boardAs(t, t.ravi);
    expect(selectedCard(b.state())?.id).toBe(lead.id);
    await b.press('>');
    expect(b.state().message).toMatchObject({ kind: 'info', text: `Moved #${lead.id} Ana Sousa: New → Contacted` });
    expect(currentColumn(b.state())!.stage.name).toBe('Contacted');
    expect(selectedCard(b.state())?.id).toBe(lead.id);
    expect(b.state().columns[0]!.count).toBe(0);
    const { lead: saved, timeline } = await showLead(t.as(t.admin), lead.id);
    expect(saved.stage).toBe('Contacted');
    expect(timeline[0]).toMatchObject({ type: 'stage', user: 'ravi@acme.example', data: { from: 'New', to: 'Contacted' } });
    // Shift+← moves it back.
    await b.press('', { leftArrow: true, shift: true });
    expect((await showLead(t.as(t.admin), lead.id)).lead.stage).toBe('New');
    b.c.stop();
  });

  it('>>> typed ahead moves one card three stages, in order', async () => {
    const lead = await addLeadAs(t, t.ravi, { name: 'Fast' });
    const b = await boardAs(t, t.ravi);
    await Promise.all([b.c.handle('>', {}), b.c.handle('>', {}), b.c.handle('>', {})]);
    await b.c.idle();
    expect((await showLead(t.as(t.admin), lead.id)).lead.stage).toBe('Demo');
    b.c.stop();
  });

  it('a move the rep may no longer make shows why and changes nothing', async () => {
    const lead = await addLeadAs(t, t.ravi, { name: 'Taken Away' });
    const b = await boardAs(t, t.ravi);
    // Meanwhile a manager gives the lead to Priya.
    await assignLead(t.as(t.manager), lead.id, { to: ['priya@acme.example'] });
    await b.press('>');
    expect(b.state().message).toMatchObject({ kind: 'error', text: expect.stringContaining('is not assigned to you') });
    expect(b.state().message!.hint).toMatch(/reassign/);
    expect(selectedCard(b.state())?.id).toBe(lead.id);
    expect(b.state().columns[0]!.count).toBe(1);
    const { lead: saved, timeline } = await showLead(t.as(t.admin), lead.id);
    expect(saved.stage).toBe('New');
    expect(timeline.map((a) => a.type)).toEqual(['assigned', 'created']);
    b.c.stop();
  });

  it('L asks the lost reason and marks the lead lost with it; an empty reason changes nothing', async () => {
    const lead = await addLeadAs(t, t.ravi, { name: 'Gone' });
    const b = await boardAs(t, t.ravi);
    await b.press('L');
    expect(b.state().mode).toBe('input');
    await b.press('', ENTER);
    expect(b.state().message?.text).toMatch(/needs a reason/);
    expect((await showLead(t.as(t.admin), lead.id)).lead.stage).toBe('New');
    await b.press('L');
    await b.type('Price too high');
    await b.press('', ENTER);
    const { lead: saved, timeline } = await showLead(t.as(t.admin), lead.id);
    expect(saved).toMatchObject({ stage: 'Lost', lostReason: 'Price too high' });
    expect(timeline[0]).toMatchObject({ type: 'lost', data: { reason: 'Price too high' } });
    expect(b.state().columns.find((c) => c.stage.name === 'Lost')!.count).toBe(1);
    b.c.stop();
  });

  it('keys typed ahead mean what they mean when their turn comes (a reason is text, not commands)', async () => {
    const other = await addLeadAs(t, t.ravi, { name: 'Multi' });
    const lead = await addLeadAs(t, t.ravi, { name: 'Quick' });
    const b = await boardAs(t, t.ravi);
    expect(selectedCard(b.state())?.id).toBe(lead.id);
    void b.c.handle('L', {});
    for (const ch of 'a lost cause') void b.c.handle(ch, {});
    await b.c.handle('', ENTER);
    expect((await showLead(t.as(t.admin), lead.id)).lead).toMatchObject({ stage: 'Lost', lostReason: 'a lost cause' });
    // Text and Enter read as one string: the text, then the submit.
    const third = await addLeadAs(t, t.ravi, { name: 'Pasted' });
    await b.press('r');
    await b.press('g');
    expect(selectedCard(b.state())?.id).toBe(third.id);
    await b.press('n');
    await b.press('Left a voicemail\r');
    expect(b.state().mode).toBe('board');
    expect((await showLead(t.as(t.admin), third.id)).timeline[0]).toMatchObject({ type: 'note', body: 'Left a voicemail' });
    // `>>>` read as one string is three keys on the board.
    await b.press('j');
    expect(selectedCard(b.state())?.id).toBe(other.id);
    await b.press('>>>');
    expect((await showLead(t.as(t.admin), other.id)).lead.stage).toBe('Demo');
    // Outside the board too: `?c` closes the help, then collapses the column.
    await b.press('?');
    await b.press('?c');
    expect(b.state().mode).toBe('board');
    expect(currentColumn(b.state())!.collapsed).toBe(true);
    b.c.stop();
  });

  it('w moves the card to the won stage', async () => {
    const lead = await addLeadAs(t, t.ravi, { name: 'Deal', value: '500' });
    const b = await boardAs(t, t.ravi);
    await b.press('w');
    expect((await showLead(t.as(t.admin), lead.id)).lead.stage).toBe('Won');
    const won = b.state().columns.find((c) => c.stage.name === 'Won')!;
    expect(won).toMatchObject({ count: 1, collapsed: true });
    expect(won.totals[0]).toMatchObject({ valueMinor: 50000, weightedMinor: 50000 });
    b.c.stop();
  });

  it('n adds a note, which makes the card attempted', async () => {
    const lead = await addLeadAs(t, t.ravi, { name: 'Call me' });
    const b = await boardAs(t, t.ravi);
    expect(selectedCard(b.state())!.notAttempted).toBe(true);
    await b.press('n');
    await b.type('Called, wants a demo');
    await b.press('', ENTER);
    expect(selectedCard(b.state())!.notAttempted).toBe(false);
    const { timeline } = await showLead(t.as(t.admin), lead.id);
    expect(timeline[0]).toMatchObject({ type: 'note', body: 'Called, wants a demo', user: 'ravi@acme.example' });
    b.c.stop();
  });

  it('f adds a follow-up (title, then when) and the card shows it', async () => {
    const lead = await addLeadAs(t, t.ravi, { name: 'Call Back' });
    const b = await boardAs(t, t.ravi);
    await b.press('f');
    await b.type('Send the quote');
    await b.press('', ENTER);
    expect(b.state().input).toMatchObject({ purpose: 'followup-when', title: 'Send the quote' });
    await b.type('2026-11-25 15:00');
    await b.press('', ENTER);
    expect(b.state().message).toMatchObject({ kind: 'info', text: `Follow-up "Send the quote" on #${lead.id} Call Back at 2026-11-25 15:00.` });
    expect(selectedCard(b.state())!.nextFollowUpAt).toBe('2026-11-25T15:00:00.000Z');
    const { timeline } = await showLead(t.as(t.admin), lead.id);
    expect(timeline[0]).toMatchObject({ type: 'follow-up', user: 'ravi@acme.example' });
    // A title is required; a time the service cannot read is refused with its own message.
    await b.press('f');
    await b.press('', ENTER);
    expect(b.state().message?.text).toBe('No follow-up added: it needs a title.');
    await b.press('f');
    await b.type('Again');
    await b.press('', ENTER);
    await b.type('someday maybe');
    await b.press('', ENTER);
    expect(b.state().message).toMatchObject({ kind: 'error' });
    b.c.stop();
  });

  it('a reassigns through a list of users (managers); a rep is told no', async () => {
    const lead = await addLeadAs(t, t.admin, { name: 'Unowned' });
    const b = await boardAs(t, t.manager);
    await b.press('a');
    expect(b.state().mode).toBe('picker');
    const users = b.state().picker!.users.map((u) => u.email);
    const steps = users.indexOf('priya@acme.example') - b.state().picker!.index;
    for (let i = 0; i < steps; i++) await b.press('j');
    await b.press('', ENTER);
    expect(selectedCard(b.state())!.initials).toEqual(['PS']);
    expect((await showLead(t.as(t.admin), lead.id)).lead.assignees.map((a) => a.email)).toEqual(['priya@acme.example']);
    b.c.stop();

    await addLeadAs(t, t.ravi, { name: 'Ravi Own' });
    const rep = await boardAs(t, t.ravi);
    await rep.press('a');
    expect(rep.state().mode).toBe('board');
    expect(rep.state().message).toMatchObject({ kind: 'error', text: 'ravi@acme.example is a rep and may not reassign leads' });
    rep.c.stop();
  });

  it('enter opens the 360° view with the timeline', async () => {
    const lead = await addLeadAs(t, t.ravi, { name: 'Ana Sousa', businessName: 'Sousa Lda', value: '1200' });
    const b = await boardAs(t, t.ravi);
    await b.press('', ENTER);
    expect(b.state().mode).toBe('panel');
    const view = b.state().panel!.view!;
    expect(view.title).toBe(`Lead ${lead.id}: Ana Sousa — Sousa Lda`);
    expect(view.fields).toContainEqual(['value', 'EUR 1,200.00']);
    expect(view.timeline.map((e) => e.text)).toEqual(['created (new)']);
    await b.press('', { escape: true });
    expect(b.state().mode).toBe('board');
    b.c.stop();
  });

  it('/ filters as you type, from the store (counts follow)', async () => {
    await addLeadAs(t, t.admin, { name: 'Ana Sousa' });
    await addLeadAs(t, t.admin, { name: 'Rahul Sharma' });
    await addLeadAs(t, t.admin, { name: 'Anand Rao' });
    const b = await boardAs(t, t.admin);
    expect(b.state().count).toBe(3);
    await b.press('/');
    await b.type('ana');
    await new Promise((r) => setTimeout(r, 20));
    await b.c.idle();
    expect(b.state().count).toBe(2);
    expect(b.state().columns[0]!.cards.map((c) => c.name).sort()).toEqual(['Ana Sousa', 'Anand Rao']);
    await b.press('', { escape: true });
    await new Promise((r) => setTimeout(r, 20));
    await b.c.idle();
    expect(b.state().count).toBe(3);
    b.c.stop();
  });

  it('picks up changes another process made (polling), keeping the cursor on its card', async () => {
    await addLeadAs(t, t.admin, { name: 'First' });
    const b = await boardAs(t, t.admin);
    await b.c.refreshIfChanged();
    expect(b.state().count).toBe(1);
    const other = await openStore(t.store.location);
    try {
      const { addLead } = await import('../src/services/leads/service.js');
      await addLead({ store: other, actor: t.admin, now: new Date() }, { name: 'From elsewhere', emails: ['elsewhere@example.com'] });
    } finally {
      await other.close();
    }
    await b.c.refreshIfChanged();
    expect(b.state().count).toBe(2);
    expect(b.state().columns[0]!.cards.map((c) => c.name).sort()).toEqual(['First', 'From elsewhere']);
    expect(selectedCard(b.state())!.name).toBe('First');
    b.c.stop();
  });

  it('loads more cards as the cursor nears the end of a long column', async () => {
    for (let i = 0; i < 50; i++) await addLeadAs(t, t.admin, { name: `L${i}` });
    const b = await boardAs(t, t.admin);
    expect(b.state().columns[0]!.cards).toHaveLength(40);
    await b.press('G');
    await b.press('j');
    expect(b.state().columns[0]!.cards).toHaveLength(50);
    expect(new Set(b.state().columns[0]!.cards.map((c) => c.id)).size).toBe(50);
    b.c.stop();
  });

  it('C calls the selected lead through Twilio (board and 360° view); refused with the reason when Twilio is not set up', async () => {
    const lead = await addLeadAs(t, t.ravi, { name: 'Ana Sousa', phones: ['+351 912 345 678'] });
    const tw = await startTwilio('AC1', 'tok');
    try {
      const b = await boardAs(t, t.ravi, {}, { env: {}, callbackBase: async () => 'https://crm.example.com' });
      await b.press('C');
      expect(b.state().message).toMatchObject({ kind: 'error', text: expect.stringContaining('calls through Twilio are not set up') });
      expect(tw.requests).toEqual([]);
      for (const [k, v] of [['twilio.account-sid', 'AC1'], ['twilio.auth-token', 'tok'], ['twilio.voice-from', '+15005550006'], ['twilio.api-url', tw.url]]) await t.store.settings.set(k!, v!);
      await t.store.userPhones.set(t.ravi.id, '+14155550199');
      await b.press('C');
      expect(b.state().message).toMatchObject({ kind: 'info', text: 'Calling Ana Sousa at +351912345678: your phone (+14155550199) rings first. Wrap up after with crm call wrap-up.' });
      await b.press('', ENTER);
      await b.press('C');
      expect(b.state().mode).toBe('panel');
      expect(tw.requests.map((r) => [r.form.To, r.form.StatusCallback])).toEqual([
        ['+14155550199', 'https://crm.example.com/intake/twilio/voice/status'],
        ['+14155550199', 'https://crm.example.com/intake/twilio/voice/status'],
      ]);
      expect((await t.store.calls.twilioOfUser(t.ravi.id, 'out', 5)).map((c) => c.leadId)).toEqual([lead.id, lead.id]);
      b.c.stop();
    } finally {
      await tw.close();
    }
  });
});
