import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { teamHome, type Home } from '../helpers/cli.js';

describe('crm segment … and lead list --where through the binary', () => {
  let h: Home;
  const id: Record<string, string> = {};
  beforeAll(async () => {
    h = await teamHome();
    const add = async (key: string, args: string[]) => (id[key] = (await h.ok(['lead', 'add', '-q', ...args])).trim());
    await add('web', ['--name', 'Web Hot', '--source', 'Website', '--score', '80', '--assign', 'ravi@acme.example']);
    await add('ads', ['--name', 'Ads Hot', '--source', 'Google Ads', '--score', '65', '--assign', 'priya@acme.example']);
    await add('cold', ['--name', 'Ads Cold', '--source', 'Google Ads', '--score', '10', '--assign', 'ravi@acme.example']);
  });
  afterAll(() => h.cleanup());

  it('segment add, count, list, show (JSON too)', async () => {
    expect(await h.ok(['segment', 'add', 'hot-web', '--where', 'source in (Website, Google Ads) and score>=60 and stage!=Lost'])).toBe('Added segment hot-web (2 matching now)');
    expect(await h.ok(['segment', 'count', 'hot-web'])).toBe('2');
    expect(await h.ok(['segment', 'list'])).toBe('1\thot-web\t2\tsource in (Website, Google Ads) and score>=60 and stage!=Lost');
    const shown = await h.json(['segment', 'show', 'hot-web', '--json']);
    expect(shown).toMatchObject({ name: 'hot-web', count: 2, createdBy: 'admin@acme.example' });
    expect(shown.leads.map((l: { id: number }) => String(l.id))).toEqual([id.web, id.ads]);
  });

  it('a rep sees only their own leads in a segment', async () => {
    expect(await h.ok(['segment', 'count', 'hot-web', '--as', 'ravi@acme.example'])).toBe('1');
    await h.fail(['segment', 'add', 'mine', '--where', 'score > 1', '--as', 'ravi@acme.example'], 5, /ravi@acme.example is a rep and may not save segments/);
  });

  it('lead list --where uses the same language', async () => {
    const out = await h.ok(['lead', 'list', '--where', 'source = "Google Ads" or score > 70', '-q']);
    expect(out.trim().split('\n').sort()).toEqual([id.web, id.ads, id.cold].sort());
    expect(await h.ok(['lead', 'list', '--where', 'score < 50', '-q'])).toBe(id.cold);
  });

  it('a bad filter exits 2 pointing at the token; nothing is saved', async () => {
    const r = await h.fail(['lead', 'list', '--where', 'score >= 60 and stage = Nope'], 2, "error: invalid filter at column 25 ('Nope'): unknown stage 'Nope'");
    expect(String(r.stderr)).toContain('hint: score >= 60 and stage = Nope\n                              ^\n');
    await h.fail(['segment', 'add', 'broken', '--where', 'score => 3'], 2, /column 8 \('>'\): expected a value/);
    await h.fail(['segment', 'show', 'broken'], 3, /unknown segment 'broken'/);
    await h.fail(['segment', 'add', 'HOT-WEB', '--where', 'score > 1'], 4, /segment 'HOT-WEB' exists already/);
  });

  it('segment remove', async () => {
    expect(await h.ok(['segment', 'remove', '--yes', 'hot-web'])).toBe('Removed segment hot-web');
    expect(await h.ok(['segment', 'list'])).toBe('');
  });
});
