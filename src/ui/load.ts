import { createRequire } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

/**
 * Loads dist/ui/<name>.mjs, the ES module bundles of the full-screen UIs (ink, react and the UI).
 *
 * The CLI bundle is CommonJS and esbuild turns every import() in it into require()
 * (`dynamic-import: false`, which keeps the other lazy imports synchronous and fast). But
 * ink is ESM-only and — like yoga-layout, which it loads — uses top-level await, so it
 * cannot be require()d on any Node version. dist/ui/import.cjs, written by
 * scripts/build.mjs, is one line, `module.exports = (url) => import(url)`: a real dynamic
 * import in a file Node loads itself, so it works however the CLI bundle was loaded (even
 * compiled through node:vm, where an import() of its own needs an experimental option).
 */
export type BoardUi = typeof import('./board/main.js');
export type DashboardUi = typeof import('./dashboard/main.js');

function loadUi(name: string): Promise<unknown> {
  // __filename and __dirname are dist/crm.cjs and dist/: the bundle is CommonJS.
  const importModule = createRequire(__filename)('./ui/import.cjs') as (url: string) => Promise<unknown>;
  return importModule(pathToFileURL(join(__dirname, 'ui', `${name}.mjs`)).href);
}

export function loadBoardUi(): Promise<BoardUi> {
  return loadUi('board') as Promise<BoardUi>;
}

export function loadDashboardUi(): Promise<DashboardUi> {
  return loadUi('dashboard') as Promise<DashboardUi>;
}
