'use strict';
// Loads dist/crm.cjs with V8's code cache (dist/crm.cjs.cache, written by `npm run build`):
// compiling the bundle from its cache costs about half of parsing it afresh on every run.
// A cache from another Node version is rejected by V8 and the bundle compiles as usual.
const fs = require('node:fs');
const path = require('node:path');
const vm = require('node:vm');
const Module = require('node:module');
const { isAscii } = require('node:buffer');

const file = path.join(__dirname, '..', 'dist', 'crm.cjs');

/**
 * The bundle's text. The build writes it in ASCII only, and ASCII read as latin1 is the same
 * text, made by a plain copy instead of UTF-8 decoding (a 1 MB bundle: ~3 ms instead of ~14 on a
 * loaded machine). Anything else (a hand-edited bundle) is decoded as UTF-8.
 */
function source(target = file) {
  const bytes = fs.readFileSync(target);
  return typeof isAscii === 'function' && isAscii(bytes) ? bytes.latin1Slice(0, bytes.length) : bytes.toString('utf8');
}

/** The compiled scripts of the bundles loaded so far, by path: scripts/code-cache.cjs writes their caches from them. */
const scripts = new Map();

/** Compiles a CommonJS file from its code cache (`<file>.cache`, when there is one that V8 accepts) and runs it as a module. */
function compile(target, requireFn) {
  let cachedData;
  try {
    cachedData = fs.readFileSync(`${target}.cache`);
  } catch {
    // no cache: compile normally
  }
  const script = new vm.Script(Module.wrap(source(target)), { filename: target, cachedData, importModuleDynamically: vm.constants?.USE_MAIN_CONTEXT_DEFAULT_LOADER });
  const mod = new Module(target, module);
  mod.filename = target;
  mod.paths = Module._nodeModulePaths(path.dirname(target));
  scripts.set(target, script);
  return { mod, run: () => script.runInThisContext().call(mod.exports, mod.exports, requireFn ?? Module.createRequire(target), mod, target, path.dirname(target)) };
}

/**
 * The bundle's require(): the libraries bundled apart (dist/vendor/*.cjs, loaded on first use,
 * libphonenumber's 160 KB for any command given a phone) come from their own code caches too;
 * anything else is Node's require.
 */
function bundleRequire() {
  const req = Module.createRequire(file);
  const dir = path.dirname(file);
  const cachedRequire = function require(id) {
    if (typeof id === 'string' && id.startsWith('./vendor/') && id.endsWith('.cjs')) {
      const target = path.join(dir, id);
      const loaded = Module._cache[target];
      if (loaded) return loaded.exports;
      const { mod, run } = compile(target);
      Module._cache[target] = mod;
      try {
        run();
      } catch (err) {
        delete Module._cache[target];
        throw err;
      }
      mod.loaded = true;
      return mod.exports;
    }
    return req(id);
  };
  return Object.assign(cachedRequire, { resolve: req.resolve, cache: req.cache, main: req.main, extensions: req.extensions });
}

function load(options = {}) {
  const { mod, run } = compile(file, bundleRequire());
  run();
  mod.loaded = true;
  if (options.withScript) return { exports: mod.exports, script: scripts.get(file), scripts };
  return mod.exports;
}

module.exports = { load, file };
