import { createServer, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';

export interface WaitOptions {
  /** Give up after this long: a guard against a hang, never what a test asserts. */
  timeoutMs?: number;
  /** What is awaited, in the error when it never comes ("all 25 sent"); a function is asked at the timeout. */
  what: string | (() => string);
  intervalMs?: number;
}

/**
 * The suite's one waiting loop: calls `check` until it returns something other than
 * `undefined` or `false`, and returns that. Tests wait on what a user would see (a row, a
 * file, a line on a screen), never on elapsed time; the timeout only turns a hang into an error.
 */
export async function waitFor<T>(check: () => T | undefined | false | Promise<T | undefined | false>, opts: WaitOptions): Promise<T> {
  const { timeoutMs = 15_000, what, intervalMs = 50 } = opts;
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const v = await check();
      if (v !== undefined && v !== false) return v;
      lastError = undefined;
    } catch (err) {
      lastError = err;
    }
    if (Date.now() > deadline) {
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${typeof what === 'function' ? what() : what}${lastError ? ` (last error: ${(lastError as Error).message})` : ''}`);
    }
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}

export interface RefusingServer {
  port: number;
  /** `http://127.0.0.1:<port>` */
  url: string;
  close(): Promise<void>;
}

/**
 * A port on loopback that is ours for the whole test and refuses every client: each connection
 * is closed as soon as it is accepted. Unlike a fixed port (9, "discard") or a port bound and
 * closed again, no other process can be listening there.
 */
export async function refusingServer(): Promise<RefusingServer> {
  const sockets = new Set<Socket>();
  const server: Server = createServer((s) => {
    s.on('error', () => undefined);
    s.destroy();
  });
  server.on('connection', (s) => sockets.add(s));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const { port } = server.address() as AddressInfo;
  return {
    port,
    url: `http://127.0.0.1:${port}`,
    close: () => new Promise<void>((r) => {
      for (const s of sockets) s.destroy();
      server.close(() => r());
    }),
  };
}
