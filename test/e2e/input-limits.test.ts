import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { teamHome, type Home } from '../helpers/cli.js';

/**
 * Issue 18, items 5 and 9: input that cannot be stored or run is refused with exit 2, naming
 * the value and the limit, and nothing is stored. Each test sets up what it needs.
 */
describe('limits on user input through the binary', () => {
  let h: Home;
  let lead: string;
  beforeAll(async () => {
    h = await teamHome();
    lead = (await h.ok(['lead', 'add', '-q', '--name', 'Ana Sousa', '--email', 'ana@sousa.example', '--score', '40'])).trim();
  });
  afterAll(() => h.cleanup());

  const ors = (n: number) => Array.from({ length: n }, (_, i) => `score=${i % 100}`).join(' or ');
  const nested = (depth: number) => `${'('.repeat(depth)}score=1${')'.repeat(depth)}`;
  const segmentNames = async () => (await h.json<{ name: string }[]>(['segment', 'list'])).map((s) => s.name);

  describe('item 5: a filter that cannot run is not saved', () => {
    it('segment add with 1,000 or-terms exits 2 naming the limit, and saves nothing', async () => {
      await h.fail(['segment', 'add', 'too-many', '--where', ors(1000)], 2, /error: filter too large at column \d+: more than 100 conditions\nhint: .*at most 100 conditions, 1000 values and 20 levels of parentheses/);
      expect(await segmentNames()).not.toContain('too-many');
      await h.ok(['segment', 'list']);
    });

    it('5,000 nested parentheses exit 2 naming the depth limit, and save nothing', async () => {
      await h.fail(['segment', 'add', 'too-deep', '--where', nested(5000)], 2, /error: filter too large at column 21: more than 20 levels of parentheses/);
      expect(await segmentNames()).not.toContain('too-deep');
    });

    it('a filter at the limits is saved and runs', async () => {
      expect(await h.ok(['segment', 'add', 'at-limit', '--where', `${nested(20)} or ${ors(99)}`])).toBe('Added segment at-limit (1 matching now)');
      expect(await h.ok(['segment', 'count', 'at-limit'])).toBe('1');
    });

    it('lead list --where and followup rule add --where have the same limits', async () => {
      await h.fail(['lead', 'list', '--where', ors(1000)], 2, /more than 100 conditions/);
      await h.fail(['lead', 'list', '--where', nested(5000)], 2, /more than 20 levels of parentheses/);
      const conds = Array.from({ length: 101 }, () => 'score>=1').join(' and ');
      await h.fail(['followup', 'rule', 'add', '--name', 'huge', '--where', conds, '--title', 'x'], 2, /more than 100 conditions/);
      expect(await h.ok(['followup', 'rule', 'list'])).not.toContain('huge');
    });

    it('a stored segment this version cannot run (saved by an older crm) is listed and shown as broken, not failing for everyone', async () => {
      const db = new Database(join(h.dir, 'crm.db'));
      db.prepare("INSERT INTO segments (name, where_text, created_by, created_at) VALUES ('old-huge', ?, 1, '2026-01-01T00:00:00.000Z')").run(ors(1000));
      db.close();
      try {
        const list = await h.json<{ name: string; count?: number; broken?: string }[]>(['segment', 'list']);
        expect(list.find((s) => s.name === 'old-huge')).toMatchObject({ broken: expect.stringMatching(/more than 100 conditions/) });
        expect(list.find((s) => s.name === 'old-huge')!.count).toBeUndefined();
        expect(await h.ok(['segment', 'list', '--as', 'ravi@acme.example'])).toMatch(/\told-huge\tbroken\t/);
        expect(await h.ok(['segment', 'show', 'old-huge', '--limit', '5'])).toMatch(/Matching\s+broken: filter too large at column \d+: more than 100 conditions/);
        await h.fail(['segment', 'count', 'old-huge'], 2, /more than 100 conditions/);
      } finally {
        await h.ok(['segment', 'remove', '--yes', 'old-huge']);
      }
    });
  });

  describe('item 9: numbers, dates and durations have bounds', () => {
    it('lead list --limit and --offset beyond 1,000,000,000 exit 2', async () => {
      await h.fail(['lead', 'list', '--limit', '99999999999999999999'], 2, /error: invalid limit '99999999999999999999'\nhint: give a whole number from 1 to 1000000000/);
      await h.fail(['lead', 'list', '--offset', '99999999999999999999'], 2, /error: invalid offset '99999999999999999999'\nhint: give a whole number from 0 to 1000000000/);
      expect(await h.ok(['lead', 'list', '-q', '--limit', '1000000000', '--offset', '0'])).toBe(lead);
    });

    it('every other --limit and id has the same bound (exit 2, never an internal error)', async () => {
      const huge = '99999999999999999999';
      const hint = /hint: give a whole number from [01] to 1000000000/;
      await h.ok(['segment', 'add', 'for-limits', '--where', 'score >= 0']);
      for (const args of [['segment', 'show', 'for-limits'], ['outbox', 'list'], ['inbox'], ['proposal', 'list'], ['call', 'list'], ['appointment', 'list'], ['followup', 'list'], ['board'], ['import', 'list'], ['lead', 'export']]) {
        await h.fail([...args, '--limit', huge], 2, hint);
      }
      await h.fail(['lead', 'show', huge], 2, /error: invalid lead id '99999999999999999999'\nhint: lead ids are whole numbers from 1 to 9007199254740991/);
    });

    it('durations over ten years exit 2 naming the value and the limit', async () => {
      await h.fail(['followup', 'add', '--lead', lead, '--title', 'Long', '--duration', '99999999d'], 2, /error: duration '99999999d' is longer than 3650d \(ten years\)\nhint: give a duration of at most 3650d/);
      await h.fail(['followup', 'list', '--upcoming', '99999999d'], 2, /--upcoming '99999999d' is longer than 3650d/);
      await h.fail(['followup', 'rule', 'add', '--name', 'stale', '--where', 'no-activity>99999999999d', '--title', 'x'], 2, /invalid condition 'no-activity>99999999999d': give a number of days from 1 to 3650/);
      expect(await h.ok(['followup', 'list', '-q', '--lead', lead])).toBe('');
    });

    it('call log --duration 99999999h is refused, not stored in year -9382; a call lasts at most 24h', async () => {
      await h.fail(['call', 'log', '--lead', lead, '--outcome', 'rnr', '--duration', '99999999h'], 2, /error: duration '99999999h' is longer than 3650d/);
      await h.fail(['call', 'log', '--lead', lead, '--outcome', 'rnr', '--duration', '25h'], 2, /error: invalid duration '25h': a call lasts at most 24h/);
      expect(await h.json(['call', 'list', '--lead', lead])).toEqual([]);
    });

    it('--expected-close 0000-01-01 is refused', async () => {
      await h.fail(['lead', 'add', '--name', 'Zero Year', '--expected-close', '0000-01-01'], 2, /error: invalid expected close date '0000-01-01': before the year 1900/);
      await h.fail(['lead', 'edit', lead, '--expected-close', '0001-12-31'], 2, /before the year 1900/);
      expect(await h.ok(['lead', 'list', '-q', '--search', 'Zero Year'])).toBe('');
    });

    it('followup recur --ahead is capped at 366 days', async () => {
      await h.fail(['followup', 'recur', '--ahead', '20000d'], 2, /--ahead '20000d' is longer than 3650d/);
      await h.fail(['followup', 'recur', '--ahead', '400d'], 2, /error: --ahead '400d' is too far ahead: at most 366d/);
      await h.ok(['followup', 'recur', '--ahead', '366d']);
    });
  });

  describe('item 9: names are one line of at most 64 Ki characters', () => {
    it('CR, LF and other control characters in lead, stage, source, tag and user names exit 2', async () => {
      await h.fail(['lead', 'add', '--name', 'Evil\r\nName'], 2, /error: invalid name "Evil\\r\\nName": control character U\+000D at position 5\nhint: a name is one line of printable text/);
      await h.fail(['lead', 'edit', lead, '--name', 'Bell\u0007'], 2, /control character U\+0007/);
      await h.fail(['lead', 'add', '--name', 'Tagged', '--tag', 'v\nip'], 2, /invalid tag "v\\nip"/);
      await h.fail(['stage', 'add', 'Two\nLines'], 2, /invalid stage name "Two\\nLines"/);
      await h.fail(['stage', 'rename', 'New', 'Fresh\u001b[31m'], 2, /control character U\+001B/);
      await h.fail(['source', 'add', 'Web\rsite'], 2, /invalid source name "Web\\rsite"/);
      await h.fail(['tag', 'add', 'hot\u0001'], 2, /control character U\+0001/);
      await h.fail(['user', 'add', '--name', 'Mallory\nAdmin', '--email', 'mallory@acme.example', '--role', 'rep'], 2, /invalid name "Mallory\\nAdmin"/);
      expect(await h.ok(['lead', 'list', '-q'])).toBe(lead);
      expect(await h.ok(['source', 'list'])).not.toMatch(/Web\rsite/);
      expect(await h.ok(['tag', 'list'])).not.toMatch(/hot/);
      expect(await h.ok(['stage', 'list'])).toMatch(/^1\t1\tNew\t10%/);
      await h.fail(['user', 'edit', 'mallory@acme.example', '--name', 'x'], 3);
    });

    it('a name over 64 Ki characters exits 2 as import refuses such a cell; 64 Ki is accepted', async () => {
      await h.fail(['lead', 'add', '--name', 'x'.repeat(100 * 1024)], 2, /error: name of 102,400 characters is too long \(at most 65,536\)/);
      const id = (await h.ok(['lead', 'add', '-q', '--name', 'y'.repeat(64 * 1024)])).trim();
      expect((await h.json<{ name: string }>(['lead', 'show', id])).name).toHaveLength(64 * 1024);
      await h.ok(['lead', 'delete', '--yes', id]);
    });
  });
});
