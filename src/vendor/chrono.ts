// Bundled on its own into dist/vendor/chrono.cjs (see scripts/build.mjs): only commands that
// read a date or time phrase load the parser, so `crm lead show` does not pay for it.
export { parse } from 'chrono-node';
