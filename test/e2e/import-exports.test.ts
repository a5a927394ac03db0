import { copyFileSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { teamHome, type Home } from '../helpers/cli.js';
import { onTerminal } from '../helpers/pty.js';

/**
 * Files shaped like what HubSpot, Salesforce, Pipedrive, Zoho and Excel export (test/fixtures/exports),
 * imported through the built binary into a team that has never set phone.region: every row a person
 * could fix by hand lands, and a warning says how.
 */
const FIXTURES = join(import.meta.dirname, '..', 'fixtures', 'exports');

describe('imports of real exports (end to end)', () => {
  let h: Home;
  beforeEach(async () => {
    h = await teamHome();
  });
  afterEach(() => h.cleanup());

  const fixture = (name: string) => {
    const to = join(h.dir, name);
    copyFileSync(join(FIXTURES, name), to);
    return to;
  };
  const lead = async (id: number) => h.json(['lead', 'show', String(id)]);
  const byName = async (name: string) => {
    const all = [...(await h.json<any[]>(['lead', 'list', '--status', 'all'])), ...(await h.json<any[]>(['customer', 'list', '--status', 'all']))];
    const found = all.find((l) => l.name === name);
    if (!found) throw new Error(`no lead ${name}`);
    return lead(found.id);
  };
  const importJson = async (args: string[], code = 0) => {
    const r = await h.run(['lead', 'import', ...args, '--json'], { openStdin: true });
    expect(r.exitCode, String(r.stderr)).toBe(code);
    return JSON.parse(String(r.stdout));
  };

  it('HubSpot contacts: 10 of 11 rows land (the 11th is empty), values left out are warnings that say how to fix them', async () => {
    const file = fixture('hubspot-contacts.csv');
    // Piped, with stdin left open: an import never waits for a prompt without a terminal.
    const s = await importJson([file], 8);
    expect(s.counts).toMatchObject({ rows: 11, imported: 9, skipped: 1, rejected: 1 });
    expect(s.firstRejects).toEqual([{ line: 11, reason: 'line 11: no name, business name, email or phone' }]);
    expect(s.created.sources).toEqual(['Organic Search', 'Paid Social', 'Direct Traffic', 'Referrals', 'Offline Sources', 'Email Marketing']);
    expect(s.unmapped).toEqual([{ column: 'Lifecycle Stage', value: 'other', rows: 1 }]);
    expect(s.unknownOwners).toEqual([{ column: 'Contact owner', value: 'Jordan Blake', rows: 2 }]);
    expect(s.warnings.count).toBe(8);
    expect(s.warnings.first).toContainEqual({ line: 5, column: 'Email', value: 'sofia@rossi', warning: "invalid email 'sofia@rossi'; left out" });
    expect(s.warnings.first).toContainEqual(expect.objectContaining({ line: 6, column: 'Contact owner', warning: expect.stringMatching(/^no user 'Jordan Blake'; left unassigned; add them with crm user add/) }));
    expect(s.warnings.first).toContainEqual(expect.objectContaining({ line: 8, column: 'Lifecycle Stage', warning: expect.stringContaining("--map-values 'Lifecycle Stage:other=") }));

    // The warnings file sits beside the reject file and lists every warning, duplicates with their lead.
    expect(s.warnings.file).toBe(join(h.dir, 'imports', 'import-1-warnings.csv'));
    const warnings = readFileSync(s.warnings.file, 'utf8').trim().split('\n');
    expect(warnings[0]).toBe('crm_line,crm_column,crm_value,crm_warning,crm_lead_id');
    expect(warnings).toHaveLength(9);
    expect(warnings).toContain('13,,OLIVIA@bennett.example,duplicate of lead 1: skipped,1');
    expect(warnings.find((l) => l.startsWith('8,Phone Number,087 123 4567,'))).toMatch(/kept as entered and marked unverified.*--region/);

    // A UK number without its country code is placed by the row's Country/Region; the create date and the notes are kept.
    const olivia = await lead(1);
    expect(olivia).toMatchObject({ name: 'Olivia Bennett', phones: ['+442079460958'], stage: 'New', source: 'Organic Search', createdAt: '2024-01-15T09:30:00.000Z', assignedTo: ['admin@acme.example'] });
    expect(olivia.notes.map((n: { body: string }) => n.body)).toEqual(['Met at the London fair.\nWants a demo in spring.']);
    expect(await lead(2)).toMatchObject({ stage: 'Contacted', phones: ['+4930901820'], assignedTo: ['ravi@acme.example'] });
    expect(await lead(3)).toMatchObject({ emails: [], phones: ['+390669821234'], stage: 'Qualified' });
    // The extension is kept; an owner who is not a user leaves the lead unassigned.
    expect(await lead(4)).toMatchObject({ phones: ['+15125550199 ext. 42'], assignedTo: [] });
    expect(await lead(5)).toMatchObject({ type: 'customer', stage: 'Won', convertedAt: '2023-11-30T16:45:00.000Z' });
    // UNQUALIFIED: lost with its reason; a number with no country anywhere is kept as entered, unverified.
    expect(await lead(6)).toMatchObject({ stage: 'Lost', lostReason: 'Unqualified', phones: ['087 123 4567'] });
    expect(await h.ok(['lead', 'show', '6'])).toMatch(/phones\s+087 123 4567 \(unverified\)/);
    expect(await lead(7)).toMatchObject({ phones: ['+81312345678'], stage: 'New' });
    expect(await lead(8)).toMatchObject({ name: 'Mia Novak', emails: [], phones: ['+420601123456'] });
    expect(await lead(9)).toMatchObject({ type: 'customer', phones: ['555 0100'] });

    // The reject file, fixed by hand, is imported again with the same options.
    const rejects = readFileSync(s.rejectsFile, 'utf8').split('\n');
    expect(rejects[1]).toMatch(/^11,"line 11: no name, business name, email or phone",109,,,,,lead,/);
    writeFileSync(s.rejectsFile, `${rejects[0]}\n${rejects[1]!.replace('109,,,,,lead', '109,Nina,Holt,nina@holt.example,,lead')}\n`);
    const again = await h.json(['import', 'rejects', '1']);
    expect(again.counts).toMatchObject({ rows: 1, imported: 1, rejected: 0 });
    expect(await byName('Nina Holt')).toMatchObject({ stage: 'New', createdAt: '2024-03-15T09:00:00.000Z' });
  });

  it('--strict keeps the old rule: a bad value (here an unknown source) refuses its row', async () => {
    const s = await importJson([fixture('salesforce-leads.csv'), '--strict'], 8);
    expect(s.counts).toMatchObject({ imported: 0, rejected: 4 });
    expect(s.firstRejects[0].reason).toBe("line 2: column 'Lead Source': unknown source 'Web' (add it with crm source add 'Web', or map the column to ignore)");
    expect(s.created.sources).toEqual([]);
    const p = await importJson([fixture('pipedrive-deals.csv'), '--strict', '--assign', 'ravi@acme.example']);
    expect(p.counts).toMatchObject({ imported: 3, rejected: 0 });
  });

  it('Salesforce leads: statuses mapped (Closed - Converted is a customer, Closed - Not Converted lost), m/d/y dates settled by the column', async () => {
    const s = await importJson([fixture('salesforce-leads.csv')]);
    expect(s.counts).toMatchObject({ rows: 4, imported: 4, rejected: 0 });
    expect(s.unknownOwners).toEqual([{ column: 'Lead Owner', value: 'Chris Doe', rows: 1 }]);
    expect(await byName('Grace Hopper')).toMatchObject({ stage: 'New', source: 'Web', phones: ['+12025550143'], createdAt: '2024-03-15T00:00:00.000Z', notes: [expect.objectContaining({ body: 'Asked about pricing' })] });
    expect(await byName('Alan Turing')).toMatchObject({ stage: 'Contacted', phones: ['+441908640404'], assignedTo: ['meera@acme.example'] });
    expect(await byName('Ada Lovelace')).toMatchObject({ type: 'customer', stage: 'Won', createdAt: '2023-12-01T00:00:00.000Z' });
    expect(await byName('Linus Pauling')).toMatchObject({ stage: 'Lost', lostReason: 'Not converted', assignedTo: [] });
  });

  it('Pipedrive deals: a won deal is Won, a lost one Lost with its reason, values with their currency, the add time kept', async () => {
    const s = await importJson([fixture('pipedrive-deals.csv')]);
    expect(s.counts).toMatchObject({ imported: 3, rejected: 0 });
    expect(s.warnings.count).toBe(0);
    expect(await byName('Henry Ford')).toMatchObject({ stage: 'Proposal Sent', value: { amount: '12000.00', currency: 'USD' }, createdAt: '2024-02-01T10:00:00.000Z' });
    expect(await byName('Marie Curie')).toMatchObject({ stage: 'Won', lostReason: null, phones: ['+33144271234'], assignedTo: ['priya@acme.example'] });
    expect(await byName('Niels Bohr')).toMatchObject({ stage: 'Lost', lostReason: 'Went with a competitor', createdAt: '2023-12-05T15:30:00.000Z' });
  });

  it('Zoho leads: Junk Lead is junk, Lost Lead lost, d/m/y settled by a day above 12', async () => {
    const s = await importJson([fixture('zoho-leads.csv')]);
    expect(s.counts).toMatchObject({ imported: 4, junk: 1, rejected: 0 });
    expect(await byName('Rahul Verma')).toMatchObject({ stage: 'New', phones: ['+919876543210'], createdAt: '2024-03-15T10:30:00.000Z' });
    expect(await byName('Spam Bot')).toMatchObject({ status: 'junk' });
    expect(await byName('Kiran Shah')).toMatchObject({ stage: 'Lost', createdAt: '2024-04-02T09:00:00.000Z' });
    expect(await byName('Anita Desai')).toMatchObject({ stage: 'Contacted', phones: ['+912223456789'] });
  });

  it("an imported lead's timeline shows it created by its import and line, at its own create date (no row of its own)", async () => {
    await importJson([fixture('zoho-leads.csv')]);
    const rahul = await byName('Rahul Verma');
    expect(rahul.timeline.map((a: any) => [a.type, a.at, a.user, a.body, a.data])).toEqual([
      ['note', '2024-03-15T10:30:00.000Z', 'admin@acme.example', 'Called twice', { importId: 1, line: 2 }],
      ['created', '2024-03-15T10:30:00.000Z', 'admin@acme.example', null, { outcome: 'new', importId: 1, line: 2 }],
    ]);
    expect((await byName('Spam Bot')).timeline.filter((a: any) => a.type === 'created').map((a: any) => a.data)).toEqual([{ outcome: 'junk', importId: 1, line: 3 }]);
    const text = await h.ok(['lead', 'show', String(rahul.id)]);
    expect(text).toContain('created (new) by import 1, line 2');
    // A note added later comes first; the created entry stays last.
    await h.ok(['lead', 'note', String(rahul.id), 'Asked for a quote']);
    expect((await lead(rahul.id)).timeline.map((a: any) => a.type)).toEqual(['note', 'note', 'created']);
  });

  it('an Excel file (cp1252, ;): dates no value settles are a warning with the fix, not a guess; the same bytes again name what differs', async () => {
    const file = fixture('excel-semicolon-cp1252.csv');
    const s = await importJson([file]);
    expect(s).toMatchObject({ encoding: 'win1252', delimiter: ';', decimalComma: true, counts: { imported: 3, rejected: 0 } });
    expect(s.warnings.first[0]).toEqual({ line: 2, column: 'Created', value: '03.04.2024', warning: "'03.04.2024' could be day/month or month/day; left out; pass --date-format dmy (15/03/2024) or mdy (03/15/2024)" });
    const jurgen = await byName('Jürgen Müller');
    expect(jurgen).toMatchObject({ phones: ['+49301234567'], value: { amount: '1234.50' }, createdAt: '2026-11-23T09:00:00.000Z' });

    const r = await h.run(['lead', 'import', file, '--date-format', 'dmy']);
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toContain('was already imported (import 1)');
    expect(r.stdout).toContain('--date-format: (none) → dmy');
    expect(r.stdout).toContain('run the same command with --again');
    const j = await h.json(['lead', 'import', file, '--date-format', 'dmy']);
    expect(j).toMatchObject({ status: 'already-imported', changedOptions: [{ option: 'dateFormat', before: null, now: 'dmy' }] });

    const fresh = await teamHome();
    try {
      copyFileSync(file, join(fresh.dir, 'x.csv'));
      const t = await fresh.json(['lead', 'import', join(fresh.dir, 'x.csv'), '--date-format', 'dmy']);
      expect(t.warnings.count).toBe(0);
      const all = await fresh.json<any[]>(['lead', 'list', '--status', 'all']);
      const id = all.find((l) => l.name === 'Jürgen Müller')!.id;
      expect((await fresh.json(['lead', 'show', String(id)])).createdAt).toBe('2024-04-03T00:00:00.000Z');
    } finally {
      fresh.cleanup();
    }
  });

  it('--dry-run lists the unmapped values and writes a mapping file; filled in, --mapping lands them', async () => {
    const file = fixture('hubspot-contacts.csv');
    const r = await h.run(['lead', 'import', file, '--dry-run']);
    expect(r.exitCode).toBe(8);
    expect(r.stdout).toContain("Lifecycle Stage: 'other' (1 row)");
    expect(r.stdout).toContain("Contact owner: 'Jordan Blake' (2 rows)");
    const skeleton = join(h.dir, 'hubspot-contacts.mapping.json');
    expect(r.stdout).toContain(`a mapping file to fill in: ${skeleton}`);
    const m = JSON.parse(readFileSync(skeleton, 'utf8'));
    expect(m).toMatchObject({ values: { 'Lifecycle Stage': { other: '' } }, owners: { 'Jordan Blake': '' }, region: '' });
    expect(m.columns).toMatchObject({ 'Lifecycle Stage': 'stage', 'Create Date': 'createdAt', Notes: 'notes', 'Country/Region': 'country' });
    expect(await h.json(['import', 'list'])).toEqual([]);

    m.values['Lifecycle Stage'].other = 'Demo';
    m.owners['Jordan Blake'] = 'priya@acme.example';
    m.region = 'IE';
    writeFileSync(skeleton, JSON.stringify(m));
    const s = await importJson([file, '--mapping', skeleton], 8);
    expect(s.unmapped).toEqual([]);
    expect(s.unknownOwners).toEqual([]);
    expect(await lead(4)).toMatchObject({ assignedTo: ['priya@acme.example'] });
    // Lead Status (UNQUALIFIED) comes after Lifecycle Stage and wins; the Irish mobile is placed by the region.
    expect(await lead(6)).toMatchObject({ stage: 'Lost', phones: ['+353871234567'] });
  });

  it('--map-values maps a value to a stage, and names a stage that does not exist', async () => {
    const file = fixture('hubspot-contacts.csv');
    await h.fail(['lead', 'import', file, '--map-values', 'Lifecycle Stage:other=Nowhere'], 2, /--map-values 'Lifecycle Stage:other=Nowhere': no stage 'Nowhere'/);
    await h.fail(['lead', 'import', file, '--map-values', 'Stage Name:x=Demo'], 2, /--map-values names a column 'stage name'/);
    const s = await importJson([file, '--map-values', 'Lifecycle Stage:other=Demo,subscriber=Qualified', '--region', 'US'], 8);
    expect(s.unmapped).toEqual([]);
    expect(await lead(7)).toMatchObject({ stage: 'Qualified' });
    // --region places numbers of rows without a country: 555 0100 is still not a US number.
    expect(await lead(9)).toMatchObject({ phones: ['555 0100'] });
  });

  it('on a terminal, the import offers to map unmapped values and owners first, and saves the answers as a mapping file', async () => {
    const file = fixture('hubspot-contacts.csv');
    const r = await onTerminal(h, ['lead', 'import', file], [
      ['Map them now?', 'y\r'],
      ["'other' (1 row)", '\x1b[B\x1b[B\x1b[B\r'], // New, Contacted, Qualified, Demo
      ["owner 'Jordan Blake'", '\r'], // the first user
    ]);
    expect(r.code).toBe(8);
    const saved = JSON.parse(readFileSync(join(h.dir, 'hubspot-contacts.mapping.json'), 'utf8'));
    expect(saved).toEqual({ values: { 'Lifecycle Stage': { other: 'Demo' } }, owners: { 'Jordan Blake': 'admin@acme.example' } });
    expect(r.text).toContain(`next time pass --mapping ${join(h.dir, 'hubspot-contacts.mapping.json')}`);
    expect(await lead(4)).toMatchObject({ assignedTo: ['admin@acme.example'] });
    expect(existsSync(join(h.dir, 'imports', 'import-1-warnings.csv'))).toBe(true);
  });

  it('export: an E.164 phone is not prefixed; a formula still is', async () => {
    await h.ok(['lead', 'add', '--name', '=HYPERLINK("x")', '--phone', '+1 512 555 0199']);
    const csv = await h.ok(['lead', 'export', '--format', 'csv']);
    expect(csv).toContain(',+15125550199,');
    expect(csv).toContain(`"'=HYPERLINK(""x"")"`);
  });
});
