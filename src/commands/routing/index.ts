import { printJson, printList } from '../../io/output.js';
import { addRoutingRule, listGroups, listRouting, putGroup, removeGroup, removeRoutingRule, testRouting, type RoutingGroupView, type RoutingRuleView } from '../../services/routing/service.js';
import { collect, outputFlags, type Register } from '../shared.js';

const CONDITIONS_HELP = 'conditions joined by commas, all must hold: source=, country=, city=, tag=, channel=, form=, has=, mail=free|company, budget=* … (!= negates, | gives alternatives)';

export const registerRouting: Register = (program, context) => {
  const routing = program.command('routing').description('routing of new leads (L8): ordered rules to a user or a round-robin group');

  outputFlags(routing.command('list').alias('ls').description('the rules in evaluation order, and the fallback (setting routing.default)')).action(async (opts: { json?: boolean }, c) => {
    const ctx = context(c);
    const r = await listRouting(await ctx.services());
    if (opts.json) return printJson(ctx.io, r);
    await printList(ctx.io, opts, r.rules.map((x) => ({ ...x, id: x.position })), [
      { header: '#', cell: (x: RoutingRuleView) => x.position },
      { header: 'NAME', cell: (x: RoutingRuleView) => x.name },
      { header: 'IF', cell: (x: RoutingRuleView) => x.if },
      { header: 'TO', cell: (x: RoutingRuleView) => x.to },
    ], (x) => x, 'No routing rules yet (crm routing add --name web --if "source=Website" --to group:team-a).');
    ctx.io.hint(`Nothing matching: ${r.default || 'unassigned'} (crm config set routing.default …)`);
  });

  outputFlags(
    routing.command('add').description('add a rule (managers and admins); rules are tried in order, the first match wins')
      .option('--name <name>', 'the rule’s name')
      .option('--if <conditions>', CONDITIONS_HELP)
      .option('--to <target>', 'a user email, or group:NAME for round-robin')
      .option('--position <n>', 'where in the order (1: first; default: last)'),
  ).action(async (opts: { name?: string; if?: string; to?: string; position?: string; json?: boolean }, c) => {
    const ctx = context(c);
    const r = await addRoutingRule(await ctx.services(), opts);
    if (opts.json) printJson(ctx.io, r);
    else ctx.io.out(`Added routing rule ${r.name} at position ${r.position}: ${r.if} → ${r.to}`);
  });

  outputFlags(routing.command('remove').alias('rm').description('remove a rule').argument('<name>')).action(async (name: string, opts: { json?: boolean }, c) => {
    const ctx = context(c);
    const r = await removeRoutingRule(await ctx.services(), name);
    if (opts.json) printJson(ctx.io, r);
    else ctx.io.out(`Removed routing rule ${r.name}`);
  });

  outputFlags(
    routing.command('test').description('who would get a lead, and which rule decides (moves no round-robin pointer)')
      .argument('<lead-json>', `e.g. '{"source":"Website","country":"India","email":"a@b.example","channel":"form","form":"website"}'`),
  ).action(async (json: string, opts: { json?: boolean }, c) => {
    const ctx = context(c);
    const d = await testRouting(await ctx.services(), json);
    if (opts.json) return printJson(ctx.io, d);
    for (const s of d.steps) ctx.io.out(`${s.matched ? 'match' : 'no'}\t${s.rule}${s.reason ? `\t${s.reason}` : ''}`);
    ctx.io.out(d.user ? `→ ${d.user.email} (rule ${d.rule}${d.group ? `, group ${d.group}` : ''})` : '→ unassigned (no rule matched, no routing.default)');
  });

  const group = routing.command('group').description('round-robin groups (skip deactivated users; fair across restarts)');
  outputFlags(
    group.command('add').description('create a group, or replace its users').argument('<name>').option('--users <emails>', 'the users, comma-separated or repeated', collect),
  ).action(async (name: string, opts: { users?: string[]; json?: boolean }, c) => {
    const ctx = context(c);
    const g = await putGroup(await ctx.services(), name, opts.users ?? []);
    if (opts.json) printJson(ctx.io, g);
    else ctx.io.out(`Group ${g.name}: ${g.users.map((u) => u.email + (u.active ? '' : ' (deactivated)')).join(', ')}`);
  });
  outputFlags(group.command('list').alias('ls').description('groups, their users and how many leads each group has handed out')).action(async (opts: { json?: boolean }, c) => {
    const ctx = context(c);
    const rows = await listGroups(await ctx.services());
    await printList(ctx.io, opts, rows.map((g) => ({ ...g, id: g.name })), [
      { header: 'NAME', cell: (g: RoutingGroupView) => g.name },
      { header: 'USERS', cell: (g: RoutingGroupView) => g.users.map((u) => u.email + (u.active ? '' : ' (deactivated)')).join(', ') },
      { header: 'HANDED OUT', cell: (g: RoutingGroupView) => g.handedOut },
    ], ({ id: _id, ...g }) => g, 'No routing groups yet (crm routing group add team-a --users a@…,b@…).');
  });
  outputFlags(group.command('remove').alias('rm').description('remove a group no rule uses').argument('<name>')).action(async (name: string, opts: { json?: boolean }, c) => {
    const ctx = context(c);
    const g = await removeGroup(await ctx.services(), name);
    if (opts.json) printJson(ctx.io, g);
    else ctx.io.out(`Removed group ${g.name}`);
  });
};
