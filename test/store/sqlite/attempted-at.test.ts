// SQLite backend specifics; not part of the contract. leads.attempted_at is a column this
// backend's triggers keep; here its exact value is read in SQL.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { receiveInquiry } from '../../../src/services/intake/receive.js';
import { TEST_BACKEND, testTeam, type TestTeam } from '../../helpers/store.js';

describe.skipIf(TEST_BACKEND !== 'sqlite')('leads.attempted_at (triggers on activities)', () => {
  let t: TestTeam;
  beforeEach(async () => {
    t = await testTeam();
  });
  afterEach(() => t.close());

  it('an inquiry or a campaign message does not set it; a note sets it to the note\'s time', async () => {
    const r = await receiveInquiry(t.as(t.admin), { channel: 'whatsapp', lead: { name: 'Inbound', phones: ['+351 915 555 666'] }, message: { text: 'hi' } });
    await t.store.transaction(() => t.store.activities.add({ leadId: r.lead.id, type: 'campaign', at: '2026-11-23T09:05:00Z', userId: t.admin.id, data: {} }));
    await receiveInquiry(t.as(t.admin), { channel: 'sms', lead: { phones: ['+351915555666'] }, message: { text: 'again' } });
    const db = (t.store as unknown as { sql: { db: import('better-sqlite3').Database } }).sql.db;
    const attempted = () => db.prepare('SELECT attempted_at FROM leads WHERE id = ?').pluck().get(r.lead.id);
    expect(attempted()).toBeNull();
    await t.store.transaction(() => t.store.activities.add({ leadId: r.lead.id, type: 'note', at: '2026-11-23T09:10:00Z', userId: t.admin.id, body: 'called back', data: {} }));
    expect(attempted()).toBe('2026-11-23T09:10:00Z');
  });
});
