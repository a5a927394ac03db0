import { printList, printRecord, type Column } from '../../io/output.js';
import type { IO } from '../../io/streams.js';
import type { ScoreExplanation, ScoreLine } from '../../services/scoring/service.js';
import type { ScoringRule } from '../../domain/routing.js';

/** Points with their sign: +10, -5, 0. */
export const signed = (n: number) => (n > 0 ? `+${n}` : n);

/** The stable --json shape of a scoring rule (docs/json.md). */
export const ruleJson = (r: ScoringRule) => ({ id: r.id, name: r.name, if: r.conditions, points: r.points, days: r.days, createdAt: r.createdAt });

export const ruleColumns: Column<ScoringRule>[] = [
  { header: 'NAME', cell: (r) => r.name },
  { header: 'IF', cell: (r) => r.conditions },
  { header: 'POINTS', cell: (r) => signed(r.points) },
  { header: 'DAYS', cell: (r) => (/\b(calls|notes)\s*[<>=!]/i.test(r.conditions) ? r.days : '') },
];

const lineColumns: Column<ScoreLine>[] = [
  { header: 'RULE', cell: (l) => l.rule },
  { header: 'MATCH', cell: (l) => (l.matched ? 'yes' : 'no') },
  { header: 'POINTS', cell: (l) => (l.matched ? signed(l.points) : 0) },
  { header: 'IF', cell: (l) => l.if },
  { header: 'WHY NOT', cell: (l) => (l.failed ? `${l.failed} does not hold` : '') },
];

/** Every rule, matched or not, then the lead's base, rule points and total. */
export async function printExplanation(io: IO, x: ScoreExplanation): Promise<void> {
  await printList(io, {}, x.rules.map((l) => ({ ...l, id: l.rule })), lineColumns, (l) => l, 'No scoring rules: the score is the manual one.');
  await printRecord(io, `Lead ${x.leadId}: ${x.name}`, [
    ['Manual base', x.base],
    ['Rule points', signed(x.rulePoints)],
    ['Total', `${x.total}${x.base + x.rulePoints !== x.total ? ' (clamped to 0–100)' : ''}`],
    ['Stored', x.stored !== x.total ? `${x.stored} (rules changed since: crm scoring recompute ${x.leadId})` : null],
  ]);
}
