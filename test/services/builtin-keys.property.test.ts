import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { csvHeader, csvRow } from '../../src/commands/lead/export.js';
import { leadJson } from '../../src/commands/lead/render.js';
import { keyValue } from '../../src/commands/shared.js';
import { parseSubmission } from '../../src/daemon/http/intake.js';
import type { HttpRequest } from '../../src/daemon/http/types.js';
import { CsvParser, unneutralize, type CsvRecord } from '../../src/io/csv.js';
import { exportCustomKeys, exportLeads } from '../../src/services/export/service.js';
import { addForm, submitForm } from '../../src/services/intake/forms.js';
import { addLead, editLead, getLead, showLead } from '../../src/services/leads/service.js';
import { FIXED_NOW, testTeam, type TestTeam } from '../helpers/store.js';

// Names a plain object answers by itself; the rest of the keys are random text.
const BUILTIN = fc.constantFrom('toString', 'constructor', 'hasOwnProperty', '__proto__', 'valueOf', 'isPrototypeOf', 'propertyIsEnumerable', 'toLocaleString', '__defineGetter__', '__lookupSetter__');
/** A custom field key as `--field key=value` can carry it: trimmed, not empty, no '='. */
const fieldKey = fc.oneof(BUILTIN, fc.string({ minLength: 1, maxLength: 12 })).map((k) => k.trim()).filter((k) => k !== '' && !k.includes('='));
const fieldValue = fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9 .]{0,10}$/).map((v) => v.trim());
const RUNS = Number(process.env.CRM_FUZZ_RUNS ?? 60);

describe('user keys named like JavaScript built-ins round-trip (property, real store)', () => {
  let t: TestTeam;
  let n = 0;
  beforeAll(async () => {
    t = await testTeam();
  });
  afterAll(() => t.close());

  it('lead add/edit --field, then the CSV and JSON exports, keep every key and value', async () => {
    await fc.assert(
      fc.asyncProperty(fc.uniqueArray(fc.tuple(fieldKey, fieldValue), { minLength: 1, maxLength: 4, selector: ([k]) => k }), fieldKey, fieldValue, async (fields, editKey, editValue) => {
        const ctx = t.as(t.admin);
        const custom = fields.reduce<Record<string, string> | undefined>((acc, [k, v]) => keyValue(`${k}=${v}`, acc), undefined)!;
        const { lead } = await addLead(ctx, { name: `Fuzz ${++n}`, emails: [`fuzz${n}@example.com`], custom });
        const expected = new Map(fields);
        expect(new Map(Object.entries((await getLead(ctx, lead.id)).custom))).toEqual(expected);

        await editLead(ctx, lead.id, { custom: keyValue(`${editKey}=${editValue}`, undefined) });
        expected.set(editKey, editValue);
        const edited = await getLead(ctx, lead.id);
        expect(new Map(Object.entries(edited.custom))).toEqual(expected);
        expect(new Map(Object.entries(JSON.parse(JSON.stringify(leadJson(edited))).custom))).toEqual(expected);

        const keys = await exportCustomKeys(ctx);
        const records: CsvRecord[] = [];
        const parser = new CsvParser(',');
        parser.push(csvHeader(keys), records);
        for await (const page of exportLeads(ctx, { search: `fuzz${n}@` })) for (const l of page) parser.push(csvRow(l, keys), records);
        parser.end(records);
        const [header, row] = records.map((r) => r.cells.map(unneutralize));
        const exported = new Map(header!.flatMap((h, i) => (h.startsWith('custom:') && row![i] !== '' ? [[h.slice('custom:'.length), row![i]!]] : [])));
        expect(exported).toEqual(expected);

        await editLead(ctx, lead.id, { custom: keyValue(`${editKey}=`, undefined) });
        expected.delete(editKey);
        expect(new Map(Object.entries((await getLead(ctx, lead.id)).custom))).toEqual(expected);
      }),
      { numRuns: RUNS },
    );
  });

  it('form posts with such field names (JSON and urlencoded) make a lead and keep the unknown fields on its timeline', async () => {
    await addForm(t.as(t.admin), { env: {} }, 'fuzz', {});
    const form = (await t.store.intakeForms.byName('fuzz'))!;
    const request = (type: string, body: string): HttpRequest =>
      ({ method: 'POST', path: '/intake/form/fuzz', query: new URLSearchParams(), headers: { 'content-type': type }, body: Buffer.from(body), remote: '127.0.0.1', publicUrl: '' }) as HttpRequest;
    await fc.assert(
      fc.asyncProperty(fc.uniqueArray(fc.tuple(fieldKey, fieldValue), { minLength: 1, maxLength: 5, selector: ([k]) => k }), fc.boolean(), async (fields, asJson) => {
        const email = `form${++n}@example.com`;
        const entries = [...fields.filter(([k]) => !/^(name|email|token)$/i.test(k)), ['name', `Form ${n}`], ['email', email]] as [string, string][];
        // JSON written by hand: an object literal would take "__proto__" as its prototype.
        const req = asJson
          ? request('application/json', `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${JSON.stringify(v)}`).join(',')}}`)
          : request('application/x-www-form-urlencoded', new URLSearchParams(entries).toString());
        const data = parseSubmission(req);
        expect(new Map(Object.entries(data))).toEqual(new Map(entries));
        const r = await submitForm(t.store, FIXED_NOW, form, data, { remote: '127.0.0.1' });
        const { timeline } = await showLead(t.as(t.admin), r.lead.id);
        expect(r.lead.emails).toContain(email);
        const body = timeline.find((a) => a.type === 'intake')?.body ?? '';
        // Fields with no default meaning are listed under the message, each as "key: value".
        for (const [k, v] of entries) if (BUILTIN_NAMES.has(k)) expect(body).toContain(`${k}: ${v}`);
      }),
      { numRuns: RUNS },
    );
  });
});

const BUILTIN_NAMES = new Set(['toString', 'constructor', 'hasOwnProperty', '__proto__', 'valueOf', 'isPrototypeOf', 'propertyIsEnumerable', 'toLocaleString', '__defineGetter__', '__lookupSetter__']);
