import { mkdirSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { receiveInquiry } from '../../src/services/intake/receive.js';
import { addLead, loseLead } from '../../src/services/leads/service.js';
import { Deliverer } from '../../src/services/outbox/deliver.js';
import { setSetting } from '../../src/services/settings/service.js';
import { listWelcome, removeWelcome, setWelcome } from '../../src/services/welcome/service.js';
import { startSmtp, type Smtp } from '../helpers/notify-servers.js';
import { FIXED_NOW, testTeam, type TestTeam } from '../helpers/store.js';

describe('welcome messages to new leads (C6)', () => {
  let t: TestTeam;
  let smtp: Smtp;
  let brochure: Buffer;
  beforeEach(async () => {
    t = await testTeam();
    smtp = await startSmtp();
    const admin = t.as(t.admin);
    await setSetting(admin, 'smtp.host', '127.0.0.1');
    await setSetting(admin, 'smtp.port', String(smtp.port));
    await setSetting(admin, 'smtp.ignore-tls', 'true');
    await setSetting(admin, 'smtp.from', 'sales@acme.example');
    brochure = Buffer.concat([Buffer.from('%PDF-1.4\n'), Buffer.from([0, 255, 254, 10, 13]), Buffer.from('brochure')]);
    writeFileSync(join(t.dir, 'brochure.pdf'), brochure);
  });
  afterEach(async () => {
    await smtp.stop();
    await t.close();
  });
  const env = () => ({ CRM_HOME: t.dir });
  const mgr = () => t.as(t.manager);
  const inquiry = (lead: Record<string, unknown>, channel: 'form' | 'sms' = 'form') =>
    receiveInquiry(t.as(t.admin), { channel, ref: 'website', lead: { name: 'Nina Costa', ...lead }, env: env() });
  const welcomes = async () => (await t.store.outbox.list({})).filter((m) => m.rule === 'welcome');

  it('queues the template with the brochure for a new lead in its transaction; the mail arrives with the attachment', async () => {
    const w = await setWelcome(mgr(), { source: 'Website', channel: 'email', template: 'welcome', attach: 'brochure.pdf', cwd: t.dir, env: env() });
    expect(w).toMatchObject({ source: 'Website', via: '*', channel: 'email', attachment: 'brochure.pdf', attachmentBytes: brochure.length, channelReady: true });
    // The file may go away: it was copied into the store.
    writeFileSync(join(t.dir, 'brochure.pdf'), 'changed');
    await addLead(t.as(t.admin), { name: 'Rui', source: 'Website', assign: ['ravi@acme.example'] });
    const r = await inquiry({ emails: ['nina@costa.example'], source: 'Website', assign: ['ravi@acme.example'] });
    expect(r.welcomed).toEqual(['email']);
    const [msg] = await welcomes();
    expect(msg).toMatchObject({ key: `welcome/lead${r.lead.id}/email`, recipientKind: 'lead', recipientId: r.lead.id, address: 'nina@costa.example' });
    expect(msg!.content?.subject).toBe('Thank you for your inquiry, Nina Costa');
    expect((await t.store.activities.forLead(r.lead.id)).find((a) => a.type === 'welcome')?.data).toMatchObject({ channel: 'email', to: 'nina@costa.example', attachment: 'brochure.pdf' });

    const d = new Deliverer({ store: t.store, env: env() });
    try {
      // With it go the team's own notifications (new lead to the rep and the admins).
      expect(await d.drain(FIXED_NOW)).toMatchObject({ failed: 0 });
    } finally {
      d.close();
    }
    expect((await welcomes())[0]!.status).toBe('sent');
    const toLead = smtp.messages.filter((m) => JSON.stringify(m.to).includes('nina@costa.example'));
    expect(toLead).toHaveLength(1);
    const mail = toLead[0];
    expect(mail!.to).toMatchObject({ text: 'nina@costa.example' });
    expect(mail!.subject).toBe('Thank you for your inquiry, Nina Costa');
    expect(mail!.text).toContain('Ravi Kumar will contact you shortly');
    expect(mail!.attachments).toHaveLength(1);
    expect(mail!.attachments[0]!.filename).toBe('brochure.pdf');
    expect(mail!.attachments[0]!.contentType).toBe('application/pdf');
    expect(mail!.attachments[0]!.content.equals(brochure)).toBe(true);
  });

  it('welcomes only once, and never a duplicate, a junk or a re-engaged lead, nor another source', async () => {
    await setWelcome(mgr(), { source: 'Website', channel: 'email', template: 'welcome', env: env() });
    const first = await inquiry({ emails: ['nina@costa.example'], source: 'Website' });
    expect(first.welcomed).toEqual(['email']);
    const again = await inquiry({ emails: ['NINA@costa.example'], source: 'Website' });
    expect(again).toMatchObject({ outcome: 'existing', welcomed: [] });
    await setSetting(t.as(t.admin), 'junk.domains', 'spam.example');
    expect(await inquiry({ emails: ['x@spam.example'], source: 'Website' })).toMatchObject({ outcome: 'junk', welcomed: [] });
    const lost = (await addLead(t.as(t.admin), { name: 'Old', emails: ['old@trade.example'], source: 'Website' })).lead;
    await loseLead(t.as(t.admin), lost.id, 'Price');
    expect(await inquiry({ emails: ['old@trade.example'], source: 'Website' })).toMatchObject({ outcome: 're-engaged', welcomed: [] });
    expect(await inquiry({ emails: ['ref@trade.example'], source: 'Referral' })).toMatchObject({ outcome: 'created', welcomed: [] });
    // A lead typed in by hand is not welcomed (only inquiries are).
    await addLead(t.as(t.admin), { name: 'Manual', emails: ['manual@trade.example'], source: 'Website' });
    expect((await welcomes()).map((m) => m.address)).toEqual(['nina@costa.example']);
  });

  it('picks the most specific rule per channel (source and intake channel first), and skips a channel it cannot use', async () => {
    mkdirSync(join(t.dir, 'templates', 'welcome'), { recursive: true });
    writeFileSync(join(t.dir, 'templates', 'welcome', 'sms-hello.txt'), 'Hi {contact_name}, thanks for your SMS!');
    writeFileSync(join(t.dir, 'templates', 'welcome', 'form.email.txt'), 'Subject: Form {lead_id}\n\nThanks for the form.');
    await setWelcome(mgr(), { channel: 'email', template: 'welcome', env: env() });
    await setWelcome(mgr(), { source: 'Website', via: 'form', channel: 'email', template: 'form', env: env() });
    await setWelcome(mgr(), { via: 'sms', channel: 'sms', template: 'sms-hello', env: env() });
    expect((await listWelcome(mgr())).map((w) => [w.source, w.via, w.channel, w.template, w.channelReady])).toEqual([
      ['*', '*', 'email', 'welcome', true], ['*', 'sms', 'sms', 'sms-hello', false], ['Website', 'form', 'email', 'form', true],
    ]);
    const form = await inquiry({ emails: ['f@trade.example'], source: 'Website' });
    expect((await welcomes()).find((m) => m.leadId === form.lead.id)?.content?.subject).toBe(`Form ${form.lead.id}`);
    // SMS is not configured: nothing queued for it, said on the timeline; the email one still goes.
    const sms = await inquiry({ emails: ['s@trade.example'], phones: ['+351 912 345 678'], source: 'Referral' }, 'sms');
    expect(sms.welcomed).toEqual(['email']);
    expect((await t.store.activities.forLead(sms.lead.id)).find((a) => a.type === 'welcome' && a.data.channel === 'sms')?.data).toMatchObject({ skipped: 'sms is not configured' });
    await removeWelcome(mgr(), { via: 'sms' });
    expect(await listWelcome(mgr())).toHaveLength(2);
  });

  it("is queued in the lead's transaction: a rolled-back intake leaves no welcome", async () => {
    await setWelcome(mgr(), { channel: 'email', template: 'welcome', env: env() });
    await expect(t.store.transaction(async () => {
      expect((await inquiry({ emails: ['gone@trade.example'] })).welcomed).toEqual(['email']);
      throw new Error('the caller failed after the intake');
    })).rejects.toThrow(/caller failed/);
    expect(await t.store.leads.count({})).toBe(0);
    expect(await welcomes()).toEqual([]);
  });

  it('does not deliver to a lead that opted out after the welcome was queued', async () => {
    await setWelcome(mgr(), { channel: 'email', template: 'welcome', env: env() });
    const r = await inquiry({ emails: ['optout@trade.example'] });
    await t.store.transaction(() => t.store.optOuts.set('lead', r.lead.id, 'email', true, FIXED_NOW.toISOString()));
    const d = new Deliverer({ store: t.store, env: env() });
    try {
      expect(await d.drain(FIXED_NOW)).toMatchObject({ failed: 1 });
    } finally {
      d.close();
    }
    expect((await welcomes())[0]).toMatchObject({ status: 'dead', lastError: 'the recipient opted out of email' });
    expect(smtp.messages.filter((m) => JSON.stringify(m.to).includes('optout@trade.example'))).toHaveLength(0);
  });

  it('checks the template and the attachment when configured', async () => {
    await expect(setWelcome(mgr(), { channel: 'email', template: 'nope', env: env() })).rejects.toThrow(/no welcome template nope.email.txt or nope.txt/);
    await expect(setWelcome(mgr(), { channel: 'email', template: 'welcome', attach: 'missing.pdf', cwd: t.dir, env: env() })).rejects.toThrow(/cannot read the attachment/);
    writeFileSync(join(t.dir, 'huge.pdf'), '');
    truncateSync(join(t.dir, 'huge.pdf'), 10 * 1024 * 1024 + 1);
    await expect(setWelcome(mgr(), { channel: 'email', template: 'welcome', attach: 'huge.pdf', cwd: t.dir, env: env() })).rejects.toThrow(/is 10.0 MB, over the 10.0 MB limit/);
    await expect(setWelcome(mgr(), { channel: 'sms', template: 'welcome', attach: 'brochure.pdf', cwd: t.dir, env: env() })).rejects.toThrow(/email only/);
    await expect(setWelcome(mgr(), { source: 'Nowhere', channel: 'email', template: 'welcome', env: env() })).rejects.toThrow(/Nowhere/);
    await expect(setWelcome(t.as(t.ravi), { channel: 'email', template: 'welcome', env: env() })).rejects.toThrow(/rep and may not configure welcome/);
    mkdirSync(join(t.dir, 'templates', 'welcome'), { recursive: true });
    writeFileSync(join(t.dir, 'templates', 'welcome', 'bad.txt'), 'Hello {first_name}');
    await expect(setWelcome(mgr(), { channel: 'sms', template: 'bad', env: env() })).rejects.toThrow(/unknown placeholder \{first_name\}/);
  });
});
