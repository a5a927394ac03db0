/**
 * Loads dist/ui/<name>.cjs, the CommonJS bundles of the full-screen UIs (ink, react and the UI).
 *
 * The CLI's loader (bin/) compiles each from the V8 code cache the build wrote beside it
 * (dist/ui/<name>.cjs.cache, warmed by drawing the UI once: scripts/code-cache.cjs), as it does
 * the CLI bundle: Node 20 has no compile cache for ES modules, and ink, react and yoga-layout
 * are ~400 KB of minified code whose functions would otherwise all be compiled for the first
 * frame. (ink and yoga-layout's top-level awaits are left out of these bundles by
 * scripts/build.mjs.)
 */
export type BoardUi = typeof import('./board/main.js');
export type DashboardUi = typeof import('./dashboard/main.js');

function loadUi(name: string): Promise<unknown> {
  // The bundle's own require: the CLI's loader (bin/) hands dist/crm.cjs one that compiles ./ui/<name>.cjs
  // (beside the bundle) from its code cache; a bundle loaded without it gets Node's.
  const id = './ui/' + name + '.cjs';
  // Compiled in the next turn of the event loop: a PostgreSQL store answers the queries the caller sends meanwhile.
  return new Promise((resolve, reject) => {
    setImmediate(() => {
      try {
        resolve(require(id));
      } catch (err) {
        reject(err);
      }
    });
  });
}

export function loadBoardUi(): Promise<BoardUi> {
  return loadUi('board') as Promise<BoardUi>;
}

export function loadDashboardUi(): Promise<DashboardUi> {
  return loadUi('dashboard') as Promise<DashboardUi>;
}
