import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { execa } from 'execa';
import { resolvePaths } from '../../src/config.js';
import { openStore } from '../../src/store/index.js';
import { BIN, teamHome, type Home } from '../helpers/cli.js';
import { daemonHttpUrl, daemonTracker, LIVE } from '../helpers/daemon.js';
import { startSmtp } from '../helpers/notify-servers.js';
import { onTerminal } from '../helpers/pty.js';
import { killAtFirst } from '../helpers/kill.js';
import { waitFor } from '../helpers/wait.js';

const tracked = daemonTracker();
afterEach(() => tracked.teardown());

const header = (lines: readonly { key: string; line: string }[], key: string) => lines.find((l) => l.key === key)?.line.replace(/\r\n(?=[ \t])/g, '');

describe('crm campaign send through the daemon', () => {
  it('mails reach a real SMTP server; GET on the unsubscribe link changes nothing, the one-click POST opts out; the next campaign skips that lead', async () => {
    const h = tracked.home(await teamHome());
    const smtp = tracked.server(await startSmtp());
    const ana = (await h.ok(['lead', 'add', '-q', '--name', 'Ana Sousa', '--business', 'Sousa & Filhos', '--email', 'ana@sousa.example'])).trim();
    await h.ok(['lead', 'add', '--name', 'Bo Li', '--email', 'bo@li.example']);
    await h.ok(['lead', 'add', '--name', 'Cy Without', '--phone', '+14155550100']);
    for (const [k, v] of [['smtp.host', '127.0.0.1'], ['smtp.port', String(smtp.port)], ['smtp.ignore-tls', 'true'], ['smtp.from', 'news@acme.example']]) await h.ok(['config', 'set', k!, v!]);
    writeFileSync(join(h.dir, 'offer.md'), 'Hi {contact_name} of {business_name},\n\n{campaign_name} starts Friday.\n');
    await h.ok(['campaign', 'create', '--name', 'Diwali', '--to', 'leads', '--subject', 'An offer for {contact_name}', '--body-file', join(h.dir, 'offer.md')]);
    // A draft went to nobody yet: its audience is a count, its recipients list is empty.
    expect(await h.json(['campaign', 'show', '1'])).toMatchObject({ status: 'draft', recipients: 3, progress: null });
    expect(await h.json(['campaign', 'recipients', '1'])).toEqual([]);
    expect(await h.ok(['campaign', 'recipients', '1'])).toBe('');
    // No terminal: the confirmation needs --yes; email needs a reachable unsubscribe link (the daemon's endpoint).
    await h.fail(['campaign', 'send', '1', '--yes'], 2, /unsubscribe link.*\n.*http\.public-url/);
    await h.ok(['daemon', 'start'], LIVE);
    const url = await daemonHttpUrl(h);
    await h.fail(['campaign', 'send', '1'], 2, 'confirmation needed: Send campaign 1 (Diwali, email) to 3 recipients now?');
    expect(await h.ok(['campaign', 'send', '1', '--yes'], LIVE)).toBe('Queued 2 messages for campaign 1 (sending); skipped 1: 0 opted out, 0 bounced, 1 without an address');

    const mails = await smtp.waitFor(2);
    const toAna = mails.find((m) => (m.to as { text: string }).text === 'ana@sousa.example')!;
    expect(toAna.subject).toBe('An offer for Ana Sousa');
    expect(toAna.html).toContain('<p>Hi Ana Sousa of Sousa &amp; Filhos,</p>');
    expect(toAna.text).toContain('Hi Ana Sousa of Sousa & Filhos,');
    expect(header(toAna.headerLines, 'list-unsubscribe-post')).toBe('List-Unsubscribe-Post: List-Unsubscribe=One-Click');
    const link = /^List-Unsubscribe: <([^>]+)>, <mailto:news@acme\.example\?subject=unsubscribe%20[^>]+>$/.exec(header(toAna.headerLines, 'list-unsubscribe')!)![1]!;
    expect(link.startsWith(`${url}/u/${ana}.email.`)).toBe(true);
    expect(toAna.html).toContain(`href="${link}"`);

    // A GET (a mail scanner's prefetch) shows the button and changes nothing.
    for (let i = 0; i < 2; i++) {
      const page = await fetch(link);
      expect(page.status).toBe(200);
      const html = await page.text();
      expect(html).toContain('Unsubscribe?');
      expect(html).toContain('<form method="post">');
    }
    expect(await h.ok(['lead', 'show', ana])).not.toContain('Unsubscribed');
    // The one-click POST (RFC 8058) opts out; a second one is harmless.
    for (let i = 0; i < 2; i++) {
      const res = await fetch(link, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'List-Unsubscribe=One-Click' });
      expect(res.status).toBe(200);
      expect(await res.text()).toContain('You are unsubscribed');
    }
    expect((await h.ok(['lead', 'show', ana])).match(/Unsubscribed from email campaigns/g)).toHaveLength(1);
    expect((await fetch(link.replace(/.$/, (ch) => (ch === 'A' ? 'B' : 'A')), { method: 'POST', body: 'List-Unsubscribe=One-Click' })).status).toBe(404);
    expect((await fetch(`${url}/u/nonsense`)).status).toBe(404);

    // The campaign settles as sent once every message is final; per-recipient states.
    const shown = await waitFor(async () => {
      const c = await h.json(['campaign', 'show', '1'], LIVE);
      return c.status === 'sent' && c;
    }, { what: 'campaign 1 to settle as sent' });
    expect(shown).toMatchObject({ status: 'sent', recipients: 3, progress: { queued: 2, sent: 2, noAddress: 1, optedOut: 0 } });
    expect(shown.sentAt).not.toBeNull();
    const rec = await h.json(['campaign', 'recipients', '1'], LIVE);
    expect(rec.map((r: any) => [r.name, r.status])).toEqual([['Ana Sousa', 'sent'], ['Bo Li', 'sent'], ['Cy Without', 'no-address']]);
    expect(await h.ok(['campaign', 'recipients', '1', '--status', 'no-address'], LIVE)).toMatch(/^\d+\tCy Without\t\tno-address\t\t$/);
    expect(await h.ok(['lead', 'show', ana])).toContain('campaign: Campaign "Diwali" (email) queued to ana@sousa.example');

    // Sent: it cannot be sent, edited or cancelled again.
    await h.fail(['campaign', 'send', '1', '--yes'], 4, 'campaign 1 is sent');
    await h.fail(['campaign', 'edit', '1', '--name', 'Again'], 4, 'only a draft can be edited');
    await h.fail(['campaign', 'cancel', '1'], 4, 'only a scheduled or sending campaign can be cancelled');

    // The next campaign skips the lead who unsubscribed.
    await h.ok(['campaign', 'create', '--name', 'Second', '--to', 'leads', '--subject', 'More', '--body-file', join(h.dir, 'offer.md')]);
    const second = await h.json(['campaign', 'send', '2', '--yes'], LIVE);
    expect(second).toMatchObject({ queued: 1, skipped: { optedOut: 1, bounced: 0, noAddress: 1 } });
    await smtp.waitFor(3);
    expect((smtp.messages[2]!.to as { text: string }).text).toBe('bo@li.example');
  }, 60_000);

  it('scheduled and throttled sends, cancel, and bad input through the binary', async () => {
    const h = tracked.home(await teamHome());
    for (let i = 0; i < 3; i++) await h.ok(['lead', 'add', '--name', `P${i}`, '--email', `p${i}@x.example`]);
    await h.ok(['config', 'set', 'http.public-url', 'https://crm.example.com/']);
    writeFileSync(join(h.dir, 'b.md'), 'Hello {contact_name}');
    await h.ok(['campaign', 'create', '--name', 'Later', '--to', 'leads', '--subject', 'S', '--body-file', join(h.dir, 'b.md')]);
    await h.fail(['campaign', 'send', '1', '--yes', '--rate', '5 per second'], 2, "invalid --rate '5 per second'");
    await h.fail(['campaign', 'send', '1', '--yes', '--at', 'yesterday 9am'], 2, 'is in the past');
    await h.fail(['campaign', 'send', '1', '--yes', '--at', 'someday'], 2, "cannot read --at 'someday'");
    const out = await h.ok(['campaign', 'send', '1', '--yes', '--at', '2026-11-27 09:00', '--rate', '60/min']);
    expect(out).toBe('Queued 3 messages for campaign 1 (scheduled)\nThrottled at 1/s: the last is due 2026-11-27 09:00 UTC.');
    expect(await h.json(['campaign', 'show', '1'])).toMatchObject({ status: 'scheduled', sendAt: '2026-11-27T09:00:00.000Z', rate: 1, progress: { pending: 3 } });
    expect(await h.ok(['campaign', 'list'])).toBe('1\tLater\temail\tleads\tscheduled\tat 2026-11-27 09:00');
    await h.fail(['campaign', 'edit', '1', '--subject', 'T'], 4, 'campaign 1 is scheduled; only a draft can be edited');
    expect(await h.ok(['campaign', 'cancel', '1'])).toBe('Cancelled campaign 1: 3 messages not sent');
    expect(await h.ok(['campaign', 'recipients', '1', '--status', 'cancelled', '-q'])).toBe('1\n2\n3');
    expect((await h.json(['campaign', 'recipients', '1', '--status', 'cancelled'])).length).toBe(3);
    await h.fail(['campaign', 'recipients', '1', '--status', 'lost'], 2, "unknown recipient status 'lost'");
    await h.fail(['campaign', 'send', '1', '--yes'], 4, 'campaign 1 is cancelled; it cannot be sent again');
    // Empty audience: nothing queued, clear error.
    await h.ok(['segment', 'add', 'none', '--where', 'score>=99']);
    await h.ok(['campaign', 'create', '--name', 'Empty', '--to', 'segment:none', '--subject', 'S', '--body-file', join(h.dir, 'b.md')]);
    await h.fail(['campaign', 'send', '2', '--yes'], 2, 'campaign 2 has no recipients');
    // A test goes to the acting user only; the campaign stays a draft.
    expect(await h.ok(['campaign', 'test', '2', '--as', 'meera@acme.example'])).toBe('Queued a test of campaign 2 to meera@acme.example; the campaign is still draft');
    expect((await h.json(['campaign', 'show', '2'])).status).toBe('draft');
  }, 60_000);

  it('on a terminal, send asks first and shows the recipient count; no sends nothing', async () => {
    const h = tracked.home(await teamHome());
    await h.ok(['lead', 'add', '--name', 'Ana', '--phone', '+14155550100']);
    await h.ok(['lead', 'add', '--name', 'Bo', '--phone', '+14155550101']);
    writeFileSync(join(h.dir, 'b.txt'), 'Hi {contact_name}');
    await h.ok(['campaign', 'create', '--name', 'Txt', '--type', 'sms', '--to', 'leads', '--body-file', join(h.dir, 'b.txt')]);
    const no = await onTerminal(h, ['campaign', 'send', '1'], [['(y/N)', 'n\r']]);
    expect(no.text).toContain('Send campaign 1 (Txt, sms) to 2 recipients now?');
    expect(no.text).toContain('Nothing sent.');
    expect(no.code).toBe(0);
    expect((await h.json(['campaign', 'show', '1'])).status).toBe('draft');
    const yes = await onTerminal(h, ['campaign', 'send', '1', '--rate', '1/min'], [['(y/N)', 'y\r']]);
    expect(yes.code).toBe(0);
    expect(yes.text).toContain('Queued 2 messages for campaign 1 (sending)');
    expect(yes.text).toContain('Throttled at 1/min: the last is due 2026-11-23 09:01 UTC.');
    expect((await h.json(['campaign', 'recipients', '1'])).map((r: any) => r.status)).toEqual(['pending', 'pending']);
  }, 60_000);

  it('killed half-way (kill -9), the same send finishes the rest: one outbox row and one timeline entry per lead', async () => {
    const h = tracked.home(await teamHome());
    const rows = 10_000;
    writeFileSync(join(h.dir, 'people.csv'), `name,email\n${Array.from({ length: rows }, (_, i) => `Person ${i},p${i}@bulk.example`).join('\n')}\n`);
    await h.ok(['lead', 'import', join(h.dir, 'people.csv')]);
    await h.ok(['config', 'set', 'http.public-url', 'https://crm.example.com']);
    writeFileSync(join(h.dir, 'b.md'), 'Hello {contact_name}');
    await h.ok(['campaign', 'create', '--name', 'Bulk', '--to', 'leads', '--subject', 'S', '--body-file', join(h.dir, 'b.md')]);
    const args = ['campaign', 'send', '1', '--yes'];
    // At the lowest priority (nice execs crm: the pid is crm's), so that on a machine busy with
    // other tests the sender cannot outrun the read that watches it: it failed that way when the
    // test's own process was starved while the send committed every batch.
    const child = execa('nice', ['-n', '19', BIN, ...args], { env: h.env, extendEnv: false, reject: false });
    // Killed as soon as a batch is queued (seen by a plain read, every 2 ms): twenty batches of 500
    // cannot all be committed before the kill lands.
    await killAtFirst(h, child, async (store) => (await store.campaigns.recipients(1, { limit: 1 })).length > 0, 'the first batch queued');
    const killed = await child;
    expect(killed.signal).toBe('SIGKILL');
    const interrupted = await h.json(['campaign', 'show', '1']);
    expect(interrupted).toMatchObject({ status: 'sending', queuedAt: null });
    expect(interrupted.progress.queued).toBeLessThan(rows);
    expect(interrupted.progress.queued % 500).toBe(0); // whole batches only

    const again = await h.json(args);
    expect(again).toMatchObject({ resumed: true, queued: rows - interrupted.progress.queued });
    expect(await h.json(['campaign', 'show', '1'])).toMatchObject({ status: 'sending', progress: { queued: rows, pending: rows } });
    // Counted in the store the CLI uses (located as the CLI locates it), through the store contract.
    const store = await openStore(resolvePaths({ CRM_HOME: h.dir, HOME: h.dir }).dbFile);
    try {
      const perLead = new Map<number, number>();
      for (const m of await store.outbox.list({ limit: 10 * rows })) {
        if (m.rule === 'campaign:1' && m.leadId !== null) perLead.set(m.leadId, (perLead.get(m.leadId) ?? 0) + 1);
      }
      expect(perLead.size).toBe(rows);
      expect([...perLead.values()].every((n) => n === 1)).toBe(true);
      const withEntry = new Map<number, number>();
      for (const lead of await store.leads.list({})) {
        const n = (await store.activities.forLead(lead.id)).filter((a) => a.type === 'campaign').length;
        if (n) withEntry.set(lead.id, n);
      }
      expect({ d: withEntry.size, n: [...withEntry.values()].reduce((a, b) => a + b, 0) }).toEqual({ d: rows, n: rows });
    } finally {
      store.close();
    }
    await h.fail(args, 4, 'campaign 1 is sending; it cannot be sent again');
  }, 120_000);
});
