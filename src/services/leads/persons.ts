/**
 * Contact persons of a company lead or customer (SPEC L10): up to lead.max-persons each, with
 * name, email, phone (normalised as lead phones are), role, commission % and portal access.
 * Adding, changing and removing one is on the lead's timeline.
 */
import { ConflictError, NotFoundError, UsageError } from '../../errors.js';
import type { ContactPerson } from '../../domain/orders.js';
import type { ServiceContext } from '../context.js';
import { parseDecimal } from '../proposals/items.js';
import { effectiveSetting } from '../settings/service.js';
import { getLead } from './service.js';
import { checkName, normalizeEmail, normalizePhones, oneLine } from './normalize.js';

type Ctx = Pick<ServiceContext, 'store' | 'actor'>;

export interface PersonInput {
  name?: string;
  /** Empty string: clear it (edit). */
  email?: string;
  phone?: string;
  role?: string;
  commission?: string;
  portal?: boolean;
}

async function fields(ctx: Ctx, input: PersonInput): Promise<Partial<Omit<ContactPerson, 'id' | 'leadId' | 'createdAt' | 'updatedAt'>>> {
  const s = await ctx.store.settings.all();
  const out: Partial<Omit<ContactPerson, 'id' | 'leadId' | 'createdAt' | 'updatedAt'>> = {};
  if (input.name !== undefined) out.name = checkName(input.name, 'contact person name');
  if (input.email !== undefined) out.email = input.email.trim() ? normalizeEmail(input.email, 'email') : null;
  if (input.phone !== undefined) out.phone = input.phone.trim() ? (await normalizePhones([input.phone], effectiveSetting(s, {}, 'phone.region') || undefined))[0]! : null;
  if (input.role !== undefined) out.role = oneLine(input.role) || null;
  if (input.commission !== undefined) out.commissionPct = input.commission.trim() ? parseDecimal(input.commission, 'commission %', 'contact person', { max: 100 }).text : null;
  if (input.portal !== undefined) out.portal = input.portal;
  return out;
}

export async function listPersons(ctx: Ctx, leadId: number): Promise<ContactPerson[]> {
  await getLead(ctx, leadId, { includeDeleted: true });
  return ctx.store.contactPersons.ofLead(leadId);
}

export async function getPerson(ctx: Ctx, id: number): Promise<ContactPerson> {
  const p = await ctx.store.contactPersons.get(id);
  if (!p) throw new NotFoundError(`no contact person ${id}`);
  await getLead(ctx, p.leadId, { includeDeleted: true });
  return p;
}

const describe = (p: Pick<ContactPerson, 'name' | 'role' | 'email'>) => `${p.name}${p.role ? ` (${p.role})` : ''}${p.email ? ` <${p.email}>` : ''}`;

export async function addPerson(ctx: ServiceContext, leadId: number, input: PersonInput): Promise<ContactPerson> {
  const lead = await getLead(ctx, leadId);
  if (lead.kind !== 'company') throw new UsageError(`lead ${lead.id} (${lead.name}) is a person, not a company; contact persons belong to companies`, 'set its kind to company first');
  if (input.name === undefined) throw new UsageError('a contact person needs a name');
  const f = await fields(ctx, input);
  const max = Number(effectiveSetting(await ctx.store.settings.all(), {}, 'lead.max-persons'));
  const at = ctx.now.toISOString();
  return ctx.store.transaction(async () => {
    const existing = await ctx.store.contactPersons.ofLead(leadId);
    if (existing.length >= max) throw new ConflictError(`lead ${leadId} has ${existing.length} contact persons already, the most lead.max-persons allows`, { id: 'person.list', leadId });
    const id = await ctx.store.contactPersons.insert({ leadId, name: f.name!, email: f.email ?? null, phone: f.phone ?? null, role: f.role ?? null, commissionPct: f.commissionPct ?? null, portal: f.portal ?? false }, at);
    const p = (await ctx.store.contactPersons.get(id))!;
    await ctx.store.activities.add({ leadId, type: 'contact-person', at, userId: ctx.actor.id, body: `contact person added: ${describe(p)}`, data: { personId: id, event: 'added' } });
    return p;
  });
}

export async function editPerson(ctx: ServiceContext, id: number, input: PersonInput): Promise<ContactPerson> {
  const before = await getPerson(ctx, id);
  const f = await fields(ctx, input);
  const changed = (Object.keys(f) as (keyof typeof f)[]).filter((k) => f[k] !== before[k]);
  if (Object.keys(f).length === 0) throw new UsageError('nothing to change', { id: 'person.list', leadId: before.leadId });
  const at = ctx.now.toISOString();
  return ctx.store.transaction(async () => {
    await ctx.store.contactPersons.update(id, f, at);
    const p = (await ctx.store.contactPersons.get(id))!;
    if (changed.length) await ctx.store.activities.add({ leadId: p.leadId, type: 'contact-person', at, userId: ctx.actor.id, body: `contact person ${p.name} changed: ${changed.join(', ')}`, data: { personId: id, event: 'edited' } });
    return p;
  });
}

export async function removePerson(ctx: ServiceContext, id: number): Promise<ContactPerson> {
  const p = await getPerson(ctx, id);
  const at = ctx.now.toISOString();
  return ctx.store.transaction(async () => {
    await ctx.store.contactPersons.remove(id);
    await ctx.store.activities.add({ leadId: p.leadId, type: 'contact-person', at, userId: ctx.actor.id, body: `contact person removed: ${describe(p)}`, data: { personId: id, event: 'removed' } });
    return p;
  });
}
