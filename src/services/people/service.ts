/**
 * A person's data (GDPR art. 15 and 17, issue 20): everything the store keeps about one person,
 * exported as one document, or erased everywhere the store reaches. The person is named by a
 * lead id or an email; every lead sharing one of their emails or phones is the same person.
 */
import { contactHash } from '../../domain/suppression.js';
import type { Activity, Lead } from '../../domain/leads.js';
import type { ConsentEntry } from '../../domain/consent.js';
import { ConflictError, NotFoundError } from '../../errors.js';
import type { PersonRecords } from '../../store/contract/people.js';
import type { Store } from '../../store/types.js';
import { assertRole } from '../access.js';
import { audit } from '../audit/service.js';
import type { ServiceContext } from '../context.js';
import { getLead } from '../leads/service.js';
import { normalizeEmail, parseId } from '../leads/normalize.js';
import { eraseFromFile, importFilesOf, type FileErasure } from './files.js';

/** What an erased lead is called afterwards: reports still count it, under this name. */
export const ERASED_NAME = 'erased contact';

export { contactHash };

/** Whether any of these (normalized) emails or phones belongs to an erased person. */
export async function isSuppressed(store: Store, emails: string[], phones: string[]): Promise<boolean> {
  // An empty list (most stores) needs no hash: a one-record command then never loads node:crypto (~0.06x a `node -e 0`).
  if ((!emails.length && !phones.length) || !(await store.people.hasSuppressions())) return false;
  const hashes = [...emails.map((e) => contactHash('email', e)), ...phones.map((p) => contactHash('phone', p))];
  return (await store.people.suppressed(hashes)).length > 0;
}

interface Person {
  leads: Lead[];
  emails: string[];
  phones: string[];
}

/** The person named by a lead id or an email, with every lead that shares an email or phone of theirs. */
async function findPerson(ctx: Pick<ServiceContext, 'store' | 'actor'>, ref: string): Promise<Person> {
  const { store } = ctx;
  const ids = new Set<number>();
  const emails = new Set<string>();
  const phones = new Set<string>();
  if (ref.includes('@')) emails.add(normalizeEmail(ref).toLowerCase());
  else ids.add((await getLead(ctx, parseId(ref, 'contact'), { includeDeleted: true })).id);
  const leads = new Map<number, Lead>();
  // Two rounds reach every lead that shares an address with one already found, and theirs.
  for (let round = 0; round < 3; round++) {
    for (const id of ids) {
      if (leads.has(id)) continue;
      const lead = await getLead(ctx, id, { includeDeleted: true });
      leads.set(id, lead);
      for (const e of lead.emails) emails.add(e.toLowerCase());
      for (const p of lead.phones) phones.add(p);
    }
    const before = ids.size;
    for (const m of await store.leads.matchContacts([...emails], [...phones])) ids.add(m.id);
    if (ids.size === before && [...ids].every((id) => leads.has(id))) break;
  }
  if (!leads.size) throw new NotFoundError(`no lead or customer has the email ${ref}`, 'check the address, or name the contact by id');
  return { leads: [...leads.values()].sort((a, b) => a.id - b.id), emails: [...emails].sort(), phones: [...phones].sort() };
}

export interface LeadData {
  lead: Lead;
  timeline: Activity[];
  followUps: Awaited<ReturnType<Store['followUps']['list']>>;
  calls: Awaited<ReturnType<Store['calls']['list']>>;
  appointments: Awaited<ReturnType<Store['appointments']['list']>>;
  proposals: Awaited<ReturnType<Store['proposals']['list']>>;
  /** Consent per channel, every entry oldest first. */
  consent: ConsentEntry[];
}

export interface ContactExport {
  exportedAt: string;
  exportedBy: string;
  emails: string[];
  phones: string[];
  leads: LeadData[];
  records: PersonRecords;
}

/** Everything the store keeps about one person (admins and managers: it reaches every lead). */
export async function exportContact(ctx: ServiceContext, ref: string): Promise<ContactExport> {
  assertRole(ctx.actor, ['admin', 'manager'], "export a person's data");
  const { store } = ctx;
  const person = await findPerson(ctx, ref);
  const leads: LeadData[] = [];
  for (const lead of person.leads) {
    leads.push({
      lead,
      timeline: await store.activities.forLead(lead.id),
      followUps: await store.followUps.list({ leadId: lead.id }),
      calls: await store.calls.list({ leadId: lead.id }),
      appointments: await store.appointments.list({ leadId: lead.id }),
      proposals: await store.proposals.list({ leadId: lead.id }),
      consent: await store.consent.history(lead.id),
    });
  }
  const records = await store.people.records(person.leads.map((l) => l.id), [...person.emails, ...person.phones]);
  for (const lead of person.leads) await audit(ctx, 'contact.export', lead.id);
  return { exportedAt: ctx.now.toISOString(), exportedBy: ctx.actor.email, emails: person.emails, phones: person.phones, leads, records };
}

export interface EraseResult {
  leadIds: number[];
  /** How many emails and phones went onto the suppression list. */
  suppressed: number;
  /** Rows changed or removed, by table. */
  changed: Record<string, number>;
  /** Import reject and warnings files: how many were read, those rewritten without the person (records removed), reject files the store names that are gone from disk. */
  files: { scanned: number; rewritten: FileErasure[]; missing: string[] };
}

/**
 * Erases a person (admins only): their leads keep their place in reports as "erased contact",
 * everything that identifies them is removed, and their emails and phones go onto the
 * suppression list (as hashes). Backups made before are out of its reach.
 */
export async function eraseContact(ctx: ServiceContext, ref: string, opts: { dataDir?: string } = {}): Promise<EraseResult> {
  assertRole(ctx.actor, ['admin'], "erase a person's data");
  const { store } = ctx;
  const r = await store.transaction(async () => {
    const person = await findPerson(ctx, ref);
    if (person.leads.every((l) => l.name === ERASED_NAME && !l.emails.length && !l.phones.length)) {
      throw new ConflictError(`contact ${ref} is erased already`);
    }
    const ids = person.leads.map((l) => l.id);
    const changed = await store.people.erase(ids, [...person.emails, ...person.phones], ERASED_NAME);
    const hashes = [...person.emails.map((e) => contactHash('email', e)), ...person.phones.map((p) => contactHash('phone', p))];
    await store.people.suppress(hashes, ctx.now.toISOString());
    for (const id of ids) await audit(ctx, 'contact.erase', id, { leads: ids.length, suppressed: hashes.length });
    return { leadIds: ids, suppressed: hashes.length, changed, person };
  });
  // After the commit: an erasure that failed leaves the files as they were.
  const files = await eraseImportFiles(store, r.person, r.leadIds, opts.dataDir);
  return { leadIds: r.leadIds, suppressed: r.suppressed, changed: r.changed, files };
}

/** Every reject and warnings file of every import, rewritten without the person's records. */
async function eraseImportFiles(store: Store, person: Person, leadIds: number[], dataDir: string | undefined): Promise<EraseResult['files']> {
  const out: EraseResult['files'] = { scanned: 0, rewritten: [], missing: [] };
  const matcher = { emails: person.emails, phones: person.phones, leadIds };
  const seen = new Set<string>();
  for (const rec of await store.imports.list(1_000_000)) {
    const files = dataDir ? importFilesOf(rec, dataDir) : rec.rejectsFile ? [rec.rejectsFile] : [];
    for (const file of files) {
      if (seen.has(file)) continue;
      seen.add(file);
      const done = await eraseFromFile(file, matcher);
      if (!done) {
        // The reject file the store names: reported when gone; the others may never have been written.
        if (file === rec.rejectsFile) out.missing.push(file);
        continue;
      }
      out.scanned++;
      if (done.lines) out.rewritten.push(done);
    }
  }
  return out;
}
