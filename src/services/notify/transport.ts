import type { Channel } from '../../domain/notify.js';
import { effectiveSetting } from '../settings/service.js';

type Env = Record<string, string | undefined>;

/** A required transport setting that is missing or invalid: what is wrong, and the setting that fixes it. */
export interface TransportProblem {
  setting: string;
  problem: string;
}

const ADDRESS = /^[^\s<>@]+@[^\s<>@]+$/;

/** The email sender: smtp.from, else smtp.user when it is an address. */
export function emailSender(settings: Record<string, string>, env: Env): string {
  return effectiveSetting(settings, env, 'smtp.from') || effectiveSetting(settings, env, 'smtp.user');
}

/**
 * What keeps a channel from delivering, from the settings alone (no network): empty when it can
 * send. The deliverer holds messages while a channel has a problem (they wait, not die), and
 * `campaign send` / `notify set` refuse with the same words (`secrets: false`: they may not see
 * the daemon's environment).
 */
export function transportProblems(channel: Channel, settings: Record<string, string>, env: Env, o: { secrets?: boolean } = {}): TransportProblem[] {
  const get = (k: string) => effectiveSetting(settings, env, k);
  const out: TransportProblem[] = [];
  switch (channel) {
    case 'inbox':
      break;
    case 'email': {
      if (!get('smtp.host')) out.push({ setting: 'smtp.host', problem: 'email is not configured (smtp.host is empty)' });
      const from = emailSender(settings, env);
      const bare = /<([^<>]+)>\s*$/.exec(from)?.[1] ?? from;
      if (!from) out.push({ setting: 'smtp.from', problem: 'smtp.from is empty' });
      else if (!ADDRESS.test(bare.trim())) out.push({ setting: 'smtp.from', problem: `the sender '${from}' (smtp.from, else smtp.user) is not an email address` });
      break;
    }
    case 'sms':
    case 'whatsapp': {
      if (!get('twilio.account-sid')) out.push({ setting: 'twilio.account-sid', problem: 'Twilio is not configured (twilio.account-sid is empty)' });
      // The CLI may not see the daemon's CRM_TWILIO_AUTH_TOKEN: only the deliverer checks secrets.
      if (o.secrets !== false && !get('twilio.auth-token')) out.push({ setting: 'twilio.auth-token', problem: 'twilio.auth-token is empty (or set CRM_TWILIO_AUTH_TOKEN)' });
      const fromKey = channel === 'sms' ? 'twilio.sms-from' : 'twilio.whatsapp-from';
      if (!get(fromKey)) out.push({ setting: fromKey, problem: `${fromKey} is empty` });
      const api = get('twilio.api-url');
      if (api && !validUrl(api)) out.push({ setting: 'twilio.api-url', problem: 'twilio.api-url is not an http(s) URL' });
      break;
    }
    case 'webhook': {
      const url = get('webhook.url');
      if (!url) out.push({ setting: 'webhook.url', problem: 'webhook.url is empty' });
      else if (!validUrl(url)) out.push({ setting: 'webhook.url', problem: 'webhook.url is not an http(s) URL' });
      break;
    }
  }
  return out;
}

function validUrl(s: string): boolean {
  try {
    return /^https?:$/.test(new URL(s).protocol);
  } catch {
    return false;
  }
}

/** The settings a held message waits on: when any changes, the deliverer retries what it holds. */
export function transportSignature(settings: Record<string, string>, env: Env): string {
  const keys = ['smtp.host', 'smtp.port', 'smtp.from', 'smtp.user', 'smtp.pass', 'smtp.secure', 'smtp.ignore-tls', 'twilio.account-sid', 'twilio.auth-token', 'twilio.sms-from', 'twilio.whatsapp-from', 'twilio.api-url', 'webhook.url'];
  return JSON.stringify(keys.map((k) => effectiveSetting(settings, env, k)));
}

/** Whether any of a channel's own settings is set: one set up in part is a mistake to refuse, one not set up at all is off. */
export function channelStarted(channel: Channel, settings: Record<string, string>, env: Env): boolean {
  const get = (k: string) => effectiveSetting(settings, env, k);
  switch (channel) {
    case 'inbox': return true;
    case 'email': return Boolean(get('smtp.host') || get('smtp.from'));
    case 'sms': return Boolean(get('twilio.account-sid') || get('twilio.sms-from'));
    case 'whatsapp': return Boolean(get('twilio.account-sid') || get('twilio.whatsapp-from'));
    case 'webhook': return Boolean(get('webhook.url'));
  }
}
