/**
 * The condition language of routing (L8) and scoring (L7) rules: comma-separated conditions that
 * must all hold, each `field=value`, `field!=value` (alternatives with |: `source=Website|Google Ads`)
 * or, for activity counts, `calls>=2`. It works on a lead that is not stored yet (routing an
 * inquiry), which the segment --where language (SQL over stored leads) cannot.
 *
 *   source=Website         the lead's source (case-insensitive)
 *   country=India          a custom field country, or the word(s) in the address
 *   city=Pune              likewise with a custom field city
 *   tag=vip                the lead has the tag
 *   channel=form           how it arrived: form, chat, sms, whatsapp, email, marketplace, manual (routing only)
 *   form=website           the form, mailbox or marketplace name of the intake (routing only)
 *   has=email              email, phone, company, value, address, or any custom field key, is filled in
 *   mail=free              the first email is at a free-mail domain (mail=company: it is not; mail=acme.com)
 *   budget=*               a BANT answer (budget, authority, need, timeline) or field.<key>: * means present
 *   calls>=2, notes>=1     calls / notes on the timeline in the rule's last --days days (scoring only)
 */
import { UsageError, fieldRef, say } from '../../errors.js';

export type Op = '=' | '!=' | '>=' | '<=' | '>' | '<';
export interface Condition {
  /** source, country, city, tag, channel, form, has, mail, calls, notes, or field (with key). */
  field: string;
  key?: string;
  op: Op;
  values: string[];
  /** As written, for explanations. */
  text: string;
}

/** What conditions look at: a stored lead, or a lead about to be created. */
export interface Facts {
  source: string | null;
  tags: string[];
  address: string | null;
  custom: Record<string, string>;
  emails: string[];
  phones: string[];
  businessName: string | null;
  hasValue: boolean;
  channel: string | null;
  ref: string | null;
  /** Timeline counts in the rule's window (scoring only). */
  counts?: { calls: number; notes: number };
}

const TEXT_FIELDS = ['source', 'country', 'city', 'tag', 'channel', 'form', 'has', 'mail'];
const BANT = ['budget', 'authority', 'need', 'timeline'];
export const ACTIVITY_FIELDS = ['calls', 'notes'];
const INTAKE_FIELDS = ['channel', 'form'];
const SYNTAX_HINT = 'write conditions as field=value joined by commas, e.g. "source=Website,country=India"; fields: source, country, city, tag, channel, form, has, mail, budget, authority, need, timeline, field.<key>, calls, notes';

/** The built-in free-mail domains (team additions in the setting scoring.free-mail-domains). */
export const FREE_MAIL = [
  'gmail.com', 'googlemail.com', 'yahoo.com', 'yahoo.co.in', 'yahoo.co.uk', 'yahoo.in', 'ymail.com', 'rocketmail.com', 'hotmail.com', 'hotmail.co.uk',
  'outlook.com', 'outlook.in', 'live.com', 'msn.com', 'aol.com', 'icloud.com', 'me.com', 'mac.com', 'proton.me', 'protonmail.com', 'gmx.com', 'gmx.de',
  'gmx.net', 'web.de', 'mail.com', 'yandex.com', 'yandex.ru', 'mail.ru', 'zoho.com', 'zohomail.in', 'rediffmail.com', 'qq.com', '163.com', '126.com',
  'sina.com', 'fastmail.com', 'tutanota.com', 'hey.com', 'inbox.com', 'libero.it', 'orange.fr', 'free.fr', 'sapo.pt',
];

export function parseConditions(text: string, opts: { activity: boolean; intake: boolean }): Condition[] {
  const flag = fieldRef('if');
  if (!text?.trim()) throw new UsageError(say`${flag} is empty`, SYNTAX_HINT);
  return text.split(',').map((part) => {
    const m = /^\s*([a-z][\w.-]*)\s*(!=|>=|<=|=|>|<)\s*(.*?)\s*$/i.exec(part);
    if (!m) throw new UsageError(say`cannot read the condition '${part.trim()}' in ${flag}`, SYNTAX_HINT);
    let field = m[1]!.toLowerCase();
    const op = m[2] as Op;
    const raw = m[3]!;
    let key: string | undefined;
    if (field === 'ref') field = 'form';
    if (BANT.includes(field)) {
      key = field;
      field = 'field';
    } else if (field.startsWith('field.')) {
      key = m[1]!.slice('field.'.length);
      field = 'field';
      if (!key) throw new UsageError(`'${part.trim()}' names no custom field`, 'write field.<key>=value, e.g. field.industry=Textiles');
    } else if (!TEXT_FIELDS.includes(field) && !ACTIVITY_FIELDS.includes(field)) {
      throw new UsageError(say`unknown field '${m[1]}' in ${flag}`, SYNTAX_HINT);
    }
    if (ACTIVITY_FIELDS.includes(field)) {
      if (!opts.activity) throw new UsageError(`'${field}' counts activity on a stored lead; routing decides before the lead exists`, { id: 'scoring.activity' });
      if (!/^\d+$/.test(raw)) throw new UsageError(`'${part.trim()}': ${field} takes a whole number`, `e.g. ${field}>=2`);
      return { field, op, values: [raw], text: part.trim() };
    }
    if (INTAKE_FIELDS.includes(field) && !opts.intake) {
      throw new UsageError(`'${field}' is known only while an inquiry arrives`, 'use it in a routing rule; scoring rules are recomputed later without it');
    }
    if (op !== '=' && op !== '!=') throw new UsageError(`'${part.trim()}': ${field} compares with = or != only`, SYNTAX_HINT);
    const values = raw.split('|').map((v) => v.trim()).filter(Boolean);
    if (!values.length) throw new UsageError(`'${part.trim()}' has no value`, `e.g. ${field === 'field' ? `${key}=*` : `${field}=…`}`);
    if (field === 'mail') for (const v of values) if (!['free', 'company'].includes(v.toLowerCase()) && !/^[\w.-]+\.[a-z]{2,}$/i.test(v)) {
      throw new UsageError(`'${part.trim()}': mail takes free, company or a domain`, 'e.g. mail=company');
    }
    return { field, key, op, values, text: part.trim() };
  });
}

const word = (value: string) => new RegExp(`(^|[^\\p{L}\\p{N}])${value.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}($|[^\\p{L}\\p{N}])`, 'iu');
const eq = (a: string | null | undefined, b: string) => a !== null && a !== undefined && a.trim().toLowerCase() === b.toLowerCase();
function customValue(custom: Record<string, string>, key: string): string | undefined {
  const k = Object.keys(custom).find((x) => x.toLowerCase() === key.toLowerCase());
  const v = k === undefined ? undefined : custom[k];
  return v?.trim() ? v : undefined;
}

function matchesOne(c: Condition, f: Facts, v: string, freeMail: Set<string>): boolean {
  switch (c.field) {
    case 'source': return eq(f.source, v);
    case 'tag': return f.tags.some((t) => eq(t, v));
    case 'channel': return eq(f.channel, v);
    case 'form': return eq(f.ref, v);
    case 'country':
    case 'city': return eq(customValue(f.custom, c.field), v) || (f.address !== null && word(v).test(f.address));
    case 'has':
      switch (v.toLowerCase()) {
        case 'email': return f.emails.length > 0;
        case 'phone': return f.phones.length > 0;
        case 'company': return Boolean(f.businessName?.trim());
        case 'value': return f.hasValue;
        case 'address': return Boolean(f.address?.trim());
        default: return customValue(f.custom, v) !== undefined;
      }
    case 'mail': {
      const domain = f.emails[0]?.split('@')[1]?.toLowerCase();
      if (!domain) return false;
      if (v.toLowerCase() === 'free') return freeMail.has(domain);
      if (v.toLowerCase() === 'company') return !freeMail.has(domain);
      return domain === v.toLowerCase();
    }
    case 'field': {
      const got = customValue(f.custom, c.key!);
      return v === '*' ? got !== undefined : eq(got, v);
    }
  }
  return false;
}

export function holds(c: Condition, f: Facts, freeMail: Set<string>): boolean {
  if (ACTIVITY_FIELDS.includes(c.field)) {
    const n = f.counts?.[c.field as 'calls' | 'notes'] ?? 0;
    const want = Number(c.values[0]);
    switch (c.op) {
      case '=': return n === want;
      case '!=': return n !== want;
      case '>=': return n >= want;
      case '<=': return n <= want;
      case '>': return n > want;
      case '<': return n < want;
    }
  }
  const any = c.values.some((v) => matchesOne(c, f, v, freeMail));
  return c.op === '=' ? any : !any;
}

/** The first condition that does not hold (undefined: all hold). */
export function firstFailing(conds: Condition[], f: Facts, freeMail: Set<string>): Condition | undefined {
  return conds.find((c) => !holds(c, f, freeMail));
}

export function freeMailSet(settings: Record<string, string>): Set<string> {
  return new Set([...FREE_MAIL, ...(settings['scoring.free-mail-domains'] ?? '').split(',').map((d) => d.trim().toLowerCase()).filter(Boolean)]);
}
