import { formatMoney } from '../../io/format.js';
import { styler } from '../../io/output.js';
import type { IO } from '../../io/streams.js';
import type { Dashboard } from '../../services/reports/dashboard.js';

const money = (list: { currency: string; amountMinor: number }[]) => list.map((m) => formatMoney(m.amountMinor, m.currency)).join(' + ') || '—';
const weighted = (list: { currency: string; weightedMinor: number }[]) => list.map((m) => formatMoney(m.weightedMinor, m.currency)).join(' + ') || '—';

function bar(value: number, max: number, width: number): string {
  const exact = max === 0 ? 0 : (value / max) * width;
  return '█'.repeat(Math.floor(exact)) + (exact - Math.floor(exact) >= 0.5 ? '▌' : '');
}

/** The dashboard as text: what `--once` and a non-terminal get, and each frame of the live view. */
export function dashboardText(io: IO, d: Dashboard): string {
  const s = styler(io);
  const out: string[] = [];
  const kv = (pairs: [string, string | number][]) => {
    const w = Math.max(...pairs.map(([k]) => k.length));
    for (const [k, v] of pairs) out.push(`  ${s.dim(k.padEnd(w))}  ${v}`);
  };
  out.push(s.bold(`Dashboard — ${d.user} (${d.scope === 'all' ? 'all records' : 'your records'}), ${d.generatedAt.slice(0, 16).replace('T', ' ')} UTC`));
  out.push('', s.bold('Follow-ups'));
  kv([
    ['overdue (missed)', d.followUps.overdue ? s.red(String(d.followUps.overdue)) : 0],
    ['open', d.followUps.open],
    ['today', d.followUps.today],
    ['mine today', d.followUps.myToday],
    ['mine by status', Object.entries(d.followUps.myByStatus).map(([k, v]) => `${k} ${v}`).join(', ')],
  ]);
  out.push('', s.bold('Leads'));
  kv([
    ['leads', d.leads.leads],
    ['customers', d.leads.customers],
    ['conversion rate', `${d.leads.conversionRatePct}%`],
    ['new this month', d.leads.newThisMonth],
    ['previous month', d.leads.previousMonth],
    [`hot (${d.leads.hotSources.join(', ') || 'set dashboard.hot-sources'})`, d.leads.hot],
    ['not attempted', d.leads.notAttempted],
    ['lost', d.leads.lost],
    ['mine', d.leads.mine],
    ['my conversions', d.leads.myConversions],
  ]);
  out.push('', s.bold('Calls (mine)'));
  kv([['today', d.calls.today], ['yesterday', d.calls.yesterday], ['this month', d.calls.thisMonth]]);
  out.push('', s.bold('Demos'));
  kv([
    ['this month', `${d.demos.thisMonth.scheduled} (${d.demos.thisMonth.completed} completed)`],
    ['previous month', `${d.demos.previousMonth.scheduled} (${d.demos.previousMonth.completed} completed)`],
  ]);
  out.push('', s.bold(`Pipeline — open value ${money(d.pipeline.open)}, weighted forecast ${weighted(d.pipeline.open)}`));
  const max = Math.max(0, ...d.pipeline.byStage.map((x) => x.count));
  const w = Math.max(...d.pipeline.byStage.map((x) => x.stage.length));
  for (const st of d.pipeline.byStage) {
    out.push(`  ${st.stage.padEnd(w)} ${String(st.count).padStart(6)}  ${s.cyan(bar(st.count, max, 30).padEnd(30))}  ${money(st.value)}`);
  }
  if (d.admin) {
    out.push('', s.bold(`Team — ${d.admin.totals.leads} leads, ${d.admin.totals.customers} customers, ${d.admin.totals.sources} sources, ${d.admin.totals.stages} stages`));
    const sw = Math.max(6, ...d.admin.sources.map((x) => x.source.length));
    out.push(`  ${s.dim('SOURCE'.padEnd(sw))}  ${s.dim('CONTACTS')}  ${s.dim('CUSTOMERS')}  ${s.dim('CONVERSION')}`);
    for (const src of d.admin.sources) out.push(`  ${src.source.padEnd(sw)}  ${String(src.contacts).padStart(8)}  ${String(src.customers).padStart(9)}  ${`${src.conversionPct}%`.padStart(10)}`);
    const b = d.admin.birthdays;
    out.push('', s.bold('Birthdays'));
    kv([
      ['today', b.today.map((x) => `${x.name} #${x.id}`).join(', ') || '—'],
      ['next 30 days', b.next30Days.slice(0, 10).map((x) => `${x.name} #${x.id} (in ${x.inDays}d)`).join(', ') + (b.next30Days.length > 10 ? `, … ${b.next30Days.length - 10} more` : '') || '—'],
    ]);
  }
  return out.join('\n');
}
