import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { teamHome, type Home } from '../helpers/cli.js';
import { daemonTracker, LIVE } from '../helpers/daemon.js';
import { anEmail, fakeImap, type FakeImap } from '../helpers/imap-server.js';
import { waitFor } from '../helpers/wait.js';

describe('crm mailbox (built binary against a loopback IMAP server)', () => {
  let h: Home;
  let imap: FakeImap;
  beforeAll(async () => {
    [h, imap] = await Promise.all([teamHome(), fakeImap()]);
  });
  afterAll(async () => {
    h.cleanup();
    await imap.close();
  });

  it('configures, polls, takes nothing twice, and reports a failed poll with exit 6', async () => {
    await h.fail(['mailbox', 'poll'], 3, /the mailbox is not configured/);
    await h.fail(['mailbox', 'set', '--imap-host', imap.host, '--user', imap.user, '--as', 'ravi@acme.example'], 5, /may not configure the mailbox/);
    await h.fail(['mailbox', 'set', '--imap-host', imap.host], 2, /needs a user/);
    await h.fail(['mailbox', 'set', '--imap-host', imap.host, '--user', imap.user, '--move-to', 'Done', '--mark-seen'], 2, /exclude each other/);
    const set = await h.json(['mailbox', 'set', '--imap-host', imap.host, '--port', String(imap.port), '--no-tls', '--user', imap.user, '--every', '10m', '--move-to', 'Processed']);
    expect(set).toMatchObject({ host: '127.0.0.1', port: imap.port, tls: false, user: imap.user, folder: 'INBOX', every: '10m', after: 'move to Processed', source: 'Email', pass: '' });
    await h.fail(['mailbox', 'poll'], 2, /has no password/);
    await h.ok(['config', 'set', 'mailbox.pass', imap.pass]);
    expect(await h.ok(['config', 'get', 'mailbox.pass'])).not.toContain(imap.pass);

    imap.deliver(anEmail({ from: 'Kavya Menon <kavya@menon.example>', subject: 'Need a quote', body: 'Please quote 500 m.\n\nRegards,\nKavya\nMenon Textiles Ltd\nTel: +91 98765 43210' }));
    imap.deliver(anEmail({ from: 'Away <away@menon.example>', subject: 'Out of office', headers: { 'Auto-Submitted': 'auto-replied' } }));
    const dry = await h.json(['mailbox', 'poll', '--dry-run']);
    expect(dry).toMatchObject({ dryRun: true, fetched: 2, created: 1, skipped: 1 });
    expect(await h.json(['lead', 'list'])).toHaveLength(0);

    const out = await h.ok(['mailbox', 'poll']);
    expect(out).toContain('2 message(s) in leads@acme.example/INBOX: 1 new lead(s), 0 to known contacts, 0 re-engaged, 1 skipped, 0 already handled');
    expect(out).toMatch(/\tskipped\t\taway@menon.example\tOut of office\tAuto-Submitted: auto-replied/);
    const leads = await h.json<{ name: string; source: string; businessName: string; phones: string[] }[]>(['lead', 'list']);
    expect(leads).toMatchObject([{ name: 'Kavya Menon', source: 'Email', businessName: 'Menon Textiles Ltd', phones: ['+919876543210'] }]);
    expect(imap.messages('INBOX')).toHaveLength(0);
    expect(imap.messages('Processed')).toHaveLength(2);

    expect(await h.json(['mailbox', 'poll'])).toMatchObject({ fetched: 0, created: 0 });
    const status = await h.ok(['mailbox', 'status']);
    expect(status).toMatch(/uidvalidity\s+1000/);
    expect(status).toMatch(/last uid\s+2/);
    expect(status).toMatch(/password\s+\*{8}/);

    await h.fail(['mailbox', 'poll'], 6, /IMAP login to 127\.0\.0\.1:\d+ as leads@acme\.example failed/, { env: { CRM_IMAP_PASS: 'wrong' } });
    const s = await h.json(['mailbox', 'status']);
    expect(s.lastPoll).toMatchObject({ ok: false, error: expect.stringMatching(/IMAP login .* failed/) });
    expect(s.lastSuccess).toMatchObject({ ok: true, fetched: 0 });
    expect(await h.ok(['mailbox', 'status'])).toMatch(/last error\s+IMAP login/);
  });
});

describe('the daemon polls the mailbox', () => {
  const tracked = daemonTracker();
  let imap: FakeImap | undefined;
  afterEach(async () => {
    await tracked.teardown();
    await imap?.close();
  });

  it('turns a delivered inquiry into a lead and marks it seen, on its own', async () => {
    const h = tracked.home(await teamHome());
    imap = await fakeImap();
    await h.ok(['mailbox', 'set', '--imap-host', imap.host, '--port', String(imap.port), '--no-tls', '--user', imap.user]);
    const uid = imap.deliver(anEmail({ from: 'Daemon Buyer <daemon.buyer@importers.example>', subject: 'Quote please' }));
    const env = { env: { ...LIVE.env, CRM_IMAP_PASS: imap.pass } };
    await h.ok(['daemon', 'start'], env);
    const leads = await waitFor(async () => {
      const rows = await h.json<{ name: string; source: string }[]>(['lead', 'list'], LIVE);
      return rows.length > 0 && rows;
    }, { what: 'the lead made from the inquiry', timeoutMs: 20_000 });
    expect(leads).toMatchObject([{ name: 'Daemon Buyer', source: 'Email' }]);
    expect(imap.messages().find((m) => m.uid === uid)!.flags).toContain('\\Seen');
    const status = await h.json(['mailbox', 'status'], LIVE);
    expect(status.lastPoll).toMatchObject({ ok: true, created: 1 });
  });
});
