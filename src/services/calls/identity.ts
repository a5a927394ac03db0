import { UsageError } from '../../errors.js';

/** A Client/SIP identity as the personal setting call.identity keeps it: client:NAME or sip:USER@HOST. */
export function normalizeIdentity(raw: string): string {
  const v = raw.trim();
  if (!v) return '';
  if (/^client:[\w.@-]{1,120}$/i.test(v) || /^sip:[^\s@]+@[^\s@]+$/i.test(v)) return v.replace(/^(client|sip):/i, (m) => m.toLowerCase());
  throw new UsageError(`invalid call.identity '${raw}'`, 'use client:NAME (a Twilio Client identity) or sip:user@host, or an empty value for your phone');
}
