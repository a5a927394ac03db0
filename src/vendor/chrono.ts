// Bundled on its own into dist/vendor/chrono.cjs (see scripts/build.mjs): only commands that
// read a date or time phrase load the parser, so `crm lead show` does not pay for it.
import { casual } from 'chrono-node';

// The "3 days ago" and "2 hours later" parsers build regular expressions whose first use
// costs ~150 ms here (V8 compiling them); src/services/time/parse.ts reads those two forms
// itself, so the casual parser goes without them.
const SLOW = /TimeUnit(Ago|Later)FormatParser/;
const chrono = casual.clone();
chrono.parsers = chrono.parsers.filter((p) => !SLOW.test(p.constructor.name));

export const parse: typeof casual.parse = (text, ref, option) => chrono.parse(text, ref, option);
export const parserNames = (): string[] => chrono.parsers.map((p) => p.constructor.name);
