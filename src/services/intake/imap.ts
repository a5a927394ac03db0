import type { ImapFlow } from 'imapflow';
import { ExternalServiceError } from '../../errors.js';

export interface ImapTarget {
  host: string;
  port: number;
  tls: boolean;
  user: string;
  pass: string;
  timeoutMs?: number;
}

const where = (t: ImapTarget) => `${t.host}:${t.port}`;

/**
 * An IMAP error as a user can act on it: connection refused, login refused, a TLS failure, a
 * timeout, or what the server said (never the password).
 */
export function imapError(err: unknown, t: ImapTarget, doing = 'talking to'): ExternalServiceError {
  if (err instanceof ExternalServiceError) return err;
  const e = (err ?? {}) as { message?: string; code?: string; authenticationFailed?: boolean; responseText?: string; serverResponseCode?: string };
  const said = e.responseText?.trim();
  const message = e.message ?? String(err);
  if (e.authenticationFailed || e.serverResponseCode === 'AUTHENTICATIONFAILED') {
    return new ExternalServiceError(`IMAP login to ${where(t)} as ${t.user} failed: ${said || message}`, { id: 'imap.login' });
  }
  const code = e.code ?? '';
  if (code === 'ECONNREFUSED') return new ExternalServiceError(`cannot connect to the IMAP server ${where(t)}: connection refused`, { id: 'imap.refused' });
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return new ExternalServiceError(`cannot find the IMAP server ${t.host}`, { id: 'imap.host' });
  if (/TIMEOUT/.test(code) || /timed? ?out/i.test(message)) return new ExternalServiceError(`the IMAP server ${where(t)} did not answer in time (${doing} it)`, { id: 'imap.timeout' });
  if (/^ERR_SSL|^ERR_TLS|CERT|SELF_SIGNED|UNABLE_TO_VERIFY|DEPTH_ZERO/.test(code) || /ssl|tls|certificate/i.test(message)) {
    return new ExternalServiceError(`TLS with the IMAP server ${where(t)} failed: ${message.replace(/^[0-9A-F]+:error:/, '')}`, t.tls ? { id: 'imap.tls' } : 'check the server certificate');
  }
  if (code === 'ECONNRESET' || code === 'EPIPE' || /closed/i.test(message)) return new ExternalServiceError(`the IMAP server ${where(t)} closed the connection (${doing} it): ${message}`, { id: 'imap.closed' });
  return new ExternalServiceError(`IMAP server ${where(t)} (${doing} it): ${said || message}`, { id: 'mailbox.status' });
}

/** A logged-in client (imapflow loads only here). Errors come back as ExternalServiceError. */
export async function connectImap(t: ImapTarget): Promise<ImapFlow> {
  const { ImapFlow } = await import('imapflow');
  const timeout = t.timeoutMs ?? 30_000;
  const client = new ImapFlow({
    host: t.host, port: t.port, secure: t.tls, auth: { user: t.user, pass: t.pass }, logger: false,
    connectionTimeout: timeout, greetingTimeout: timeout, socketTimeout: Math.max(timeout, 60_000), disableAutoIdle: true,
  });
  // Without a listener a socket error after connect() would crash the process.
  client.on('error', () => undefined);
  try {
    await client.connect();
  } catch (err) {
    client.close();
    throw imapError(err, t, 'connecting to');
  }
  return client;
}
