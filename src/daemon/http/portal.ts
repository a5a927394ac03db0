/**
 * The customer portal (W1) under /portal/: sign-in by magic link, then the contact's own
 * company's orders, invoices, ledger, proposals, tickets and order requests.
 *
 * - portal.enabled false: every /portal path is a 404, as if there were no portal.
 * - GET of a link changes nothing (mail scanners prefetch links): it shows a Sign in button whose
 *   POST uses the link and sets the session cookie (HttpOnly; SameSite=Lax; Path=/portal; Secure
 *   when http.public-url is https).
 * - Every form carries a CSRF token derived from the session's token (before sign-in, from a
 *   random cookie); a POST without the right one is a 403.
 * - Every record is read through the services' PortalScope functions: an id of another company's
 *   order, invoice, proposal or ticket is a 404, the same page as an id that does not exist.
 */
import { ConflictError, NotFoundError, PermissionError, UsageError } from '../../errors.js';
import type { PortalScope, PortalSection } from '../../domain/portal.js';
import { portalBalances, portalInvoice, portalLedger, portalOrder, portalOrders, requestOrder, PORTAL_LIST_LIMIT } from '../../services/orders/service.js';
import { decideProposal, portalProposals, portalViewProposal } from '../../services/proposals/service.js';
import { listTickets, openTicket, replyToTicket, showTicket, type TicketContext } from '../../services/tickets/service.js';
import { csrfOk, csrfToken, linkUsable, newToken, portalSettingsOf, RateLimiter, requestLink, sessionOf, signIn, signOut, type PortalSettings } from '../../services/portal/service.js';
import { teamTimeZone } from '../../services/settings/service.js';
import { ymd } from '../../services/reports/period.js';
import * as pages from './portal-pages.js';
import type { HttpReply, HttpRequest, Route, RouteDeps } from './types.js';

const SESSION_COOKIE = 'crm_portal';
const PRE_COOKIE = 'crm_portal_pre';

function cookies(req: HttpRequest): Record<string, string> {
  const out: Record<string, string> = {};
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const i = part.indexOf('=');
    if (i > 0) out[part.slice(0, i).trim()] = part.slice(i + 1).trim();
  }
  return out;
}

function cookie(name: string, value: string, secure: boolean, maxAge?: number): string {
  return `${name}=${value}; Path=/portal; HttpOnly; SameSite=Lax${secure ? '; Secure' : ''}${maxAge !== undefined ? `; Max-Age=${maxAge}` : ''}`;
}

const redirect = (to: string, headers: Record<string, string> = {}): HttpReply => ({ status: 303, headers: { location: to, 'cache-control': 'no-store', ...headers }, body: '' });

interface Session {
  scope: PortalScope;
  sessionId: number;
  csrf: string;
  company: string;
}

interface Ctx {
  req: HttpRequest;
  deps: RouteDeps;
  settings: Record<string, string>;
  ps: PortalSettings;
  secure: boolean;
  form: URLSearchParams;
  session?: Session;
}

const NOT_FOUND_BODY = '<p>There is no such page here. It may belong to another account, or the address is mistyped.</p><p><a href="/portal/">Back to the portal</a></p>';

function frame(c: Ctx, current?: PortalSection | 'home', extra: Partial<pages.Frame> = {}): pages.Frame {
  const s = c.session;
  return s ? { scope: s.scope, company: s.company, csrf: s.csrf, sections: c.ps.sections, current, ...extra } : extra;
}

const notFound = (c: Ctx) => pages.html(404, 'Not found', NOT_FOUND_BODY, frame(c));

function need(c: Ctx, section: PortalSection): void {
  if (!c.ps.sections.includes(section)) throw new NotFoundError(`section ${section} is not shown`);
}

const idOf = (raw: string) => {
  const n = Number(raw);
  if (!Number.isSafeInteger(n) || n < 1) throw new NotFoundError(`no record ${raw}`);
  return n;
};

const ticketCtx = (c: Ctx): TicketContext => ({
  store: c.deps.store, now: c.deps.now(), by: { kind: 'contact', leadId: c.session!.scope.leadId, contactId: c.session!.scope.personId, name: c.session!.scope.name, email: c.session!.scope.email },
});

type Page = (c: Ctx, m: RegExpMatchArray) => Promise<HttpReply>;

/** Pages behind sign-in, by path (after /portal). */
const GET_PAGES: [RegExp, Page][] = [
  [/^\/?$/, async (c) => {
    const { store } = c.deps;
    const scope = c.session!.scope;
    const [balances, tickets, proposals] = await Promise.all([
      portalBalances(store, scope), listTickets(ticketCtx(c), {}), portalProposals(store, scope),
    ]);
    const counts = { openTickets: tickets.length, openProposals: proposals.filter((p) => p.status === 'sent' || p.status === 'viewed').length };
    return pages.html(200, `Welcome, ${scope.name}`, pages.homePage(c.session!.company, balances, counts, c.ps.sections), frame(c, 'home'));
  }],
  [/^\/orders$/, async (c) => {
    need(c, 'orders');
    return pages.html(200, 'Orders', pages.ordersPage(await portalOrders(c.deps.store, c.session!.scope), PORTAL_LIST_LIMIT), frame(c, 'orders', { notice: c.req.query.get('requested') ? `Thank you: your request is order #${c.req.query.get('requested')}. We will confirm it with you.` : undefined }));
  }],
  [/^\/orders\/([^/]+)$/, async (c, m) => {
    need(c, 'orders');
    const v = await portalOrder(c.deps.store, c.session!.scope, idOf(m[1]!));
    return pages.html(200, `Order #${v.order.id}: ${v.order.title}`, pages.orderPage(v, c.ps.sections.includes('invoices')), frame(c, 'orders'));
  }],
  [/^\/invoices$/, async (c) => {
    need(c, 'invoices');
    return pages.html(200, 'Invoices', pages.invoicesPage(await portalOrders(c.deps.store, c.session!.scope, { invoiced: true })), frame(c, 'invoices'));
  }],
  [/^\/invoices\/([^/]+)\.pdf$/, async (c, m) => {
    need(c, 'invoices');
    // pdfkit is loaded only when an invoice is downloaded.
    const { portalInvoicePdf } = await import('../../services/orders/invoice-pdf.js');
    const r = await portalInvoicePdf(c.deps.store, c.session!.scope, decodeURIComponent(m[1]!));
    return { status: 200, type: 'application/pdf', headers: { 'content-disposition': `attachment; filename="${r.filename}"`, 'x-content-type-options': 'nosniff' }, body: r.pdf };
  }],
  [/^\/invoices\/([^/]+)$/, async (c, m) => {
    need(c, 'invoices');
    const v = await portalInvoice(c.deps.store, c.session!.scope, decodeURIComponent(m[1]!));
    // As PDF_STATUSES (src/services/orders/invoice-pdf.ts): a cancelled or rejected invoice has no PDF.
    const pdf = ['billed', 'partially-paid', 'paid'].includes(v.order.status);
    return pages.html(200, `Invoice ${v.order.invoiceNumber}`, pages.invoicePage(v, pdf), frame(c, 'invoices'));
  }],
  [/^\/ledger$/, async (c) => {
    need(c, 'ledger');
    return pages.html(200, 'Ledger', pages.ledgerPage(await portalLedger(c.deps.store, c.session!.scope)), frame(c, 'ledger'));
  }],
  [/^\/proposals$/, async (c) => {
    need(c, 'proposals');
    return pages.html(200, 'Proposals', pages.proposalsPage(await portalProposals(c.deps.store, c.session!.scope)), frame(c, 'proposals'));
  }],
  [/^\/proposals\/([^/]+)$/, async (c, m) => {
    need(c, 'proposals');
    const p = await portalViewProposal({ store: c.deps.store, now: c.deps.now() }, c.session!.scope, idOf(m[1]!));
    const done = c.req.query.get('done');
    const tz = teamTimeZone(c.settings);
    return pages.html(200, `Proposal #${p.id}: ${p.subject}`, pages.proposalPage(p, c.session!.csrf, ymd(c.deps.now(), tz)),
      frame(c, 'proposals', { notice: done === 'accepted' ? 'Thank you: you accepted this proposal. We will be in touch.' : done === 'rejected' ? 'You declined this proposal. Thank you for letting us know.' : undefined }));
  }],
  [/^\/tickets$/, async (c) => {
    need(c, 'tickets');
    return pages.html(200, 'Support', pages.ticketsPage(await listTickets(ticketCtx(c), { includeClosed: true })), frame(c, 'tickets'));
  }],
  [/^\/tickets\/new$/, async (c) => {
    need(c, 'tickets');
    return pages.html(200, 'Open a ticket', pages.newTicketPage(c.session!.csrf), frame(c, 'tickets'));
  }],
  [/^\/tickets\/([^/]+)$/, async (c, m) => {
    need(c, 'tickets');
    const v = await showTicket(ticketCtx(c), idOf(m[1]!));
    const done = c.req.query.get('done');
    return pages.html(200, v.ticket.subject, pages.ticketPage(v.ticket, v.messages, c.session!.csrf),
      frame(c, 'tickets', { notice: done === 'opened' ? 'Your ticket is open: we will answer here and by email.' : done === 'replied' ? 'Your reply was added.' : undefined }));
  }],
  [/^\/order-request$/, async (c) => {
    need(c, 'order-request');
    const lead = await c.deps.store.leads.get(c.session!.scope.leadId);
    const products = (await c.deps.store.products.list(false)).filter((p) => p.currency === lead?.currency);
    return pages.html(200, 'Request an order', pages.orderRequestPage(products, c.session!.csrf), frame(c, 'order-request'));
  }],
];

/** Forms behind sign-in (CSRF checked before any of these runs). */
const POST_PAGES: [RegExp, Page][] = [
  [/^\/logout$/, async (c) => {
    await signOut(c.deps.store, c.deps.now(), c.session!.sessionId);
    return redirect('/portal/login', { 'set-cookie': cookie(SESSION_COOKIE, '', c.secure, 0) });
  }],
  [/^\/proposals\/([^/]+)\/decision$/, async (c, m) => {
    need(c, 'proposals');
    const decision = c.form.get('decision');
    if (decision !== 'accepted' && decision !== 'rejected') throw new UsageError('choose accept or decline');
    const p = await decideProposal({ store: c.deps.store, now: c.deps.now() }, c.session!.scope, idOf(m[1]!), decision, c.form.get('reason') ?? undefined);
    return redirect(`/portal/proposals/${p.id}?done=${decision}`);
  }],
  [/^\/tickets$/, async (c) => {
    need(c, 'tickets');
    const v = await openTicket(ticketCtx(c), { subject: c.form.get('subject') ?? '', body: c.form.get('body') ?? '' });
    return redirect(`/portal/tickets/${v.ticket.id}?done=opened`);
  }],
  [/^\/tickets\/([^/]+)\/reply$/, async (c, m) => {
    need(c, 'tickets');
    const v = await replyToTicket(ticketCtx(c), idOf(m[1]!), { body: c.form.get('body') ?? '' }, c.deps.env);
    return redirect(`/portal/tickets/${v.ticket.id}?done=replied`);
  }],
  [/^\/order-request$/, async (c) => {
    need(c, 'order-request');
    const lines: { productId: number; quantity: string }[] = [];
    for (let i = 0; i < 20; i++) {
      const product = c.form.get(`product${i}`);
      if (product) lines.push({ productId: idOf(product), quantity: (c.form.get(`qty${i}`) ?? '').replace(',', '.') || '1' });
    }
    const o = await requestOrder({ store: c.deps.store, now: c.deps.now() }, c.session!.scope, { lines, note: c.form.get('note') ?? undefined });
    return redirect(`/portal/orders?requested=${o.id}`);
  }],
];

/** The portal's routes. `perAddress` limits the login form's requests per remote address. */
export function portalRoutes(perAddress = new RateLimiter(10, 15 * 60_000)): Route[] {
  async function context(req: HttpRequest, deps: RouteDeps): Promise<Ctx | null> {
    const settings = await deps.store.settings.all();
    const ps = portalSettingsOf(settings);
    if (!ps.enabled) return null;
    const c: Ctx = { req, deps, settings, ps, secure: deps.publicUrl.startsWith('https:'), form: new URLSearchParams(req.method === 'POST' ? req.body.toString('utf8') : '') };
    const token = cookies(req)[SESSION_COOKIE];
    if (token) {
      const s = await sessionOf(deps.store, deps.now(), token);
      if (s) {
        const lead = await deps.store.leads.get(s.scope.leadId);
        c.session = { scope: s.scope, sessionId: s.session.id, csrf: csrfToken(token), company: lead?.businessName ?? lead?.name ?? '' };
      }
    }
    return c;
  }

  /** Typed errors as pages: not found (also another company's record) 404; a bad form 400/409 with its message. */
  async function guarded(c: Ctx, fn: () => Promise<HttpReply>): Promise<HttpReply> {
    try {
      return await fn();
    } catch (err) {
      if (err instanceof NotFoundError) return notFound(c);
      if (err instanceof UsageError || err instanceof ConflictError || err instanceof PermissionError) {
        const status = err instanceof UsageError ? 400 : err instanceof ConflictError ? 409 : 403;
        return pages.html(status, 'That did not work', `<p><a href="${c.req.path.replace(/\/(decision|reply)$/, '')}">Go back</a></p>`, frame(c, undefined, { error: err.message }));
      }
      throw err;
    }
  }

  const get: Route = {
    name: 'portal.page',
    method: 'GET',
    pattern: /^\/portal(?:\/.*)?$/,
    async handle(req, _m, deps) {
      const c = await context(req, deps);
      if (!c) return pages.html(404, 'Not found', '<p>There is no such page here.</p>');
      const path = req.path.slice('/portal'.length);
      if (path === '/style.css') return { status: 200, type: 'text/css; charset=utf-8', headers: { 'cache-control': 'public, max-age=3600' }, body: pages.STYLESHEET };
      if (path === '') return redirect('/portal/');
      if (path === '/login') {
        if (c.session) return redirect('/portal/');
        const pre = cookies(req)[PRE_COOKIE] || newToken();
        return pages.html(200, 'Sign in', pages.loginPage(csrfToken(pre, 'login'), req.query.get('sent') === '1'), {}, { 'set-cookie': cookie(PRE_COOKIE, pre, c.secure, 3600) });
      }
      const link = /^\/login\/([A-Za-z0-9_-]{20,100})$/.exec(path);
      if (link) {
        if (!(await linkUsable(deps.store, deps.now(), link[1]!))) return pages.html(404, 'Link not valid', pages.LINK_INVALID);
        const pre = cookies(req)[PRE_COOKIE] || newToken();
        return pages.html(200, 'Sign in', pages.signInPage(csrfToken(pre, 'sign-in')), {}, { 'set-cookie': cookie(PRE_COOKIE, pre, c.secure, 3600) });
      }
      if (!c.session) return redirect('/portal/login');
      for (const [re, page] of GET_PAGES) {
        const m = re.exec(path);
        if (m) return guarded(c, () => page(c, m));
      }
      return notFound(c);
    },
  };

  const post: Route = {
    name: 'portal.form',
    method: 'POST',
    pattern: /^\/portal(?:\/.*)?$/,
    maxBody: 32 * 1024,
    async handle(req, _m, deps) {
      const c = await context(req, deps);
      if (!c) return pages.html(404, 'Not found', '<p>There is no such page here.</p>');
      const path = req.path.slice('/portal'.length);
      if (path === '/login') {
        const pre = cookies(req)[PRE_COOKIE];
        if (!pre || !csrfOk(pre, c.form.get('csrf'), 'login')) return pages.html(403, 'Please try again', '<p>The form expired. <a href="/portal/login">Open the sign-in page again</a>.</p>');
        if (!perAddress.take(req.remote, deps.now().getTime())) {
          deps.log('warn', `portal: too many sign-in requests from ${req.remote}`);
          return pages.html(429, 'Too many requests', '<p>Too many sign-in links were asked for from here. Wait a few minutes and try again.</p>', {}, { 'retry-after': '900' });
        }
        // Answered before the work is done, so that the answer's timing does not tell a known address from an unknown one.
        void requestLink(deps.store, deps.now(), c.form.get('email') ?? '', req.remote, deps.publicUrl).then(
          (outcome) => outcome === 'limited' && deps.log('warn', `portal: sign-in links for one address limited (from ${req.remote})`),
          (err: Error) => deps.log('error', `portal: sign-in link not sent: ${err.message}`),
        );
        return redirect('/portal/login?sent=1');
      }
      const link = /^\/login\/([A-Za-z0-9_-]{20,100})$/.exec(path);
      if (link) {
        // The Sign in button's own form (a page elsewhere cannot sign a browser in to an account of its choosing).
        const pre = cookies(req)[PRE_COOKIE];
        if (!pre || !csrfOk(pre, c.form.get('csrf'), 'sign-in')) return pages.html(403, 'Please try again', '<p>Open the link from your email again and press Sign in.</p>');
        const s = await signIn(deps.store, deps.now(), link[1]!, req.remote, typeof req.headers['user-agent'] === 'string' ? req.headers['user-agent'] : null);
        if (!s) return pages.html(404, 'Link not valid', pages.LINK_INVALID);
        deps.log('info', `portal: ${s.scope.email} signed in for lead ${s.scope.leadId} (session ${s.sessionId})`);
        return redirect('/portal/', { 'set-cookie': cookie(SESSION_COOKIE, s.token, c.secure, Math.floor((Date.parse(s.expiresAt) - deps.now().getTime()) / 1000)) });
      }
      if (!c.session) return redirect('/portal/login');
      if (!csrfOk(cookies(req)[SESSION_COOKIE]!, c.form.get('csrf'))) {
        deps.log('warn', `portal: ${req.method} ${req.path} without a valid CSRF token (session ${c.session.sessionId})`);
        return pages.html(403, 'Please try again', '<p>This form expired or did not come from this portal. Go back, reload the page and try again.</p>', frame(c));
      }
      for (const [re, page] of POST_PAGES) {
        const m = re.exec(path);
        if (m) return guarded(c, () => page(c, m));
      }
      return notFound(c);
    },
  };

  return [get, post];
}
