import { CONSENT_CHANNELS, type ChannelConsent, type ConsentEntry } from '../../domain/consent.js';
import { UsageError } from '../../errors.js';
import { printJson } from '../../io/output.js';
import { leadConsent, parseConsentChannel, setConsent, type LeadConsent } from '../../services/consent/service.js';
import { parseId } from '../../services/leads/normalize.js';
import { formatTimestamp } from '../../io/format.js';
import { collect, examples, outputFlags, type Register } from '../shared.js';

/** The stable --json shape of a lead's consent (lead show's `consent`, lead consent). */
export function consentJson(c: LeadConsent) {
  return {
    leadId: c.leadId,
    channels: c.channels,
    history: c.history.map((e) => ({ id: e.id, channel: e.channel, state: e.state, source: e.source, at: e.at, user: e.user, note: e.note })),
  };
}

/** One channel as a line: "email  granted (form, 2026-12-01 10:00)". */
export function consentLine(c: ChannelConsent, tz?: string): string {
  if (c.state === 'unknown') return `${c.channel.padEnd(8)} unknown`;
  return `${c.channel.padEnd(8)} ${c.state} (${c.source}, ${formatTimestamp(c.at!, tz)}${c.user ? `, by ${c.user}` : ''})`;
}

export function consentEntryLine(e: ConsentEntry, tz?: string): string {
  return `${formatTimestamp(e.at, tz)}  ${e.channel} ${e.state} (${e.source}${e.user ? `, by ${e.user}` : ''})${e.note ? `: ${e.note}` : ''}`;
}

export const registerLeadConsent: Register = (parent, context) => {
  const cmd = parent
    .command('consent')
    .description("show or record a lead's consent per channel (email, sms, whatsapp, call)")
    .addHelpText('after', examples('crm lead consent 12', 'crm lead consent 12 --channel email --granted --note "asked at the fair"', 'crm lead consent 12 --channel sms,whatsapp --withdrawn'))
    .argument('<id>', 'lead id')
    .option('--channel <list>', `${CONSENT_CHANNELS.join(', ')} (comma-separated)`, collect)
    .option('--granted', 'the person agreed to be contacted on these channels')
    .option('--withdrawn', 'the person withdrew consent (opted out: nothing is sent on these channels)')
    .option('--note <text>', 'where or how, e.g. "by phone on 3 Dec"');
  outputFlags(cmd).action(async (rawId: string, opts: { channel?: string[]; granted?: boolean; withdrawn?: boolean; note?: string; json?: boolean }, c) => {
    const ctx = context(c);
    const id = parseId(rawId);
    if (opts.granted && opts.withdrawn) throw new UsageError('--granted and --withdrawn contradict each other', 'give one of them');
    const channels = (opts.channel ?? []).flatMap((s) => s.split(',')).map((s) => s.trim()).filter(Boolean).map(parseConsentChannel);
    let r: LeadConsent;
    if (opts.granted || opts.withdrawn) {
      if (!channels.length) throw new UsageError('no channel given', `pass --channel, e.g. --channel ${CONSENT_CHANNELS.join(',')}`);
      r = await setConsent(await ctx.services(), id, channels, opts.granted ? 'granted' : 'withdrawn', { note: opts.note });
    } else {
      if (channels.length || opts.note) throw new UsageError('say what the person did', 'pass --granted or --withdrawn (or neither --channel nor --note, to show the consent)');
      r = await leadConsent(await ctx.services(), id);
    }
    if (opts.json) return printJson(ctx.io, consentJson(r));
    const tz = ctx.timeZone;
    ctx.io.out(`Consent of lead ${r.leadId}`);
    for (const ch of r.channels) ctx.io.out(`  ${consentLine(ch, tz)}`);
    if (r.history.length) {
      ctx.io.out('');
      ctx.io.out('History');
      for (const e of r.history) ctx.io.out(`  ${consentEntryLine(e, tz)}`);
    }
  });
};
