import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { run } from '../src/cli.js';
import { generated } from './fixtures/import/fixtures.js';

/** Runs crm in-process with stderr faked as a terminal (or not), returning what was written. */
async function crm(dir: string, argv: string[], stderrTTY: boolean) {
  const capture = (isTTY: boolean) => {
    const s = new PassThrough() as PassThrough & { isTTY?: boolean; text: string };
    s.isTTY = isTTY;
    s.text = '';
    s.on('data', (b: Buffer) => (s.text += b.toString()));
    return s;
  };
  const stdout = capture(false);
  const stderr = capture(stderrTTY);
  const env = { CRM_HOME: dir, HOME: dir, NO_COLOR: '1', CRM_NOW: '2026-11-23T09:00:00.000Z', TZ: 'UTC' };
  const code = await run(argv, { env, stdin: Readable.from([]), stdout, stderr });
  return { code, stdout: stdout.text, stderr: stderr.text };
}

describe('import progress bar', () => {
  let dir: string;
  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'crm-progress-'));
    expect((await crm(dir, ['init', '--name', 'Asha Rao', '--email', 'admin@acme.example'], false)).code).toBe(0);
    writeFileSync(join(dir, 'g.csv'), generated(300));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('draws rows, rows/s, percent and ETA on a terminal, then clears its line', async () => {
    const r = await crm(dir, ['lead', 'import', join(dir, 'g.csv'), '--batch', '100'], true);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/^\r[█░]{24} \d+%  \d[\d,]* rows  [\d,]+ rows\/s  ETA \d+:\d\d/);
    expect(r.stderr.endsWith('\r\x1b[2K')).toBe(true);
    expect(r.stdout).toMatch(/imported   300/);
  });

  it('draws nothing when stderr is not a terminal', async () => {
    const r = await crm(dir, ['lead', 'import', join(dir, 'g.csv')], false);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
  });
});
