import { INTAKE_ROUTES } from './intake.js';
import { portalRoutes } from './portal.js';
import type { Route } from './types.js';
import { unsubscribePage, unsubscribePost } from './unsubscribe.js';

/** GET /health: a load balancer's or a script's check that the daemon answers. */
const health: Route = {
  name: 'health',
  method: 'GET',
  pattern: /^\/health$/,
  async handle(_req, _m, deps) {
    return { status: 200, body: { ok: true, at: deps.now().toISOString() } };
  },
};

/** Every route the daemon serves, matched in order. */
export const ROUTES: Route[] = [health, ...INTAKE_ROUTES, unsubscribePage, unsubscribePost, ...portalRoutes()];
