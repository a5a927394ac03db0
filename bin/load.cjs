'use strict';
// Loads dist/crm.cjs with V8's code cache (dist/crm.cjs.cache, written by `npm run build`):
// compiling the bundle from its cache costs about half of parsing it afresh on every run.
// A cache from another Node version is rejected by V8 and the bundle compiles as usual.
// The full-screen UIs (dist/ui/<name>.cjs, loaded by the UI loader under src/ui/) and the libraries bundled apart
// (dist/vendor/<name>.cjs) are loaded the same way, each from a cache of its own.
const fs = require('node:fs');
const path = require('node:path');
const vm = require('node:vm');
const Module = require('node:module');
const { isAscii } = require('node:buffer');

const file = path.join(__dirname, '..', 'dist', 'crm.cjs');
/** Each bundle's compiled script, for scripts/code-cache.cjs to write its cache after it ran. */
const scripts = new Map();

/**
 * A bundle's text. The build writes them in ASCII only, and ASCII read as latin1 is the same
 * text, made by a plain copy instead of UTF-8 decoding (a 1 MB bundle: ~3 ms instead of ~14 on a
 * loaded machine). Anything else (a hand-edited bundle) is decoded as UTF-8.
 */
function source(bundle) {
  const bytes = fs.readFileSync(bundle);
  return typeof isAscii === 'function' && isAscii(bytes) ? bytes.latin1Slice(0, bytes.length) : bytes.toString('utf8');
}

/**
 * Compiles a CommonJS bundle with `<bundle>.cache` when there is one, runs it and returns its
 * exports (`options.require`: the require() it is given; `options.cached`: put it in
 * require's cache first, so a second load, or a cycle, finds it as require() would).
 */
function compile(bundle, options = {}) {
  let cachedData;
  try {
    cachedData = fs.readFileSync(`${bundle}.cache`);
  } catch {
    // no cache: compile normally
  }
  const script = new vm.Script(Module.wrap(source(bundle)), { filename: bundle, cachedData, importModuleDynamically: vm.constants?.USE_MAIN_CONTEXT_DEFAULT_LOADER });
  const mod = new Module(bundle, module);
  mod.filename = bundle;
  mod.paths = Module._nodeModulePaths(path.dirname(bundle));
  scripts.set(bundle, script);
  if (options.cached) Module._cache[bundle] = mod;
  try {
    script.runInThisContext().call(mod.exports, mod.exports, options.require ?? Module.createRequire(bundle), mod, bundle, path.dirname(bundle));
  } catch (err) {
    if (options.cached) delete Module._cache[bundle];
    throw err;
  }
  mod.loaded = true;
  if (options.withScript) return { exports: mod.exports, script };
  return mod.exports;
}

/**
 * The CLI bundle's require(): the libraries bundled apart (dist/vendor/*.cjs, loaded on first
 * use, libphonenumber's 160 KB for any command given a phone) and the full-screen UIs
 * (dist/ui/*.cjs, asked for by the UI loader) come from their own code caches; anything else is Node's require.
 */
function bundleRequire() {
  const req = Module.createRequire(file);
  const dir = path.dirname(file);
  const cachedRequire = function require(id) {
    if (typeof id === 'string' && (id.startsWith('./vendor/') || id.startsWith('./ui/')) && id.endsWith('.cjs')) {
      const target = path.join(dir, id);
      const loaded = Module._cache[target];
      return loaded ? loaded.exports : compile(target, { cached: true });
    }
    return req(id);
  };
  return Object.assign(cachedRequire, { resolve: req.resolve, cache: req.cache, main: req.main, extensions: req.extensions });
}

function load(options = {}) {
  return compile(file, { ...options, require: bundleRequire() });
}

module.exports = { load, compile, file, scripts };
