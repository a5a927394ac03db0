import { NotFoundError, UsageError, fieldRef, say, SuppressedError, SUPPRESSED_REFUSAL } from '../../errors.js';
import type { MarketplaceConfig, MarketplaceRun } from '../../domain/intake.js';
import type { User } from '../../domain/users.js';
import type { Store } from '../../store/types.js';
import { assertRole } from '../access.js';
import type { ServiceContext } from '../context.js';
import { addFollowUp } from '../followups/service.js';
import { findUser } from '../lookup.js';
import { effectiveSetting, maskSecret, teamTimeZone } from '../settings/service.js';
import { fetchInquiries, type Inquiry } from './exportersindia.js';
import { isDue, nextDue, parseEvery } from './schedule.js';
import { receiveInquiry, type IntakeResult } from './receive.js';

export const SITE = 'ExportersIndia';
export const DEFAULT_BASE_URL = 'https://my.exportersindia.com';
const KEY_SETTING = 'marketplace.site-key';
const FIRST_WINDOW_DAYS = 7;
const RR = `marketplace:${SITE}`;

export interface MarketplaceSetInput {
  siteKey?: string;
  siteId?: string;
  assign?: string[];
  source?: string;
  every?: string;
  baseUrl?: string;
}

function baseUrlOf(raw: string): string {
  try {
    const u = new URL(raw.trim());
    if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new Error('protocol');
  } catch {
    throw new UsageError(say`invalid ${fieldRef('baseUrl')} '${raw}'`, 'use an http:// or https:// URL such as https://my.exportersindia.com');
  }
  return raw.trim().replace(/\/+$/, '');
}

export async function setMarketplace(ctx: ServiceContext, input: MarketplaceSetInput): Promise<MarketplaceView> {
  const { store, actor, now } = ctx;
  assertRole(actor, ['admin', 'manager'], 'configure the marketplace import');
  return store.transaction(async () => {
    const old = await store.marketplaces.get(SITE);
    const siteId = input.siteId?.trim() ?? old?.siteId;
    if (!siteId) throw new UsageError('the marketplace needs a site id', { id: 'marketplace.site-id' });
    const hasKey = input.siteKey !== undefined ? input.siteKey.trim() !== '' : Boolean(await store.settings.get(KEY_SETTING));
    if (!hasKey) throw new UsageError('the marketplace needs a site key', { id: 'marketplace.site-key' });
    let assigneeIds = old?.assigneeIds ?? [];
    if (input.assign !== undefined) {
      const users = await Promise.all(input.assign.map((e) => findUser(store, e)));
      for (const u of users) if (!u.active) throw new UsageError(`user ${u.email} is deactivated`, 'assign inquiries to active users');
      assigneeIds = [...new Set(users.map((u) => u.id))];
    }
    if (!assigneeIds.length) throw new UsageError('the marketplace needs users to assign inquiries to', { id: 'pass', field: 'assign', value: 'ravi@…,priya@…' });
    let sourceId = old?.sourceId ?? null;
    const sourceName = input.source ?? (old ? undefined : SITE);
    if (sourceName !== undefined) {
      if (!sourceName.trim()) throw new UsageError(say`${fieldRef('source')} is empty`, { id: 'pass', field: 'source', value: SITE });
      // The marketplace's own source is created on first use, like a tag.
      sourceId = ((await store.sources.byName(sourceName.trim())) ?? (await store.sources.insert(sourceName.trim()))).id;
    }
    const config: MarketplaceConfig = {
      site: SITE,
      siteId,
      sourceId,
      assigneeIds,
      everyMinutes: input.every !== undefined ? parseEvery(input.every) : (old?.everyMinutes ?? 15),
      baseUrl: input.baseUrl !== undefined ? baseUrlOf(input.baseUrl) : (old?.baseUrl ?? DEFAULT_BASE_URL),
      actorId: actor.id,
      updatedAt: now.toISOString(),
    };
    if (input.siteKey !== undefined) await store.settings.set(KEY_SETTING, input.siteKey.trim());
    await store.marketplaces.put(config);
    return view(store, config, {});
  });
}

export interface MarketplaceView {
  site: string;
  siteId: string;
  siteKey: string;
  source: string | null;
  assign: string[];
  every: string;
  everyMinutes: number;
  baseUrl: string;
  actsAs: string;
}

async function view(store: Store, c: MarketplaceConfig, env: Record<string, string | undefined>): Promise<MarketplaceView> {
  const users = await store.users.list();
  const email = (id: number) => users.find((u) => u.id === id)?.email ?? `#${id}`;
  const source = c.sourceId === null ? null : ((await store.sources.list()).find((s) => s.id === c.sourceId)?.name ?? null);
  const key = effectiveSetting(await store.settings.all(), env, KEY_SETTING);
  return {
    site: c.site, siteId: c.siteId, siteKey: maskSecret(KEY_SETTING, key), source, assign: c.assigneeIds.map(email),
    every: c.everyMinutes % 60 === 0 ? `${c.everyMinutes / 60}h` : `${c.everyMinutes}m`, everyMinutes: c.everyMinutes, baseUrl: c.baseUrl, actsAs: email(c.actorId),
  };
}

async function configOf(store: Store): Promise<MarketplaceConfig> {
  const c = await store.marketplaces.get(SITE);
  if (!c) throw new NotFoundError('the marketplace import is not configured', { id: 'marketplace.set' });
  return c;
}

export interface MarketplaceStatus {
  config: MarketplaceView | null;
  lastRun: MarketplaceRun | null;
  lastSuccess: MarketplaceRun | null;
  /** When the daemon runs it next (null when not configured). */
  nextDue: string | null;
}

export async function marketplaceStatus(ctx: Pick<ServiceContext, 'store' | 'now'>, env: Record<string, string | undefined> = {}): Promise<MarketplaceStatus> {
  const { store, now } = ctx;
  const c = await store.marketplaces.get(SITE);
  const lastRun = (await store.marketplaces.lastRun(SITE)) ?? null;
  const lastSuccess = (await store.marketplaces.lastRun(SITE, { okOnly: true })) ?? null;
  return { config: c ? await view(store, c, env) : null, lastRun, lastSuccess, nextDue: c ? nextDue(c.everyMinutes, lastRun, now).toISOString() : null };
}

/** Whether the daemon should run the import now (configured, and --every has passed since the last run, failed or not). */
export async function marketplaceDue(store: Store, now: Date): Promise<boolean> {
  const c = await store.marketplaces.get(SITE);
  if (!c) return false;
  return isDue(c.everyMinutes, await store.marketplaces.lastRun(SITE), now);
}

export type InquiryOutcome = 'created' | 'junk' | 're-engaged' | 'existing' | 'rejected' | 'seen';
export interface ImportedInquiry {
  inqId: string;
  outcome: InquiryOutcome;
  leadId: number | null;
  assignee: string | null;
  followUpId: number | null;
  reason?: string;
}
export interface MarketplaceImportResult {
  site: string;
  since: string;
  dryRun: boolean;
  fetched: number;
  created: number;
  reengaged: number;
  existing: number;
  rejected: number;
  seen: number;
  inquiries: ImportedInquiry[];
}

export interface ImportOptions {
  since?: string;
  dryRun?: boolean;
  /** Who acts: the CLI user, or (daemon) the user who configured the import. */
  actor?: User;
  env?: Record<string, string | undefined>;
  timeoutMs?: number;
}

class DryRunDone extends Error {
  constructor(readonly result: MarketplaceImportResult) {
    super('dry run');
  }
}

function sinceOf(raw: string | undefined, lastOk: MarketplaceRun | undefined, now: Date): string {
  if (raw !== undefined) {
    const v = raw.trim();
    if (!/^\d{4}-\d{2}-\d{2}$/.test(v) || Number.isNaN(Date.parse(`${v}T00:00:00Z`))) throw new UsageError(say`invalid ${fieldRef('since')} '${raw}'`, 'use a date such as 2026-11-01');
    return v;
  }
  // From the day of the last successful run: windows overlap, the seen inquiry ids keep it exact.
  if (lastOk) return lastOk.startedAt.slice(0, 10);
  return new Date(now.getTime() - FIRST_WINDOW_DAYS * 86400_000).toISOString().slice(0, 10);
}

/**
 * One import run: fetch, then every inquiry in one transaction (lead, follow-up, timeline entry,
 * seen id, round-robin pointer, run record), so a failure leaves nothing half-imported. A failed
 * fetch is recorded as a failed run (ExternalServiceError, exit 6) and retried on the next run.
 */
export async function importMarketplace(store: Store, now: Date, opts: ImportOptions = {}): Promise<MarketplaceImportResult> {
  const env = opts.env ?? {};
  const c = await configOf(store);
  const actor = opts.actor ?? (await store.users.byId(c.actorId));
  if (!actor || !actor.active) throw new UsageError('the user who configured the marketplace import is deactivated', { id: 'marketplace.set-again' });
  assertRole(actor, ['admin', 'manager'], 'import marketplace inquiries');
  const siteKey = effectiveSetting(await store.settings.all(), env, KEY_SETTING);
  if (!siteKey) throw new UsageError('the marketplace has no site key', { id: 'marketplace.set-key' });
  const since = sinceOf(opts.since, await store.marketplaces.lastRun(SITE, { okOnly: true }), now);
  const at = now.toISOString();
  const failed = async (message: string) => {
    if (!opts.dryRun) await store.transaction(() => store.marketplaces.addRun({ site: SITE, startedAt: at, since, ok: false, fetched: 0, created: 0, reengaged: 0, existing: 0, rejected: 0, seen: 0, error: message }));
  };

  let inquiries: Inquiry[];
  try {
    inquiries = await fetchInquiries({ baseUrl: c.baseUrl, siteKey, siteId: c.siteId, since, timeoutMs: opts.timeoutMs ?? 15_000 });
  } catch (err) {
    await failed(err instanceof Error ? err.message : String(err));
    throw err;
  }

  try {
    return await store.transaction(async () => {
      const result = await importInquiries({ store, actor, now }, c, since, inquiries, env);
      result.dryRun = Boolean(opts.dryRun);
      if (opts.dryRun) throw new DryRunDone(result);
      await store.marketplaces.addRun({ site: SITE, startedAt: at, since, ok: true, fetched: result.fetched, created: result.created, reengaged: result.reengaged, existing: result.existing, rejected: result.rejected, seen: result.seen, error: null });
      return result;
    });
  } catch (err) {
    if (err instanceof DryRunDone) return err.result;
    await failed(err instanceof Error ? err.message : String(err));
    throw err;
  }
}

async function importInquiries(ctx: ServiceContext, c: MarketplaceConfig, since: string, inquiries: Inquiry[], env: Record<string, string | undefined>): Promise<MarketplaceImportResult> {
  const { store, actor, now } = ctx;
  const at = now.toISOString();
  const result: MarketplaceImportResult = { site: SITE, since, dryRun: false, fetched: inquiries.length, created: 0, reengaged: 0, existing: 0, rejected: 0, seen: 0, inquiries: [] };
  const already = await store.marketplaces.seen(SITE, inquiries.map((q) => q.inq_id));
  const users = (await Promise.all(c.assigneeIds.map((id) => store.users.byId(id)))).filter((u): u is User => u !== undefined);
  const source = c.sourceId === null ? null : ((await store.sources.list()).find((s) => s.id === c.sourceId)?.name ?? null);
  const timeZone = teamTimeZone(await store.settings.all(), env);
  const inBatch = new Set<string>();

  for (const q of inquiries) {
    const record = async (outcome: InquiryOutcome, leadId: number | null, extra: Partial<ImportedInquiry> = {}) => {
      if (outcome !== 'seen') await store.marketplaces.markSeen(SITE, q.inq_id, leadId, outcome, at);
      result.inquiries.push({ inqId: q.inq_id, outcome, leadId, assignee: null, followUpId: null, ...extra });
    };
    if (already.has(q.inq_id) || inBatch.has(q.inq_id)) {
      result.seen++;
      await record('seen', null);
      continue;
    }
    inBatch.add(q.inq_id);
    const emails = [q.email, q.alt_email].filter((e): e is string => Boolean(e?.trim()));
    const existing = emails.length ? (await store.leads.matchContacts(emails.map((e) => e.toLowerCase()), [])).filter((m) => !m.deleted) : [];
    if (existing.length) {
      result.existing++;
      await record('existing', existing[0]!.id, { reason: `email ${existing[0]!.value} belongs to lead ${existing[0]!.id}` });
      continue;
    }
    // The marketplace's own round-robin wins over the routing rules (it names the assignee).
    const assignee = await nextAssignee(store, users);
    let added: IntakeResult;
    try {
      added = await receiveInquiry(ctx, {
        channel: 'marketplace',
        ref: SITE,
        lead: {
          name: q.name || q.company || q.email || `ExportersIndia inquiry ${q.inq_id}`,
          businessName: q.company || null,
          emails,
          phones: [q.mobile, q.alt_mobile].filter((p): p is string => Boolean(p?.trim())),
          source,
          address: [q.address, q.city, q.state, q.country].filter((p) => p?.trim()).join(', ') || null,
          assign: assignee ? [assignee.email] : undefined,
          custom: { 'exportersindia.inq_id': q.inq_id },
        },
        message: { subject: q.subject ?? null, text: q.detail_req ?? null },
        payload: q,
        timeline: { channel: SITE, inqId: q.inq_id },
        env,
      });
    } catch (err) {
      if (err instanceof SuppressedError) {
        // An erased person (privacy.suppressed refuse): refused and remembered, not retried, and
        // not a failed run (the other inquiries of the window go in).
        result.rejected++;
        await record('rejected', null, { reason: SUPPRESSED_REFUSAL });
        continue;
      }
      if (err instanceof UsageError) {
        // Bad data in the inquiry itself: counted and remembered, not retried forever.
        result.rejected++;
        await record('rejected', null, { reason: err.message });
        continue;
      }
      throw err;
    }
    const lead = added.lead;
    if (added.outcome === 'existing') {
      // Its phone belongs to a lead already: the inquiry is on that lead's timeline, nothing new.
      result.existing++;
      await record('existing', lead.id, { reason: `a contact of this inquiry belongs to lead ${lead.id}` });
      continue;
    }
    const outcome: InquiryOutcome = added.outcome;
    if (outcome === 're-engaged') result.reengaged++;
    else result.created++;
    const title = q.subject || (q.product ? `Inquiry: ${q.product}` : `${SITE} inquiry ${q.inq_id}`);
    const description = [
      q.subject && `Subject: ${q.subject}`,
      q.product && `Product: ${q.product}`,
      q.detail_req && `Message: ${q.detail_req}`,
      `${SITE} inquiry ${q.inq_id}${q.enq_date ? ` of ${q.enq_date}` : ''}`,
    ].filter(Boolean).join('\n');
    const fu = await addFollowUp(ctx, { leadId: lead.id, title, type: 'call', description, assign: assignee ? [assignee.email] : undefined }, { timeZone });
    await record(outcome, lead.id, { assignee: assignee?.email ?? null, followUpId: fu.followUp.id });
  }
  return result;
}

/** Round-robin over the configured users, skipping deactivated ones; the pointer lives in the store. */
async function nextAssignee(store: Store, users: User[]): Promise<User | null> {
  for (let i = 0; i < users.length; i++) {
    const u = users[(await store.roundRobin.take(RR)) % users.length]!;
    if (u.active) return u;
  }
  return null;
}

