import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export type Answer =
  | { kind: 'json'; body: unknown; status?: number }
  | { kind: 'raw'; body: string; status?: number; contentType?: string }
  /** Never answers (until the server closes): the client's timeout fires. */
  | { kind: 'hang' };

/**
 * A local HTTP server that answers like ExportersIndia's inquiry API: tests queue answers and
 * read the requests it received. Bound to 127.0.0.1 on a free port.
 */
export interface FakeMarketplace {
  baseUrl: string;
  requests: URL[];
  /** The answers of the next requests, in order; when empty: {"msg":"No record found"}. */
  queue: Answer[];
  close(): Promise<void>;
}

export async function fakeMarketplace(): Promise<FakeMarketplace> {
  const requests: URL[] = [];
  const queue: Answer[] = [];
  const hanging: ServerResponse[] = [];
  const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    requests.push(url);
    if (url.pathname !== '/api-inquiry-detail.php') {
      res.writeHead(404, { 'content-type': 'text/html' }).end('<html><body>Not Found</body></html>');
      return;
    }
    const a = queue.shift() ?? { kind: 'json', body: { msg: 'No record found' } };
    if (a.kind === 'hang') {
      hanging.push(res);
      return;
    }
    if (a.kind === 'json') res.writeHead(a.status ?? 200, { 'content-type': 'application/json' }).end(JSON.stringify(a.body));
    else res.writeHead(a.status ?? 200, { 'content-type': a.contentType ?? 'text/html' }).end(a.body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    requests,
    queue,
    close: () => new Promise<void>((resolve) => {
      for (const r of hanging) r.destroy();
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}

let n = 0;
/** An inquiry as the API returns it; unique id and email unless overridden. */
export function anInquiry(overrides: Record<string, string> = {}): Record<string, string> {
  n++;
  return {
    inq_id: String(900000 + n), inq_type: 'Direct', supplier_id: '4242', name: `Buyer ${n}`, email: `buyer${n}@importers.example`,
    alt_email: '', mobile: '', alt_mobile: '', company: `Importers ${n} Pvt Ltd`, address: '12 Market Road', city: 'Pune',
    state: 'Maharashtra', country: 'India', subject: `Requirement for steel pipes (${n})`, product: 'Steel Pipes',
    detail_req: 'Need 500 units of 2 inch pipes, please quote.', enq_date: '2026-11-22 10:22:00', ...overrides,
  };
}
