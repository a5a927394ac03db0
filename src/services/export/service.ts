import { parseCount } from '../leads/normalize.js';
import { UsageError, fieldRef, say } from '../../errors.js';
import type { Lead } from '../../domain/leads.js';
import type { ServiceContext } from '../context.js';
import { buildLeadQuery, type LeadFilter } from '../leads/service.js';

export const EXPORT_FORMATS = ['csv', 'json', 'jsonl'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

export function exportFormat(raw: string | undefined): ExportFormat {
  const v = (raw ?? 'csv').trim().toLowerCase();
  if (!(EXPORT_FORMATS as readonly string[]).includes(v)) throw new UsageError(say`invalid ${fieldRef('format')} '${raw}'`, `use one of: ${EXPORT_FORMATS.join(', ')}`);
  return v as ExportFormat;
}

export const EXPORT_PAGE = 1000;

/**
 * The leads the actor may see that match the filter, oldest first, a page at a time (keyset
 * paging on id): memory holds one page however large the store.
 */
export async function* exportLeads(ctx: Pick<ServiceContext, 'store' | 'actor'>, filter: Omit<LeadFilter, 'sort' | 'offset'>): AsyncGenerator<Lead[]> {
  const q = await buildLeadQuery(ctx, { ...filter, limit: undefined });
  let left = filter.limit === undefined ? Infinity : parseCount(filter.limit, 'limit', 1);
  let afterId = 0;
  while (left > 0) {
    const page = await ctx.store.leads.list({ ...q, sort: { key: 'id', desc: false }, afterId, limit: Math.min(EXPORT_PAGE, left), offset: 0 });
    if (!page.length) return;
    yield page;
    left -= page.length;
    afterId = page[page.length - 1]!.id;
  }
}

/** Custom field keys, for one CSV column each ("custom:<key>"). */
export async function exportCustomKeys(ctx: Pick<ServiceContext, 'store'>): Promise<string[]> {
  return ctx.store.maintenance.customKeys();
}
