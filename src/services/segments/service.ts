/** Segments (L9): named, saved filters in the --where language. */
import { ConflictError, CrmError, ExitCode, NotFoundError, UsageError, fieldRef, say } from '../../errors.js';
import type { Segment } from '../../domain/campaigns.js';
import type { Lead, LeadQuery } from '../../domain/leads.js';
import type { Role } from '../../domain/users.js';
import { assertRole, seesAllLeads } from '../access.js';
import type { ServiceContext } from '../context.js';
import { mentions, parseFilter } from './filter.js';
import { compileWhere } from './resolve.js';

/** Who may save, change and remove segments (and, later, send campaigns to them). */
export const SEGMENT_ROLES: readonly Role[] = ['admin', 'manager', 'marketing'];

type Ctx = Pick<ServiceContext, 'store' | 'actor'>;

export interface SegmentView extends Segment {
  /** Leads and customers matching it that the acting user may see; -1 when it is broken. */
  count: number;
  /** Why a stored filter cannot run (a stage renamed since, a filter saved by an older crm). */
  broken?: string;
}

const NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;

export async function findSegment(ctx: Ctx, name: string): Promise<Segment> {
  const seg = await ctx.store.segments.byName(name.trim());
  if (seg) return seg;
  const names = (await ctx.store.segments.list()).map((s) => s.name);
  throw new NotFoundError(`unknown segment '${name}'`, names.length ? `segments are: ${names.join(', ')}` : { id: 'segment.add', name });
}

/**
 * The query a segment stands for, seen by the acting user: not deleted, active unless the
 * filter names a status, only their own leads for a rep.
 */
export async function segmentQuery(ctx: Ctx, seg: Pick<Segment, 'where'>): Promise<LeadQuery> {
  const filter = await compileWhere(ctx.store, seg.where);
  const q: LeadQuery = { filter, deleted: 'exclude' };
  if (!mentions(parseFilter(seg.where), 'status')) q.statuses = ['active'];
  if (!seesAllLeads(ctx.actor)) q.visibleTo = ctx.actor.id;
  return q;
}

export async function addSegment(ctx: ServiceContext, input: { name: string; where?: string }): Promise<SegmentView> {
  assertRole(ctx.actor, SEGMENT_ROLES, 'save segments');
  const name = input.name.trim();
  if (!NAME.test(name)) throw new UsageError(`invalid segment name '${input.name}'`, 'use letters, digits, - _ and . (up to 64), e.g. hot-web');
  if (input.where === undefined || input.where.trim() === '') throw new UsageError(say`a segment needs ${fieldRef('where')}`, { id: 'segment.where' });
  const where = input.where.trim();
  // Nothing is saved unless the filter parses, compiles and runs: the count runs first, in the
  // transaction that saves it.
  return ctx.store.transaction(async () => {
    const count = await ctx.store.leads.count(await segmentQuery(ctx, { where }));
    if (await ctx.store.segments.byName(name)) throw new ConflictError(`segment '${name}' exists already`, { id: 'segment.remove', name });
    await ctx.store.segments.insert({ name, where, createdBy: ctx.actor.id }, ctx.now.toISOString());
    return { ...(await ctx.store.segments.byName(name))!, count };
  });
}

/**
 * A stored segment with its count, or marked broken: a stage or source renamed since, or a
 * filter an older crm saved that this one cannot run, must not break listing for everyone.
 */
async function counted(ctx: Ctx, seg: Segment): Promise<SegmentView> {
  try {
    return { ...seg, count: await ctx.store.leads.count(await segmentQuery(ctx, seg)) };
  } catch (err) {
    if (err instanceof CrmError && err.exitCode !== ExitCode.usage && err.exitCode !== ExitCode.notFound) throw err;
    return { ...seg, count: -1, broken: err instanceof Error ? err.message : String(err) };
  }
}

export async function showSegment(ctx: Ctx, name: string): Promise<SegmentView> {
  return counted(ctx, await findSegment(ctx, name));
}

/** How many leads a segment matches; a broken segment's error is thrown as it is. */
export async function countSegment(ctx: Ctx, name: string): Promise<SegmentView> {
  const seg = await findSegment(ctx, name);
  return { ...seg, count: await ctx.store.leads.count(await segmentQuery(ctx, seg)) };
}

export async function listSegments(ctx: Ctx): Promise<SegmentView[]> {
  const out: SegmentView[] = [];
  for (const seg of await ctx.store.segments.list()) out.push(await counted(ctx, seg));
  return out;
}

export async function segmentLeads(ctx: Ctx, name: string, opts: { limit?: number } = {}): Promise<Lead[]> {
  const seg = await findSegment(ctx, name);
  return ctx.store.leads.list({ ...(await segmentQuery(ctx, seg)), sort: { key: 'id', desc: false }, limit: opts.limit });
}

export async function removeSegment(ctx: Ctx, name: string): Promise<Segment> {
  assertRole(ctx.actor, SEGMENT_ROLES, 'remove segments');
  const seg = await findSegment(ctx, name);
  await ctx.store.segments.remove(seg.id);
  return seg;
}
