import { UsageError, fieldRef, say } from '../../errors.js';

/** One `field op value` of a --where expression, before the caller gives it meaning. */
export interface RawCondition {
  field: string;
  op: string;
  value: string;
}

const OPS = ['>=', '<=', '!=', '=', '>', '<'];

/** As many conditions as a segment filter may hold (FILTER_LIMITS.conditions). */
export const MAX_RULE_CONDITIONS = 100;

/**
 * Parses `stage=Qualified and no-activity>14d and source="Google Ads"`: conditions joined by
 * `and`; values bare or in double quotes. Only parsing happens here; the store turns the
 * checked conditions into SQL with every value as a parameter.
 */
export function parseWhere(text: string, example: string): RawCondition[] {
  const fail = (why: string) => new UsageError(say`cannot read ${fieldRef('where')} '${text}': ${why}`, { id: 'rule.where', example });
  const out: RawCondition[] = [];
  let i = 0;
  const s = text;
  const skipSpace = () => {
    while (i < s.length && /\s/.test(s[i]!)) i++;
  };
  skipSpace();
  if (i >= s.length) throw fail('it is empty');
  for (;;) {
    skipSpace();
    const fieldMatch = /^[A-Za-z][\w-]*/.exec(s.slice(i));
    if (!fieldMatch) throw fail(`expected a field name at '${s.slice(i) || 'the end'}'`);
    const field = fieldMatch[0].toLowerCase();
    i += fieldMatch[0].length;
    skipSpace();
    const op = OPS.find((o) => s.startsWith(o, i));
    if (!op) throw fail(`expected one of ${OPS.join(' ')} after '${field}'`);
    i += op.length;
    skipSpace();
    let value: string;
    if (s[i] === '"' || s[i] === "'") {
      const quote = s[i]!;
      const end = s.indexOf(quote, i + 1);
      if (end < 0) throw fail('a quoted value is not closed');
      value = s.slice(i + 1, end);
      i = end + 1;
    } else {
      const m = /^[^\s"']+/.exec(s.slice(i));
      if (!m) throw fail(`expected a value after '${field}${op}'`);
      value = m[0];
      i += value.length;
    }
    out.push({ field, op, value });
    if (out.length > MAX_RULE_CONDITIONS) throw fail(`more than ${MAX_RULE_CONDITIONS} conditions (at most ${MAX_RULE_CONDITIONS}); make two rules instead`);
    skipSpace();
    if (i >= s.length) return out;
    const joiner = /^(and|or)\b/i.exec(s.slice(i));
    if (!joiner) throw fail(`expected 'and' at '${s.slice(i)}'`);
    if (joiner[1]!.toLowerCase() === 'or') throw fail("'or' is not supported; make two rules instead");
    i += joiner[0].length;
  }
}
