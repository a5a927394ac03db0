import { execa } from 'execa';
import { dirname } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIN, teamHome, type Home } from '../helpers/cli.js';

/** Shell completion: commands and flags from the command tree, names from the store, through a real bash. */
describe('crm completion', () => {
  let h: Home;
  beforeAll(async () => {
    h = await teamHome();
    await h.ok(['tag', 'add', 'vip']);
    await h.ok(['segment', 'add', 'hot-leads', '--where', 'score >= 60']);
  });
  afterAll(() => h.cleanup());
  const lines = async (...words: string[]) => (await h.ok(['__complete', ...words])).split('\n').filter(Boolean);

  it('__complete: commands, aliases resolved, flags, and values from the store', async () => {
    expect(await lines('lead', 'mo')).toEqual(['move']);
    expect(await lines('lead', 'ls', '--so')).toEqual(['--source', '--sort']);
    expect(await lines('lead', 'move', '1', '--stage', 'Pro')).toEqual(['Proposal Sent']);
    expect(await lines('lead', 'move', '1', '')).toContain('Qualified');
    expect(await lines('lead', 'list', '--tag', '')).toEqual(['vip']);
    expect(await lines('--as', 'ra')).toEqual(['ravi@acme.example']);
    expect(await lines('lead', 'add', '--assign', 'p')).toEqual(['priya@acme.example']);
    expect(await lines('segment', 'show', '')).toEqual(['hot-leads']);
    expect(await lines('')).toEqual(expect.arrayContaining(['lead', 'followup', 'help', 'completion']));
    expect(await lines('')).not.toContain('__complete');
  });

  it('no store: names are simply not offered, never an error', async () => {
    const r = await h.run(['__complete', 'lead', 'list', '--stage', ''], { env: { CRM_DB: `${h.dir}/nowhere/crm.db` } });
    expect(r.exitCode).toBe(0);
    expect(String(r.stdout)).toBe('');
    expect(String(r.stderr)).toBe('');
  });

  it('the bash script completes through real bash', async () => {
    const script = await h.ok(['completion', 'bash']);
    const r = await execa('bash', ['-c', `${script}\nCOMP_WORDS=(crm lead move 1 --stage Qu); COMP_CWORD=5; _crm_complete; printf '%s\\n' "\${COMPREPLY[@]}"`], {
      env: { ...h.env, PATH: `${dirname(BIN)}:${process.env.PATH}` }, extendEnv: false,
    });
    expect(String(r.stdout).trim()).toBe('Qualified');
    for (const shell of ['zsh', 'fish']) expect(await h.ok(['completion', shell])).toMatch(/crm __complete/);
    await h.fail(['completion', 'tcsh'], 2, /no completion for the shell 'tcsh'\nhint: use bash, zsh or fish/);
  });

  it('crm help walks the whole tree and serves topics', async () => {
    expect(await h.ok(['help', 'lead', 'import'])).toMatch(/^Usage: crm lead import/);
    expect(await h.ok(['help', 'followup', 'rule', 'add'])).toMatch(/^Usage: crm followup rule add/);
    expect(await h.ok(['help', 'exit-codes'])).toMatch(/ {3}8 {2}an import finished with rows it refused/);
    expect(await h.ok(['help', 'config'])).toMatch(/date-order/);
    await h.fail(['help', 'lead', 'frob'], 3, /no help for 'lead frob': crm lead has no 'frob'\nhint: one of: add, list/);
    expect(await h.ok(['--help'])).toMatch(/Help topics \(crm help <topic>\):\n {2}filters/);
  });
});
