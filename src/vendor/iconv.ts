// Bundled on its own into dist/vendor/iconv.cjs (see scripts/build.mjs): its code-page tables
// load only when an import reads a file that is not UTF-8.
export { encodingExists, getDecoder } from 'iconv-lite';
