import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import type { ServiceContext } from '../../src/services/context.js';
import { initStore } from '../../src/services/setup/init.js';
import { addUser } from '../../src/services/users/service.js';
import { addLead, type LeadInput } from '../../src/services/leads/service.js';
import { openStore } from '../../src/store/index.js';
import type { User } from '../../src/domain/users.js';
import type { Store } from '../../src/store/types.js';

export const FIXED_NOW = new Date('2026-11-23T09:00:00.000Z');

export interface TestTeam {
  store: Store;
  dir: string;
  admin: User;
  manager: User;
  ravi: User;
  priya: User;
  /** Service context acting as this user, at this time (default FIXED_NOW). */
  as(user: User, now?: Date): ServiceContext;
  close(): Promise<void>;
}

/**
 * The backend every store-backed test runs on: `CRM_TEST_STORE` names it (default `sqlite`; also
 * `postgres` and `json`). A new backend adds its case here, returning a fresh, empty location of its own.
 */
export const TEST_BACKEND = process.env.CRM_TEST_STORE || 'sqlite';

export function freshLocation(dir: string): string {
  switch (TEST_BACKEND) {
    case 'sqlite':
      return join(dir, 'crm.db');
    case 'postgres':
      return freshPostgresUrl(dir);
    case 'json':
      return join(dir, 'crm.json');
    default:
      throw new Error(`CRM_TEST_STORE=${TEST_BACKEND}: no such backend (sqlite, postgres, json)`);
  }
}

/**
 * PostgreSQL: a database of its own per location, named after the temporary directory
 * (`crmt_<run>_<suffix>`), on the server CRM_TEST_PG names (default the machine's, trust auth).
 * `crm init` creates it; dropTestDatabases() (vitest's global teardown) drops them all.
 */
export const TEST_PG_SERVER = process.env.CRM_TEST_PG || 'postgres://postgres@127.0.0.1:5432';
export function freshPostgresUrl(dir: string): string {
  const suffix = basename(dir).replace(/[^a-zA-Z0-9]/g, '').toLowerCase().slice(-12);
  return `${TEST_PG_SERVER}/${TEST_DB_PREFIX}${suffix}_${++pgCounter}`;
}

/**
 * Every test database and role of this vitest run starts with this (`crmt_<run>_`): the global
 * teardown drops this run's leftovers only, never those of another run on the same server.
 */
export const TEST_DB_PREFIX = `crmt_${process.env.CRM_TEST_RUN ?? `p${process.pid.toString(36)}`}_`;
let pgCounter = 0;

/** Drops a test database (and the roles crm made for it), after its handles are closed. */
export async function dropTestDatabase(location: string): Promise<void> {
  const { dropPostgresTestDatabase } = await import('./postgres.js');
  await dropPostgresTestDatabase(location);
}

/** A fresh, empty store of the test backend in a temporary directory (no mocks of the store). */
export async function freshStore(): Promise<{ store: Store; dir: string; location: string; cleanup(): Promise<void> }> {
  const dir = mkdtempSync(join(tmpdir(), 'crm-unit-'));
  const location = freshLocation(dir);
  const store = await openStore(location, { create: true });
  return {
    store, dir, location,
    async cleanup() {
      await store.close();
      if (TEST_BACKEND === 'postgres') await dropTestDatabase(location);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A real store of the test backend with an initialised team. */
export async function testTeam(): Promise<TestTeam> {
  const { store, dir, cleanup } = await freshStore();
  const { admin } = await initStore(store, FIXED_NOW, { adminName: 'Asha Rao', adminEmail: 'admin@acme.example', currency: 'EUR', region: 'PT' });
  const ctx = { store, actor: admin, now: FIXED_NOW };
  const manager = await addUser(ctx, { name: 'Meera Iyer', email: 'meera@acme.example', role: 'manager' });
  const ravi = await addUser(ctx, { name: 'Ravi Kumar', email: 'ravi@acme.example', role: 'rep', manager: 'meera@acme.example' });
  const priya = await addUser(ctx, { name: 'Priya Shah', email: 'priya@acme.example', role: 'rep', manager: 'meera@acme.example' });
  return {
    store, dir, admin, manager, ravi, priya,
    as: (user, now = FIXED_NOW) => ({ store, actor: user, now }),
    close: cleanup,
  };
}

let counter = 0;
/** Builder for lead input: unique contact details unless overridden. */
export function aLead(overrides: Partial<LeadInput> = {}): LeadInput {
  counter++;
  return { name: `Lead ${counter}`, emails: [`lead${counter}@example.com`], ...overrides };
}

export async function addLeadAs(team: TestTeam, user: User, overrides: Partial<LeadInput> = {}) {
  return (await addLead(team.as(user), aLead(overrides))).lead;
}
