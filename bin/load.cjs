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
function source() {
  const bytes = fs.readFileSync(file);
  return typeof isAscii === 'function' && isAscii(bytes) ? bytes.latin1Slice(0, bytes.length) : bytes.toString('utf8');
}

function load(options = {}) {
  let cachedData;
  try {
    cachedData = fs.readFileSync(`${file}.cache`);
  } catch {
    // no cache: compile normally
  }
  const script = new vm.Script(Module.wrap(source()), { filename: file, cachedData, importModuleDynamically: vm.constants?.USE_MAIN_CONTEXT_DEFAULT_LOADER });
  const mod = new Module(file, module);
  mod.filename = file;
  mod.paths = Module._nodeModulePaths(path.dirname(file));
  script.runInThisContext().call(mod.exports, mod.exports, Module.createRequire(file), mod, file, path.dirname(file));
  mod.loaded = true;
  if (options.withScript) return { exports: mod.exports, script };
  return mod.exports;
}

module.exports = { load, file };
