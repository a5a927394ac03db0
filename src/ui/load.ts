import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

/**
 * Loads dist/ui/board.mjs, the board's ES module bundle (ink, react and the board UI).
 *
 * The CLI bundle is CommonJS and esbuild turns every import() in it into require()
 * (`dynamic-import: false`, which keeps the other lazy imports synchronous and fast). But
 * ink is ESM-only and — like yoga-layout, which it loads — uses top-level await, so it
 * cannot be require()d on any Node version. A Function body is a string to esbuild, so
 * the import() inside it stays a real, native dynamic import. The URL is absolute because
 * such an import has no module of its own to resolve a relative path against.
 */
const importModule = new Function('url', 'return import(url)') as (url: string) => Promise<unknown>;

export type BoardUi = typeof import('./board/main.js');

export function loadBoardUi(): Promise<BoardUi> {
  // __dirname is dist/, where the CommonJS bundle lives.
  return importModule(pathToFileURL(join(__dirname, 'ui', 'board.mjs')).href) as Promise<BoardUi>;
}
