import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { teamHome, type Home } from '../helpers/cli.js';

/** Won means converted; lost or junk closes what is open; the stage is an argument. */
describe('lead outcomes through the binary', () => {
  let h: Home;
  const add = async (name: string) => Number((await h.ok(['lead', 'add', '--name', name, '--assign', 'ravi@acme.example', '-q'])).trim());
  beforeAll(async () => {
    h = await teamHome();
  });
  afterAll(() => h.cleanup());

  it('lead move ID STAGE: the stage as an argument (or --stage, not two different ones)', async () => {
    const id = await add('Arg Stage');
    expect(await h.ok(['lead', 'move', String(id), 'qualified'])).toBe(`Lead ${id} is now in Qualified`);
    expect(await h.ok(['lead', 'move', String(id), '--stage', 'Demo'])).toBe(`Lead ${id} is now in Demo`);
    await h.fail(['lead', 'move', String(id), 'New', '--stage', 'Demo'], 2, /two stages given: 'New' and --stage 'Demo'/);
    await h.fail(['lead', 'move', String(id)], 2, /which stage\?/);
  });

  it('moving to a won stage converts: customer, conversions report and dashboard agree', async () => {
    const id = await add('Won By Move');
    expect(await h.ok(['lead', 'move', String(id), 'Won', '--order-id', 'SO-7'])).toBe(`Lead ${id} is now in Won and a customer`);
    const lead = await h.json(['lead', 'show', String(id)]);
    expect(lead.lead ?? lead).toMatchObject({ type: 'customer', orderId: 'SO-7' });
    const conv = await h.json(['report', 'conversions', '--details']);
    expect(conv.rows.map((r: { id: number }) => r.id)).toContain(id);
    const dash = await h.json(['dashboard']);
    expect(dash.leads.customers).toBeGreaterThanOrEqual(1);
    expect(dash.leads.conversionRatePct).toBeGreaterThan(0);
    // converting again is refused; the move is a no-op when already there
    await h.fail(['lead', 'convert', String(id)], 4, /already a customer/);
  });

  it('losing a lead cancels its open follow-ups and their reminders, on the timeline', async () => {
    const id = await add('Lost Soon');
    await h.ok(['followup', 'add', '--lead', String(id), '--title', 'Call back', '--start', '2026-11-30 10:00', '--notify', '1h']);
    await h.ok(['followup', 'add', '--lead', String(id), '--title', 'Send deck', '--start', '2026-12-02 10:00']);
    expect(await h.json(['followup', 'list', '--lead', String(id)])).toHaveLength(2);
    await h.ok(['lead', 'move', String(id), 'Lost', '--reason', 'budget cut']);
    expect(await h.json(['followup', 'list', '--lead', String(id)])).toEqual([]);
    const cancelled = await h.json<{ status: string }[]>(['followup', 'list', '--lead', String(id), '--status', 'cancelled']);
    expect(cancelled.map((f) => f.status)).toEqual(['cancelled', 'cancelled']);
    const text = await h.ok(['lead', 'show', String(id)]);
    expect(text).toMatch(/budget cut/);
    expect((text.match(/follow-up cancelled|cancelled/g) ?? []).length).toBeGreaterThanOrEqual(2);
  });

  it('marking a lead junk does the same', async () => {
    const id = await add('Junk Soon');
    await h.ok(['followup', 'add', '--lead', String(id), '--title', 'Chase', '--start', '2026-11-30 10:00']);
    await h.ok(['lead', 'edit', String(id), '--status', 'junk']);
    expect(await h.json(['followup', 'list', '--lead', String(id)])).toEqual([]);
  });
});

describe('lead edit: one email or phone at a time', () => {
  let h: Home;
  beforeAll(async () => {
    h = await teamHome();
  });
  afterAll(() => h.cleanup());

  it('--add-phone/--remove-phone and --add-email/--remove-email keep the rest of the list', async () => {
    const id = (await h.ok(['lead', 'add', '--name', 'Two Phones', '--phone', '+351 912 345 678', '--email', 'one@phones.example', '-q'])).trim();
    await h.ok(['lead', 'edit', id, '--add-phone', '+351 913 000 111', '--add-email', 'two@phones.example']);
    let lead = await h.json(['lead', 'show', id]);
    lead = lead.lead ?? lead;
    expect(lead.phones).toEqual(['+351912345678', '+351913000111']);
    expect(lead.emails).toEqual(['one@phones.example', 'two@phones.example']);
    // removed written another way than stored (spaces, case): the same number and address
    await h.ok(['lead', 'edit', id, '--remove-phone', '+351 912-345-678', '--remove-email', 'ONE@phones.example']);
    lead = await h.json(['lead', 'show', id]);
    lead = lead.lead ?? lead;
    expect(lead.phones).toEqual(['+351913000111']);
    expect(lead.emails).toEqual(['two@phones.example']);
    await h.fail(['lead', 'edit', id, '--remove-phone', '+351 999 999 999'], 3, /lead \d+ has no phone \+351 999 999 999\nhint: see its emails and phones with crm lead show \d+/);
    await h.fail(['lead', 'edit', id, '--phone', '+351 912 345 678', '--add-phone', '+351 913 000 222'], 2, /give either --phone \(the whole list\) or --add-phone\/--remove-phone/);
  });
});
