import type { LeadFields } from '../../domain/leads.js';
import type { User } from '../../domain/users.js';
import type { Store } from '../../store/types.js';

/**
 * A realistic demo team and pipeline (`crm demo`, `crm init --demo`), deterministic so
 * the same command gives the same store. Large counts (100k) feed the benchmarks.
 */

const FIRST = ['Ana', 'Rahul', 'Sofia', 'Arjun', 'Meera', 'Lukas', 'Fatima', 'Diego', 'Aisha', 'Kenji', 'Olivia', 'Vikram', 'Chloe', 'Ibrahim', 'Nina', 'Carlos', 'Priyanka', 'Jonas', 'Leila', 'Mateo'];
const LAST = ['Sousa', 'Sharma', 'Rossi', 'Nair', 'Kapoor', 'Müller', 'Khan', 'García', 'Bello', 'Tanaka', 'Brown', 'Reddy', 'Martin', 'Haddad', 'Novak', 'Silva', 'Gupta', 'Weber', 'Farah', 'López'];
const BUSINESS = ['Lda', 'Traders', 'Exports', 'GmbH', 'Textiles', 'Foods', 'Logistics', 'Pharma', 'Motors', 'Studios'];
const REASONS = ['Price too high', 'Chose a competitor', 'No budget this year', 'Not reachable', 'Requirement changed'];
const NOTES = ['Asked for pricing', 'Wants a demo next week', 'Decision maker is the CFO', 'Budget approved for Q1', 'Compared us with two vendors'];

export const DEMO_TEAM = [
  { name: 'Meera Iyer', email: 'meera@acme.example', role: 'manager' as const },
  { name: 'Ravi Kumar', email: 'ravi@acme.example', role: 'rep' as const },
  { name: 'Priya Shah', email: 'priya@acme.example', role: 'rep' as const },
  { name: 'Tom Becker', email: 'tom@acme.example', role: 'rep' as const },
];

/** Small deterministic PRNG (mulberry32): the demo must not depend on Math.random. */
function rng(seed: number) {
  let a = seed;
  return () => {
    a |= 0;
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export async function seedDemo(store: Store, now: Date, opts: { leads: number }): Promise<{ users: number; leads: number }> {
  return store.transaction(async () => {
    const team: User[] = [];
    const users = await store.users.list();
    const admin = users.find((u) => u.role === 'admin')!;
    for (const m of DEMO_TEAM) {
      const existing = users.find((u) => u.email === m.email);
      team.push(existing ?? (await store.users.insert({ ...m, managerId: m.role === 'rep' ? null : null, createdAt: now.toISOString() })));
    }
    const manager = team.find((u) => u.role === 'manager')!;
    for (const u of team) if (u.role === 'rep' && u.managerId === null) await store.users.update(u.id, { managerId: manager.id });
    const reps = team.filter((u) => u.role === 'rep');
    const stages = await store.stages.list();
    const sources = await store.sources.list();
    const currency = (await store.settings.get('currency')) ?? 'USD';
    const first = (await store.leads.count({ deleted: 'include' })) + 1;
    const rand = rng(first);
    const pick = <T>(xs: T[]): T => xs[Math.floor(rand() * xs.length)]!;
    const openStages = stages.filter((s) => s.outcome === 'open');
    const lost = stages.find((s) => s.outcome === 'lost');
    const won = stages.find((s) => s.outcome === 'won');

    for (let i = first; i < first + opts.leads; i++) {
      const createdAt = new Date(now.getTime() - Math.floor(rand() * 120) * 86_400_000 - Math.floor(rand() * 86_400_000)).toISOString();
      const fn = pick(FIRST);
      const ln = pick(LAST);
      const roll = rand();
      const stage = roll < 0.1 && lost ? lost : roll < 0.18 && won ? won : pick(openStages);
      const rep = reps[i % reps.length]!;
      const fields: LeadFields = {
        type: stage.outcome === 'won' ? 'customer' : 'lead',
        kind: 'person',
        name: `${fn} ${ln}`,
        businessName: rand() < 0.8 ? `${ln} ${pick(BUSINESS)}` : null,
        emails: [`${fn}.${ln}.${i}@example.com`.toLowerCase().normalize('NFD').replace(/[\u0300-\u036f]/g, '')],
        phones: [`+919${String(100000000 + ((i * 7919) % 899999999)).padStart(9, '0')}`],
        sourceId: pick(sources).id,
        stageId: stage.id,
        score: Math.floor(rand() * 101),
        valueMinor: Math.round(500 + rand() * 49_500) * 100,
        currency,
        expectedClose: new Date(now.getTime() + Math.floor(rand() * 90) * 86_400_000).toISOString().slice(0, 10),
        assigneeIds: [rep.id],
        tags: rand() < 0.25 ? ['vip'] : rand() < 0.3 ? ['hot'] : [],
        birthday: rand() < 0.3 ? `19${70 + Math.floor(rand() * 30)}-${String(1 + Math.floor(rand() * 12)).padStart(2, '0')}-${String(1 + Math.floor(rand() * 28)).padStart(2, '0')}` : null,
        address: null,
        custom: {},
        status: 'active',
        lostReason: stage.outcome === 'lost' ? pick(REASONS) : null,
        orderId: stage.outcome === 'won' ? `SO-${1000 + i}` : null,
        convertedAt: stage.outcome === 'won' ? createdAt : null,
        convertedBy: stage.outcome === 'won' ? rep.id : null,
        createdBy: admin.id,
        mergedInto: null,
        deletedAt: null,
      };
      const id = await store.leads.insert(fields, createdAt);
      await store.activities.add({ leadId: id, type: 'created', at: createdAt, userId: admin.id, data: { outcome: 'new' } });
      if (rand() < 0.4) await store.activities.add({ leadId: id, type: 'note', at: createdAt, userId: rep.id, body: pick(NOTES) });
    }
    return { users: team.length + 1, leads: opts.leads };
  });
}
