import { afterEach, describe, expect, it } from 'vitest';
import { teamHome, type Home } from '../helpers/cli.js';
import { daemonTracker, LIVE } from '../helpers/daemon.js';
import { waitFor } from '../helpers/wait.js';

/**
 * U2 through the binary: a rep sees and reaches only their own records, with other reps'
 * records present. What a rep may learn of another rep's contact: that it exists and whom to ask.
 */
const RAVI = ['--as', 'ravi@acme.example'];

async function userId(h: Home, email: string): Promise<number> {
  return (await h.json<{ id: number; email: string }[]>(['user', 'list'])).find((u) => u.email === email)!.id;
}

async function addLead(h: Home, args: string[]): Promise<number> {
  return Number((await h.ok(['lead', 'add', ...args, '-q'])).trim());
}

/** Priya's lead Ana Sousa, lost; what a rep must not learn of it. */
async function priyasLostLead(h: Home): Promise<number> {
  const id = await addLead(h, ['--name', 'Ana Sousa', '--business', 'Sousa Lda', '--email', 'ana@sousa.example', '--phone', '+351 912 345 678', '--assign', 'priya@acme.example']);
  await h.ok(['lead', 'lose', String(id), '--reason', 'Price too high']);
  return id;
}

function expectNothingOf(stderr: unknown, id: number): void {
  const text = String(stderr);
  for (const secret of [`lead ${id}`, `#${id}`, 'Ana Sousa', 'Sousa Lda', 'Lost', 'Price too high', 'priya@acme.example']) expect(text).not.toContain(secret);
}

const pending = async (h: Home, rule: string) => (await h.json<any[]>(['outbox', 'list', '--pending'])).filter((m) => m.rule === rule);

describe("a rep adding another rep's contact", () => {
  let h: Home;
  afterEach(() => h?.cleanup());

  it("is refused for a lost lead: no id, name or stage; nothing merged; its owner is told, with the rep's input", async () => {
    h = await teamHome();
    const ana = await priyasLostLead(h);
    const r = await h.fail(['lead', 'add', '--name', 'Ana R', '--email', 'ANA@sousa.example', '--phone', '+351 912 000 111', ...RAVI], 4);
    expect(String(r.stderr)).toBe(
      'error: a contact with email ana@sousa.example already exists and is not assigned to you (ravi@acme.example)\n'
      + 'hint: ask Priya Shah (its owner) about it: your details are in their crm inbox',
    );
    expect(String(r.stdout)).toBe('');
    expectNothingOf(r.stderr, ana);
    expect(await h.json(['lead', 'show', String(ana)])).toMatchObject({ stage: 'Lost', phones: ['+351912345678'], emails: ['ana@sousa.example'], assignedTo: ['priya@acme.example'] });
    expect(await h.json(['lead', 'list', '--status', 'all', ...RAVI])).toEqual([]);
    expect((await pending(h, 'contact-attempt')).map((m) => [m.channel, m.recipient, m.leadId])).toEqual([['inbox', { kind: 'user', id: await userId(h, 'priya@acme.example') }, ana]]);
    expect(await pending(h, 're-engaged')).toEqual([]);
  });

  it("is refused for an active lead without naming the lead; an unowned lead's contact sends the rep to their manager", async () => {
    h = await teamHome();
    const ana = await addLead(h, ['--name', 'Ana Sousa', '--email', 'ana@sousa.example', '--assign', 'priya@acme.example']);
    const r = await h.fail(['lead', 'add', '--name', 'Ana R', '--email', 'ana@sousa.example', ...RAVI], 4,
      /a contact with email ana@sousa\.example already exists and is not assigned to you[\s\S]*hint: ask Priya Shah \(its owner\)/);
    expectNothingOf(r.stderr, ana);

    const nobodys = await addLead(h, ['--name', 'Nuno Reis', '--phone', '+351 913 333 333']);
    const n = await h.fail(['lead', 'add', '--name', 'Nuno', '--phone', '+351913333333', ...RAVI], 4,
      'error: a contact with phone +351913333333 already exists and is not assigned to you (ravi@acme.example)\nhint: ask Meera Iyer (your manager) about it: your details are in their crm inbox');
    expect(String(n.stderr)).not.toContain('Nuno Reis');
    expect((await pending(h, 'contact-attempt')).map((m) => [m.recipient.id, m.leadId]).sort()).toEqual([
      [await userId(h, 'priya@acme.example'), ana],
      [await userId(h, 'meera@acme.example'), nobodys],
    ].sort());
    // The owners were told about the attempt itself, not as a duplicate with the lead's details for admins.
    expect(await pending(h, 'duplicate-lead')).toEqual([]);
  });

  it("lead edit adding another rep's email to the rep's own lead is refused the same way", async () => {
    h = await teamHome();
    const ana = await addLead(h, ['--name', 'Ana Sousa', '--email', 'ana@sousa.example', '--assign', 'priya@acme.example']);
    const own = await addLead(h, ['--name', 'Ravi Own', ...RAVI]);
    const r = await h.fail(['lead', 'edit', String(own), '--email', 'ana@sousa.example', ...RAVI], 4, /already exists and is not assigned to you[\s\S]*ask Priya Shah \(its owner\)/);
    expectNothingOf(r.stderr, ana);
    expect((await h.json(['lead', 'show', String(own)])).emails).toEqual([]);
    expect((await pending(h, 'contact-attempt')).map((m) => m.leadId)).toEqual([ana]);

    // Restoring a deleted lead of theirs whose email another rep's lead now has: refused the same way.
    const old = await addLead(h, ['--name', 'Old Ravi', '--email', 'old@ravi.example', ...RAVI]);
    await h.ok(['lead', 'delete', '--yes', String(old), ...RAVI]);
    const taken = await addLead(h, ['--name', 'Taken', '--email', 'old@ravi.example', '--assign', 'priya@acme.example']);
    const back = await h.fail(['lead', 'restore', String(old), ...RAVI], 4, /a contact with email old@ravi\.example already exists and is not assigned to you[\s\S]*ask Priya Shah/);
    expect(String(back.stderr)).not.toMatch(new RegExp(`lead ${taken}\\b|Taken|priya@`));
  });

  it("managers and admins keep today's behaviour; a rep's own lost lead re-engages for them", async () => {
    h = await teamHome();
    const ana = await priyasLostLead(h);
    expect(await h.ok(['lead', 'add', '--name', 'Ana', '--email', 'ana@sousa.example', '--as', 'meera@acme.example']))
      .toBe(`Re-engaged lead ${ana}: Ana Sousa (was active, Lost; now New)`);
    await h.fail(['lead', 'add', '--name', 'Ana', '--email', 'ana@sousa.example'], 4, `duplicate: lead ${ana} already has email ana@sousa.example`);
    const own = await addLead(h, ['--name', 'Ravi Own', '--email', 'own@ravi.example', ...RAVI]);
    await h.ok(['lead', 'lose', String(own), '--reason', 'Silent', ...RAVI]);
    expect(await h.ok(['lead', 'add', '--name', 'Own', '--email', 'own@ravi.example', '--phone', '+351 914 444 444', ...RAVI]))
      .toBe(`Re-engaged lead ${own}: Ravi Own (was active, Lost; now New)`);
  });
});

describe("the owner's inbox", () => {
  const tracker = daemonTracker();
  afterEach(() => tracker.teardown());

  it("gets the rep's attempt with what the rep typed, delivered by the daemon", async () => {
    const h = tracker.home(await teamHome());
    const ana = await priyasLostLead(h);
    await h.fail(['lead', 'add', '--name', 'Ana R', '--business', 'Ravi Deals', '--email', 'ana@sousa.example', '--phone', '+351 912 000 111', ...RAVI], 4);
    await h.ok(['daemon', 'start'], LIVE);
    const item = await waitFor(
      async () => (await h.json<any[]>(['inbox', '--as', 'priya@acme.example'])).find((i) => i.rule === 'contact-attempt'),
      { what: "the contact-attempt item in Priya's inbox", timeoutMs: 20_000, intervalMs: 100 },
    );
    expect(item).toMatchObject({ leadId: ana, readAt: null });
    expect(item.body).toBe(`Ravi Kumar (ravi@acme.example) tried to add Ana R (business Ravi Deals, email ana@sousa.example, phone +351912000111), whose email ana@sousa.example belongs to lead ${ana} Ana Sousa; nothing was stored. crm lead show ${ana}`);
    expect((await h.json<any[]>(['inbox', '--as', 'ravi@acme.example'])).filter((i) => i.rule === 'contact-attempt')).toEqual([]);
  });
});

describe("another rep's lead by id", () => {
  let h: Home;
  afterEach(() => h?.cleanup());

  it('is refused with exit 5, naming neither the lead nor its owner, whatever the command', async () => {
    h = await teamHome();
    const ana = await priyasLostLead(h);
    const own = await addLead(h, ['--name', 'Ravi Own', ...RAVI]);
    const a = String(ana);
    const call = await h.json(['call', 'log', '--lead', a, '--outcome', 'rnr', '--duration', '1m', '--as', 'priya@acme.example']);
    const attempts = [
      ['call', 'delete', String(call.id), '--yes'],
      ['lead', 'show', a], ['lead', 'edit', a, '--phone', '+351 915 555 555'], ['lead', 'move', a, '--stage', 'New'], ['lead', 'note', a, 'hi'],
      ['lead', 'merge', '--yes', String(own), '--into', a], ['lead', 'merge', '--yes', a, '--into', String(own)], ['customer', 'show', a],
      ['followup', 'add', '--lead', a, '--title', 'Call'], ['followup', 'list', '--lead', a],
      ['call', 'log', '--lead', a, '--outcome', 'rnr', '--duration', '1m'], ['call', 'list', '--lead', a],
      ['appointment', 'add', '--lead', a, '--at', '2026-11-25 15:00'], ['appointment', 'list', '--lead', a],
      ['proposal', 'send', '--lead', a, '--template', 'standard'], ['proposal', 'list', '--lead', a],
    ];
    for (const args of attempts) {
      const r = await h.run([...args, ...RAVI]);
      expect(r.exitCode, `crm ${args.join(' ')}: ${r.stderr}`).toBe(args[0] === 'customer' ? 3 : 5);
      expect(String(r.stderr), `crm ${args.join(' ')}`).not.toMatch(/priya|Priya|Ana Sousa|Sousa Lda|Price too high/);
    }
    expect(await h.json(['lead', 'show', a])).toMatchObject({ stage: 'Lost', phones: ['+351912345678'] });
  });
});

describe('what a rep sees with other reps’ records present', () => {
  let h: Home;
  afterEach(() => h?.cleanup());

  it('lists, the board, export, segments and every report hold only their own records and totals', async () => {
    h = await teamHome();
    const PRIYA = ['--as', 'priya@acme.example'];
    const mine = await addLead(h, ['--name', 'Ravi Lead', '--email', 'r@ravi.example', '--source', 'Website', '--value', '100', ...RAVI]);
    const myCustomer = await addLead(h, ['--name', 'Ravi Customer', '--source', 'Referral', '--value', '300', ...RAVI]);
    await h.ok(['lead', 'convert', String(myCustomer), ...RAVI]);
    const hers = await addLead(h, ['--name', 'Priya Lead', '--email', 'p@priya.example', '--source', 'Website', '--value', '900', ...PRIYA]);
    const herCustomer = await addLead(h, ['--name', 'Priya Customer', '--source', 'Referral', '--value', '700', ...PRIYA]);
    await h.ok(['lead', 'convert', String(herCustomer), ...PRIYA]);
    await addLead(h, ['--name', 'Nobody Lead', '--source', 'Website', '--value', '500']);
    await h.ok(['followup', 'add', '--lead', String(mine), '--title', 'Call Ravi Lead', ...RAVI]);
    await h.ok(['followup', 'add', '--lead', String(hers), '--title', 'Call Priya Lead', ...PRIYA]);
    await h.ok(['call', 'log', '--lead', String(mine), '--outcome', 'rnr', '--duration', '1m', ...RAVI]);
    await h.ok(['call', 'log', '--lead', String(hers), '--outcome', 'connected', '--duration', '2m', ...PRIYA]);
    for (const [lead, as] of [[mine, RAVI], [hers, PRIYA]] as const) {
      const appt = await h.json(['appointment', 'add', '--lead', String(lead), '--kind', 'demo', '--at', '2026-11-23 08:00', '--past', ...as]);
      await h.ok(['appointment', 'complete', String(appt.id), ...as]);
    }
    await h.ok(['segment', 'add', 'everyone', '--where', 'score>=0']);

    const ids = (rows: { id: number }[]) => rows.map((r) => r.id).sort((x, y) => x - y);
    expect(ids(await h.json(['lead', 'list', ...RAVI]))).toEqual([mine]);
    expect(ids(await h.json(['lead', 'list', '--status', 'all', ...RAVI]))).toEqual([mine]);
    expect(ids(await h.json(['customer', 'list', ...RAVI]))).toEqual([myCustomer]);
    const board = await h.ok(['board', ...RAVI]);
    expect(board).toContain(`#${mine}  Ravi Lead`);
    expect(board).not.toMatch(/Priya|Nobody/);
    expect(board).toMatch(/^New · 1 lead · EUR 100\.00/m);
    const csv = (await h.ok(['lead', 'export', '--type', 'all', ...RAVI])).trim().split('\n');
    expect(csv.slice(1).map((l) => Number(l.split(',')[0])).sort()).toEqual([mine, myCustomer]);
    expect((await h.ok(['segment', 'count', 'everyone', ...RAVI])).trim()).toBe('2');
    expect(ids((await h.json(['segment', 'show', 'everyone', ...RAVI])).leads)).toEqual([mine, myCustomer]);

    const report = async (args: string[]) => {
      const out = await h.ok(['report', ...args, '--format', 'json', ...RAVI]);
      expect(out, `report ${args.join(' ')}`).not.toMatch(/priya|Priya|Nobody/);
      return JSON.parse(out).rows;
    };
    expect(await report(['leads', '--by', 'user'])).toEqual([{ key: 'ravi@acme.example', leads: 2, customers: 1, conversionPct: 50 }]);
    expect(await report(['leads', '--by', 'source'])).toEqual([
      expect.objectContaining({ key: 'Referral', leads: 1, customers: 1 }), expect.objectContaining({ key: 'Website', leads: 1, customers: 0 }),
    ]);
    expect((await report(['leads', '--by', 'status'])).reduce((n: number, r: { leads: number }) => n + r.leads, 0)).toBe(2);
    expect(await report(['followups', '--by', 'user'])).toHaveLength(1);
    expect(await report(['followups', '--by', 'contact'])).toHaveLength(1);
    expect(await report(['conversions'])).toEqual([expect.objectContaining({ user: 'ravi@acme.example' })]);
    expect(await report(['conversions', '--details'])).toHaveLength(1);
    const hourly = await report(['performance', '--hourly']);
    expect(hourly.reduce((n: number, r: { calls: number }) => n + r.calls, 0)).toBe(1);
    const pipeline = await report(['pipeline']);
    expect(JSON.stringify(pipeline)).not.toMatch(/900|700|500/);
    expect(await report(['demos', '--completed', 'today'])).toHaveLength(1);
  });
});
