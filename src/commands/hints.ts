/**
 * The CLI's words for what services carry as data (src/fixes.ts): each remedy as the hint a
 * person types from, each input as its flag. A table of strings, cheap at start-up.
 */
import type { CrmError, Field, Fix, Fixes, FixId, Words } from '../errors.js';

/** Each input a service message names, as the flag that sets it. */
export const FLAGS: Record<Field, string> = {
  name: '--name',
};

export const flagOf = (field: Field): string => FLAGS[field];

/** Each remedy, worded as today's hints. */
export const FIX_WORDS: { [K in FixId]: (p: Fixes[K]) => string } = {
  'user.list': () => 'list users with crm user list',
  'user.pick': () => 'list users with crm user list; add one with crm user add',
  'stage.pick': (p) => `stages are: ${p.stages.join(', ')} (crm stage add to create one)`,
  'source.pick': (p) => `sources are: ${p.sources.join(', ') || 'none'} (crm source add '${p.name}' to create it)`,
  'stage.add-open': () => 'add one: crm stage add New --probability 10',
  'stage.add-outcome': (p) => `add one: crm stage add ${p.outcome === 'won' ? 'Won' : 'Lost'} --${p.outcome}`,
  'stage.add-lost': () => 'mark one with crm stage add <name> --lost',
  'lead.reassign': () => 'ask a manager or admin to reassign it: crm lead assign <id> --to <you>',
  'lead.duplicate': (p) => `see it with crm lead show ${p.leadId}; change it with crm lead edit ${p.leadId}, or merge with crm lead merge`,
  'lead.name': () => 'pass --name (or --business for a company)',
  'lead.restore': (p) => `it was deleted; restore it with crm lead restore ${p.leadId}`,
  'contact.list': (p) => `list ${p.type}s with crm ${p.type} list`,
  'lead.move-command': () => 'crm lead move',
  'lead.move': (p) => `crm lead move ${p.leadId} --stage ${p.stage}`,
  'lead.assign-command': () => 'crm lead assign',
  'lead.assign': (p) => `crm lead assign ${p.leadId} --to <email>`,
  'lead.currency-value': (p) => `pass --value too, e.g. crm lead edit ${p.leadId} --currency ${p.currency} --value 1000`,
  'lead.lose-reason': (p) => `crm lead lose ${p.leadId} --reason "…" (or pass --reason)`,
  'lead.lose': (p) => `crm lead lose ${p.leadId} --reason "Price too high"`,
  'lead.assign-how': () => 'pass --to <email>, --add <email> or --remove <email>',
  'customer.show': (p) => `see it with crm customer show ${p.leadId}`,
  'lead.reactivate': (p) => `reactivate it first: crm lead edit ${p.leadId} --status active`,
  'lead.merge-two': () => 'give two different ids: crm lead merge <from> --into <to>',
  'lead.show-merged': (p) => `see crm lead show ${p.leadId}`,
  'user.email': () => 'assigned takes a user email (crm user list)',
  'phone.region': () => 'write it with its country code (+91 98…) or set a default region: crm config set phone.region IN',
};

export function fixText(fix: Fix): string {
  return (FIX_WORDS[fix.id] as (p: Fix) => string)(fix);
}

/** Words as the CLI prints them: inputs as flags, remedies as commands. */
export function cliText(words: Words): string {
  return words.map((p) => (typeof p === 'string' ? p : 'field' in p ? flagOf(p.field) : fixText(p.fix))).join('');
}

/** What an error says: a CrmError, or one like it from another bundle or a worker thread. */
export type Said = Pick<CrmError, 'message' | 'hint' | 'fix' | 'words'>;

/** The `error:` line of a typed error, as the CLI words it. */
export function errorText(err: Said): string {
  return err.words ? cliText(err.words) : err.message;
}

/** The `hint:` line of a typed error, if it has one. */
export function hintText(err: Said): string | undefined {
  if (!err.fix) return err.hint;
  return err.hint ? `${err.hint}\n${fixText(err.fix)}` : fixText(err.fix);
}
