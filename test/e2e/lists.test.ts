import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execa } from 'execa';
import { BIN, teamHome, type Home } from '../helpers/cli.js';
import { onTerminal } from '../helpers/pty.js';

/** Lists never cut a script off silently: piped, -q and --json get every row; a terminal gets a page and a footer. */
describe('lists through the binary: nothing silently cut', () => {
  let h: Home;
  const N = 1234; // more than a terminal page and more than one streamed page (1,000)
  beforeAll(async () => {
    h = await teamHome();
    const rows = ['name,email,phone'];
    for (let i = 1; i <= N; i++) rows.push(`Bulk ${i},bulk${i}@list.example,`);
    const file = join(h.dir, 'bulk.csv');
    writeFileSync(file, `${rows.join('\n')}\n`);
    await h.ok(['lead', 'import', file]);
  }, 120_000);
  afterAll(() => h.cleanup());

  it('piped and -q: every lead, newest first, no footer', async () => {
    const total = Number((await h.ok(['lead', 'list', '--count'])).trim());
    expect(total).toBeGreaterThanOrEqual(N);
    const ids = (await h.ok(['lead', 'list', '-q'])).trim().split('\n').map(Number);
    expect(ids).toHaveLength(total);
    expect(new Set(ids).size).toBe(total);
    expect([...ids].sort((a, b) => b - a)).toEqual(ids);
    const tsv = await h.run(['lead', 'list']);
    expect(String(tsv.stdout).trim().split('\n')).toHaveLength(total);
    expect(String(tsv.stderr)).toBe('');
    // oldest first streams too
    const asc = (await h.ok(['lead', 'list', '-q', '--sort', 'id'])).trim().split('\n').map(Number);
    expect(asc).toEqual([...ids].reverse());
  });

  it('--json: one array of every lead; --count --json gives the total', async () => {
    const { count } = await h.json(['lead', 'list', '--count']);
    const all = await h.json<{ id: number }[]>(['lead', 'list']);
    expect(all).toHaveLength(count);
    expect(all[0]!.id).toBeGreaterThan(all[all.length - 1]!.id);
    expect(await h.json(['lead', 'list', '--search', 'no such lead anywhere'])).toEqual([]);
  });

  it('a reader that stops early (| head) ends the command quietly with 0, not an EPIPE stack trace', async () => {
    for (const args of [['lead', 'list'], ['lead', 'list', '--json'], ['lead', 'list', '-q'], ['lead', 'list', '--help']]) {
      // head -c 1 closes the pipe after the first byte; the --json output is far larger than a pipe's buffer.
      const r = await execa('bash', ['-c', `"${BIN}" ${args.join(' ')} | head -c 1 >/dev/null; echo "\${PIPESTATUS[0]}" >&2`], { env: h.env, extendEnv: false, reject: false });
      expect(String(r.stderr), args.join(' ')).toBe('0');
    }
  });

  it('--limit N, --limit all and --all; a bad limit names the fix', async () => {
    expect((await h.ok(['lead', 'list', '-q', '--limit', '10'])).trim().split('\n')).toHaveLength(10);
    const all = (await h.ok(['lead', 'list', '-q', '--limit', 'all'])).trim().split('\n');
    expect((await h.ok(['lead', 'list', '-q', '--all'])).trim().split('\n')).toEqual(all);
    await h.fail(['lead', 'list', '--limit', '0'], 2, /invalid limit '0'\nhint: give a whole number from 1 to 1000000000, or all/);
    await h.fail(['lead', 'list', '--all', '--limit', '5'], 2, /--all and --limit 5 disagree/);
    expect((await h.ok(['followup', 'list', '-q', '--limit', 'all']))).toBe('');
  });

  it('on a terminal: a page of 100 and a footer with the total and the flags', async () => {
    const { text, code } = await onTerminal(h, ['lead', 'list', '--search', 'Bulk']);
    expect(code).toBe(0);
    expect(text).toMatch(new RegExp(`Showing 100 of ${N.toLocaleString('en-US')} — --all for every one, --limit N for more, or --offset 100 for the next page`));
    const paged = await onTerminal(h, ['lead', 'list', '--search', 'Bulk', '--offset', '100']);
    expect(paged.text).toMatch(new RegExp(`Showing 101–200 of ${N.toLocaleString('en-US')}`));
    const short = await onTerminal(h, ['lead', 'list', '--search', 'Bulk 12', '--limit', '5']);
    expect(short.text).not.toMatch(/Showing/);
  });
});
