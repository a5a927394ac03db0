import { ConflictError, NotFoundError, UsageError, fieldRef, say, type Fix } from '../../errors.js';
import type { Source, Stage, StageOutcome, Tag } from '../../domain/pipeline.js';
import type { Store } from '../../store/types.js';
import { assertRole } from '../access.js';
import type { ServiceContext } from '../context.js';
import { findSource, findStage } from '../lookup.js';
import { checkName } from '../leads/normalize.js';

/** L4 pipeline stages and the source / tag taxonomies (U3). Changing them is for admins and managers. */

const CONFIGURERS = ['admin', 'manager'] as const;

export const DEFAULT_STAGES: Omit<Stage, 'id' | 'position'>[] = [
  { name: 'New', probability: 10, outcome: 'open' },
  { name: 'Contacted', probability: 20, outcome: 'open' },
  { name: 'Qualified', probability: 40, outcome: 'open' },
  { name: 'Demo', probability: 60, outcome: 'open' },
  { name: 'Proposal Sent', probability: 75, outcome: 'open' },
  { name: 'Won', probability: 100, outcome: 'won' },
  { name: 'Lost', probability: 0, outcome: 'lost' },
];

export const DEFAULT_SOURCES = ['Website', 'Referral', 'Phone', 'Email', 'Walk-in', 'WhatsApp', 'IVR', 'Google Ads', 'ExportersIndia'];

export function parseProbability(raw: string | number): number {
  const n = Number(String(raw).trim().replace(/%$/, ''));
  if (!Number.isInteger(n) || n < 0 || n > 100 || String(raw).trim() === '') {
    throw new UsageError(`invalid probability '${raw}'`, 'a probability is a whole percentage from 0 to 100');
  }
  return n;
}

export interface StagePlacement {
  position?: string | number;
  before?: string;
  after?: string;
}

async function placeAt(store: Store, stages: Stage[], id: number, where: StagePlacement): Promise<void> {
  const others = stages.filter((s) => s.id !== id);
  let index = others.length;
  const given = [where.position, where.before, where.after].filter((x) => x !== undefined).length;
  if (given > 1) throw new UsageError(say`give only one of ${fieldRef('position')}, ${fieldRef('before')}, ${fieldRef('after')}`);
  if (where.position !== undefined) {
    const p = Number(where.position);
    if (!Number.isInteger(p) || p < 1 || p > others.length + 1) throw new UsageError(`invalid position '${where.position}'`, `a position from 1 to ${others.length + 1}`);
    index = p - 1;
  } else if (where.before !== undefined || where.after !== undefined) {
    const anchor = await findStage(store, (where.before ?? where.after)!);
    if (anchor.id === id) throw new UsageError('a stage cannot be placed next to itself');
    index = others.findIndex((s) => s.id === anchor.id) + (where.after !== undefined ? 1 : 0);
  }
  const ids = others.map((s) => s.id);
  ids.splice(index, 0, id);
  await store.stages.reorder(ids);
}

export async function addStage(ctx: ServiceContext, name: string, opts: StagePlacement & { probability?: string; outcome?: StageOutcome }): Promise<Stage> {
  const { store } = ctx;
  return store.transaction(async () => {
    assertRole(ctx.actor, CONFIGURERS, 'change the pipeline');
    const n = checkName(name, 'stage name');
    const stages = await store.stages.list();
    if (stages.some((s) => s.name.toLowerCase() === n.toLowerCase())) throw new ConflictError(`stage '${n}' already exists`);
    const outcome = opts.outcome ?? 'open';
    const probability = opts.probability !== undefined ? parseProbability(opts.probability) : outcome === 'won' ? 100 : 0;
    const stage = await store.stages.insert({ name: n, probability, outcome, position: stages.length + 1 });
    // New open stages go before the closed (won/lost) ones unless placed explicitly.
    const firstClosed = stages.find((s) => s.outcome !== 'open');
    const where = opts.position ?? opts.before ?? opts.after ? opts : outcome === 'open' && firstClosed ? { before: firstClosed.name } : {};
    await placeAt(store, [...stages, stage], stage.id, where);
    return (await findStage(store, n));
  });
}

export async function updateStage(ctx: ServiceContext, name: string, change: { rename?: string; probability?: string; place?: StagePlacement }): Promise<Stage> {
  const { store } = ctx;
  return store.transaction(async () => {
    assertRole(ctx.actor, CONFIGURERS, 'change the pipeline');
    const stage = await findStage(store, name);
    if (change.rename !== undefined) {
      const n = checkName(change.rename, 'stage name');
      const clash = (await store.stages.list()).find((s) => s.name.toLowerCase() === n.toLowerCase() && s.id !== stage.id);
      if (clash) throw new ConflictError(`stage '${clash.name}' already exists`);
      await store.stages.update(stage.id, { name: n });
    }
    if (change.probability !== undefined) await store.stages.update(stage.id, { probability: parseProbability(change.probability) });
    if (change.place) await placeAt(store, await store.stages.list(), stage.id, change.place);
    return (await store.stages.list()).find((s) => s.id === stage.id)!;
  });
}

export async function removeStage(ctx: ServiceContext, name: string, moveTo?: string): Promise<{ removed: Stage; moved: number }> {
  const { store } = ctx;
  return store.transaction(async () => {
    assertRole(ctx.actor, CONFIGURERS, 'change the pipeline');
    const stage = await findStage(store, name);
    const stages = await store.stages.list();
    const used = await store.stages.countLeads(stage.id);
    let moved = 0;
    if (used > 0) {
      if (!moveTo) throw new ConflictError(`stage ${stage.name} holds ${used} lead(s)`, { id: 'stage.remove-move-to', stage: stage.name });
      const target = await findStage(store, moveTo);
      if (target.id === stage.id) throw new UsageError(say`${fieldRef('moveTo')} must name another stage`);
      moved = await store.stages.moveLeads(stage.id, target.id);
    }
    if (stage.outcome === 'open' && !stages.some((s) => s.id !== stage.id && s.outcome === 'open')) {
      throw new ConflictError(`${stage.name} is the last open stage`, 'add another open stage first');
    }
    await store.stages.remove(stage.id);
    await store.stages.reorder(stages.filter((s) => s.id !== stage.id).map((s) => s.id));
    return { removed: stage, moved };
  });
}

type Named = 'sources' | 'tags';
const label = (kind: Named) => (kind === 'sources' ? 'source' : 'tag');

async function findNamed(store: Store, kind: Named, name: string): Promise<Source | Tag> {
  if (kind === 'sources') return findSource(store, name);
  const tag = await store.tags.byName(name.trim());
  if (!tag) throw new NotFoundError(`unknown tag '${name}'`, { id: 'tag.list' });
  return tag;
}

export async function addNamed(ctx: ServiceContext, kind: Named, name: string): Promise<Source | Tag> {
  const { store } = ctx;
  return store.transaction(async () => {
    assertRole(ctx.actor, CONFIGURERS, `add ${kind}`);
    const n = checkName(name, `${label(kind)} name`);
    if (await store[kind].byName(n)) throw new ConflictError(`${label(kind)} '${n}' already exists`);
    return store[kind].insert(n);
  });
}

export async function renameNamed(ctx: ServiceContext, kind: Named, name: string, to: string): Promise<Source | Tag> {
  const { store } = ctx;
  return store.transaction(async () => {
    assertRole(ctx.actor, CONFIGURERS, `rename ${kind}`);
    const item = await findNamed(store, kind, name);
    const n = checkName(to, `${label(kind)} name`);
    const clash = await store[kind].byName(n);
    if (clash && clash.id !== item.id) throw new ConflictError(`${label(kind)} '${clash.name}' already exists`);
    await store[kind].rename(item.id, n);
    return { ...item, name: n };
  });
}

export async function removeNamed(ctx: ServiceContext, kind: Named, name: string, force = false): Promise<Source | Tag> {
  const { store } = ctx;
  return store.transaction(async () => {
    assertRole(ctx.actor, CONFIGURERS, `remove ${kind}`);
    const item = await findNamed(store, kind, name);
    if (item.leads > 0 && (kind === 'sources' || !force)) {
      const fix: Fix = kind === 'sources' ? { id: 'source.rename-or-change', source: item.name } : { id: 'tag.untag' };
      throw new ConflictError(`${label(kind)} ${item.name} is used by ${item.leads} lead(s)`, fix);
    }
    if (kind === 'sources') {
      const anyLead = await store.leads.count({ sourceIds: [item.id], deleted: 'include' });
      if (anyLead > 0) throw new ConflictError(`source ${item.name} is used by ${anyLead} deleted lead(s)`, { id: 'source.rename', source: item.name });
    }
    await store[kind].remove(item.id);
    return item;
  });
}
