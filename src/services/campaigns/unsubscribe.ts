import { isConsentChannel } from '../../domain/consent.js';
/**
 * Unsubscribe links (M1). A token names a lead and a channel and carries an HMAC-SHA256 of both
 * under the store's secret (campaign_secrets, made once by the migration), so a link cannot be
 * forged or pointed at another lead: `<leadId>.<channel>.<signature>`.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { Channel } from '../../domain/notify.js';
import type { Store } from '../../store/types.js';

const CHANNELS: Channel[] = ['email', 'sms', 'whatsapp'];

function sign(secret: string, leadId: number, channel: Channel): string {
  return createHmac('sha256', secret).update(`unsubscribe:${leadId}:${channel}`).digest('base64url').slice(0, 32);
}

export function unsubscribeToken(secret: string, leadId: number, channel: Channel): string {
  return `${leadId}.${channel}.${sign(secret, leadId, channel)}`;
}

/**
 * RFC 8058 headers of a campaign email: the https link, and a mailto: to the sender (when it is an
 * address) for mail clients that unsubscribe by email. Built when the message is delivered, from
 * the sender of that moment.
 */
export function listUnsubscribeHeaders(url: string, token: string, from: string): Record<string, string> {
  const address = /<([^<>]+)>\s*$/.exec(from)?.[1] ?? from.trim();
  const mailto = /^[^\s<>@]+@[^\s<>@]+$/.test(address) ? `, <mailto:${address}?subject=${encodeURIComponent(`unsubscribe ${token}`)}>` : '';
  return { 'List-Unsubscribe': `<${url}>${mailto}`, 'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click' };
}

/** The lead and channel a token names, or null if it is malformed or its signature is wrong. */
export function readUnsubscribeToken(secret: string, token: string): { leadId: number; channel: Channel } | null {
  const m = /^([1-9]\d{0,14})\.([a-z]+)\.([A-Za-z0-9_-]{32})$/.exec(token);
  if (!m || !CHANNELS.includes(m[2] as Channel)) return null;
  const leadId = Number(m[1]);
  const channel = m[2] as Channel;
  const want = Buffer.from(sign(secret, leadId, channel));
  const got = Buffer.from(m[3]!);
  return want.length === got.length && timingSafeEqual(want, got) ? { leadId, channel } : null;
}

export interface UnsubscribeTarget {
  leadId: number;
  name: string;
  channel: Channel;
  /** Already opted out of this channel before this request. */
  already: boolean;
}

/** Who a token unsubscribes (nothing changes): null for a bad token or a lead that no longer exists. */
export async function unsubscribeTarget(store: Store, token: string): Promise<UnsubscribeTarget | null> {
  const t = readUnsubscribeToken(await store.campaigns.secret(), token);
  if (!t) return null;
  const lead = await store.leads.get(t.leadId);
  if (!lead) return null;
  return { ...t, name: lead.name, already: (await store.optOuts.list('lead', t.leadId)).includes(t.channel) };
}

/**
 * Opts the token's lead out of its channel and writes the timeline entry; a second request
 * changes nothing (idempotent). Null for a bad token.
 */
export async function unsubscribe(store: Store, token: string, at: string, via: string): Promise<UnsubscribeTarget | null> {
  return store.transaction(async () => {
    const t = await unsubscribeTarget(store, token);
    if (!t || t.already) return t;
    if (isConsentChannel(t.channel)) await store.consent.record([{ leadId: t.leadId, channel: t.channel, state: 'withdrawn', source: 'unsubscribe-link', at, userId: null, note: via }]);
    else await store.optOuts.set('lead', t.leadId, t.channel, true, at);
    await store.activities.add({ leadId: t.leadId, type: 'opt-out', at, userId: null, body: `Unsubscribed from ${t.channel} campaigns (${via})`, data: { channel: t.channel, via } });
    return t;
  });
}
