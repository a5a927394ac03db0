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

describe('one date parser, one amount parser', () => {
  let h: Home;
  beforeAll(async () => {
    h = await teamHome();
  });
  afterAll(() => h.cleanup());
  const show = async (id: string) => {
    const j = await h.json(['lead', 'show', id]);
    return j.lead ?? j;
  };

  it('--expected-close takes ISO, numeric dates settled by the values or the date order, and phrases; ambiguous is refused', async () => {
    const id = (await h.ok(['lead', 'add', '--name', 'Dates', '--expected-close', '31/12/2026', '-q'])).trim();
    expect((await show(id)).expectedClose).toBe('2026-12-31');
    await h.ok(['lead', 'edit', id, '--expected-close', 'end of month']);
    expect((await show(id)).expectedClose).toBe('2026-11-30');
    await h.ok(['lead', 'edit', id, '--expected-close', '12/31/2026']);
    expect((await show(id)).expectedClose).toBe('2026-12-31');
    // no region and no date order: 05/12/2027 is not guessed
    await h.fail(['lead', 'edit', id, '--expected-close', '05/12/2027'], 2, /expected close date '05\/12\/2027' is ambiguous: day 5 of month 12, or month 5 day 12\?\nhint: write it as YYYY-MM-DD \(2027-12-05 or 2027-05-12\)/);
    await h.ok(['config', 'set', 'date-order', 'dmy']);
    await h.ok(['lead', 'edit', id, '--expected-close', '05/12/2027']);
    expect((await show(id)).expectedClose).toBe('2027-12-05');
    await h.ok(['config', 'set', 'date-order', 'mdy']);
    await h.ok(['followup', 'add', '--lead', id, '--title', 'Numeric', '--start', '05/12/2027 10:00']);
    const [f] = await h.json(['followup', 'list', '--lead', id]);
    expect(f.start).toBe('2027-05-12T10:00:00.000Z');
  });

  it('--value takes either decimal convention (three digits after a lone mark are thousands in a two-decimal currency)', async () => {
    const id = (await h.ok(['lead', 'add', '--name', 'Money', '--value', '1.234,50', '--currency', 'EUR', '-q'])).trim();
    expect((await show(id)).value).toMatchObject({ amountMinor: 123450, currency: 'EUR' });
    await h.ok(['lead', 'edit', id, '--value', '€ 12.000']);
    expect((await show(id)).value).toMatchObject({ amountMinor: 1200000 });
    await h.ok(['lead', 'edit', id, '--value', '1,234,567.8']);
    expect((await show(id)).value).toMatchObject({ amountMinor: 123456780 });
    await h.ok(['lead', 'edit', id, '--value', '1.234']);
    expect((await show(id)).value).toMatchObject({ amountMinor: 123400 });
    await h.fail(['lead', 'edit', id, '--value', '1.2345'], 2, /EUR has 2 decimal places/);
  });
});
