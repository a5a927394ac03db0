import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { teamHome, type Home } from '../helpers/cli.js';

describe('crm lead (smoke)', () => {
  let h: Home;
  beforeAll(async () => {
    h = await teamHome();
  });
  afterAll(() => h.cleanup());

  it('adds a lead and shows it with its timeline', async () => {
    const added = await h.json(['lead', 'add', '--name', 'Ana Sousa', '--email', 'ana@sousa.example', '--phone', '+351 912 345 678', '--value', '12000']);
    expect(added.outcome).toBe('new');
    expect(added.lead.phones).toEqual(['+351912345678']);
    expect(added.lead.value).toEqual({ amountMinor: 1200000, amount: '12000.00', currency: 'EUR' });
    const shown = await h.json(['lead', 'show', String(added.lead.id)]);
    expect(shown.timeline.map((a: { type: string }) => a.type)).toEqual(['created']);
  });
});
