import type { Store } from '../store/types.js';

/** What a flag's value can be completed from: names kept in the store. */
export type CompletionKind = 'stage' | 'source' | 'tag' | 'user' | 'segment';

/** The names a value of this kind can take, for shell completion (active users only). */
export async function completionValues(store: Store, kind: CompletionKind): Promise<string[]> {
  switch (kind) {
    case 'stage':
      return (await store.stages.list()).map((s) => s.name);
    case 'source':
      return (await store.sources.list()).map((s) => s.name);
    case 'tag':
      return (await store.tags.list()).map((t) => t.name);
    case 'user':
      return (await store.users.list()).filter((u) => u.active).map((u) => u.email);
    case 'segment':
      return (await store.segments.list()).map((s) => s.name);
  }
}
