import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { buildProgram, referenceMarkdown } from '../src/cli.js';
import { SETTINGS } from '../src/services/settings/service.js';

const silent = { write: () => true } as never;
const FILE = new URL('../docs/reference.md', import.meta.url);

const made = referenceMarkdown(await buildProgram({ env: {}, stdin: process.stdin, stdout: silent, stderr: silent }, []));

describe('docs/reference.md', () => {

  it('is what the generator makes from the command tree and settings now (CI checks it is current)', () => {
    const have = readFileSync(FILE, 'utf8');
    if (have === made) return;
    const a = have.split('\n');
    const b = made.split('\n');
    const i = a.findIndex((line, n) => line !== b[n]);
    const at = i < 0 ? Math.min(a.length, b.length) : i;
    expect.fail(
      `docs/reference.md is out of date: run \`npm run docs\` and commit docs/reference.md.\n` +
        `First difference at line ${at + 1}:\n  checked in: ${JSON.stringify(a[at] ?? '(end of file)')}\n  generated:  ${JSON.stringify(b[at] ?? '(end of file)')}`,
    );
  });

  it('holds every command with its usage and examples, and every setting', () => {
    for (const heading of ['### crm lead add', '### crm routing group add', '## crm dashboard', '## Global options']) expect(made).toContain(`\n${heading}\n`);
    expect(made).toContain('crm lead move [options] <id> [stage]');
    expect(made).toContain('crm lead move 12 Demo');
    for (const key of Object.keys(SETTINGS)) expect(made).toContain(`| \`${key}\` |`);
  });
});
