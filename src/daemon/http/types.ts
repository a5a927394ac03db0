import type { IncomingHttpHeaders } from 'node:http';
import type { Store } from '../../store/types.js';
import type { Log } from '../../services/outbox/deliver.js';

/** A request as a route sees it: the body already read (and refused above the size limit). */
export interface HttpRequest {
  method: string;
  /** The path without the query string, e.g. /intake/form/website. */
  path: string;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  body: Buffer;
  /** The peer's address (the proxy's, behind a reverse proxy). */
  remote: string;
  /** The URL as the outside world addressed it: http.public-url + path + query (what Twilio signs). */
  publicUrl: string;
}

export interface HttpReply {
  status: number;
  /** Objects are sent as JSON; strings as text/plain and bytes as application/octet-stream unless `type` says otherwise. */
  body?: string | Buffer | object;
  type?: string;
  headers?: Record<string, string>;
}

/** What every route gets: the daemon's store, environment, log and clock. */
export interface RouteDeps {
  store: Store;
  env: Record<string, string | undefined>;
  log: Log;
  now: () => Date;
  /** Base URL for links the outside world follows (unsubscribe links, webhooks), no trailing slash. */
  publicUrl: string;
}

export interface Route {
  /** For the log and `crm daemon status`, e.g. 'intake.form'. */
  name: string;
  method: 'GET' | 'POST' | 'OPTIONS';
  /** Matched against the path; groups are passed to the handler. */
  pattern: RegExp;
  /** A larger body limit for this route in bytes (default: http.max-body-kb). */
  maxBody?: number;
  handle(req: HttpRequest, match: RegExpMatchArray, deps: RouteDeps): Promise<HttpReply>;
  /** Told when the server refused a request for this route before handle (413: body too large), for the route's own log. */
  refused?(req: Omit<HttpRequest, 'body'>, match: RegExpMatchArray, status: number, reason: string, deps: RouteDeps): Promise<void>;
}
