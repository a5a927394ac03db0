/**
 * The JSON store through the built binary (issue #21): a store in one plain file that a person
 * can read, diff and hand-edit, safe with several processes writing at once (the CLI in many
 * terminals and the daemon), backed up, restored and copied to and from the other backends
 * without loss.
 */
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterEach, describe, expect, it } from 'vitest';
import { BIN, freshHome, type Home } from '../helpers/cli.js';
import { daemonTracker, LIVE } from '../helpers/daemon.js';
import { waitFor } from '../helpers/wait.js';

const tracked = daemonTracker();
afterEach(() => tracked.teardown());

/** A team on a JSON store at <home>/crm.json (CRM_DB for every command, the daemon's stop included). */
async function jsonTeam(): Promise<Home & { file: string }> {
  const h = freshHome();
  const file = join(h.dir, 'crm.json');
  h.env.CRM_DB = file;
  await h.ok(['init', '--name', 'Asha Rao', '--email', 'admin@acme.example', '--currency', 'EUR']);
  await h.ok(['user', 'add', '--name', 'Ravi Kumar', '--email', 'ravi@acme.example', '--role', 'rep']);
  return Object.assign(h, { file });
}

const doc = (file: string) => JSON.parse(readFileSync(file, 'utf8')) as { crm: string; schemaVersion: number; tables: Record<string, Record<string, unknown>[]> };

describe('the JSON store (crm.json)', () => {
  it('is one private, stably ordered file: a change shows in a diff as the lines of what changed', async () => {
    const h = await jsonTeam();
    expect(statSync(h.file).mode & 0o777).toBe(0o600);
    const a = (await h.ok(['lead', 'add', '-q', '--name', 'Ana Sousa', '--email', 'ana@sousa.example'])).trim();
    await h.ok(['lead', 'add', '--name', 'Bo Chen', '--phone', '+351 912 345 678']);
    const before = readFileSync(h.file, 'utf8');
    const d = doc(h.file);
    expect(d.crm).toBe('json-store');
    expect(d.tables.leads!.map((l) => l.name)).toEqual(['Ana Sousa', 'Bo Chen']);
    expect(Object.keys(d.tables)).toEqual([...Object.keys(d.tables)].sort());

    await h.ok(['lead', 'edit', a, '--business', 'Sousa Lda']);
    const after = readFileSync(h.file, 'utf8');
    const removed = before.split('\n').filter((l) => !after.split('\n').includes(l));
    // The lead's own line, its timeline (a new entry, so no old line goes) — and nothing about Bo.
    expect(removed.some((l) => l.includes('"name":"Ana Sousa"'))).toBe(true);
    expect(removed.join('\n')).not.toContain('Bo Chen');
    expect(removed.length).toBeLessThanOrEqual(3);
  });

  it('takes a hand edit at the next command, and names the line of an edit that broke the JSON', async () => {
    const h = await jsonTeam();
    const a = (await h.ok(['lead', 'add', '-q', '--name', 'Ana Sousa', '--email', 'ana@sousa.example'])).trim();
    writeFileSync(h.file, readFileSync(h.file, 'utf8').replace('"name":"Ana Sousa"', '"name":"Ana Maria Sousa"'));
    expect((await h.json(['lead', 'show', a])).name).toBe('Ana Maria Sousa');

    const good = readFileSync(h.file, 'utf8');
    const lines = good.split('\n');
    const at = lines.findIndex((l) => l.includes('"name":"Ana Maria Sousa"'));
    lines[at] = lines[at]!.replace('"name":', '"name"');
    writeFileSync(h.file, lines.join('\n'));
    await h.fail(['lead', 'list'], 7, new RegExp(`crm\\.json is not valid JSON at line ${at + 1}`));
    // A field the table has no column for is named too; nothing is written over the file.
    writeFileSync(h.file, good.replace('"name":"Ana Maria Sousa"', '"name":"Ana Maria Sousa","nmae":"x"'));
    await h.fail(['lead', 'add', '--name', 'Bo Chen'], 7, /record 1 of "leads" has a field "nmae"/);
    expect(readFileSync(h.file, 'utf8')).toContain('"nmae":"x"');
  });

  it('keeps a private cache of the loaded file beside it: used only for the very version it was made from, a damaged one ignored', async () => {
    const h = await jsonTeam();
    const a = (await h.ok(['lead', 'add', '-q', '--name', 'Ana Sousa'])).trim();
    const cache = `${h.file}.cache`;
    expect(existsSync(cache)).toBe(true);
    expect(statSync(cache).mode & 0o777).toBe(0o600);
    // Damaged: a byte flipped in the saved database. It fails its check and is made again.
    const bytes = readFileSync(cache);
    bytes[bytes.length - 100] = bytes[bytes.length - 100]! ^ 0xff;
    writeFileSync(cache, bytes);
    expect((await h.json(['lead', 'show', a])).name).toBe('Ana Sousa');
    expect(readFileSync(cache).equals(bytes)).toBe(false);
    // A write removes the cache of the version it replaces at once, and its process saves the new one.
    await h.ok(['lead', 'edit', a, '--name', 'Ana Sousa Reis']);
    expect((await h.json(['lead', 'show', a])).name).toBe('Ana Sousa Reis');
    expect(readFileSync(cache, 'latin1')).toContain('Ana Sousa Reis');
  });

  it('8 processes × 50 adds while the daemon writes too: all 400 leads, the file valid JSON throughout', async () => {
    const h = tracked.home(await jsonTeam());
    await h.ok(['notify', 'set', 'new-lead', '--channels', 'inbox', '--to', 'admins']);
    await h.ok(['notify', 'set', 'not-attempted', '--off']);
    await h.ok(['daemon', 'start'], LIVE);

    // A reader parses the file as often as it can while the writers run.
    let reads = 0;
    let bad: string | undefined;
    let writing = true;
    const reader = (async () => {
      while (writing) {
        try {
          doc(h.file);
          reads++;
        } catch (err) {
          bad = (err as Error).message;
        }
        await new Promise((r) => setTimeout(r, 5));
      }
    })();
    const script = `for i in $(seq 1 50); do "${BIN}" lead add -q --name "Writer $W lead $i" --email "w$W.$i@load.example" >/dev/null || exit 1; done`;
    const writers = Array.from({ length: 8 }, (_, w) =>
      execa('bash', ['-c', script], { env: { ...h.env, W: String(w) }, extendEnv: false, reject: false }),
    );
    const results = await Promise.all(writers);
    writing = false;
    await reader;
    for (const r of results) expect(r.exitCode, r.stderr).toBe(0);
    expect(bad).toBeUndefined();
    expect(reads).toBeGreaterThan(10);

    const leads = await h.json<{ name: string }[]>(['lead', 'list', '--all']);
    expect(leads).toHaveLength(400);
    expect(new Set(leads.map((l) => l.name)).size).toBe(400);
    // The daemon saw every one: a new-lead notification each in the admin's inbox.
    await waitFor(async () => (await h.json<unknown[]>(['inbox', '--all'], LIVE)).length >= 400, { what: '400 new-lead notifications in the inbox', timeoutMs: 60_000 });
    await h.ok(['daemon', 'stop'], LIVE);
    const d = doc(h.file);
    expect(d.tables.leads).toHaveLength(400);
    expect(d.tables.leads!.map((l) => l.id)).toEqual(d.tables.leads!.map((l) => l.id).sort((x, y) => Number(x) - Number(y)));
  }, 300_000);

  it('backs up, restores, and copies to SQLite and back with every record', async () => {
    const h = await jsonTeam();
    for (const n of ['Ana Sousa', 'Bo Chen', 'Caio Lima']) await h.ok(['lead', 'add', '--name', n, '--email', `${n.split(' ')[0]!.toLowerCase()}@x.example`]);
    const backup = join(h.dir, 'nightly.json');
    expect(await h.json(['backup', backup])).toMatchObject({ leads: 3, users: 2 });
    expect(statSync(backup).mode & 0o777).toBe(0o600);
    await h.ok(['lead', 'add', '--name', 'Dora Reis']);
    const r = await h.json(['restore', backup, '--yes']);
    expect(r).toMatchObject({ restored: { leads: 3 }, replaced: { leads: 4 } });
    expect(existsSync(r.savedAs)).toBe(true);
    expect((await h.json<unknown[]>(['lead', 'list'])).length).toBe(3);

    const db = join(h.dir, 'copy.db');
    expect(await h.json(['store', 'copy', '--to', db])).toMatchObject({ leads: 3, users: 2 });
    const back = join(h.dir, 'back.json');
    expect(await h.json(['store', 'copy', '--to', back], { env: { CRM_DB: db } })).toMatchObject({ leads: 3, users: 2 });
    expect(doc(back).tables).toEqual(doc(h.file).tables);
  });

  it('refuses to grow past its size with a message that says to move to SQLite; the file stays whole', async () => {
    const h = await jsonTeam();
    const rows = ['name,email', ...Array.from({ length: 25_001 }, (_, i) => `Lead ${i},l${i}@big.example`)].join('\n');
    writeFileSync(join(h.dir, 'big.csv'), rows);
    const r = await h.fail(['lead', 'import', join(h.dir, 'big.csv')], 7, /a JSON store holds at most 25,000 leads/);
    expect(String(r.stderr)).toMatch(/crm store copy --to .*crm\.db/);
    // An import commits batch by batch (run again, it skips what it has): those before the limit are kept.
    const d = doc(h.file);
    expect(d.tables.leads!.length).toBeLessThanOrEqual(25_000);
    expect((await h.json<{ count: number }>(['lead', 'list', '--count'])).count).toBe(d.tables.leads!.length);
  }, 180_000);
});
