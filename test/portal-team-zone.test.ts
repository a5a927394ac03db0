/**
 * The portal counts today in the team's zone, as the rest of crm does: notify.timezone, else the
 * system's zone (the setting's own description). It used to fall back to UTC, so on a team east
 * of UTC a proposal whose last valid day had passed still showed Accept and Decline.
 *
 * This file runs with the system zone at UTC+14 (set before anything reads it).
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { HttpServer } from '../src/daemon/http/server.js';
import { addPerson } from '../src/services/leads/persons.js';
import { invite, setPortal } from '../src/services/portal/service.js';
import { addTemplate, sendProposal } from '../src/services/proposals/service.js';
import { setSetting, teamTimeZone } from '../src/services/settings/service.js';
import { systemTimeZone } from '../src/services/time/zone.js';
import { cookieOf, csrfIn, startPortal } from './helpers/portal.js';
import { addLeadAs, FIXED_NOW, testTeam, type TestTeam } from './helpers/store.js';

vi.hoisted(() => {
  process.env.TZ = 'Pacific/Kiritimati';
});

let t: TestTeam;
let server: HttpServer | undefined;
beforeEach(async () => {
  t = await testTeam();
});
afterEach(async () => {
  await server?.stop();
  server = undefined;
  await t.close();
});

// 12:00 UTC on 23 November is already 02:00 on the 24th in Kiritimati.
const NOON_UTC = new Date('2026-11-23T12:00:00.000Z');
let clock = FIXED_NOW;

/** Signed in at FIXED_NOW (a sign-in link lasts an hour); the proposal is then opened at NOON_UTC. */
async function signedIn(): Promise<{ url: string; session: string; proposalId: number }> {
  clock = FIXED_NOW;
  await setPortal(t.as(t.admin), { on: true });
  await setSetting(t.as(t.admin), 'smtp.host', '127.0.0.1');
  const lead = await addLeadAs(t, t.admin, { name: 'Rui Sousa', businessName: 'Sousa Lda', kind: 'company', emails: ['rui@sousa.example'], assign: ['ravi@acme.example'] });
  const person = await addPerson(t.as(t.admin), lead.id, { name: 'Ana Reis', email: 'ana@sousa.example', portal: true });
  await addTemplate(t.as(t.admin), { name: 'standard', subject: 'Proposal for {business_name}', body: 'Our offer.' });
  const items = join(t.dir, 'items.csv');
  writeFileSync(items, 'description,quantity,unit_price,discount,tax\nWidget,3,19.99,0,23\n');
  // Sent at 09:00 UTC (23:00 on the 23rd there), valid to the end of the 23rd.
  const proposal = (await sendProposal(t.as(t.ravi), { lead: lead.id, template: 'standard', items, validUntil: '2026-11-23' })).proposal;

  const started = await startPortal(t, { now: () => clock });
  server = started.server;
  const url = started.url;
  const r = await invite(t.as(t.admin), `person:${person.id}`, 'https://crm.acme.example');
  const path = /https:\/\/crm\.acme\.example(\/portal\/login\/\S+)/.exec((await t.store.outbox.byKey(r.outboxKey))!.content!.text)![1]!;
  const page = await fetch(`${url}${path}`);
  const pre = cookieOf(page, 'crm_portal_pre')!.split(';')[0]!;
  const csrf = await csrfIn(page);
  const signed = await fetch(`${url}${path}`, { method: 'POST', headers: { cookie: pre }, body: new URLSearchParams({ csrf }), redirect: 'manual' });
  const session = cookieOf(signed, 'crm_portal')?.split(';')[0];
  if (!session) throw new Error(`not signed in: ${signed.status}`);
  clock = NOON_UTC;
  return { url, session, proposalId: proposal.id };
}

describe("the portal's today", () => {
  it('is the system zone when notify.timezone is empty: a proposal valid to yesterday there offers no answer', async () => {
    expect(systemTimeZone()).toBe('Pacific/Kiritimati');
    expect(teamTimeZone(await t.store.settings.all())).toBe('Pacific/Kiritimati');
    const { url, session, proposalId } = await signedIn();
    const page = await (await fetch(`${url}/portal/proposals/${proposalId}`, { headers: { cookie: session } })).text();
    expect(page).toContain('valid until 2026-11-23');
    expect(page).not.toContain('Accept this proposal');
  });

  it('is notify.timezone when set: in UTC it is still the 23rd, and the proposal can be answered', async () => {
    await setSetting(t.as(t.admin), 'notify.timezone', 'UTC');
    expect(teamTimeZone(await t.store.settings.all())).toBe('UTC');
    const { url, session, proposalId } = await signedIn();
    const page = await (await fetch(`${url}/portal/proposals/${proposalId}`, { headers: { cookie: session } })).text();
    expect(page).toContain('Accept this proposal');
  });
});
