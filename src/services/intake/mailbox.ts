import { createHash } from 'node:crypto';
import type { ImapFlow } from 'imapflow';
import type { ParsedMail } from 'mailparser';
import { ConflictError, ExternalServiceError, NotFoundError, UsageError, fieldRef, say, type Field, SuppressedError, SUPPRESSED_REFUSAL } from '../../errors.js';
import type { MailboxConfig, MailboxMessage, MailboxOutcome, MailboxPoll } from '../../domain/intake.js';
import type { User } from '../../domain/users.js';
import type { Store } from '../../store/types.js';
import { assertRole } from '../access.js';
import type { ServiceContext } from '../context.js';
import { settingsOf } from '../leads/service.js';
import { phoneNormalizer } from '../leads/normalize.js';
import { effectiveSetting, maskSecret } from '../settings/service.js';
import { connectImap, imapError, type ImapTarget } from './imap.js';
import { inquiryFacts, skipReason, type Address, type MailFacts } from './mail-parse.js';
import { isDue, nextDue as nextRun, parseEvery } from './schedule.js';
import { intakeActor, receiveInquiry } from './receive.js';
import { messageIdsOf, receiveTicketMail } from '../tickets/service.js';
import { ticketRef } from '../../domain/tickets.js';

/** One mailbox for now; the name keys its settings and polls so more can be added later. */
export const MAILBOX = 'default';
const PASS_SETTING = 'mailbox.pass';
const DEFAULT_SOURCE = 'Email';
const BATCH = 25;

export interface MailboxSetInput {
  imapHost?: string;
  port?: string | number;
  tls?: boolean;
  user?: string;
  folder?: string;
  every?: string;
  moveTo?: string;
  markSeen?: boolean;
  source?: string;
}

export interface MailboxView {
  host: string;
  port: number;
  tls: boolean;
  user: string;
  folder: string;
  every: string;
  everyMinutes: number;
  /** What happens to a handled message on the server. */
  after: string;
  moveTo: string | null;
  source: string | null;
  pass: string;
  actsAs: string;
  uidValidity: number | null;
  lastUid: number;
}

function portOf(raw: string | number): number {
  const n = Number(String(raw).trim());
  if (!Number.isInteger(n) || n < 1 || n > 65535) throw new UsageError(say`invalid ${fieldRef('port')} '${raw}'`, 'a port number such as 993 (TLS) or 143');
  return n;
}

function folderOf(raw: string, field: Field): string {
  const v = raw.trim();
  if (!v) throw new UsageError(say`${fieldRef(field)} is empty`, `name a folder such as ${field === 'folder' ? 'INBOX' : 'Processed'}`);
  return v;
}

/** Where handled messages are kept apart: pointing the mailbox elsewhere starts afresh. */
export const scopeOf = (c: Pick<MailboxConfig, 'user' | 'host' | 'port' | 'folder'>) => `${c.user}@${c.host}:${c.port}/${c.folder}`;

export async function setMailbox(ctx: ServiceContext, input: MailboxSetInput, env: Record<string, string | undefined> = {}): Promise<MailboxView> {
  const { store, actor, now } = ctx;
  assertRole(actor, ['admin', 'manager'], 'configure the mailbox');
  if (input.moveTo !== undefined && input.markSeen) throw new UsageError(say`${fieldRef('moveTo')} and ${fieldRef('markSeen')} exclude each other`, 'choose one: move handled messages to a folder, or mark them seen');
  return store.transaction(async () => {
    const old = await store.mailboxes.get(MAILBOX);
    const host = input.imapHost?.trim() ?? old?.host;
    if (!host || /\s/.test(host)) throw new UsageError(input.imapHost !== undefined ? say`invalid ${fieldRef('imapHost')} '${input.imapHost}'` : 'the mailbox needs an IMAP server', { id: 'pass', field: 'imapHost', value: 'imap.example.com' });
    const user = input.user?.trim() ?? old?.user;
    if (!user) throw new UsageError('the mailbox needs a user', { id: 'pass', field: 'user', value: 'leads@acme.example' });
    const tls = input.tls ?? old?.tls ?? true;
    const port = input.port !== undefined ? portOf(input.port) : old && (input.tls === undefined || input.tls === old.tls) ? old.port : tls ? 993 : 143;
    let sourceId = old?.sourceId ?? null;
    const sourceName = input.source ?? (old ? undefined : DEFAULT_SOURCE);
    if (sourceName !== undefined) {
      if (!sourceName.trim()) throw new UsageError(say`${fieldRef('source')} is empty`, { id: 'pass', field: 'source', value: DEFAULT_SOURCE });
      // Created on first use, like the marketplace's source.
      sourceId = ((await store.sources.byName(sourceName.trim())) ?? (await store.sources.insert(sourceName.trim()))).id;
    }
    const config = {
      name: MAILBOX, host, port, tls, user,
      folder: input.folder !== undefined ? folderOf(input.folder, 'folder') : (old?.folder ?? 'INBOX'),
      everyMinutes: input.every !== undefined ? parseEvery(input.every) : (old?.everyMinutes ?? 5),
      moveTo: input.markSeen ? null : input.moveTo !== undefined ? folderOf(input.moveTo, 'moveTo') : (old?.moveTo ?? null),
      sourceId, actorId: actor.id, updatedAt: now.toISOString(),
    };
    if (config.moveTo !== null && config.moveTo === config.folder) throw new UsageError(say`${fieldRef('moveTo')} names the polled folder`, 'move handled messages to another folder such as Processed');
    await store.mailboxes.put(config);
    if (old && scopeOf(old) !== scopeOf(config)) await store.mailboxes.setCursor(MAILBOX, null, 0);
    return view(store, (await store.mailboxes.get(MAILBOX))!, env);
  });
}

async function view(store: Store, c: MailboxConfig, env: Record<string, string | undefined>): Promise<MailboxView> {
  const users = await store.users.list();
  const source = c.sourceId === null ? null : ((await store.sources.list()).find((s) => s.id === c.sourceId)?.name ?? null);
  return {
    host: c.host, port: c.port, tls: c.tls, user: c.user, folder: c.folder,
    every: c.everyMinutes % 60 === 0 ? `${c.everyMinutes / 60}h` : `${c.everyMinutes}m`, everyMinutes: c.everyMinutes,
    after: c.moveTo ? `move to ${c.moveTo}` : 'mark seen', moveTo: c.moveTo, source,
    pass: maskSecret(PASS_SETTING, effectiveSetting(await store.settings.all(), env, PASS_SETTING)),
    actsAs: users.find((u) => u.id === c.actorId)?.email ?? `#${c.actorId}`, uidValidity: c.uidValidity, lastUid: c.lastUid,
  };
}

async function configOf(store: Store): Promise<MailboxConfig> {
  const c = await store.mailboxes.get(MAILBOX);
  if (!c) throw new NotFoundError('the mailbox is not configured', { id: 'mailbox.set' });
  return c;
}

export interface MailboxStatus {
  config: MailboxView | null;
  lastPoll: MailboxPoll | null;
  lastSuccess: MailboxPoll | null;
  /** Handled messages still to be marked seen or moved (a poll stopped in between). */
  pending: number;
  nextDue: string | null;
}

export async function mailboxStatus(ctx: Pick<ServiceContext, 'store' | 'now'>, env: Record<string, string | undefined> = {}): Promise<MailboxStatus> {
  const { store, now } = ctx;
  const c = await store.mailboxes.get(MAILBOX);
  const lastPoll = (await store.mailboxes.lastPoll(MAILBOX)) ?? null;
  const lastSuccess = (await store.mailboxes.lastPoll(MAILBOX, { okOnly: true })) ?? null;
  const nextDue = c ? nextRun(c.everyMinutes, lastPoll, now).toISOString() : null;
  return { config: c ? await view(store, c, env) : null, lastPoll, lastSuccess, pending: c ? (await store.mailboxes.pending(scopeOf(c))).length : 0, nextDue };
}

/** Whether the daemon should poll now (configured, and --every has passed since the last poll, failed or not). */
export async function mailboxDue(store: Store, now: Date): Promise<boolean> {
  const c = await store.mailboxes.get(MAILBOX);
  if (!c) return false;
  return isDue(c.everyMinutes, await store.mailboxes.lastPoll(MAILBOX), now);
}

export interface PolledMessage {
  uid: number;
  messageId: string | null;
  from: string | null;
  subject: string | null;
  outcome: MailboxOutcome;
  leadId: number | null;
  reason: string | null;
}

export interface MailboxPollResult {
  user: string;
  folder: string;
  dryRun: boolean;
  uidValidity: number;
  lastUid: number;
  fetched: number;
  created: number;
  reengaged: number;
  existing: number;
  junk: number;
  skipped: number;
  rejected: number;
  seen: number;
  /** Replies landed on their tickets (not counted as leads). */
  tickets: number;
  /** Messages marked seen or moved on the server by this poll (earlier polls' leftovers included). */
  finished: number;
  messages: PolledMessage[];
}

export interface PollOptions {
  dryRun?: boolean;
  /** Who acts: the CLI user, or (daemon) the user who configured the mailbox. */
  actor?: User;
  env?: Record<string, string | undefined>;
  timeoutMs?: number;
}

interface Fetched {
  uid: number;
  key: string;
  messageId: string | null;
  mail: MailFacts;
  date: string | null;
  to: string | null;
  inReplyTo: string | null;
  references: string[];
}

class DryRunDone extends Error {
  constructor() {
    super('dry run');
  }
}

const firstAddress = (a: ParsedMail['from']): Address | null => {
  const v = (Array.isArray(a) ? a[0] : a)?.value[0];
  return v?.address ? { address: v.address, name: v.name ?? '' } : null;
};

async function parse(uid: number, source: Buffer): Promise<Fetched> {
  const { simpleParser } = await import('mailparser');
  const p = await simpleParser(source, { skipImageLinks: true });
  const messageId = p.messageId?.trim() || null;
  return {
    uid, messageId,
    // Without a Message-ID the message's bytes identify it across a UIDVALIDITY change.
    key: messageId ?? `sha256:${createHash('sha256').update(source).digest('hex')}`,
    mail: { from: firstAddress(p.from), replyTo: firstAddress(p.replyTo), subject: p.subject?.trim() || null, text: p.text ?? '', headers: p.headers as Map<string, unknown> },
    date: p.date?.toISOString() ?? null,
    to: (Array.isArray(p.to) ? p.to.map((t) => t.text).join(', ') : p.to?.text) ?? null,
    inReplyTo: p.inReplyTo?.trim() || null,
    references: messageIdsOf(p.references),
  };
}

const addressOf = (raw: string) => (/<([^>]+)>/.exec(raw)?.[1] ?? raw).trim().toLowerCase();

/**
 * One poll (C5): log in, take the folder's unseen messages and those above the last UID seen,
 * and turn each into a lead, a timeline entry of a known contact, or a skip (auto-reply,
 * bounce, our own mail). Each message is recorded (UIDVALIDITY + UID, Message-ID) in the
 * transaction of its lead; only after the commit is it marked seen or moved, and the record
 * marked done. A poll killed in between leaves the message unseen but recorded: the next poll
 * skips it and finishes marking it. A changed UIDVALIDITY re-scans the unseen messages, and
 * a Message-ID handled before is never handled again. Connection, login and TLS failures are
 * recorded as a failed poll and thrown as ExternalServiceError (exit 6).
 */
export async function pollMailbox(store: Store, now: Date, opts: PollOptions = {}): Promise<MailboxPollResult> {
  const env = opts.env ?? {};
  const c = await configOf(store);
  const scope = scopeOf(c);
  let actor: User;
  if (opts.actor) {
    actor = opts.actor;
    assertRole(actor, ['admin', 'manager'], 'poll the mailbox');
  } else actor = await intakeActor(store, c.actorId);
  const at = now.toISOString();
  const result: MailboxPollResult = {
    user: c.user, folder: c.folder, dryRun: Boolean(opts.dryRun), uidValidity: c.uidValidity ?? 0, lastUid: c.lastUid,
    fetched: 0, created: 0, reengaged: 0, existing: 0, junk: 0, skipped: 0, rejected: 0, seen: 0, tickets: 0, finished: 0, messages: [],
  };
  const recordPoll = async (error: string | null) => {
    if (opts.dryRun) return;
    const { fetched, created, reengaged, existing, junk, skipped, rejected, seen } = result;
    await store.transaction(() => store.mailboxes.addPoll({
      mailbox: MAILBOX, startedAt: at, ok: error === null, fetched, created, reengaged, existing, junk, skipped, rejected, seen,
      uidValidity: result.uidValidity || null, lastUid: result.lastUid, error,
    }));
  };

  const pass = effectiveSetting(await store.settings.all(), env, PASS_SETTING);
  if (!pass) {
    const err = new UsageError(`the mailbox ${c.user} has no password`, { id: 'mailbox.pass' });
    await recordPoll(err.message);
    throw err;
  }
  const target: ImapTarget = { host: c.host, port: c.port, tls: c.tls, user: c.user, pass, timeoutMs: opts.timeoutMs };
  let client: ImapFlow | undefined;
  try {
    client = await connectImap(target);
    await pollWith(client, { store, actor, now }, c, scope, target, result, opts, env);
    await recordPoll(null);
    return result;
  } catch (err) {
    await recordPoll(err instanceof Error ? err.message : String(err));
    throw err;
  } finally {
    if (client) await client.logout().catch(() => client!.close());
  }
}

async function pollWith(
  client: ImapFlow, ctx: ServiceContext, c: MailboxConfig, scope: string, target: ImapTarget,
  result: MailboxPollResult, opts: PollOptions, env: Record<string, string | undefined>,
): Promise<void> {
  const { store } = ctx;
  // imapflow answers a refused STORE, MOVE or SEARCH with false rather than an error.
  const imap = async <T>(what: string, fn: () => Promise<T | false | undefined>): Promise<T> => {
    let r: T | false | undefined;
    try {
      r = await fn();
    } catch (err) {
      throw imapError(err, target, what);
    }
    if (r === false || r === undefined) throw new ExternalServiceError(`the IMAP server ${target.host}:${target.port} refused ${what.replace(/ (on|from)$/, '')}`, { id: 'mailbox.status' });
    return r;
  };
  if (c.moveTo && !opts.dryRun) {
    const folders = await imap('listing folders on', () => client.list());
    if (!folders.some((f) => f.path === c.moveTo)) await imap(`creating folder ${c.moveTo} on`, () => client.mailboxCreate(c.moveTo!));
  }
  let lock;
  try {
    lock = await client.getMailboxLock(c.folder);
  } catch (err) {
    const e = err as { responseText?: string };
    throw new ExternalServiceError(`cannot open folder ${c.folder} of ${c.user} on ${target.host}:${target.port}: ${e.responseText ?? (err as Error).message}`, { id: 'mailbox.folder', set: true });
  }
  try {
    const box = client.mailbox;
    if (!box) throw new ExternalServiceError(`folder ${c.folder} did not open`, { id: 'mailbox.folder', set: false });
    const validity = Number(box.uidValidity);
    const uidNext = Number(box.uidNext);
    result.uidValidity = validity;

    const finish = async (uids: number[]) => {
      if (!uids.length) return;
      const set = uids.join(',');
      if (c.moveTo) await imap(`moving messages to ${c.moveTo} on`, () => client.messageMove(set, c.moveTo!, { uid: true }));
      else await imap('marking messages seen on', () => client.messageFlagsAdd(set, ['\\Seen'], { uid: true }));
      await store.transaction(() => store.mailboxes.markDone(scope, validity, uids));
      result.finished += uids.length;
    };

    if (!opts.dryRun) {
      // Leftovers of a poll stopped after its commits: recorded, not yet marked. Under an old
      // UIDVALIDITY their UIDs mean nothing now; their Message-IDs catch them in the re-scan.
      const pending = await store.mailboxes.pending(scope);
      const stale = pending.filter((m) => m.uidValidity !== validity);
      for (const v of new Set(stale.map((m) => m.uidValidity))) await store.transaction(() => store.mailboxes.markDone(scope, v, stale.filter((m) => m.uidValidity === v).map((m) => m.uid)));
      await finish(pending.filter((m) => m.uidValidity === validity).map((m) => m.uid));
    }

    const fullScan = c.uidValidity !== validity;
    let lastUid = fullScan ? 0 : c.lastUid;
    if (fullScan) {
      // A first poll or a new UIDVALIDITY: the folder's old mail up to here is not "new"; its unseen messages are looked at below.
      lastUid = Math.max(0, uidNext - 1);
      if (!opts.dryRun) await store.transaction(() => store.mailboxes.setCursor(MAILBOX, validity, lastUid));
    }
    // The cursor moves at the end only: a message above it handled by a poll that stopped is found again, and skipped as handled.
    result.lastUid = lastUid;
    const unseen: number[] = await imap('searching', () => client.search({ seen: false }, { uid: true }));
    const newer: number[] = fullScan ? [] : await imap('searching', () => client.search({ uid: `${lastUid + 1}:*` }, { uid: true }));
    let uids = [...new Set([...unseen, ...newer.filter((u) => u > lastUid)])].sort((a, b) => a - b);
    const handled = await store.mailboxes.handled(scope, validity, uids);
    uids = uids.filter((u) => !handled.has(u));

    const settings = await settingsOf(store);
    const phone = await phoneNormalizer(settings.region);
    const stored = await store.settings.all();
    const own = [addressOf(effectiveSetting(stored, env, 'smtp.from')), c.user.includes('@') ? c.user : ''];
    const source = c.sourceId === null ? null : ((await store.sources.list()).find((s) => s.id === c.sourceId)?.name ?? null);
    const handle = (m: Fetched) => handleMessage(ctx, { c, scope, validity, m, own, source, phone });

    const dryBatch: Fetched[] = [];
    for (let i = 0; i < uids.length; i += BATCH) {
      const batch = uids.slice(i, i + BATCH);
      const got = await imap('fetching messages from', () => client.fetchAll(batch.join(','), { uid: true, source: true }, { uid: true }));
      const parsed: Fetched[] = [];
      for (const msg of got.sort((a, b) => a.uid - b.uid)) if (msg.source && msg.uid > 0) parsed.push(await parse(msg.uid, msg.source));
      result.fetched += parsed.length;
      if (opts.dryRun) {
        dryBatch.push(...parsed);
        continue;
      }
      const done: number[] = [];
      for (const m of parsed) {
        const r = await handle(m);
        count(result, r);
        if (r.recorded) done.push(m.uid);
      }
      await finish(done);
    }
    if (opts.dryRun) {
      // Everything in one transaction rolled back at the end: later messages see the leads earlier ones would make.
      await store.transaction(async () => {
        for (const m of dryBatch) count(result, await handle(m));
        throw new DryRunDone();
      }).catch((err: unknown) => {
        if (!(err instanceof DryRunDone)) throw err;
      });
    }
    result.lastUid = uids.reduce((max, u) => Math.max(max, u), lastUid);
    if (!opts.dryRun) await store.transaction(() => store.mailboxes.setCursor(MAILBOX, validity, result.lastUid));
  } finally {
    lock.release();
  }
}

interface Handled extends PolledMessage {
  /** Recorded by this poll (so it is to be marked seen or moved). */
  recorded: boolean;
}

function count(result: MailboxPollResult, r: Handled) {
  result.messages.push({ uid: r.uid, messageId: r.messageId, from: r.from, subject: r.subject, outcome: r.outcome, leadId: r.leadId, reason: r.reason });
  const key = ({ created: 'created', junk: 'junk', 're-engaged': 'reengaged', existing: 'existing', skipped: 'skipped', rejected: 'rejected', seen: 'seen', ticket: 'tickets' } as const)[r.outcome];
  result[key]++;
}

interface HandleArgs {
  c: Pick<MailboxConfig, 'user' | 'folder'>;
  scope: string;
  validity: number;
  m: Fetched;
  own: string[];
  source: string | null;
  phone: (raw: string) => string;
}

/** One message in its own transaction: its lead (or timeline entry, or skip) and its record commit together. */
async function handleMessage(ctx: ServiceContext, a: HandleArgs): Promise<Handled> {
  const { store, now } = ctx;
  const { m, c, scope, validity } = a;
  const at = now.toISOString();
  const base = { uid: m.uid, messageId: m.messageId, from: m.mail.from?.address ?? null, subject: m.mail.subject };
  const record = async (outcome: MailboxOutcome, leadId: number | null, reason: string | null): Promise<Handled> => {
    await store.mailboxes.record({ scope, uidValidity: validity, uid: m.uid, messageKey: m.key, leadId, outcome, reason, at, done: false });
    return { ...base, outcome, leadId, reason, recorded: true };
  };
  try {
    return await store.transaction(async () => {
      // Another poll (the daemon and a hand-run one) may have taken it meanwhile.
      if ((await store.mailboxes.handled(scope, validity, [m.uid])).size) return { ...base, outcome: 'seen', leadId: null, reason: 'handled by another poll', recorded: false };
      const before = await store.mailboxes.byKey(m.key);
      if (before) return record('seen', before.leadId, `handled before as UID ${before.uid} (UIDVALIDITY ${before.uidValidity}): ${before.outcome}`);
      const skip = skipReason(m.mail, a.own);
      if (skip) return record('skipped', null, skip.reason);
      // A reply to a ticket's mail lands on the ticket, not on a lead of its own.
      const ticketId = await receiveTicketMail(store, now, {
        messageId: m.messageId, inReplyTo: m.inReplyTo, references: m.references, from: m.mail.from?.address ?? null, subject: m.mail.subject, text: m.mail.text,
      });
      if (ticketId !== undefined) return record('ticket', (await store.tickets.get(ticketId))?.leadId ?? null, `reply to ticket ${ticketRef(ticketId)}`);
      const facts = inquiryFacts(m.mail, a.phone);
      const r = await receiveInquiry(ctx, {
        channel: 'email', ref: c.user,
        lead: { name: facts.name ?? undefined, businessName: facts.company, emails: facts.email ? [facts.email] : [], phones: facts.phones, source: a.source },
        message: { subject: m.mail.subject, text: facts.text || null },
        payload: {
          messageId: m.messageId, uid: m.uid, uidValidity: validity, folder: c.folder, date: m.date, to: m.to,
          from: m.mail.from, replyTo: m.mail.replyTo, subject: m.mail.subject, found: { name: facts.name, phones: facts.phones, company: facts.company },
        },
      });
      return record(r.outcome, r.lead.id, r.dropped.length ? `dropped ${r.dropped.join(', ')}` : null);
    });
  } catch (err) {
    // The lead rules refused it (nothing to make a lead from…): the failed transaction left
    // nothing; remember the message so it neither blocks the mailbox nor is retried forever.
    if (!(err instanceof UsageError || err instanceof ConflictError || err instanceof NotFoundError)) throw err;
    // An erased person's refusal names no one: the reason would keep what the erasure removed.
    return store.transaction(() => record('rejected', null, err instanceof SuppressedError ? SUPPRESSED_REFUSAL : err.message));
  }
}
