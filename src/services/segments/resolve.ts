/** Turns a parsed filter's names into what the store compares: ids, minor units, dates (L9). */
import { CrmError, type Fix } from '../../errors.js';
import { LEAD_STATUSES, LEAD_TYPES, type LeadFilterNode } from '../../domain/leads.js';
import { ORDER_STATUSES, UNPAID_STATUSES } from '../../domain/orders.js';

/** What `payment` compares: an invoice's status (a draft is no invoice), or unpaid (billed or partially paid). */
const PAYMENT_VALUES: readonly string[] = ['unpaid', ...ORDER_STATUSES.filter((s) => s !== 'draft')];
import type { Store } from '../../store/types.js';
import { parseDate, parseMoney, parseScore } from '../leads/normalize.js';
import { filterError, parseFilter, type FilterAst, type FilterField, type FilterValue } from './filter.js';

/** Parses and resolves a --where expression; errors name the offending token and its column. */
export async function compileWhere(store: Store, expr: string): Promise<LeadFilterNode> {
  const ast = parseFilter(expr);
  let stages: { id: number; name: string }[] | undefined;
  let currency: string | undefined;
  const fail = (v: FilterValue, what: string, hint?: string | Fix) => {
    const e = filterError(expr, v.col, v.text, what);
    if (typeof hint === 'object') return Object.assign(e, { fix: hint });
    return hint ? Object.assign(e, { hint: `${e.hint}\n${hint}` }) : e;
  };
  /** Runs a normaliser; its own message (invalid score '…') is kept, with the column added. */
  const checked = <T>(v: FilterValue, fn: () => T): T => {
    try {
      return fn();
    } catch (err) {
      if (err instanceof CrmError) throw fail(v, err.message, err.fix ?? err.hint);
      throw err;
    }
  };
  async function one(field: FilterField, v: FilterValue): Promise<string | number> {
    const text = v.text.trim();
    switch (field) {
      case 'stage': {
        stages ??= await store.stages.list();
        const s = stages.find((x) => x.name.toLowerCase() === text.toLowerCase());
        if (!s) throw fail(v, `unknown stage '${text}'`, `stages are: ${stages.map((x) => x.name).join(', ')}`);
        return s.id;
      }
      case 'source': {
        const s = await store.sources.byName(text);
        if (!s) throw fail(v, `unknown source '${text}'`, `sources are: ${(await store.sources.list()).map((x) => x.name).join(', ') || 'none'}`);
        return s.id;
      }
      case 'assigned': {
        const u = await store.users.byEmail(text);
        if (!u) throw fail(v, `unknown user '${text}'`, { id: 'user.email' });
        return u.id;
      }
      case 'score':
        return checked(v, () => parseScore(text));
      case 'value':
        currency ??= (await store.settings.all())['currency'] ?? 'USD';
        return checked(v, () => parseMoney(text, currency!));
      case 'created':
        return checked(v, () => parseDate(text, 'date'));
      case 'status':
        if (!(LEAD_STATUSES as readonly string[]).includes(text.toLowerCase())) throw fail(v, `unknown status '${text}'`, `statuses are: ${LEAD_STATUSES.join(', ')}`);
        return text.toLowerCase();
      case 'type':
        if (!(LEAD_TYPES as readonly string[]).includes(text.toLowerCase())) throw fail(v, `unknown type '${text}'`, `types are: ${LEAD_TYPES.join(', ')}`);
        return text.toLowerCase();
      case 'tag':
        return text;
      case 'payment': {
        const want = text.toLowerCase();
        if (!PAYMENT_VALUES.includes(want)) throw fail(v, `unknown payment status '${text}'`, `payment statuses are: ${PAYMENT_VALUES.join(', ')} (unpaid: billed or partially-paid)`);
        return want;
      }
    }
  }
  async function walk(n: FilterAst): Promise<LeadFilterNode> {
    if ('left' in n) return { kind: n.kind, left: await walk(n.left), right: await walk(n.right) };
    if (n.field === 'payment') {
      // "Has an invoice in one of these statuses" (or none, negated); unpaid stands for two statuses.
      const raw = n.kind === 'in' ? n.values : [n.value];
      const values: (string | number)[] = [];
      for (const v of raw) {
        const s = await one('payment', v);
        values.push(...(s === 'unpaid' ? UNPAID_STATUSES : [s]));
      }
      return { kind: 'in', field: 'payment', not: n.kind === 'in' ? n.not : n.op === '!=', values: [...new Set(values)] };
    }
    if (n.kind === 'in') {
      const values: (string | number)[] = [];
      for (const v of n.values) values.push(await one(n.field, v));
      return { kind: 'in', field: n.field, not: n.not, values };
    }
    return { kind: 'cmp', field: n.field, op: n.op, value: await one(n.field, n.value) };
  }
  return walk(ast);
}
