import type { OptOutChannel, OutboxMessage } from '../../domain/notify.js';
import type { Store } from '../../store/types.js';
import { Channels, DeliveryError } from '../notify/channels.js';
import { formatWhen } from '../notify/enqueue.js';
import { templateOf } from '../notify/rules.js';
import { renderTemplate, TemplateError, type TemplateFile } from '../notify/templates.js';
import { effectiveSetting } from '../settings/service.js';
import { transportSignature } from '../notify/transport.js';

export type Log = (level: 'info' | 'warn' | 'error', message: string) => void;

export interface DelivererOptions {
  store: Store;
  env: Record<string, string | undefined>;
  log?: Log;
  /** Messages claimed per round (default 50) and delivered at once (default 8). */
  batch?: number;
  concurrency?: number;
  /** How long a claimed message is reserved before another daemon may retry it (default 120 s). */
  leaseMs?: number;
}

const MAX_BACKOFF_MS = 6 * 3600_000;
/** A message held for a missing setting is looked at again at least this often (and at once when a transport setting changes). */
export const HOLD_RETRY_MS = 5 * 60_000;

/** Exponential backoff: base, 2×base, 4×base… capped at 6 h. */
export function backoffMs(baseSeconds: number, attempts: number): number {
  return Math.min(baseSeconds * 1000 * 2 ** Math.max(0, attempts - 1), MAX_BACKOFF_MS);
}

/**
 * Delivers due outbox messages (N2): claims a batch in one short transaction (pending → sending,
 * with a lease), delivers, and marks each sent, failed (retry at next_attempt_at) or dead.
 * A daemon killed mid-delivery leaves rows in 'sending'; when their lease expires they are
 * claimed again, so nothing is lost (at least once: see README "Delivery guarantee").
 */
/** Marks of delivered messages recorded in one transaction: at most this many, gathered for at most this long. */
const MARK_BATCH = 64;
const MARK_DELAY_MS = 20;

/** A claimed message waiting for a worker, with the opt-outs read for its batch. */
interface Claimed {
  msg: OutboxMessage;
  optOuts: Map<string, Promise<OptOutChannel[]>>;
}

export class Deliverer {
  readonly channels: Channels;
  private store: Store;
  private env: Record<string, string | undefined>;
  private log: Log;
  private batch: number;
  private concurrency: number;
  private leaseMs: number;
  private stopping = false;
  /** The transport settings when a message was last held: a change retries what is held. */
  private heldUnder?: string;
  /** Messages delivered and not yet recorded as sent: recorded together, one transaction a batch. */
  private marks: { id: number; at: string }[] = [];
  private marking: Promise<void> = Promise.resolve();
  private markTimer?: NodeJS.Timeout;

  constructor(o: DelivererOptions) {
    this.store = o.store;
    this.env = o.env;
    this.log = o.log ?? (() => {});
    this.batch = o.batch ?? 50;
    this.concurrency = o.concurrency ?? 8;
    this.leaseMs = o.leaseMs ?? 120_000;
    this.channels = new Channels(o.store, o.env);
  }

  /**
   * Delivers everything due at `now`: `concurrency` workers take messages from claimed batches,
   * the next batch claimed as soon as the last one is handed out (no waiting for its slowest
   * message). Returns how many were attempted (0: nothing was due).
   */
  async drain(now: Date): Promise<{ attempted: number; sent: number; failed: number }> {
    const at = now.toISOString();
    const lease = new Date(now.getTime() + this.leaseMs).toISOString();
    if (this.heldUnder !== undefined) {
      // Messages are held for a missing setting: once the transport settings change, they go now.
      const sig = transportSignature(await this.store.settings.all(), this.env);
      if (sig !== this.heldUnder) {
        this.heldUnder = undefined;
        const n = await this.store.transaction(() => this.store.outbox.wakeFailed(at));
        if (n) this.log('info', `transport settings changed: ${n} waiting message(s) retried now`);
      }
    }
    // The idle poll is one indexed read; the write lock is taken only when there is work.
    if (!(await this.store.outbox.hasDue(at))) return { attempted: 0, sent: 0, failed: 0 };
    const settings = await this.store.settings.all();
    const templates = new Map<string, TemplateFile>();
    const queue: Claimed[] = [];
    let exhausted = false;
    let claiming: Promise<void> | undefined;
    const refill = () => {
      claiming ??= this.store.transaction(() => this.store.outbox.claim(at, lease, this.batch)).then((claimed) => {
        if (claimed.length < this.batch) exhausted = true;
        // A recipient's opt-outs are read once for the batch (most of a batch goes to a few recipients), as its messages start.
        const optOuts = new Map<string, Promise<OptOutChannel[]>>();
        for (const msg of claimed) queue.push({ msg, optOuts });
        claiming = undefined;
      });
      return claiming;
    };
    let sent = 0;
    let failed = 0;
    const worker = async () => {
      for (;;) {
        // Stopping: finish the message in hand, start no other (drain() gives the rest back below).
        if (this.stopping) return;
        if (queue.length === 0) {
          if (exhausted || this.stopping) return;
          await refill();
          continue;
        }
        const { msg, optOuts } = queue.shift()!;
        if (await this.deliverOne(msg, settings, now, templates, optOuts)) sent++;
        else failed++;
      }
    };
    await refill();
    if (queue.length) await Promise.all(Array.from({ length: this.concurrency }, worker));
    await claiming;
    await this.flushMarks();
    if (queue.length) {
      // Stopping: what was claimed but not started goes back, so status does not show it 'sending'.
      const ids = queue.splice(0).map((c) => c.msg.id);
      await this.store.transaction(() => this.store.outbox.release(ids, new Date(now.getTime()).toISOString()));
    }
    return { attempted: sent + failed, sent, failed };
  }

  /** Stop claiming: drain() returns once the messages already claimed are delivered. */
  stop(): void {
    this.stopping = true;
  }

  private async deliverOne(
    msg: OutboxMessage, settings: Record<string, string>, now: Date, templates: Map<string, TemplateFile>,
    /** The opt-outs of the recipients of msg's batch, by recipient, read on first need. */
    optOuts: Map<string, Promise<OptOutChannel[]>>,
  ): Promise<boolean> {
    try {
      const template = msg.content ? undefined : templateOf(msg.rule);
      if (!msg.content && !template) throw new DeliveryError(`unknown rule '${msg.rule}' (written by another version of crm?)`, true);
      // Opted out after the message was queued: it is not delivered.
      if (msg.recipientKind !== 'webhook' && msg.recipientId !== null) {
        const who = `${msg.recipientKind}/${msg.recipientId}`;
        let list = optOuts.get(who);
        if (!list) optOuts.set(who, (list = this.store.optOuts.list(msg.recipientKind, msg.recipientId)));
        if ((await list).includes(msg.channel)) throw new DeliveryError(`the recipient opted out of ${msg.channel}`, true, 'opted-out');
      }
      const vars = msg.vars.at && msg.vars.date === undefined ? { ...formatWhen(msg.vars.at, settings['notify.timezone']), ...msg.vars } : msg.vars;
      const content = msg.content ?? renderTemplate(this.env, template!, msg.channel, vars, templates);
      await this.channels.send(msg, content, settings, now);
      this.markSent(msg.id, now.toISOString());
      this.log('info', `sent #${msg.id} ${msg.rule} by ${msg.channel}${msg.address ? ` to ${msg.address}` : ''}`);
      return true;
    } catch (err) {
      const e = err instanceof DeliveryError ? err : err instanceof TemplateError ? new DeliveryError(err.message, true) : new DeliveryError((err as Error).message ?? String(err), false);
      if (e.held) {
        // Nothing was tried: no attempt counted, never dead; due again soon, and at once when the settings change.
        const base = Number(effectiveSetting(settings, this.env, 'outbox.backoff-seconds'));
        // Backs off as it waits (as long again as it has waited), from outbox.backoff-seconds up to HOLD_RETRY_MS.
        const waited = now.getTime() - new Date(msg.createdAt).getTime();
        const retryAt = new Date(now.getTime() + Math.min(Math.max(base * 1000, waited), HOLD_RETRY_MS)).toISOString();
        await this.store.outbox.hold(msg.id, e.message, now.toISOString(), retryAt);
        this.heldUnder = transportSignature(settings, this.env);
        this.log('warn', `held #${msg.id} ${msg.rule} by ${msg.channel} (retry at ${retryAt}): ${e.message}`);
        return false;
      }
      const max = Number(effectiveSetting(settings, this.env, 'outbox.max-attempts'));
      const base = Number(effectiveSetting(settings, this.env, 'outbox.backoff-seconds'));
      const dead = e.permanent || msg.attempts >= max;
      const nowMs = now.getTime();
      const retryAt = dead ? null : new Date(nowMs + backoffMs(base, msg.attempts)).toISOString();
      await this.store.outbox.markFailed(msg.id, e.message, new Date(nowMs).toISOString(), retryAt, e.kind);
      this.log(dead ? 'error' : 'warn', `${dead ? 'dead' : 'failed'} #${msg.id} ${msg.rule} by ${msg.channel} (attempt ${msg.attempts}${dead ? '' : `, retry at ${retryAt}`}): ${e.message}`);
      return false;
    }
  }

  /**
   * Records a delivered message as sent with others delivered at about the same time: one
   * transaction for up to MARK_BATCH marks or what MARK_DELAY_MS gathers (one commit, one write
   * of a JSON store, instead of one per message). A daemon killed before the batch is recorded
   * leaves those messages 'sending', delivered again when their lease ends: at least once, as
   * before, only with a window of milliseconds more.
   */
  private markSent(id: number, at: string): void {
    this.marks.push({ id, at });
    if (this.marks.length >= MARK_BATCH) void this.flushMarks();
    else this.markTimer ??= setTimeout(() => void this.flushMarks(), MARK_DELAY_MS);
  }

  /** Records the marks gathered so far (and waits for those already on their way). */
  flushMarks(): Promise<void> {
    clearTimeout(this.markTimer);
    this.markTimer = undefined;
    const batch = this.marks.splice(0);
    if (batch.length) {
      this.marking = this.marking.then(() =>
        this.store.transaction(() => this.store.outbox.markSentMany(batch)).catch((err: Error) => {
          // Left 'sending': delivered again when the lease ends (at least once).
          this.log('error', `could not record ${batch.length} delivered message(s) as sent (they will be sent again when their lease ends): ${err.message}`);
        }),
      );
    }
    return this.marking;
  }

  close(): void {
    clearTimeout(this.markTimer);
    this.channels.close();
  }
}
