import { join } from 'node:path';
import { portalRoutes } from '../../src/daemon/http/portal.js';
import { HttpServer } from '../../src/daemon/http/server.js';
import { RateLimiter } from '../../src/services/portal/service.js';
import { FIXED_NOW, type TestTeam } from './store.js';

/**
 * The daemon's HTTP server with the portal's routes only, in process, on a free loopback port:
 * at most `limit` sign-in requests a minute per address, the clock `now()` (FIXED_NOW by default).
 */
export async function startPortal(t: TestTeam, o: { limit?: number; now?: () => Date } = {}): Promise<{ server: HttpServer; url: string }> {
  const server = new HttpServer({
    deps: { store: t.store, env: { CRM_HTTP_LISTEN: '127.0.0.1:0' }, log: () => undefined, now: o.now ?? (() => FIXED_NOW) },
    routes: portalRoutes(new RateLimiter(o.limit ?? 10, 60_000)),
    addressFile: join(t.dir, 'http.json'),
  });
  return { server, url: (await server.start())! };
}

/** The Set-Cookie header of a reply that sets `name`, whole (attributes included). */
export const cookieOf = (r: Response, name: string) => r.headers.getSetCookie().find((c) => c.startsWith(`${name}=`));
/** The CSRF token of the form in a page. */
export const csrfIn = async (r: Response) => /name="csrf" value="([^"]+)"/.exec(await r.text())![1]!;
