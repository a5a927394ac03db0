/**
 * vitest globalSetup: names this run (CRM_TEST_RUN, inherited by the workers) and, at the end,
 * drops the PostgreSQL test databases and roles this run left behind — only this run's, so runs
 * side by side on one server never drop each other's (test/helpers/store.ts TEST_DB_PREFIX).
 */
export default function setup() {
  process.env.CRM_TEST_RUN ??= Math.random().toString(36).slice(2, 8);
  const prefix = `crmt_${process.env.CRM_TEST_RUN}_`;
  return async () => {
    const { dropTestDatabasesLike } = await import('./postgres.js');
    await dropTestDatabasesLike(prefix).catch(() => undefined); // no server reachable: nothing was made
  };
}
