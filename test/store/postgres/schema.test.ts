/**
 * The PostgreSQL schema mirrors the SQLite one (src/store/postgres/migrations/0001_schema.ts):
 * the same tables and columns with the same names, types of the same meaning, nullability and
 * case-insensitivity, the same named indexes and the derived fields' triggers. A store is copied
 * between backends table by table, and the repositories keep their SQL: a migration added to one
 * backend and not the other fails here. What only PostgreSQL has (its logins, migration 2) must
 * not stand in the way of a row copied from SQLite.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore } from '../../../src/store/index.js';
import type { PgSql } from '../../../src/store/postgres/sql.js';
import { freshStore, TEST_BACKEND } from '../../helpers/store.js';

interface Column { table: string; column: string; type: string; notNull: boolean; nocase: boolean }

describe.runIf(TEST_BACKEND === 'postgres')('the PostgreSQL schema mirrors the SQLite one', () => {
  let dir: string;
  let pgStore: Awaited<ReturnType<typeof freshStore>>;
  let sqlite: Database.Database;
  let sql: PgSql;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'crm-schema-'));
    await (await openStore(join(dir, 'crm.db'), { create: true })).close();
    sqlite = new Database(join(dir, 'crm.db'), { readonly: true });
    pgStore = await freshStore();
    sql = (pgStore.store as unknown as { sql: PgSql }).sql;
  });
  afterAll(async () => {
    sqlite.close();
    await pgStore.cleanup();
    rmSync(dir, { recursive: true, force: true });
  });

  const sqliteTables = () => (sqlite.prepare("SELECT name, sql FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name").all() as { name: string; sql: string }[]);
  const TYPES: Record<string, string> = { INTEGER: 'bigint', TEXT: 'text', REAL: 'double precision', BLOB: 'bytea' };

  it('has every table and column, with the same type, nullability and case-insensitivity', async () => {
    const expected: Column[] = [];
    for (const t of sqliteTables()) {
      const cols = sqlite.prepare(`SELECT name, type, "notnull", pk FROM pragma_table_info(?)`).all(t.name) as { name: string; type: string; notnull: number; pk: number }[];
      for (const c of cols) {
        // Declared NOCASE in the column's definition (the CREATE TABLE text, as SQLite keeps it).
        const def = new RegExp(`\\n\\s*"?${c.name}"?\\s+[A-Z]+[^,\\n]*COLLATE NOCASE`, 'i');
        expected.push({ table: t.name, column: c.name, type: TYPES[c.type] ?? c.type, notNull: c.notnull === 1 || c.pk > 0, nocase: def.test(t.sql) });
      }
    }
    const actual = await sql.all<Column & { fillable: boolean }>(
      `SELECT c.table_name AS "table", c.column_name AS "column", c.data_type AS type, c.is_nullable = 'NO' AS "notNull",
              coalesce(c.collation_name = 'nocase', false) AS nocase, c.is_nullable = 'YES' OR c.column_default IS NOT NULL AS fillable
         FROM information_schema.columns c
        WHERE c.table_schema = current_schema() AND c.table_name <> 'crm_schema'`,
    );
    const key = (c: Column) => `${c.table}.${c.column}`;
    const byKey = (cs: Column[]) => [...cs].sort((a, b) => (key(a) < key(b) ? -1 : 1));
    const sqliteKeys = new Set(expected.map(key));
    const mirrored = actual.filter((c) => sqliteKeys.has(key(c))).map(({ fillable: _, ...c }) => c);
    expect(byKey(mirrored)).toEqual(byKey(expected));
    // A column only PostgreSQL has (its logins, migration 2) is null or has a default, so a row
    // copied from an SQLite store fits.
    expect(actual.filter((c) => !sqliteKeys.has(key(c)) && !c.fillable).map(key)).toEqual([]);
  });

  it('has every named index (and each unique one is unique), and the derived fields\' triggers', async () => {
    const indexes = sqlite.prepare("SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL ORDER BY name").all() as { name: string; sql: string }[];
    expect(indexes.length).toBeGreaterThan(30);
    const pgIndexes = new Map((await sql.all<{ name: string; def: string }>(
      'SELECT indexname AS name, indexdef AS def FROM pg_indexes WHERE schemaname = current_schema()',
    )).map((r) => [r.name, r.def]));
    for (const i of indexes) {
      expect(pgIndexes.has(i.name), i.name).toBe(true);
      expect(/^CREATE UNIQUE/i.test(pgIndexes.get(i.name)!), i.name).toBe(/^CREATE UNIQUE/i.test(i.sql));
    }
    // The audit log's append-only triggers are SQLite's way; PostgreSQL revokes UPDATE and DELETE instead.
    const triggers = (sqlite.prepare("SELECT name FROM sqlite_master WHERE type = 'trigger' AND name NOT LIKE 'audit_log_%' ORDER BY name").all() as { name: string }[]).map((r) => r.name);
    expect(triggers).toEqual(['lead_stats_delete', 'lead_stats_insert', 'lead_stats_update', 'leads_furthest_stage']);
    const pgTriggers = (await sql.all<{ name: string }>("SELECT DISTINCT tgname AS name FROM pg_trigger WHERE NOT tgisinternal AND tgrelid = 'leads'::regclass")).map((r) => r.name);
    expect(pgTriggers).toEqual(expect.arrayContaining(triggers));
  });

  it('has the same unique constraints, foreign keys and seed rows', async () => {
    const sqliteKeys = new Set<string>();
    for (const t of sqliteTables()) {
      for (const c of sqlite.prepare('SELECT name FROM pragma_table_info(?)').all(t.name) as { name: string }[]) sqliteKeys.add(`${t.name}.${c.name}`);
    }
    const fks: string[] = [];
    for (const t of sqliteTables()) {
      for (const f of sqlite.prepare('SELECT "table", "from", "to", on_delete FROM pragma_foreign_key_list(?)').all(t.name) as { table: string; from: string; to: string; on_delete: string }[]) {
        fks.push(`${t.name}.${f.from} -> ${f.table}.${f.to ?? 'id'} ${f.on_delete}`);
      }
    }
    const pgFks = (await sql.all<{ fk: string }>(
      `SELECT format('%s.%s -> %s.%s %s', c.conrelid::regclass, a.attname, c.confrelid::regclass, b.attname,
                     CASE c.confdeltype WHEN 'a' THEN 'NO ACTION' WHEN 'c' THEN 'CASCADE' WHEN 'n' THEN 'SET NULL' WHEN 'r' THEN 'RESTRICT' ELSE 'SET DEFAULT' END) AS fk
         FROM pg_constraint c
         JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = c.conkey[1]
         JOIN pg_attribute b ON b.attrelid = c.confrelid AND b.attnum = c.confkey[1]
        WHERE c.contype = 'f' AND c.connamespace = current_schema()::regnamespace`,
    )).map((r) => r.fk);
    expect(fks.length).toBeGreaterThan(50);
    expect(pgFks.filter((fk) => fks.includes(fk)).sort()).toEqual(fks.sort());
    // A foreign key only PostgreSQL has is on a column only it has.
    expect(pgFks.filter((fk) => !fks.includes(fk) && sqliteKeys.has(fk.split(' ')[0]!))).toEqual([]);
    // Unique keys (primary keys and UNIQUE, in the table or as an index): the same column lists.
    const uniques: string[] = [];
    for (const t of sqliteTables()) {
      for (const i of sqlite.prepare('SELECT name, "unique", partial FROM pragma_index_list(?)').all(t.name) as { name: string; unique: number; partial: number }[]) {
        if (!i.unique) continue;
        const cols = (sqlite.prepare('SELECT name FROM pragma_index_info(?) ORDER BY seqno').all(i.name) as { name: string }[]).map((r) => r.name);
        uniques.push(`${t.name}(${cols.join(',')})${i.partial ? ' partial' : ''}`);
      }
      // An INTEGER PRIMARY KEY is the rowid: no index in pragma_index_list.
      const pk = sqlite.prepare('SELECT name FROM pragma_table_info(?) WHERE pk > 0 ORDER BY pk').all(t.name) as { name: string }[];
      const rowidPk = pk.length === 1 && /INTEGER PRIMARY KEY/i.test(t.sql) && !/WITHOUT ROWID/i.test(t.sql);
      if (rowidPk) uniques.push(`${t.name}(${pk[0]!.name})`);
    }
    const pgUniques = (await sql.all<{ u: string }>(
      `SELECT format('%s(%s)%s', i.indrelid::regclass,
                     (SELECT string_agg(a.attname, ',' ORDER BY k.n) FROM unnest(i.indkey) WITH ORDINALITY AS k(attnum, n)
                        JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum),
                     CASE WHEN i.indpred IS NULL THEN '' ELSE ' partial' END) AS u
         FROM pg_index i JOIN pg_class c ON c.oid = i.indrelid
        WHERE i.indisunique AND c.relnamespace = current_schema()::regnamespace AND c.relname <> 'crm_schema'`,
    )).map((r) => r.u);
    expect(uniques.length).toBeGreaterThan(40);
    // Every unique key of SQLite's, and no other on SQLite's columns (one would refuse a copy).
    expect(pgUniques.filter((u) => uniques.includes(u)).sort()).toEqual(uniques.sort());
    expect(pgUniques.filter((u) => !uniques.includes(u) && /\((.*)\)/.exec(u)![1]!.split(',').every((c) => sqliteKeys.has(`${u.split('(')[0]}.${c}`)))).toEqual([]);
    // Seed rows: the campaign secret, made once by the migration.
    expect(await sql.all('SELECT id FROM campaign_secrets')).toEqual([{ id: 1 }]);
    expect(sqlite.prepare('SELECT id FROM campaign_secrets').all()).toEqual([{ id: 1 }]);
  });
});
