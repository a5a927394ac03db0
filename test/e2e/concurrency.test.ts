import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { teamHome, type Home } from '../helpers/cli.js';

describe('several crm processes on one store', () => {
  let h: Home;
  beforeAll(async () => {
    h = await teamHome();
  });
  afterAll(() => h.cleanup());

  it('8 processes adding leads at once lose nothing and fail none', async () => {
    const perProcess = 5;
    const workers = Array.from({ length: 8 }, (_, w) =>
      (async () => {
        const codes: number[] = [];
        for (let i = 0; i < perProcess; i++) {
          const r = await h.run(['lead', 'add', '--name', `W${w} L${i}`, '--email', `w${w}.l${i}@example.com`, '--phone', `+35191200${w}${String(i).padStart(3, '0')}`]);
          if (r.exitCode !== 0) throw new Error(`worker ${w} add ${i}: ${r.stderr}`);
          codes.push(r.exitCode);
        }
        return codes;
      })(),
    );
    const results = await Promise.all(workers);
    expect(results.flat()).toEqual(Array(8 * perProcess).fill(0));
    const leads = await h.json(['lead', 'list', '--limit', '1000']);
    expect(leads).toHaveLength(8 * perProcess);
    expect(new Set(leads.map((l: { emails: string[] }) => l.emails[0])).size).toBe(8 * perProcess);
  });

  it('8 processes racing to add the same email create exactly one lead', async () => {
    const runs = await Promise.all(Array.from({ length: 8 }, (_, i) => h.run(['lead', 'add', '--name', `Racer ${i}`, '--email', 'same@race.example'])));
    const codes = runs.map((r) => r.exitCode).sort();
    expect(codes).toEqual([0, 4, 4, 4, 4, 4, 4, 4]);
    expect(await h.json(['lead', 'list', '--search', 'same@race.example'])).toHaveLength(1);
  });
});
