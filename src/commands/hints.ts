/**
 * The CLI's words for what services carry as data (src/fixes.ts): each remedy as the hint a
 * person types from, each input as its flag. A table of strings, cheap at start-up.
 */
import type { CrmError, Field, Fix, Fixes, FixId, Words } from '../errors.js';

/** Each input a service message names, as the flag that sets it. */
export const FLAGS: Record<Field, string> = {
  name: '--name',
  where: '--where',
  lead: '--lead',
  at: '--at',
  title: '--title',
  start: '--start',
  end: '--end',
  duration: '--duration',
  notify: '--notify',
  channel: '--channel',
  every: '--every',
  until: '--until',
  today: '--today',
  overdue: '--overdue',
  upcoming: '--upcoming',
  mine: '--mine',
  user: '--user',
  status: '--status',
  subject: '--subject',
  description: '--description',
  from: '--from',
  to: '--to',
  callback: '--callback',
  outcome: '--outcome',
  tomorrow: '--tomorrow',
  thisMonth: '--this-month',
  past: '--past',
  onDuplicate: '--on-duplicate',
  delimiter: '--delimiter',
  decimal: '--decimal',
  batch: '--batch',
  map: '--map',
  format: '--format',
  position: '--position',
  before: '--before',
  after: '--after',
  moveTo: '--move-to',
  if: '--if',
  points: '--points',
  days: '--days',
  users: '--users',
  force: '--force',
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
  'pass': (p) => `pass ${flagOf(p.field)} ${p.value}`,
  'example': (p) => `e.g. ${flagOf(p.field)} ${p.value}`,
  'followup.every': () => 'write every N days as --every 30d (or 2w); a bare number means days',
  'followup.notify-before': (p) => `give a notify-before of at most ${p.atMost}, or a later --start`,
  'followup.notify-drop': () => 'drop --notify, or give a later --start',
  'followup.list': () => 'list them with crm followup list',
  'followup.list-mine': () => 'ask a manager or admin, or list yours with crm followup list --mine',
  'followup.notify-channel': () => 'say when to remind, e.g. --notify 15m,1d --channel email,inbox',
  'followup.until': () => 'e.g. --every 30d --until 2027-06-01',
  'later': (p) => `give a later ${flagOf(p.field)}`,
  'followup.end': () => 'give an --end after --start, or a --duration such as 30m',
  'followup.status-command': (p) => `crm followup ${p.verb} ${p.followUpId}`,
  'followup.log': () => 'pass --subject "No answer" and/or --description "…"',
  'rule.where': (p) => `write conditions joined by 'and', e.g. --where '${p.example}'`,
  'rule.name-taken': () => 'pick another --name',
  'rule.list': () => 'list them with crm followup rule list',
  'appointment.list': () => 'list them with crm appointment list',
  'appointment.at': () => 'pass --at "2026-11-25 15:00" or --at "tomorrow 3pm"',
  'appointment.past': () => 'pass --past to record one that already happened, or give a later --at',
  'setting.stage': (p) => `fix it: crm config set ${p.key} <stage> (crm stage list)`,
  'call.schedule': () => 'log calls that happened; schedule future ones with crm followup add --type call',
  'call.callback': () => 'e.g. --callback "in 2h" or --callback "tomorrow 10am"',
  'call.which': (p) => `give ids (crm call delete 4 7 9) or --where '${p.example}'`,
  'call.list': () => 'list them with crm call list',
  'followup.every-min': () => 'give at least 1 day, e.g. --every 7d',
  'user.add-reps-of': () => 'add reps with crm user add --role rep --manager …',
  'user.add-reps': () => 'add reps with crm user add --role rep',
  'import.list': () => 'list imports with crm import list',
  'import.wait': () => 'wait for it to finish (crm import list shows its progress); if it is stopped, run the import again to resume it',
  'import.wait-starting': () => 'wait for it to finish, then see crm import list',
  'import.map': () => 'write Column=field, e.g. --map "E-mail=email,Mobile=phone" (field "ignore" drops a column)',
  'import.delimiter': (p) => `the header looks ${p.delimiter === '\t' ? 'tab' : `'${p.delimiter}'`}-separated: pass --delimiter '${p.delimiter === '\t' ? '\\t' : p.delimiter}'`,
  'import.map-name': () => 'map one with --map "Your Column=name" (or email, phone)',
  'import.smaller-batch': () => 'import with a smaller --batch, or with CRM_IMPORT_THREADS=0 to parse in the main thread',
  'backup.force': () => 'choose another name, or pass --force to overwrite it',
  'daemon.stop-restore': () => 'stop it with crm daemon stop, restore, then start it again with crm daemon start',
  'import.wait-restore': () => 'let it finish (crm import list shows its progress), then restore',
  'stage.remove-move-to': (p) => `move them as you remove it: crm stage remove '${p.stage}' --move-to <stage>`,
  'tag.list': () => 'list tags with crm tag list',
  'source.rename-or-change': (p) => `rename it instead (crm source rename '${p.source}' <new>) or change those leads' source first`,
  'tag.untag': () => 'pass --force to untag them',
  'source.rename': (p) => `rename it instead: crm source rename '${p.source}' <new>`,
  'segment.add': (p) => `add one: crm segment add ${p.name} --where "…"`,
  'segment.where': () => 'e.g. crm segment add hot-web --where "source = Website and score >= 60"',
  'segment.remove': (p) => `remove it first (crm segment remove ${p.name}) or pick another name`,
  'lead.list': () => 'list leads with crm lead list',
  'scoring.name': () => 'pass --name, e.g. --name web',
  'scoring.if': () => 'pass --if "source=Website" (see crm scoring add --help)',
  'scoring.points': () => 'pass --points 10 (or --points -5 to subtract)',
  'scoring.remove': (p) => `remove it first: crm scoring remove ${p.name}`,
  'scoring.list': () => 'list them with crm scoring list',
  'scoring.activity': () => 'use it in a scoring rule: crm scoring add --if "calls>=2" --days 14 …',
  'outbox.list': () => 'list them with crm outbox list',
  'notify.set': (p) => `crm notify set ${p.rule} --on|--off --channels email,inbox --to rep,admins`,
  'inbox.all': () => 'list them with crm inbox --all',
  'routing.group-add': (p) => `create it: crm routing group add ${p.name} --users a@…,b@…`,
  'routing.name': () => 'pass --name, e.g. --name web-india',
  'routing.to': () => 'pass --to ravi@… or --to group:team-a',
  'routing.remove': (p) => `remove it first: crm routing remove ${p.name}`,
  'routing.list': () => 'list them with crm routing list',
  'routing.test': () => `e.g. crm routing test '{"source":"Website","country":"India","email":"a@b.example"}'`,
  'routing.group-list': () => 'list them with crm routing group list',
  'routing.remove-first': (p) => `remove the rule first: crm routing remove ${p.name}`,
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
