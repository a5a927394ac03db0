import type { Context } from '../../context.js';
import type { IntakeLogEntry } from '../../domain/intake.js';
import { printRecord, type Column } from '../../io/output.js';
import type { FormView } from '../../services/intake/forms.js';

const OFF = "none: the daemon's HTTP endpoint is off (crm config set http.listen 127.0.0.1:8765)";

const fieldsText = (f: Record<string, string>) => Object.entries(f).map(([k, v]) => `${k}=${v}`).join(',');

export async function printForm(ctx: Context, v: FormView): Promise<void> {
  await printRecord(ctx.io, `Intake form ${v.name}`, [
    ['endpoint', v.endpoint ?? OFF], ['fields', fieldsText(v.fields) || 'default names (name, email, phone, company, message…)'], ['source', v.source],
    ['tags', v.tags.join(', ')], ['honeypot', v.honeypot], ['rate', `${v.rate} per client IP`], ['redirect', v.redirect], ['origin', v.origin],
    ['acts as', v.actsAs], ['created', v.createdAt], ['token rotated', v.tokenRotatedAt],
  ]);
}

export function printToken(ctx: Context, v: FormView & { token: string }): void {
  ctx.io.out(`Endpoint: ${v.endpoint ?? OFF}`);
  ctx.io.out(`Token:    ${v.token}`);
  ctx.io.out('The token is shown once; only its hash is kept. Send it as Authorization: Bearer <token>, or as a token field (hidden input) or ?token= query parameter.');
}

/** A form row, keyed by its name for -q. */
export type FormRow = FormView & { id: string };

export const formColumns: Column<FormRow>[] = [
  { header: 'NAME', cell: (f) => f.name },
  { header: 'ENDPOINT', cell: (f) => f.endpoint ?? 'off' },
  { header: 'SOURCE', cell: (f) => f.source },
  { header: 'RATE', cell: (f) => f.rate },
  { header: 'REDIRECT', cell: (f) => f.redirect },
];

export const logColumns: Column<IntakeLogEntry>[] = [
  { header: 'ID', cell: (e) => e.id },
  { header: 'AT', cell: (e) => e.at },
  { header: 'CHANNEL', cell: (e) => e.channel },
  { header: 'REF', cell: (e) => e.ref },
  { header: 'FROM', cell: (e) => e.remote },
  { header: 'STATUS', cell: (e) => e.status },
  { header: 'RESULT', cell: (e) => e.result },
  { header: 'LEAD', cell: (e) => (e.leadId ? `${e.leadId}${e.outcome ? ` (${e.outcome})` : ''}` : '') },
  { header: 'REASON', cell: (e) => e.reason },
];
