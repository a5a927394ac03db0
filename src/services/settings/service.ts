import { NotFoundError, UsageError } from '../../errors.js';
import { assertRole } from '../access.js';
import type { ServiceContext } from '../context.js';
import { normalizeCurrency } from '../leads/normalize.js';

/** Team-wide settings (U3), stored in the store. Per-person settings live in the config file. */
export interface SettingSpec {
  description: string;
  default: string;
  normalize: (raw: string) => string;
}

const list = (raw: string) => raw.split(',').map((s) => s.trim()).filter(Boolean).join(',');

export const SETTINGS: Record<string, SettingSpec> = {
  currency: { description: 'currency of new leads (ISO 4217)', default: 'USD', normalize: normalizeCurrency },
  'phone.region': {
    description: 'country assumed for phone numbers written without +country code (ISO 3166 alpha-2)',
    default: '',
    normalize: (raw) => {
      const r = raw.trim().toUpperCase();
      if (r && !/^[A-Z]{2}$/.test(r)) throw new UsageError(`invalid region '${raw}'`, 'use a two-letter country code such as IN, US, PT');
      return r;
    },
  },
  'junk.domains': { description: 'email domains whose leads are filed as junk (comma-separated)', default: '', normalize: (r) => list(r).toLowerCase() },
  'dashboard.hot-sources': { description: 'sources whose open leads count as hot on the dashboard (comma-separated)', default: '', normalize: list },
  'junk.words': { description: 'words in a name that file a lead as junk (comma-separated)', default: '', normalize: (r) => list(r).toLowerCase() },
  'demo.confirmed-stage': { description: 'stage a lead moves to when its demo is confirmed (empty: no move)', default: '', normalize: (r) => r.trim() },
  'demo.completed-stage': { description: 'stage a lead moves to when its demo is completed (empty: the stage after demo.confirmed-stage)', default: '', normalize: (r) => r.trim() },
};

function spec(key: string): SettingSpec {
  const s = SETTINGS[key];
  if (!s) throw new NotFoundError(`unknown setting '${key}'`, `settings are: ${Object.keys(SETTINGS).join(', ')}`);
  return s;
}

export async function listSettings(ctx: Pick<ServiceContext, 'store'>): Promise<{ key: string; value: string; description: string }[]> {
  const stored = await ctx.store.settings.all();
  return Object.entries(SETTINGS).map(([key, s]) => ({ key, value: stored[key] ?? s.default, description: s.description }));
}

export async function getSetting(ctx: Pick<ServiceContext, 'store'>, key: string): Promise<string> {
  const s = spec(key);
  return (await ctx.store.settings.get(key)) ?? s.default;
}

export async function setSetting(ctx: ServiceContext, key: string, raw: string): Promise<string> {
  const s = spec(key);
  assertRole(ctx.actor, ['admin'], 'change team settings');
  const value = s.normalize(raw);
  await ctx.store.transaction(() => ctx.store.settings.set(key, value));
  return value;
}
