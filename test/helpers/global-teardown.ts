/** vitest globalSetup: on a PostgreSQL run, drops the test databases left at the end. */
export default function setup() {
  return async () => {
    if ((process.env.CRM_TEST_STORE || 'sqlite') !== 'postgres') return;
    const { dropAllTestDatabases } = await import('./postgres.js');
    await dropAllTestDatabases();
  };
}
