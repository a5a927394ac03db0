import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import { waitFor } from './wait.js';

export interface Smtp {
  port: number;
  /** The messages accepted (answered 250), in order. */
  messages: ParsedMail[];
  /** How many messages have arrived and wait for the answer (see holdAfter). */
  readonly held: number;
  /**
   * The server is "down": each new connection is closed as soon as it is accepted, as a
   * crashed mail server's host would. The port stays this server's, so nothing else can take it.
   */
  down(): void;
  up(): void;
  /** From now on, accepts the first `n` messages and keeps every later one waiting for its answer until release(). */
  holdAfter(n: number): void;
  /** Answers the messages held (those whose client is still connected) and stops holding. */
  release(): void;
  /** Closes the server for good (the end of a test). */
  stop(): Promise<void>;
  waitFor(n: number, timeoutMs?: number): Promise<ParsedMail[]>;
}

/** A real SMTP server on loopback (smtp-server), parsing every message it accepts with mailparser. */
export async function startSmtp(opts: { user?: string; pass?: string; holdAfter?: number } = {}): Promise<Smtp> {
  const messages: ParsedMail[] = [];
  let isDown = false;
  let holdFrom = opts.holdAfter ?? Infinity;
  let seen = 0;
  const held: { session: string; m: ParsedMail; cb: () => void }[] = [];
  const closed = new Set<string>();
  const server = new SMTPServer({
    secure: false, disabledCommands: ['STARTTLS'], allowInsecureAuth: true, authOptional: !opts.user, logger: false,
    onAuth(auth, _s, cb) {
      if (auth.username === opts.user && auth.password === opts.pass) cb(null, { user: auth.username });
      else cb(new Error('Invalid username or password'));
    },
    onData(stream, session, cb) {
      simpleParser(stream).then((m) => {
        // A held message counts as received only when it is answered (the client may die waiting).
        if (++seen > holdFrom) held.push({ session: session.id, m, cb: () => cb() });
        else {
          messages.push(m);
          cb();
        }
      }, cb);
    },
    onClose(session) {
      closed.add(session.id);
    },
  });
  server.on('error', () => undefined);
  // Before smtp-server's own listener: a "down" server drops the connection unanswered.
  server.server.prependListener('connection', (socket) => {
    if (isDown) {
      socket.on('error', () => undefined);
      socket.destroy();
    }
  });
  await new Promise<void>((resolve, reject) => {
    server.server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const port = (server.server.address() as AddressInfo).port;
  return {
    port,
    messages,
    get held() {
      return held.length;
    },
    down: () => void (isDown = true),
    up: () => void (isDown = false),
    holdAfter(n) {
      holdFrom = seen + n;
    },
    release() {
      holdFrom = Infinity;
      for (const h of held.splice(0)) {
        if (closed.has(h.session)) continue;
        messages.push(h.m);
        h.cb();
      }
    },
    stop: () => new Promise<void>((resolve) => {
      for (const h of held.splice(0)) h.cb();
      server.close(() => resolve());
    }),
    async waitFor(n, timeoutMs = 15_000) {
      await waitFor(() => messages.length >= n, { timeoutMs, what: () => `${n} email(s) (got ${messages.length})` });
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

/** A local HTTP server speaking Twilio's Messages, Calls and Accounts API (form-encoded, Basic auth). */
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
    if (req.method === 'POST' && req.url === `/2010-04-01/Accounts/${sid}/Calls.json`) {
      requests.push({ path: req.url, auth, form });
      // Twilio requires Url, Twiml or ApplicationSid (error 21205 without).
      if (!form.Url && !form.Twiml && !form.ApplicationSid) return json(400, { code: 21205, message: 'Url parameter is required.', status: 400 });
      if (state.status >= 400) return json(state.status, { code: 21210, message: "The source phone number provided, From, is not yet verified for your account.", status: state.status });
      const n = requests.length.toString().padStart(32, '0');
      return json(201, { sid: `CA${n}`, account_sid: sid, to: form.To, from: form.From, status: 'queued', direction: 'outbound-api', api_version: '2010-04-01', uri: `/2010-04-01/Accounts/${sid}/Calls/CA${n}.json` });
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
