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
  | 'ahead'
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
  | 'past'
  | 'onDuplicate'
  | 'delimiter'
  | 'decimal'
  | 'batch'
  | 'map'
  | 'format'
  | 'position'
  | 'before'
  | 'after'
  | 'moveTo'
  | 'if'
  | 'points'
  | 'days'
  | 'users'
  | 'force'
  | 'rate'
  | 'bodyFile'
  | 'cc'
  | 'bcc'
  | 'validUntil'
  | 'template'
  | 'via'
  | 'attach'
  | 'day'
  | 'by'
  | 'cron'
  | 'report'
  | 'completed'
  | 'confirmed'
  | 'port'
  | 'folder'
  | 'markSeen'
  | 'imapHost'
  | 'source'
  | 'baseUrl'
  | 'since'
  | 'fields'
  | 'redirect'
  | 'origin'
  | 'limit'
  | 'form'
  | 'assign'
  | 'email'
  | 'phone'
  | 'addEmail'
  | 'removeEmail'
  | 'addPhone'
  | 'removePhone'
  | 'ignoreUnknown'
  | 'mapValues'
  | 'mapping'
  | 'dateFormat'
  | 'region'
  | 'strict'
  | 'again'
  | 'priority'
  | 'category'
  | 'body'
  | 'unassigned';

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
  'lead.ask-owner': { names: string[]; role: 'owner' | 'manager' | 'admin' };
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
  'lead.show': { leadId: number };
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
  'ticket.list': {};
  'ticket.reopen': { ticketId: number };
  'ticket.email': { ticketId: number };
  'portal.person-access': { personId: number };
  'portal.on': {};
  'portal.public-url': {};
  'portal.sessions': {};
  'call.add-phone': { leadId: number };
  'call.unverified': { leadId: number; phone: string };
  'call.opted-out': { leadId: number };
  'call.rep-phone': { email: string };
  'call.public-url': {};
  'call.dial': {};
  'call.wait': {};
  'call.rewrap': { callId: number };
  'followup.every-min': {};
  'user.add-reps-of': {};
  'user.add-reps': {};
  'import.list': {};
  'import.wait': {};
  'import.wait-starting': {};
  'import.map': {};
  'import.delimiter': { delimiter: string };
  'import.map-name': {};
  'import.smaller-batch': {};
  'backup.force': {};
  'backup.path': {};
  'backup.file': {};
  'files.chmod': { dirs: string[]; files: string[] };
  'daemon.stop-restore': {};
  'import.wait-restore': {};
  'stage.remove-move-to': { stage: string };
  'tag.list': {};
  'source.rename-or-change': { source: string };
  'tag.untag': {};
  'source.rename': { source: string };
  'segment.add': { name: string };
  'segment.where': {};
  'segment.remove': { name: string };
  'lead.list': {};
  'scoring.name': {};
  'scoring.if': {};
  'scoring.points': {};
  'scoring.remove': { name: string };
  'scoring.list': {};
  'scoring.activity': {};
  'outbox.list': {};
  'notify.set': { rule: string };
  'inbox.all': {};
  'routing.group-add': { name: string };
  'routing.name': {};
  'routing.to': {};
  'routing.remove': { name: string };
  'routing.list': {};
  'routing.test': {};
  'routing.group-list': {};
  'routing.remove-first': { name: string };
  'campaign.subject': {};
  'body-file': {};
  'campaign.create': {};
  'campaign.new': {};
  'campaign.edit-how': {};
  'campaign.list': {};
  'lead.pick': { mine: boolean };
  'campaign.check-audience': {};
  'campaign.add-subject': { campaignId: number };
  'campaign.public-url': {};
  'campaign.show-resend': { campaignId: number };
  'campaign.at-future': {};
  'campaign.nothing-queued': {};
  'campaign.shorten-sms': { campaignId: number };
  'campaign.show': { campaignId: number };
  'notify.phone': { email: string };
  'campaign.shorten-test': { campaignId: number };
  'campaign.draft-send': {};
  'proposal.max-attachment': {};
  'attachment.path': {};
  'proposal.template-add': {};
  'proposal.template-remove': { name: string };
  'proposal.template-list': {};
  'lead.add-email': { leadId: number };
  'proposal.list': {};
  'setting.file': { setting: string; example: string };
  'proposal.revise': { proposalId: number };
  'proposal.revise-draft': { proposalId: number };
  'proposal.approve': { proposalId: number };
  'proposal.new-revision': { proposalId: number };
  'proposal.send-example': {};
  'proposal.resend': { proposalId: number };
  'proposal.send': { proposalId: number };
  'proposal.revise-validity': { proposalId: number };
  'proposal.pending': {};
  'proposal.revise-until': { proposalId: number };
  'proposal.send-new': { leadId: number };
  'order.list': {};
  'order.show': { orderId: number };
  'order.bill': { orderId: number };
  'order.item': {};
  'order.add': { leadId: number };
  'invoice.list': {};
  'invoice.show': { invoice: string };
  'product.list': {};
  'product.add': {};
  'person.list': { leadId: number };
  'use': { field: Field; value: string };
  'welcome.template': {};
  'welcome.attach': {};
  'welcome.list': {};
  'period.swap': {};
  'report.own-figures': {};
  'report.demos': {};
  'schedule.cron': {};
  'schedule.to': {};
  'schedule.remove': { name: string };
  'schedule.list': {};
  'imap.login': {};
  'imap.refused': {};
  'imap.host': {};
  'imap.timeout': {};
  'imap.tls': {};
  'imap.closed': {};
  'mailbox.status': {};
  'mailbox.set': {};
  'mailbox.pass': {};
  'mailbox.folder': { set: boolean };
  'marketplace.site-id': {};
  'marketplace.site-key': {};
  'marketplace.set': {};
  'marketplace.set-again': {};
  'marketplace.set-key': {};
  'marketplace.status': {};
  'marketplace.check-set': {};
  'intake.fields': { targets: string[] };
  'intake.form-add': {};
  'intake.form-show': { name: string };
  'user.add-admin': {};
  'config.smtp-from': {};
  'config.transport': { settings: string[] };
  'outbox.dead': {};
  'import.encoding': {};
  'import.add-source': { source: string };
  'import.user-list': {};
  'import.region': {};
  'import.map-value': { column: string; value: string };
  'import.map-values': {};
  'import.date-format': {};
  'import.owner': {};
  'import.mapping-skeleton': {};
  // the store
  'store.init': {};
  'store.other-file': {};
  'store.move-to-sqlite': { file: string };
}

export type FixId = keyof Fixes;
/** A remedy as data: `{ id: 'lead.show', leadId: 12 }`. */
export type Fix = { [K in FixId]: { readonly id: K } & Readonly<Fixes[K]> }[FixId];
