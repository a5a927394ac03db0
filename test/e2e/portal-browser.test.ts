/**
 * The customer portal in a real browser: headless Chromium (Debian's chromium, driven by
 * playwright-core) against the daemon's HTTP endpoint, the sign-in link read from a real SMTP
 * server on loopback. Skipped, saying why, only when Chromium is missing and the run does not
 * require it (CRM_TEST_BROWSER_REQUIRED=1, as CI sets, makes a missing browser a failure).
 * Screenshots of the main pages are kept in test-artifacts/portal/ (not committed).
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { teamHome } from '../helpers/cli.js';
import { daemonTracker, LIVE } from '../helpers/daemon.js';
import { startSmtp } from '../helpers/notify-servers.js';
import { waitFor } from '../helpers/wait.js';

const CHROMIUM = '/usr/bin/chromium';
const REQUIRED = process.env.CRM_TEST_BROWSER_REQUIRED === '1';
const HAVE = existsSync(CHROMIUM);
if (!HAVE && !REQUIRED) console.warn(`portal-browser: skipped: no Chromium at ${CHROMIUM} (apt-get install chromium; CRM_TEST_BROWSER_REQUIRED=1 makes this a failure)`);

const ARTIFACTS = fileURLToPath(new URL('../../test-artifacts/portal/', import.meta.url));
const tracked = daemonTracker();
afterEach(() => tracked.teardown());

let browser: Browser | undefined;
beforeAll(async () => {
  if (!HAVE && !REQUIRED) return;
  const { chromium } = await import('playwright-core');
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'],
  });
  mkdirSync(ARTIFACTS, { recursive: true });
}, 60_000);
afterAll(async () => {
  await browser?.close();
});

const shot = (page: Page, name: string) => page.screenshot({ path: join(ARTIFACTS, `${name}.png`), fullPage: true });

describe.skipIf(!HAVE && !REQUIRED)('the customer portal in headless Chromium', () => {
  it('sign in by emailed link (invited, and asked for on the login form); orders, invoices (PDF download), ledger; accept a proposal; open and answer a ticket; request an order; nothing of another company; CSRF', async () => {
    const h = tracked.home(await teamHome());
    const smtp = tracked.server(await startSmtp());
    // The daemon runs on the real clock: so does every command here (a link made at the harness's fixed time would be long expired).
    const ok = (args: string[]) => h.ok(args, LIVE);
    const json = (args: string[]) => h.json(args, LIVE);
    for (const [k, v] of [['smtp.host', '127.0.0.1'], ['smtp.port', String(smtp.port)], ['smtp.ignore-tls', 'true'], ['smtp.from', 'crm@acme.example'], ['business.name', 'Acme Solutions']]) await ok(['config', 'set', k!, v!]);
    await ok(['notify', 'set', 'not-attempted', '--off']);
    const sousa = (await ok(['lead', 'add', '-q', '--name', 'Rui Sousa', '--business', 'Sousa Lda', '--kind', 'company', '--email', 'rui@sousa.example', '--assign', 'ravi@acme.example'])).trim();
    const lima = (await ok(['lead', 'add', '-q', '--name', 'Eva Lima', '--business', 'Lima SA', '--kind', 'company', '--email', 'eva@lima.example', '--assign', 'priya@acme.example'])).trim();
    const ana = await json(['lead', 'person', 'add', sousa, '--name', 'Ana Reis', '--email', 'ana@sousa.example', '--portal']);
    await ok(['product', 'add', '--name', 'Widget', '--price', '10', '--tax', '23', '--currency', 'EUR']);
    // Sousa: an invoice half paid; Lima: an invoice, a proposal and a ticket of its own.
    await ok(['order', 'add', '--lead', sousa, '--item', 'Office chairs; qty=2; price=100; tax=23']);
    const sousaInvoice = (await ok(['order', 'bill', '-q', '1'])).trim();
    await ok(['invoice', 'pay', sousaInvoice, '--amount', '100', '--method', 'card']);
    await ok(['order', 'add', '--lead', lima, '--item', 'Desks; price=500']);
    const limaInvoice = (await ok(['order', 'bill', '-q', '2'])).trim();
    writeFileSync(join(h.dir, 'body.md'), 'Dear {contact_name},\n\nour offer for the new office.');
    writeFileSync(join(h.dir, 'items.csv'), 'description,quantity,unit_price,discount,tax\nInstallation,1,250,,23\n');
    await ok(['proposal', 'template', 'add', '--name', 'standard', '--subject', 'Proposal for {business_name}', '--body-file', join(h.dir, 'body.md')]);
    const proposal = (await json(['proposal', 'send', '--lead', sousa, '--template', 'standard', '--items', join(h.dir, 'items.csv')])).id as number;
    const limaProposal = (await json(['proposal', 'send', '--lead', lima, '--template', 'standard', '--items', join(h.dir, 'items.csv')])).id as number;
    const limaTicket = (await json(['ticket', 'add', '--lead', lima, '--subject', 'Lima only', '--body', 'secret'])).id as number;
    await ok(['portal', 'set', '--on', '--order-request-prefix', 'Portal request: ']);

    await ok(['daemon', 'start']);
    // Where the daemon bound (port 0): its status says, on either backend (a PostgreSQL store keeps the file elsewhere).
    const url = await waitFor(async () => (await json(['daemon', 'status'])).http?.url as string | undefined, { timeoutMs: 15_000, what: 'the daemon HTTP endpoint' });
    expect(await json(['portal', 'show'])).toMatchObject({ enabled: true, orderRequestPrefix: 'Portal request: ', url: `${url}/portal/` });
    expect(await ok(['portal', 'invite', `person:${ana.id}`])).toMatch(/^Sign-in link for Ana Reis <ana@sousa\.example> queued/);
    const mail = await waitFor(() => smtp.messages.find((m) => m.subject?.includes('sign-in link') && JSON.stringify(m.to).includes('ana@sousa.example')), { timeoutMs: 20_000, what: 'the sign-in email' });
    const link = /(http:\/\/\S+\/portal\/login\/[A-Za-z0-9_-]+)/.exec(mail.text ?? '')![1]!;
    expect(link.startsWith(`${url}/portal/login/`)).toBe(true);

    const context = await browser!.newContext({ acceptDownloads: true });
    const page = await context.newPage();
    try {
      // The link's GET only shows a button (mail scanners prefetch links); its POST signs in.
      await page.goto(link);
      expect(await page.locator('h1').textContent()).toBe('Sign in');
      const signInCsrf = await page.locator('input[name=csrf]').inputValue();
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.waitForURL(`${url}/portal/`);
      expect(await page.locator('h1').textContent()).toBe('Welcome, Ana Reis');
      expect(await page.locator('#bal + .big').textContent()).toBe('EUR 146.00');
      const cookie = (await context.cookies()).find((k) => k.name === 'crm_portal');
      expect(cookie).toMatchObject({ name: 'crm_portal', httpOnly: true, sameSite: 'Lax', path: '/portal', secure: false });
      await shot(page, 'home');
      // The link was used: a second POST is refused; one without the Sign in form's token is refused before anything.
      expect((await page.request.post(link, { form: { csrf: signInCsrf } })).status()).toBe(404);
      expect((await page.request.post(link)).status()).toBe(403);

      await page.getByRole('navigation', { name: 'Portal' }).getByRole('link', { name: 'Orders' }).click();
      expect(await page.locator('table caption').textContent()).toBe('Your orders');
      expect(await page.locator('tbody tr').count()).toBe(1);
      expect(await page.locator('tbody').textContent()).toContain('Office chairs');
      await shot(page, 'orders');
      await page.getByRole('link', { name: sousaInvoice }).click();
      expect(await page.locator('h1').textContent()).toBe(`Invoice ${sousaInvoice}`);
      expect(await page.locator('main').textContent()).toContain('Still due: EUR 146.00');
      await shot(page, 'invoice');
      const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: 'Download the invoice (PDF)' }).click()]);
      expect(download.suggestedFilename()).toBe(`${sousaInvoice}.pdf`);
      const saved = join(ARTIFACTS, download.suggestedFilename());
      await download.saveAs(saved);
      expect(readFileSync(saved).subarray(0, 5).toString()).toBe('%PDF-');
      const pdf = await page.request.get(`${url}/portal/invoices/${encodeURIComponent(sousaInvoice)}.pdf`);
      expect(pdf.headers()).toMatchObject({ 'content-type': 'application/pdf', 'content-disposition': `attachment; filename="${sousaInvoice}.pdf"` });
      await page.getByRole('navigation', { name: 'Portal' }).getByRole('link', { name: 'Ledger' }).click();
      const ledger = await page.locator('tbody').textContent();
      expect(ledger).toContain(`Invoice ${sousaInvoice}`);
      expect(ledger).toContain('Payment (card)');
      await shot(page, 'ledger');

      // Accept the proposal: timeline entry, the rep told through the outbox.
      await page.getByRole('navigation', { name: 'Portal' }).getByRole('link', { name: 'Proposals' }).click();
      expect(await page.locator('tbody tr').count()).toBe(1);
      await page.getByRole('link', { name: `#${proposal}` }).click();
      await shot(page, 'proposal');
      await page.getByLabel('Comment or reason (needed to decline)').fill('Please start in January');
      await page.getByRole('button', { name: 'Accept this proposal' }).click();
      expect(await page.getByRole('status').textContent()).toContain('you accepted this proposal');
      const shown = await json(['proposal', 'show', String(proposal)]);
      expect(shown.status).toBe('accepted');
      expect(shown.history.at(-1)).toMatchObject({ event: 'accepted', note: 'Please start in January (Ana Reis <ana@sousa.example>)' });
      const told = (await json(['outbox', 'list', '--all'])).filter((m: { rule: string }) => m.rule === 'proposal-decided');
      expect(told.map((m: { channel: string; address: string | null }) => m.channel).sort()).toEqual(['email', 'inbox']);

      // A ticket: opened and answered as the contact.
      await page.getByRole('navigation', { name: 'Portal' }).getByRole('link', { name: 'Support' }).click();
      await page.getByRole('link', { name: 'Open a new ticket' }).click();
      await page.getByLabel('Subject').fill('Chair wobbles');
      await page.getByLabel('What happened?').fill('One leg is shorter.');
      await page.getByRole('button', { name: 'Open the ticket' }).click();
      expect(await page.getByRole('status').textContent()).toContain('Your ticket is open');
      const ticketId = Number(/\/portal\/tickets\/(\d+)/.exec(page.url())![1]);
      await page.getByLabel('Your reply').fill('Photo on request.');
      await page.getByRole('button', { name: 'Send the reply' }).click();
      expect(await page.locator('article.msg').count()).toBe(2);
      await shot(page, 'ticket');
      const ticket = await json(['ticket', 'show', String(ticketId)]);
      expect(ticket).toMatchObject({ leadId: Number(sousa), channel: 'portal', contactId: ana.id });
      expect(ticket.messages.map((m: { body: string }) => m.body)).toEqual(['One leg is shorter.', 'Photo on request.']);

      // An order request: a draft order for the rep, who is told.
      await page.getByRole('navigation', { name: 'Portal' }).getByRole('link', { name: 'Request an order' }).click();
      await page.getByLabel('Product').first().selectOption({ label: 'Widget — EUR 10.00' });
      await page.getByLabel('Quantity').first().fill('5');
      await page.getByLabel('Anything else').fill('Blue, please');
      await shot(page, 'order-request');
      await page.getByRole('button', { name: 'Send the request' }).click();
      const requested = Number(/requested=(\d+)/.exec(page.url())![1]);
      expect(await page.getByRole('status').textContent()).toContain(`your request is order #${requested}`);
      const order = await json(['order', 'show', String(requested)]);
      expect(order).toMatchObject({ status: 'draft', title: 'Portal request: Widget', leadId: Number(sousa), createdBy: null });
      expect(order.items.map((i: { description: string; quantity: string }) => [i.description, i.quantity])).toEqual([['Widget', '5']]);
      await waitFor(async () => (await json(['outbox', 'list', '--all'])).some((m: { rule: string }) => m.rule === 'portal-order-request'), { what: 'the order-request notification' });

      // Another company's records, by changing ids in URLs: 404, the same as no such record.
      for (const path of [`/portal/orders/2`, `/portal/invoices/${encodeURIComponent(limaInvoice)}`, `/portal/invoices/${encodeURIComponent(limaInvoice)}.pdf`, `/portal/proposals/${limaProposal}`, `/portal/tickets/${limaTicket}`, '/portal/orders/99999']) {
        const r = await page.goto(`${url}${path}`);
        expect(r!.status(), path).toBe(404);
        expect(await page.locator('main').textContent()).not.toMatch(/Lima|Desks|secret/);
      }
      await shot(page, 'not-found');
      expect((await page.request.post(`${url}/portal/tickets/${limaTicket}/reply`, { form: { csrf: await page.locator('input[name=csrf]').first().inputValue(), body: 'hello' } })).status()).toBe(404);

      // A form POST without the CSRF token, or with another one: 403, nothing stored.
      const before = (await json(['ticket', 'list', '--include-closed'])).length;
      expect((await page.request.post(`${url}/portal/tickets`, { form: { subject: 'forged', body: 'x' } })).status()).toBe(403);
      expect((await page.request.post(`${url}/portal/tickets`, { form: { subject: 'forged', body: 'x', csrf: 'AAAA' } })).status()).toBe(403);
      expect((await json(['ticket', 'list', '--include-closed'])).length).toBe(before);

      // On a phone: the same home page, one column.
      await page.setViewportSize({ width: 390, height: 844 });
      await page.goto(`${url}/portal/`);
      await shot(page, 'home-phone');
      expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);

      // Sign out ends the session; the portal off answers 404 everywhere.
      await page.getByRole('button', { name: 'Sign out' }).click();
      await page.waitForURL(`${url}/portal/login`);
      await page.goto(`${url}/portal/orders`);
      expect(page.url()).toBe(`${url}/portal/login`);
      await shot(page, 'login');

      // The login form: the same answer for a known and an unknown address; the known one gets a link.
      for (const email of ['nobody@nowhere.example', 'ana@sousa.example']) {
        await page.goto(`${url}/portal/login`);
        await page.getByLabel('Email address').fill(email);
        await page.getByRole('button', { name: 'Email me a sign-in link' }).click();
        expect(page.url()).toBe(`${url}/portal/login?sent=1`);
        expect(await page.getByRole('status').textContent()).toContain('If that address belongs to one of our customers');
      }
      const links = () => smtp.messages.filter((m) => m.subject?.includes('sign-in link'));
      await waitFor(() => links().length === 2, { timeoutMs: 20_000, what: 'the second sign-in email' });
      expect(JSON.stringify(links()[1]!.to)).toContain('ana@sousa.example');
      // The form without its CSRF token (no pre-sign-in cookie of this portal): 403.
      expect((await page.request.post(`${url}/portal/login`, { form: { email: 'ana@sousa.example' } })).status()).toBe(403);

      await ok(['portal', 'set', '--off']);
      expect((await page.goto(`${url}/portal/login`))!.status()).toBe(404);
    } finally {
      await context.close();
    }
  }, 120_000);
});
