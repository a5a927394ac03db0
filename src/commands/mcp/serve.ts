/**
 * `crm mcp`: a Model Context Protocol server on stdio, for AI agents (Claude Desktop, an IDE, a
 * script). It acts as the user the command resolves (--as, CRM_USER, the config file; on
 * PostgreSQL the login), with that user's visibility: every tool is a thin call into the same
 * service the matching CLI command calls, with the same actor. Writes only with --allow-write (or
 * the mcp.allow-write setting); deleting, merging and erasing are never offered. Every tool call
 * is written to the audit log with the tool's name. stdout carries the protocol and nothing else.
 *
 * The MCP SDK and zod are bundled apart (dist/vendor/mcp.cjs) and loaded here, on first use.
 */
import type { ZodType, infer as Infer } from 'zod';
import type { Context } from '../../context.js';
import { CrmError } from '../../errors.js';
import { audit } from '../../services/audit/service.js';
import type { ServiceContext } from '../../services/context.js';
import { listAppointments } from '../../services/appointments/service.js';
import { logCall } from '../../services/calls/service.js';
import { addFollowUp, completeFollowUp, listFollowUps } from '../../services/followups/service.js';
import { addLead, addNote, editLead, listLeads, moveLead, showLead } from '../../services/leads/service.js';
import { listProposals } from '../../services/proposals/service.js';
import { dashboard } from '../../services/reports/dashboard.js';
import { REPORTS, runReport } from '../../services/reports/reports.js';
import { getSetting } from '../../services/settings/service.js';
import { resolveTimeZone } from '../../services/time/parse.js';
import { VERSION } from '../../version.js';
import { appointmentJson } from '../appointment/render.js';
import { callJson } from '../call/render.js';
import { followUpJson } from '../followup/render.js';
import { errorText, hintText } from '../hints.js';
import { leadJson, leadShowJson } from '../lead/render.js';
import { consentJson } from '../lead/consent.js';
import { setConsent } from '../../services/consent/service.js';
import { CONSENT_CHANNELS } from '../../domain/consent.js';
import { proposalJson } from '../proposal/render.js';

export interface McpOptions {
  allowWrite?: boolean;
}

interface ToolResult {
  [key: string]: unknown;
  content: { type: 'text'; text: string }[];
  structuredContent?: Record<string, unknown>;
  isError?: boolean;
}

type Shape = Record<string, ZodType>;
type Args<S extends Shape> = { [K in keyof S]: Infer<S[K]> };

/** What a tool hands back: a short line for the model to read, and the data as structured content. */
const result = (text: string, data: object): ToolResult => ({ content: [{ type: 'text', text }], structuredContent: data as Record<string, unknown> });

export async function serveMcp(ctx: Context, opts: McpOptions): Promise<void> {
  const { McpServer, ResourceTemplate, StdioServerTransport, z } = await import('../../vendor/mcp.js');
  // Who acts, resolved once, before the first message: an unknown user fails the command itself.
  const base = await ctx.services();
  const timeZone = resolveTimeZone(undefined, ctx.timeZone);
  const allowWrite = Boolean(opts.allowWrite) || (await getSetting(base, 'mcp.allow-write')) === 'true';
  const svc = (): ServiceContext => ({ ...base, now: ctx.now() });

  const server = new McpServer(
    { name: 'crm', version: VERSION },
    {
      instructions:
        `crm: a sales team's CRM. You act as ${base.actor.email} (${base.actor.role}) and see what that user sees. ` +
        'Find leads with search_leads (the filter language of crm segments, e.g. "stage = Qualified and score >= 60") ' +
        `and read one whole with get_lead_context. ${allowWrite ? 'Writes are allowed.' : 'This session is read-only: tools that change records are not offered.'}`,
    },
  );

  /**
   * Registers a tool whose every call is audited (with the lead it concerns, when there is one)
   * and whose typed errors come back as a tool error in the CLI's words, not as a crash.
   */
  function tool<S extends Shape>(
    name: string,
    config: { title: string; description: string; inputSchema: S; write?: boolean },
    run: (args: Args<S>, s: ServiceContext) => Promise<ToolResult>,
    leadOf: (args: Args<S>) => number | undefined = () => undefined,
  ): void {
    if (config.write && !allowWrite) return;
    const call = async (args: Args<S>): Promise<ToolResult> => {
      const s = svc();
      let out: ToolResult;
      try {
        out = await run(args, s);
      } catch (err) {
        if (!(err instanceof CrmError)) throw err;
        const hint = hintText(err);
        out = { content: [{ type: 'text', text: `${errorText(err)}${hint ? `\n${hint}` : ''}` }], isError: true };
      }
      await audit(s, 'mcp.call', leadOf(args) ?? null, { tool: name, ...(out.isError ? { refused: true } : {}) });
      return out;
    };
    server.registerTool(
      name,
      {
        title: config.title,
        description: config.description,
        inputSchema: config.inputSchema,
        annotations: { readOnlyHint: !config.write, destructiveHint: false, openWorldHint: false },
      },
      call as never,
    );
  }

  const id = z.number().int().positive();
  const leadId = id.describe('the lead’s (or customer’s) id');
  const text = (max: number) => z.string().trim().min(1).max(max);

  tool(
    'search_leads',
    {
      title: 'Search leads',
      description:
        'Leads and customers the acting user may see, as `crm lead list` lists them. `where` takes the filter language of crm segments ' +
        '(fields such as stage, source, tag, score, value, created; e.g. "stage in (New, Qualified) and score >= 60"); `search` matches name, business, email and phone.',
      inputSchema: {
        where: z.string().max(2000).optional().describe('a filter expression, as `crm lead list --where`'),
        search: z.string().max(200).optional().describe('free text: name, business name, email or phone'),
        stage: z.array(z.string().max(100)).max(20).optional().describe('stage names'),
        tag: z.string().max(100).optional(),
        status: z.enum(['active', 'lost', 'junk', 'all']).optional().describe('default: active'),
        type: z.enum(['lead', 'customer']).optional(),
        limit: z.number().int().min(1).max(500).default(50),
      },
    },
    async (a, s) => {
      const leads = await listLeads(s, { where: a.where, search: a.search, stage: a.stage, tag: a.tag, status: a.status, type: a.type, limit: a.limit });
      const lines = leads.map((l) => `#${l.id} ${l.name}${l.businessName ? ` (${l.businessName})` : ''}: ${l.stage}`);
      return result(lines.length ? lines.join('\n') : 'No leads match.', { leads: leads.map(leadJson) });
    },
  );

  const leadContext = async (s: ServiceContext, n: number) => {
    const view = await showLead(s, n);
    const proposals = await listProposals(s, { lead: n, limit: 20 });
    return { ...leadShowJson(view.lead, view.timeline, s.now, view), proposals: proposals.map(proposalJson) };
  };
  tool(
    'get_lead_context',
    {
      title: 'A lead’s 360° context',
      description: 'Everything about one lead in one call, as `crm lead show --json`: profile, timeline, stage history, open and overdue follow-ups, next appointment, recent calls, notes, proposals, order.',
      inputSchema: { id: leadId },
    },
    async (a, s) => {
      const c = await leadContext(s, a.id);
      return result(`#${c.id} ${c.name}: ${c.stage}; ${c.openFollowUps?.length ?? 0} open follow-up(s), ${c.overdueFollowUps?.length ?? 0} overdue, ${c.recentCalls?.length ?? 0} recent call(s), ${c.proposals.length} proposal(s)`, c);
    },
    (a) => a.id,
  );

  tool(
    'list_agenda',
    {
      title: 'Today’s agenda',
      description: 'The acting user’s follow-ups due today and overdue, and today’s appointments (as `crm followup list --today --mine` and `crm appointment list --today --mine`).',
      inputSchema: {},
    },
    async (_a, s) => {
      const today = await listFollowUps(s, { today: true, mine: true }, { timeZone });
      const overdue = await listFollowUps(s, { overdue: true, mine: true }, { timeZone });
      const appointments = await listAppointments(s, { today: true, mine: true }, { timeZone });
      const data = { followUpsToday: today.map((f) => followUpJson(f, s.now)), overdueFollowUps: overdue.map((f) => followUpJson(f, s.now)), appointmentsToday: appointments.map(appointmentJson) };
      return result(`${today.length} follow-up(s) today, ${overdue.length} overdue, ${appointments.length} appointment(s) today`, data);
    },
  );

  tool(
    'pipeline_figures',
    { title: 'Pipeline figures', description: 'Value, weighted forecast and win rate by stage (as `crm report pipeline`), scoped to what the acting user may see.', inputSchema: {} },
    async (_a, s) => {
      const r = await runReport(s, 'pipeline', {}, timeZone);
      return result(r.title, r);
    },
  );

  tool(
    'dashboard_figures',
    { title: 'Dashboard figures', description: 'Every figure of `crm dashboard --json`: follow-ups (overdue, open, today), leads by stage and source, calls, conversions; a rep’s are their own.', inputSchema: {} },
    async (_a, s) => {
      const d = await dashboard(s, timeZone);
      return result(`Dashboard for ${d.user} (${d.scope === 'all' ? 'the whole team' : 'own records'})`, d);
    },
  );

  tool(
    'run_report',
    {
      title: 'Run a report',
      description: 'One of the reports of `crm report` with its options; a rep sees only their own figures.',
      inputSchema: {
        name: z.enum(REPORTS),
        by: z.string().max(40).optional().describe('grouping, where the report has one (as `crm report <name> --by`)'),
        day: z.string().max(40).optional().describe('one day: today, yesterday, 2026-11-23'),
        from: z.string().max(40).optional(),
        to: z.string().max(40).optional(),
        user: z.string().max(320).optional().describe('a user’s email'),
      },
    },
    async (a, s) => {
      const { name, ...o } = a;
      const r = await runReport(s, name, o, timeZone);
      return result(r.title, r);
    },
  );

  // Writes: registered only when allowed. Deleting, merging and erasing are never offered.
  const emails = z.array(z.string().max(320)).max(10).optional();
  const phones = z.array(z.string().max(40)).max(10).optional();
  const tags = z.array(z.string().max(100)).max(20).optional();
  const fields = {
    businessName: z.string().max(200).optional(),
    source: z.string().max(100).optional(),
    value: z.string().max(40).optional().describe('deal value, e.g. "12000" or "12,000.50"'),
    expectedClose: z.string().max(40).optional().describe('a date or phrase: "end of month", 2026-12-31'),
    address: z.string().max(500).optional(),
  };
  tool(
    'add_lead',
    {
      title: 'Add a lead',
      description: 'Adds a lead as `crm lead add` does: a duplicate is refused, a lost or junk match re-engaged, routing and scoring applied.',
      inputSchema: { name: text(200), emails, phones, tags, ...fields, stage: z.string().max(100).optional(), assign: z.array(z.string().max(320)).max(10).optional().describe('users’ emails (a rep: only themselves)') },
      write: true,
    },
    async (a, s) => {
      const r = await addLead(s, { ...a, timeZone });
      const verb = r.outcome === 'new' ? 'Added' : r.outcome === 're-engaged' ? 'Re-engaged' : 'Filed as junk';
      return result(`${verb} lead #${r.lead.id} ${r.lead.name}`, { outcome: r.outcome, lead: leadJson(r.lead) });
    },
  );
  tool(
    'edit_lead',
    {
      title: 'Edit a lead',
      description: 'Changes a lead’s fields as `crm lead edit` does; emails, phones and tags are added or removed one by one.',
      inputSchema: {
        id: leadId, name: z.string().max(200).optional(), ...fields, score: z.number().int().min(0).max(100).optional(),
        addEmails: emails, removeEmails: emails, addPhones: phones, removePhones: phones, addTags: tags, removeTags: tags,
      },
      write: true,
    },
    async (a, s) => {
      const { id: n, ...edit } = a;
      const lead = await editLead(s, n, { ...edit, timeZone });
      return result(`Updated lead #${lead.id} ${lead.name}`, { lead: leadJson(lead) });
    },
    (a) => a.id,
  );
  tool(
    'record_consent',
    {
      title: 'Record consent',
      description: 'Records that the person granted or withdrew consent to be contacted on channels (`crm lead consent`), from source api; withdrawn is an opt-out.',
      inputSchema: {
        id: leadId,
        channels: z.array(z.enum(CONSENT_CHANNELS)).min(1).max(4),
        state: z.enum(['granted', 'withdrawn']),
        note: z.string().trim().max(500).optional().describe('where or how the person said so'),
      },
      write: true,
    },
    async (a, s) => {
      const r = await setConsent(s, a.id, a.channels, a.state, { note: a.note, source: 'api' });
      return result(`Consent of lead #${r.leadId}: ${r.channels.map((c) => `${c.channel} ${c.state}`).join(', ')}`, consentJson(r));
    },
    (a) => a.id,
  );
  tool(
    'add_note',
    { title: 'Add a note', description: 'A note on a lead’s timeline (`crm lead note`).', inputSchema: { id: leadId, text: text(10_000) }, write: true },
    async (a, s) => {
      const r = await addNote(s, a.id, a.text);
      return result(`Noted on lead #${r.leadId}`, r);
    },
    (a) => a.id,
  );
  tool(
    'log_call',
    {
      title: 'Log a call',
      description: 'Records a call with a lead (`crm call log`); a call-back time creates the follow-up too.',
      inputSchema: {
        leadId,
        outcome: z.enum(['connected', 'rnr', 'call-back', 'busy', 'voicemail', 'wrong-number']),
        direction: z.enum(['in', 'out']).optional(),
        duration: z.string().max(20).optional().describe('e.g. 4m30s, 90s'),
        at: z.string().max(40).optional().describe('when it started (default: now minus the duration)'),
        note: z.string().max(10_000).optional(),
        callback: z.string().max(40).optional().describe('when to call back, e.g. "in 2h", "tomorrow 10am"'),
      },
      write: true,
    },
    async (a, s) => {
      const r = await logCall(s, a, { timeZone });
      return result(`Logged call #${r.call.id} on lead #${r.call.leadId}${r.followUpId ? `; follow-up #${r.followUpId} to call back` : ''}`, { call: callJson(r.call), followUpId: r.followUpId });
    },
    (a) => a.leadId,
  );
  tool(
    'move_stage',
    { title: 'Move a lead to a stage', description: 'As `crm lead move`.', inputSchema: { id: leadId, stage: text(100), reason: z.string().max(1000).optional() }, write: true },
    async (a, s) => {
      const lead = await moveLead(s, a.id, a.stage, a.reason);
      return result(`Lead #${lead.id} is now in ${lead.stage}`, { lead: leadJson(lead) });
    },
    (a) => a.id,
  );
  tool(
    'add_followup',
    {
      title: 'Add a follow-up',
      description: 'Schedules a follow-up (`crm followup add`); times as in `crm help dates` ("tomorrow 10am", 2026-12-08 15:00).',
      inputSchema: {
        leadId,
        title: text(200),
        start: text(60),
        duration: z.string().max(20).optional(),
        priority: z.enum(['low', 'normal', 'high']).optional(),
        description: z.string().max(10_000).optional(),
      },
      write: true,
    },
    async (a, s) => {
      const r = await addFollowUp(s, a, { timeZone });
      return result(`Follow-up #${r.followUp.id} "${r.followUp.title}" at ${r.followUp.startAt}`, { followUp: followUpJson(r.followUp, s.now) });
    },
    (a) => a.leadId,
  );
  tool(
    'complete_followup',
    { title: 'Complete a follow-up', description: 'Marks a follow-up done (`crm followup done`).', inputSchema: { id: id.describe('the follow-up’s id'), note: z.string().max(10_000).optional() }, write: true },
    async (a, s) => {
      const f = await completeFollowUp(s, a.id, a.note);
      return result(`Follow-up #${f.id} done`, { followUp: followUpJson(f, s.now) });
    },
  );

  server.registerResource(
    'lead',
    new ResourceTemplate('crm://lead/{id}', { list: undefined }),
    { title: 'A lead’s 360° context', description: 'The same document as the get_lead_context tool', mimeType: 'application/json' },
    async (uri, vars) => {
      const n = Number(vars.id);
      const valid = Number.isSafeInteger(n) && n > 0;
      const s = svc();
      await audit(s, 'mcp.call', valid ? n : null, { resource: 'crm://lead/{id}' });
      if (!valid) throw new Error(`invalid lead id '${String(vars.id)}'`);
      try {
        return { contents: [{ uri: uri.href, mimeType: 'application/json', text: JSON.stringify(await leadContext(s, n)) }] };
      } catch (err) {
        // The SDK answers a thrown error with a JSON-RPC error carrying its message.
        if (err instanceof CrmError) throw new Error(errorText(err));
        throw err;
      }
    },
  );

  const transport = new StdioServerTransport();
  const closed = new Promise<void>((resolve) => {
    transport.onclose = () => resolve();
    process.stdin.once('end', () => resolve());
  });
  await server.connect(transport);
  ctx.io.hint(`crm mcp: serving as ${base.actor.email} (${allowWrite ? 'read and write' : 'read-only'}) on stdio`);
  await closed;
  await server.close();
}
