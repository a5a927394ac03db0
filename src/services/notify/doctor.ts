import { statSync } from 'node:fs';
import type { Fix } from '../../errors.js';
import type { Store } from '../../store/types.js';
import { effectiveSetting } from '../settings/service.js';
import { maskUrlCredentials } from '../../io/mask.js';
import { Channels, postWebhook } from './channels.js';

export interface Check {
  check: string;
  ok: boolean;
  /** Not a failure (no exit 6), but something to fix: files other users can read. */
  warn?: boolean;
  detail: string;
  /** What to do about a failed check, worded by the command after the detail ("detail: fix"). */
  fix?: Fix;
}

type Env = Record<string, string | undefined>;

/**
 * Checks the store and every configured channel for real: SMTP verify, a Twilio account fetch, a
 * signed webhook ping. On a server store (PostgreSQL) also the server's version, row-level security
 * in force, the store's roles and who holds the daemon lock (Store.checkup).
 */
export async function runDoctor(store: Store, env: Env): Promise<Check[]> {
  const checks: Check[] = [];
  const settings = await store.settings.all();
  const get = (k: string) => effectiveSetting(settings, env, k);
  checks.push({ check: 'store', ok: true, detail: `${store.backend} ${store.location}` });
  // A server store: its server, row security, roles and daemon lock (SQLite: none).
  checks.push(...(await store.checkup()));
  checks.push(filesCheck(store.files.privatePaths()));
  const channels = new Channels(store, env);
  try {
    if (get('smtp.host')) {
      try {
        const t = await channels.smtp(settings);
        await t.verify();
        checks.push({ check: 'email', ok: true, detail: `SMTP ${get('smtp.host')}:${get('smtp.port')} accepts the connection${get('smtp.user') ? ' and the login' : ''}` });
        if (!get('smtp.from') && !get('smtp.user')) checks.push({ check: 'email', ok: false, detail: 'smtp.from is empty', fix: { id: 'config.smtp-from' } });
      } catch (err) {
        const e = err as Error & { code?: string };
        const fix = e.code === 'EAUTH' ? 'check smtp.user and CRM_SMTP_PASS / smtp.pass' : 'check smtp.host, smtp.port, smtp.secure and that the server is up';
        checks.push({ check: 'email', ok: false, detail: `SMTP ${get('smtp.host')}:${get('smtp.port')}: ${e.message}${e.code ? ` (${e.code})` : ''}; ${fix}` });
      }
    } else checks.push({ check: 'email', ok: true, detail: 'not configured (smtp.host is empty): email notifications are skipped' });

    if (get('twilio.account-sid')) {
      try {
        const client = await channels.twilioClient(settings);
        const account = await client.api.v2010.accounts(get('twilio.account-sid')).fetch();
        checks.push({ check: 'twilio', ok: true, detail: `account ${account.sid} (${account.friendlyName ?? ''}, ${account.status ?? 'status unknown'})` });
        for (const k of ['twilio.sms-from', 'twilio.whatsapp-from']) if (!get(k)) checks.push({ check: 'twilio', ok: true, detail: `${k} is empty: ${k.includes('sms') ? 'SMS' : 'WhatsApp'} is off` });
      } catch (err) {
        const e = err as Error & { status?: number };
        const fix = e.status === 401 ? 'check twilio.account-sid and CRM_TWILIO_AUTH_TOKEN / twilio.auth-token' : 'check twilio.api-url and the network';
        checks.push({ check: 'twilio', ok: false, detail: `${e.status ? `HTTP ${e.status}: ` : ''}${e.message}; ${fix}` });
      }
    } else checks.push({ check: 'twilio', ok: true, detail: 'not configured (twilio.account-sid is empty): SMS and WhatsApp are skipped' });

    const url = get('webhook.url');
    if (url) {
      try {
        const status = await postWebhook(url, JSON.stringify({ type: 'ping', at: new Date().toISOString() }), get('webhook.secret'), Number(get('webhook.timeout-ms')), 'doctor-ping');
        checks.push({ check: 'webhook', ok: true, detail: `${url} answered HTTP ${status}${get('webhook.secret') ? '' : ' (no webhook.secret: requests are unsigned)'}` });
      } catch (err) {
        checks.push({ check: 'webhook', ok: false, detail: `${(err as Error).message}; check webhook.url and the receiving server` });
      }
    } else checks.push({ check: 'webhook', ok: true, detail: 'not configured (webhook.url is empty)' });
  } finally {
    channels.close();
  }
  const depth = await store.outbox.depth();
  checks.push({ check: 'outbox', ok: depth.dead === 0, detail: `${depth.pending} pending, ${depth.failed} failed, ${depth.dead} dead`, ...(depth.dead ? { fix: { id: 'outbox.dead' } as const } : {}) });
  return checks.map((c) => ({ ...c, detail: maskUrlCredentials(c.detail) }));
}

/** The store's directory and files should be their owner's alone: they hold secrets (an older crm made them 0755/0644). */
function filesCheck(paths: string[]): Check {
  const dirs: string[] = [];
  const files: string[] = [];
  const shown: string[] = [];
  for (const path of paths) {
    let st;
    try {
      st = statSync(path);
    } catch {
      continue; // not there (no daemon yet, no WAL)
    }
    if ((st.mode & 0o077) === 0) continue;
    (st.isDirectory() ? dirs : files).push(path);
    shown.push(`${path} (${(st.mode & 0o777).toString(8).padStart(4, '0')})`);
  }
  if (!shown.length) return { check: 'files', ok: true, detail: 'the store and its files are readable by their owner only' };
  return { check: 'files', ok: true, warn: true, detail: `readable by other users of this machine: ${shown.join(', ')}`, fix: { id: 'files.chmod', dirs, files } };
}
