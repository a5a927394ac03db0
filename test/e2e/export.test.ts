import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIN, teamHome, type Home } from '../helpers/cli.js';
import { generated, write } from '../fixtures/import/fixtures.js';
import { CsvParser, type CsvRecord } from '../../src/io/csv.js';

/** The cells of a whole CSV text, by the project's own reader (the one crm lead import uses). */
function parseCsv(text: string): string[][] {
  const parser = new CsvParser(',');
  const out: CsvRecord[] = [];
  parser.push(text, out);
  parser.end(out);
  return out.map((r) => r.cells);
}

describe('crm lead export', () => {
  let a: Home;
  beforeAll(async () => {
    a = await teamHome();
    await a.ok(['config', 'set', 'phone.region', 'PT']);
    const add = async (...args: string[]) => (await a.json(['lead', 'add', ...args])).lead.id as number;
    await add(
      '--name', '=HYPERLINK("http://evil.example","click")', '--business', 'Acme, "Quoted" Ltd', '--email', 'ana@x.example', '--email', 'Ana.Work@X.example',
      '--phone', '+351 912 345 678', '--phone', '913 000 001', '--source', 'Website', '--value', '12000.50', '--expected-close', '2026-12-15',
      '--tag', 'vip', '--tag', 'big deal', '--birthday', '12-24', '--address', 'Rua 1\nPorto', '--field', 'Industry=+textiles', '--field', 'Notes=-minus; and, commas',
      '--assign', 'ravi@acme.example,priya@acme.example', '--score', '55',
    );
    const lost = await add('--name', '@mention', '--kind', 'company', '--email', 'lost@x.example', '--currency', 'JPY', '--value', '5000');
    await a.ok(['lead', 'lose', String(lost), '--reason', 'Price too high']);
    // A tab inside a cell needs no quoting (names refuse control characters; an address takes it).
    const won = await add('--name', 'Tab Name', '--address', 'Tab\tStreet', '--phone', '+91 98765 43210', '--stage', 'Demo');
    await a.ok(['lead', 'convert', String(won), '--order-id', 'SO-1']);
    const archived = await add('--name', "'Quoted start", '--email', 'arch@x.example');
    await a.ok(['lead', 'edit', String(archived), '--status', 'archived']);
  });
  afterAll(() => a.cleanup());

  it('neutralises formula cells (OWASP) and quotes what needs quoting', async () => {
    const csv = await a.ok(['lead', 'export', '--type', 'all']);
    const lines = csv.split('\r\n');
    expect(lines[0]).toBe('id,name,business_name,kind,type,emails,phones,source,stage,status,lost_reason,score,value,currency,expected_close,assigned_to,tags,birthday,address,order_id,created_at,custom:Industry,custom:Notes');
    expect(csv).toContain(`"'=HYPERLINK(""http://evil.example"",""click"")"`);
    expect(csv).toContain(`'+351912345678; +351913000001`);
    expect(csv).toContain(`'+textiles,"'-minus; and, commas"`);
    expect(csv).toContain(`,'@mention,`);
    expect(csv).toContain(`,Tab\tStreet,`);
    expect(csv).toContain(`,''Quoted start,`);
    // No cell of the file starts with a formula character, read as a spreadsheet reads it (quotes, commas and line breaks inside cells).
    const records = parseCsv(csv);
    expect(records.map((r) => r.length)).toEqual(records.map(() => records[0]!.length));
    expect(records.length).toBeGreaterThan(1);
    // An E.164 phone (+ and digits only) is a number, not a formula: it is written as is.
    for (const record of records.slice(1)) for (const cell of record) if (!/^\+\d+$/.test(cell)) expect(cell).not.toMatch(/^[=+\-@\t\r]/);
    expect(records.flat()).toContain('+919876543210');
  });

  it('round-trips losslessly: export → import into a fresh store → the same export', async () => {
    const file = join(a.dir, 'all.csv');
    expect(await a.ok(['lead', 'export', '--type', 'all', '-o', file])).toBe(`Exported 4 contacts to ${file} (csv)`);
    const b = await teamHome();
    try {
      const s = await b.json(['lead', 'import', file]);
      expect(s.counts).toMatchObject({ rows: 4, imported: 4, rejected: 0 });
      // created_at is kept: the lead's creation time where it came from.
      expect(s.ignored.map((i: { column: string }) => i.column)).toEqual(['id']);
      expect(await b.ok(['lead', 'export', '--type', 'all'])).toBe(readFileSync(file, 'utf8').replace(/\r\n$/, ''));
      const before = await a.ok(['lead', 'export', '--type', 'all', '--format', 'jsonl']);
      const after = await b.ok(['lead', 'export', '--type', 'all', '--format', 'jsonl']);
      expect(after).toBe(before);
    } finally {
      b.cleanup();
    }
  });

  it('JSON and JSON Lines, with the same filters as lead list', async () => {
    const json = JSON.parse(await a.ok(['lead', 'export', '--type', 'all', '--format', 'json']));
    expect(JSON.parse(await a.ok(['lead', 'export', '--type', 'customer', '--format', 'json'])).map((l: { orderId: string }) => l.orderId)).toEqual(['SO-1']);
    expect(json.map((l: { name: string }) => l.name)).toEqual(['=HYPERLINK("http://evil.example","click")', '@mention', 'Tab Name', "'Quoted start"]);
    const vip = (await a.ok(['lead', 'export', '--format', 'jsonl', '--tag', 'vip'])).trim().split('\n');
    expect(vip.map((l) => JSON.parse(l).emails)).toEqual([['ana@x.example', 'Ana.Work@X.example']]);
    expect(JSON.parse(await a.ok(['lead', 'export', '--format', 'json', '--search', 'nobody']))).toEqual([]);
    // Lost is a stage, not a status: the lost lead is still active; the customer is not a lead.
    expect((await a.ok(['lead', 'export', '--status', 'active', '--format', 'jsonl'])).trim().split('\n')).toHaveLength(2);
    await a.fail(['lead', 'export', '--format', 'xlsx'], 2, /invalid --format 'xlsx'/);
  });

  it('a rep exports only the leads assigned to them', async () => {
    const rows = (await a.ok(['lead', 'export', '--format', 'jsonl', '--as', 'priya@acme.example'])).trim().split('\n');
    expect(rows.map((l) => JSON.parse(l).assignedTo)).toEqual([['priya@acme.example', 'ravi@acme.example']]);
  });

  it('stops quietly when the reader goes away (crm lead export | head)', async () => {
    const b = await teamHome();
    try {
      await b.ok(['lead', 'import', write(b.dir, 'g.csv', generated(5000))]);
      const r = await execa('bash', ['-c', `set -o pipefail; "${BIN}" lead export --format jsonl | head -c 100 > /dev/null`], { env: b.env, extendEnv: false, reject: false });
      expect(r.stderr).toBe('');
      expect(r.exitCode).toBe(0);
    } finally {
      b.cleanup();
    }
  });
});
