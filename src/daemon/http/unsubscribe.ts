/**
 * Unsubscribe links (M1): GET /u/<token> shows a confirmation page with a button and changes
 * nothing (mail scanners prefetch links); POST /u/<token> — the page's button, or a mail client's
 * RFC 8058 one-click POST (body List-Unsubscribe=One-Click) — opts the lead out of the token's
 * channel and writes a timeline entry. Idempotent; a bad or forged token is a 404 page.
 */
import { unsubscribe, unsubscribeTarget } from '../../services/campaigns/unsubscribe.js';
import type { HttpReply, Route } from './types.js';
import { escapeHtml as esc } from '../../io/html.js';


function page(status: number, title: string, body: string): HttpReply {
  return {
    status,
    type: 'text/html; charset=utf-8',
    headers: { 'cache-control': 'no-store', 'x-robots-tag': 'noindex' },
    body: `<!DOCTYPE html>\n<html><head><meta charset="utf-8"><meta name="viewport" content="width=device-width"><title>${esc(title)}</title></head>\n` +
      `<body style="font-family:sans-serif;max-width:32em;margin:3em auto;padding:0 1em">\n<h1 style="font-size:1.4em">${esc(title)}</h1>\n${body}\n</body></html>\n`,
  };
}

const notFound = () => page(404, 'Link not valid', '<p>This unsubscribe link is not valid. If you copied it, check that it is complete.</p>');
const TEST = page(200, 'Test message', '<p>This link came in a test message: there is nothing to unsubscribe.</p>');
const what = (channel: string) => (channel === 'email' ? 'emails' : `${channel} messages`);

export const unsubscribePage: Route = {
  name: 'unsubscribe.page',
  method: 'GET',
  pattern: /^\/u\/([^/]+)$/,
  async handle(_req, m, deps) {
    if (m[1] === 'test') return TEST;
    const t = await unsubscribeTarget(deps.store, m[1]!);
    if (!t) return notFound();
    if (t.already) return page(200, 'You are unsubscribed', `<p>You will not receive our campaign ${what(t.channel)} any more.</p>`);
    return page(200, 'Unsubscribe?', `<p>Stop receiving our campaign ${what(t.channel)}?</p>\n<form method="post"><button type="submit" name="List-Unsubscribe" value="One-Click">Unsubscribe</button></form>`);
  },
};

export const unsubscribePost: Route = {
  name: 'unsubscribe',
  method: 'POST',
  pattern: /^\/u\/([^/]+)$/,
  maxBody: 4096,
  async handle(req, m, deps) {
    if (m[1] === 'test') return TEST;
    const oneClick = new URLSearchParams(req.body.toString('utf8')).get('List-Unsubscribe') === 'One-Click';
    const t = await unsubscribe(deps.store, m[1]!, deps.now().toISOString(), oneClick ? 'unsubscribe link (one-click)' : 'unsubscribe link');
    if (!t) return notFound();
    deps.log('info', `unsubscribe: lead ${t.leadId} opted out of ${t.channel}${t.already ? ' (already)' : ''}`);
    return page(200, 'You are unsubscribed', `<p>You will not receive our campaign ${what(t.channel)} any more.</p>`);
  },
};
