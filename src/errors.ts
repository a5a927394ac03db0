/**
 * Typed errors. Commands and services throw these; src/cli.ts maps them to exit codes
 * in one place (see README "Exit codes").
 */
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

export abstract class CrmError extends Error {
  abstract readonly exitCode: ExitCodeValue;
  /** A hint printed on its own line after the message (how to fix). */
  readonly hint?: string;
  constructor(message: string, hint?: string) {
    super(message);
    this.name = new.target.name;
    this.hint = hint;
  }
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
  constructor(message: string, hint?: string, details?: unknown) {
    super(message, hint);
    this.details = details;
  }
}

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
