import { formatMoney, formatTimestamp, minorToDecimal } from '../../io/format.js';
import { styler, visibleCell } from '../../io/output.js';
import type { IO } from '../../io/streams.js';
import type { Board, BoardCard, BoardFilter } from '../../services/board/service.js';

const amount = (minor: number, currency: string) => ({ amountMinor: minor, amount: minorToDecimal(minor, currency), currency });

/** The stable --json shape of `crm board` (docs/json.md). */
export function boardJson(board: Board, filter: BoardFilter, limit: number) {
  return {
    count: board.count,
    filter: {
      mine: Boolean(filter.mine),
      user: filter.user ?? null,
      source: filter.source ?? [],
      tag: filter.tag ?? null,
      search: filter.search ?? null,
      includeClosed: Boolean(filter.includeClosed),
    },
    columns: board.columns.map((c) => {
      const cards = c.cards.slice(0, limit);
      return {
        stage: c.stage.name,
        stageId: c.stage.id,
        outcome: c.stage.outcome,
        probability: c.stage.probability,
        count: c.count,
        totals: c.totals.map((t) => ({ currency: t.currency, count: t.count, value: amount(t.valueMinor, t.currency), weighted: amount(t.weightedMinor, t.currency) })),
        collapsed: c.collapsed,
        cards: cards.map(cardJson),
        more: c.collapsed ? c.count : c.count - cards.length,
      };
    }),
  };
}

function cardJson(c: BoardCard) {
  return {
    id: c.id,
    name: c.name,
    businessName: c.businessName,
    value: c.valueMinor === null ? null : amount(c.valueMinor, c.currency),
    score: c.score,
    assignedTo: c.assignees,
    initials: c.initials,
    notAttempted: c.notAttempted,
    nextFollowUpAt: c.nextFollowUpAt,
    overdueFollowUp: c.overdueFollowUp,
  };
}

/** The board as text, for pipes and cron: each stage with its count, totals and top cards. */
export function printStaticBoard(io: IO, board: Board, limit: number, timeZone?: string): void {
  const chalk = styler(io);
  const lines: string[] = [];
  for (const c of board.columns) {
    const totals = c.totals.length
      ? c.totals.map((t) => `${formatMoney(t.valueMinor, t.currency)} (weighted ${formatMoney(t.weightedMinor, t.currency)})`).join(' + ')
      : 'no value';
    lines.push(`${chalk.bold(visibleCell(c.stage.name))} · ${c.count.toLocaleString('en')} ${c.count === 1 ? 'lead' : 'leads'} · ${totals}`);
    if (c.collapsed) continue;
    const cards = c.cards.slice(0, limit);
    for (const card of cards) {
      const parts = [
        `#${card.id}`,
        visibleCell(card.businessName ? `${card.name} (${card.businessName})` : card.name),
        card.valueMinor === null ? null : formatMoney(card.valueMinor, card.currency),
        `score ${card.score}`,
        visibleCell(card.assignees.join(',')) || 'unassigned',
        card.notAttempted ? chalk.yellow('not attempted') : null,
        card.overdueFollowUp ? chalk.red('overdue follow-up') : null,
        card.nextFollowUpAt ? `next follow-up ${formatTimestamp(card.nextFollowUpAt, timeZone)}` : null,
      ];
      lines.push(`  ${parts.filter(Boolean).join('  ')}`);
    }
    if (c.count > cards.length) lines.push(chalk.dim(`  … ${(c.count - cards.length).toLocaleString('en')} more`));
  }
  io.out(lines.join('\n'));
}
