import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { unlinkSync } from 'node:fs';
import { writePrivateFile } from '../../io/private.js';
import type { AddressInfo } from 'node:net';
import { ConflictError, CrmError, NotFoundError, PermissionError, UsageError } from '../../errors.js';
import { effectiveSetting } from '../../services/settings/service.js';
import type { HttpReply, HttpRequest, Route, RouteDeps } from './types.js';

export interface Listen {
  host: string;
  port: number;
}

/** Parses http.listen: "127.0.0.1:8765", ":8765" (loopback), "[::1]:8765", "0.0.0.0:80"; "off" → null. */
export function parseListen(raw: string): Listen | null {
  const v = raw.trim();
  if (v === '' || v === 'off') return null;
  const m = /^(?:\[([0-9a-fA-F:.]+)\]|([^:[\]]*)):(\d{1,5})$/.exec(v);
  const port = m ? Number(m[3]) : NaN;
  if (!m || port > 65535) throw new UsageError(`invalid http.listen '${raw}'`, 'use host:port such as 127.0.0.1:8765 (port 0 picks a free one), or off');
  return { host: m[1] ?? (m[2] || '127.0.0.1'), port };
}

/** 127.0.0.0/8, ::1 and localhost: an endpoint only this machine reaches. */
export function isLoopback(host: string): boolean {
  const h = host.toLowerCase();
  return h === 'localhost' || h === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(h) || /^::ffff:127\./.test(h);
}

/** The status a typed error maps to: the same taxonomy as the CLI's exit codes. */
function statusOf(err: unknown): number {
  if (err instanceof UsageError) return 400;
  if (err instanceof PermissionError) return 403;
  if (err instanceof NotFoundError) return 404;
  if (err instanceof ConflictError) return 409;
  return 500;
}

class TooLarge extends Error {}

function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > limit) return Promise.reject(new TooLarge());
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > limit) {
        req.removeAllListeners('data');
        req.resume();
        reject(new TooLarge());
        return;
      }
      chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function send(res: ServerResponse, reply: HttpReply): void {
  const isText = typeof reply.body === 'string';
  const isBytes = Buffer.isBuffer(reply.body);
  const body = reply.body === undefined ? '' : isText || isBytes ? (reply.body as string | Buffer) : JSON.stringify(reply.body);
  res.writeHead(reply.status, {
    'content-type': reply.type ?? (isBytes ? 'application/octet-stream' : isText || reply.body === undefined ? 'text/plain; charset=utf-8' : 'application/json; charset=utf-8'),
    'content-length': Buffer.byteLength(body),
    'cache-control': 'no-store',
    ...reply.headers,
  });
  res.end(body);
}

export interface HttpServerOptions {
  deps: Omit<RouteDeps, 'publicUrl'>;
  routes: Route[];
  /** Where the bound address is written for `crm daemon status` and tests. */
  addressFile?: string;
}

/**
 * The daemon's HTTP endpoint (C4, M1 unsubscribe links): a plain node:http server bound to
 * http.listen (loopback by default; put a reverse proxy in front for the internet). Bodies over
 * the limit are refused with 413 before any route sees them; a route's typed errors become
 * 400/403/404/409; anything else is a 500 that is logged and tells the caller nothing.
 */
export class HttpServer {
  private server?: Server;
  url = '';
  publicUrl = '';

  constructor(private o: HttpServerOptions) {}

  async start(): Promise<string | null> {
    const settings = await this.o.deps.store.settings.all();
    const listen = parseListen(effectiveSetting(settings, this.o.deps.env, 'http.listen'));
    if (!listen) return null;
    const where = `${listen.host.includes(':') ? `[${listen.host}]` : listen.host}:${listen.port}`;
    if (!isLoopback(listen.host) && effectiveSetting(settings, this.o.deps.env, 'http.allow-public') !== 'true') {
      throw new UsageError(
        `http.listen ${where} is not a loopback address: the HTTP endpoint would be open to other machines`,
        'listen on 127.0.0.1 behind a reverse proxy (crm config set http.listen 127.0.0.1:8765), or confirm with crm config set http.allow-public true',
      );
    }
    const maxBody = Number(effectiveSetting(settings, this.o.deps.env, 'http.max-body-kb')) * 1024;
    const server = createServer((req, res) => {
      void this.serve(req, res, maxBody);
    });
    server.keepAliveTimeout = 5_000;
    server.headersTimeout = 10_000;
    server.requestTimeout = 30_000;
    await new Promise<void>((resolve, reject) => {
      server.once('error', (err: NodeJS.ErrnoException) =>
        reject(err.code === 'EADDRINUSE'
          ? new ConflictError(`the HTTP endpoint cannot listen on ${where}: the address is in use`, 'set another address with crm config set http.listen 127.0.0.1:PORT (or off)')
          : new UsageError(`the HTTP endpoint cannot listen on ${where}: ${err.code === 'EACCES' ? 'permission denied (a port below 1024?)' : err.code === 'EADDRNOTAVAIL' ? 'no such address on this machine' : err.message}`, 'set another address with crm config set http.listen 127.0.0.1:PORT (or off)')));
      server.listen(listen.port, listen.host, () => resolve());
    });
    this.server = server;
    const a = server.address() as AddressInfo;
    this.url = `http://${a.family === 'IPv6' ? `[${a.address}]` : a.address}:${a.port}`;
    this.publicUrl = (effectiveSetting(settings, this.o.deps.env, 'http.public-url') || this.url).replace(/\/+$/, '');
    if (this.o.addressFile) writePrivateFile(this.o.addressFile, `${JSON.stringify({ url: this.url, publicUrl: this.publicUrl, pid: process.pid })}\n`);
    return this.url;
  }

  private async serve(req: IncomingMessage, res: ServerResponse, maxBody: number): Promise<void> {
    const { log } = this.o.deps;
    const url = new URL(req.url ?? '/', 'http://x');
    const remote = req.socket.remoteAddress ?? '?';
    const candidates = this.o.routes.filter((r) => r.pattern.test(url.pathname));
    const route = candidates.find((r) => r.method === req.method);
    const refuse = (status: number, message: string) => {
      log('warn', `http ${req.method} ${url.pathname} from ${remote}: ${status} ${message}`);
      send(res, { status, body: { error: message } });
    };
    if (!route) {
      req.resume();
      if (candidates.length) return refuse(405, `method ${req.method} not allowed`);
      return refuse(404, 'no such endpoint');
    }
    let body: Buffer;
    try {
      body = await readBody(req, route.maxBody ?? maxBody);
    } catch (err) {
      if (err instanceof TooLarge) {
        res.setHeader('connection', 'close');
        const reason = `body larger than ${route.maxBody ?? maxBody} bytes`;
        if (route.refused) {
          const info = { method: req.method!, path: url.pathname, query: url.searchParams, headers: req.headers, remote, publicUrl: `${this.publicUrl}${req.url ?? '/'}` };
          await route.refused(info, url.pathname.match(route.pattern)!, 413, reason, { ...this.o.deps, publicUrl: this.publicUrl }).catch((e: Error) => log('error', `http ${route.name}: ${e.message}`));
        }
        return refuse(413, reason);
      }
      return refuse(400, 'could not read the body');
    }
    const request: HttpRequest = { method: req.method!, path: url.pathname, query: url.searchParams, headers: req.headers, body, remote, publicUrl: `${this.publicUrl}${req.url ?? '/'}` };
    try {
      const reply = await route.handle(request, url.pathname.match(route.pattern)!, { ...this.o.deps, publicUrl: this.publicUrl });
      send(res, reply);
    } catch (err) {
      const status = statusOf(err);
      if (status === 500) {
        log('error', `http ${route.name}: ${(err as Error).stack ?? err}`);
        send(res, { status, body: { error: 'internal error' } });
      } else {
        refuse(status, (err as CrmError).message + ((err as CrmError).hint ? ` (${(err as CrmError).hint})` : ''));
      }
    }
  }

  async stop(): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.server = undefined;
    await new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeIdleConnections();
    });
    if (this.o.addressFile) {
      try {
        unlinkSync(this.o.addressFile);
      } catch {
        // already gone
      }
    }
  }
}
