/**
 * Email sent from the SMTP worker thread (dist/smtp-worker.cjs, what `crm daemon run` uses) is the
 * email sent from the main thread: the same message on the wire, the same failures recorded, and a
 * thread that dies costs a retry, not a message. Needs the build (npm run build), as the e2e tests.
 */
import { fileURLToPath } from 'node:url';
import type { ParsedMail } from 'mailparser';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { messageId } from '../../src/services/notify/channels.js';
import type { ThreadMailer } from '../../src/services/notify/smtp-thread.js';
import { Deliverer } from '../../src/services/outbox/deliver.js';
import { setSetting } from '../../src/services/settings/service.js';
import { FIXED_NOW, testTeam, type TestTeam } from '../helpers/store.js';
import { startSmtp, type Smtp } from '../helpers/notify-servers.js';
import { waitFor } from '../helpers/wait.js';

const WORKER = fileURLToPath(new URL('../../dist/smtp-worker.cjs', import.meta.url));

let team: TestTeam;
let smtp: Smtp;
beforeEach(async () => {
  team = await testTeam();
  smtp = await startSmtp({ user: 'crm', pass: 's3cret' });
  const admin = team.as(team.admin);
  for (const [k, v] of [['smtp.host', '127.0.0.1'], ['smtp.port', String(smtp.port)], ['smtp.ignore-tls', 'true'], ['smtp.from', 'crm@acme.example'], ['smtp.user', 'crm']] as const) await setSetting(admin, k, v);
});
afterEach(async () => {
  await team.close();
  await smtp.stop();
});

/** A campaign-like message using every field email sends: html, cc, reply-to, headers, an attachment. */
async function queue(key: string): Promise<void> {
  await team.store.transaction(() => team.store.outbox.enqueue([{
    key, rule: 'campaign:1', channel: 'email', recipientKind: 'webhook', recipientId: null, address: 'anita@desai.example', leadId: null, vars: {},
    content: { subject: `Hello ${key}`, text: 'Hi Anita', html: '<p>Hi Anita</p>', headers: { 'X-Campaign': '1' }, cc: ['ravi@acme.example'], replyTo: 'sales@acme.example' },
    attachments: [{ filename: 'report.csv', contentType: 'text/csv', content: 'a,b\n1,2\n' }, { filename: 'logo.png', contentType: 'image/png', content: Buffer.from([0x89, 0x50, 0x4e, 0x47]).toString('base64'), encoding: 'base64' }],
  }], FIXED_NOW.toISOString()));
}

/** What a recipient sees of a message, minus what differs by nature (dates, boundaries). */
const seen = (m: ParsedMail) => ({
  subject: m.subject, text: m.text, html: m.html, messageId: m.messageId, from: m.from?.text, to: JSON.stringify(m.to), cc: JSON.stringify(m.cc), replyTo: m.replyTo?.text,
  headers: ['x-campaign', 'x-crm-idempotency-key', 'x-crm-rule'].map((h) => m.headers.get(h)),
  attachments: m.attachments.map((a) => [a.filename, a.contentType, a.content.toString('base64')]),
});

describe('email from the SMTP worker thread', () => {
  it('is the same message as from the main thread', async () => {
    const sent: ParsedMail[] = [];
    for (const [key, smtpThread] of [['main', undefined], ['thread', WORKER]] as const) {
      await queue(key);
      const d = new Deliverer({ store: team.store, env: { CRM_HOME: team.dir, CRM_SMTP_PASS: 's3cret' }, smtpThread });
      try {
        expect(await d.drain(FIXED_NOW)).toEqual({ attempted: 1, sent: 1, failed: 0 });
      } finally {
        d.close();
      }
      sent.push((await smtp.waitFor(sent.length + 1)).at(-1)!);
    }
    const [main, thread] = [seen(sent[0]!), seen(sent[1]!)];
    expect(thread.messageId).toBe(messageId('thread'));
    expect(thread.attachments).toEqual([['report.csv', 'text/csv', Buffer.from('a,b\n1,2\n').toString('base64')], ['logo.png', 'image/png', 'iVBORw==']]);
    const same = (s: ReturnType<typeof seen>) => ({ ...s, subject: s.subject?.replace(/main|thread/, 'KEY'), messageId: undefined, headers: [s.headers[0], s.headers[2]] });
    expect(same(thread)).toEqual(same(main));
    expect(thread.headers[1]).toBe('thread');
  });

  it('records a refused login as in the main thread (SMTP refused the login, EAUTH)', async () => {
    await queue('k');
    const d = new Deliverer({ store: team.store, env: { CRM_HOME: team.dir, CRM_SMTP_PASS: 'wrong' }, smtpThread: WORKER });
    try {
      expect(await d.drain(FIXED_NOW)).toEqual({ attempted: 1, sent: 0, failed: 1 });
    } finally {
      d.close();
    }
    expect(await team.store.outbox.byKey('k')).toMatchObject({ status: 'failed', lastError: expect.stringMatching(/^SMTP refused the login: .*\(EAUTH\)$/) });
  });

  it('a thread that dies with a message in flight: that message is retried, the next drain starts another thread and delivers', async () => {
    await queue('k');
    smtp.holdAfter(0);
    const d = new Deliverer({ store: team.store, env: { CRM_HOME: team.dir, CRM_SMTP_PASS: 's3cret' }, smtpThread: WORKER });
    try {
      const draining = d.drain(FIXED_NOW);
      await waitFor(() => smtp.held === 1, { what: 'the message to reach the server' });
      const mailer = (await (d.channels as unknown as { mailer: { t: Promise<ThreadMailer> } }).mailer.t) as unknown as { worker: { terminate(): Promise<number> } };
      await mailer.worker.terminate();
      expect(await draining).toEqual({ attempted: 1, sent: 0, failed: 1 });
      expect(await team.store.outbox.byKey('k')).toMatchObject({ status: 'failed', lastError: expect.stringMatching(/^SMTP error: the SMTP thread stopped/) });
      smtp.release();
      const retry = new Date((await team.store.outbox.byKey('k'))!.nextAttemptAt);
      expect(await d.drain(retry)).toEqual({ attempted: 1, sent: 1, failed: 0 });
      expect(await team.store.outbox.byKey('k')).toMatchObject({ status: 'sent' });
    } finally {
      d.close();
    }
  });
});
