/**
 * vitest setupFiles: runs in each worker before its test file is loaded.
 *
 * ink holds every frame back until exit when CI or CONTINUOUS_INTEGRATION is set (is-in-ci,
 * read once when ink loads). The full-screen UIs crm ships never run that way: their bundles
 * pin it off (scripts/build.mjs, ink-on-terminal), and test/e2e proves it with CI set. Tests
 * that render the UIs from src, with ink from node_modules, must see ink as crm runs it, on
 * CI's machine as on a desk.
 */
delete process.env.CI;
delete process.env.CONTINUOUS_INTEGRATION;
