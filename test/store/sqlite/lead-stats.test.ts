// SQLite backend specifics; not part of the contract. The lead_stats counters are kept by this
// backend's triggers (and a grouped statement in bulk imports); this checks them against a
// fresh count over the leads table, in SQL.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { logCall } from '../../../src/services/calls/service.js';
import { convertLead, moveLead } from '../../../src/services/leads/service.js';
import { TEST_BACKEND, testTeam, type TestTeam } from '../../helpers/store.js';

const UTC = { timeZone: 'UTC' };
describe.skipIf(TEST_BACKEND !== 'sqlite')('lead_stats, the counters the triggers keep', () => {
  let t: TestTeam;
  beforeAll(async () => {
    t = await testTeam();
  });
  afterAll(() => t.close());

  it('always equal a fresh count of the leads, after every kind of change', async () => {
    const { addLead, editLead, deleteLeads, restoreLead, mergeLeads } = await import('../../../src/services/leads/service.js');
    const ctx = t.as(t.admin);
    const a = (await addLead(ctx, { name: 'S1', emails: ['s1@example.com'], value: '10' })).lead.id;
    const b = (await addLead(ctx, { name: 'S2', emails: ['s2@example.com'], source: 'Phone' })).lead.id;
    await editLead(ctx, a, { value: '25', source: 'Website', status: 'junk' });
    await editLead(ctx, a, { status: 'active' });
    await moveLead(ctx, b, 'Proposal Sent');
    await moveLead(ctx, b, 'Contacted');
    await convertLead(ctx, b, 'SO-9');
    await deleteLeads(ctx, [a]);
    await restoreLead(ctx, a);
    const c = (await addLead(ctx, { name: 'S3', emails: ['s3@example.com'], value: '5', currency: 'USD' })).lead.id;
    await mergeLeads(ctx, c, a);
    await logCall(t.as(t.admin), { leadId: a, direction: 'out', outcome: 'rnr', duration: '0s', at: '2026-11-23 08:00' }, UTC);
    // Bulk imports add each batch's counts with one grouped statement instead of the per-row trigger.
    const { importLeads } = await import('../../../src/services/import/service.js');
    const csv = (name: string, text: string) => {
      const file = join(t.dir, name);
      writeFileSync(file, text);
      return file;
    };
    const importAs = (file: string, extra: Record<string, unknown> = {}) =>
      importLeads(ctx, { file, stdin: Readable.from([]), dataDir: t.dir, tmpDir: t.dir, batchRows: 2, ...extra });
    const first = csv('stats-1.csv', [
      'Name,Email,Source,Stage,Status,Type,Value,Currency',
      'I1,i1@example.com,Website,Qualified,,,100,',
      'I2,i2@example.com,Phone,,junk,,,',
      'I3,i3@example.com,,,,customer,50.5,USD',
      'I4,S2@example.com,Phone,,,,,',
      'I5,i5@example.com,Website,Demo,archived,,7,',
      '',
    ].join('\n'));
    expect((await importAs(first)).counts).toMatchObject({ imported: 4, skipped: 1 });
    const second = csv('stats-2.csv', [
      'Name,Email,Stage,Value,Currency',
      'I1,i1@example.com,Demo,250,',
      'I6,i6@example.com,,9,GBP',
      'I7,i7@example.com,Contacted,,',
      '',
    ].join('\n'));
    expect((await importAs(second, { onDuplicate: 'update' })).counts).toMatchObject({ imported: 2, updated: 1 });
    await deleteLeads(ctx, [(await t.store.leads.list({ search: 'i7@example.com' }))[0]!.id]);
    expect((await importAs(second, { onDuplicate: 'create', again: true })).counts).toMatchObject({ imported: 3 });
    const db = (t.store as unknown as { sql: { db: import('better-sqlite3').Database } }).sql.db;
    const fresh = db.prepare(`
      SELECT stage_id AS stageId, source_id AS sourceId, type, status, currency, furthest_stage_id AS furthestStageId,
             count(*) AS count, count(value_minor) AS valued, coalesce(sum(value_minor), 0) AS valueMinor,
             count(*) FILTER (WHERE attempted_at IS NULL) AS notAttempted, count(converted_at) AS converted,
             coalesce(sum(julianday(converted_at) - julianday(created_at)), 0) AS cycleDays
        FROM leads WHERE deleted_at IS NULL GROUP BY 1, 2, 3, 4, 5, 6`).all();
    const key = (r: Record<string, unknown>) => JSON.stringify([r.stageId, r.sourceId, r.type, r.status, r.currency, r.furthestStageId]);
    const round = (rows: Record<string, unknown>[]) => rows.map((r) => ({ ...r, cycleDays: Math.round(Number(r.cycleDays) * 1e6) })).sort((x, y) => key(x).localeCompare(key(y)));
    expect(round(await t.store.reports.leadCube({}) as unknown as Record<string, unknown>[])).toEqual(round(fresh as Record<string, unknown>[]));
    // The stage history is kept: S2 went as far as Proposal Sent before it was won.
    const s2 = db.prepare('SELECT s.name FROM leads l JOIN stages s ON s.id = l.furthest_stage_id WHERE l.id = ?').get(b) as { name: string };
    expect(s2.name).toBe('Proposal Sent');
  });
});
