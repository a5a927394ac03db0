/**
 * The store factory: opens a store by its location (`--db`, `CRM_DB`, the config file). The only
 * place outside a backend folder that knows which backends exist; each is loaded on first use.
 */
import type { Store } from './types.js';

export interface OpenStoreOptions {
  /** Create the store if it does not exist (only `crm init` does). */
  create?: boolean;
  busyTimeoutMs?: number;
}

export async function openStore(location: string, options: OpenStoreOptions = {}): Promise<Store> {
  const { openSqliteStore } = await import('./sqlite/index.js');
  return openSqliteStore(location, options);
}
