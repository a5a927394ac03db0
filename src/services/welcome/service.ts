/**
 * The welcome message to a new lead (C6): per source and/or intake channel, a template from
 * templates/welcome/ (overridable like notification templates: $CRM_HOME/templates/welcome, or
 * ~/.config/crm/templates/welcome) rendered when the lead arrives and queued in the outbox as a
 * pre-rendered message, in the lead's transaction. An attachment (a brochure) is read and checked
 * when the rule is set and kept in the store, so the daemon does not depend on the file.
 */
import { readFileSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { NotFoundError, UsageError, fieldRef, say } from '../../errors.js';
import { messagingPhone } from '../../domain/leads.js';
import type { Lead } from '../../domain/leads.js';
import type { WelcomeRule } from '../../domain/routing.js';
import type { Store } from '../../store/types.js';
import { assertRole } from '../access.js';
import type { ServiceContext } from '../context.js';
import { findSource } from '../lookup.js';
import { channelConfigured } from '../notify/enqueue.js';
import { fill, templateDirs, TemplateError } from '../notify/templates.js';
import { readAttachment } from '../attachments.js';

export const WELCOME_CHANNELS = ['email', 'sms', 'whatsapp'] as const;
export type WelcomeChannel = (typeof WELCOME_CHANNELS)[number];
/** Intake channels a rule may name (--via); 'manual' is never welcomed (only inquiries are). */
export const WELCOME_VIA = ['form', 'chat', 'sms', 'whatsapp', 'email', 'marketplace'] as const;
export const MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024;


/** Renders a welcome template: <name>.email.txt (first line "Subject: …") or <name>.<channel>.txt / <name>.txt. */
export function renderWelcome(env: Record<string, string | undefined>, name: string, channel: WelcomeChannel, vars: Record<string, string>): { subject: string; text: string; file: string } {
  const dirs = templateDirs(env).map((d) => join(dirname(d), 'welcome'));
  const names = channel === 'email' ? [`${name}.email.txt`, `${name}.txt`] : [`${name}.${channel}.txt`, `${name}.txt`];
  let file: string | undefined;
  for (const d of dirs) for (const n of names) {
    if (file) break;
    try {
      if (statSync(join(d, n)).isFile()) file = join(d, n);
    } catch {
      // not in this directory
    }
  }
  if (!file) throw new TemplateError(`no welcome template ${names.join(' or ')} in ${dirs.join(', ')}`);
  const raw = readFileSync(file, 'utf8').replace(/\r\n/g, '\n');
  const m = /^Subject:[ \t]*(.*)\n/i.exec(raw);
  const body = m ? raw.slice(m[0].length).replace(/^\n/, '') : raw;
  const text = fill(body, vars, file).trimEnd();
  const subject = m ? fill(m[1]!, vars, file).trim() : (text.split('\n')[0] ?? '').slice(0, 120);
  return { subject, text, file };
}

export interface WelcomeSetInput {
  source?: string;
  via?: string;
  channel?: string;
  template?: string;
  attach?: string;
  env: Record<string, string | undefined>;
  /** Relative --attach paths are read from here (the CLI's working directory). */
  cwd?: string;
}

export interface WelcomeView {
  id: number;
  source: string;
  via: string;
  channel: string;
  template: string;
  attachment: string | null;
  attachmentBytes: number | null;
  /** Whether the channel's transport is configured (else nothing is queued). */
  channelReady: boolean;
}

const view = (w: WelcomeRule, settings: Record<string, string>): WelcomeView => ({
  id: w.id, source: w.source || '*', via: w.via || '*', channel: w.channel, template: w.template,
  attachment: w.attachment?.filename ?? null, attachmentBytes: w.attachment?.size ?? null, channelReady: channelConfigured(w.channel, settings),
});

function channelOf(raw: string | undefined): WelcomeChannel {
  const c = raw?.trim().toLowerCase();
  if (!c) throw new UsageError('a welcome needs a channel', { id: 'pass', field: 'channel', value: WELCOME_CHANNELS.join(' | ') });
  if (!(WELCOME_CHANNELS as readonly string[]).includes(c)) throw new UsageError(say`invalid ${fieldRef('channel')} '${raw}'`, `use one of: ${WELCOME_CHANNELS.join(', ')}`);
  return c as WelcomeChannel;
}

async function scopeOf(store: Store, input: { source?: string; via?: string }): Promise<{ source: string; via: string }> {
  const source = input.source?.trim() ? (await findSource(store, input.source.trim())).name : '';
  const via = input.via?.trim().toLowerCase() ?? '';
  if (via && !(WELCOME_VIA as readonly string[]).includes(via)) throw new UsageError(say`invalid ${fieldRef('via')} '${input.via}'`, `use one of: ${WELCOME_VIA.join(', ')}`);
  return { source, via };
}

export async function setWelcome(ctx: ServiceContext, input: WelcomeSetInput): Promise<WelcomeView> {
  const { store, actor, now } = ctx;
  assertRole(actor, ['admin', 'manager', 'marketing'], 'configure welcome messages');
  const channel = channelOf(input.channel);
  const template = input.template?.trim();
  if (!template) throw new UsageError('a welcome needs a template', { id: 'welcome.template' });
  if (!/^[\w.-]+$/.test(template)) throw new UsageError(say`invalid ${fieldRef('template')} '${input.template}'`, 'a template name such as welcome, not a path');
  try {
    renderWelcome(input.env, template, channel, { contact_name: 'Test', business_name: '', rep: 'Test', lead_id: '1', source: input.source ?? '' });
  } catch (err) {
    if (err instanceof TemplateError) throw new UsageError(err.message, `create it, e.g. ${join(input.env.CRM_HOME ? resolve(input.env.CRM_HOME) : '~/.config/crm', 'templates', 'welcome', `${template}.${channel === 'email' ? 'email.' : ''}txt`)}`);
    throw err;
  }
  let attachment: WelcomeRule['attachment'] = null;
  let data: Buffer | null = null;
  if (input.attach !== undefined) {
    if (channel !== 'email') throw new UsageError(`an attachment goes by email only, not ${channel}`, { id: 'welcome.attach' });
    const path = resolve(input.cwd ?? process.cwd(), input.attach);
    const file = readAttachment(path, MAX_ATTACHMENT_BYTES, 'attach a smaller file (mail servers refuse big messages), or link to it in the template');
    data = file.content;
    attachment = { filename: file.filename, contentType: file.contentType, size: data.length };
  }
  return store.transaction(async () => {
    const scope = await scopeOf(store, input);
    const id = await store.welcome.put({ ...scope, channel, template, attachment, attachmentData: data, createdBy: actor.id }, now.toISOString());
    return view((await store.welcome.list()).find((w) => w.id === id)!, await store.settings.all());
  });
}

export async function listWelcome(ctx: Pick<ServiceContext, 'store'>): Promise<WelcomeView[]> {
  const settings = await ctx.store.settings.all();
  return (await ctx.store.welcome.list()).map((w) => view(w, settings));
}

/** Removes the rules of a scope (one channel, or all its channels). */
export async function removeWelcome(ctx: ServiceContext, input: { source?: string; via?: string; channel?: string }): Promise<WelcomeView[]> {
  assertRole(ctx.actor, ['admin', 'manager', 'marketing'], 'configure welcome messages');
  return ctx.store.transaction(async () => {
    const scope = await scopeOf(ctx.store, input);
    const channel = input.channel !== undefined ? channelOf(input.channel) : undefined;
    const gone = (await listWelcome(ctx)).filter((w) => (w.source === (scope.source || '*')) && w.via === (scope.via || '*') && (!channel || w.channel === channel));
    if (!gone.length) throw new NotFoundError(`no welcome for source ${scope.source || '*'}, via ${scope.via || '*'}${channel ? `, by ${channel}` : ''}`, { id: 'welcome.list' });
    for (const w of gone) await ctx.store.welcome.remove(w.id);
    return gone;
  });
}

/**
 * Queues the welcome(s) of a new lead (call inside the lead's transaction): per message channel,
 * the most specific rule (source and via, then source, then via, then neither) whose source and
 * intake channel fit. Skipped: no address for the channel, the transport not configured, the lead
 * opted out. Idempotent per lead and channel (outbox key). Returns the channels queued.
 */
export async function queueWelcome(store: Store, lead: Lead, via: string, at: string, env: Record<string, string | undefined>, actorId: number | null): Promise<string[]> {
  const rules = await store.welcome.list();
  if (!rules.length) return [];
  const fits = rules.filter((w) => (!w.source || w.source.toLowerCase() === (lead.source ?? '').toLowerCase()) && (!w.via || w.via === via));
  if (!fits.length) return [];
  const settings = await store.settings.all();
  const optedOut = await store.optOuts.list('lead', lead.id);
  const queued: string[] = [];
  for (const channel of WELCOME_CHANNELS) {
    const rule = fits.filter((w) => w.channel === channel).sort((a, b) => Number(Boolean(b.source)) * 2 + Number(Boolean(b.via)) - (Number(Boolean(a.source)) * 2 + Number(Boolean(a.via))))[0];
    if (!rule) continue;
    const address = channel === 'email' ? lead.emails[0] : messagingPhone(lead.phones);
    let skipped: string | null = null;
    if (!address) skipped = `no ${channel === 'email' ? 'email' : 'phone'}`;
    else if (optedOut.includes(channel)) skipped = `opted out of ${channel}`;
    else if (!channelConfigured(channel, settings)) skipped = `${channel} is not configured`;
    let content: { subject: string; text: string } | undefined;
    if (!skipped) {
      try {
        const r = renderWelcome(env, rule.template, channel, {
          contact_name: lead.name, business_name: lead.businessName ?? '', lead_id: String(lead.id), source: lead.source ?? '',
          rep: lead.assignees.map((a) => a.name).join(', ') || 'our team', recipient: lead.name, stage: lead.stage,
        });
        content = { subject: r.subject, text: r.text };
      } catch (err) {
        // A template removed or broken after it was configured must not refuse the inquiry.
        if (!(err instanceof TemplateError)) throw err;
        skipped = err.message;
      }
    }
    if (skipped || !content) {
      await store.activities.add({ leadId: lead.id, type: 'welcome', at, userId: actorId, data: { channel, template: rule.template, skipped } });
      continue;
    }
    const data = rule.attachment ? await store.welcome.attachmentData(rule.id) : undefined;
    const key = `welcome/lead${lead.id}/${channel}`;
    const n = await store.outbox.enqueue([{
      key, rule: 'welcome', channel, recipientKind: 'lead', recipientId: lead.id, address: address!, leadId: lead.id, vars: {}, content,
      ...(rule.attachment && data ? { attachments: [{ filename: rule.attachment.filename, contentType: rule.attachment.contentType, content: data.toString('base64'), encoding: 'base64' as const }] } : {}),
    }], at);
    if (n) {
      queued.push(channel);
      await store.activities.add({ leadId: lead.id, type: 'welcome', at, userId: actorId, body: content.subject, data: { channel, template: rule.template, to: address, key, attachment: rule.attachment?.filename ?? null } });
    }
  }
  return queued;
}
