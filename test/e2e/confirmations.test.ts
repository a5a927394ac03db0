import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { teamHome, type Home } from '../helpers/cli.js';
import { onTerminal } from '../helpers/pty.js';

/** One rule for destructive commands: asked on a terminal, --yes without one (exit 2 naming it), nothing changed otherwise. */
describe('destructive commands ask first', () => {
  let h: Home;
  let a: number;
  let b: number;
  beforeAll(async () => {
    h = await teamHome();
    a = Number((await h.ok(['lead', 'add', '--name', 'Keep Me', '--email', 'keep@confirm.example', '-q'])).trim());
    b = Number((await h.ok(['lead', 'add', '--name', 'Merge Me', '--email', 'merge@confirm.example', '-q'])).trim());
    await h.ok(['segment', 'add', 'doomed', '--where', 'score >= 0']);
    await h.ok(['tag', 'add', 'spare']);
    await h.ok(['stage', 'add', 'Parked']);
  });
  afterAll(() => h.cleanup());

  it('without a terminal and without --yes: exit 2 naming --yes, and nothing is changed', async () => {
    const cases: string[][] = [
      ['lead', 'delete', String(a)],
      ['lead', 'merge', String(b), '--into', String(a)],
      ['segment', 'remove', 'doomed'],
      ['tag', 'remove', 'spare'],
      ['stage', 'remove', 'Parked'],
    ];
    for (const args of cases) await h.fail(args, 2, /confirmation needed: .*\nhint: pass --yes to go ahead without a prompt/);
    expect((await h.json(['lead', 'list'])).map((l: { id: number }) => l.id).sort()).toEqual([a, b].sort());
    expect((await h.json(['segment', 'list'])).map((s: { name: string }) => s.name)).toContain('doomed');
    expect((await h.json(['stage', 'list'])).map((s: { name: string }) => s.name)).toContain('Parked');
  });

  it('on a terminal: "n" changes nothing, "y" goes ahead', async () => {
    const no = await onTerminal(h, ['lead', 'delete', String(a)], [['Delete lead', 'n\r']]);
    expect(no.code).toBe(0);
    expect(no.text).toMatch(/Nothing changed\./);
    expect(await h.json(['lead', 'show', String(a)])).toBeTruthy();
    const yes = await onTerminal(h, ['segment', 'remove', 'doomed'], [['Remove segment doomed?', 'y\r']]);
    expect(yes.code).toBe(0);
    expect(yes.text).toMatch(/Removed segment doomed/);
  });

  it('--yes (or -y) goes ahead without asking', async () => {
    expect(await h.ok(['lead', 'merge', String(b), '--into', String(a), '--yes'])).toMatch(`Merged lead ${b} into lead ${a}`);
    expect(await h.ok(['-y', 'stage', 'remove', 'Parked'])).toMatch(/Removed stage Parked/);
  });
});
