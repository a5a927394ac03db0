import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import type { Channel } from '../../domain/notify.js';

/** Placeholders a message template may use; anything else in braces is an error. */
export const PLACEHOLDERS = [
  'contact_name', 'business_name', 'rep', 'date', 'time', 'lead_id', 'source', 'stage', 'recipient', 'attempted_name', 'attempted_by', 'attempted_details', 'matched', 'reason', 'minutes',
  'title', 'kind', 'location', 'report', 'report_name', 'proposal_id', 'valid_until', 'total',
  'ticket', 'ticket_id', 'subject', 'priority', 'target', 'body',
] as const;

export class TemplateError extends Error {}

export interface Rendered {
  subject: string;
  text: string;
}

/** The directory of the shipped templates: templates/ at the package root (next to dist/ and src/). */
function bundledDir(): string | undefined {
  // The bundle's own directory (dist/), else the binary's (bin/), else the working directory (tests).
  const starts = [typeof __dirname === 'string' ? __dirname : undefined, process.argv[1] ? dirname(process.argv[1]) : undefined, process.cwd()];
  for (const start of starts) {
    let dir = start;
    for (let i = 0; dir && i < 6; i++) {
      const t = join(dir, 'templates', 'notify');
      if (existsSync(t)) return t;
      dir = dirname(dir);
    }
  }
  return undefined;
}

/** Where templates are looked up, first wins: $CRM_HOME/templates, the XDG config dir, the shipped ones. */
export function templateDirs(env: Record<string, string | undefined>): string[] {
  const dirs: string[] = [];
  if (env.CRM_HOME) dirs.push(join(resolve(env.CRM_HOME), 'templates', 'notify'));
  else if (env.HOME || env.XDG_CONFIG_HOME) dirs.push(join(env.XDG_CONFIG_HOME || join(env.HOME!, '.config'), 'crm', 'templates', 'notify'));
  const b = bundledDir();
  if (b) dirs.push(b);
  return dirs;
}

function findFile(dirs: string[], names: string[]): string | undefined {
  for (const d of dirs) for (const n of names) {
    const f = join(d, n);
    if (existsSync(f)) return f;
  }
  return undefined;
}

/**
 * Renders a rule's template for a channel: <name>.email.txt for email (its first line
 * "Subject: …"), <name>.<channel>.txt or <name>.txt for the others.
 */
export function renderTemplate(
  env: Record<string, string | undefined>, name: string, channel: Channel, vars: Record<string, string>,
  /** Templates already read in this delivery round (a user's edit is picked up by the next round). */
  cache?: Map<string, TemplateFile>,
): Rendered {
  const cacheKey = `${name}.${channel}`;
  let found = cache?.get(cacheKey);
  if (!found) {
    const dirs = templateDirs(env);
    const names = channel === 'email' ? [`${name}.email.txt`, `${name}.txt`] : [`${name}.${channel}.txt`, `${name}.txt`];
    const path = findFile(dirs, names);
    if (!path) throw new TemplateError(`no template ${names.join(' or ')} in ${dirs.join(', ')}`);
    found = { file: path, raw: readFileSync(path, 'utf8').replace(/\r\n/g, '\n') };
    cache?.set(cacheKey, found);
  }
  if (!found.compiled) {
    const { file, raw } = found;
    let subject: string | undefined;
    let body = raw;
    const m = /^Subject:[ \t]*(.*)\n/i.exec(raw);
    if (m) {
      subject = m[1]!;
      body = raw.slice(m[0].length).replace(/^\n/, '');
    }
    found.compiled = { body: compileFill(body, file), subject: subject === undefined ? undefined : compileFill(subject, file) };
  }
  const { body, subject } = found.compiled;
  const text = body(vars).trimEnd();
  const subj = subject ? subject(vars).trim() : (text.split('\n')[0] ?? '').slice(0, 120);
  return { subject: subj, text };
}

/** A template file as read, and its parts split at the placeholders once (a delivery round renders it for many messages). */
export interface TemplateFile {
  file: string;
  raw: string;
  compiled?: { body: (vars: Record<string, string>) => string; subject?: (vars: Record<string, string>) => string };
}

/** Replaces {placeholder}s; an unknown name or a stray brace is an error naming the file. */
export function fill(template: string, vars: Record<string, string>, file: string): string {
  return compileFill(template, file)(vars);
}

/**
 * fill() of one template for many sets of values: the text split and its placeholders checked once.
 * A template with a mistake throws its error (the first one, as fill) each time it is used.
 */
function compileFill(template: string, file: string): (vars: Record<string, string>) => string {
  const texts: string[] = [];
  const names: string[] = [];
  const re = /\{([^{}]*)\}|[{}]/g;
  let last = 0;
  for (let m = re.exec(template); m; m = re.exec(template)) {
    const [whole, name] = m;
    let problem: string | undefined;
    if (name === undefined) problem = `malformed template ${file}: unmatched '${whole}'`;
    else if (!(PLACEHOLDERS as readonly string[]).includes(name)) problem = `template ${file} uses unknown placeholder {${name}}; known: ${PLACEHOLDERS.join(', ')}`;
    if (problem !== undefined) {
      const message = problem;
      return () => {
        throw new TemplateError(message);
      };
    }
    texts.push(template.slice(last, m.index));
    names.push(name!);
    last = m.index + whole.length;
  }
  const tail = template.slice(last);
  return (vars) => {
    let out = '';
    for (let i = 0; i < names.length; i++) out += texts[i]! + (vars[names[i]!] ?? '');
    return out + tail;
  };
}
