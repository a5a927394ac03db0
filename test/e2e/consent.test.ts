/**
 * Consent per channel and suppressed rows in bulk imports, through the built binary: `crm lead
 * consent`, `lead show` (text and --json), and `crm lead import` (its worker thread) refusing or
 * flagging rows from an erased person, counted in the summary.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { teamHome, type Home } from '../helpers/cli.js';

describe('crm lead consent (end to end)', () => {
  let h: Home;
  let ana: number;
  beforeAll(async () => {
    h = await teamHome();
    ana = (await h.json(['lead', 'add', '--name', 'Ana Sousa', '--email', 'ana@sousa.example', '--phone', '+351912345678', '--assign', 'ravi@acme.example'])).lead.id;
  }, 30_000);
  afterAll(() => h.cleanup());

  it('shows unknown until recorded; records by hand with who and a note; lead show has it', async () => {
    expect((await h.json(['lead', 'consent', String(ana)])).channels.map((c: { state: string }) => c.state)).toEqual(['unknown', 'unknown', 'unknown', 'unknown']);
    const out = await h.ok(['lead', 'consent', String(ana), '--channel', 'email,sms', '--granted', '--note', 'at the fair', '--as', 'ravi@acme.example']);
    expect(out).toContain('email    granted (by-hand, ');
    expect(out).toContain('by ravi@acme.example');
    const r = await h.json(['lead', 'consent', String(ana), '--channel', 'sms', '--withdrawn']);
    expect(r.channels.map((c: { channel: string; state: string }) => `${c.channel}:${c.state}`)).toEqual(['email:granted', 'sms:withdrawn', 'whatsapp:unknown', 'call:unknown']);
    expect(r.history.map((e: { note: string | null }) => e.note)).toEqual(['at the fair', 'at the fair', null]);

    const show = await h.json(['lead', 'show', String(ana)]);
    expect(show.consent.channels[1]).toMatchObject({ channel: 'sms', state: 'withdrawn', source: 'by-hand', user: 'admin@acme.example' });
    expect(await h.ok(['lead', 'show', String(ana)])).toMatch(/Consent\n {2}email {4}granted \(by-hand, .*by ravi@acme\.example\)\n {2}sms {6}withdrawn/);
    // The same truth as the opt-outs: an SMS opt-in undoes the withdrawal.
    await h.ok(['notify', 'opt-in', '--channel', 'sms', '--lead', String(ana)]);
    expect((await h.json(['lead', 'consent', String(ana)])).channels[1]).toMatchObject({ state: 'granted', source: 'by-hand' });
  });

  it('bad input: one clear line and exit 2; another rep cannot', async () => {
    await h.fail(['lead', 'consent', String(ana), '--channel', 'fax', '--granted'], 2, /invalid --channel 'fax'\nhint: use one of: email, sms, whatsapp, call/);
    await h.fail(['lead', 'consent', String(ana), '--granted'], 2, /no channel given/);
    await h.fail(['lead', 'consent', String(ana), '--channel', 'email', '--granted', '--withdrawn'], 2, /contradict/);
    await h.fail(['lead', 'consent', String(ana), '--channel', 'email'], 2, /--granted or --withdrawn/);
    const r = await h.run(['lead', 'consent', String(ana), '--channel', 'email', '--withdrawn', '--as', 'priya@acme.example']);
    expect(r.exitCode).not.toBe(0);
    expect((await h.json(['lead', 'consent', String(ana)])).channels[0].state).toBe('granted');
  });
});

describe('crm lead import and the suppression list (end to end, worker thread)', () => {
  let h: Home;
  beforeAll(async () => {
    h = await teamHome();
    const gone = (await h.json(['lead', 'add', '--name', 'Gone Person', '--email', 'gone@erased.example'])).lead.id;
    await h.ok(['contact', 'erase', String(gone), '--yes']);
  }, 30_000);
  afterAll(() => h.cleanup());

  it('refuse (default): the row goes to the rejects with its reason and is counted; flag: imported with the note', async () => {
    const file = join(h.dir, 'people.csv');
    writeFileSync(file, 'Name,Email,Email Consent\nKeep,keep@ok.example,yes\nGone,GONE@erased.example,yes\n');
    const r = await h.run(['lead', 'import', file, '--json']);
    expect(r.exitCode).toBe(8);
    const s = JSON.parse(String(r.stdout));
    expect(s.parsedIn).toBe('worker');
    expect(s.counts).toMatchObject({ rows: 2, imported: 1, rejected: 1, suppressed: 1 });
    expect(s.firstRejects).toEqual([{ line: 3, reason: 'line 3: suppressed (erased contact)' }]);
    const keep = (await h.json(['lead', 'list', '--search', 'keep@ok.example']))[0];
    expect((await h.json(['lead', 'consent', String(keep.id)])).channels[0]).toMatchObject({ state: 'granted', source: 'import' });

    await h.ok(['config', 'set', 'privacy.suppressed', 'flag']);
    const file2 = join(h.dir, 'again.csv');
    writeFileSync(file2, 'Name,Email\nGone,gone@erased.example\n');
    const text = await h.ok(['lead', 'import', file2]);
    expect(text).toMatch(/suppressed 1 \(the email or phone of a person erased at their request: imported, with a note saying so/);
    const back = (await h.json(['lead', 'list', '--search', 'gone@erased.example']))[0];
    expect((await h.json(['lead', 'show', String(back.id)])).notes.map((n: { body: string }) => n.body)).toEqual([expect.stringMatching(/erased at their request/)]);
  });
});
