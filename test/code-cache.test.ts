import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { freshHome, type Home } from './helpers/cli.js';

const LOAD = fileURLToPath(new URL('../bin/load.cjs', import.meta.url));
const PHONE = fileURLToPath(new URL('../dist/vendor/phone.cjs', import.meta.url));
/** The caches are V8's of the Node that built them: under another (CI's Node 22 and 24 runs of a Node 20 build) V8 rejects them all, and the bundles compile from source. */
const SAME_NODE = readFileSync(fileURLToPath(new URL('../dist/crm.cjs.cache-node', import.meta.url)), 'utf8').trim() === process.version;

/** Runs a crm command in a process that loads the bundle as bin/crm does, and reports which bundles were compiled and whether V8 took each one's cache. */
function runLoaded(home: Home, argv: string[]): { out: string; scripts: Record<string, boolean> } {
  const script = `
    const { load, scripts } = require(${JSON.stringify(LOAD)});
    const { PassThrough } = require('node:stream');
    const r = load({ withScript: true });
    const out = new PassThrough(); let text = ''; out.on('data', (d) => { text += d; });
    r.exports.run(${JSON.stringify(argv)}, { env: process.env, stdin: new PassThrough(), stdout: out, stderr: out }).then(() => {
      const accepted = {}; for (const [file, s] of scripts) accepted[require('node:path').basename(file)] = s.cachedDataRejected === false;
      process.stdout.write(JSON.stringify({ out: text, scripts: accepted }));
    });`;
  return JSON.parse(execFileSync(process.execPath, ['-e', script], { env: { ...process.env, ...home.env }, encoding: 'utf8' })) as { out: string; scripts: Record<string, boolean> };
}

describe('bundles compiled from their code caches (bin/load.cjs)', () => {
  let home: Home;
  afterEach(() => home?.cleanup());

  it('the main bundle, and libphonenumber (bundled apart) once a command is given a phone, both from caches V8 accepts (on the Node that built them)', async () => {
    home = freshHome();
    await home.ok(['init', '--name', 'Ana Admin', '--email', 'ana@acme.example']);
    expect(existsSync(`${PHONE}.cache`)).toBe(true);
    const shown = runLoaded(home, ['lead', 'show', '999']);
    expect(shown.scripts).toEqual({ 'crm.cjs': SAME_NODE });
    const added = runLoaded(home, ['lead', 'add', '--name', 'Rui Costa', '--phone', '+351 912 345 678', '--json']);
    expect(added.scripts).toEqual({ 'crm.cjs': SAME_NODE, 'phone.cjs': SAME_NODE });
    // libphonenumber did its work: the number as written became E.164.
    expect(JSON.parse(added.out).lead.phones).toEqual(['+351912345678']);
  });
});
