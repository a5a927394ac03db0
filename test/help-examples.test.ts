import type { Command, Option } from 'commander';
import { describe, expect, it } from 'vitest';
import { buildProgram } from '../src/cli.js';
import { examplesOf } from '../src/commands/help/reference.js';
import { SETTINGS } from '../src/services/settings/service.js';

const silent = { write: () => true } as never;
const program = await buildProgram({ env: {}, stdin: process.stdin, stdout: silent, stderr: silent }, []);

function all(cmd: Command, path: string[] = []): { cmd: Command; path: string[] }[] {
  return [{ cmd, path }, ...cmd.commands.flatMap((c) => all(c, [...path, c.name()]))];
}
const commands = all(program);

/** Feature codes of the spec, such as (N2), (L8) or (P1, P2): never in what a user reads. */
const FEATURE_CODE = /\((?:SPEC )?[A-Z]\d+[a-z]?(?:\s*[,–-]\s*[A-Z]?\d+[a-z]?)*\)/;

describe('every command has examples in its --help', () => {
  it('1–3 lines under Examples:, for every noun and every verb', () => {
    const missing = commands.filter(({ cmd, path }) => !examplesOf(cmd).length).map(({ path }) => `crm ${path.join(' ')}`.trim());
    expect(missing, 'commands without an Examples: block in --help (add .addHelpText(\'after\', examples(…)) next to the command)').toEqual([]);
    const tooMany = commands.filter(({ cmd }) => examplesOf(cmd).length > 3).map(({ path }) => `crm ${path.join(' ')}`);
    expect(tooMany).toEqual([]);
  });

  it('a verb’s examples run that verb', () => {
    const offTopic = commands
      .filter(({ cmd, path }) => path.length && !cmd.commands.length && examplesOf(cmd).length)
      .filter(({ cmd, path }) => !examplesOf(cmd).some((line) => invocations(line).some((words) => resolve(words)?.cmd === cmd)))
      .map(({ path }) => path.join(' '));
    expect(offTopic).toEqual([]);
  });

  it('examples use only commands and flags that exist', () => {
    const wrong: string[] = [];
    for (const { cmd } of commands) {
      for (const line of examplesOf(cmd)) {
        for (const words of invocations(line)) {
          const r = resolve(words);
          if (!r) wrong.push(`${line}: no such command`);
          else for (const flag of r.unknownFlags) wrong.push(`${line}: ${flag} is not an option of crm ${r.path.join(' ')}`);
        }
      }
    }
    expect(wrong).toEqual([]);
  });
});

describe('no feature codes in anything a user reads', () => {
  it('descriptions, argument and option help, examples, settings', () => {
    const found: string[] = [];
    const check = (where: string, text: string | undefined) => {
      if (text && FEATURE_CODE.test(text)) found.push(`${where}: ${text}`);
    };
    for (const { cmd, path } of commands) {
      const name = `crm ${path.join(' ')}`.trim();
      check(name, cmd.description());
      for (const a of cmd.registeredArguments) check(`${name} <${a.name()}>`, a.description);
      for (const o of cmd.options) check(`${name} ${o.flags}`, o.description);
      for (const line of examplesOf(cmd)) check(`${name} example`, line);
    }
    for (const [key, s] of Object.entries(SETTINGS)) check(`setting ${key}`, s.description);
    expect(found).toEqual([]);
  });

  it('the pattern catches the forms seen before', () => {
    for (const t of ['foo (N2)', 'bar (L8)', 'PDF (P1, P2)', 'x (R2a)', 'y (SPEC X1)']) expect(t).toMatch(FEATURE_CODE);
    for (const t of ['(default 30m)', '(ISO 4217)', '(E.164)', '(0–100)']) expect(t).not.toMatch(FEATURE_CODE);
  });
});

/** The crm command lines in an example: each `crm …` of a pipeline, as words (shell quotes removed). */
function invocations(line: string): string[][] {
  const out: string[][] = [];
  let words: string[] | undefined;
  for (const w of shellWords(line)) {
    if (w === '|' || w === '>' || w === '<' || w === ';' || w === '&&') {
      if (words) out.push(words);
      words = undefined;
    } else if (words) words.push(w);
    else if (w === 'crm' || w.endsWith('(crm')) words = [];
  }
  if (words) out.push(words);
  return out;
}

function shellWords(line: string): string[] {
  const words: string[] = [];
  let cur: string | undefined;
  let quote: string | undefined;
  for (const ch of line) {
    if (quote) {
      if (ch === quote) quote = undefined;
      else cur += ch;
    } else if (ch === '"' || ch === "'") {
      quote = ch;
      cur ??= '';
    } else if (/\s/.test(ch)) {
      if (cur !== undefined) words.push(cur);
      cur = undefined;
    } else if (ch === '|' || ch === '>' || ch === '<' || ch === ')') {
      if (cur !== undefined) words.push(cur);
      cur = undefined;
      if (ch !== ')') words.push(ch);
    } else cur = (cur ?? '') + ch;
  }
  if (cur !== undefined) words.push(cur);
  return words;
}

/** The command a crm command line runs, and any flag that is neither its own nor a global one. */
function resolve(words: string[]): { cmd: Command; path: string[]; unknownFlags: string[] } | undefined {
  let cmd = program;
  const path: string[] = [];
  const unknownFlags: string[] = [];
  const options = (): Option[] => [...cmd.options, ...program.options];
  const find = (flag: string) => options().find((o) => o.long === flag || o.short === flag || (o.negate && o.long === flag));
  let operands = false;
  for (let i = 0; i < words.length; i++) {
    const w = words[i]!;
    if (w.startsWith('-') && w !== '-') {
      const flag = w.split('=')[0]!;
      if (flag === '-h' || flag === '--help') continue;
      const o = find(flag);
      if (!o) unknownFlags.push(flag);
      else if (!w.includes('=') && (o.required || (o.optional && words[i + 1] !== undefined && !words[i + 1]!.startsWith('-')))) i++;
      continue;
    }
    const sub = operands ? undefined : cmd.commands.find((c) => c.name() === w || c.aliases().includes(w));
    if (sub) {
      cmd = sub;
      path.push(sub.name());
    } else if (cmd === program) return undefined;
    else operands = true;
  }
  return { cmd, path, unknownFlags };
}
