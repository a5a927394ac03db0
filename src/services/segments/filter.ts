/**
 * The one filter language of segments and `crm lead list --where` (L9):
 *
 *   source in (Website, Google Ads) and score>=60 and stage!=Lost
 *
 * A small tokenizer and recursive-descent parser (no dependencies: it sits on `lead list`'s
 * start-up path). The tree keeps raw values and their columns; resolve.ts turns names into
 * ids, and the store compiles the resolved tree to parameterised SQL (values are never
 * spliced into SQL text).
 */
import { UsageError } from '../../errors.js';

export const FILTER_FIELDS = ['stage', 'source', 'tag', 'score', 'value', 'status', 'type', 'assigned', 'created', 'payment'] as const;
export type FilterField = (typeof FILTER_FIELDS)[number];
export type CompareOp = '=' | '!=' | '<' | '<=' | '>' | '>=';

/** Fields compared by order (numbers, dates); the others take only = != in / not in. */
export const ORDERED_FIELDS: readonly FilterField[] = ['score', 'value', 'created'];

export interface FilterValue {
  text: string;
  /** 1-based column of the value's first character in the expression. */
  col: number;
}

export type FilterAst<V = FilterValue> =
  | { kind: 'cmp'; field: FilterField; op: CompareOp; value: V; col: number }
  | { kind: 'in'; field: FilterField; not: boolean; values: V[]; col: number }
  | { kind: 'and' | 'or'; left: FilterAst<V>; right: FilterAst<V> };

type TokKind = 'word' | 'string' | 'op' | '(' | ')' | ',' | 'end';
interface Token {
  kind: TokKind;
  text: string;
  col: number;
}

/**
 * Limits of one filter, so that every filter that parses also compiles and runs: the store's
 * SQL grows with each condition and each level of parentheses (SQLite refuses expressions
 * deeper than 1,000), and the parser recurses once per parenthesis.
 */
export const FILTER_LIMITS = { conditions: 100, depth: 20, values: 1000 } as const;

const HINT = `write conditions like: stage != Lost and (source in (Website, "Google Ads") or score >= 60); fields: ${FILTER_FIELDS.join(', ')}`;

export function filterError(expr: string, col: number, token: string, what: string): UsageError {
  const near = token === '' ? 'at the end' : `at column ${col} ('${token}')`;
  return new UsageError(`invalid filter ${near}: ${what}`, `${expr}\n${' '.repeat(Math.max(0, col - 1) + 6)}^\n${HINT}`);
}

export function tokenize(expr: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  while (i < expr.length) {
    const c = expr[i]!;
    const col = i + 1;
    if (/\s/.test(c)) {
      i++;
    } else if (c === '(' || c === ')' || c === ',') {
      out.push({ kind: c, text: c, col });
      i++;
    } else if (c === '"' || c === "'") {
      const end = expr.indexOf(c, i + 1);
      if (end < 0) throw filterError(expr, col, expr.slice(i), 'unterminated quoted value');
      out.push({ kind: 'string', text: expr.slice(i + 1, end), col });
      i = end + 1;
    } else if ('=!<>'.includes(c)) {
      const two = expr.slice(i, i + 2);
      const op = ['!=', '<=', '>=', '<>', '=='].includes(two) ? two : c;
      if (op === '!') throw filterError(expr, col, c, "unknown operator '!' (did you mean !=?)");
      out.push({ kind: 'op', text: op === '<>' ? '!=' : op === '==' ? '=' : op, col });
      i += op.length;
    } else {
      const m = /^[^\s()=!<>,"']+/.exec(expr.slice(i))!;
      out.push({ kind: 'word', text: m[0], col });
      i += m[0].length;
    }
  }
  out.push({ kind: 'end', text: '', col: expr.length + 1 });
  return out;
}

const isKeyword = (t: Token, k: string) => t.kind === 'word' && t.text.toLowerCase() === k;

export function parseFilter(expr: string): FilterAst {
  if (expr.trim() === '') throw new UsageError('empty filter', HINT);
  const toks = tokenize(expr);
  let p = 0;
  const peek = () => toks[p]!;
  const next = () => toks[p++]!;
  const fail = (t: Token, what: string) => filterError(expr, t.col, t.text, what);
  let conditions = 0;
  let values = 0;
  let depth = 0;
  const tooLarge = (t: Token, what: string) =>
    new UsageError(`filter too large at column ${t.col}: ${what}`, `split it into smaller filters, or list values with in (…): at most ${FILTER_LIMITS.conditions} conditions, ${FILTER_LIMITS.values} values and ${FILTER_LIMITS.depth} levels of parentheses`);

  function orExpr(): FilterAst {
    let left = andExpr();
    while (isKeyword(peek(), 'or')) {
      next();
      left = { kind: 'or', left, right: andExpr() };
    }
    return left;
  }
  function andExpr(): FilterAst {
    let left = primary();
    while (isKeyword(peek(), 'and')) {
      next();
      left = { kind: 'and', left, right: primary() };
    }
    return left;
  }
  function primary(): FilterAst {
    const t = peek();
    if (t.kind === '(') {
      if (++depth > FILTER_LIMITS.depth) throw tooLarge(t, `more than ${FILTER_LIMITS.depth} levels of parentheses`);
      next();
      const inner = orExpr();
      depth--;
      const close = next();
      if (close.kind !== ')') throw fail(close, "expected ')'");
      return inner;
    }
    return condition();
  }
  /** A value: a quoted string, or words joined by single spaces up to and/or/)/,/end. */
  function value(allowComma: boolean): FilterValue {
    const t = peek();
    if (++values > FILTER_LIMITS.values) throw tooLarge(t, `more than ${FILTER_LIMITS.values} values`);
    if (t.kind === 'string') {
      next();
      return { text: t.text, col: t.col };
    }
    if (t.kind !== 'word' || isKeyword(t, 'and') || isKeyword(t, 'or')) throw fail(t, 'expected a value');
    const words: string[] = [];
    while (peek().kind === 'word' && !isKeyword(peek(), 'and') && !isKeyword(peek(), 'or')) words.push(next().text);
    const after = peek();
    if (after.kind === 'string' || after.kind === 'op' || after.kind === '(' || (after.kind === ',' && !allowComma)) throw fail(after, 'unexpected token after a value (quote values that contain it)');
    return { text: words.join(' '), col: t.col };
  }
  function condition(): FilterAst {
    const f = next();
    if (++conditions > FILTER_LIMITS.conditions) throw tooLarge(f, `more than ${FILTER_LIMITS.conditions} conditions`);
    if (f.kind !== 'word') throw fail(f, 'expected a field name');
    const field = f.text.toLowerCase() as FilterField;
    if (!FILTER_FIELDS.includes(field)) throw fail(f, `unknown field '${f.text}' (fields: ${FILTER_FIELDS.join(', ')})`);
    const o = next();
    let not = false;
    if (isKeyword(o, 'not')) {
      not = true;
      const i = next();
      if (!isKeyword(i, 'in')) throw fail(i, "expected 'in' after 'not'");
    }
    if (not || isKeyword(o, 'in')) {
      if (ORDERED_FIELDS.includes(field) && field !== 'score') throw fail(o, `'${field}' takes = != < <= > >=, not in`);
      const open = next();
      if (open.kind !== '(') throw fail(open, "expected '(' after in");
      const values = [value(true)];
      while (peek().kind === ',') {
        next();
        values.push(value(true));
      }
      const close = next();
      if (close.kind !== ')') throw fail(close, "expected ',' or ')' in the list");
      return { kind: 'in', field, not, values, col: f.col };
    }
    if (o.kind !== 'op') throw fail(o, 'expected an operator (= != < <= > >= in, not in)');
    const op = o.text as CompareOp;
    if (op !== '=' && op !== '!=' && !ORDERED_FIELDS.includes(field)) throw fail(o, `'${field}' takes = != in (…) not in (…), not ${op}`);
    return { kind: 'cmp', field, op, value: value(false), col: f.col };
  }

  const ast = orExpr();
  const rest = peek();
  if (rest.kind !== 'end') throw fail(rest, rest.kind === ')' ? "unmatched ')'" : "expected 'and', 'or' or the end");
  return ast;
}

/** Whether the tree mentions a field (a segment that names `status` overrides the active-only default). */
export function mentions(ast: FilterAst<unknown>, field: FilterField): boolean {
  if ('left' in ast) return mentions(ast.left, field) || mentions(ast.right, field);
  return ast.field === field;
}
