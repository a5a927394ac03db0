import { UsageError } from '../../errors.js';
import { printJson, printList, printRecord } from '../../io/output.js';
import { parseId } from '../../services/leads/normalize.js';
import { addScoringRule, explainLeadScore, listScoringRules, recomputeScores, removeScoringRule, type ScoreLine } from '../../services/scoring/service.js';
import type { ScoringRule } from '../../domain/routing.js';
import { outputFlags, type Register } from '../shared.js';

const ruleJson = (r: ScoringRule) => ({ id: r.id, name: r.name, if: r.conditions, points: r.points, days: r.days, createdAt: r.createdAt });

export const registerScoring: Register = (program, context) => {
  const scoring = program.command('scoring').description('lead scoring (L7): score = manual base (lead edit --score) + points of the rules a lead meets, 0–100');

  outputFlags(scoring.command('list').alias('ls').description('the scoring rules')).action(async (opts: { json?: boolean }, c) => {
    const ctx = context(c);
    const rules = await listScoringRules(await ctx.services());
    await printList(ctx.io, opts, rules, [
      { header: 'NAME', cell: (r: ScoringRule) => r.name },
      { header: 'IF', cell: (r: ScoringRule) => r.conditions },
      { header: 'POINTS', cell: (r: ScoringRule) => (r.points > 0 ? `+${r.points}` : r.points) },
      { header: 'DAYS', cell: (r: ScoringRule) => (/\b(calls|notes)\s*[<>=!]/i.test(r.conditions) ? r.days : '') },
    ], ruleJson, 'No scoring rules yet (crm scoring add --name web --if "source=Website" --points 10).');
  });

  outputFlags(
    scoring.command('add').description('add a rule (managers and admins); existing leads change on crm scoring recompute --all')
      .option('--name <name>', 'the rule’s name')
      .option('--if <conditions>', 'conditions joined by commas, all must hold: source=, country=, city=, tag=, has=email|phone|company|value|<field>, mail=free|company, budget=* / authority=yes …, calls>=N, notes>=N')
      .option('--points <n>', 'points added when it holds (negative subtracts), -100…100')
      .option('--days <n>', 'window of calls/notes conditions, in days (default 30)'),
  ).action(async (opts: { name?: string; if?: string; points?: string; days?: string; json?: boolean }, c) => {
    const ctx = context(c);
    const r = await addScoringRule(await ctx.services(), opts);
    if (opts.json) printJson(ctx.io, ruleJson(r));
    else {
      ctx.io.out(`Added scoring rule ${r.name}: ${r.conditions} → ${r.points > 0 ? '+' : ''}${r.points}`);
      ctx.io.hint('New and changed leads get it at once; for the others: crm scoring recompute --all');
    }
  });

  outputFlags(scoring.command('remove').alias('rm').description('remove a rule').argument('<name>')).action(async (name: string, opts: { json?: boolean }, c) => {
    const ctx = context(c);
    const r = await removeScoringRule(await ctx.services(), name);
    if (opts.json) printJson(ctx.io, ruleJson(r));
    else {
      ctx.io.out(`Removed scoring rule ${r.name}`);
      ctx.io.hint('Apply it to existing leads: crm scoring recompute --all');
    }
  });

  outputFlags(scoring.command('explain').description('why a lead has its score: every rule, matched or not, and the total').argument('<lead>', 'lead id')).action(
    async (rawId: string, opts: { json?: boolean }, c) => {
      const ctx = context(c);
      const x = await explainLeadScore(await ctx.services(), parseId(rawId));
      if (opts.json) return printJson(ctx.io, x);
      await printList(ctx.io, {}, x.rules.map((l) => ({ ...l, id: l.rule })), [
        { header: 'RULE', cell: (l: ScoreLine) => l.rule },
        { header: 'MATCH', cell: (l: ScoreLine) => (l.matched ? 'yes' : 'no') },
        { header: 'POINTS', cell: (l: ScoreLine) => (l.matched ? (l.points > 0 ? `+${l.points}` : l.points) : 0) },
        { header: 'IF', cell: (l: ScoreLine) => l.if },
        { header: 'WHY NOT', cell: (l: ScoreLine) => (l.failed ? `${l.failed} does not hold` : '') },
      ], (l) => l, 'No scoring rules: the score is the manual one.');
      await printRecord(ctx.io, `Lead ${x.leadId}: ${x.name}`, [
        ['Manual base', x.base],
        ['Rule points', x.rulePoints > 0 ? `+${x.rulePoints}` : x.rulePoints],
        ['Total', `${x.total}${x.base + x.rulePoints !== x.total ? ' (clamped to 0–100)' : ''}`],
        ['Stored', x.stored !== x.total ? `${x.stored} (rules changed since: crm scoring recompute ${x.leadId})` : null],
      ]);
    },
  );

  outputFlags(
    scoring.command('recompute').description('recompute scores: the given leads, or --all (e.g. after changing rules; activity windows pass with time)')
      .argument('[ids...]', 'lead ids')
      .option('--all', 'every lead'),
  ).action(async (ids: string[], opts: { all?: boolean; json?: boolean }, c) => {
    const ctx = context(c);
    if (!opts.all && !ids.length) throw new UsageError('which leads?', 'pass lead ids, or --all');
    const r = await recomputeScores(await ctx.services(), opts.all ? 'all' : ids.map((i) => parseId(i)));
    if (opts.json) printJson(ctx.io, r);
    else ctx.io.out(`Recomputed ${r.leads} lead(s): ${r.changed} score(s) changed`);
  });
};
