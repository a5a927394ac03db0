import { readFileSync } from 'node:fs';
import type { Context } from '../../context.js';
import { NotFoundError, UsageError } from '../../errors.js';
import { liveHolder } from '../../io/pidlock.js';
import { effectiveSetting } from '../../services/settings/service.js';

/** Sending is loaded only by the verbs that send, list or report (it is the heavy part). */
export const sendService = () => import('../../services/campaigns/send.js');

/** The flags `campaign create` and `campaign edit` share. */
export interface CampaignFieldFlags {
  name?: string;
  type?: string;
  to?: string;
  tag?: string;
  subject?: string;
  bodyFile?: string;
  json?: boolean;
}

export function campaignId(raw: string): number {
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1) throw new UsageError(`invalid campaign id '${raw}'`, 'ids are whole numbers (crm campaign list)');
  return n;
}

export function readBody(file: string | undefined): string | undefined {
  if (file === undefined) return undefined;
  try {
    return readFileSync(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') throw new NotFoundError(`no such body file '${file}'`, 'give the path of a text or Markdown file');
    throw new UsageError(`cannot read '${file}': ${(err as Error).message}`);
  }
}

/**
 * Where unsubscribe links point: http.public-url, else the running daemon's endpoint, else the
 * http.listen address (unless it is off or port 0, which only a running daemon can resolve).
 */
export async function linkBase(ctx: Context): Promise<string | undefined> {
  const settings = await (await ctx.store()).settings.all();
  const pub = effectiveSetting(settings, ctx.env, 'http.public-url');
  if (pub) return pub.replace(/\/+$/, '');
  try {
    const a = JSON.parse(readFileSync(ctx.files().daemon().http, 'utf8')) as { publicUrl: string; pid: number };
    if (liveHolder(ctx.files().daemon().pid)?.pid === a.pid) return a.publicUrl.replace(/\/+$/, '');
  } catch {
    // no daemon endpoint running
  }
  const listen = effectiveSetting(settings, ctx.env, 'http.listen');
  return listen === 'off' || /:0$/.test(listen) ? undefined : `http://${listen}`;
}
