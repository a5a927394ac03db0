/**
 * The PostgreSQL query wrapper (src/store/postgres/sql.ts): placeholders, and what a failed
 * statement inside a transaction leaves (PostgreSQL aborts the transaction, SQLite goes on).
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConflictError } from '../../../src/errors.js';
import { numbered, type PgSql } from '../../../src/store/postgres/sql.js';
import { freshStore, TEST_BACKEND } from '../../helpers/store.js';

describe('numbered: ? placeholders become $n', () => {
  it('numbers them in order, outside strings, quoted identifiers and comments', () => {
    expect(numbered('SELECT a FROM t WHERE b = ? AND c IN (?, ?)')).toBe('SELECT a FROM t WHERE b = $1 AND c IN ($2, $3)');
    expect(numbered(`SELECT '?', "x?", ? -- what?\n, ? /* and ? here */, ?`)).toBe(`SELECT '?', "x?", $1 -- what?\n, $2 /* and ? here */, $3`);
    expect(numbered(`SELECT 'it''s ?', ?`)).toBe(`SELECT 'it''s ?', $1`);
  });
  it('?? is a literal ? (the jsonb operator); casts stay', () => {
    expect(numbered('SELECT data::jsonb ?? ?, ?::bigint[]')).toBe('SELECT data::jsonb ? $1, $2::bigint[]');
  });
});

describe.runIf(TEST_BACKEND === 'postgres')('PgSql: a failed write inside a transaction', () => {
  let s: Awaited<ReturnType<typeof freshStore>>;
  let sql: PgSql;
  beforeEach(async () => {
    s = await freshStore();
    sql = (s.store as unknown as { sql: PgSql }).sql;
  });
  afterEach(() => s.cleanup());
  const keys = async () => Object.keys(await s.store.settings.all());

  it('is undone alone when caught: the writes before and after it commit', async () => {
    await s.store.sources.insert('Web');
    await s.store.transaction(async () => {
      await s.store.settings.set('a', '1');
      await s.store.settings.set('b', '2');
      await expect(s.store.sources.insert('web')).rejects.toBeInstanceOf(ConflictError);
      await expect(s.store.sources.insert('WEB')).rejects.toBeInstanceOf(ConflictError);
      await s.store.settings.set('c', '3');
      await s.store.sources.insert('Fair');
    });
    expect(await keys()).toEqual(['a', 'b', 'c']);
    expect((await s.store.sources.list()).map((x) => x.name)).toEqual(['Fair', 'Web']);
  });

  it('rolls the whole transaction back when it is not caught', async () => {
    await s.store.sources.insert('Web');
    await expect(s.store.transaction(async () => {
      await s.store.settings.set('a', '1');
      await s.store.sources.insert('web');
    })).rejects.toBeInstanceOf(ConflictError);
    expect(await keys()).toEqual([]);
    // The handle goes on: its next transaction starts clean.
    await s.store.transaction(() => s.store.settings.set('z', '1'));
    expect(await keys()).toEqual(['z']);
  });

  it('unguarded: a failed write aborts the transaction, which then commits nothing', async () => {
    await s.store.sources.insert('Web');
    await expect(s.store.transaction(async () => {
      await s.store.settings.set('a', '1');
      await sql.unguarded(async () => {
        await sql.run('INSERT INTO settings (key, value) VALUES (?, ?)', 'b', '2');
        await expect(s.store.sources.insert('web')).rejects.toBeInstanceOf(ConflictError);
      });
      await s.store.settings.set('c', '3'); // the transaction is aborted: refused
    })).rejects.toThrow(/aborted/);
    expect(await keys()).toEqual([]);
  });
});
