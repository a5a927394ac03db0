import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { importLeads, type ImportOptions } from '../src/services/import/service.js';
import { addLead, loseLead } from '../src/services/leads/service.js';
import type { Lead } from '../src/domain/leads.js';
import { awkward, generated, hubspot, inFileDuplicates, pipedrive, salesforce, write } from './fixtures/import/fixtures.js';
import { testTeam, type TestTeam } from './helpers/store.js';
import { cliText } from '../src/commands/hints.js';

describe('importLeads', () => {
  let team: TestTeam;
  let dir: string;
  beforeEach(async () => {
    team = await testTeam();
    dir = mkdtempSync(join(tmpdir(), 'crm-import-'));
  });
  afterEach(async () => {
    await team.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const run = (file: string, opts: Partial<ImportOptions> = {}, as = team.admin) =>
    importLeads(team.as(as), { file, stdin: Readable.from([]), dataDir: dir, tmpDir: dir, ...opts });
  const all = async (): Promise<Lead[]> => (await team.store.leads.list({ deleted: 'exclude', sort: { key: 'id', desc: false } }));
  const byEmail = async (email: string) => (await all()).find((l) => l.emails.some((e) => e.toLowerCase() === email.toLowerCase()));

  it('imports a HubSpot export (BOM, CRLF): synonyms, owners, unknown columns as custom fields', async () => {
    const s = await run(write(dir, 'hubspot.csv', hubspot()));
    expect(s.status).toBe('done');
    expect(s.encoding).toBe('utf8');
    expect(s.counts).toMatchObject({ rows: 3, imported: 3, rejected: 0 });
    expect(s.unknownAsCustom).toEqual(['Record ID']);
    const ana = (await byEmail('ana@sousa.example'))!;
    expect(ana).toMatchObject({ name: 'Ana Sousa', businessName: 'Sousa Lda', phones: ['+351912345678'], stage: 'New' });
    expect(ana.assignees.map((a) => a.email)).toEqual(['ravi@acme.example']);
    // The create date is the lead's creation time, not a custom field.
    expect(ana.custom).toEqual({ 'Record ID': '101' });
    expect(ana.createdAt).toBe('2026-01-05T10:00:00.000Z');
    expect((await byEmail('rahul@sharma.example'))!.stage).toBe('Qualified');
    const timeline = await team.store.activities.forLead(ana.id);
    expect(timeline[0]).toMatchObject({ type: 'created', data: { outcome: 'new', importId: s.importId, line: 2 } });
  });

  it('imports a Salesforce report from European Excel: semicolons, Windows-1252, decimal commas', async () => {
    const s = await run(write(dir, 'salesforce.csv', salesforce()));
    expect(s).toMatchObject({ encoding: 'win1252', delimiter: ';', decimalComma: true });
    expect(s.counts).toMatchObject({ imported: 3, rejected: 0 });
    const jose = (await byEmail('jose@muller.example'))!;
    expect(jose).toMatchObject({ name: 'José Müller', businessName: 'Müller GmbH', source: 'Referral', valueMinor: 123450, currency: 'EUR' });
    expect((await byEmail('zoe@weber.example'))!).toMatchObject({ name: 'Zoë Weber', businessName: 'Weber & Söhne', valueMinor: 9990 });
  });

  it('reads Excel’s "Unicode text" (UTF-16LE with BOM, tab-separated), and honours --encoding', async () => {
    const text = 'Name\tEmail\tCompany\r\nŁukasz Nowak\tlukasz@nowak.example\tNowak Sp. z o.o.\r\n';
    const s = await run(write(dir, 'unicode.txt', Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')])));
    expect(s).toMatchObject({ encoding: 'utf16le', delimiter: '\t' });
    expect((await byEmail('lukasz@nowak.example'))!).toMatchObject({ name: 'Łukasz Nowak', businessName: 'Nowak Sp. z o.o.' });
    // Windows-1252 bytes read as what they are when the encoding is given.
    const forced = await run(write(dir, 'latin.csv', Buffer.from('Name,Email\nJos\xe9 Lima,jose@lima.example\n', 'latin1')), { encoding: 'windows-1252' });
    expect(forced.encoding).toBe('win1252');
    expect((await byEmail('jose@lima.example'))!.name).toBe('José Lima');
    await expect(run(write(dir, 'x.csv', 'Name\nA\n'), { encoding: 'klingon' })).rejects.toThrow(/unknown encoding 'klingon'/);
  });

  it('imports a Pipedrive export with several emails and phones in one cell', async () => {
    const s = await run(write(dir, 'pipedrive.csv', pipedrive()));
    expect(s.counts).toMatchObject({ imported: 2, rejected: 0 });
    const arjun = (await byEmail('arjun@nair.example'))!;
    expect(arjun.emails).toEqual(['arjun@nair.example', 'arjun.nair@work.example']);
    expect(arjun.phones).toEqual(['+919845012345', '+918023456789']);
    expect(arjun).toMatchObject({ businessName: 'Nair Exports', valueMinor: 2500000, currency: 'INR', tags: ['hot', 'vip'] });
    expect(arjun.custom).toEqual({ 'Deal - Title': 'Big order' });
    expect((await byEmail('meera@kapoor.example'))!).toMatchObject({ valueMinor: 150075, currency: 'USD' });
  });

  it('handles quoted newlines, ragged rows and formula cells; refuses a row with extra cells, naming its line', async () => {
    const rejects = join(dir, 'rejects.csv');
    const s = await run(write(dir, 'awkward.csv', awkward()), { rejects });
    expect(s.counts).toMatchObject({ rows: 4, imported: 3, rejected: 1 });
    expect((await byEmail('diego@garcia.example'))!).toMatchObject({ name: 'Diego "Dee" García', address: 'Rua 1\nPorto\n4000-001' });
    expect((await byEmail('aisha@bello.example'))!.address).toBeNull();
    // Stored as text, exactly as given: export neutralises it, not import.
    const formula = (await byEmail('formula@cells.example'))!;
    expect(formula).toMatchObject({ name: '=HYPERLINK("http://evil.example")', address: '+351 street' });
    // A Notes column is a note on the timeline.
    expect((await team.store.activities.forLead(formula.id)).filter((a) => a.type === 'note').map((a) => a.body)).toEqual(['@mention']);
    expect(s.firstRejects).toEqual([{ line: 6, reason: 'line 6: 5 cells but the header has 4 columns (an unquoted delimiter inside a cell?)' }]);
    const lines = readFileSync(rejects, 'utf8').trim().split('\n');
    expect(lines).toEqual(['crm_reject_line,crm_reject_reason,Name,Email,Address,Notes', '6,line 6: 5 cells but the header has 4 columns (an unquoted delimiter inside a cell?),Kenji Tanaka,kenji@tanaka.example,Tokyo,ok,EXTRA']);
  });

  it('finds duplicates within the file (email in another case, phone written another way)', async () => {
    const s = await run(write(dir, 'dups.csv', inFileDuplicates()));
    expect(s.counts).toMatchObject({ rows: 5, imported: 3, skipped: 2 });
    expect((await all()).map((l) => l.name)).toEqual(['Olivia Brown', 'Vikram Reddy', 'Chloe Martin']);
  });

  it('update, merge and create policies, for in-file and stored duplicates', async () => {
    const file = write(dir, 'dups.csv', inFileDuplicates());
    const u = await run(file, { onDuplicate: 'update' });
    expect(u.counts).toMatchObject({ imported: 3, updated: 2 });
    // The later row's values win; contacts are added, never dropped.
    expect((await byEmail('olivia.brown@example.com'))!.name).toBe('Olivia B.');
    expect((await byEmail('vikram@reddy.example'))!).toMatchObject({ name: 'V. Reddy', phones: ['+351913000002'], businessName: 'Reddy Motors' });

    const m = await run(write(dir, 'merge.csv', 'Name,Email,Company,Score\nSomeone Else,chloe@martin.example,Martin SA,40\n'), { onDuplicate: 'merge' });
    expect(m.counts).toMatchObject({ merged: 1, imported: 0 });
    const chloe = (await byEmail('chloe@martin.example'))!;
    expect(chloe).toMatchObject({ name: 'Chloe Martin', businessName: 'Martin SA', score: 40 });
    const timeline = await team.store.activities.forLead(chloe.id);
    expect(timeline[0]).toMatchObject({ type: 'updated', data: { importId: m.importId, line: 2, policy: 'merge' } });

    const c = await run(write(dir, 'create.csv', 'Name,Email\nChloe Twin,chloe@martin.example\n'), { onDuplicate: 'create' });
    expect(c.counts).toMatchObject({ imported: 1 });
    expect((await all()).filter((l) => l.emails.includes('chloe@martin.example'))).toHaveLength(2);
  });

  it('--on-duplicate update changes a stored lead: row values win, contacts and tags are added, and the change is logged', async () => {
    const { lead } = await addLead(team.as(team.admin), { name: 'Ravi Old', emails: ['r@old.example'], tags: ['keep'], score: 10 });
    const s = await run(write(dir, 'upd.csv', 'Name,Email,Phone,Tags,Score,Stage\nRavi New,R@OLD.example,+351 913 222 333,new,70,Qualified\n'), { onDuplicate: 'update' });
    expect(s.counts).toMatchObject({ updated: 1, imported: 0 });
    const after = (await team.store.leads.get(lead.id))!;
    expect(after).toMatchObject({ name: 'Ravi New', emails: ['r@old.example'], phones: ['+351913222333'], tags: ['keep', 'new'], score: 70, stage: 'Qualified' });
    const [entry] = await team.store.activities.forLead(lead.id);
    expect(entry).toMatchObject({ type: 'updated', data: { importId: s.importId, line: 2, policy: 'update' } });
    expect((entry!.data.changes as { field: string }[]).map((c) => c.field).sort()).toEqual(['name', 'phones', 'score', 'stageId', 'tags']);
  });

  it('re-engages a lost lead instead of duplicating it, and logs it', async () => {
    const { lead } = await addLead(team.as(team.admin), { name: 'Nina Novak', emails: ['nina@novak.example'] });
    await loseLead(team.as(team.admin), lead.id, 'No budget');
    const s = await run(write(dir, 'nina.csv', 'Name,Email,Phone\nNina N.,NINA@novak.example,+351 913 999 999\n'));
    expect(s.counts).toMatchObject({ reengaged: 1, imported: 0 });
    const after = (await team.store.leads.get(lead.id))!;
    expect(after).toMatchObject({ status: 'active', stage: 'New', phones: ['+351913999999'] });
    const timeline = await team.store.activities.forLead(lead.id);
    expect(timeline[0]).toMatchObject({ type: 'reengaged', data: { fromStage: 'Lost', importId: s.importId, line: 2 } });
  });

  it('refuses bad rows with line, column and value, and applies the rest', async () => {
    const csv = 'Name,Email,Phone,Deal Value,Lead Source\n' +
      'Good One,good@one.example,,100,Website\n' +
      ',,,,\n' +
      'Bad Mail,not-an-email,,,\n' +
      'Bad Phone,,12,,\n' +
      'Bad Value,bad@value.example,,-5,\n' +
      'Bad Source,bad@source.example,,,Carrier Pigeon\n' +
      ',,,5,\n';
    // Worded as the CLI words them (crm lead import passes cliText); without it, plain text.
    const s = await run(write(dir, 'bad.csv', csv), { wording: cliText, strict: true });
    expect(s.counts).toMatchObject({ rows: 6, imported: 1, rejected: 5 });
    expect(s.firstRejects.map((r) => r.reason)).toEqual([
      "line 4: column 'Email': invalid email 'not-an-email'",
      expect.stringMatching(/^line 5: column 'Phone': invalid phone '12'/),
      "line 6: column 'Deal Value': invalid value '-5'",
      "line 7: column 'Lead Source': unknown source 'Carrier Pigeon' (add it with crm source add 'Carrier Pigeon', or map the column to ignore)",
      'line 8: no name, business name, email or phone',
    ]);
    expect(s.rejectsFile).toBe(join(dir, 'imports', `import-${s.importId}-rejects.csv`));
  });

  it('without --strict the same rows land: the bad value is left out and a warning says so; only the rows with no contact are refused', async () => {
    const csv = 'Name,Email,Phone,Deal Value,Lead Source\n' +
      'Good One,good@one.example,,100,Website\n' +
      'Bad Mail,not-an-email,,,\n' +
      'Bad Phone,,12,,\n' +
      'Bad Value,bad@value.example,,-5,\n' +
      'New Source,new@source.example,,,Carrier Pigeon\n' +
      ',,,5,\n' +
      ',not-an-email,,,\n';
    const s = await run(write(dir, 'soft.csv', csv), { wording: cliText });
    expect(s.counts).toMatchObject({ rows: 7, imported: 5, rejected: 2 });
    expect(s.firstRejects.map((r) => r.reason)).toEqual([
      'line 7: no name, business name, email or phone',
      "line 8: no name, business name, email or phone left (column 'Email': invalid email 'not-an-email'; left out)",
    ]);
    expect(s.warnings.first.map((w) => [w.line, w.column, w.value, w.warning])).toEqual([
      [3, 'Email', 'not-an-email', "invalid email 'not-an-email'; left out"],
      [4, 'Phone', '12', expect.stringMatching(/^invalid phone '12'.*; left out$/)],
      [5, 'Deal Value', '-5', "invalid value '-5'; left out"],
    ]);
    expect(s.created.sources).toEqual(['Carrier Pigeon']);
    expect((await byEmail('new@source.example'))!.source).toBe('Carrier Pigeon');
    expect((await all()).find((l) => l.name === 'Bad Mail')).toMatchObject({ emails: [], phones: [] });
    expect(readFileSync(s.warnings.file!, 'utf8').split('\n')[1]).toBe("3,Email,not-an-email,invalid email 'not-an-email'; left out,");
  });

  it('--map overrides synonyms and refuses a column the file does not have', async () => {
    const file = write(dir, 'map.csv', 'Who,Reach me at,Mobile\nTom,tom@x.example,+351 913 111 111\n');
    const s = await run(file, { map: ['Who=name,Reach me at=email', 'Mobile=ignore'] });
    expect(s.counts.imported).toBe(1);
    expect((await byEmail('tom@x.example'))!).toMatchObject({ name: 'Tom', phones: [] });
    await expect(run(file, { map: ['E-mail=email'], again: true })).rejects.toThrow(/^map names a column 'e-mail' that .*map.csv does not have/);
  });

  it('--dry-run counts what would happen and writes nothing', async () => {
    const s = await run(write(dir, 'dups.csv', inFileDuplicates()), { dryRun: true });
    expect(s).toMatchObject({ status: 'dry-run', importId: null });
    expect(s.counts).toMatchObject({ imported: 3, skipped: 2 });
    expect(await all()).toEqual([]);
    expect(await team.store.imports.list()).toEqual([]);
  });

  it('defaults: --source, --stage, --tag, --assign round-robin', async () => {
    const s = await run(write(dir, 'gen.csv', 'Name,Email\nA,a@d.example\nB,b@d.example\nC,c@d.example\n'), { source: 'Referral', stage: 'Contacted', tags: ['import-2026-11'], assign: 'round-robin' });
    expect(s.counts.imported).toBe(3);
    const leads = await all();
    expect(leads.map((l) => [l.source, l.stage, l.tags.join()])).toEqual(Array(3).fill(['Referral', 'Contacted', 'import-2026-11']));
    expect(leads.map((l) => l.assignees[0]!.email)).toEqual(['ravi@acme.example', 'priya@acme.example', 'ravi@acme.example']);
  });

  it('resumes an interrupted import after its last committed line, without duplicates', async () => {
    const file = write(dir, 'gen.csv', generated(50));
    const first = await run(file, { batchRows: 10 });
    expect(first.counts.imported).toBe(50);
    // Simulate a kill after line 21: roll the record back to 'running' at line 21 and delete what came after.
    await team.store.transaction(() => team.store.imports.progress(first.importId!, { status: 'running', lastLine: 21, rows: 20, imported: 20 }));
    const again = await run(file, { batchRows: 10 });
    expect(again).toMatchObject({ importId: first.importId, resumedFromLine: 21, status: 'done' });
    // Rows after line 21 are all in the store already: the resumed run finds them and skips them.
    expect(again.counts).toMatchObject({ rows: 50, imported: 20, skipped: 30 });
    expect(await all()).toHaveLength(50);
    const done = await run(file);
    expect(done.status).toBe('already-imported');
  });

  it('is for admins and managers', async () => {
    await expect(run(write(dir, 'gen.csv', generated(1)), {}, team.ravi)).rejects.toThrow(/ravi@acme.example is a rep and may not import leads in bulk/);
  });
});
