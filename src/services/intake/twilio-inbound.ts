import { UsageError, SuppressedError, SUPPRESSED_REFUSAL } from '../../errors.js';
import type { IntakeLogEntry } from '../../domain/intake.js';
import type { Store } from '../../store/types.js';
import { phoneNormalizer } from '../leads/normalize.js';
import { settingsOf } from '../leads/service.js';
import { intakeActor, receiveInquiry } from './receive.js';
import { Refusal } from './forms.js';

/** Keywords that opt a sender out of the channel they wrote on (Twilio's standard list), and back in. */
export const STOP_WORDS = ['STOP', 'STOPALL', 'UNSUBSCRIBE', 'CANCEL', 'END', 'QUIT'];
export const START_WORDS = ['START', 'UNSTOP'];

/** Sources of leads created by an inbound message from an unknown number (created on first use). */
export const SOURCE_OF = { sms: 'SMS', whatsapp: 'WhatsApp' } as const;

export interface InboundResult {
  channel: 'sms' | 'whatsapp';
  result: IntakeLogEntry['result'];
  leadId: number | null;
  outcome: string | null;
  reason: string | null;
}

/**
 * One inbound SMS or WhatsApp message (Twilio's webhook parameters, signature already checked).
 * Idempotent on MessageSid. STOP words opt a known sender out of that channel, START words opt
 * them back in (each with a timeline entry; an unknown sender creates no lead for a keyword).
 * Anything else goes through receiveInquiry: a known number gets a timeline entry, an unknown
 * one becomes a lead with source SMS or WhatsApp.
 */
export async function receiveTwilioMessage(store: Store, now: Date, params: Record<string, string>): Promise<InboundResult> {
  const sid = params.MessageSid ?? params.SmsSid ?? '';
  if (!sid) throw new Refusal(400, 'no MessageSid: not an inbound message webhook');
  const rawFrom = params.From ?? '';
  const channel = /^whatsapp:/i.test(rawFrom) ? 'whatsapp' : 'sms';
  const from = rawFrom.replace(/^whatsapp:/i, '').trim();
  if (!from) throw new Refusal(400, 'no From number');
  const at = now.toISOString();
  const settings = await settingsOf(store);
  let phone: string;
  try {
    phone = (await phoneNormalizer(settings.region))(from);
  } catch {
    throw new Refusal(400, `the From number '${from}' is not a valid phone number`);
  }
  const actor = await intakeActor(store);
  return store.transaction(async () => {
    if (await store.inboundMessages.has(sid)) return { channel, result: 'duplicate', leadId: null, outcome: null, reason: `message ${sid} was received before` };
    const body = (params.Body ?? '').trim();
    const word = body.toUpperCase();
    const keyword = STOP_WORDS.includes(word) ? 'stop' : START_WORDS.includes(word) ? 'start' : null;
    const media = Number(params.NumMedia ?? 0) || 0;
    const mediaUrls = Array.from({ length: Math.min(media, 10) }, (_, i) => params[`MediaUrl${i}`]).filter(Boolean);
    let res: InboundResult;
    if (keyword) {
      // Every live lead with this number: the person asked, whichever lead record they are on.
      const leadIds = [...new Set((await store.leads.matchContacts([], [phone])).filter((m) => !m.deleted).map((m) => m.id))];
      const result = keyword === 'stop' ? 'opt-out' : 'opt-in';
      const label = channel === 'sms' ? 'SMS' : 'WhatsApp';
      for (const leadId of leadIds) {
        await store.consent.record([{ leadId, channel, state: keyword === 'stop' ? 'withdrawn' : 'granted', source: keyword === 'stop' ? 'stop-reply' : 'start-reply', at, userId: null, note: word }]);
        await store.activities.add({
          leadId, type: result, at, userId: actor.id,
          body: `${word} by ${label} from ${phone}: ${keyword === 'stop' ? 'opted out of' : 'opted back in to'} ${label} messages`,
          data: { channel, word, from: phone, messageSid: sid },
        });
      }
      res = { channel, result, leadId: leadIds[0] ?? null, outcome: null, reason: leadIds.length ? null : `${word} from ${phone}, who is no lead: nothing to change` };
    } else {
      const sourceName = SOURCE_OF[channel];
      const source = (await store.sources.byName(sourceName)) ?? (await store.sources.insert(sourceName));
      const text = [body || null, mediaUrls.length ? `${media} attachment(s): ${mediaUrls.join(' ')}` : null].filter(Boolean).join('\n') || null;
      try {
        const r = await receiveInquiry({ store, actor, now }, {
          channel, ref: (params.To ?? '').replace(/^whatsapp:/i, '') || null,
          lead: { name: params.ProfileName?.trim() || undefined, phones: [phone], source: source.name },
          message: { text },
          payload: params,
        });
        res = { channel, result: 'accepted', leadId: r.lead.id, outcome: r.outcome, reason: null };
      } catch (err) {
        if (err instanceof SuppressedError) throw new Refusal(409, SUPPRESSED_REFUSAL);
        if (err instanceof UsageError) throw new Refusal(422, err.message);
        throw err;
      }
    }
    await store.inboundMessages.mark(sid, res.leadId, at);
    return res;
  });
}
