/**
 * `crm mcp` through the built binary, spoken to by the MCP SDK's own client over stdio (the
 * way Claude Desktop or an IDE runs it): initialize, tools/list, tool calls, a lead resource;
 * a rep reaches no other rep's lead through any tool; writes only with --allow-write; every call
 * audited.
 */
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIN, teamHome, type Home } from '../helpers/cli.js';

type ToolOut = { content: { type: string; text: string }[]; structuredContent?: any; isError?: boolean };

describe('crm mcp (end to end, with the SDK client)', () => {
  let h: Home;
  let ravis: number;
  let priyas: number;
  const open: Client[] = [];

  async function connect(as: string, args: string[] = []): Promise<Client> {
    const transport = new StdioClientTransport({ command: BIN, args: ['mcp', ...args], env: { ...h.env, CRM_USER: as }, stderr: 'pipe' });
    const client = new Client({ name: 'crm-test', version: '1.0.0' });
    await client.connect(transport);
    open.push(client);
    return client;
  }
  const call = async (c: Client, name: string, args: Record<string, unknown> = {}) => (await c.callTool({ name, arguments: args })) as ToolOut;

  beforeAll(async () => {
    h = await teamHome();
    ravis = (await h.json(['lead', 'add', '--name', 'Ana Sousa', '--email', 'ana@sousa.example', '--assign', 'ravi@acme.example'])).lead.id;
    priyas = (await h.json(['lead', 'add', '--name', 'Bo Chen', '--email', 'bo@chen.example', '--business', 'Chen Imports', '--assign', 'priya@acme.example'])).lead.id;
    await h.ok(['lead', 'note', String(priyas), 'Wants the premium plan']);
    await h.ok(['call', 'log', '--lead', String(ravis), '--outcome', 'connected', '--duration', '3m', '--as', 'ravi@acme.example']);
  }, 60_000);
  afterAll(async () => {
    for (const c of open) await c.close();
    h.cleanup();
  });

  it('initializes, lists read-only tools by default, and answers a search and a 360° context', async () => {
    const c = await connect('ravi@acme.example');
    expect(c.getServerVersion()).toMatchObject({ name: 'crm' });
    const { tools } = await c.listTools();
    const names = tools.map((t) => t.name).sort();
    expect(names).toEqual(['dashboard_figures', 'get_lead_context', 'list_agenda', 'pipeline_figures', 'run_report', 'search_leads']);
    expect(tools.find((t) => t.name === 'search_leads')!.inputSchema.properties).toHaveProperty('where');
    for (const t of tools) expect(t.annotations?.readOnlyHint).toBe(true);

    const found = await call(c, 'search_leads', { search: 'sousa' });
    expect(found.structuredContent.leads.map((l: { id: number }) => l.id)).toEqual([ravis]);
    const ctx = await call(c, 'get_lead_context', { id: ravis });
    expect(ctx.isError).toBeFalsy();
    expect(ctx.structuredContent).toMatchObject({ id: ravis, name: 'Ana Sousa', emails: ['ana@sousa.example'], proposals: [] });
    expect(ctx.structuredContent.recentCalls).toHaveLength(1);
    expect(ctx.content[0]!.text).toMatch(/#\d+ Ana Sousa/);
    const agenda = await call(c, 'list_agenda');
    expect(agenda.structuredContent).toHaveProperty('followUpsToday');
    const dash = await call(c, 'dashboard_figures');
    expect(dash.structuredContent).toMatchObject({ scope: 'own', user: 'ravi@acme.example' });
    const report = await call(c, 'run_report', { name: 'pipeline' });
    expect(report.structuredContent).toMatchObject({ report: 'pipeline' });
    // A bad input is refused by the schema, before any service runs.
    const bad = await call(c, 'get_lead_context', { id: 'twelve' });
    expect(bad.isError).toBe(true);
  });

  it('a rep reaches no other rep’s lead through any tool or resource', async () => {
    const c = await connect('ravi@acme.example', ['--allow-write']);
    const everything = await call(c, 'search_leads', { status: 'all', limit: 500 });
    expect(everything.structuredContent.leads.map((l: { id: number }) => l.id)).toEqual([ravis]);
    expect((await call(c, 'search_leads', { search: 'chen' })).structuredContent.leads).toEqual([]);
    expect((await call(c, 'search_leads', { where: 'stage = New' })).structuredContent.leads.map((l: { id: number }) => l.id)).toEqual([ravis]);
    const refused = await call(c, 'get_lead_context', { id: priyas });
    expect(refused.isError).toBe(true);
    expect(refused.content[0]!.text).toMatch(new RegExp(`lead ${priyas} is not assigned to you`));
    expect(refused.content[0]!.text).not.toMatch(/Bo Chen|premium|priya/);
    for (const [name, args] of [
      ['add_note', { id: priyas, text: 'x' }],
      ['move_stage', { id: priyas, stage: 'Qualified' }],
      ['edit_lead', { id: priyas, name: 'Hijacked' }],
      ['log_call', { leadId: priyas, outcome: 'connected' }],
      ['add_followup', { leadId: priyas, title: 'x', start: 'tomorrow 10am' }],
    ] as const) {
      const r = await call(c, name, args);
      expect(r.isError, name).toBe(true);
      expect(r.content[0]!.text, name).not.toMatch(/Bo Chen|premium/);
    }
    await expect(c.readResource({ uri: `crm://lead/${priyas}` })).rejects.toThrow(/not assigned to you/);
    const own = await c.readResource({ uri: `crm://lead/${ravis}` });
    expect(JSON.parse(String((own.contents[0] as { text: string }).text))).toMatchObject({ id: ravis, name: 'Ana Sousa' });
    // Nothing of Priya's lead changed.
    expect(await h.json(['lead', 'show', String(priyas)])).toMatchObject({ name: 'Bo Chen', stage: 'New' });
  });

  it('writes only with --allow-write (or the setting); destructive tools never', async () => {
    const ro = await connect('ravi@acme.example');
    const r = await call(ro, 'add_note', { id: ravis, text: 'from an agent' });
    expect(r.isError).toBe(true);
    expect(r.content[0]!.text).toMatch(/add_note not found/);
    const rw = await connect('ravi@acme.example', ['--allow-write']);
    const names = (await rw.listTools()).tools.map((t) => t.name);
    expect(names).toEqual(expect.arrayContaining(['add_lead', 'edit_lead', 'add_note', 'log_call', 'move_stage', 'add_followup', 'complete_followup']));
    expect(names.filter((n) => /delete|merge|erase|remove/.test(n))).toEqual([]);
    expect((await call(rw, 'add_note', { id: ravis, text: 'from an agent' })).isError).toBeFalsy();
    expect((await call(rw, 'move_stage', { id: ravis, stage: 'Qualified' })).structuredContent.lead.stage).toBe('Qualified');
    const fu = await call(rw, 'add_followup', { leadId: ravis, title: 'Send the quote', start: 'tomorrow 10am' });
    expect((await call(rw, 'complete_followup', { id: fu.structuredContent.followUp.id })).structuredContent.followUp.status).toBe('completed');
    const added = await call(rw, 'add_lead', { name: 'Cy Dube', emails: ['cy@dube.example'] });
    expect(added.structuredContent).toMatchObject({ outcome: 'new', lead: { name: 'Cy Dube', assignedTo: ['ravi@acme.example'] } });
    const show = await h.json(['lead', 'show', String(ravis)]);
    expect(show.notes.map((n: { body: string }) => n.body)).toContain('from an agent');
    const consent = await call(rw, 'record_consent', { id: ravis, channels: ['email'], state: 'withdrawn', note: 'said so in a chat' });
    expect(consent.structuredContent.channels[0]).toMatchObject({ channel: 'email', state: 'withdrawn', source: 'api', user: 'ravi@acme.example' });
    expect((await h.json(['lead', 'show', String(ravis)])).consent.history).toEqual([expect.objectContaining({ source: 'api', note: 'said so in a chat' })]);

    await h.ok(['config', 'set', 'mcp.allow-write', 'true']);
    const bySetting = await connect('ravi@acme.example');
    expect((await bySetting.listTools()).tools.map((t) => t.name)).toContain('add_note');
    await h.ok(['config', 'unset', 'mcp.allow-write']);
  });

  it('writes every call to the audit log with the tool’s name', async () => {
    const entries = await h.json(['audit', 'list', '--action', 'mcp.call', '--user', 'ravi@acme.example']);
    const tools = entries.map((e: { detail: { tool?: string } }) => e.detail.tool);
    expect(tools).toEqual(expect.arrayContaining(['search_leads', 'get_lead_context', 'list_agenda', 'add_note', 'move_stage']));
    expect(entries).toContainEqual(expect.objectContaining({ leadId: priyas, detail: { tool: 'get_lead_context', refused: true } }));
  });

  it('prints nothing but protocol on stdout', async () => {
    const init = JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 't', version: '1' } } });
    const r = await h.run(['mcp'], { input: `${init}\n`, env: { CRM_USER: 'ravi@acme.example' } });
    expect(r.exitCode).toBe(0);
    const lines = String(r.stdout).split('\n').filter(Boolean);
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0]!)).toMatchObject({ jsonrpc: '2.0', id: 1, result: { serverInfo: { name: 'crm' } } });
  });
});
