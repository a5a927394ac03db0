import { Worker } from 'node:worker_threads';

/** What delivery needs of an SMTP transport (nodemailer's, in this thread or in a worker). */
export interface Mailer {
  sendMail(m: Record<string, unknown>): Promise<unknown>;
  verify(): Promise<unknown>;
  close(): void;
}

export type ThreadRequest = { id: number; op: 'send'; mail: Record<string, unknown> } | { id: number; op: 'verify' } | { op: 'close' };
/** One message's outcome (the worker posts them in arrays, those of one turn of its event loop together). */
export type ThreadReply = { id: number; error?: { message: string; code?: string; responseCode?: number; response?: string; command?: string } };

/**
 * A pooled nodemailer transport living in a worker thread (dist/smtp-worker.cjs), for the daemon:
 * its main thread then only claims, renders and marks, while the SMTP work of the messages in
 * flight runs on another core. The same pool (one transport, its maxConnections) and the same
 * messages in flight (the deliverer's concurrency) as in one thread. A failure comes back with
 * nodemailer's code, responseCode and response, so it is classified as in one thread. The worker
 * starts on the first message, holds the process open only while messages are in flight, and is
 * started again if it dies (what was in flight then fails, to be retried).
 */
export class ThreadMailer implements Mailer {
  private worker?: Worker;
  private pending = new Map<number, { resolve: () => void; reject: (err: Error) => void }>();
  private next = 0;
  private closed = false;

  constructor(private file: string, private options: Record<string, unknown>) {}

  sendMail(mail: Record<string, unknown>): Promise<unknown> {
    return this.call({ op: 'send', mail });
  }

  verify(): Promise<unknown> {
    return this.call({ op: 'verify' });
  }

  close(): void {
    this.closed = true;
    this.worker?.postMessage({ op: 'close' } satisfies ThreadRequest);
  }

  private call(req: { op: 'send'; mail: Record<string, unknown> } | { op: 'verify' }): Promise<void> {
    if (this.closed) return Promise.reject(new Error('the SMTP transport was closed'));
    const w = (this.worker ??= this.start());
    const id = ++this.next;
    return new Promise<void>((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      if (this.pending.size === 1) w.ref();
      w.postMessage({ id, ...req } satisfies ThreadRequest);
    });
  }

  private start(): Worker {
    // A young generation of 8 MB: with V8's default the thread's heap took the idle daemon's RSS
    // from 127 to 145 MB; at 8 MB it is 122 MB, for the same CPU a message (at 4 MB: 117 MB, ~10 % more CPU).
    const w = new Worker(this.file, { workerData: this.options, resourceLimits: { maxYoungGenerationSizeMb: 8 } });
    w.on('message', (answers: ThreadReply[]) => {
      for (const m of answers) {
        const p = this.pending.get(m.id);
        if (!p) continue;
        this.pending.delete(m.id);
        if (m.error) p.reject(Object.assign(new Error(m.error.message), m.error));
        else p.resolve();
      }
      if (this.pending.size === 0) w.unref();
    });
    w.on('error', (err) => this.lost(w, err));
    w.on('exit', (code) => this.lost(w, new Error(`the SMTP thread stopped (exit code ${code})`)));
    w.unref();
    return w;
  }

  /** The worker died: what it had in flight fails (not delivered as far as we know: retried), the next message starts another. */
  private lost(w: Worker, err: Error): void {
    if (this.worker !== w) return;
    this.worker = undefined;
    const pending = [...this.pending.values()];
    this.pending.clear();
    for (const p of pending) p.reject(err);
  }
}
