import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { teamHome, type Home } from '../helpers/cli.js';
import { onTerminal } from '../helpers/pty.js';

describe('on a terminal', () => {
  let h: Home;
  beforeAll(async () => {
    h = await teamHome();
  });
  afterAll(() => h.cleanup());

  it('prompts for a missing required value instead of failing', async () => {
    const { text, code } = await onTerminal(h, ['lead', 'add', '--email', 'prompted@example.com'], [['Lead name', 'Prompted Person\r']]);
    expect(text).toContain('Lead name');
    expect(code).toBe(0);
    const leads = await h.json(['lead', 'list', '--search', 'prompted@example.com']);
    expect(leads.map((l: { name: string }) => l.name)).toEqual(['Prompted Person']);
  });

  it('--yes never prompts, even on a terminal', async () => {
    const { text, code } = await onTerminal(h, ['--yes', 'lead', 'add', '--email', 'noprompt@example.com']);
    expect(code).toBe(2);
    expect(text).toContain('--name is required');
  });

  it('lists are tables with headers on a terminal, coloured unless NO_COLOR', async () => {
    await h.ok(['lead', 'add', '--name', 'Table Row', '--value', '1500']);
    const { text, code } = await onTerminal(h, ['lead', 'list'], [], { NO_COLOR: '' });
    expect(code).toBe(0);
    expect(text).toMatch(/ID\s+NAME\s+BUSINESS\s+STAGE/);
    expect(text).toMatch(/Table Row\s+New\s+EUR 1,500.00/);
    const { NO_COLOR: _, ...colourEnv } = h.env;
    const coloured = await onTerminal({ ...h, env: colourEnv }, ['lead', 'list']);
    expect(coloured.raw).toContain('\x1b[1m');
    const plain = await onTerminal(h, ['lead', 'list']);
    expect(plain.raw).not.toContain('\x1b[1m');
  });

  it('deactivating a user with leads asks where they go (issue 17)', async () => {
    const lead = (await h.json(['lead', 'add', '--name', 'Handed Over', '--assign', 'priya@acme.example'])).lead.id;
    // The first choice is the first other active user: the admin.
    const { text, code } = await onTerminal(h, ['user', 'edit', 'priya@acme.example', '--deactivate'], [['Where do they go?', '\r']]);
    expect(text).toContain('priya@acme.example has 1 lead assigned');
    expect(text).toContain('Leave them unassigned');
    expect(code).toBe(0);
    expect((await h.json(['lead', 'show', String(lead)])).assignedTo).toEqual(['admin@acme.example']);
  });
});
