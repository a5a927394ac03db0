/**
 * Consent per channel (issue 20). A lead's consent to be contacted on a channel is the latest
 * entry of its history: granted, withdrawn, or unknown when there is none. Withdrawn is the same
 * thing as opted out: the store writes both together.
 */
export const CONSENT_CHANNELS = ['email', 'sms', 'whatsapp', 'call'] as const;
export type ConsentChannel = (typeof CONSENT_CHANNELS)[number];

export const CONSENT_STATES = ['granted', 'withdrawn'] as const;
export type ConsentState = (typeof CONSENT_STATES)[number];

/**
 * Where an entry came from: `form` a web form's consent checkbox, `import` a consent column of a
 * bulk import, `stop-reply` / `start-reply` an SMS or WhatsApp reply, `unsubscribe-link` a
 * campaign's link, `by-hand` a user (crm lead consent, crm notify opt-out), `api` an agent
 * (crm mcp) or a script, `migrated` an opt-out recorded before consent was kept.
 */
export const CONSENT_SOURCES = ['form', 'import', 'stop-reply', 'start-reply', 'unsubscribe-link', 'by-hand', 'api', 'migrated'] as const;
export type ConsentSource = (typeof CONSENT_SOURCES)[number];

export interface NewConsentEntry {
  leadId: number;
  channel: ConsentChannel;
  state: ConsentState;
  source: ConsentSource;
  at: string;
  /** The user who recorded it (by hand, an import); null for the person themselves (a form, a reply, a link). */
  userId: number | null;
  note?: string | null;
}

export interface ConsentEntry extends NewConsentEntry {
  id: number;
  /** The user's email, when a user recorded it. */
  user: string | null;
  note: string | null;
}

/** A channel's consent now: its latest entry, or unknown. */
export interface ChannelConsent {
  channel: ConsentChannel;
  state: ConsentState | 'unknown';
  source: ConsentSource | null;
  at: string | null;
  user: string | null;
}

export const isConsentChannel = (c: string): c is ConsentChannel => (CONSENT_CHANNELS as readonly string[]).includes(c);

/** Every channel's state from a lead's history (oldest first). */
export function currentConsent(history: ConsentEntry[]): ChannelConsent[] {
  return CONSENT_CHANNELS.map((channel) => {
    let last: ConsentEntry | undefined;
    for (const e of history) if (e.channel === channel) last = e;
    return last
      ? { channel, state: last.state, source: last.source, at: last.at, user: last.user }
      : { channel, state: 'unknown', source: null, at: null, user: null };
  });
}

const YES = new Set(['yes', 'y', 'true', 't', '1', 'granted', 'grant', 'given', 'opt-in', 'optin', 'opted-in', 'subscribed', 'on', 'x', 'ja', 'oui', 'si', 'sí', 'sim']);
const NO = new Set(['no', 'n', 'false', 'f', '0', 'withdrawn', 'withdraw', 'denied', 'refused', 'opt-out', 'optout', 'opted-out', 'unsubscribed', 'off', 'nein', 'non', 'não', 'nao']);

/** A consent cell or form value, leniently: true granted, false withdrawn, null empty, undefined not understood. */
export function consentValue(raw: unknown): boolean | null | undefined {
  if (raw === true || raw === false) return raw;
  if (raw === null || raw === undefined) return null;
  if (typeof raw === 'number') return raw === 1 ? true : raw === 0 ? false : undefined;
  const v = String(raw).trim().toLowerCase();
  if (v === '') return null;
  if (YES.has(v)) return true;
  if (NO.has(v)) return false;
  return undefined;
}
