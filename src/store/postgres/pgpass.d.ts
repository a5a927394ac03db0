/** pgpass 1.x (brianc/node-pgpass, pg's own ~/.pgpass reader) ships no types. */
declare module 'pgpass' {
  /** Calls back with the password of the first ~/.pgpass (PGPASSFILE) line matching host, port, database and user, or undefined. */
  export default function pgpass(connInfo: { host?: string | null; port?: number | string | null; database?: string | null; user?: string | null }, cb: (password: string | undefined) => void): void;
}
