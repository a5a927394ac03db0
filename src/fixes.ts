/**
 * What a service error may carry instead of CLI words (types only: nothing here runs at
 * start-up). `Fixes` names each remedy and its parameters; the command layer words it
 * (src/commands/hints.ts: `lead.show` + `{ leadId: 12 }` → "see it with crm lead show 12").
 * `Field` names the inputs a message may name, by their domain names; the CLI words each as
 * its flag (`expectedClose` → `--expected-close`). To add a remedy: a line here, its wording
 * there (the compiler asks for it), and a sample in test/cli-hints.test.ts.
 */

export type Field =
  | 'name'
  | 'where'
  | 'lead'
  | 'at'
  | 'title'
  | 'start'
  | 'end'
  | 'duration'
  | 'notify'
  | 'channel'
  | 'every'
  | 'until'
  | 'today'
  | 'overdue'
  | 'upcoming'
  | 'mine'
  | 'user'
  | 'status'
  | 'subject'
  | 'description'
  | 'from'
  | 'to'
  | 'callback'
  | 'outcome'
  | 'tomorrow'
  | 'thisMonth'
  | 'past';

export interface Fixes {
  // users, stages, sources, leads
  'user.list': {};
  'user.pick': {};
  'stage.pick': { stages: string[] };
  'source.pick': { name: string; sources: string[] };
  'stage.add-open': {};
  'stage.add-outcome': { outcome: 'won' | 'lost' };
  'stage.add-lost': {};
  'lead.reassign': {};
  'lead.duplicate': { leadId: number };
  'lead.name': {};
  'lead.restore': { leadId: number };
  'contact.list': { type: 'lead' | 'customer' };
  'lead.move-command': {};
  'lead.move': { leadId: number; stage: string };
  'lead.assign-command': {};
  'lead.assign': { leadId: number };
  'lead.currency-value': { leadId: number; currency: string };
  'lead.lose-reason': { leadId: number };
  'lead.lose': { leadId: number };
  'lead.assign-how': {};
  'customer.show': { leadId: number };
  'lead.reactivate': { leadId: number };
  'lead.merge-two': {};
  'lead.show-merged': { leadId: number };
  'phone.region': {};
  'user.email': {};
  'pass': { field: Field; value: string };
  'example': { field: Field; value: string };
  'followup.every': {};
  'followup.notify-before': { atMost: string };
  'followup.notify-drop': {};
  'followup.list': {};
  'followup.list-mine': {};
  'followup.notify-channel': {};
  'followup.until': {};
  'later': { field: Field };
  'followup.end': {};
  'followup.status-command': { followUpId: number; verb: 'done' | 'cancel' };
  'followup.log': {};
  'rule.where': { example: string };
  'rule.name-taken': {};
  'rule.list': {};
  'appointment.list': {};
  'appointment.at': {};
  'appointment.past': {};
  'setting.stage': { key: string };
  'call.schedule': {};
  'call.callback': {};
  'call.which': { example: string };
  'call.list': {};
  'followup.every-min': {};
}

export type FixId = keyof Fixes;
/** A remedy as data: `{ id: 'lead.show', leadId: 12 }`. */
export type Fix = { [K in FixId]: { readonly id: K } & Readonly<Fixes[K]> }[FixId];
