import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ExternalServiceError, UsageError } from '../../src/errors.js';
import { JOBS } from '../../src/daemon/jobs.js';
import { mailboxDue, mailboxStatus, pollMailbox, setMailbox } from '../../src/services/intake/mailbox.js';
import { addLead } from '../../src/services/leads/service.js';
import { setSetting } from '../../src/services/settings/service.js';
import { anEmail, fakeImap, type FakeImap } from '../helpers/imap-server.js';
import { FIXED_NOW, testTeam, type TestTeam } from '../helpers/store.js';

const at = (minutes: number) => new Date(FIXED_NOW.getTime() + minutes * 60_000);

describe('mailbox polling (real imapflow against a loopback IMAP server, real SQLite store)', () => {
  let team: TestTeam;
  let imap: FakeImap;
  let env: Record<string, string>;
  beforeEach(async () => {
    [team, imap] = await Promise.all([testTeam(), fakeImap()]);
    env = { CRM_IMAP_PASS: imap.pass };
    await setMailbox(team.as(team.manager), { imapHost: imap.host, port: imap.port, tls: false, user: imap.user, every: '5m' });
  });
  afterEach(async () => {
    await team.close();
    await imap.close();
  });
  const poll = (minutes = 0, opts: { dryRun?: boolean } = {}) => pollMailbox(team.store, at(minutes), { env, actor: team.manager, timeoutMs: 5000, ...opts });
  const timeline = async (leadId: number) => (await team.store.activities.forLead(leadId)).filter((a) => a.type === 'intake');
  const seen = (uid: number) => imap.messages().find((m) => m.uid === uid)!.flags.includes('\\Seen');

  it('turns a new inquiry into a lead with the phone and company from the body, marks it seen, and takes nothing twice', async () => {
    const uid = imap.deliver(anEmail({
      from: 'Kavya Menon <kavya@menon-textiles.example>',
      subject: 'Quote for 500 m of cotton',
      body: 'Hello,\n\nWe need 500 m of cotton twill by December. Please quote.\n\nOrder ref 2026-11-20.\n\nBest regards,\nKavya Menon\nPurchase Manager\nMenon Textiles Pvt Ltd\nMobile: +91 98765 43210\n\n> earlier quoted text +91 99999 00000\n',
    }));
    const r = await poll();
    expect(r).toMatchObject({ fetched: 1, created: 1, skipped: 0, dryRun: false, uidValidity: 1000, lastUid: uid, finished: 1 });
    const lead = (await team.store.leads.get(r.messages[0]!.leadId!))!;
    expect(lead).toMatchObject({ name: 'Kavya Menon', businessName: 'Menon Textiles Pvt Ltd', emails: ['kavya@menon-textiles.example'], phones: ['+919876543210'], source: 'Email' });
    const [entry] = await timeline(lead.id);
    expect(entry!.body).toContain('Subject: Quote for 500 m of cotton');
    expect(entry!.body).toContain('We need 500 m of cotton twill');
    expect(entry!.body).not.toContain('earlier quoted text');
    expect(entry!.data).toMatchObject({ channel: 'email', ref: imap.user, outcome: 'created' });
    expect(seen(uid)).toBe(true);

    const again = await poll(5);
    expect(again).toMatchObject({ fetched: 0, created: 0, lastUid: uid });
    expect(await team.store.leads.list({})).toHaveLength(1);

    // New mail already read in a mail client is still new (above the last UID).
    const read = imap.deliver(anEmail({ subject: 'Read before the poll' }), { flags: ['\\Seen'] });
    expect(await poll(6)).toMatchObject({ fetched: 1, created: 1, lastUid: read });
    const status = await mailboxStatus({ store: team.store, now: at(6) }, env);
    expect(status.config).toMatchObject({ uidValidity: 1000, lastUid: read, pass: '********', source: 'Email', after: 'mark seen' });
    expect(status.lastPoll).toMatchObject({ ok: true, fetched: 1 });
  });

  it('on the first poll takes the unseen messages, not the mail read before', async () => {
    imap.deliver(anEmail({ subject: 'Old, read' }), { flags: ['\\Seen'] });
    const unread = imap.deliver(anEmail({ subject: 'Old, unread' }));
    const r = await poll();
    expect(r).toMatchObject({ fetched: 1, created: 1, lastUid: unread });
    expect(r.messages.map((m) => m.subject)).toEqual(['Old, unread']);
  });

  it('puts a message from a known contact on its timeline, converts HTML to text, and skips auto-replies, bounces and our own mail', async () => {
    const known = (await addLead(team.as(team.admin), { name: 'Known Buyer', emails: ['known@importers.example'] })).lead;
    await setSetting(team.as(team.admin), 'smtp.from', 'Acme Sales <sales@acme.example>');
    const reply = imap.deliver(anEmail({ from: 'Known Buyer <KNOWN@importers.example>', subject: 'Re: your quote', html: '<p>Thanks, <b>we accept</b> the price.</p>' }));
    const ooo = imap.deliver(anEmail({ from: 'Away <away@importers.example>', subject: 'Out of office', headers: { 'Auto-Submitted': 'auto-replied' } }));
    const bulk = imap.deliver(anEmail({ from: 'News <news@list.example>', subject: 'Weekly news', headers: { Precedence: 'bulk' } }));
    const bounce = imap.deliver(anEmail({ from: 'Mail Delivery System <MAILER-DAEMON@mx.acme.example>', subject: 'Undelivered Mail Returned to Sender' }));
    const ours = imap.deliver(anEmail({ from: 'Acme Sales <sales@acme.example>', subject: 'Your quote' }));
    const r = await poll();
    expect(r).toMatchObject({ fetched: 5, created: 0, existing: 1, skipped: 4 });
    expect(r.messages.filter((m) => m.outcome === 'skipped').map((m) => m.reason)).toEqual([
      'Auto-Submitted: auto-replied', 'Precedence: bulk', 'bounce from mailer-daemon@mx.acme.example', 'from our own address sales@acme.example',
    ]);
    expect(await team.store.leads.list({})).toHaveLength(1);
    const [entry] = await timeline(known.id);
    expect(entry!.body).toContain('Subject: Re: your quote');
    expect(entry!.body).toContain('Thanks, we accept the price.');
    expect(entry!.body).not.toContain('<b>');
    expect(entry!.data).toMatchObject({ outcome: 'existing' });
    for (const uid of [reply, ooo, bulk, bounce, ours]) expect(seen(uid)).toBe(true);
  });

  it('uses Reply-To over a no-reply sender, the Company: line, and rejects a message with nothing to make a lead from', async () => {
    imap.deliver(anEmail({
      from: 'Website <no-reply@acme.example>', replyTo: 'Joana Silva <joana@lisboa-moveis.example>', subject: 'Contact form',
      body: 'Name: Joana Silva\nCompany: Lisboa Móveis Lda\nPhone: 912 345 678\nMessage: we need 40 chairs',
    }));
    const r = await poll();
    expect(r).toMatchObject({ created: 1 });
    const lead = (await team.store.leads.get(r.messages[0]!.leadId!))!;
    expect(lead).toMatchObject({ name: 'Joana Silva', businessName: 'Lisboa Móveis Lda', emails: ['joana@lisboa-moveis.example'], phones: ['+351912345678'] });

    imap.deliver(anEmail({ from: 'not an address', subject: 'hi', body: 'no contact here' }));
    const r2 = await poll(5);
    expect(r2).toMatchObject({ fetched: 1, rejected: 1, created: 0 });
    expect(r2.messages[0]!.reason).toMatch(/no name and no valid email or phone/);
    expect(await poll(10)).toMatchObject({ fetched: 0 });
  });

  it('moves handled messages to the --move-to folder, creating it', async () => {
    await setMailbox(team.as(team.manager), { moveTo: 'Processed' });
    imap.deliver(anEmail({ subject: 'Move me' }));
    const r = await poll();
    expect(r).toMatchObject({ created: 1, finished: 1 });
    expect(imap.messages('INBOX')).toHaveLength(0);
    expect(imap.messages('Processed').map((m) => m.raw)).toEqual([expect.stringContaining('Subject: Move me')]);
  });

  it('a dry run stores nothing and marks nothing', async () => {
    const a = imap.deliver(anEmail({ from: 'Same Sender <same@importers.example>' }));
    imap.deliver(anEmail({ from: 'Same Sender <same@importers.example>' }));
    const r = await poll(0, { dryRun: true });
    expect(r).toMatchObject({ dryRun: true, fetched: 2, created: 1, existing: 1 });
    expect(await team.store.leads.list({})).toHaveLength(0);
    expect(seen(a)).toBe(false);
    expect((await mailboxStatus({ store: team.store, now: FIXED_NOW })).lastPoll).toBeNull();
    expect(await poll()).toMatchObject({ created: 1, existing: 1 });
  });

  it('after a UIDVALIDITY change re-scans the unseen messages but never handles a Message-ID twice', async () => {
    const first = anEmail({ subject: 'Before the rebuild' });
    imap.deliver(first);
    expect(await poll()).toMatchObject({ created: 1, uidValidity: 1000 });
    // A human marks it unread again, then the server rebuilds the folder; a new inquiry arrives.
    imap.setFlags(imap.messages()[0]!.uid, []);
    imap.rebuild(2000);
    const later = imap.deliver(anEmail({ subject: 'After the rebuild' }));
    const r = await poll(5);
    expect(r).toMatchObject({ uidValidity: 2000, fetched: 2, created: 1, seen: 1, lastUid: later });
    expect(r.messages.find((m) => m.outcome === 'seen')!.reason).toMatch(/handled before as UID 1 \(UIDVALIDITY 1000\): created/);
    expect(await team.store.leads.list({})).toHaveLength(2);
    expect(imap.messages().every((m) => m.flags.includes('\\Seen'))).toBe(true);
    expect((await mailboxStatus({ store: team.store, now: at(5) })).config).toMatchObject({ uidValidity: 2000, lastUid: later });
  });

  it('a poll stopped between the commit and marking leaves the message recorded: the next poll only marks it', async () => {
    const uid = imap.deliver(anEmail({ subject: 'Marked later' }));
    imap.refuseStore(true);
    const err = await poll().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ExternalServiceError);
    expect((err as Error).message).toMatch(/marking messages seen/);
    expect(await team.store.leads.list({})).toHaveLength(1);
    expect(seen(uid)).toBe(false);
    const status = await mailboxStatus({ store: team.store, now: FIXED_NOW });
    expect(status).toMatchObject({ pending: 1, lastPoll: { ok: false, created: 1 } });

    imap.refuseStore(false);
    expect(await poll(5)).toMatchObject({ fetched: 0, created: 0, finished: 1 });
    expect(seen(uid)).toBe(true);
    expect(await team.store.leads.list({})).toHaveLength(1);
    expect((await mailboxStatus({ store: team.store, now: at(5) })).pending).toBe(0);
  });

  it('records a failed poll for a wrong password, a refused connection and a TLS failure (exit 6)', async () => {
    imap.deliver(anEmail());
    env = { CRM_IMAP_PASS: 'wrong' };
    const bad = await poll().catch((e: unknown) => e);
    expect(bad).toBeInstanceOf(ExternalServiceError);
    expect((bad as Error).message).toMatch(new RegExp(`IMAP login to 127.0.0.1:${imap.port} as leads@acme.example failed`));
    expect((bad as Error).message).not.toContain('wrong');
    const status = await mailboxStatus({ store: team.store, now: FIXED_NOW });
    expect(status.lastPoll).toMatchObject({ ok: false, fetched: 0, error: expect.stringMatching(/IMAP login .* failed/) });
    expect(status.lastSuccess).toBeNull();
    expect(await team.store.leads.list({})).toHaveLength(0);

    env = { CRM_IMAP_PASS: imap.pass };
    await setMailbox(team.as(team.manager), { folder: 'Nope' });
    await expect(poll(1)).rejects.toThrow(/cannot open folder Nope of leads@acme.example/);
    await setMailbox(team.as(team.manager), { folder: 'INBOX', tls: true, port: imap.port });
    const tls = await poll(1).catch((e: unknown) => e);
    expect(tls).toBeInstanceOf(ExternalServiceError);
    expect((tls as Error).message).toMatch(/TLS with the IMAP server 127.0.0.1:\d+ failed/);

    await imap.close();
    await setMailbox(team.as(team.manager), { tls: false, port: imap.port });
    const refused = await poll(2).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(ExternalServiceError);
    expect((refused as Error).message).toMatch(/connection refused/);
    expect((await mailboxStatus({ store: team.store, now: at(2) })).lastPoll).toMatchObject({ ok: false, error: expect.stringMatching(/connection refused/) });
    imap = await fakeImap();
  });

  it('refuses to poll without a password, and only managers and admins configure or poll by hand', async () => {
    const noPass = await pollMailbox(team.store, FIXED_NOW, { env: {}, actor: team.manager }).catch((e: unknown) => e);
    expect(noPass).toBeInstanceOf(UsageError);
    expect((noPass as Error).message).toMatch(/has no password/);
    await expect(setMailbox(team.as(team.ravi), { imapHost: 'x' })).rejects.toThrow(/may not configure the mailbox/);
    await expect(pollMailbox(team.store, FIXED_NOW, { env, actor: team.ravi })).rejects.toThrow(/may not poll the mailbox/);
    await expect(setMailbox(team.as(team.manager), { moveTo: 'Done', markSeen: true })).rejects.toThrow(/exclude each other/);
    await expect(setMailbox(team.as(team.manager), { every: '0m' })).rejects.toThrow(/invalid every/);
  });

  it('the daemon job polls when --every has passed since the last poll', async () => {
    const job = JOBS.find((j) => j.name === 'mailbox.poll')!;
    const logs: string[] = [];
    const ctx = (minutes: number) => ({ store: team.store, env, now: at(minutes), log: (_l: string, m: string) => void logs.push(m) });
    imap.deliver(anEmail({ subject: 'For the daemon' }));
    expect(await mailboxDue(team.store, FIXED_NOW)).toBe(true);
    expect(await job.run(ctx(0))).toMatch(/^1 message\(s\): 1 new/);
    imap.deliver(anEmail({ subject: 'Too early' }));
    expect(await job.run(ctx(4))).toBe('not due');
    expect(await job.run(ctx(5))).toMatch(/^1 message\(s\): 1 new/);
    const leads = await team.store.leads.list({});
    expect(leads).toHaveLength(2);
    // Acting as the manager who configured the mailbox.
    expect((await timeline(leads[0]!.id))[0]!.userId).toBe(team.manager.id);
  });
});
