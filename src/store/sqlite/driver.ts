import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import Database from 'better-sqlite3';

export type { Database };

/**
 * Every SQLite connection of the store layer is opened here. In the CommonJS bundle,
 * better-sqlite3's JavaScript is bundled (no module resolution or compilation of its dozen
 * files at start-up) and its native addon is given by path: the `bindings` package's search
 * would look next to dist/crm.cjs, not in node_modules, and costs a few ms anyway. Elsewhere
 * (tests run the ES module sources) better-sqlite3 finds the addon itself.
 */
export function openDatabase(file: string | Buffer, options: Database.Options = {}): Database.Database {
  return new Database(file, { ...options, nativeBinding: nativeBinding() });
}

let addonPath: string | undefined | null = null;

/** The addon's path: beside the bundle's own node_modules first (one stat), else as Node resolves the package. */
function nativeBinding(): string | undefined {
  if (addonPath !== null) return addonPath;
  addonPath = undefined;
  if (typeof require !== 'function' || typeof __dirname !== 'string') return addonPath;
  const inPackage = (dir: string) => join(dir, 'build', 'Release', 'better_sqlite3.node');
  const near = inPackage(join(__dirname, '..', 'node_modules', 'better-sqlite3'));
  if (existsSync(near)) return (addonPath = near);
  try {
    const resolved = inPackage(dirname(require.resolve('better-sqlite3/package.json')));
    if (existsSync(resolved)) addonPath = resolved;
  } catch {
    // not resolvable: better-sqlite3 looks for it itself
  }
  return addonPath;
}
