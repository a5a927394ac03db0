import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer } from 'smtp-server';

export interface Smtp {
  port: number;
  messages: ParsedMail[];
  /** Stops accepting connections (the server is "down"); start() brings it back on the same port. */
  stop(): Promise<void>;
  start(): Promise<void>;
  waitFor(n: number, timeoutMs?: number): Promise<ParsedMail[]>;
}

/** A real SMTP server on loopback (smtp-server), parsing every message it accepts with mailparser. */
export async function startSmtp(opts: { user?: string; pass?: string; port?: number; delayMs?: number } = {}): Promise<Smtp> {
  const messages: ParsedMail[] = [];
  let server: SMTPServer | undefined;
  let port = opts.port ?? 0;
  const start = () =>
    new Promise<void>((resolve, reject) => {
      server = new SMTPServer({
        secure: false, disabledCommands: ['STARTTLS'], allowInsecureAuth: true, authOptional: !opts.user, logger: false,
        onAuth(auth, _s, cb) {
          if (auth.username === opts.user && auth.password === opts.pass) cb(null, { user: auth.username });
          else cb(new Error('Invalid username or password'));
        },
        onData(stream, _s, cb) {
          simpleParser(stream).then((m) => {
            // A slow server answers after delayMs: the message counts as received only when accepted.
            setTimeout(() => {
              messages.push(m);
              cb();
            }, opts.delayMs ?? 0);
          }, cb);
        },
      });
      server.on('error', () => undefined);
      server.listen(port, '127.0.0.1', () => {
        port = (server!.server.address() as AddressInfo).port;
        resolve();
      });
      server.server.once('error', reject);
    });
  await start();
  return {
    get port() {
      return port;
    },
    messages,
    start,
    stop: () => new Promise<void>((resolve) => server!.close(() => resolve())),
    async waitFor(n, timeoutMs = 15_000) {
      const deadline = Date.now() + timeoutMs;
      while (messages.length < n) {
        if (Date.now() > deadline) throw new Error(`expected ${n} email(s), got ${messages.length}`);
        await new Promise((r) => setTimeout(r, 50));
      }
      return messages;
    },
  };
}

export interface FakeTwilio {
  url: string;
  requests: { path: string; auth: string; form: Record<string, string> }[];
  /** The HTTP status the next Messages.json requests get (201 by default). */
  status: number;
  close(): Promise<void>;
}

/** A local HTTP server speaking Twilio's Messages and Accounts API (form-encoded, Basic auth). */
export async function startTwilio(sid: string, token: string): Promise<FakeTwilio> {
  const requests: FakeTwilio['requests'] = [];
  const body = (req: IncomingMessage) => new Promise<string>((r) => {
    let s = '';
    req.on('data', (c) => (s += c));
    req.on('end', () => r(s));
  });
  const state = { status: 201 };
  const server: Server = createServer(async (req, res) => {
    const text = await body(req);
    const auth = Buffer.from((req.headers.authorization ?? '').replace(/^Basic /, ''), 'base64').toString();
    const json = (status: number, value: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(value));
    };
    if (auth !== `${sid}:${token}`) return json(401, { code: 20003, message: 'Authenticate', status: 401 });
    const form = Object.fromEntries(new URLSearchParams(text));
    if (req.method === 'POST' && req.url === `/2010-04-01/Accounts/${sid}/Messages.json`) {
      requests.push({ path: req.url, auth, form });
      if (state.status >= 400) return json(state.status, { code: 21211, message: "The 'To' number is not a valid phone number.", status: state.status });
      return json(201, { sid: `SM${requests.length.toString().padStart(32, '0')}`, status: 'queued', to: form.To, from: form.From, body: form.Body, account_sid: sid });
    }
    if (req.method === 'GET' && req.url === `/2010-04-01/Accounts/${sid}.json`) return json(200, { sid, friendly_name: 'Test account', status: 'active' });
    json(404, { code: 20404, message: 'Not found', status: 404 });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    get status() {
      return state.status;
    },
    set status(v: number) {
      state.status = v;
    },
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}
