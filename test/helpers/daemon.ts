import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { teamHome, type Home } from './cli.js';
import type { Smtp } from './notify-servers.js';
import { waitFor } from './wait.js';

/** The daemon runs on the real clock (the harness's fixed CRM_NOW would freeze its scheduler). */
export const LIVE = { env: { CRM_NOW: '' } };

/**
 * Homes and servers a daemon test made, and the teardown that leaves no daemon behind: a stop,
 * then SIGKILL for one killed -9 and never restarted or one that ignored SIGTERM.
 */
export function daemonTracker() {
  let homes: Home[] = [];
  let servers: Smtp[] = [];
  return {
    home<T extends Home>(h: T): T {
      homes.push(h);
      return h;
    },
    server<T extends Smtp>(s: T): T {
      servers.push(s);
      return s;
    },
    get homes() {
      return homes;
    },
    get servers() {
      return servers;
    },
    async teardown(): Promise<void> {
      for (const h of homes) {
        await h.run(['daemon', 'stop'], LIVE);
        const pidFile = join(h.dir, 'crm.db.daemon.pid');
        if (existsSync(pidFile)) {
          try {
            process.kill(JSON.parse(readFileSync(pidFile, 'utf8')).pid, 'SIGKILL');
          } catch {
            // already gone
          }
        }
        h.cleanup();
      }
      for (const s of servers) await s.stop();
      homes = [];
      servers = [];
    },
  };
}

/** The base URL of a running daemon's HTTP endpoint (tests listen on port 0: the daemon writes where it bound). */
export async function daemonHttpUrl(h: Home, timeoutMs = 10_000): Promise<string> {
  const file = join(h.dir, 'crm.db.daemon.http.json');
  // A file half written throws in JSON.parse: waitFor asks again.
  return waitFor(() => existsSync(file) && (JSON.parse(readFileSync(file, 'utf8')) as { url: string }).url, { timeoutMs, what: `the HTTP endpoint of the daemon of ${h.dir}` });
}

/** A team home with a web form `web` (made with `formArgs`) and its daemon running: the form's token and the daemon's URL. */
export async function formDaemon(tracked: ReturnType<typeof daemonTracker>, formArgs: string[] = []): Promise<{ h: Home; url: string; token: string }> {
  const h = tracked.home(await teamHome());
  const token = /Token:\s+(\S+)/.exec(await h.ok(['intake', 'form', 'add', 'web', ...formArgs]))![1]!;
  await h.ok(['daemon', 'start'], LIVE);
  return { h, url: await daemonHttpUrl(h), token };
}
