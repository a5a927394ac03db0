import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BIN, teamHome, type Home } from '../helpers/cli.js';
import { generated, inFileDuplicates, salesforce, write } from '../fixtures/import/fixtures.js';
import { killAtFirst, pauseWhen } from '../helpers/kill.js';

describe('crm lead import (end to end)', () => {
  let h: Home;
  beforeEach(async () => {
    h = await teamHome();
    // National numbers (913 000 002) need a default region, as with crm lead add.
    await h.ok(['config', 'set', 'phone.region', 'PT']);
  });
  afterEach(() => h.cleanup());

  const leadCount = async () => (await h.ok(['lead', 'export', '--format', 'jsonl'])).split('\n').filter(Boolean).length;
  const nothingWritten = async () => {
    expect(await h.json(['import', 'list'])).toEqual([]);
    expect(await leadCount()).toBe(0);
  };

  it('prints a summary, nothing on stderr when piped, and records the import', async () => {
    const file = write(h.dir, 'sf.csv', salesforce());
    const r = await h.run(['lead', 'import', file]);
    expect(r.exitCode).toBe(0);
    expect(r.stderr).toBe('');
    expect(r.stdout).toMatch(/^Import 1 of .*sf\.csv: 3 rows in/);
    expect(r.stdout).toContain('imported   3');
    const shown = await h.json(['import', 'show', '1']);
    expect(shown).toMatchObject({ id: 1, status: 'done', user: 'admin@acme.example', lastLine: 4, counts: { rows: 3, imported: 3, rejected: 0 }, rejectsFile: null });
    expect(shown.options).toMatchObject({ encoding: 'win1252', delimiter: ';', decimalComma: true, onDuplicate: 'skip' });
    expect(await h.ok(['import', 'show', '1'])).toMatch(/Import 1: .*sf\.csv[\s\S]*status\s+done/);
    expect(await h.ok(['lead', 'import', file])).toMatch(/was already imported \(import 1\).*Nothing to do/);
  });

  it('the worker thread and one thread (CRM_IMPORT_THREADS=0) import the same leads, rejects and counts', async () => {
    const csv = `${generated(4500)}Bad Row,not-an-email,,X,Website,1,\n${inFileDuplicates().split('\n').slice(1).join('\n')}`;
    const one = await teamHome();
    try {
      await one.ok(['config', 'set', 'phone.region', 'PT']);
      const runs = await Promise.all([
        h.run(['lead', 'import', write(h.dir, 'mix.csv', csv), '--json', '--strict']),
        one.run(['lead', 'import', write(one.dir, 'mix.csv', csv), '--json', '--strict'], { env: { CRM_IMPORT_THREADS: '0' } }),
      ]);
      expect(runs.map((r) => r.exitCode)).toEqual([8, 8]);
      const [threaded, single] = runs.map((r) => JSON.parse(String(r.stdout)));
      expect([threaded.parsedIn, single.parsedIn]).toEqual(['worker', 'main']);
      expect(threaded.counts).toEqual(single.counts);
      expect(threaded.counts).toMatchObject({ rows: 4506, rejected: 1 });
      expect(threaded.firstRejects).toEqual(single.firstRejects);
      const exported = async (x: Home) => (await x.ok(['lead', 'export', '--format', 'csv'])).replace(/\d{4}-\d\d-\d\dT[\d:.]+Z/g, 'T');
      expect(await exported(h)).toEqual(await exported(one));
    } finally {
      one.cleanup();
    }
  });

  it('reads stdin, and knows the same bytes piped again', async () => {
    const csv = inFileDuplicates();
    const s = await h.json(['lead', 'import', '-'], { input: csv });
    expect(s).toMatchObject({ file: '-', status: 'done', counts: { rows: 5, imported: 3, skipped: 2, rejected: 0 } });
    expect((await h.json(['lead', 'import', '-'], { input: csv })).status).toBe('already-imported');
  });

  it('exit 8 and a reject file when rows are refused; the rest is imported', async () => {
    const file = write(h.dir, 'mixed.csv', 'Name,Email\nGood,good@x.example\nBad,not-an-email\n,\n,,\nNobody,\n');
    const rejects = join(h.dir, 'rejects.csv');
    // --strict: a bad value refuses its row (without it the row lands and the value is a warning).
    const r = await h.fail(['lead', 'import', file, '--rejects', rejects, '--strict'], 8, /error: 1 row rejected\nhint: each is in .*rejects\.csv with its line number and reason/);
    expect(r.stdout).toContain("line 3: column 'Email': invalid email 'not-an-email'");
    expect(readFileSync(rejects, 'utf8')).toBe("crm_reject_line,crm_reject_reason,Name,Email\n3,line 3: column 'Email': invalid email 'not-an-email',Bad,not-an-email\n");
    // "Nobody" has a name and nothing else: a lead, like crm lead add --name Nobody.
    expect(await leadCount()).toBe(2);
  });

  it('bad files: a clear message, exit 2, nothing written', async () => {
    await h.fail(['lead', 'import', write(h.dir, 'empty.csv', '')], 2, /error: .*empty\.csv is empty/);
    await h.fail(['lead', 'import', write(h.dir, 'header.csv', 'Name,Email\r\n')], 2, /error: .*header\.csv has a header but no rows/);
    await h.fail(['lead', 'import', write(h.dir, 'logo.png', Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d]))], 2, /looks like a binary file, not CSV/);
    const semi = write(h.dir, 'semi.csv', 'Name;Email\nAna;ana@x.example\n');
    await h.fail(['lead', 'import', semi, '--delimiter', ','], 2, /no column holds a name, business name, email or phone \(columns: 'Name;Email'\)\nhint: the header looks ';'-separated: pass --delimiter ';'/);
    await h.fail(['lead', 'import', semi, '--map', 'E-mail=email'], 2, /--map names a column 'e-mail' that .*semi\.csv does not have\nhint: its columns are: 'Name', 'Email'/);
    await h.fail(['lead', 'import', semi, '--on-duplicate', 'replace'], 2, /invalid --on-duplicate 'replace'/);
    await h.fail(['lead', 'import', semi, '--source', 'Nowhere'], 3, /unknown source 'Nowhere'/);
    await h.fail(['lead', 'import', join(h.dir, 'missing.csv')], 3, /cannot read .*missing\.csv: no such file/);
    await h.fail(['lead', 'import', write(h.dir, 'quote.csv', 'Name,Email\n"Ana,ana@x.example\n')], 2, /line 2: a quoted cell never ends/);
    await nothingWritten();
  });

  it('a broken quote far down the file is found before anything is written', async () => {
    const file = write(h.dir, 'late.csv', `${generated(60)}"Broken,broken@x.example\n${generated(5, 100).split('\n').slice(1).join('\n')}`);
    await h.fail(['lead', 'import', file, '--batch', '10'], 2, /late\.csv, line 62: a quoted cell never ends/);
    await nothingWritten();
  });

  it('a 1 MB cell refuses its row, naming line and column', async () => {
    const file = write(h.dir, 'big.csv', `Name,Email,Notes\nAna,ana@x.example,${'x'.repeat(1 << 20)}\nRui,rui@x.example,short\n`);
    const r = await h.fail(['lead', 'import', file, '--json'], 8, /1 row rejected/);
    const s = JSON.parse(String(r.stdout));
    expect(s.firstRejects).toEqual([{ line: 2, reason: "line 2: column 'Notes': a cell of 1,048,576 characters (at most 65,536)" }]);
    expect(s.counts).toMatchObject({ imported: 1, rejected: 1 });
  });

  it('--max-errors stops before applying the batch that crosses it', async () => {
    const file = write(h.dir, 'bad.csv', 'Name,Email\nA,a@x.example\nB,bad\nC,c@x.example\n');
    await h.fail(['lead', 'import', file, '--max-errors', '0', '--strict'], 8, /stopped: more than 0 rows rejected/);
    expect(await leadCount()).toBe(0);
    expect((await h.json(['import', 'list']))[0]).toMatchObject({ status: 'stopped', lastLine: 0 });
  });

  it('--dry-run shows the mapping and counts and writes nothing', async () => {
    const out = await h.ok(['lead', 'import', write(h.dir, 'dups.csv', inFileDuplicates()), '--dry-run']);
    expect(out).toMatch(/Dry run of .*dups\.csv \(utf8, delimiter ',', decimal point\): nothing was written/);
    expect(out).toMatch(/Company\s+→ businessName/);
    expect(out).toContain('would be imported   3');
    expect(out).toContain('would be skipped    2 (duplicates)');
    await nothingWritten();
    // One row a batch: the duplicates are found across batches (the contacts seen so far are
    // kept in a scratch table, not in memory), and the counts are the same.
    const one = await h.json(['lead', 'import', write(h.dir, 'dups.csv', inFileDuplicates()), '--dry-run', '--batch', '1']);
    expect(one.counts).toMatchObject({ imported: 3, skipped: 2 });
    await nothingWritten();
  });

  it('a rep may not import', async () => {
    await h.fail(['lead', 'import', write(h.dir, 'g.csv', generated(1)), '--as', 'ravi@acme.example'], 5, /may not import leads in bulk/);
  });

  it('killed half-way (kill -9), the same command finishes the job without a single duplicate', async () => {
    const rows = 40_000;
    const file = write(h.dir, 'gen.csv', generated(rows));
    const args = ['lead', 'import', file, '--batch', '500'];
    const child = execa(BIN, args, { env: h.env, extendEnv: false, reject: false });
    // Killed once a batch is committed (seen by a plain read: the import commits batch after batch).
    await killAtFirst(h, child, async (store) => ((await store.imports.list(1))[0]?.lastLine ?? 0) > 0, 'the first batch committed');
    const killed = await child;
    expect(killed.signal).toBe('SIGKILL');
    const interrupted = (await h.json(['import', 'list']))[0];
    // Its record still says running, but no live process holds its lock: shown as interrupted.
    expect(interrupted).toMatchObject({ status: 'interrupted', pid: null });
    expect(await h.ok(['import', 'show', String(interrupted.id)])).toMatch(/status\s+interrupted: run the same import again to finish it/);
    expect(interrupted.lastLine).toBeLessThan(rows + 1);
    // Consistent: exactly the rows of committed batches are in the store.
    expect(await leadCount()).toBe(interrupted.counts.imported);
    expect(interrupted.counts.imported).toBe(interrupted.lastLine - 1);

    const again = await h.json(args);
    expect(again).toMatchObject({ importId: interrupted.id, status: 'done', resumedFromLine: interrupted.lastLine });
    expect(again.counts).toMatchObject({ rows, imported: rows, rejected: 0 });
    const emails = (await h.ok(['lead', 'export', '--format', 'jsonl'])).split('\n').filter(Boolean).map((l) => JSON.parse(l).emails[0]);
    expect(emails).toHaveLength(rows);
    expect(new Set(emails).size).toBe(rows);
  }, 120_000);

  it('the same file imported twice at the same moment: the second is refused (exit 4) while the first runs, and nothing is applied twice', async () => {
    const rows = 40_000;
    const file = write(h.dir, 'gen.csv', generated(rows));
    const first = execa(BIN, ['lead', 'import', file, '--batch', '500', '--json'], { env: h.env, extendEnv: false, reject: false });
    const locks = () => readdirSync(h.dir).filter((f) => /\.import-[0-9a-f]{16}\.lock$/.test(f));
    // Checked while the first import stands still (SIGSTOP): it cannot finish meanwhile.
    await pauseWhen(h, first, async (store) => ((await store.imports.list(1))[0]?.lastLine ?? 0) > 0, async () => {
      expect((await h.json(['import', 'list']))[0]).toMatchObject({ status: 'running', pid: first.pid });
      expect(await h.ok(['import', 'show', '1'])).toMatch(new RegExp(`status\\s+running \\(pid ${first.pid}\\)`));
      expect(locks()).toHaveLength(1);
      const second = await h.fail(['lead', 'import', file], 4, /gen\.csv is already being imported into this store \(pid \d+, since /);
      expect(second.stderr).toMatch(/hint: wait for it to finish/);
    }, 'the first batch committed');
    const done = await first;
    expect(done.exitCode, done.stderr).toBe(0);
    expect(JSON.parse(done.stdout).counts).toMatchObject({ rows, imported: rows, skipped: 0 });
    expect(await h.json(['import', 'list'])).toHaveLength(1);
    expect(await leadCount()).toBe(rows);
    // Released at the end: the file can be imported again (here: it says it already was).
    expect(locks()).toEqual([]);
    expect(await h.json(['lead', 'import', file])).toMatchObject({ status: 'already-imported' });
  }, 120_000);
});

describe('progress on a TTY only', () => {
  it('nothing but the summary when piped (stderr empty)', async () => {
    const h = await teamHome();
    try {
      writeFileSync(join(h.dir, 'g.csv'), generated(20));
      const r = await h.run(['lead', 'import', join(h.dir, 'g.csv')]);
      expect(r.exitCode).toBe(0);
      expect(r.stderr).toBe('');
    } finally {
      h.cleanup();
    }
  });
});
