import type { Context } from '../../context.js';
import { UsageError } from '../../errors.js';
import type { LoginChange } from '../../services/users/service.js';

/**
 * `--password-stdin`: the login's password is the first line of stdin (never a flag value, which
 * shell history and `ps` would show).
 */
export async function passwordFromStdin(ctx: Context): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of ctx.io.stdin) chunks.push(Buffer.from(chunk as Buffer));
  const password = Buffer.concat(chunks).toString('utf8').split(/\r?\n/)[0] ?? '';
  if (!password) throw new UsageError('--password-stdin: stdin held no password', 'pipe it in: printf %s "$PASS" | crm user add … --password-stdin');
  return password;
}

/** What happened to the login, for people (the generated password shown this once only). */
export function sayLogin(ctx: Context, login: LoginChange | null): void {
  if (!login) return;
  if (login.untouched) ctx.io.out(`Database login ${login.role} is a superuser: its LOGIN was not changed`);
  ctx.io.out(`Database login: ${login.role}`);
  if (login.generatedPassword) ctx.io.out(`Password (shown once, give it to the user): ${login.generatedPassword}`);
}

