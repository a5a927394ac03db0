import { NotFoundError, UsageError } from '../../errors.js';
import type { User } from '../../domain/users.js';
import type { ServiceContext } from '../context.js';
import type { BoardFilter } from '../board/service.js';
import { keyed } from '../../domain/keyed.js';
import { dateOrder, timeZone } from './service.js';
import { normalizeIdentity } from '../calls/identity.js';

/**
 * Personal settings (issue 17): each user's own, kept in the store (userSettings) so they follow
 * the user to every machine and work on every backend. Each one wins over its team-wide or
 * per-machine counterpart: `timezone` over the config file's timezone (CRM_TZ and --tz still win
 * over it), `date-order` over the team's date-order, `board.filter` is the board's filter when
 * none is given.
 */
export interface PersonalSpec {
  description: string;
  normalize: (raw: string) => string;
}

const FILTER_TERMS = 'mine, user=EMAIL, source=A,B, tag=TAG, search=TEXT, closed';

/**
 * A board filter as a personal setting writes it: space-separated terms (`mine source=web,fair
 * tag=hot`). Values cannot hold spaces but a search's: `search=` takes the rest of the text.
 */
export function parseBoardFilter(raw: string): BoardFilter {
  const filter: BoardFilter = {};
  const text = raw.trim();
  const bad = (term: string, why: string) => new UsageError(`invalid board.filter term '${term}': ${why}`, `terms are: ${FILTER_TERMS}`);
  const searchAt = text.search(/(^|\s)search=/);
  const head = searchAt < 0 ? text : text.slice(0, searchAt);
  if (searchAt >= 0) {
    const s = text.slice(searchAt).trim().slice('search='.length).trim();
    if (!s) throw bad('search=', 'give the text to look for');
    filter.search = s;
  }
  for (const term of head.split(/\s+/).filter(Boolean)) {
    const eq = term.indexOf('=');
    const key = (eq < 0 ? term : term.slice(0, eq)).toLowerCase();
    const value = eq < 0 ? '' : term.slice(eq + 1).trim();
    if (key === 'mine' && eq < 0) filter.mine = true;
    else if (key === 'closed' && eq < 0) filter.includeClosed = true;
    else if (key === 'user' && value) filter.user = value;
    else if (key === 'tag' && value) filter.tag = value;
    else if (key === 'source' && value) filter.source = [...(filter.source ?? []), ...value.split(',').map((v) => v.trim()).filter(Boolean)];
    else throw bad(term, eq < 0 ? 'unknown term' : value ? 'unknown term' : 'give a value after =');
  }
  if (filter.mine && filter.user) throw bad('user=', 'mine and user= cannot be used together');
  return filter;
}

/** A parsed filter written back in the setting's words (what `get` prints). */
export function boardFilterText(f: BoardFilter): string {
  const terms: string[] = [];
  if (f.mine) terms.push('mine');
  if (f.user) terms.push(`user=${f.user}`);
  if (f.source?.length) terms.push(`source=${f.source.join(',')}`);
  if (f.tag) terms.push(`tag=${f.tag}`);
  if (f.includeClosed) terms.push('closed');
  if (f.search) terms.push(`search=${f.search}`);
  return terms.join(' ');
}

export const PERSONAL_SETTINGS: Record<string, PersonalSpec> = keyed({
  timezone: { description: 'your time zone for dates you type and times shown (CRM_TZ and a time zone given to a command win; empty: the config file, then the system)', normalize: timeZone },
  'date-order': { description: 'how you write numeric dates such as 05/12/2027: dmy, mdy or ymd (empty: the team date-order)', normalize: dateOrder },
  'call.identity': { description: 'where Twilio rings you for calls you dial and inbound calls to your leads: client:NAME (a Twilio Client identity) or sip:user@host (empty: your mobile number)', normalize: (raw) => normalizeIdentity(raw) },
  'board.filter': { description: `the board's filter when none is given: ${FILTER_TERMS} (e.g. mine tag=hot)`, normalize: (raw) => boardFilterText(parseBoardFilter(raw)) },
});

function spec(key: string): PersonalSpec {
  const s = PERSONAL_SETTINGS[key];
  if (!s) throw new NotFoundError(`unknown personal setting '${key}'`, `personal settings are: ${Object.keys(PERSONAL_SETTINGS).join(', ')}`);
  return s;
}

type Ctx = Pick<ServiceContext, 'store' | 'actor'>;

export async function listPersonalSettings(ctx: Ctx): Promise<{ key: string; value: string; description: string }[]> {
  const stored = await ctx.store.userSettings.all(ctx.actor.id);
  return Object.entries(PERSONAL_SETTINGS).map(([key, s]) => ({ key, value: stored[key] ?? '', description: s.description }));
}

/** The acting user's value ('' when unset). */
export async function getPersonalSetting(ctx: Ctx, key: string): Promise<string> {
  spec(key);
  return (await ctx.store.userSettings.get(ctx.actor.id, key)) ?? '';
}

/** Anyone may set their own; an empty value is the same as unset. */
export async function setPersonalSetting(ctx: Ctx, key: string, raw: string): Promise<string> {
  const value = spec(key).normalize(raw);
  await ctx.store.transaction(() => ctx.store.userSettings.set(ctx.actor.id, key, value === '' ? null : value));
  return value;
}

export async function unsetPersonalSetting(ctx: Ctx, key: string): Promise<void> {
  spec(key);
  await ctx.store.transaction(() => ctx.store.userSettings.set(ctx.actor.id, key, null));
}

/** A user's personal value of a key, when set (readers in other services: time zone, date order, board). */
export async function personalValue(store: ServiceContext['store'], user: Pick<User, 'id'> | undefined, key: string): Promise<string | undefined> {
  if (!user) return undefined;
  return (await store.userSettings.get(user.id, key)) || undefined;
}
