/**
 * Typed errors. Commands and services throw these; src/cli.ts maps them to exit codes
 * in one place (see README "Exit codes").
 */
import type { Field, Fix } from './fixes.js';
export type { Field, Fix, FixId, Fixes } from './fixes.js';

export const ExitCode = {
  ok: 0,
  internal: 1,
  usage: 2,
  notFound: 3,
  conflict: 4,
  permission: 5,
  external: 6,
  store: 7,
  /** A bulk import finished or stopped with rows it refused (listed in its reject file). */
  rejected: 8,
  interrupted: 130,
} as const;
export type ExitCodeValue = (typeof ExitCode)[keyof typeof ExitCode];

/**
 * Words of a message that each interface names its own way, so that services never speak in
 * CLI flags: an input (`{ field: 'expectedClose' }`, which the CLI calls `--expected-close`)
 * or a remedy (`{ fix: { id: 'lead.show', leadId: 12 } }`, which the CLI words as a command).
 */
export type FieldRef = { readonly field: Field };
export type Part = string | FieldRef | { readonly fix: Fix };
export type Words = readonly Part[];

/** An input named inside a message: say`invalid ${fieldRef('points')} '${raw}'`. */
export const fieldRef = (field: Field): { readonly field: Field } => ({ field });

/** A message with its inputs and remedies kept as data; other values become text. */
export function say(strings: TemplateStringsArray, ...values: (string | number | boolean | null | undefined | FieldRef | { readonly fix: Fix })[]): Words {
  const out: Part[] = [];
  const text = (t: string) => {
    if (typeof out[out.length - 1] === 'string') out[out.length - 1] += t;
    else if (t) out.push(t);
  };
  strings.forEach((s, i) => {
    text(s);
    if (i < values.length) {
      const v = values[i]!;
      if (typeof v === 'object' && v !== null) out.push(v);
      else text(String(v));
    }
  });
  return out;
}

/** Words as plain text for readers without flags (logs, HTTP, tests): an input by its name, a remedy by its id. */
export function plainText(words: string | Words): string {
  if (typeof words === 'string') return words;
  return words.map((p) => (typeof p === 'string' ? p : 'field' in p ? p.field : p.fix.id)).join('');
}

export abstract class CrmError extends Error {
  abstract readonly exitCode: ExitCodeValue;
  /** A hint printed on its own line after the message (how to fix), when it names no CLI words. */
  readonly hint?: string;
  /** The remedy as data (`{ id: 'lead.show', leadId: 12 }`); the command layer words it as the hint. */
  readonly fix?: Fix;
  /** The message with its inputs and remedies as data, when it names any (`message` is then its plain text). */
  readonly words?: Words;
  /** The first input the message names, by its domain name. */
  readonly field?: Field;
  constructor(message: string | Words, hint?: string | Fix) {
    super(plainText(message));
    this.name = new.target.name;
    if (typeof hint === 'string') this.hint = hint;
    else if (hint) this.fix = hint;
    if (typeof message !== 'string' && message.some((p) => typeof p !== 'string')) {
      this.words = message;
      this.field = message.find((p): p is { readonly field: Field } => typeof p === 'object' && 'field' in p)?.field;
    }
  }
}

/** An error's message as words, for wrapping it in another message ("line 3: …"). */
export function wordsOf(err: CrmError): Words {
  return err.words ?? [err.message];
}

/** Bad flags, bad values, failed validation. Exit 2. */
export class UsageError extends CrmError {
  readonly exitCode = ExitCode.usage;
}

/** An id, name or email that does not exist. Exit 3. */
export class NotFoundError extends CrmError {
  readonly exitCode = ExitCode.notFound;
}

/** A duplicate, or a change that collides with what is stored. Exit 4. */
export class ConflictError extends CrmError {
  readonly exitCode = ExitCode.conflict;
  readonly details?: unknown;
  constructor(message: string | Words, hint?: string | Fix, details?: unknown) {
    super(message, hint);
    this.details = details;
  }
}

/**
 * A new lead whose email or phone belongs to a person erased at their request, refused
 * (privacy.suppressed refuse). Exit 4, as a conflict. Intake channels log it as refused without
 * the person's details (SUPPRESSED_REFUSAL).
 */
export class SuppressedError extends ConflictError {}

/** What an intake channel logs for a refused suppressed person: nothing that names them. */
export const SUPPRESSED_REFUSAL = 'the email or phone of a person erased at their request: not added (setting privacy.suppressed is refuse)';

/** The acting user may not do this. Exit 5. */
export class PermissionError extends CrmError {
  readonly exitCode = ExitCode.permission;
}

/** SMTP, Twilio, a marketplace… answered badly or not at all. Exit 6. */
export class ExternalServiceError extends CrmError {
  readonly exitCode = ExitCode.external;
}

/** The store is missing, from a newer version, locked or corrupt. Exit 7. */
export class StoreError extends CrmError {
  readonly exitCode = ExitCode.store;
}

/** An import that refused rows: the summary is printed, then this. Exit 8. */
export class RowsRejectedError extends CrmError {
  readonly exitCode = ExitCode.rejected;
}

/** Ctrl-C at a prompt. Exit 130. */
export class InterruptedError extends CrmError {
  readonly exitCode = ExitCode.interrupted;
}

/** Something that should never happen. Exit 1, with a stack trace under CRM_DEBUG. */
export class BugError extends CrmError {
  readonly exitCode = ExitCode.internal;
}
