/** Orders, products and contact persons on PostgreSQL: the shared repositories of src/store/rows/orders.ts on this backend's queries. */
import { contactPersonsRepoOn, ordersRepoOn, productsRepoOn, type RowSql } from '../rows/orders.js';
import type { Store } from '../types.js';
import type { PgSql } from './sql.js';

export function rowSql(sql: PgSql): RowSql {
  return {
    all: async <T>(s: string, ...p: unknown[]) => (await sql.all(s, ...p)) as T[],
    get: async <T>(s: string, ...p: unknown[]) => (await sql.get(s, ...p)) as T | undefined,
    run: async (s, ...p) => void (await sql.run(s, ...p)),
    insert: (s, ...p) => sql.insert(s, ...p),
  };
}

export function orderRepos(sql: PgSql): Pick<Store, 'orders' | 'products' | 'contactPersons'> {
  const q = rowSql(sql);
  return { orders: ordersRepoOn(q), products: productsRepoOn(q), contactPersons: contactPersonsRepoOn(q) };
}
