/** Orders, products and contact persons on SQLite: the shared repositories of src/store/rows/orders.ts on this backend's statements. */
import { contactPersonsRepoOn, ordersRepoOn, productsRepoOn, type RowSql } from '../rows/orders.js';
import type { Store } from '../types.js';
import type { Sql } from './index.js';

export function rowSql(sql: Sql): RowSql {
  return {
    all: async (s, ...p) => sql.all(s, ...p),
    get: async (s, ...p) => sql.get(s, ...p),
    run: async (s, ...p) => void sql.run(s, ...p),
    insert: async (s, ...p) => Number(sql.run(s, ...p).lastInsertRowid),
  };
}

export function orderRepos(sql: Sql): Pick<Store, 'orders' | 'products' | 'contactPersons'> {
  const q = rowSql(sql);
  return { orders: ordersRepoOn(q), products: productsRepoOn(q), contactPersons: contactPersonsRepoOn(q) };
}
