/**
 * Orders, invoices and payments through the built binary (issue 19, O1), on the backend
 * CRM_TEST_STORE names: catalogue and free-text lines with inclusive and exclusive taxes at
 * several rates, billing into numbered invoices, payments, cancelling, what a rep may see; and
 * invoice numbering under eight concurrent `crm order bill` processes: no gap, no duplicate.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { teamHome, type Home } from '../helpers/cli.js';

let h: Home | undefined;
afterEach(() => {
  h?.cleanup();
  h = undefined;
});

describe('crm order / invoice / product through the binary', () => {
  it('order from the catalogue and free text, bill, pay in two parts; totals per line and by rate; timeline; refusals', async () => {
    h = await teamHome();
    await h.ok(['product', 'add', '--name', 'Widget', '--price', '19.99', '--tax', '23', '--currency', 'EUR']);
    await h.ok(['product', 'add', '--name', 'Book', '--price', '10.60', '--tax', '6', '--inclusive', '--currency', 'EUR']);
    expect(await h.ok(['product', 'list'])).toBe('2\tBook\tEUR 10.60\t6 incl.\tyes\n1\tWidget\tEUR 19.99\t23\tyes');
    const lead = (await h.ok(['lead', 'add', '-q', '--name', 'Ana Sousa', '--business', 'Sousa Lda', '--email', 'ana@sousa.example', '--assign', 'ravi@acme.example'])).trim();
    const other = (await h.ok(['lead', 'add', '-q', '--name', 'Rita', '--email', 'rita@example.com', '--assign', 'priya@acme.example'])).trim();

    const o = await h.json(['order', 'add', '--lead', lead, '--product', 'Widget; qty=3; discount=10', '--product', 'Book; qty=2', '--item', 'Install, on site; price=250; tax=23; inclusive', '--as', 'ravi@acme.example']);
    // Widget: 3 × 19.99 = 59.97, −10% 6.00 → 53.97, +23% 12.41 = 66.38. Book: 2 × 10.60 = 21.20 incl. 6%: net 20.00, tax 1.20.
    // Install: 250.00 incl. 23%: net 203.25, tax 46.75.
    expect(o).toMatchObject({ id: 1, status: 'draft', title: 'Widget and 2 more', currency: 'EUR', invoiceNumber: null,
      subtotal: { amountMinor: 33117 }, discount: { amountMinor: 600 }, tax: { amountMinor: 6036 }, total: { amount: '337.58' } });
    expect(o.items.map((i: any) => [i.net.amountMinor, i.tax.amountMinor, i.total.amountMinor])).toEqual([[5397, 1241, 6638], [2000, 120, 2120], [20325, 4675, 25000]]);
    const shown = await h.json(['order', 'show', '1']);
    expect(shown.taxes).toEqual([
      { ratePct: '23', net: { amountMinor: 25722, amount: '257.22', currency: 'EUR' }, tax: { amountMinor: 5916, amount: '59.16', currency: 'EUR' } },
      { ratePct: '6', net: { amountMinor: 2000, amount: '20.00', currency: 'EUR' }, tax: { amountMinor: 120, amount: '1.20', currency: 'EUR' } },
    ]);

    await h.ok(['order', 'edit', '1', '--title', 'Office fit-out', '--as', 'ravi@acme.example']);
    expect(await h.ok(['order', 'bill', '1', '--as', 'ravi@acme.example'])).toBe('Billed order 1: invoice INV-2026-0001, EUR 337.58, due 2026-12-07');
    await h.fail(['order', 'edit', '1', '--title', 'x'], 4, /order 1 is billed; only a draft can be changed/);
    await h.fail(['order', 'bill', '1'], 4, /only a draft can be billed/);
    // A rep sees only the orders of their own leads.
    await h.fail(['order', 'show', '1', '--as', 'priya@acme.example'], 5, /not assigned to you/);
    expect(await h.ok(['invoice', 'list', '--as', 'priya@acme.example'])).toBe('');
    await h.fail(['order', 'add', '--lead', other, '--item', 'x; price=1', '--as', 'ravi@acme.example'], 5);

    await h.fail(['invoice', 'pay', 'INV-2026-0001', '--amount', '400'], 4, /EUR 400\.00 is more than the balance of invoice INV-2026-0001 \(EUR 337\.58\)/);
    await h.fail(['invoice', 'pay', 'INV-2026-0001', '--amount', '1.2345'], 2, /EUR has 2 decimal places/);
    await h.fail(['invoice', 'pay', 'INV-2026-0001', '--date', '2026-12-01'], 2, /in the future/);
    expect(await h.ok(['invoice', 'pay', 'inv-2026-0001', '--amount', '100', '--date', '2026-11-20', '--method', 'card'])).toBe('Recorded EUR 100.00 for invoice INV-2026-0001: EUR 237.58 still due');
    await h.fail(['order', 'cancel', '1'], 4, /has payments/);
    expect(await h.ok(['invoice', 'list', '--status', 'partially-paid'])).toBe('INV-2026-0001\t1\t1 Ana Sousa\tpartially-paid\tEUR 337.58\tEUR 237.58\t2026-11-23\t2026-12-07');
    const paid = await h.json(['invoice', 'pay', 'INV-2026-0001', '--note', 'rest']);
    expect(paid).toMatchObject({ status: 'paid', paid: { amountMinor: 33758 }, balance: { amountMinor: 0 }, payment: { amount: { amountMinor: 23758 }, method: 'bank transfer', paidOn: '2026-11-23', note: 'rest' } });
    await h.fail(['invoice', 'pay', 'INV-2026-0001', '--amount', '1'], 4, /is paid; it takes no payment/);
    const inv = await h.json(['invoice', 'show', 'INV-2026-0001']);
    expect(inv.payments.map((p: any) => [p.paidOn, p.amount.amount, p.method])).toEqual([['2026-11-20', '100.00', 'card'], ['2026-11-23', '237.58', 'bank transfer']]);

    // A draft cancelled takes no number; a billed one keeps its number (never reused).
    await h.ok(['order', 'add', '--lead', lead, '--item', 'Extra; price=5']);
    expect(await h.ok(['order', 'cancel', '2', '--reason', 'ordered twice'])).toBe('Order 2 cancelled');
    await h.ok(['order', 'add', '--lead', lead, '--item', 'Extra; price=5']);
    expect(await h.ok(['order', 'bill', '-q', '3'])).toBe('INV-2026-0002');
    expect(await h.ok(['order', 'cancel', '3', '--rejected', '--reason', 'too dear'])).toBe('Order 3 rejected (invoice INV-2026-0002)');
    await h.ok(['order', 'add', '--lead', lead, '--item', 'Extra; price=5']);
    expect(await h.ok(['order', 'bill', '-q', '4'])).toBe('INV-2026-0003');

    const timeline = (await h.json(['lead', 'show', lead])).timeline.filter((e: any) => e.type === 'order').map((e: any) => e.body);
    expect(timeline).toContain('#1 billed: invoice INV-2026-0001, EUR 337.58, due 2026-12-07');
    expect(timeline).toContain('#1 payment of EUR 237.58 on 2026-11-23 by bank transfer for invoice INV-2026-0001 (paid in full)');
    expect(timeline).toContain('#3 rejected (invoice INV-2026-0002) — too dear');

    await h.fail(['order', 'add', '--lead', lead, '--item', 'No price'], 2, /has no price/);
    await h.fail(['order', 'add', '--lead', lead, '--item', 'X; price=1; colour=red'], 2, /cannot read 'colour=red'/);
    await h.fail(['order', 'add', '--lead', lead, '--product', 'Gadget'], 3, /no product 'Gadget'/);
    await h.fail(['product', 'add', '--name', 'Thing', '--price', '1', '--as', 'ravi@acme.example'], 5);
  }, 300_000);

  it('eight concurrent `order bill` processes take INV-…-0001 to 0008: no gap, no duplicate; continuous numbering with a prefix', async () => {
    h = await teamHome();
    const lead = (await h.ok(['lead', 'add', '-q', '--name', 'Ana Sousa', '--email', 'ana@sousa.example'])).trim();
    for (let i = 1; i <= 9; i++) await h.ok(['order', 'add', '-q', '--lead', lead, '--item', `Thing ${i}; price=${i}`]);
    const runs = await Promise.all([1, 2, 3, 4, 5, 6, 7, 8].map((id) => h!.run(['order', 'bill', '-q', String(id)], { timeout: 60_000 })));
    for (const r of runs) expect(r.exitCode, String(r.stderr)).toBe(0);
    const numbers = runs.map((r) => String(r.stdout).trim());
    expect([...numbers].sort()).toEqual([1, 2, 3, 4, 5, 6, 7, 8].map((n) => `INV-2026-000${n}`));
    // Each order got the number its process printed.
    const list = await h.json<any[]>(['invoice', 'list']);
    expect(Object.fromEntries(list.map((o) => [o.id, o.invoiceNumber]))).toEqual(Object.fromEntries(numbers.map((n, i) => [i + 1, n])));

    await h.ok(['config', 'set', 'invoice.counter', 'continuous']);
    await h.ok(['config', 'set', 'invoice.prefix', 'ACME/']);
    await h.fail(['config', 'set', 'invoice.prefix', 'bad prefix'], 2, /invalid invoice.prefix/);
    expect(await h.ok(['order', 'bill', '-q', '9'])).toBe('ACME/000001');
  }, 300_000);

  it('contact persons of a company: add (phone normalised), at most lead.max-persons, edit, remove; in lead show and on the timeline', async () => {
    h = await teamHome();
    await h.ok(['config', 'set', 'phone.region', 'PT']);
    const co = (await h.ok(['lead', 'add', '-q', '--name', 'Sousa Lda', '--kind', 'company', '--email', 'geral@sousa.example', '--assign', 'ravi@acme.example'])).trim();
    const person = (await h.ok(['lead', 'add', '-q', '--name', 'Ana', '--email', 'ana@example.com'])).trim();
    const rui = await h.json(['lead', 'person', 'add', co, '--name', 'Rui Costa', '--role', 'CFO', '--email', 'rui@sousa.example', '--phone', '912 345 678', '--commission', '2.5', '--portal', '--as', 'ravi@acme.example']);
    expect(rui).toMatchObject({ leadId: Number(co), name: 'Rui Costa', role: 'CFO', email: 'rui@sousa.example', phone: '+351912345678', commissionPct: '2.5', portal: true });
    await h.fail(['lead', 'person', 'add', person, '--name', 'X'], 2, /is a person, not a company/);
    await h.fail(['lead', 'person', 'add', co, '--name', 'X', '--commission', '150'], 2, /over 100/);
    await h.fail(['lead', 'person', 'add', co, '--name', 'X', '--as', 'priya@acme.example'], 5);
    await h.ok(['config', 'set', 'lead.max-persons', '2']);
    await h.ok(['lead', 'person', 'add', co, '--name', 'Eva Lima']);
    await h.fail(['lead', 'person', 'add', co, '--name', 'Third'], 4, /has 2 contact persons already/);
    expect(await h.ok(['lead', 'person', 'edit', String(rui.id), '--no-portal', '--role', ''])).toBe('Contact person #1 Rui Costa <rui@sousa.example> +351912345678, commission 2.5%');
    expect(await h.ok(['lead', 'person', 'list', co])).toBe('1\tRui Costa\t\trui@sousa.example\t+351912345678\t2.5\tno\n2\tEva Lima\t\t\t\t\tno');
    await h.ok(['lead', 'person', 'remove', '2']);
    const shown = await h.json(['lead', 'show', co]);
    expect(shown.persons.map((p: any) => p.name)).toEqual(['Rui Costa']);
    expect(shown.timeline.filter((a: any) => a.type === 'contact-person').map((a: any) => a.body)).toEqual([
      'contact person removed: Eva Lima', 'contact person Rui Costa changed: role, portal', 'contact person added: Eva Lima', 'contact person added: Rui Costa (CFO) <rui@sousa.example>',
    ]);
    expect(await h.ok(['lead', 'show', co])).toMatch(/Contact persons\n {2}#1 Rui Costa <rui@sousa\.example> \+351912345678, commission 2\.5%\n/);
  }, 300_000);

  it('reports: revenue by month, user and product; unpaid; ageing in buckets of days past due', async () => {
    h = await teamHome();
    const at = (iso: string) => ({ env: { CRM_NOW: `${iso}T09:00:00.000Z` } });
    const lead = (await h.ok(['lead', 'add', '-q', '--name', 'Ana Sousa', '--email', 'ana@sousa.example', '--assign', 'ravi@acme.example'])).trim();
    const bill = async (day: string, due: string, item: string, as = 'ravi@acme.example') => {
      const id = (await h!.ok(['order', 'add', '-q', '--lead', lead, '--item', item, '--as', as], at(day))).trim();
      await h!.ok(['order', 'bill', id, '--due', due], at(day));
      return id;
    };
    await bill('2026-07-01', '2026-07-10', 'Widget; qty=2; price=100; tax=23');               // 246.00, 136 days overdue on 2026-11-23
    await bill('2026-09-01', '2026-09-30', 'Service; price=50');                               // 50.00, 54 days
    const paidLater = await bill('2026-10-05', '2026-11-01', 'Widget; price=100; tax=23', 'admin@acme.example'); // 123.00, 22 days
    await bill('2026-11-20', '2026-12-20', 'Service; price=10');                               // not due
    const cancelled = (await h.ok(['order', 'add', '-q', '--lead', lead, '--item', 'Gone; price=999'], at('2026-10-01'))).trim();
    await h.ok(['order', 'bill', cancelled], at('2026-10-01'));
    await h.ok(['order', 'cancel', cancelled]);
    await h.ok(['invoice', 'pay', `INV-2026-000${paidLater}`, '--amount', '23']);

    const rev = await h.json(['report', 'revenue', '--by', 'month']);
    expect(rev.rows.map((r: any) => [r.key, r.invoices, r.revenue[0]?.amount])).toEqual([['2026-07', 1, 246], ['2026-09', 1, 50], ['2026-10', 1, 123], ['2026-11', 1, 10]]);
    const byUser = await h.json(['report', 'revenue', '--by', 'user']);
    expect(byUser.rows.map((r: any) => [r.key, r.invoices, r.revenue[0].amount, r.paid[0].amount])).toEqual([['ravi@acme.example', 3, 306, 0], ['admin@acme.example', 1, 123, 23]]);
    const byProduct = await h.json(['report', 'revenue', '--by', 'product', '--from', '2026-08-01']);
    expect(byProduct.rows.map((r: any) => [r.key, r.invoices, r.revenue[0].amount])).toEqual([['Widget', 1, 123], ['Service', 2, 60]]);
    await h.fail(['report', 'revenue', '--by', 'colour'], 2, /group it by month, user or product/);

    const unpaid = await h.json(['report', 'unpaid']);
    expect(unpaid.rows.map((r: any) => [r.invoice, r.daysOverdue, r.balance[0].amount])).toEqual([
      ['INV-2026-0001', 136, 246], ['INV-2026-0002', 54, 50], ['INV-2026-0003', 22, 100], ['INV-2026-0004', 0, 10],
    ]);
    expect((await h.ok(['report', 'ageing', '--format', 'csv'])).replace(/\r/g, '')).toBe(
      'DAYS OVERDUE,INVOICES,BALANCE,BALANCE CURRENCY\nnot due,1,10,EUR\n0-30,1,100,EUR\n31-60,1,50,EUR\n61-90,0,,\n90+,1,246,EUR');
    // A rep sees only their own leads' invoices: Priya has none.
    expect((await h.json(['report', 'unpaid', '--as', 'priya@acme.example'])).rows).toEqual([]);
  }, 300_000);

  it('proposal mark ID accepted --order: the accepted proposal becomes a draft order in one step; nothing stored when it fails', async () => {
    h = await teamHome();
    writeFileSync(join(h.dir, 'p.md'), 'Dear {contact_name}, {total}\n');
    writeFileSync(join(h.dir, 'items.csv'), 'description,quantity,unit_price,discount,tax\nWidget,3,19.99,10,23\nSupport hours,2.5,40.00,0,0\n');
    await h.ok(['proposal', 'template', 'add', '--name', 'standard', '--subject', 'Proposal for {business_name}', '--body-file', join(h.dir, 'p.md')]);
    const lead = (await h.ok(['lead', 'add', '-q', '--name', 'Ana Sousa', '--business', 'Sousa Lda', '--email', 'ana@sousa.example'])).trim();
    await h.ok(['proposal', 'send', '--lead', lead, '--template', 'standard', '--items', join(h.dir, 'items.csv')]);
    await h.ok(['proposal', 'send', '--lead', lead, '--template', 'standard']);
    await h.fail(['proposal', 'mark', '2', 'accepted', '--order'], 4, /proposal 2 has no line items to order/);
    expect((await h.json(['proposal', 'show', '2'])).status).toBe('sent');
    await h.fail(['proposal', 'mark', '1', 'rejected', '--order'], 2, /--order goes with accepted/);
    expect(await h.ok(['proposal', 'mark', '1', 'accepted', '--order'])).toBe('Proposal 1 marked accepted; order 1 made from it (EUR 166.38, draft; bill it with crm order bill 1)');
    const o = await h.json(['order', 'show', '1']);
    expect(o).toMatchObject({ proposalId: 1, title: 'Proposal for Sousa Lda', status: 'draft', total: { amountMinor: 16638 } });
    expect(o.items.map((i: any) => [i.description, i.quantity, i.total.amountMinor, i.taxInclusive])).toEqual([['Widget', '3', 6638, false], ['Support hours', '2.5', 10000, false]]);
    await h.fail(['proposal', 'mark', '1', 'accepted', '--order'], 4, /already accepted/);
    expect((await h.json<any[]>(['order', 'list'])).length).toBe(1);
  }, 300_000);
});
