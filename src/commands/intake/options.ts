import { readFileSync } from 'node:fs';
import type { Context } from '../../context.js';
import type { EndpointEnv } from '../../services/intake/forms.js';

/** The environment, and the running daemon's address (written by it when it listens). */
export function where(ctx: Context): EndpointEnv {
  let daemonUrl: string | null = null;
  try {
    daemonUrl = (JSON.parse(readFileSync(ctx.files().daemon().http, 'utf8')) as { url?: string }).url ?? null;
  } catch {
    // not running, or not listening
  }
  return { env: ctx.env, daemonUrl };
}
