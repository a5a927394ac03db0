import { NotFoundError } from '../errors.js';
import type { Source, Stage } from '../domain/pipeline.js';
import type { User } from '../domain/users.js';
import type { Store } from '../store/types.js';

/** Name → record lookups that fail with a message listing what does exist. */

export async function findStage(store: Store, name: string): Promise<Stage> {
  const stages = await store.stages.list();
  const stage = stages.find((s) => s.name.toLowerCase() === name.trim().toLowerCase());
  if (!stage) throw new NotFoundError(`unknown stage '${name}'`, { id: 'stage.pick', stages: stages.map((s) => s.name) });
  return stage;
}

export async function findSource(store: Store, name: string): Promise<Source> {
  const source = await store.sources.byName(name.trim());
  if (source) return source;
  const names = (await store.sources.list()).map((s) => s.name);
  throw new NotFoundError(`unknown source '${name}'`, { id: 'source.pick', name, sources: names });
}

export async function findUser(store: Store, email: string): Promise<User> {
  const user = await store.users.byEmail(email.trim());
  if (!user) throw new NotFoundError(`unknown user '${email}'`, { id: 'user.pick' });
  return user;
}

/** The stage a reopened or new lead enters: the first open stage in pipeline order. */
export async function firstOpenStage(store: Store): Promise<Stage> {
  const stage = (await store.stages.list()).find((s) => s.outcome === 'open');
  if (!stage) throw new NotFoundError('the pipeline has no open stage', { id: 'stage.add-open' });
  return stage;
}

export async function outcomeStage(store: Store, outcome: 'won' | 'lost'): Promise<Stage> {
  const stage = (await store.stages.list()).find((s) => s.outcome === outcome);
  if (!stage) throw new NotFoundError(`the pipeline has no ${outcome} stage`, { id: 'stage.add-outcome', outcome });
  return stage;
}
