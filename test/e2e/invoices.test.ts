/**
 * Invoice documents through the built binary (issue 19, O1): `crm invoice pdf` writes the PDF of
 * a billed invoice (to its default name in the working directory, to a file, or to stdout) and
 * refuses a draft.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { teamHome, type Home } from '../helpers/cli.js';

let h: Home | undefined;
afterEach(() => {
  h?.cleanup();
  h = undefined;
});

async function billed(home: Home): Promise<string> {
  const lead = (await home.ok(['lead', 'add', '-q', '--name', 'Ana Sousa', '--business', 'Sousa Lda', '--email', 'ana@sousa.example', '--assign', 'ravi@acme.example'])).trim();
  await home.ok(['order', 'add', '--lead', lead, '--item', 'Widget; qty=3; price=19.99; tax=23', '--title', 'Widgets']);
  await home.ok(['order', 'bill', '1']);
  return lead;
}

describe('crm invoice pdf', () => {
  it('writes the PDF to its default name, to -o FILE, to stdout with -o -; --json describes it; a draft has none', async () => {
    h = await teamHome();
    const lead = await billed(h);
    expect(await h.ok(['invoice', 'pdf', 'INV-2026-0001'], { cwd: h.dir })).toMatch(/^Wrote INV-2026-0001\.pdf \(invoice INV-2026-0001, \d+ bytes\)\n?$/);
    const first = readFileSync(join(h.dir, 'INV-2026-0001.pdf'));
    expect(first.subarray(0, 5).toString()).toBe('%PDF-');

    const out = join(h.dir, 'copy.pdf');
    const j = await h.json(['invoice', 'pdf', '1', '-o', out, '--as', 'ravi@acme.example']);
    expect(j).toEqual({ file: out, bytes: first.length, invoice: 'INV-2026-0001', orderId: 1, status: 'billed' });
    // Same invoice, same state, other user and later clock: the same bytes.
    expect(readFileSync(out).equals(first)).toBe(true);

    const piped = await h.run(['invoice', 'pdf', 'INV-2026-0001', '-o', '-'], { env: { CRM_NOW: '2026-12-01T10:00:00Z' } });
    expect(piped.exitCode).toBe(0);
    expect(String(piped.stdout).startsWith('%PDF-')).toBe(true);
    await h.fail(['invoice', 'pdf', 'INV-2026-0001', '-o', '-', '--json'], 2, /--json and -o - both write to stdout/);

    await h.ok(['order', 'add', '--lead', lead, '--item', 'Extra; price=5']);
    await h.fail(['invoice', 'pdf', '2', '-o', join(h.dir, 'draft.pdf')], 4, /order 2 is draft; it has no invoice/);
    expect(existsSync(join(h.dir, 'draft.pdf'))).toBe(false);
    await h.fail(['invoice', 'pdf', 'INV-2026-0001', '--as', 'priya@acme.example'], 5, /not assigned to you/);
    await h.fail(['invoice', 'pdf', 'INV-2099-0001'], 3, /no invoice 'INV-2099-0001'/);
  });
});
