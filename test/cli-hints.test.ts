import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConflictError, UsageError, fieldRef, plainText, say, type CrmError, type Field, type Fix, type Fixes, type FixId } from '../src/errors.js';
import { FIX_WORDS, FLAGS, errorText, fixText, flagOf, hintText } from '../src/commands/hints.js';
import { addFollowUp } from '../src/services/followups/service.js';
import { addLead, editLead } from '../src/services/leads/service.js';
import { addScoringRule } from '../src/services/scoring/service.js';
import { inspectBackup, openStore } from '../src/store/index.js';
import { aLead, addLeadAs, testTeam, type TestTeam } from './helpers/store.js';

/** One set of parameters per remedy: the compiler asks for a line here when a remedy is added. */
const SAMPLES: { [K in FixId]: Fixes[K] } = {
  'user.list': {},
  'user.pick': {},
  'stage.pick': { stages: ['New', 'Won'] },
  'source.pick': { name: 'web', sources: ['Website', 'Referral'] },
  'stage.add-open': {},
  'stage.add-outcome': { outcome: 'won' },
  'stage.add-lost': {},
  'lead.reassign': {},
  'lead.duplicate': { leadId: 12 },
  'lead.ask-owner': { names: ['Ravi Kumar'], role: 'owner' },
  'lead.name': {},
  'lead.restore': { leadId: 12 },
  'contact.list': { type: 'lead' },
  'lead.move-command': {},
  'lead.move': { leadId: 12, stage: 'Qualified' },
  'lead.assign-command': {},
  'lead.assign': { leadId: 12 },
  'lead.currency-value': { leadId: 12, currency: 'USD' },
  'lead.lose-reason': { leadId: 12 },
  'lead.lose': { leadId: 12 },
  'lead.assign-how': {},
  'customer.show': { leadId: 12 },
  'lead.show': { leadId: 12 },
  'lead.reactivate': { leadId: 12 },
  'lead.merge-two': {},
  'lead.show-merged': { leadId: 12 },
  'phone.region': {},
  'user.email': {},
  'pass': { field: 'lead', value: '<id>' },
  'example': { field: 'lead', value: '<id>' },
  'followup.every': {},
  'followup.notify-before': { atMost: '1h' },
  'followup.notify-drop': {},
  'followup.list': {},
  'followup.list-mine': {},
  'followup.notify-channel': {},
  'followup.until': {},
  'later': { field: 'lead' },
  'followup.end': {},
  'followup.status-command': { followUpId: 12, verb: 'done' },
  'followup.log': {},
  'rule.where': { example: './logo.png' },
  'rule.name-taken': {},
  'rule.list': {},
  'appointment.list': {},
  'appointment.at': {},
  'appointment.past': {},
  'setting.stage': { key: 'demo.confirmed-stage' },
  'call.schedule': {},
  'call.callback': {},
  'call.which': { example: './logo.png' },
  'call.list': {},
  'ticket.list': {},
  'ticket.reopen': { ticketId: 7 },
  'ticket.email': { ticketId: 7 },
  'portal.person-access': { personId: 3 },
  'portal.on': {},
  'portal.public-url': {},
  'portal.sessions': {},
  'call.add-phone': { leadId: 12 },
  'call.unverified': { leadId: 12, phone: '98765 43210' },
  'call.opted-out': { leadId: 12 },
  'call.rep-phone': { email: 'ravi@acme.example' },
  'call.public-url': {},
  'call.dial': {},
  'call.wait': {},
  'call.rewrap': { callId: 41 },
  'followup.every-min': {},
  'user.add-reps-of': {},
  'user.add-reps': {},
  'import.list': {},
  'import.wait': {},
  'import.wait-starting': {},
  'import.map': {},
  'import.delimiter': { delimiter: ';' },
  'import.map-name': {},
  'import.smaller-batch': {},
  'backup.force': {},
  'backup.path': {},
  'backup.file': {},
  'files.chmod': { dirs: ['/home/ana/.local/share/crm'], files: ['/home/ana/.local/share/crm/crm.db', "/tmp/ana's crm.db"] },
  'daemon.stop-restore': {},
  'import.wait-restore': {},
  'stage.remove-move-to': { stage: 'Qualified' },
  'tag.list': {},
  'source.rename-or-change': { source: 'Website' },
  'tag.untag': {},
  'source.rename': { source: 'Website' },
  'segment.add': { name: 'web' },
  'segment.where': {},
  'segment.remove': { name: 'web' },
  'lead.list': {},
  'scoring.name': {},
  'scoring.if': {},
  'scoring.points': {},
  'scoring.remove': { name: 'web' },
  'scoring.list': {},
  'scoring.activity': {},
  'outbox.list': {},
  'notify.set': { rule: 'lead.assigned' },
  'inbox.all': {},
  'routing.group-add': { name: 'web' },
  'routing.name': {},
  'routing.to': {},
  'routing.remove': { name: 'web' },
  'routing.list': {},
  'routing.test': {},
  'routing.group-list': {},
  'routing.remove-first': { name: 'web' },
  'campaign.subject': {},
  'body-file': {},
  'campaign.create': {},
  'campaign.new': {},
  'campaign.edit-how': {},
  'campaign.list': {},
  'lead.pick': { mine: true },
  'campaign.check-audience': {},
  'campaign.add-subject': { campaignId: 12 },
  'campaign.public-url': {},
  'campaign.show-resend': { campaignId: 12 },
  'campaign.at-future': {},
  'campaign.nothing-queued': {},
  'campaign.shorten-sms': { campaignId: 12 },
  'campaign.show': { campaignId: 12 },
  'notify.phone': { email: 'ravi@acme.example' },
  'campaign.shorten-test': { campaignId: 12 },
  'campaign.draft-send': {},
  'proposal.max-attachment': {},
  'attachment.path': {},
  'proposal.template-add': {},
  'proposal.template-remove': { name: 'web' },
  'proposal.template-list': {},
  'lead.add-email': { leadId: 12 },
  'proposal.list': {},
  'setting.file': { setting: 'proposal.logo', example: './logo.png' },
  'proposal.revise': { proposalId: 12 },
  'proposal.revise-draft': { proposalId: 12 },
  'proposal.approve': { proposalId: 12 },
  'proposal.new-revision': { proposalId: 12 },
  'proposal.send-example': {},
  'proposal.resend': { proposalId: 12 },
  'proposal.send': { proposalId: 12 },
  'proposal.revise-validity': { proposalId: 12 },
  'proposal.pending': {},
  'proposal.revise-until': { proposalId: 12 },
  'proposal.send-new': { leadId: 12 },
  'order.list': {},
  'order.show': { orderId: 12 },
  'order.bill': { orderId: 12 },
  'order.item': {},
  'order.add': { leadId: 12 },
  'invoice.list': {},
  'invoice.show': { invoice: 'INV-2026-0001' },
  'product.list': {},
  'product.add': {},
  'person.list': { leadId: 12 },
  'use': { field: 'lead', value: '<id>' },
  'welcome.template': {},
  'welcome.attach': {},
  'welcome.list': {},
  'period.swap': {},
  'report.own-figures': {},
  'report.demos': {},
  'schedule.cron': {},
  'schedule.to': {},
  'schedule.remove': { name: 'web' },
  'schedule.list': {},
  'imap.login': {},
  'imap.refused': {},
  'imap.host': {},
  'imap.timeout': {},
  'imap.tls': {},
  'imap.closed': {},
  'mailbox.status': {},
  'mailbox.set': {},
  'mailbox.pass': {},
  'mailbox.folder': { set: true },
  'marketplace.site-id': {},
  'marketplace.site-key': {},
  'marketplace.set': {},
  'marketplace.set-again': {},
  'marketplace.set-key': {},
  'marketplace.status': {},
  'marketplace.check-set': {},
  'intake.fields': { targets: ['a', 'b'] },
  'intake.form-add': {},
  'intake.form-show': { name: 'web' },
  'user.add-admin': {},
  'config.smtp-from': {},
  'config.transport': { settings: ['smtp.from'] },
  'outbox.dead': {},
  'import.encoding': {},
  'import.add-source': { source: 'Fair' },
  'import.user-list': {},
  'import.region': {},
  'import.map-value': { column: 'Lifecycle Stage', value: 'other' },
  'import.map-values': {},
  'import.date-format': {},
  'import.owner': {},
  'import.mapping-skeleton': {},
  'store.init': {},
  'store.other-file': {},
  'store.move-to-sqlite': { file: '/home/asha/crm.json' },
};

/** What a service error carries, apart from its class: it must name no flag and no command. */
const carried = (err: CrmError) => JSON.stringify({ message: err.message, hint: err.hint, fix: err.fix, words: err.words, field: err.field });

async function caught(p: Promise<unknown>): Promise<CrmError> {
  try {
    await p;
  } catch (err) {
    return err as CrmError;
  }
  throw new Error('expected an error');
}

describe('the CLI words every remedy and every input', () => {
  it('every fix id has wording and a sample, and each worded hint is whole', () => {
    expect(Object.keys(FIX_WORDS).sort()).toEqual(Object.keys(SAMPLES).sort());
    for (const [id, params] of Object.entries(SAMPLES)) {
      const text = fixText({ id, ...params } as never);
      expect(text, id).not.toBe('');
      expect(text, id).not.toMatch(/undefined|\[object|NaN/);
    }
  });

  it.each([
    [{ id: 'lead.restore', leadId: 12 }, 'it was deleted; restore it with crm lead restore 12'],
    [{ id: 'stage.add-outcome', outcome: 'lost' }, 'add one: crm stage add Lost --lost'],
    [{ id: 'source.pick', name: 'Fair', sources: [] }, "sources are: none (crm source add 'Fair' to create it)"],
    [{ id: 'pass', field: 'imapHost', value: 'imap.example.com' }, 'pass --imap-host imap.example.com'],
    [{ id: 'import.delimiter', delimiter: '\t' }, "the header looks tab-separated: pass --delimiter '\\t'"],
  ] as [Fix, string][])('%j → %s', (fix, text) => {
    expect(fixText(fix)).toBe(text);
  });

  it('an input is named by its domain name; its flag is the kebab-case of it', () => {
    expect(flagOf('validUntil')).toBe('--valid-until');
    expect(flagOf('moveTo')).toBe('--move-to');
    for (const [field, flag] of Object.entries(FLAGS)) expect(flag, field).toBe(`--${field.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`);
  });

  it('a message keeps its inputs as data: plain text names them, the CLI gives their flags', () => {
    const err = new UsageError(say`give ${fieldRef('end')} or ${fieldRef('duration')}, not both`);
    expect(err.message).toBe('give end or duration, not both');
    expect(err.field).toBe<Field>('end');
    expect(errorText(err)).toBe('give --end or --duration, not both');
    expect(plainText('as is')).toBe('as is');
    expect(new UsageError('no inputs named').words).toBeUndefined();
  });
});

describe('errors of real services carry data; the CLI prints what it printed before', () => {
  let t: TestTeam;
  beforeEach(async () => {
    t = await testTeam();
  });
  afterEach(() => t.close());

  it('a bad score: the message and its hint, no CLI words', async () => {
    const err = await caught(addLead(t.as(t.admin), aLead({ score: 'lots' })));
    expect(err).toBeInstanceOf(UsageError);
    expect(errorText(err)).toBe("invalid score 'lots'");
    expect(hintText(err)).toBe('a score is a whole number from 0 to 100');
    expect(carried(err)).not.toMatch(/--[a-z]|crm [a-z]/);
  });

  it('a lead without a name: the remedy is an id; the CLI words it as the flag to pass', async () => {
    const err = await caught(addLead(t.as(t.admin), { emails: ['x@y.example'] }));
    expect(err.fix).toEqual({ id: 'lead.name' });
    expect(err.hint).toBeUndefined();
    expect(carried(err)).not.toMatch(/--[a-z]|crm [a-z]/);
    expect(errorText(err)).toBe('a lead needs a name');
    expect(hintText(err)).toBe('pass --name (or --business for a company)');
  });

  it('a duplicate: the remedy names the lead by id; the CLI words the commands', async () => {
    const first = await addLeadAs(t, t.admin, { emails: ['dup@x.example'] });
    const err = await caught(addLead(t.as(t.admin), aLead({ emails: ['dup@x.example'] })));
    expect(err).toBeInstanceOf(ConflictError);
    expect(err.fix).toEqual({ id: 'lead.duplicate', leadId: first.id });
    expect(carried(err)).not.toMatch(/--[a-z]|crm [a-z]/);
    expect(hintText(err)).toBe(`see it with crm lead show ${first.id}; change it with crm lead edit ${first.id}, or merge with crm lead merge`);
  });

  it('a message that names a command and one that names inputs', async () => {
    const lead = await addLeadAs(t, t.admin);
    const move = await caught(editLead(t.as(t.admin), lead.id, { stage: 'Won' }));
    expect(carried(move)).not.toMatch(/--[a-z]|crm [a-z]/);
    expect(errorText(move)).toBe('change the stage with crm lead move');
    expect(hintText(move)).toBe(`crm lead move ${lead.id} --stage Won`);

    const remind = await caught(addFollowUp(t.as(t.admin), { leadId: lead.id, title: 'Call', channels: ['email'] }, { timeZone: 'UTC' }));
    expect(remind.field).toBe('channel');
    expect(remind.message).toBe('channel needs notify');
    expect(errorText(remind)).toBe('--channel needs --notify');
    expect(hintText(remind)).toBe('say when to remind, e.g. --notify 15m,1d --channel email,inbox');

    const points = await caught(addScoringRule(t.as(t.admin), { name: 'x', if: 'source=Website', points: '0' }));
    expect(points.words).toEqual(['invalid ', { field: 'points' }, " '0'"]);
    expect(errorText(points)).toBe("invalid --points '0'");
  });
});

describe('store errors carry remedies as ids; the CLI prints what it printed before', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'crm-hints-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));
  const thrown = async (f: () => Promise<unknown>): Promise<CrmError> => {
    try {
      await f();
    } catch (err) {
      return err as CrmError;
    }
    throw new Error('expected an error');
  };

  it('no store, or an SQLite file that is not one', async () => {
    const missing = await thrown(() => openStore(join(dir, 'crm.db')));
    expect(missing.fix).toEqual({ id: 'store.init' });
    expect(carried(missing)).not.toMatch(/--[a-z]|crm init/);
    expect(hintText(missing)).toBe('run `crm init` to create one, or point --db / CRM_DB at an existing store');

    const other = join(dir, 'other.db');
    const db = new Database(other);
    db.exec('CREATE TABLE notes (body TEXT)');
    db.close();
    const foreign = await thrown(() => openStore(other));
    expect(foreign.fix).toEqual({ id: 'store.other-file' });
    expect(hintText(foreign)).toBe('point --db at a crm store or a new file');
  });

  it('a backup to restore that is missing or not a crm store', async () => {
    const missing = await thrown(() => inspectBackup(join(dir, 'nope.db'), join(dir, 'crm.db')));
    expect(missing.fix).toEqual({ id: 'backup.path' });
    expect(hintText(missing)).toBe('give the path of a backup made with crm backup');

    const text = join(dir, 'notes.txt');
    writeFileSync(text, 'not a database, just some words');
    const notSqlite = await thrown(() => inspectBackup(text, join(dir, 'crm.db')));
    expect(notSqlite.fix).toEqual({ id: 'backup.file' });
    expect(carried(notSqlite)).not.toMatch(/--[a-z]|crm backup/);
    expect(hintText(notSqlite)).toBe('give a file made with crm backup');
  });
});

/**
 * Strings in src/services that still read like CLI words, and why they may: none is an error or
 * a hint. Settings descriptions are the help text of `crm config list`; the rest name crm itself.
 */
const NOT_CLI_WORDS = [
  'see crm mailbox set)', 'set with crm marketplace set)', '(crm proposal approve)', 'sent without --valid-until', // settings help texts
  "name: 'crm daemon'", // the acting user of the daemon's jobs
  'the crm daemon is running for', // the process, by name
  "id: 'crm assigns new ids'", // why an import drops crm's own id column
  "name: 'crm follow-ups'", // the calendar's name
];

/** In src/store, crm names the product: its store file, its version, its processes. */
const STORE_NOT_CLI_WORDS = ['crm store', 'this crm understands', 'another crm process'];

/**
 * Lines of the .ts files under a folder whose strings name a flag or a crm command, comments
 * aside. Only the allowed words themselves are passed over: a CLI word elsewhere on their line
 * is still found.
 */
function cliWords(dir: string, allowed: string[]): string[] {
  const files = (readdirSync(dir, { recursive: true }) as string[]).filter((f) => f.endsWith('.ts'));
  const found: string[] = [];
  for (const f of files) {
    readFileSync(join(dir, f), 'utf8').split('\n').forEach((line, i) => {
      if (/^\s*(\*|\/\/|\/\*)/.test(line)) return;
      const rest = allowed.reduce((l, ok) => l.split(ok).join(''), line);
      if (/(['`"])[^'`"]*(--[a-z]|crm [a-z])/.test(rest)) found.push(`${dir}/${f}:${i + 1}: ${line.trim()}`);
    });
  }
  return found;
}

describe('services and the store speak no CLI words', () => {
  it('no string in src/services names a flag or a crm command, comments aside', () => {
    expect(cliWords('src/services', NOT_CLI_WORDS)).toEqual([]);
  });

  it('no string in src/store names a flag or a crm command: its remedies are fix ids', () => {
    expect(cliWords('src/store', STORE_NOT_CLI_WORDS)).toEqual([]);
  });
});
