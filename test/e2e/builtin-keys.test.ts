import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CsvParser, type CsvRecord } from '../../src/io/csv.js';
import { teamHome, type Home } from '../helpers/cli.js';
import { daemonTracker, formDaemon } from '../helpers/daemon.js';

// Names a plain JavaScript object answers by itself (or, for __proto__, treats as its prototype).
const BUILTINS = ['toString', 'constructor', 'hasOwnProperty', '__proto__'] as const;

describe('custom fields named like JavaScript built-ins (built binary)', () => {
  for (const key of BUILTINS) {
    it(`${key}: lead add/edit --field, lead export as CSV and JSON, import of the export`, async () => {
      const h = await teamHome();
      try {
        const id = (await h.ok(['lead', 'add', '--name', 'Ana Sousa', '--email', 'ana@sousa.example', '--field', `${key}=first`, '-q'])).trim();
        // Another lead without the field: its cell must be empty, not Object's function.
        await h.ok(['lead', 'add', '--name', 'Omar Haddad', '--email', 'omar@haddad.example', '--field', 'industry=Textiles']);
        await h.ok(['lead', 'edit', id, '--field', `${key}=second`]);
        expect((await h.json(['lead', 'show', id])).custom).toEqual(JSON.parse(`{${JSON.stringify(key)}: "second"}`));

        const csv = await h.ok(['lead', 'export']);
        const [header, ...rows] = parseCsvText(csv);
        const col = header!.indexOf(`custom:${key}`);
        expect(col).toBeGreaterThan(0);
        expect(rows.map((r) => [r[0], r[col]])).toEqual([[id, 'second'], [expect.any(String), '']]);

        const json = await h.ok(['lead', 'export', '--format', 'json']);
        expect(json).toContain(`"custom":{${JSON.stringify(key)}:"second"}`);

        const file = join(h.dir, 'export.csv');
        writeFileSync(file, csv);
        const other = await teamHome();
        try {
          await other.ok(['lead', 'import', file]);
          const [imported] = await other.json(['lead', 'list', '--search', 'Ana']);
          expect(Object.entries(imported.custom)).toEqual([[key, 'second']]);
        } finally {
          other.cleanup();
        }

        await h.ok(['lead', 'edit', id, '--field', `${key}=`]);
        expect((await h.json(['lead', 'show', id])).custom).toEqual({});
      } finally {
        h.cleanup();
      }
    });
  }

  it('CSV headers named like built-ins are kept as custom fields', async () => {
    const h = await teamHome();
    try {
      const file = join(h.dir, 'leads.csv');
      writeFileSync(file, `name,email,${BUILTINS.join(',')},valueOf\nAna Sousa,ana@sousa.example,1,2,3,4,5\n`);
      await h.ok(['lead', 'import', file]);
      const [lead] = await h.json(['lead', 'list']);
      expect(Object.entries(lead.custom)).toEqual([['toString', '1'], ['constructor', '2'], ['hasOwnProperty', '3'], ['__proto__', '4'], ['valueOf', '5']]);
    } finally {
      h.cleanup();
    }
  });

  it('settings and call outcomes named like built-ins are refused as unknown (exit 3, exit 2), not internal errors', async () => {
    const h = await teamHome();
    try {
      for (const key of BUILTINS) {
        await h.fail(['config', 'set', key, '1'], 3, `unknown setting '${key}'`);
        await h.fail(['config', 'get', key], 3, `unknown setting '${key}'`);
        await h.fail(['call', 'list', '--outcome', key], 2, 'invalid outcome');
      }
    } finally {
      h.cleanup();
    }
  });
});

describe('template tags named like JavaScript built-ins (built binary)', () => {
  it('a campaign whose subject uses {constructor} or {toString} is refused as an unknown tag (exit 2), not sent as [object Object]', async () => {
    const h = await teamHome();
    try {
      const body = join(h.dir, 'offer.md');
      writeFileSync(body, 'Hello {contact_name}');
      for (const key of BUILTINS) {
        await h.fail(['campaign', 'create', '--name', `T ${key}`, '--type', 'email', '--to', 'leads', '--subject', `Offer {${key}}`, '--body-file', body], 2, `error: unknown template tag {${key}} in the subject`);
      }
    } finally {
      h.cleanup();
    }
  });
});

describe('form fields named like JavaScript built-ins, posted to the running daemon (built binary)', () => {
  const tracked = daemonTracker();
  let h: Home;
  let url: string;
  let token: string;
  beforeAll(async () => {
    ({ h, url, token } = await formDaemon(tracked, ['--fields', 'hasOwnProperty=custom:hasOwnProperty,__proto__=company']));
  }, 60_000);
  afterAll(() => tracked.teardown());

  const post = (contentType: string, body: string) =>
    fetch(`${url}/intake/form/web`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': contentType }, body });

  it('a JSON post: 201, the lead made, mapped and unmapped built-in names kept', async () => {
    // Written by hand: an object literal would take "__proto__" as its prototype.
    const r = await post('application/json', '{"name":"Nina Costa","email":"nina@costa.example","toString":"a","constructor":"b","hasOwnProperty":"c","__proto__":"Costa Lda","valueOf":"e"}');
    expect(r.status).toBe(201);
    const { lead } = (await r.json()) as { lead: number };
    const show = await h.json(['lead', 'show', String(lead)]);
    expect(show).toMatchObject({ name: 'Nina Costa', businessName: 'Costa Lda', custom: { hasOwnProperty: 'c' } });
    const intake = show.timeline.find((a: { type: string }) => a.type === 'intake');
    expect(intake.body).toBe('toString: a\nconstructor: b\nvalueOf: e');
  });

  it('an urlencoded post: 201 as well', async () => {
    const r = await post('application/x-www-form-urlencoded', 'name=Omar+Haddad&email=omar%40haddad.example&toString=a&constructor=b&hasOwnProperty=c&__proto__=Haddad+Co');
    expect(r.status).toBe(201);
    const { lead } = (await r.json()) as { lead: number };
    expect(await h.json(['lead', 'show', String(lead)])).toMatchObject({ name: 'Omar Haddad', businessName: 'Haddad Co', custom: { hasOwnProperty: 'c' } });
    expect(readFileSync(join(h.dir, 'crm.db.daemon.log'), 'utf8')).not.toMatch(/ 500 /);
  });
});

function parseCsvText(text: string): string[][] {
  const out: CsvRecord[] = [];
  const parser = new CsvParser(',');
  parser.push(text, out);
  parser.end(out);
  return out.map((r) => r.cells);
}
