import hoodiecrow from 'hoodiecrow-imap';
import type { AddressInfo } from 'node:net';

/**
 * A real IMAP server on loopback for the real imapflow client: hoodiecrow (by imapflow's
 * author), in memory, one account. Messages are added as the mail system would deliver them;
 * a UIDVALIDITY change is what a server does when it rebuilds a folder's index.
 */
export interface FakeImap {
  host: string;
  port: number;
  user: string;
  pass: string;
  /** Delivers a message to a folder (INBOX by default); returns its UID. */
  deliver(raw: string, opts?: { folder?: string; flags?: string[] }): number;
  messages(folder?: string): { uid: number; flags: string[]; raw: string }[];
  /** Sets a message's flags (a person marking it read or unread). */
  setFlags(uid: number, flags: string[], folder?: string): void;
  /** The server rebuilds the folder: a new UIDVALIDITY and UIDs from 1 again. */
  rebuild(uidValidity: number, folder?: string): void;
  /** Makes UID STORE (marking seen) fail until restored. */
  refuseStore(refuse: boolean): void;
  close(): Promise<void>;
}

export async function fakeImap(opts: { user?: string; pass?: string; secure?: boolean; uidValidity?: number } = {}): Promise<FakeImap> {
  const user = opts.user ?? 'leads@acme.example';
  const pass = opts.pass ?? 'imap-secret';
  const server = hoodiecrow({
    plugins: ['ID', 'UNSELECT', 'ENABLE', 'NAMESPACE'],
    users: { [user]: { password: pass } },
    secureConnection: Boolean(opts.secure),
    storage: { INBOX: { uidvalidity: opts.uidValidity ?? 1000, messages: [] }, '': { separator: '/', folders: {} } },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.server.address() as AddressInfo).port;
  const box = (folder = 'INBOX') => {
    const b = server.getMailbox(folder);
    if (!b) throw new Error(`no folder ${folder} on the test IMAP server`);
    return b;
  };
  const uidStore = server.getCommandHandler('UID STORE');
  return {
    host: '127.0.0.1', port, user, pass,
    deliver(raw, o = {}) {
      server.appendMessage(box(o.folder).path, o.flags ?? [], new Date('2026-11-23T08:00:00Z'), Buffer.from(raw.replace(/\r?\n/g, '\r\n'), 'utf8').toString('binary'));
      const msgs = box(o.folder).messages;
      return msgs[msgs.length - 1]!.uid;
    },
    messages: (folder) => box(folder).messages.map((m) => ({ uid: m.uid, flags: [...m.flags], raw: m.raw })),
    setFlags(uid, flags, folder) {
      box(folder).messages.find((m) => m.uid === uid)!.flags = [...flags];
    },
    rebuild(uidValidity, folder) {
      const b = box(folder);
      b.uidvalidity = uidValidity;
      b.messages.forEach((m, i) => (m.uid = i + 1));
      b.uidnext = b.messages.length + 1;
    },
    refuseStore(refuse) {
      server.setCommandHandler('UID STORE', refuse
        ? (connection, parsed, data, callback) => {
          connection.send({ tag: parsed.tag, command: 'NO', attributes: [{ type: 'TEXT', value: 'STORE refused by the test' }] }, 'UID STORE', parsed, data);
          callback();
        }
        : uidStore as never);
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

let counter = 0;
/** An email as a mail system would deliver it (CRLF added on delivery). */
export function anEmail(o: { from?: string; replyTo?: string; subject?: string; body?: string; html?: string; headers?: Record<string, string>; messageId?: string | null } = {}): string {
  counter++;
  const headers: Record<string, string> = {
    From: o.from ?? `Buyer ${counter} <buyer${counter}@importers.example>`,
    To: 'leads@acme.example',
    Subject: o.subject ?? `Inquiry ${counter}`,
    Date: 'Mon, 23 Nov 2026 08:00:00 +0000',
    'MIME-Version': '1.0',
    ...(o.messageId === null ? {} : { 'Message-ID': o.messageId ?? `<inq-${counter}-${process.pid}@importers.example>` }),
    ...(o.replyTo ? { 'Reply-To': o.replyTo } : {}),
    ...(o.html ? { 'Content-Type': 'text/html; charset=utf-8' } : { 'Content-Type': 'text/plain; charset=utf-8' }),
    ...o.headers,
  };
  return `${Object.entries(headers).map(([k, v]) => `${k}: ${v}`).join('\n')}\n\n${o.html ?? o.body ?? `Hello, please send a quote.\n`}`;
}
