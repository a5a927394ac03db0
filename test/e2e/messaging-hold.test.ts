import { afterEach, describe, expect, it } from 'vitest';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { teamHome, type Home } from '../helpers/cli.js';
import { daemonTracker, LIVE } from '../helpers/daemon.js';
import { startSmtp } from '../helpers/notify-servers.js';
import { waitFor } from '../helpers/wait.js';

const tracked = daemonTracker();
afterEach(() => tracked.teardown());

/** Asks until `fn` gives a value (each ask is a crm command: an event, not a sleep, decides). */
function until<T>(fn: () => Promise<T | undefined>, what: string, timeoutMs = 20_000): Promise<T> {
  return waitFor(fn, { what, timeoutMs, intervalMs: 100 });
}

const outbox = (h: Home, status: string) => h.json<any[]>(['outbox', 'list', `--${status}`], LIVE);
const header = (lines: readonly { key: string; line: string }[], key: string) => lines.find((l) => l.key === key)?.line.replace(/\r\n(?=[ \t])/g, '');

async function smtpHome(opts: Parameters<typeof startSmtp>[0] = {}) {
  const h = tracked.home(await teamHome());
  const smtp = tracked.server(await startSmtp(opts));
  for (const [k, v] of [['smtp.host', '127.0.0.1'], ['smtp.port', String(smtp.port)], ['smtp.ignore-tls', 'true']]) await h.ok(['config', 'set', k!, v!]);
  // The daemon's clock is real while the harness's is fixed: to it the leads are old, and "not attempted" would add mails.
  await h.ok(['notify', 'set', 'not-attempted', '--off']);
  return { h, smtp };
}

describe('a missing transport setting holds messages until it is fixed', () => {
  it('smtp.from empty: the emails wait (failed, with the reason, not dead) and go out once smtp.from is set, with no other step', async () => {
    const { h, smtp } = await smtpHome();
    await h.ok(['daemon', 'start'], LIVE);
    await h.ok(['lead', 'add', '--name', 'Anita Desai', '--email', 'anita@desai.example', '--assign', 'ravi@acme.example'], LIVE);
    const held = await until(async () => {
      const rows = (await outbox(h, 'failed')).filter((m) => m.channel === 'email');
      return rows.length === 2 ? rows : undefined;
    }, 'two held emails');
    for (const m of held) expect(m).toMatchObject({ rule: 'new-lead', attempts: 0, lastError: expect.stringMatching(/smtp\.from is empty/) });
    expect(await outbox(h, 'dead')).toEqual([]);
    expect(smtp.messages).toEqual([]);

    await h.ok(['config', 'set', 'smtp.from', 'crm@acme.example']);
    const mails = await smtp.waitFor(2);
    expect(mails.map((m) => (m.to as { text: string }).text).sort()).toEqual(['admin@acme.example', 'ravi@acme.example']);
    expect(mails.every((m) => (m.from as { text: string }).text === 'crm@acme.example')).toBe(true);
    await until(async () => ((await outbox(h, 'failed')).length === 0 ? true : undefined), 'no failed message');
    expect(await outbox(h, 'dead')).toEqual([]);
  }, 60_000);

  it('campaign send refuses (exit 2, nothing queued) while smtp.from is empty; List-Unsubscribe is built at delivery from the sender of then', async () => {
    const { h, smtp } = await smtpHome();
    await h.ok(['config', 'set', 'http.public-url', 'https://crm.acme.example']);
    await h.ok(['lead', 'add', '--name', 'Ana Sousa', '--email', 'ana@sousa.example']);
    writeFileSync(join(h.dir, 'offer.md'), 'Hi {contact_name}\n');
    await h.ok(['campaign', 'create', '--name', 'Diwali', '--to', 'leads', '--subject', 'Offer', '--body-file', join(h.dir, 'offer.md')]);
    const r = await h.fail(['campaign', 'send', '1', '--yes'], 2, /campaign 1 cannot be sent by email: smtp\.from is empty; nothing was queued/);
    expect(String(r.stderr)).toMatch(/hint: crm config set smtp\.from crm@example\.com/);
    expect((await h.json(['campaign', 'show', '1'])).status).toBe('draft');
    expect((await h.json<any[]>(['outbox', 'list'])).filter((m) => m.rule.startsWith('campaign'))).toEqual([]);

    // Queued under one sender; by delivery the sender has gone, then changed: the message waits, then carries the new one.
    await h.ok(['config', 'set', 'smtp.from', 'old@acme.example']);
    await h.ok(['campaign', 'send', '1', '--yes']);
    await h.ok(['config', 'set', 'smtp.from', '']);
    await h.ok(['daemon', 'start'], LIVE);
    await until(async () => ((await outbox(h, 'failed')).some((m) => /smtp\.from is empty/.test(m.lastError)) ? true : undefined), 'the campaign email held');
    expect((await h.json(['campaign', 'show', '1'], LIVE)).status).toBe('sending');
    await h.ok(['config', 'set', 'smtp.from', 'news@acme.example']);
    const mail = await until(async () => smtp.messages.find((m) => m.subject === 'Offer'), 'the campaign email');
    expect(header(mail!.headerLines, 'list-unsubscribe')).toMatch(/^List-Unsubscribe: <https:\/\/crm\.acme\.example\/u\/1\.email\.[^>]+>, <mailto:news@acme\.example\?subject=unsubscribe%20[^>]+>$/);
    expect(header(mail!.headerLines, 'list-unsubscribe-post')).toBe('List-Unsubscribe-Post: List-Unsubscribe=One-Click');
    await until(async () => ((await h.json(['campaign', 'show', '1'], LIVE)).status === 'sent' ? true : undefined), 'the campaign sent');
  }, 60_000);

  it('notify set refuses a channel whose settings are half done; notify rules shows it held', async () => {
    const { h } = await smtpHome();
    await h.fail(['notify', 'set', 'lost-lead', '--channels', 'email,inbox'], 2, /lost-lead cannot notify by email: smtp\.from is empty; nothing was changed[\s\S]*hint: crm config set smtp\.from/);
    expect(await h.ok(['notify', 'rules'])).toMatch(/new-lead\ton\t[^\t]*\t[^\t]*email\(held: smtp\.from is empty\)/);
    await h.ok(['config', 'set', 'smtp.from', 'crm@acme.example']);
    expect(await h.ok(['notify', 'set', 'lost-lead', '--channels', 'email,inbox'])).toMatch(/lost-lead: on, .* by email,inbox/);
  }, 60_000);
});

describe('crm outbox retry with filters', () => {
  it('retries the dead messages of a rule and channel failed within a time, --dry-run first', async () => {
    const { h } = await smtpHome({ user: 'crm', pass: 'pw' });
    for (const [k, v] of [['smtp.user', 'crm'], ['smtp.from', 'crm@acme.example'], ['outbox.max-attempts', '1']]) await h.ok(['config', 'set', k!, v!]);
    await h.ok(['daemon', 'start'], { env: { CRM_NOW: '', CRM_SMTP_PASS: 'wrong' } });
    await h.ok(['lead', 'add', '--name', 'Anita Desai', '--email', 'anita@desai.example', '--assign', 'ravi@acme.example'], LIVE);
    const dead = await until(async () => {
      const rows = await outbox(h, 'dead');
      return rows.length === 2 ? rows : undefined;
    }, 'two dead emails');
    await h.ok(['daemon', 'stop'], LIVE);
    const ids = dead.map((m) => m.id).sort();

    const dry = await h.json<any[]>(['outbox', 'retry', '--dead', '--rule', 'new-lead', '--channel', 'email', '--since', '1d', '--dry-run'], LIVE);
    expect(dry.map((m) => m.id).sort()).toEqual(ids);
    expect((await outbox(h, 'dead')).length).toBe(2);
    expect(await h.json(['outbox', 'retry', '--dead', '--rule', 'proposal-expiring', '--dry-run'], LIVE)).toEqual([]);
    expect(await h.json(['outbox', 'retry', '--dead', '--channel', 'sms', '--dry-run'], LIVE)).toEqual([]);

    expect(await h.ok(['outbox', 'retry', '--dead', '--rule', 'new-lead', '--since', '1d'], LIVE)).toBe(`2 notification(s) pending again: ${[...ids].reverse().join(', ')}; the daemon delivers them within seconds`);
    expect(await outbox(h, 'dead')).toEqual([]);
    expect((await outbox(h, 'pending')).map((m) => m.id).sort()).toEqual(ids);
    await h.fail(['outbox', 'retry'], 2, /no notification chosen/);
    await h.fail(['outbox', 'retry', '--dead', '--since', 'soon'], 2, /invalid --since 'soon'/);
  }, 60_000);
});
