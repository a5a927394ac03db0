import type { OutboxMessage, Store } from '../../store/types.js';
import { Channels, DeliveryError } from '../notify/channels.js';
import { findRule } from '../notify/rules.js';
import { renderTemplate, TemplateError } from '../notify/templates.js';
import { effectiveSetting } from '../settings/service.js';

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
export class Deliverer {
  readonly channels: Channels;
  private store: Store;
  private env: Record<string, string | undefined>;
  private log: Log;
  private batch: number;
  private concurrency: number;
  private leaseMs: number;

  constructor(o: DelivererOptions) {
    this.store = o.store;
    this.env = o.env;
    this.log = o.log ?? (() => {});
    this.batch = o.batch ?? 50;
    this.concurrency = o.concurrency ?? 8;
    this.leaseMs = o.leaseMs ?? 120_000;
    this.channels = new Channels(o.store, o.env);
  }

  /** One round: returns how many messages were attempted (0: nothing was due). */
  async drain(now: Date): Promise<{ attempted: number; sent: number; failed: number }> {
    const at = now.toISOString();
    const claimed = await this.store.transaction(() => this.store.outbox.claim(at, new Date(now.getTime() + this.leaseMs).toISOString(), this.batch));
    if (claimed.length === 0) return { attempted: 0, sent: 0, failed: 0 };
    const settings = await this.store.settings.all();
    let sent = 0;
    let failed = 0;
    let next = 0;
    const worker = async () => {
      while (next < claimed.length) {
        const msg = claimed[next++]!;
        if (await this.deliverOne(msg, settings, now)) sent++;
        else failed++;
      }
    };
    await Promise.all(Array.from({ length: Math.min(this.concurrency, claimed.length) }, worker));
    return { attempted: claimed.length, sent, failed };
  }

  private async deliverOne(msg: OutboxMessage, settings: Record<string, string>, now: Date): Promise<boolean> {
    try {
      const rule = findRule(msg.rule);
      const content = renderTemplate(this.env, rule.template, msg.channel, msg.vars);
      await this.channels.send(msg, content, settings, now);
      await this.store.outbox.markSent(msg.id, now.toISOString());
      this.log('info', `sent #${msg.id} ${msg.rule} by ${msg.channel}${msg.address ? ` to ${msg.address}` : ''}`);
      return true;
    } catch (err) {
      const e = err instanceof DeliveryError ? err : err instanceof TemplateError ? new DeliveryError(err.message, true) : new DeliveryError((err as Error).message ?? String(err), false);
      const max = Number(effectiveSetting(settings, this.env, 'outbox.max-attempts'));
      const base = Number(effectiveSetting(settings, this.env, 'outbox.backoff-seconds'));
      const dead = e.permanent || msg.attempts >= max;
      const nowMs = now.getTime();
      const retryAt = dead ? null : new Date(nowMs + backoffMs(base, msg.attempts)).toISOString();
      await this.store.outbox.markFailed(msg.id, e.message, new Date(nowMs).toISOString(), retryAt);
      this.log(dead ? 'error' : 'warn', `${dead ? 'dead' : 'failed'} #${msg.id} ${msg.rule} by ${msg.channel} (attempt ${msg.attempts}${dead ? '' : `, retry at ${retryAt}`}): ${e.message}`);
      return false;
    }
  }

  close(): void {
    this.channels.close();
  }
}
