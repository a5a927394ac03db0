import type pg from 'pg';
import { parse } from 'pg-connection-string';

/**
 * What every connection crm opens to PostgreSQL is given: the store's URL as pg reads it, and
 * `extra` (application name, pool size, options). A value in the URL wins over `extra`, as it
 * does when pg is handed the URL itself.
 *
 * The password: the URL's, else PGPASSWORD (pg reads it), else the matching line of ~/.pgpass
 * (or PGPASSFILE), looked up here. pg 8 still looks ~/.pgpass up itself, but prints a
 * deprecation warning on every connection that uses it (a rep saw it under every command), and
 * pg 9 drops it.
 */
export function pgConfig<T extends pg.ClientConfig>(location: string, extra: T = {} as T): T {
  const config = { ...extra, ...parse(location) } as T & Record<string, unknown>;
  // pg calls it with the connection's parameters as it resolved them (default host, port, user).
  if (!config.password && !process.env.PGPASSWORD) config.password = fromPgpass as unknown as () => Promise<string>;
  return config;
}

async function fromPgpass(params: Parameters<typeof import('pgpass').default>[0]): Promise<string | undefined> {
  const { default: pgpass } = await import('pgpass');
  return new Promise((resolve) => pgpass(params, resolve));
}
