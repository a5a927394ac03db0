// Writes docs/reference.md from the built program (dist/crm.cjs): every command with its usage,
// description, options and examples, and the settings registry. Run with `npm run docs` (which
// builds first); test/reference.test.ts fails when the checked-in file is not what this makes.
import { createRequire } from 'node:module';
import { writeFileSync } from 'node:fs';

const require = createRequire(import.meta.url);
const crm = require('../dist/crm.cjs');
const silent = { write: () => true, isTTY: false };
// No environment: the reference must not depend on who runs it.
const program = await crm.buildProgram({ env: {}, stdin: process.stdin, stdout: silent, stderr: silent }, []);
const target = new URL('../docs/reference.md', import.meta.url);
writeFileSync(target, crm.referenceMarkdown(program));
console.log(`wrote ${target.pathname.replace(`${process.cwd()}/`, '')}`);
