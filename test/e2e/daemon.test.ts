import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { execa } from 'execa';
import { BIN, teamHome, type Home } from '../helpers/cli.js';
import { startSmtp } from '../helpers/notify-servers.js';
import { daemonTracker, LIVE } from '../helpers/daemon.js';
import { refusingServer, waitFor } from '../helpers/wait.js';

const tracked = daemonTracker();
afterEach(() => tracked.teardown());

async function setup(smtpOpts: Parameters<typeof startSmtp>[0] = {}) {
  const h = await teamHome();
  tracked.home(h);
  const smtp = await startSmtp({ user: 'crm', pass: 'pw', ...smtpOpts });
  tracked.server(smtp);
  for (const [k, v] of [['smtp.host', '127.0.0.1'], ['smtp.port', String(smtp.port)], ['smtp.ignore-tls', 'true'], ['smtp.user', 'crm'], ['smtp.from', 'crm@acme.example']]) {
    await h.ok(['config', 'set', k!, v!]);
  }
  // Leads here are stamped with the harness's fixed CRM_NOW while the daemon runs on the real clock, so to
  // the daemon they are hours old: its minute tick would add "not attempted" mails to the counts asserted.
  await h.ok(['notify', 'set', 'not-attempted', '--off']);
  return { h, smtp };
}

/** The pid the running daemon wrote (its lock file): read, not asked of a crm process. */
const daemonPid = (h: Home) => waitFor(() => {
  const file = join(h.dir, 'crm.db.daemon.pid');
  return existsSync(file) && (JSON.parse(readFileSync(file, 'utf8')) as { pid: number }).pid;
}, { what: 'the daemon pid file' });
const daemonLog = (h: Home) => {
  const file = join(h.dir, 'crm.db.daemon.log');
  return existsSync(file) ? readFileSync(file, 'utf8') : '';
};
const dead = (pid: number) => {
  try {
    process.kill(pid, 0);
    return false;
  } catch {
    return true;
  }
};

describe('crm daemon', () => {
  it('starts detached, refuses a second start, delivers an email for a lead added by the CLI, stops gracefully', async () => {
    const { h, smtp } = await setup();
    const env = { env: { CRM_NOW: '', CRM_SMTP_PASS: 'pw' } };
    expect(await h.ok(['daemon', 'start'], env)).toMatch(/Started the daemon \(pid \d+\)/);
    await h.fail(['daemon', 'start'], 4, /already running/, env);
    await h.fail(['daemon', 'run'], 4, /already running/, env);
    // Added on the daemon's (real) clock: a lead stamped with the harness's fixed CRM_NOW would be hours
    // old to the daemon, and its minute tick could send a "not attempted" message mid-test.
    const id = (await h.ok(['lead', 'add', '--name', 'Anita Desai', '--email', 'anita@desai.example', '--assign', 'ravi@acme.example', '-q'], env)).trim();
    const mails = await smtp.waitFor(2);
    const subjects = mails.map((m) => m.subject);
    expect(subjects).toEqual([`New lead ${id}: Anita Desai`, `New lead ${id}: Anita Desai`]);
    expect(mails.map((m) => JSON.stringify(m.to)).join()).toMatch(/ravi@acme\.example[\s\S]*admin@acme\.example|admin@acme\.example[\s\S]*ravi@acme\.example/);
    const inbox = await waitFor(async () => {
      const rows = await h.json<any[]>(['inbox', '--as', 'ravi@acme.example']);
      return rows.length > 0 && rows;
    }, { what: 'the inbox' });
    expect(inbox[0]).toMatchObject({ rule: 'new-lead', leadId: Number(id), readAt: null });
    expect(await h.ok(['inbox', 'read', '--all', '--as', 'ravi@acme.example'])).toMatch(/Marked 1/);
    expect(await h.json(['inbox', '--as', 'ravi@acme.example'])).toEqual([]);

    // Two emails and two inbox entries (ravi's was read above; the admin's may still be on its way).
    const status = await waitFor(async () => {
      const st = await h.json(['daemon', 'status'], LIVE);
      return st.outbox.pending === 0 && st;
    }, { what: 'an empty outbox' });
    expect(status).toMatchObject({ running: true, outbox: { sent: 4, pending: 0, dead: 0 } });
    expect(status.jobs.map((j: any) => j.name)).toEqual([
      'outbox.deliver', 'rules.not-attempted', 'rules.followup-reminders', 'rules.missed-followups', 'rules.ticket-sla', 'rules.demo-soon', 'rules.appointments-today', 'reports.daily', 'reports.scheduled', 'marketplace.import', 'proposals.expire', 'mailbox.poll', 'scoring.recompute', 'followups.rules', 'outbox.prune',
    ]);
    expect(status.jobs.find((j: any) => j.name === 'followups.rules').nextRunAt).toMatch(/T06:00:00/);
    expect(status.jobs.find((j: any) => j.name === 'outbox.prune').nextRunAt).toMatch(/T03:00:00/);
    expect(status.jobs.find((j: any) => j.name === 'reports.daily').nextRunAt).toMatch(/T19:00:00/);
    expect(await h.ok(['daemon', 'stop'], LIVE)).toMatch(/Stopped the daemon/);
    expect((await h.json(['daemon', 'status'], LIVE)).running).toBe(false);
    expect(await h.ok(['daemon', 'logs'])).toMatch(/sent #\d+ new-lead by email to ravi@acme\.example[\s\S]*daemon stopped/);
  }, 60_000);

  it('a lead created while the daemon is down is announced when it starts; SMTP refusing the login shows in status', async () => {
    const { h, smtp } = await setup();
    await h.ok(['lead', 'add', '--name', 'While Down', '--email', 'down@x.example']);
    await h.ok(['daemon', 'start'], { env: { CRM_NOW: '', CRM_SMTP_PASS: 'wrong' } });
    const errors = await waitFor(async () => {
      const s = await h.json(['daemon', 'status'], LIVE);
      return s.lastErrors.length > 0 && s.lastErrors;
    }, { what: 'an error in status' });
    expect(errors[0]).toMatchObject({ channel: 'email', status: 'failed', address: 'admin@acme.example' });
    expect(errors[0].error).toMatch(/SMTP refused the login/);
    expect(await h.ok(['outbox', 'list', '--failed'])).toMatch(/failed\tnew-lead\temail\tadmin@acme\.example/);
    await h.ok(['daemon', 'stop'], LIVE);
    // Fixed password: restart; the failed row is retried (retry now rather than waiting for the backoff).
    const failedId = (await h.json<any[]>(['outbox', 'list', '--failed']))[0].id;
    await h.ok(['outbox', 'retry', String(failedId)], LIVE);
    await h.ok(['daemon', 'start'], { env: { CRM_NOW: '', CRM_SMTP_PASS: 'pw' } });
    const [mail] = await smtp.waitFor(1);
    expect(mail!.subject).toMatch(/New lead \d+: While Down/);
  });

  it('kill -9 mid-delivery, restart: every message delivered, none lost, one row per idempotency key', async () => {
    // The server accepts 3 messages and keeps the next ones waiting for their answer: the kill
    // lands mid-delivery however fast the machine is.
    const { h, smtp } = await setup({ holdAfter: 3 });
    const env = { env: { CRM_NOW: '', CRM_SMTP_PASS: 'pw' } };
    await h.ok(['notify', 'set', 'new-lead', '--channels', 'email', '--to', 'admins']);
    for (let i = 0; i < 25; i++) await h.ok(['lead', 'add', '--name', `Lead ${i}`, '--email', `l${i}@x.example`]);
    await h.ok(['daemon', 'start'], env);
    await smtp.waitFor(3);
    await waitFor(() => smtp.held > 0, { what: 'a delivery in flight' });
    // Eight workers deliver at once: the server may have answered the third message while the
    // daemon has not yet recorded it. Kill only once the store says 3 sent (the held ones cannot
    // finish), so the kill always lands between accepted-and-recorded and in flight.
    await waitFor(async () => (await h.json(['daemon', 'status'], LIVE)).outbox.sent === 3, { what: '3 recorded as sent' });
    const pid = await daemonPid(h);
    process.kill(pid, 'SIGKILL');
    await waitFor(() => dead(pid), { what: 'the daemon to die' });
    const before = await h.json(['daemon', 'status'], LIVE);
    expect(before.running).toBe(false);
    expect(before.outbox.sent).toBe(3);
    expect(before.outbox.sending).toBeGreaterThan(0);
    smtp.release();
    await h.ok(['daemon', 'start'], env);
    await waitFor(async () => (await h.json(['daemon', 'status'], LIVE)).outbox.sent === 25, { what: 'all 25 sent', timeoutMs: 30_000 });
    const rows = await h.json<any[]>(['outbox', 'list', '--limit', '1000']);
    expect(rows).toHaveLength(25);
    expect(new Set(rows.map((r) => r.key)).size).toBe(25);
    const ids = new Set(smtp.messages.map((m) => m.messageId));
    expect(ids.size).toBe(25);
    // The messages held at the kill were never answered: the server did not accept them, so none arrives twice.
    expect(smtp.messages).toHaveLength(25);
    expect(await h.ok(['daemon', 'logs'])).toMatch(/delivery\(ies\) interrupted by a previous daemon will be retried now/);
  }, 120_000);

  it('SMTP down: the daemon keeps running and retries with backoff; SMTP back up: delivered', async () => {
    const { h, smtp } = await setup();
    await h.ok(['config', 'set', 'outbox.backoff-seconds', '1']);
    await h.ok(['notify', 'set', 'new-lead', '--channels', 'email', '--to', 'admins']);
    smtp.down();
    await h.ok(['daemon', 'start'], { env: { CRM_NOW: '', CRM_SMTP_PASS: 'pw' } });
    await h.ok(['lead', 'add', '--name', 'Retry Me', '--email', 'retry@x.example']);
    const failed = await waitFor(async () => {
      const s = await h.json(['daemon', 'status'], LIVE);
      return s.lastErrors[0]?.attempts >= 2 && s;
    }, { what: 'two failed attempts' });
    expect(failed.running).toBe(true);
    expect(failed.lastErrors[0].error).toMatch(/SMTP server unreachable/);
    smtp.up();
    const [mail] = await smtp.waitFor(1, 20_000);
    expect(mail!.subject).toMatch(/New lead \d+: Retry Me/);
    const [row] = await waitFor(async () => {
      const rows = await h.json<any[]>(['outbox', 'list', '--sent']);
      return rows.length > 0 && rows;
    }, { what: 'the row marked sent' });
    expect(row.attempts).toBeGreaterThanOrEqual(3);
  });

  it('stop lets the deliveries in flight finish and gives the rest back: nothing is left sending', async () => {
    // Every message waits for the server's answer until release(): in flight for as long as the test needs.
    const { h, smtp } = await setup({ holdAfter: 0 });
    await h.ok(['notify', 'set', 'new-lead', '--channels', 'email', '--to', 'admins']);
    for (let i = 0; i < 10; i++) await h.ok(['lead', 'add', '--name', `Slow ${i}`, '--email', `slow${i}@x.example`]);
    await h.ok(['daemon', 'start'], { env: { CRM_NOW: '', CRM_SMTP_PASS: 'pw' } });
    await waitFor(() => smtp.held > 0, { what: 'a delivery in flight' });
    expect((await h.json(['daemon', 'status'], LIVE)).outbox.sending).toBeGreaterThanOrEqual(1);
    expect(smtp.messages).toHaveLength(0);
    const stopping = h.ok(['daemon', 'stop'], LIVE);
    // Answered only once the daemon has taken the signal: it must finish these and claim nothing new.
    await waitFor(() => /stopping on SIGTERM/.test(daemonLog(h)), { what: 'the daemon to take SIGTERM' });
    smtp.release();
    expect(await stopping).toMatch(/Stopped the daemon/);
    const { outbox } = await h.json(['daemon', 'status'], LIVE);
    expect(outbox.sending).toBe(0);
    expect(outbox.sent).toBeGreaterThan(0);
    expect(outbox.sent).toBe(smtp.messages.length);
    expect(outbox.pending).toBeGreaterThan(0);
    expect(outbox.sent + outbox.pending).toBe(10);
  });

  it('logs -f prints new lines as the daemon writes them', async () => {
    const h = await teamHome();
    tracked.home(h);
    await h.fail(['daemon', 'logs'], 3, /no daemon log/);
    await h.ok(['daemon', 'start'], LIVE);
    const follow = execa(BIN, ['daemon', 'logs', '-f'], { env: { ...h.env, CRM_NOW: '' }, extendEnv: false, reject: false });
    let out = '';
    follow.stdout!.on('data', (c) => (out += c));
    try {
      await waitFor(() => /daemon started/.test(out), { what: 'the existing log' });
      await h.ok(['lead', 'add', '--name', 'Followed']);
      await waitFor(() => /sent #\d+ new-lead by inbox/.test(out), { what: 'a new log line' });
    } finally {
      follow.kill('SIGINT');
      await follow;
    }
  });

  it('install --systemd writes a user unit', async () => {
    const h = await teamHome();
    tracked.home(h);
    const out = await h.ok(['daemon', 'install', '--systemd'], { env: { XDG_CONFIG_HOME: join(h.dir, 'cfg') } });
    expect(out).toMatch(/systemctl --user enable --now crm\.service/);
    const unit = readFileSync(join(h.dir, 'cfg', 'systemd', 'user', 'crm.service'), 'utf8');
    expect(unit).toMatch(/ExecStart=.*crm daemon run --db .*crm\.db/);
    expect(unit).toMatch(/Environment=CRM_HOME=/);
    await h.fail(['daemon', 'install'], 2, /--systemd/);
  });
});

describe('crm notify, outbox, doctor, config', () => {
  it('rules are listed and changed; non-admins may not; secrets are masked', async () => {
    const h = await teamHome();
    tracked.home(h);
    const rules = await h.json<any[]>(['notify', 'rules']);
    expect(rules.find((r) => r.id === 'new-lead')).toMatchObject({ on: true, to: ['rep', 'admins'], channels: ['inbox', 'email'], unconfiguredChannels: ['email'] });
    expect(await h.ok(['notify', 'set', 'lost-lead', '--off'])).toMatch(/lost-lead: off/);
    await h.fail(['notify', 'set', 'new-lead', '--channels', 'pigeon'], 2, /unknown channel 'pigeon'/);
    await h.fail(['notify', 'set', 'nope', '--on'], 2, /unknown rule 'nope'/);
    await h.fail(['notify', 'set', 'new-lead', '--on', '--as', 'ravi@acme.example'], 5, /may not change notification rules/);
    await h.ok(['config', 'set', 'smtp.pass', 'hunter2']);
    const list = await h.ok(['config', 'list']);
    expect(list).toMatch(/smtp\.pass\t\*{8}/);
    expect(list).not.toContain('hunter2');
    expect(await h.ok(['config', 'get', 'smtp.pass'])).not.toContain('hunter2');
    expect(await h.ok(['notify', 'opt-out', '--channel', 'email', '--as', 'ravi@acme.example'])).toMatch(/opted out of email/);
    await h.fail(['notify', 'opt-out', '--channel', 'sms', '--user', 'priya@acme.example', '--as', 'ravi@acme.example'], 5, /only their own/);
    await h.fail(['outbox', 'list', '--as', 'ravi@acme.example'], 5, /may not read the outbox/);
    await h.fail(['outbox', 'retry', '99'], 3, /no notification with id 99/);
    // The lead below notifies the admin's inbox only (email is not configured); Ravi opted out of email anyway.
    await h.ok(['lead', 'add', '--name', 'Queued', '--assign', 'ravi@acme.example']);
    const queued = await h.json<any[]>(['outbox', 'list', '--pending']);
    expect(queued.map((m) => [m.channel, m.recipient.id]).sort()).toEqual([['inbox', 1], ['inbox', 3]]);
    await h.fail(['outbox', 'retry', String(queued[0].id)], 4, /is pending, not failed or dead/);
  });

  it('doctor checks SMTP for real and exits 6 on a wrong password', async () => {
    const { h } = await setup();
    expect(await h.ok(['doctor'], { env: { CRM_SMTP_PASS: 'pw' } })).toMatch(/ok\s+email\s+SMTP 127\.0\.0\.1:\d+ accepts the connection and the login/);
    const r = await h.fail(['doctor'], 6, /check\(s\) failed: email/, { env: { CRM_SMTP_PASS: 'nope' } });
    expect(String(r.stdout)).toMatch(/FAIL\s+email.*EAUTH.*check smtp\.user and CRM_SMTP_PASS/);
    const refusing = await refusingServer();
    try {
      await h.ok(['config', 'set', 'webhook.url', `${refusing.url}/hook`]);
      // A server that drops each connection: fetch may wait for it forever; the doctor still ends and says so.
      await h.ok(['config', 'set', 'webhook.timeout-ms', '1000']);
      const r2 = await h.fail(['doctor'], 6, /check\(s\) failed: webhook/, { env: { CRM_SMTP_PASS: 'pw' } });
      expect(String(r2.stdout)).toMatch(new RegExp(`FAIL\\s+webhook\\s+webhook ${refusing.url}/hook(: ECONNRESET| timed out after 1000 ms|: .*closed)`));
    } finally {
      await refusing.close();
    }
  });
});

describe('the notification commands never wait for input without a TTY', () => {
  let h: Home;
  beforeAll(async () => {
    h = await teamHome();
  });
  afterAll(() => h.cleanup());
  it.each([
    [['inbox'], 0], [['inbox', 'read'], 2], [['notify', 'rules'], 0], [['notify', 'set', 'new-lead'], 2], [['notify', 'opt-out'], 2],
    [['outbox', 'list'], 0], [['outbox', 'retry'], 2], [['daemon', 'status'], 0], [['daemon', 'stop'], 0], [['doctor'], 0],
  ] as [string[], number][])('crm %j exits %i', async (args, code) => {
    const r = await h.run(args, { timeout: 10_000, openStdin: true });
    expect(r.timedOut ?? false).toBe(false);
    expect(r.exitCode, String(r.stderr)).toBe(code);
  });
});
