/**
 * The daemon's SMTP client in a worker thread (bundled as dist/smtp-worker.cjs; see
 * smtp-thread.ts): one pooled nodemailer transport, built from workerData, sends what the main
 * thread posts and answers each message with its outcome. nodemailer's work for a message
 * (composing, encoding, the SMTP dialogue) is most of a delivery's CPU; here it runs beside the
 * main thread's claiming, rendering and marking instead of between them.
 */
import { parentPort, workerData } from 'node:worker_threads';
import * as nodemailer from 'nodemailer';
import type { ThreadReply, ThreadRequest } from './smtp-thread.js';

const port = parentPort!;
const create = ((nodemailer as any).createTransport ?? (nodemailer as any).default.createTransport) as (o: unknown) => {
  sendMail(m: Record<string, unknown>): Promise<unknown>;
  verify(): Promise<unknown>;
  close(): void;
};
const transport = create(workerData);

/**
 * Answers are posted together, once per turn of the event loop: the SMTP replies read in one turn
 * wake the main thread once (a postMessage costs this thread tens of µs on a busy machine).
 */
let answers: ThreadReply[] = [];
function answer(reply: ThreadReply): void {
  if (answers.push(reply) === 1) {
    setImmediate(() => {
      port.postMessage(answers);
      answers = [];
    });
  }
}

port.on('message', (m: ThreadRequest) => {
  if (m.op === 'close') {
    // Idle connections say QUIT and close; once they have, nothing keeps the thread alive.
    transport.close();
    port.unref();
    return;
  }
  const work = m.op === 'verify' ? transport.verify() : transport.sendMail(m.mail);
  work.then(
    () => answer({ id: m.id }),
    (err: Error & { code?: unknown; responseCode?: unknown; response?: unknown; command?: unknown }) => {
      // What the main thread maps to a DeliveryError (channels.ts smtpError): plain values only.
      const error = { message: String(err?.message ?? err), code: typeof err?.code === 'string' ? err.code : undefined, responseCode: typeof err?.responseCode === 'number' ? err.responseCode : undefined, response: typeof err?.response === 'string' ? err.response : undefined, command: typeof err?.command === 'string' ? err.command : undefined };
      answer({ id: m.id, error });
    },
  );
});
