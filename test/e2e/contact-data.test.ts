/**
 * A person's data through the built binary: `crm contact export` validated against
 * docs/contact-export.schema.json, `crm contact erase` leaving no trace of the person in any text
 * column of any table of the store (found generically, so tables added later are scanned too),
 * the suppression list catching them again, and the audit entries of both.
 */
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { teamHome, type Home } from '../helpers/cli.js';
import { TEST_BACKEND } from '../helpers/store.js';

const EMAIL = 'ana.sousa@sousa.example';
const PHONE = '+351912345678';
const NAME = 'Sousa';
/** Everything that names the person: their email (any case), phone (digits), surname. */
const TRACES = [EMAIL, '912345678', NAME];

/** Every text cell of every table that contains one of `needles` (case-insensitive): "table.column: value". */
async function traces(h: Home, needles: string[]): Promise<string[]> {
  const found: string[] = [];
  const hit = (v: unknown) => typeof v === 'string' && needles.some((n) => v.toLowerCase().includes(n.toLowerCase()));
  if (TEST_BACKEND === 'postgres') {
    const c = new pg.Client({ connectionString: h.env.CRM_DB });
    await c.connect();
    try {
      const cols = await c.query<{ t: string; c: string }>(
        `SELECT table_name AS t, column_name AS c FROM information_schema.columns
          WHERE table_schema = current_schema() AND data_type IN ('text', 'character varying', 'json', 'jsonb', 'character')`,
      );
      expect(cols.rowCount).toBeGreaterThan(100);
      for (const { t, c: col } of cols.rows) {
        const r = await c.query(`SELECT ${pg.escapeIdentifier(col)}::text AS v FROM ${pg.escapeIdentifier(t)}`);
        for (const row of r.rows) if (hit(row.v)) found.push(`${t}.${col}: ${row.v}`);
      }
    } finally {
      await c.end();
    }
    return found;
  }
  if (TEST_BACKEND === 'json') {
    // The file itself, every line of it: a trace anywhere in the store is a hit.
    const text = readFileSync(h.env.CRM_DB!, 'utf8');
    expect(Object.keys(JSON.parse(text).tables).length).toBeGreaterThan(40);
    for (const line of text.split('\n')) if (hit(line)) found.push(line.trim());
    // And the database saved beside it (<store>.cache), byte for byte.
    const cache = `${h.env.CRM_DB!}.cache`;
    if (existsSync(cache)) {
      const bytes = readFileSync(cache).toString('latin1').toLowerCase();
      for (const n of needles) if (bytes.includes(n.toLowerCase())) found.push(`${cache}: ${n}`);
    }
    return found;
  }
  const Database = (await import('better-sqlite3')).default;
  const db = new Database(join(h.dir, 'crm.db'), { readonly: true });
  try {
    const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'").all() as { name: string }[];
    expect(tables.length).toBeGreaterThan(40);
    for (const { name } of tables) {
      // Every column: SQLite keeps text in columns of any declared type.
      for (const row of db.prepare(`SELECT * FROM "${name}"`).all() as Record<string, unknown>[]) {
        for (const [col, v] of Object.entries(row)) if (hit(v)) found.push(`${name}.${col}: ${String(v)}`);
      }
    }
  } finally {
    db.close();
  }
  return found;
}

describe('crm contact export and erase (end to end)', () => {
  let h: Home;
  let ana: number;
  let other: number;
  let rejectsFile: string;
  beforeAll(async () => {
    h = await teamHome();
    ana = (await h.json(['lead', 'add', '--name', 'Ana Sousa', '--business', 'Sousa Lda', '--email', EMAIL, '--phone', PHONE, '--assign', 'ravi@acme.example', '--address', 'Rua Sousa 1, Porto'])).lead.id;
    other = (await h.json(['lead', 'add', '--name', 'Bo Chen', '--email', 'bo@chen.example'])).lead.id;
    await h.ok(['lead', 'note', String(ana), `Spoke to Ana Sousa (${EMAIL}); call ${PHONE}`]);
    await h.ok(['lead', 'edit', String(ana), '--name', 'Ana M. Sousa']);
    await h.ok(['call', 'log', '--lead', String(ana), '--outcome', 'connected', '--duration', '2m', '--number', PHONE, '--note', 'Ana Sousa wants a demo']);
    await h.ok(['followup', 'add', '--lead', String(ana), '--title', 'Send Sousa the quote', '--start', 'tomorrow 10:00', '--description', `mail ${EMAIL}`]);
    await h.ok(['appointment', 'add', '--lead', String(ana), '--kind', 'demo', '--at', '2026-11-26 15:00', '--location', 'Sousa office']);
    await h.ok(['lead', 'move', String(ana), '--stage', 'Qualified']);
    // A support case of hers, and her as another company's contact person.
    await h.ok(['ticket', 'add', '--lead', String(ana), '--subject', 'Sousa invoice address', '--body', `Ana Sousa here (${EMAIL}, ${PHONE})`]);
    const chen = (await h.json(['lead', 'add', '--name', 'Chen Trading', '--kind', 'company', '--email', 'office@chen.example'])).lead.id;
    await h.ok(['lead', 'person', 'add', String(chen), '--name', 'Ana Sousa', '--email', EMAIL, '--phone', PHONE, '--role', 'advisor']);
    // Her consent, an invoice of hers (a legal record), and an import whose reject file holds her row.
    await h.ok(['lead', 'consent', String(ana), '--channel', 'email', '--granted', '--note', 'Ana Sousa said yes at the fair']);
    const order = (await h.json(['order', 'add', '--lead', String(ana), '--item', 'Website; price=100', '--title', `Website for ${EMAIL}`])).id;
    await h.ok(['order', 'bill', String(order)]);
    await h.ok(['invoice', 'pay', String(order), '--amount', '40', '--note', 'transfer from Ana Sousa']);
    writeFileSync(join(h.dir, 'more.csv'), `Name,Email,Phone\nAna Sousa,${EMAIL},${PHONE},stray\nDee,dee@dee.example,\n`);
    const imported = await h.run(['lead', 'import', join(h.dir, 'more.csv'), '--json']);
    expect(imported.exitCode).toBe(8);
    rejectsFile = JSON.parse(String(imported.stdout)).rejectsFile;
    expect(readFileSync(rejectsFile, 'utf8')).toContain(EMAIL);
  }, 90_000);
  afterAll(() => h.cleanup());

  it('exports everything about the person as one document that validates against the schema', async () => {
    const out = join(h.dir, 'ana.json');
    await h.ok(['contact', 'export', EMAIL.toUpperCase(), '-o', out]);
    expect(statSync(out).mode & 0o077).toBe(0);
    const doc = JSON.parse(readFileSync(out, 'utf8'));
    const schema = JSON.parse(readFileSync(new URL('../../docs/contact-export.schema.json', import.meta.url), 'utf8'));
    const validate = new Ajv({ allErrors: true }).compile(schema);
    expect(validate(doc), JSON.stringify(validate.errors)).toBe(true);
    expect(doc).toMatchObject({ emails: [EMAIL], phones: [PHONE], exportedBy: 'admin@acme.example' });
    expect(doc.leads.map((l: { id: number }) => l.id)).toEqual([ana]);
    const [lead] = doc.leads;
    expect(lead.timeline.map((a: { type: string }) => a.type)).toEqual(expect.arrayContaining(['created', 'note', 'call', 'stage']));
    expect(lead.calls).toHaveLength(1);
    expect(lead.followUps.map((f: { title: string }) => f.title)).toEqual(['Send Sousa the quote']);
    expect(lead.appointments).toHaveLength(1);
    expect(lead.consent.channels[0]).toMatchObject({ channel: 'email', state: 'granted', source: 'by-hand', user: 'admin@acme.example' });
    expect(lead.consent.history).toEqual([expect.objectContaining({ channel: 'email', state: 'granted', note: 'Ana Sousa said yes at the fair' })]);
    expect(doc.records.consent).toHaveLength(1);
    expect(doc.records.orders).toEqual([expect.objectContaining({ lead_id: ana, total_minor: 10000, paid_minor: 4000 })]);
    expect(doc.records.orderPayments).toEqual([expect.objectContaining({ amount_minor: 4000, note: 'transfer from Ana Sousa' })]);
    // By id, the same person.
    expect((await h.json(['contact', 'export', String(ana)])).leads.map((l: { id: number }) => l.id)).toEqual([ana]);
    // The schema is not a formality: a document without its leads fails it.
    expect(validate({ ...doc, leads: [] })).toBe(false);
  });

  it('is refused to reps (export) and to everyone but admins (erase); erase needs --yes without a terminal', async () => {
    await h.fail(['contact', 'export', String(ana), '--as', 'ravi@acme.example'], 5, /may not export a person's data/);
    await h.fail(['contact', 'erase', String(ana), '--yes', '--as', 'meera@acme.example'], 5, /may not erase a person's data/);
    await h.fail(['contact', 'erase', String(ana)], 2, /--yes/);
    await h.fail(['contact', 'export', 'nobody@nowhere.example'], 3, /no lead or customer has the email/);
  });

  it('erases the person from every text column of every table, keeps the counts, and suppresses them', async () => {
    expect(await traces(h, TRACES)).not.toEqual([]);
    const r = await h.json(['contact', 'erase', EMAIL, '--yes']);
    expect(r).toMatchObject({ erased: [ana], suppressed: 2 });
    expect(r.backups).toMatch(/Backups made before/);
    expect(await traces(h, TRACES)).toEqual([]);
    // The import's reject file, rewritten without her line; Dee's import is untouched.
    expect(r.importFiles.rewritten).toEqual([{ file: rejectsFile, lines: 1 }]);
    expect(readFileSync(rejectsFile, 'utf8')).not.toContain(EMAIL);
    expect(statSync(rejectsFile).mode & 0o777).toBe(0o600);
    // The invoice stays (accounts are kept by law), its buyer the erased contact, its amounts whole.
    const [invoice] = await h.json(['invoice', 'list']);
    expect(invoice).toMatchObject({ leadId: ana, lead: 'erased contact', title: 'erased contact' });
    expect((await h.json(['lead', 'consent', String(ana)])).channels[0]).toMatchObject({ state: 'granted', source: 'by-hand' });
    // The lead stays counted, as an erased contact; the other lead is untouched.
    const all = await h.json(['lead', 'list', '--status', 'all']);
    expect(all.map((l: { id: number; name: string }) => [l.id, l.name])).toEqual(expect.arrayContaining([[ana, 'erased contact'], [other, 'Bo Chen']]));
    expect((await h.json(['lead', 'show', String(ana)])).recentCalls).toHaveLength(1);
    await h.fail(['contact', 'erase', String(ana), '--yes'], 4, /erased already/);

    // Back through the door: refused by default, flagged when the team says so.
    await h.fail(['lead', 'add', '--name', 'Ana', '--email', EMAIL.toUpperCase()], 4, /erased at their request/);
    await h.fail(['lead', 'add', '--name', 'Ana', '--phone', PHONE], 4, /erased at their request/);
    await h.ok(['config', 'set', 'privacy.suppressed', 'flag']);
    const back = (await h.json(['lead', 'add', '--name', 'Ana', '--email', EMAIL])).lead.id;
    expect((await h.json(['lead', 'show', String(back)])).notes.map((n: { body: string }) => n.body)).toEqual([expect.stringMatching(/erased at their request/)]);
  });

  it('audits the export and the erasure, naming the lead and never the email', async () => {
    const entries = await h.json(['audit', 'list', '--contact', String(ana)]);
    const actions = entries.map((e: { action: string }) => e.action);
    expect(actions).toEqual(expect.arrayContaining(['contact.export', 'contact.erase']));
    expect(entries.find((e: { action: string }) => e.action === 'contact.erase')).toMatchObject({ user: 'admin@acme.example', leadId: ana });
  });
});
