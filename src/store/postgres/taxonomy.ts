// SCAFFOLD (branch only, never on main): replaced by the port of src/store/sqlite/taxonomy.ts.
import type { PgSql } from './sql.js';
import { notPorted } from './scaffold.js';

export function taxonomyRepos(_sql: PgSql): any {
  return { stages: notPorted('stages'), sources: notPorted('sources'), tags: notPorted('tags') };
}
