import type { User } from '../../domain/users.js';
import type { Store } from '../../store/types.js';
import { DEFAULT_SOURCES, DEFAULT_STAGES } from '../pipeline/service.js';
import { addUser } from '../users/service.js';
import { normalizeCurrency } from '../leads/normalize.js';
import { SETTINGS } from '../settings/service.js';

export interface InitInput {
  adminName: string;
  adminEmail: string;
  currency?: string;
  region?: string;
}

/**
 * Prepares a new store: default pipeline, sources and settings, and its first admin.
 * Idempotent: on a store that already has users it changes nothing.
 */
export async function initStore(store: Store, now: Date, input: InitInput): Promise<{ created: boolean; admin: User }> {
  return store.transaction(async () => {
    const existing = (await store.users.list()).find((u) => u.role === 'admin' && u.active);
    if (existing) return { created: false, admin: existing };
    if ((await store.stages.list()).length === 0) {
      let position = 1;
      for (const s of DEFAULT_STAGES) await store.stages.insert({ ...s, position: position++ });
    }
    if ((await store.sources.list()).length === 0) for (const s of DEFAULT_SOURCES) await store.sources.insert(s);
    await store.settings.set('currency', input.currency ? normalizeCurrency(input.currency) : SETTINGS.currency!.default);
    if (input.region) await store.settings.set('phone.region', SETTINGS['phone.region']!.normalize(input.region));
    const admin = await addUser({ store, now }, { name: input.adminName, email: input.adminEmail, role: 'admin' });
    return { created: true, admin };
  });
}
