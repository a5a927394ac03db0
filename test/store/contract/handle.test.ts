/**
 * The store handle's contract, whatever the backend (CRM_TEST_STORE): its location, its side
 * files, backup and restore, change detection, transactions of concurrent flows, atomic claims,
 * closing, and the locations this version refuses.
 */
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConflictError, StoreError } from '../../../src/errors.js';
import { addLead } from '../../../src/services/leads/service.js';
import { restoreStore } from '../../../src/services/export/backup.js';
import { runningImports, takeImportLock } from '../../../src/services/import/locks.js';
import { inspectBackup, openStore, restoreBackup, storeFiles } from '../../../src/store/index.js';
import type { NewOutboxMessage } from '../../../src/domain/notify.js';
import type { Store } from '../../../src/store/types.js';
import { aLead, freshStore, testTeam, TEST_BACKEND, type TestTeam } from '../../helpers/store.js';

const tick = (ms: number) => new Promise((r) => setTimeout(r, ms));
const hash = (c: string) => c.repeat(64);

/** A pid that is certainly not running (a process that has exited). */
function deadPid(): number {
  const r = spawnSync(process.execPath, ['-e', '0']);
  return r.pid!;
}

/** A lock file held by another live process (our parent: alive for as long as we run). */
function holdLock(file: string): void {
  writeFileSync(file, `${JSON.stringify({ pid: process.ppid, startedAt: '2026-11-23T08:00:00.000Z', db: 'elsewhere' })}\n`);
}

describe('store handle: location and side files', () => {
  let s: Awaited<ReturnType<typeof freshStore>>;
  beforeEach(async () => {
    s = await freshStore();
  });
  afterEach(() => s.cleanup());

  it('knows its location and backend; a second handle on the location sees the same records', async () => {
    expect(s.store.location).toBe(s.location);
    expect(s.store.backend).toBe(TEST_BACKEND);
    await s.store.settings.set('probe', 'one');
    const other = await openStore(s.location);
    try {
      expect(other.location).toBe(s.location);
      expect(await other.settings.get('probe')).toBe('one');
    } finally {
      await other.close();
    }
  });

  it('names its daemon files and import locks: distinct, stable, the same whether the store is open or not', () => {
    const d = s.store.files.daemon();
    expect(new Set([d.pid, d.log, d.http, d.env]).size).toBe(4);
    expect(storeFiles(s.location).daemon()).toEqual(d);
    expect(s.store.files.importLock(hash('a'))).toBe(storeFiles(s.location).importLock(hash('a')));
    expect(s.store.files.importLock(hash('a'))).not.toBe(s.store.files.importLock(hash('b')));
    // Another store has its own.
    expect(storeFiles(join(s.dir, 'other', 'crm.db')).daemon().pid).not.toBe(d.pid);
    if (TEST_BACKEND === 'sqlite') {
      // Where running daemons, scripts and older versions look for them: beside the store file.
      expect(d).toEqual({ pid: `${s.location}.daemon.pid`, log: `${s.location}.daemon.log`, http: `${s.location}.daemon.http.json`, env: join(s.dir, 'daemon.env') });
      expect(s.store.files.importLock(hash('a'))).toBe(`${s.location}.import-${'a'.repeat(16)}.lock`);
    }
  });

  it('import locks: taken, listed, refused to another live holder, released', () => {
    const files = s.store.files;
    expect(files.importLocks()).toEqual([]);
    const release = takeImportLock(files, s.location, hash('a'), 'leads.csv');
    expect(files.importLocks()).toEqual([files.importLock(hash('a'))]);
    expect(runningImports(files).map((h) => h.pid)).toEqual([process.pid]);

    holdLock(files.importLock(hash('b')));
    expect(() => takeImportLock(files, s.location, hash('b'), 'other.csv')).toThrow(ConflictError);
    expect(() => takeImportLock(files, s.location, hash('b'), 'other.csv')).toThrow(/other\.csv is already being imported into this store \(pid \d+/);
    expect(files.importLocks().sort()).toEqual([files.importLock(hash('a')), files.importLock(hash('b'))].sort());

    release();
    expect(files.importLocks()).toEqual([files.importLock(hash('b'))]);
    rmSync(files.importLock(hash('b')));
    expect(runningImports(files)).toEqual([]);
  });

  it('a lock left by a process that died is listed but not running, and is taken over', () => {
    const files = s.store.files;
    writeFileSync(files.importLock(hash('c')), `${JSON.stringify({ pid: deadPid(), startedAt: '2026-11-23T08:00:00.000Z', db: s.location })}\n`);
    expect(files.importLocks()).toEqual([files.importLock(hash('c'))]);
    expect(runningImports(files)).toEqual([]);
    const release = takeImportLock(files, s.location, hash('c'), 'leads.csv');
    expect(runningImports(files).map((h) => h.pid)).toEqual([process.pid]);
    release();
    expect(files.importLocks()).toEqual([]);
  });
});

describe('store handle: backup, inspect, restore', () => {
  let t: TestTeam;
  let location: string;
  beforeEach(async () => {
    t = await testTeam();
    location = t.store.location;
  });
  afterEach(async () => {
    await t.store.close(); // the handle reopened after a restore (the first one closes again, harmlessly)
    await t.close();
  });

  it('backs up to a file that inspects as a store of its records, and restores it over the store, keeping the replaced one', async () => {
    await addLead(t.as(t.admin), aLead({ name: 'Before the backup' }));
    const file = join(t.dir, 'backup-1');
    const info = await t.store.backup(file);
    expect(info).toMatchObject({ file, leads: 1, users: 4 });
    expect(info.bytes).toBeGreaterThan(0);
    expect(await inspectBackup(file, location)).toEqual(info);

    await addLead(t.as(t.admin), aLead({ name: 'After the backup' }));
    expect(await t.store.leads.count({})).toBe(2);
    await t.store.close();
    const r = await restoreBackup(file, location, '2026-11-23T09-00-00-000Z');
    expect(r.restored).toMatchObject({ leads: 1, users: 4 });
    expect(r.replaced).toMatchObject({ leads: 2, users: 4 });
    expect(r.savedAs && existsSync(r.savedAs)).toBe(true);

    t.store = await openStore(location);
    expect((await t.store.leads.list({})).map((l) => l.name)).toEqual(['Before the backup']);
    expect(await inspectBackup(r.savedAs!, location)).toMatchObject({ leads: 2 });
  });

  it('refuses a backup onto the store itself, and a file that is not a backup', async () => {
    await expect(t.store.backup(location)).rejects.toThrow(ConflictError);
    const junk = join(t.dir, 'junk.bin');
    writeFileSync(junk, 'not a store at all, not even close');
    await expect(inspectBackup(junk, location)).rejects.toThrow(StoreError);
  });

  it('refuses to restore while an import or the daemon holds the store, and changes nothing', async () => {
    const file = join(t.dir, 'backup-2');
    await t.store.backup(file);
    await addLead(t.as(t.admin), aLead());
    await t.store.close();

    holdLock(t.store.files.importLock(hash('d')));
    await expect(restoreStore(file, location, new Date())).rejects.toThrow(/an import into .* is running \(pid \d+/);
    rmSync(t.store.files.importLock(hash('d')));

    holdLock(t.store.files.daemon().pid);
    await expect(restoreStore(file, location, new Date())).rejects.toThrow(/the crm daemon is running for .* \(pid \d+\)/);
    rmSync(t.store.files.daemon().pid);

    t.store = await openStore(location);
    expect(await t.store.leads.count({})).toBe(1);
  });
});

describe('store handle: change token', () => {
  let s: Awaited<ReturnType<typeof freshStore>>;
  beforeEach(async () => {
    s = await freshStore();
  });
  afterEach(() => s.cleanup());

  it('changes when another handle of the same location commits, and not otherwise', async () => {
    const t0 = await s.store.changeToken();
    expect(await s.store.changeToken()).toBe(t0);
    const other = await openStore(s.location);
    try {
      expect(await s.store.changeToken()).toBe(t0); // opening is no commit
      await other.settings.get('x'); // nor is a read
      expect(await s.store.changeToken()).toBe(t0);
      await other.transaction(() => other.settings.set('x', '1'));
      const t1 = await s.store.changeToken();
      expect(t1).not.toBe(t0);
      expect(await s.store.changeToken()).toBe(t1);
    } finally {
      await other.close();
    }
  });
});

describe('store handle: transactions of two flows', () => {
  let s: Awaited<ReturnType<typeof freshStore>>;
  beforeEach(async () => {
    s = await freshStore();
  });
  afterEach(() => s.cleanup());

  it('never join: one fails, the writes of the other survive', async () => {
    const store = s.store;
    const failing = store.transaction(async () => {
      await store.settings.set('first', '1');
      await tick(20);
      await store.transaction(() => store.settings.set('first.nested', '1'));
      await tick(20);
      throw new Error('first flow fails');
    });
    const second = (async () => {
      await tick(5); // starts while the first is open and waiting
      await store.transaction(async () => {
        await store.settings.set('second', '2');
        await tick(10);
      });
    })();
    await expect(failing).rejects.toThrow('first flow fails');
    await second;
    expect(await store.settings.get('first')).toBeUndefined();
    expect(await store.settings.get('first.nested')).toBeUndefined();
    expect(await store.settings.get('second')).toBe('2');
  });
});

describe('store handle: outbox claims by two handles at once', () => {
  let s: Awaited<ReturnType<typeof freshStore>>;
  beforeEach(async () => {
    s = await freshStore();
  });
  afterEach(() => s.cleanup());

  const message = (i: number, notBefore?: string): NewOutboxMessage => ({
    key: `contract:${i}`, rule: 'contract', channel: 'email', recipientKind: 'webhook', recipientId: null, address: `m${i}@example.com`,
    leadId: null, vars: { i: String(i) }, attachments: undefined, content: undefined, ...(notBefore ? { notBefore } : {}),
  });
  const NOW = '2026-11-23T09:00:00.000Z';
  const LEASE = '2026-11-23T09:02:00.000Z';

  it('claims oldest due first, and only what is due', async () => {
    await s.store.transaction(() => s.store.outbox.enqueue([message(1, '2026-11-23T08:30:00.000Z'), message(2, '2026-11-23T08:10:00.000Z'), message(3, '2026-11-23T10:00:00.000Z'), message(4, '2026-11-23T08:10:00.000Z')], NOW));
    const claimed = await s.store.outbox.claim(NOW, LEASE, 10);
    expect(claimed.map((m) => m.key)).toEqual(['contract:2', 'contract:4', 'contract:1']);
    expect(claimed.every((m) => m.status === 'sending' && m.attempts === 1 && m.nextAttemptAt === LEASE)).toBe(true);
    expect(await s.store.outbox.claim(NOW, LEASE, 10)).toEqual([]);
  });

  it('two handles claiming in slices at once never get the same message, and together get them all', async () => {
    const total = 600;
    await s.store.transaction(() => s.store.outbox.enqueue(Array.from({ length: total }, (_, i) => message(i)), NOW));
    const [a, b] = await Promise.all([openStore(s.location), openStore(s.location)]);
    const got: number[][] = [[], []];
    try {
      await Promise.all([a, b].map(async (h: Store, n) => {
        for (;;) {
          const claimed = await h.outbox.claim(NOW, LEASE, 7);
          if (!claimed.length) return;
          got[n]!.push(...claimed.map((m) => m.id));
          await tick(0);
        }
      }));
    } finally {
      await Promise.all([a.close(), b.close()]);
    }
    const all = [...got[0]!, ...got[1]!];
    expect(got[0]!.length).toBeGreaterThan(0);
    expect(got[1]!.length).toBeGreaterThan(0);
    expect(new Set(all).size).toBe(all.length);
    expect(all.length).toBe(total);
  });

  it('threads with their own handles, claiming truly in parallel, never get the same message', async () => {
    const total = 2000;
    await s.store.transaction(() => s.store.outbox.enqueue(Array.from({ length: total }, (_, i) => message(i)), NOW));
    const workerFile = await bundleWorker(s.dir);
    const workers = Array.from({ length: 3 }, () => new Worker(workerFile, { workerData: { location: s.location, now: NOW, leaseUntil: LEASE, slice: 3 } }));
    try {
      const results = workers.map((w) => new Promise<number[]>((resolve, reject) => {
        w.on('message', (m: unknown) => {
          if (m === 'ready') return;
          if (Array.isArray(m)) resolve(m as number[]);
          else reject(new Error((m as { error: string }).error));
        });
        w.once('error', reject);
      }));
      await Promise.all(workers.map((w) => new Promise<void>((resolve) => {
        const ready = (m: unknown) => {
          if (m !== 'ready') return;
          w.off('message', ready);
          resolve();
        };
        w.on('message', ready);
      })));
      for (const w of workers) w.postMessage('go');
      const got = await Promise.all(results);
      const all = got.flat();
      expect(new Set(all).size).toBe(all.length);
      expect(all.length).toBe(total);
    } finally {
      await Promise.all(workers.map((w) => w.terminate()));
    }
  }, 60_000);
});

describe('store handle: close', () => {
  it('is async and idempotent; the handle is unusable after it', async () => {
    const s = await freshStore();
    try {
      const closing = s.store.close();
      expect(closing).toBeInstanceOf(Promise);
      await closing;
      await expect(s.store.close()).resolves.toBeUndefined();
      await expect(s.store.settings.get('x')).rejects.toThrow();
    } finally {
      await s.cleanup();
    }
  });
});

describe('locations refused (exit 7), before anything is opened or created', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'crm-unit-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const refused = async (p: Promise<unknown>, what: RegExp) => {
    const err = await p.then(() => undefined, (e: unknown) => e);
    expect(err).toBeInstanceOf(StoreError);
    expect((err as StoreError).exitCode).toBe(7);
    expect((err as Error).message).toMatch(what);
  };

  it('a location of a kind crm has no backend for', async () => {
    await refused(openStore('mysql://crm@db.example/crm'), /no store backend for this kind of location/);
    await refused(Promise.resolve().then(() => storeFiles('mysql://crm@db.example/crm')), /no store backend/);
  });

  it('a JSON file that is not a crm store, or is not valid JSON: named, with the line', async () => {
    const other = join(dir, 'other.json');
    writeFileSync(other, '{"name": "package"}\n');
    await refused(openStore(other), /is a JSON file but not a crm store/);
    const broken = join(dir, 'broken.json');
    writeFileSync(broken, '{\n  "crm": "json-store",\n  "schemaVersion": 1,\n  "tables": {,}\n}\n');
    await refused(openStore(broken), /broken\.json is not valid JSON at line 4/);
  });
});

describe('PostgreSQL locations that cannot be opened (no server needed)', () => {
  const failure = async (p: Promise<unknown>) => {
    const err = await p.then(() => undefined, (e: unknown) => e);
    expect(err).toBeInstanceOf(StoreError);
    expect((err as StoreError).exitCode).toBe(7);
    return (err as Error).message;
  };

  it.each(['postgres://crm@127.0.0.1:1/crm', 'POSTGRESQL://crm@127.0.0.1:1/crm'])('no server there: %s, with or without create', async (url) => {
    expect(await failure(openStore(url))).toMatch(/cannot reach the database server of .*127\.0\.0\.1:1\/crm \(ECONNREFUSED\)/);
    expect(await failure(openStore(url, { create: true }))).toMatch(/cannot reach the database server/);
  });

  it('names its side files without connecting, the same for one database however the URL spells its password', () => {
    const a = storeFiles('postgres://crm:one@127.0.0.1:1/crm').daemon();
    expect(storeFiles('postgres://crm:two@127.0.0.1:1/crm').daemon()).toEqual(a);
    expect(storeFiles('postgres://crm@127.0.0.1:1/other').daemon().pid).not.toBe(a.pid);
  });

  it('never prints the password of the URL', async () => {
    const message = await failure(openStore('postgresql://crm:s3cret@127.0.0.1:1/crm'));
    expect(message).toContain('postgresql://crm:***@127.0.0.1:1/crm');
    expect(message).not.toContain('s3cret');
  });
});

/**
 * The claim worker bundled into one CommonJS file (worker threads run JavaScript, not the
 * TypeScript sources vitest transforms); better-sqlite3 stays external, required by its path.
 */
async function bundleWorker(dir: string): Promise<string> {
  const { build } = await import('esbuild');
  const req = createRequire(import.meta.url);
  const outfile = join(dir, 'claim-worker.cjs');
  await build({
    entryPoints: [join(dirname(fileURLToPath(import.meta.url)), 'claim-worker.ts')],
    bundle: true, platform: 'node', format: 'cjs', target: 'node20', outfile, logLevel: 'silent',
    plugins: [{ name: 'native-by-path', setup: (b) => void b.onResolve({ filter: /^better-sqlite3$/ }, () => ({ path: req.resolve('better-sqlite3'), external: true })) }],
  });
  return outfile;
}
