// Bundles the CLI into one CommonJS file, dist/crm.cjs: Node starts a CommonJS entry about
// 20 ms sooner than an ES module one, and one file means no module resolution at start-up.
// Modules under src/vendor/ are bundled separately into dist/vendor/*.cjs and require()d on
// first use; native or rarely used packages stay external (esbuild turns their dynamic
// import() into require() with `dynamic-import: false`).
import { build } from 'esbuild';
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';

// nodemailer, twilio and node-cron load only in the daemon (and crm doctor), with import();
// imapflow and mailparser only when the mailbox is polled; pdfkit only for crm proposal send/pdf/approve/revise.
const external = ['better-sqlite3', 'pg', 'pg-copy-streams', 'cli-table3', '@inquirer/prompts', 'nodemailer', 'twilio', 'node-cron', 'axios', 'imapflow', 'mailparser', 'pdfkit'];
// better-sqlite3's JavaScript goes into the main bundle (a dozen files fewer to resolve and
// compile on every command); its addon is loaded by path (src/store/sqlite/driver.ts), so the
// `bindings` package it would otherwise use to find it is never required. pg too (30 files, and
// with the lazy built-ins below it loads tls only for TLS connections); it
// runs only for postgres:// stores, as before. pg-native and pg-cloudflare, which pg requires only
// when asked for them, stay out.
const mainExternal = [...external.filter((p) => p !== 'better-sqlite3' && p !== 'pg'), 'bindings', 'pg-native', 'pg-cloudflare'];
const common = { bundle: true, format: 'cjs', platform: 'node', target: 'node20', sourcemap: 'linked', logLevel: 'warning', supported: { 'dynamic-import': false } };

/** import('…/vendor/x.js') in the sources → require('./vendor/x.cjs') next to dist/crm.cjs. */
const vendorPlugin = {
  name: 'vendor',
  setup(b) {
    b.onResolve({ filter: /\/vendor\/[\w-]+\.js$/ }, (args) => ({ path: `./vendor/${args.path.split('/').pop().replace(/\.js$/, '.cjs')}`, external: true }));
  },
};

/**
 * Node built-ins that take milliseconds to load (node:crypto, node:http, node:child_process…
 * 5–20 ms each on a loaded machine) but that most commands never call: commander requires
 * child_process for executable subcommands we do not use, the PostgreSQL side files hash with
 * crypto, the daemon serves http. In the main bundle each is a small module of getters that
 * require()s the real one on first use, so `crm lead show` loads none of them. The names come
 * from the Node that builds (the one that runs the bundle: the code cache is per version too).
 */
const LAZY_BUILTINS = ['child_process', 'crypto', 'dns', 'http', 'https', 'net', 'os', 'readline', 'tls', 'v8', 'worker_threads', 'zlib'];
const lazyBuiltins = {
  name: 'lazy-builtins',
  setup(b) {
    const filter = new RegExp(`^(node:)?(${LAZY_BUILTINS.join('|')})$`);
    b.onResolve({ filter }, (args) => (args.namespace === 'lazy-builtin' ? undefined : { path: args.path.replace(/^node:/, ''), namespace: 'lazy-builtin' }));
    b.onLoad({ filter: /.*/, namespace: 'lazy-builtin' }, async (args) => {
      const keys = Object.keys(await import(`node:${args.path}`)).filter((k) => k !== 'default');
      return {
        loader: 'js',
        contents: `let real;\nconst load = () => (real ??= require('node:${args.path}'));\nfor (const k of ${JSON.stringify(keys)}) Object.defineProperty(exports, k, { enumerable: true, get: () => load()[k] });\n`,
      };
    });
  },
};

/**
 * pg asks at load whether it runs in a Cloudflare Worker: where Node has no global navigator
 * (Node 20; 21 on has one), by making a `new Response(…)`, and the first use of Response loads
 * Node's undici (fetch, http, zlib, websockets: ~30-40 ms of every command on a PostgreSQL store).
 * crm runs on Node only, so the answer is no, given here. pg also takes node:crypto's webcrypto at
 * load (~3 ms), for password authentication only (SCRAM, MD5): here it is taken on first use, so a
 * connection that needs no password (trust, peer, a certificate) never loads node:crypto. The build
 * fails if the pinned pg no longer reads as expected.
 */
const pgNodeOnly = {
  name: 'pg-node-only',
  setup(b) {
    b.onLoad({ filter: /\/pg\/lib\/stream\.js$/ }, (args) => {
      const text = readFileSync(args.path, 'utf8');
      const probe = /function isCloudflareRuntime\(\) \{/;
      if (!probe.test(text) || !text.includes('new Response(')) throw new Error(`pg-node-only: ${args.path} does not read as this build expects (a new pg?)`);
      return { loader: 'js', resolveDir: dirname(args.path), contents: text.replace(probe, 'function isCloudflareRuntime() {\n  return false;') };
    });
    b.onLoad({ filter: /\/pg\/lib\/crypto\/utils\.js$/ }, (args) => {
      const text = readFileSync(args.path, 'utf8');
      const declared = /^const webCrypto = nodeCrypto\.webcrypto \|\| globalThis\.crypto$[\s\S]*?^const subtleCrypto = webCrypto\.subtle$/m;
      if (!declared.test(text)) throw new Error(`pg-node-only: ${args.path} does not read as this build expects (a new pg?)`);
      const lazy = text
        .replace(declared, 'let webCryptoLoaded\nconst webCryptoNow = () => (webCryptoLoaded ??= nodeCrypto.webcrypto || globalThis.crypto)')
        .replace(/\bsubtleCrypto\./g, 'webCryptoNow().subtle.')
        .replace(/\bwebCrypto\./g, 'webCryptoNow().');
      if (/\b(webCrypto|subtleCrypto)\b/.test(lazy)) throw new Error(`pg-node-only: ${args.path} uses webcrypto in a way this build does not rewrite (a new pg?)`);
      return { loader: 'js', resolveDir: dirname(args.path), contents: lazy };
    });
  },
};

/**
 * libphonenumber-js ships two Babel builds of the same sources: es6/ (what its package exports
 * point at), whose object spreads go through Babel's _objectSpread2 helper, and es6-modern/,
 * which uses Object.assign. Same files, same behaviour; in a bulk import the helper alone was
 * ~2.5 µs of ~26 µs of CPU per row (validating 200k rows: 20.1 → 15.7 µs/row, best of 5).
 */
const phoneModern = {
  name: 'libphonenumber-modern',
  setup(b) {
    b.onResolve({ filter: /^\.\.\/es6\// }, (args) =>
      args.importer.includes('/node_modules/libphonenumber-js/') ? { path: resolve(dirname(args.importer), args.path.replace('../es6/', '../es6-modern/')) } : undefined);
  },
};

/**
 * Full-screen UIs (src/ui/<name>/main.tsx) are bundled with ink and react into their own
 * CommonJS files, dist/ui/<name>.cjs, and never into dist/crm.cjs: commands that draw no UI must
 * not pay for them. src/ui/load.ts compiles one only when `crm board` or `crm dashboard` runs on a
 * terminal, from a V8 code cache as bin/load.cjs does for the CLI (Node 20 caches no ES
 * module's compilation). CommonJS cannot express a top-level await, and ink and yoga-layout have
 * one each: yoga's is gone below (yogaInPlace); ink's reconciler awaits only under DEV=true, to
 * connect React devtools (a package we do not ship) and to read ink's package.json (not beside the
 * bundle either, so DEV=true stopped the UI with ENOENT): that branch is left out of the bundle.
 * React's production build is chosen at bundle time.
 */
const inkNoDevtools = {
  name: 'ink-no-devtools',
  setup(b) {
    b.onLoad({ filter: /\/ink\/build\/reconciler\.js$/ }, (args) => {
      const text = readFileSync(args.path, 'utf8');
      const devtools = /if \(isDev\(\)\) \{(\s*try \{\s*)await import\('\.\/devtools\.js'\);/;
      const packageJson = /isDev\(\)(\s*\?\s*)await loadPackageJson\(\)/;
      if (!devtools.test(text) || !packageJson.test(text)) throw new Error(`ink-no-devtools: ${args.path} does not read as this build expects (a new ink?)`);
      return { loader: 'js', resolveDir: dirname(args.path), contents: text.replace(devtools, 'if (false) {$1void 0;').replace(packageJson, 'false$1loadPackageJson()') };
    });
  },
};
/**
 * ink draws every frame into a new Output, whose caches (a line's styled characters, a text's
 * width) start empty each time: a move on the board, which changes two columns and the status
 * line, re-tokenised every line of the screen. The caches depend on the text alone, so here
 * one set serves every frame, emptied when it holds more than a few screens of lines.
 */
const inkOutputCaches = {
  name: 'ink-output-caches',
  setup(b) {
    b.onLoad({ filter: /\/ink\/build\/output\.js$/ }, (args) => {
      const text = readFileSync(args.path, 'utf8');
      const fresh = 'caches = new OutputCaches();';
      if (!text.includes(fresh) || !/^class OutputCaches \{$/m.test(text)) throw new Error(`ink-output-caches: ${args.path} does not read as this build expects (a new ink?)`);
      const shared = [
        'let sharedCaches;',
        'const frameCaches = () => {',
        '    if (!sharedCaches || sharedCaches.styledChars.size > 1024 || sharedCaches.widths.size > 4096) sharedCaches = new OutputCaches();',
        '    return sharedCaches;',
        '};',
        '',
      ].join('\n');
      return { loader: 'js', resolveDir: dirname(args.path), contents: text.replace(fresh, 'caches = frameCaches();').replace(/^export default class Output \{$/m, `${shared}export default class Output {`) };
    });
  },
};
/**
 * yoga-layout (ink's layout engine) is WebAssembly in a base64 string. Its Emscripten loader
 * fetches that data: URL with the global fetch, whose first use loads Node's undici (~20 ms of
 * a board's first frame), and its module waits for the asynchronous compile with a top-level
 * await. Here the bytes are compiled and instantiated in place, through the loader's own
 * instantiateWasm hook, from one copy of the string; the build fails if the pinned
 * yoga-layout no longer reads as expected.
 */
const yogaInPlace = {
  name: 'yoga-in-place',
  setup(b) {
    const DATA = /H="data:application\/octet-stream;base64,([A-Za-z0-9+/=]+)"/;
    const expect = (ok, path) => {
      if (!ok) throw new Error(`yoga-in-place: ${path} does not read as this build expects (a new yoga-layout?)`);
    };
    b.onLoad({ filter: /\/yoga-layout\/dist\/binaries\/yoga-wasm-base64-esm\.js$/ }, (args) => {
      const text = readFileSync(args.path, 'utf8');
      expect(DATA.test(text) && /if\(h\.instantiateWasm\)try\{return h\.instantiateWasm\(d,\s*a\)\}/.test(text), args.path);
      // The bytes go to index.js below; the loader keeps an empty data: URL it never reads.
      return { loader: 'js', contents: text.replace(DATA, 'H="data:application/octet-stream;base64,"') };
    });
    b.onLoad({ filter: /\/yoga-layout\/dist\/src\/index\.js$/ }, (args) => {
      const text = readFileSync(args.path, 'utf8');
      const wait = 'const Yoga = wrapAssembly(await loadYoga());';
      const binary = resolve(dirname(args.path), '../binaries/yoga-wasm-base64-esm.js');
      const bytes = readFileSync(binary, 'utf8').match(DATA)?.[1];
      expect(text.includes(wait) && bytes, args.path);
      return {
        loader: 'js',
        resolveDir: dirname(args.path),
        contents: text.replace(wait, [
          `const wasm = new WebAssembly.Module(Buffer.from(${JSON.stringify(bytes)}, 'base64'));`,
          // Emscripten calls the hook, and with the instance given at once it finishes setting the module up before loadYoga returns.
          'const yoga = { instantiateWasm(imports, receive) { receive(new WebAssembly.Instance(wasm, imports)); return {}; } };',
          'loadYoga(yoga);',
          'const Yoga = wrapAssembly(yoga);',
        ].join('\n')),
      };
    });
  },
};
/**
 * ink reads the CI and CONTINUOUS_INTEGRATION variables once (is-in-ci) and, when either is set,
 * writes no frame until the app ends, as for a build log. These UIs are loaded only when crm
 * runs on a terminal, where someone is watching: a shell that exports CI=true (a container, a
 * CI job's interactive debug session) got a blank board that still took keys. Here ink is
 * told it is never in CI; the build fails if the pinned is-in-ci no longer reads as expected.
 */
const inkOnTerminal = {
  name: 'ink-on-terminal',
  setup(b) {
    b.onLoad({ filter: /\/is-in-ci\/index\.js$/ }, (args) => {
      const text = readFileSync(args.path, 'utf8');
      if (!/check\('CI'\)/.test(text) || !/^export default isInCi;$/m.test(text)) throw new Error(`ink-on-terminal: ${args.path} does not read as this build expects (a new is-in-ci?)`);
      return { loader: 'js', contents: 'export default false;\n' };
    });
  },
};
const uiCommon = {
  bundle: true, format: 'cjs', platform: 'node', target: 'node20', sourcemap: 'linked', logLevel: 'warning', jsx: 'automatic',
  define: { 'process.env.NODE_ENV': '"production"' },
  // ~900 KB of ink, react and yoga: minified, Node parses it in about a quarter less CPU time.
  minify: true,
  plugins: [inkNoDevtools, inkOutputCaches, yogaInPlace, inkOnTerminal],
};
const uis = readdirSync(new URL('../src/ui', import.meta.url), { withFileTypes: true }).filter((d) => d.isDirectory() && existsSync(new URL(`../src/ui/${d.name}/main.tsx`, import.meta.url))).map((d) => d.name);

rmSync(new URL('../dist', import.meta.url), { recursive: true, force: true });
const vendors = readdirSync(new URL('../src/vendor', import.meta.url)).filter((f) => f.endsWith('.ts'));
await Promise.all([
  build({ ...common, entryPoints: ['src/cli.ts'], outfile: 'dist/crm.cjs', external: mainExternal, plugins: [vendorPlugin, lazyBuiltins, pgNodeOnly] }),
  build({ ...common, entryPoints: ['src/services/import/worker.ts'], outfile: 'dist/import-worker.cjs', external, plugins: [vendorPlugin] }),
  ...vendors.map((f) => build({ ...common, entryPoints: [`src/vendor/${f}`], outfile: `dist/vendor/${f.replace(/\.ts$/, '.cjs')}`, external, plugins: [phoneModern] })),
  ...uis.map((name) => build({ ...uiCommon, entryPoints: [`src/ui/${name}/main.tsx`], outfile: `dist/ui/${name}.cjs` })),
]);
// esbuild escapes non-ASCII characters in strings but leaves them in comments and regular
// expressions. One such character makes V8 hold the whole 1 MB source as a two-byte string;
// as \\uXXXX escapes (the same characters in a regular expression) it stays one byte per
// character. Columns of the source map shift on those few lines only.
for (const file of ['crm.cjs', ...uis.map((name) => `ui/${name}.cjs`)]) {
  const bundle = new URL(`../dist/${file}`, import.meta.url);
  const text = readFileSync(bundle, 'utf8');
  const ascii = text.replace(/[^\x00-\x7f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
  if (ascii !== text) writeFileSync(bundle, ascii);
}

// Each noun's line of the root help (src/cli.ts, nounSummaries): `crm --help`, `--version`, a bare
// `crm` and a typo then load no noun's code. From the real registrations of this very bundle.
{
  const { nounSummaries } = createRequire(import.meta.url)('../dist/crm.cjs');
  writeFileSync(new URL('../dist/nouns.json', import.meta.url), `${JSON.stringify(await nounSummaries())}\n`);
}

// The V8 code cache of the main bundle (see bin/load.cjs), made by the Node that will run it.
await new Promise((resolve) => {
  const child = spawn(process.execPath, [new URL('./code-cache.cjs', import.meta.url).pathname], { stdio: 'inherit' });
  child.on('exit', resolve);
});
