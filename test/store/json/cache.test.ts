/**
 * The JSON store's cache (`<store>.cache`): removed by every write at once, saved again by the
 * process that wrote when it closes, and a few seconds after a write by one that stays open
 * (the daemon); only ever for the version of the file on disk.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openStore } from '../../../src/store/index.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

const header = (file: string) => JSON.parse(readFileSync(file).subarray(0, readFileSync(file).indexOf(10)).toString('utf8')) as { sig: string };

describe('the JSON store cache', () => {
  it('a write removes it at once; a process that stays open saves it again after a few seconds; one that closes, at close', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'crm-json-cache-'));
    dirs.push(dir);
    const file = join(dir, 'crm.json');
    const cache = `${file}.cache`;
    await (await openStore(file, { create: true })).close();
    expect(existsSync(cache)).toBe(true);

    const daemon = await openStore(file);
    const cli = await openStore(file);
    try {
      await cli.settings.set('currency', 'EUR');
      expect(existsSync(cache)).toBe(false);
      await cli.close();
      const afterCli = header(cache).sig;

      await daemon.settings.set('currency', 'INR'); // reloads the file the CLI wrote, then writes
      expect(existsSync(cache)).toBe(false);
      await new Promise((r) => setTimeout(r, 3_500));
      expect(existsSync(cache)).toBe(true);
      expect(header(cache).sig).not.toBe(afterCli);
      // A fresh handle opens from it and sees the daemon's write.
      const next = await openStore(file);
      expect((await next.settings.all()).currency).toBe('INR');
      await next.close();
    } finally {
      await daemon.close();
    }
  }, 30_000);
});
