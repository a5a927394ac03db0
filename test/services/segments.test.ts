import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ExitCode, UsageError } from '../../src/errors.js';
import { listLeads, loseLead } from '../../src/services/leads/service.js';
import { addSegment, listSegments, removeSegment, segmentLeads, showSegment } from '../../src/services/segments/service.js';
import { addUser } from '../../src/services/users/service.js';
import type { User } from '../../src/domain/users.js';
import { addLeadAs, testTeam, type TestTeam } from '../helpers/store.js';

describe('segments on a real SQLite store', () => {
  let t: TestTeam;
  let mark: User;
  const ids: Record<string, number> = {};
  beforeAll(async () => {
    t = await testTeam();
    mark = await addUser(t.as(t.admin), { name: 'Mona Lisa', email: 'mona@acme.example', role: 'marketing' });
    ids.webHot = (await addLeadAs(t, t.admin, { source: 'Website', score: 80, assign: ['ravi@acme.example'], tags: ['vip'], value: '5000' })).id;
    ids.adsHot = (await addLeadAs(t, t.admin, { source: 'Google Ads', score: 60, assign: ['priya@acme.example'] })).id;
    ids.adsCold = (await addLeadAs(t, t.admin, { source: 'Google Ads', score: 59, assign: ['ravi@acme.example'] })).id;
    ids.webLost = (await addLeadAs(t, t.admin, { source: 'Website', score: 90, assign: ['ravi@acme.example'] })).id;
    await loseLead(t.as(t.admin), ids.webLost, 'budget');
    ids.noSource = (await addLeadAs(t, t.admin, { score: 70, value: '100' })).id;
    ids.junk = (await addLeadAs(t, t.admin, { source: 'Website', score: 99, status: 'junk' })).id;
  });
  afterAll(() => t.close());

  const where = async (expr: string, user: User = t.admin) =>
    (await listLeads(t.as(user), { where: expr, status: 'all', sort: 'id' })).map((l) => l.id);

  it('the issue example selects exactly the hot web/ads leads that are not lost', async () => {
    const seg = await addSegment(t.as(t.admin), { name: 'hot-web', where: 'source in (Website, Google Ads) and score>=60 and stage!=Lost' });
    expect(seg.count).toBe(2);
    expect((await segmentLeads(t.as(t.admin), 'hot-web')).map((l) => l.id)).toEqual([ids.webHot, ids.adsHot]);
  });

  it('a rep counts and lists only their own leads', async () => {
    expect((await showSegment(t.as(t.ravi), 'hot-web')).count).toBe(1);
    expect((await segmentLeads(t.as(t.ravi), 'hot-web')).map((l) => l.id)).toEqual([ids.webHot]);
    expect((await listSegments(t.as(t.priya))).map((s) => [s.name, s.count])).toEqual([['hot-web', 1]]);
  });

  it('or, parentheses, not in, tag, value, assigned, status and NULL-safe !=', async () => {
    expect(await where('source != Website and status = active')).toEqual([ids.adsHot, ids.adsCold, ids.noSource]);
    expect(await where('(tag = vip or score < 60) and status = active')).toEqual([ids.webHot, ids.adsCold]);
    expect(await where('stage not in (Lost, Won) and source not in (Website) and status != junk')).toEqual([ids.adsHot, ids.adsCold, ids.noSource]);
    expect(await where('value >= 100 and value < 5000')).toEqual([ids.noSource]);
    expect(await where('assigned = ravi@acme.example')).toEqual([ids.webHot, ids.adsCold, ids.webLost]);
    expect(await where('assigned != ravi@acme.example and status = active and source = "Google Ads"')).toEqual([ids.adsHot]);
    expect(await where('created >= 2026-11-23 and created < 2026-11-24 and score = 99')).toEqual([ids.junk]);
  });

  it('a segment is active-only unless it names a status', async () => {
    await addSegment(t.as(mark), { name: 'high', where: 'score >= 90' });
    expect((await segmentLeads(t.as(t.admin), 'high')).map((l) => l.id)).toEqual([ids.webLost]);
    await addSegment(t.as(mark), { name: 'high-any', where: 'score >= 90 and status in (active, junk)' });
    expect((await segmentLeads(t.as(t.admin), 'high-any')).map((l) => l.id)).toEqual([ids.webLost, ids.junk]);
  });

  it('injection attempts stay values: they match nothing and the table survives', async () => {
    expect(await where(`tag = "x' OR 1=1 --"`)).toEqual([]);
    expect(await where(`tag in ("vip'); DROP TABLE leads; --", vip)`)).toEqual([ids.webHot]);
    expect(await t.store.leads.count({})).toBe(6);
  });

  it('unknown names are usage errors naming the value and its column', async () => {
    const err = await addSegment(t.as(t.admin), { name: 'bad', where: 'stage = Nope' }).catch((e) => e);
    expect(err).toBeInstanceOf(UsageError);
    expect(err.exitCode).toBe(ExitCode.usage);
    expect(err.message).toBe("invalid filter at column 9 ('Nope'): unknown stage 'Nope'");
    expect(err.hint).toContain('stages are: New');
    await expect(where('source = Billboard')).rejects.toThrow("unknown source 'Billboard'");
    await expect(where('assigned = nobody@x.example')).rejects.toThrow("unknown user 'nobody@x.example'");
    await expect(where('score >= 101')).rejects.toThrow("column 10 ('101'): invalid score '101'");
    await expect(where('created > 2026-02-30')).rejects.toThrow("invalid date '2026-02-30'");
    await expect(where('status = gone')).rejects.toThrow("unknown status 'gone'");
    expect((await t.store.segments.list()).map((s) => s.name)).not.toContain('bad');
  });

  it('permissions, duplicates, names, removal', async () => {
    await expect(addSegment(t.as(t.ravi), { name: 'mine', where: 'score > 1' })).rejects.toMatchObject({ exitCode: ExitCode.permission });
    await expect(addSegment(t.as(t.manager), { name: 'HOT-WEB', where: 'score > 1' })).rejects.toMatchObject({ exitCode: ExitCode.conflict });
    await expect(addSegment(t.as(t.manager), { name: 'has space', where: 'score > 1' })).rejects.toMatchObject({ exitCode: ExitCode.usage });
    await expect(addSegment(t.as(t.manager), { name: 'nowhere' })).rejects.toThrow('a segment needs where');
    await expect(removeSegment(t.as(t.ravi), 'hot-web')).rejects.toMatchObject({ exitCode: ExitCode.permission });
    expect((await removeSegment(t.as(mark), 'hot-web')).name).toBe('hot-web');
    await expect(showSegment(t.as(t.admin), 'hot-web')).rejects.toMatchObject({ exitCode: ExitCode.notFound });
  });
});
