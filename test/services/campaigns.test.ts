import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ExitCode } from '../../src/errors.js';
import { createCampaign, previewCampaign, showCampaign, smsSegments } from '../../src/services/campaigns/service.js';
import { addSegment } from '../../src/services/segments/service.js';
import { addLeadAs, testTeam, type TestTeam } from '../helpers/store.js';

describe('campaign drafts on a real SQLite store', () => {
  let t: TestTeam;
  let ana: number;
  let bo: number;
  beforeAll(async () => {
    t = await testTeam();
    ana = (await addLeadAs(t, t.admin, { name: 'Ana Sousa', businessName: 'Sousa & <Filhos>', source: 'Website', score: 80, value: '1200.5', assign: ['ravi@acme.example'], tags: ['vip'] })).id;
    bo = (await addLeadAs(t, t.admin, { name: 'Bo Li', source: 'Phone', score: 10, assign: ['priya@acme.example'] })).id;
    await addSegment(t.as(t.admin), { name: 'web', where: 'source = Website' });
  });
  afterAll(() => t.close());

  const email = { name: 'Diwali', type: 'email', to: 'leads', subject: 'Offer for {business_name}', body: 'Hi {contact_name}, {campaign_name}: {value} ({score})\n\n' };

  it('creates a draft; the trailing blank lines go; recipients follow the audience and the viewer', async () => {
    const c = await createCampaign(t.as(t.manager), email);
    expect(c).toMatchObject({ status: 'draft', type: 'email', audience: 'leads', body: 'Hi {contact_name}, {campaign_name}: {value} ({score})', createdBy: 'meera@acme.example', sentAt: null });
    expect((await showCampaign(t.as(t.admin), c.id)).recipients).toBe(2);
    expect((await showCampaign(t.as(t.ravi), c.id)).recipients).toBe(1);
    const seg = await createCampaign(t.as(t.admin), { ...email, to: 'segment:web' });
    expect((await showCampaign(t.as(t.admin), seg.id)).recipients).toBe(1);
    const tagged = await createCampaign(t.as(t.admin), { ...email, to: 'all', tag: 'vip' });
    expect((await showCampaign(t.as(t.admin), tagged.id)).recipients).toBe(1);
    expect((await showCampaign(t.as(t.admin), (await createCampaign(t.as(t.admin), { ...email, to: 'customers' })).id)).recipients).toBe(0);
  });

  it('preview renders the tags for one contact (first recipient by default)', async () => {
    const c = await createCampaign(t.as(t.admin), email);
    const first = await previewCampaign(t.as(t.admin), c.id);
    expect(first.contact.id).toBe(ana);
    expect(first.subject).toBe('Offer for Sousa & <Filhos>');
    expect(first.body).toBe('Hi Ana Sousa, Diwali: EUR 1,200.50 (80)');
    const other = await previewCampaign(t.as(t.admin), c.id, bo);
    expect(other.body).toBe('Hi Bo Li, Diwali:  (10)');
    await expect(previewCampaign(t.as(t.ravi), c.id, bo)).rejects.toMatchObject({ exitCode: ExitCode.notFound });
  });

  it('refuses bad input with the documented exit codes, storing nothing', async () => {
    const before = (await t.store.campaigns.list()).length;
    await expect(createCampaign(t.as(t.admin), { ...email, body: 'Hi {contact_nam}' })).rejects.toThrow('unknown template tag {contact_nam} in the body');
    await expect(createCampaign(t.as(t.admin), { ...email, subject: '{oops}' })).rejects.toThrow('unknown template tag {oops} in the subject');
    await expect(createCampaign(t.as(t.admin), { ...email, subject: '' })).rejects.toThrow('an email campaign needs subject');
    await expect(createCampaign(t.as(t.admin), { ...email, to: 'segment:nope' })).rejects.toMatchObject({ exitCode: ExitCode.notFound });
    await expect(createCampaign(t.as(t.admin), { ...email, to: 'everyone' })).rejects.toMatchObject({ exitCode: ExitCode.usage });
    await expect(createCampaign(t.as(t.admin), { ...email, type: 'fax' })).rejects.toMatchObject({ exitCode: ExitCode.usage });
    await expect(createCampaign(t.as(t.admin), { ...email, body: '  \n' })).rejects.toThrow('the campaign body is empty');
    await expect(createCampaign(t.as(t.ravi), email)).rejects.toMatchObject({ exitCode: ExitCode.permission });
    await expect(createCampaign(t.as(t.admin), { ...email, type: 'sms', body: 'x'.repeat(1531) })).rejects.toThrow('1531 GSM-7 characters: 11 segments (at most 10)');
    expect((await t.store.campaigns.list()).length).toBe(before);
  });

  it('SMS segments: 160 GSM-7 in one, 153 a part after; extension characters count twice; others are UCS-2 (70/67)', () => {
    expect(smsSegments('x'.repeat(160))).toEqual({ encoding: 'GSM-7', units: 160, segments: 1 });
    expect(smsSegments('x'.repeat(161))).toEqual({ encoding: 'GSM-7', units: 161, segments: 2 });
    expect(smsSegments('€'.repeat(80))).toEqual({ encoding: 'GSM-7', units: 160, segments: 1 });
    expect(smsSegments('₹'.repeat(71))).toEqual({ encoding: 'UCS-2', units: 71, segments: 2 });
    expect(smsSegments('x'.repeat(306)).segments).toBe(2);
    expect(smsSegments('x'.repeat(307)).segments).toBe(3);
  });
});
