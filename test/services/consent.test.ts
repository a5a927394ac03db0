/**
 * Consent per channel and the suppression list where people come in (issue 20), on the backend
 * CRM_TEST_STORE names: consent by hand and from its sources agreeing with opt-outs, campaigns
 * under privacy.require-consent, forms, marketplace inquiries and bulk imports from an erased
 * person in both privacy.suppressed modes, and an erasure reaching the imports' files.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { SUPPRESSED_REFUSAL } from '../../src/errors.js';
import { contactHash, SUPPRESSED_NOTE } from '../../src/domain/suppression.js';
import { createCampaign } from '../../src/services/campaigns/service.js';
import { sendCampaign } from '../../src/services/campaigns/send.js';
import { unsubscribe, unsubscribeToken } from '../../src/services/campaigns/unsubscribe.js';
import { leadConsent, setConsent } from '../../src/services/consent/service.js';
import { importLeads, type ImportOptions } from '../../src/services/import/service.js';
import { addForm, Refusal, submitForm } from '../../src/services/intake/forms.js';
import { importMarketplace, setMarketplace } from '../../src/services/intake/marketplace.js';
import { addLead } from '../../src/services/leads/service.js';
import { setOptOut } from '../../src/services/notify/service.js';
import { eraseContact } from '../../src/services/people/service.js';
import { setSetting } from '../../src/services/settings/service.js';
import { startSmtp, type Smtp } from '../helpers/notify-servers.js';
import { anInquiry, fakeMarketplace, type FakeMarketplace } from '../helpers/marketplace-server.js';
import { aLead, FIXED_NOW, testTeam, type TestTeam } from '../helpers/store.js';

let team: TestTeam;
let dir: string;
beforeEach(async () => {
  team = await testTeam();
  dir = mkdtempSync(join(tmpdir(), 'crm-consent-'));
});
afterEach(async () => {
  await team.close();
  rmSync(dir, { recursive: true, force: true });
});
const admin = () => team.as(team.admin);
const at = (minutes: number) => new Date(FIXED_NOW.getTime() + minutes * 60_000);
const suppress = (...values: string[]) =>
  team.store.people.suppress(values.map((v) => contactHash(v.includes('@') ? 'email' : 'phone', v)), FIXED_NOW.toISOString());
const notes = async (leadId: number) => (await team.store.activities.forLead(leadId)).filter((a) => a.type === 'note').map((a) => a.body);

describe('consent per channel', () => {
  it('by hand: granted and withdrawn with who and a note, history kept, opt-outs agreeing; unknown until recorded', async () => {
    const ana = (await addLead(admin(), aLead({ name: 'Ana' }))).lead;
    expect((await leadConsent(admin(), ana.id)).channels.map((c) => c.state)).toEqual(['unknown', 'unknown', 'unknown', 'unknown']);

    await setConsent(team.as(team.ravi, at(1)), ana.id, ['email', 'sms'], 'granted', { note: 'asked at the fair' }).catch((e: Error) => e);
    // ravi does not see the lead (not his): nothing recorded.
    expect(await team.store.consent.history(ana.id)).toEqual([]);

    await setConsent(team.as(team.manager, at(1)), ana.id, ['email', 'sms'], 'granted', { note: 'asked at the fair' });
    const r = await setConsent(team.as(team.admin, at(2)), ana.id, ['sms'], 'withdrawn');
    expect(r.channels).toEqual([
      { channel: 'email', state: 'granted', source: 'by-hand', at: at(1).toISOString(), user: 'meera@acme.example' },
      { channel: 'sms', state: 'withdrawn', source: 'by-hand', at: at(2).toISOString(), user: 'admin@acme.example' },
      { channel: 'whatsapp', state: 'unknown', source: null, at: null, user: null },
      { channel: 'call', state: 'unknown', source: null, at: null, user: null },
    ]);
    expect(r.history.map((e) => [e.channel, e.state, e.note])).toEqual([['email', 'granted', 'asked at the fair'], ['sms', 'granted', 'asked at the fair'], ['sms', 'withdrawn', null]]);
    // Withdrawn is opted out, and granting again opts back in: one truth.
    expect(await team.store.optOuts.list('lead', ana.id)).toEqual(['sms']);
    await setConsent(team.as(team.admin, at(3)), ana.id, ['sms'], 'granted');
    expect(await team.store.optOuts.list('lead', ana.id)).toEqual([]);

    // The old doors write consent too: notify opt-out (by hand, with who), optOuts.set (by hand).
    await setOptOut(team.as(team.manager, at(4)), { lead: ana.id }, ['email', 'call'], true);
    await team.store.optOuts.set('lead', ana.id, 'whatsapp', true, at(5).toISOString());
    const now = await leadConsent(admin(), ana.id);
    expect(now.channels.map((c) => [c.channel, c.state, c.source, c.user])).toEqual([
      ['email', 'withdrawn', 'by-hand', 'meera@acme.example'], ['sms', 'granted', 'by-hand', 'admin@acme.example'],
      ['whatsapp', 'withdrawn', 'by-hand', null], ['call', 'withdrawn', 'by-hand', 'meera@acme.example'],
    ]);
    expect(await team.store.optOuts.list('lead', ana.id)).toEqual(['call', 'email', 'whatsapp']);
    await expect(setConsent(admin(), ana.id, [], 'granted')).rejects.toThrow(/no channel given/);
  });

  it('an unsubscribe link withdraws with its source', async () => {
    const bo = (await addLead(admin(), aLead({ name: 'Bo' }))).lead;
    await setConsent(admin(), bo.id, ['email'], 'granted');
    const token = unsubscribeToken(await team.store.campaigns.secret(), bo.id, 'email');
    await unsubscribe(team.store, token, at(1).toISOString(), 'link');
    const c = await leadConsent(admin(), bo.id);
    expect(c.channels[0]).toMatchObject({ channel: 'email', state: 'withdrawn', source: 'unsubscribe-link', user: null });
    expect(await team.store.optOuts.list('lead', bo.id)).toEqual(['email']);
  });

  describe('campaigns with privacy.require-consent', () => {
    let smtp: Smtp;
    beforeEach(async () => {
      smtp = await startSmtp();
      for (const [k, v] of [['smtp.host', '127.0.0.1'], ['smtp.port', String(smtp.port)], ['smtp.ignore-tls', 'true'], ['smtp.from', 'news@acme.example']]) await setSetting(admin(), k!, v!);
    });
    afterEach(() => smtp.stop());

    it('off (the default): everyone not opted out; on: only leads whose consent for the channel is granted', async () => {
      const granted = (await addLead(admin(), aLead({ name: 'Granted' }))).lead;
      const unknown = (await addLead(admin(), aLead({ name: 'Unknown' }))).lead;
      const withdrawn = (await addLead(admin(), aLead({ name: 'Withdrawn' }))).lead;
      const smsOnly = (await addLead(admin(), aLead({ name: 'SMS only' }))).lead;
      await setConsent(admin(), granted.id, ['email'], 'granted');
      await setConsent(admin(), withdrawn.id, ['email'], 'withdrawn');
      await setConsent(admin(), smsOnly.id, ['sms'], 'granted');

      const before = await createCampaign(admin(), { name: 'Before', type: 'email', to: 'leads', subject: 'Hi', body: 'Hello {contact_name}' });
      const r1 = await sendCampaign(admin(), before.id, { linkBase: 'https://crm.example.com' });
      expect(r1).toMatchObject({ queued: 3, skipped: { 'opted-out': 1, 'no-consent': 0 } });

      await setSetting(admin(), 'privacy.require-consent', 'on');
      const after = await createCampaign(admin(), { name: 'After', type: 'email', to: 'leads', subject: 'Hi', body: 'Hello {contact_name}' });
      const r2 = await sendCampaign(admin(), after.id, { linkBase: 'https://crm.example.com' });
      expect(r2).toMatchObject({ queued: 1, skipped: { 'opted-out': 1, 'no-consent': 2 } });
      const queued = (await team.store.outbox.list({})).filter((m) => m.rule === `campaign:${after.id}`).map((m) => m.leadId);
      expect(queued).toEqual([granted.id]);
      expect(unknown.id).not.toBe(granted.id);
    });
  });
});

describe('forms and marketplace inquiries from an erased person', () => {
  it('a form: refused (409, logged without their details) by default, added with the note when flagged; its consent checkbox is recorded', async () => {
    await addForm(admin(), { env: {} }, 'website', {});
    const form = (await team.store.intakeForms.byName('website'))!;
    await suppress('gone@sousa.example');
    const before = await team.store.leads.count({});
    const err = await submitForm(team.store, FIXED_NOW, form, { name: 'Gone Again', email: 'GONE@sousa.example', consent: 'on' }, { remote: '1.2.3.4' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(Refusal);
    expect(err).toMatchObject({ status: 409, message: SUPPRESSED_REFUSAL });
    expect((err as Error).message).not.toMatch(/Gone/);
    expect(await team.store.leads.count({})).toBe(before);

    await setSetting(admin(), 'privacy.suppressed', 'flag');
    const r = await submitForm(team.store, FIXED_NOW, form, { name: 'Gone Again', email: 'gone@sousa.example', consent: 'on', sms_consent: 'no' }, { remote: '1.2.3.4' });
    expect(r.outcome).toBe('created');
    expect(await notes(r.lead.id)).toEqual([SUPPRESSED_NOTE]);
    const c = await leadConsent(admin(), r.lead.id);
    expect(c.channels.map((x) => [x.channel, x.state, x.source])).toEqual([['email', 'granted', 'form'], ['sms', 'withdrawn', 'form'], ['whatsapp', 'unknown', null], ['call', 'unknown', null]]);
    expect(c.history[0]!.note).toBe('form website');
  });

  describe('marketplace', () => {
    let mp: FakeMarketplace;
    beforeAll(async () => {
      mp = await fakeMarketplace();
    });
    afterAll(() => mp.close());

    it('refused: the inquiry is rejected and remembered, the run goes on with the others; flagged: added with the note', async () => {
      await setMarketplace(team.as(team.manager), { siteKey: 'k', siteId: 'sales@acme.example', assign: ['ravi@acme.example'], every: '15m', baseUrl: mp.baseUrl });
      await suppress('erased@importers.example');
      const gone = anInquiry({ email: 'Erased@importers.example', name: 'Erased Buyer' });
      const fine = anInquiry();
      mp.queue.push({ kind: 'json', body: [gone, fine] });
      const r = await importMarketplace(team.store, FIXED_NOW, { actor: team.manager });
      expect(r).toMatchObject({ fetched: 2, created: 1, rejected: 1 });
      expect(r.inquiries.find((q) => q.inqId === gone.inq_id)).toMatchObject({ outcome: 'rejected', leadId: null, reason: SUPPRESSED_REFUSAL });
      expect(await team.store.leads.matchContacts(['erased@importers.example'], [])).toEqual([]);

      await setSetting(admin(), 'privacy.suppressed', 'flag');
      const again = anInquiry({ email: 'erased@importers.example', name: 'Erased Buyer' });
      mp.queue.push({ kind: 'json', body: [again] });
      const r2 = await importMarketplace(team.store, at(60), { actor: team.manager });
      expect(r2).toMatchObject({ created: 1, rejected: 0 });
      const leadId = r2.inquiries[0]!.leadId!;
      expect(await notes(leadId)).toContain(SUPPRESSED_NOTE);
    });
  });
});

describe('bulk import (in this thread; the CLI test runs the worker)', () => {
  const run = (file: string, opts: Partial<ImportOptions> = {}) => importLeads(admin(), { file, stdin: Readable.from([]), dataDir: dir, tmpDir: dir, ...opts });
  const csv = (name: string, text: string) => {
    const f = join(dir, name);
    writeFileSync(f, text);
    return f;
  };

  it('consent columns are recorded with source import; a bad value is a warning and the row is kept', async () => {
    const f = csv('consent.csv', 'Name,Email,Phone,Email Consent,SMS Consent\nAna,ana@c.example,+351912000001,yes,0\nBo,bo@c.example,+351912000002,TRUE,\nCy,cy@c.example,,maybe,yes\n');
    const s = await run(f);
    expect(s.counts).toMatchObject({ imported: 3, rejected: 0, suppressed: 0 });
    expect(s.mapping.filter((m) => m.field.endsWith('Consent')).map((m) => m.field)).toEqual(['emailConsent', 'smsConsent']);
    expect(s.warnings.first).toEqual([expect.objectContaining({ line: 4, column: 'Email Consent', value: 'maybe' })]);
    const state = async (email: string) => {
      const [m] = await team.store.leads.matchContacts([email], []);
      return (await leadConsent(admin(), m!.id)).channels.filter((c) => c.state !== 'unknown').map((c) => `${c.channel}:${c.state}:${c.source}`);
    };
    expect(await state('ana@c.example')).toEqual(['email:granted:import', 'sms:withdrawn:import']);
    expect(await state('bo@c.example')).toEqual(['email:granted:import']);
    expect(await state('cy@c.example')).toEqual(['sms:granted:import']);
    const [ana] = await team.store.leads.matchContacts(['ana@c.example'], []);
    expect(await team.store.optOuts.list('lead', ana!.id)).toEqual(['sms']);
    expect((await team.store.consent.history(ana!.id))[0]).toMatchObject({ user: 'admin@acme.example', note: `import ${s.importId} line 2` });
  });

  it('refuse (default): suppressed rows go to the reject file with their reason, counted; flag: imported with the note', async () => {
    await suppress('gone@c.example', '+351912000009');
    const text = 'Name,Email,Phone\nKeep,keep@c.example,\nGone,GONE@c.example,\nGone By Phone,,+351 912 000 009\n';
    const s = await run(csv('s1.csv', text));
    expect(s.counts).toMatchObject({ rows: 3, imported: 1, rejected: 2, suppressed: 2 });
    expect(s.suppressedAs).toBe('refuse');
    expect(s.firstRejects.map((r) => r.reason)).toEqual(['line 3: suppressed (erased contact)', 'line 4: suppressed (erased contact)']);
    expect(readFileSync(s.rejectsFile!, 'utf8')).toContain('3,line 3: suppressed (erased contact),Gone,GONE@c.example,');
    expect((await team.store.imports.get(s.importId!))!.suppressed).toBe(2);

    await setSetting(admin(), 'privacy.suppressed', 'flag');
    const s2 = await run(csv('s2.csv', text.replace('Keep,keep', 'Other,other')));
    expect(s2.counts).toMatchObject({ rows: 3, imported: 3, rejected: 0, suppressed: 2 });
    expect(s2.suppressedAs).toBe('flag');
    const [gone] = await team.store.leads.matchContacts(['gone@c.example'], []);
    const [other] = await team.store.leads.matchContacts(['other@c.example'], []);
    expect(await notes(gone!.id)).toEqual([SUPPRESSED_NOTE]);
    expect(await notes(other!.id)).toEqual([]);
  });

  it('an erasure rewrites the reject and warnings files without the person (0600, atomically) and reports a reject file gone', async () => {
    // Ana's duplicate row is a warning naming her lead; her row with a stray cell a reject with her
    // number as people write it. Bo's lines stay.
    const text = 'Name,Email,Phone,Email Consent\nAna,ana@e.example,+351 912 000 100,yes\nAna Dup,ANA@e.example,,\nBo,bo@e.example,+351912000200,what\nAna Extra,,912 000 100,,oops\nBo Extra,bo@e.example,,,oops\n';
    const s = await run(csv('e.csv', text), { rejects: join(dir, 'out', 'e-rejects.csv') });
    expect(s.counts).toMatchObject({ imported: 2, skipped: 1, rejected: 2 });
    const rejects = s.rejectsFile!;
    const warnings = s.warnings.file!;
    expect(readFileSync(rejects, 'utf8')).toContain('912 000 100');
    expect(readFileSync(warnings, 'utf8')).toMatch(/ana@e\.example/i);
    // A second import whose reject file is then deleted.
    const s2 = await run(csv('e2.csv', 'Name,Email\nZed,z@z.example,stray\n'), { rejects: join(dir, 'out', 'gone.csv') });
    rmSync(s2.rejectsFile!);

    const r = await eraseContact(admin(), 'ana@e.example', { dataDir: dir });
    expect(r.files.missing).toEqual([s2.rejectsFile]);
    expect(r.files.rewritten.map((f) => [f.file, f.lines]).sort()).toEqual([[rejects, 1], [warnings, 1]].sort());
    const after = readFileSync(rejects, 'utf8');
    expect(after).not.toMatch(/912 000 100|Ana/);
    expect(after.split('\n')[0]).toBe('crm_reject_line,crm_reject_reason,Name,Email,Phone,Email Consent');
    expect(after).toContain('Bo Extra');
    expect(readFileSync(warnings, 'utf8')).not.toMatch(/ana@e\.example/i);
    expect(readFileSync(warnings, 'utf8')).toContain('what');
    expect(statSync(rejects).mode & 0o777).toBe(0o600);
    expect(existsSync(`${rejects}.erase-${process.pid}.tmp`)).toBe(false);
  });
});
