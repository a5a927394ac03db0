import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { teamHome, type Home } from '../helpers/cli.js';
import { daemonTracker, LIVE } from '../helpers/daemon.js';
import { anInquiry, fakeMarketplace, type FakeMarketplace } from '../helpers/marketplace-server.js';
import { startSmtp } from '../helpers/notify-servers.js';
import { waitFor } from '../helpers/wait.js';

describe('crm routing and scoring through the binary', () => {
  // Each test has its own team: it runs alone (vitest -t) as well as after the others.
  let h: Home;
  beforeEach(async () => {
    h = await teamHome();
  });
  afterEach(() => h.cleanup());

  it('routing group add/list/remove, routing add/list/test/remove, lead add --route', async () => {
    expect(await h.ok(['routing', 'group', 'add', 'team-a', '--users', 'ravi@acme.example,priya@acme.example'])).toBe('Group team-a: ravi@acme.example, priya@acme.example');
    expect(await h.ok(['routing', 'add', '--name', 'web-india', '--if', 'source=Website,country=India', '--to', 'group:team-a'])).toContain('Added routing rule web-india at position 1');
    await h.ok(['routing', 'add', '--name', 'vip', '--if', 'tag=vip', '--to', 'meera@acme.example', '--position', '1']);
    expect(await h.ok(['routing', 'list'])).toBe('1\tvip\ttag=vip\tmeera@acme.example\n2\tweb-india\tsource=Website,country=India\tgroup:team-a');
    const lead = `{"source":"Website","address":"MG Road, Pune, India"}`;
    expect(await h.ok(['routing', 'test', lead])).toBe('no\tvip\ttag=vip does not hold\nmatch\tweb-india\n→ ravi@acme.example (rule web-india, group team-a)');
    // The test moved no pointer: the first real lead goes to ravi, the next to priya.
    expect(await h.json(['routing', 'test', lead])).toMatchObject({ rule: 'web-india', user: { email: 'ravi@acme.example' } });
    expect(await h.ok(['lead', 'add', '--name', 'A', '--source', 'Website', '--address', 'Pune, India', '--route'])).toBe('Added lead 1: A (New)\nRouted to ravi@acme.example (web-india)');
    const b = await h.json(['lead', 'add', '--name', 'B', '--source', 'Website', '--field', 'country=India', '--route']);
    expect(b).toMatchObject({ routed: { rule: 'web-india', to: 'priya@acme.example' }, lead: { assignedTo: ['priya@acme.example'] } });
    expect(await h.ok(['lead', 'add', '--name', 'C', '--source', 'Referral', '--route'])).toContain('No routing rule matched: unassigned');
    expect(await h.ok(['lead', 'show', '1'])).toMatch(/routed to ravi@acme\.example \(rule web-india, group:team-a\)/);
    expect(await h.ok(['routing', 'group', 'list'])).toBe('team-a\travi@acme.example, priya@acme.example\t2');
    await h.ok(['config', 'set', 'routing.default', 'meera@acme.example']);
    expect(await h.ok(['routing', 'test', '{"source":"Referral"}'])).toContain('→ meera@acme.example (rule routing.default)');

    await h.fail(['routing', 'add', '--name', 'x', '--if', 'colour=red', '--to', 'ravi@acme.example'], 2, /unknown field 'colour'/);
    await h.fail(['routing', 'add', '--name', 'x', '--if', 'tag=a', '--to', 'ravi@acme.example', '--as', 'ravi@acme.example'], 5, /may not change routing rules/);
    await h.fail(['routing', 'test', 'not json'], 2, /not valid JSON/);
    await h.fail(['routing', 'group', 'remove', '--yes', 'team-a'], 4, /used by routing rule web-india/);
    expect(await h.ok(['routing', 'remove', '--yes', 'web-india'])).toBe('Removed routing rule web-india');
    await h.fail(['routing', 'remove', '--yes', 'web-india'], 3, /no routing rule 'web-india'/);
    expect(await h.ok(['routing', 'group', 'remove', '--yes', 'team-a'])).toBe('Removed group team-a');
  });

  it('scoring add/list/explain/recompute/remove; a manual score is the base', async () => {
    // Added before any rule: it gets the rules' points on recompute --all.
    await h.ok(['lead', 'add', '--name', 'Early', '--source', 'Website']);
    expect(await h.ok(['scoring', 'add', '--name', 'web', '--if', 'source=Website', '--points', '10'])).toBe('Added scoring rule web: source=Website → +10');
    await h.ok(['scoring', 'add', '--name', 'free-mail', '--if', 'mail=free', '--points', '-5']);
    await h.ok(['scoring', 'add', '--name', 'engaged', '--if', 'notes>=1', '--days', '7', '--points', '20']);
    expect(await h.ok(['scoring', 'list'])).toBe('web\tsource=Website\t+10\t\nfree-mail\tmail=free\t-5\t\nengaged\tnotes>=1\t+20\t7');
    const id = (await h.ok(['lead', 'add', '-q', '--name', 'Scored', '--email', 's@gmail.com', '--source', 'Website', '--score', '40'])).trim();
    expect((await h.json(['lead', 'show', id])).score).toBe(45);
    await h.ok(['lead', 'note', id, 'called back, keen']);
    const x = await h.json(['scoring', 'explain', id]);
    expect(x).toMatchObject({ base: 40, rulePoints: 25, total: 65, stored: 65 });
    expect(x.rules.map((r: { rule: string; matched: boolean }) => [r.rule, r.matched])).toEqual([['web', true], ['free-mail', true], ['engaged', true]]);
    const text = await h.ok(['scoring', 'explain', id]);
    expect(text).toContain('web\tyes\t+10\tsource=Website\t');
    expect(text).toMatch(/Total\s+65/);
    await h.ok(['lead', 'edit', id, '--score', '90']);
    expect((await h.json(['scoring', 'explain', id])).total).toBe(100);
    // Pre-existing leads get a new rule on recompute.
    const old = (await h.ok(['lead', 'add', '-q', '--name', 'Ref', '--source', 'Referral'])).trim();
    await h.ok(['scoring', 'add', '--name', 'ref', '--if', 'source=Referral', '--points', '7']);
    expect((await h.json(['scoring', 'explain', old])).stored).toBe(0);
    expect(await h.ok(['scoring', 'recompute', old])).toBe('Recomputed 1 lead(s): 1 score(s) changed');
    expect((await h.json(['scoring', 'explain', old])).stored).toBe(7);
    // The lead added before the rules gets its points now (web: +10).
    expect(await h.json(['scoring', 'recompute', '--all'])).toEqual({ leads: 3, changed: 1 });
    expect(await h.json(['scoring', 'recompute', '--all'])).toEqual({ leads: 3, changed: 0 });
    await h.fail(['scoring', 'recompute'], 2, /pass lead ids, or --all/);
    await h.fail(['scoring', 'add', '--name', 'x', '--if', 'channel=form', '--points', '3'], 2, /known only while an inquiry arrives/);
    await h.fail(['scoring', 'explain', '999'], 3, /no lead with id 999/);
    expect(await h.ok(['scoring', 'remove', '--yes', 'ref'])).toBe('Removed scoring rule ref');
    await h.fail(['scoring', 'remove', '--yes', 'ref'], 3, /no scoring rule 'ref'/);
  });
});

const tracked = daemonTracker();
afterEach(() => tracked.teardown());

describe('crm welcome through the binary, delivered by the daemon', () => {
  let mp: FakeMarketplace;
  beforeAll(async () => {
    mp = await fakeMarketplace();
  });
  afterAll(async () => {
    await mp.close();
  });

  it('a new marketplace lead gets the welcome with the brochure; an existing one does not', async () => {
    const h = tracked.home(await teamHome());
    const smtp = tracked.server(await startSmtp());
    for (const [k, v] of [['smtp.host', '127.0.0.1'], ['smtp.port', String(smtp.port)], ['smtp.ignore-tls', 'true'], ['smtp.from', 'sales@acme.example']]) await h.ok(['config', 'set', k!, v!]);
    const brochure = Buffer.from('%PDF-1.4 brochure \u00ff');
    writeFileSync(join(h.dir, 'brochure.pdf'), brochure);
    mkdirSync(join(h.dir, 'templates', 'welcome'), { recursive: true });
    writeFileSync(join(h.dir, 'templates', 'welcome', 'expo.email.txt'), 'Subject: Welcome {contact_name} from {business_name}\n\nOur brochure is attached. {rep} will call you.');

    await h.fail(['welcome', 'set', '--source', 'ExportersIndia', '--channel', 'email', '--template', 'nope'], 2, /no welcome template nope.email.txt/);
    await h.fail(['welcome', 'set', '--source', 'ExportersIndia', '--channel', 'email', '--template', 'expo', '--attach', join(h.dir, 'missing.pdf')], 2, /cannot read the attachment/);
    expect(await h.ok(['welcome', 'set', '--source', 'ExportersIndia', '--channel', 'email', '--template', 'expo', '--attach', join(h.dir, 'brochure.pdf')]))
      .toBe('Welcome for source ExportersIndia, via *: email with template expo, attaching brochure.pdf');
    expect(await h.ok(['welcome', 'set', '--via', 'sms', '--channel', 'sms', '--template', 'welcome'])).toContain('via sms: sms with template welcome');
    expect(await h.ok(['welcome', 'list'])).toBe('*\tsms\tsms (not configured)\twelcome\t\nExportersIndia\t*\temail\texpo\tbrochure.pdf (1 KiB)');
    expect(await h.ok(['welcome', 'remove', '--yes', '--via', 'sms'])).toBe('Removed the sms welcome for source *, via sms');

    await h.ok(['lead', 'add', '--name', 'Known', '--phone', '+91 98765 00000']);
    // --every 7d: the daemon started below does not import again by itself.
    await h.ok(['marketplace', 'set', '--site-key', 'k', '--site-id', 'sales@acme.example', '--assign', 'ravi@acme.example', '--every', '7d', '--base-url', mp.baseUrl]);
    const fresh = anInquiry();
    const known = anInquiry({ mobile: '+91 98765 00000' });
    mp.queue.push({ kind: 'json', body: [fresh, known] });
    expect(await h.json(['marketplace', 'import'])).toMatchObject({ created: 1, existing: 1 });
    const queued = (await h.json<{ rule: string; address: string }[]>(['outbox', 'list'])).filter((m) => m.rule === 'welcome');
    expect(queued.map((m) => m.address)).toEqual([fresh.email]);

    await h.ok(['daemon', 'start'], LIVE);
    const mail = await waitFor(() => smtp.messages.find((m) => JSON.stringify(m.to).includes(fresh.email!)), { what: 'the welcome mail' });
    expect(mail.subject).toBe(`Welcome ${fresh.name} from ${fresh.company}`);
    expect(mail.text).toContain('Ravi Kumar will call you.');
    expect(mail.attachments.map((a) => [a.filename, a.contentType])).toEqual([['brochure.pdf', 'application/pdf']]);
    expect(mail.attachments[0]!.content.equals(brochure)).toBe(true);
  });
});
