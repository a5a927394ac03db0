/**
 * What a bounce is, decided where the SMTP answer is seen (notify/channels.ts): a permanent 5xx
 * about the message or recipient. The deliverer records it as failure 'bounce', so campaigns skip
 * the address; a temporary 4xx, a refused login and an opt-out are no bounce.
 */
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Lead } from '../../src/domain/leads.js';
import { addLead } from '../../src/services/leads/service.js';
import { Deliverer } from '../../src/services/outbox/deliver.js';
import { setSetting } from '../../src/services/settings/service.js';
import { aLead, FIXED_NOW, testTeam, type TestTeam } from '../helpers/store.js';

/** A loopback SMTP server answering RCPT TO with the code its local part names (550@…, 451@…); others are accepted (the team's own notifications too). */
async function refusingSmtp(): Promise<{ port: number; accepted: string[]; close(): Promise<void> }> {
  const accepted: string[] = [];
  const server = new SMTPServer({
    secure: false, disabledCommands: ['STARTTLS'], authOptional: true, logger: false,
    onRcptTo(address, _s, cb) {
      const code = Number(address.address.split('@')[0]);
      if (code >= 400) return cb(Object.assign(new Error(`${code === 550 ? '5.1.1 user unknown' : '4.2.1 try later'}`), { responseCode: code }));
      accepted.push(address.address);
      cb();
    },
    onData(stream, _s, cb) {
      stream.on('end', () => cb());
      stream.resume();
    },
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { port: (server.server.address() as AddressInfo).port, accepted, close: () => new Promise<void>((r) => server.close(() => r())) };
}

let team: TestTeam;
let smtp: Awaited<ReturnType<typeof refusingSmtp>>;
beforeEach(async () => {
  team = await testTeam();
  smtp = await refusingSmtp();
  const admin = team.as(team.admin);
  for (const [k, v] of [['smtp.host', '127.0.0.1'], ['smtp.port', String(smtp.port)], ['smtp.ignore-tls', 'true'], ['smtp.from', 'crm@acme.example']] as const) await setSetting(admin, k, v);
});
afterEach(async () => {
  await team.close();
  await smtp.close();
});

describe('failure kinds recorded by the deliverer', () => {
  it('550 is a bounce (dead at once, address skipped from then on); 451 retries and is none; the texts are as before', async () => {
    const leads: Lead[] = [];
    for (const address of ['550@mx.example', '451@mx.example', 'ok@mx.example']) leads.push((await addLead(team.as(team.admin), aLead({ emails: [address] }))).lead);
    await team.store.transaction(() => team.store.outbox.enqueue(leads.map((l) => ({
      key: `t/${l.id}`, rule: 'campaign:1', channel: 'email' as const, recipientKind: 'lead' as const, recipientId: l.id, address: l.emails[0]!, leadId: l.id, vars: {}, content: { subject: 'Hello', text: 'Hi' },
    })), FIXED_NOW.toISOString()));
    const d = new Deliverer({ store: team.store, env: { CRM_HOME: team.dir } });
    try {
      await d.drain(FIXED_NOW);
    } finally {
      d.close();
    }
    const [bounced, later, ok] = await Promise.all(leads.map((l) => team.store.outbox.byKey(`t/${l.id}`)));
    expect(bounced).toMatchObject({ status: 'dead', lastError: expect.stringMatching(/^SMTP error: 550 5\.1\.1 user unknown/) });
    expect(later).toMatchObject({ status: 'failed', lastError: expect.stringMatching(/^SMTP error: 451 4\.2\.1 try later/) });
    expect(ok).toMatchObject({ status: 'sent' });
    expect(smtp.accepted.filter((a) => a.endsWith('@mx.example'))).toEqual(['ok@mx.example']);
    expect(await team.store.campaigns.bouncedEmails()).toEqual(new Set(['550@mx.example']));
  });

  it('an opt-out after queueing is recorded as opted-out, not as a bounce', async () => {
    const lead = (await addLead(team.as(team.admin), aLead({ emails: ['550@mx.example'] }))).lead;
    await team.store.transaction(async () => {
      await team.store.outbox.enqueue([{ key: 'o', rule: 'campaign:1', channel: 'email', recipientKind: 'lead', recipientId: lead.id, address: '550@mx.example', leadId: lead.id, vars: {}, content: { subject: 'Hello', text: 'Hi' } }], FIXED_NOW.toISOString());
      await team.store.optOuts.set('lead', lead.id, 'email', true, FIXED_NOW.toISOString());
    });
    const d = new Deliverer({ store: team.store, env: { CRM_HOME: team.dir } });
    try {
      await d.drain(FIXED_NOW);
    } finally {
      d.close();
    }
    expect(await team.store.outbox.byKey('o')).toMatchObject({ status: 'dead', lastError: 'the recipient opted out of email' });
    expect(smtp.accepted.filter((a) => a.endsWith('@mx.example'))).toEqual([]);
    expect(await team.store.campaigns.bouncedEmails()).toEqual(new Set());
  });
});
