import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { teamHome, type Home } from '../helpers/cli.js';

/**
 * Every command run without a TTY (stdin a pipe that stays open, stdout a pipe) must finish:
 * a missing value is a usage error naming the flag, never a prompt waiting forever.
 */
const cases: [string[], number][] = [
  [['lead', 'add'], 2],
  [['lead', 'lose', '1'], 2],
  [['lead', 'note', '1'], 2],
  [['lead', 'move', '1'], 2],
  [['lead', 'merge', '--yes', '1'], 2],
  [['lead', 'assign', '1'], 2],
  [['user', 'add'], 2],
  [['user', 'add', '--name', 'No Email'], 2],
  [['init'], 0],
  [['lead', 'list'], 0],
  [['lead', 'show', '1'], 0],
  [['customer', 'list'], 0],
  [['stage', 'list'], 0],
  [['source', 'list'], 0],
  [['tag', 'list'], 0],
  [['user', 'list'], 0],
  [['config', 'list'], 0],
  [['whoami'], 0],
  [['followup', 'add'], 2],
  [['followup', 'add', '--lead', '1'], 2],
  [['followup', 'list'], 0],
  [['appointment', 'add'], 2],
  [['appointment', 'list'], 0],
  [['call', 'log'], 2],
  [['call', 'list'], 0],
  [['call', 'summary'], 0],
  [['call', 'delete', '--where', 'outcome=rnr'], 2],
  [['report', 'leads'], 2],
  [['report', 'pipeline'], 0],
  [['dashboard'], 0],
  [['lead', 'import'], 2],
  [['import', 'list'], 0],
  [['import', 'rejects', '9'], 3],
  [['lead', 'export', '--format', 'jsonl'], 0],
  [['restore', 'missing.db'], 3],
  [['outbox', 'list'], 0],
  [['inbox'], 0],
  [['notify', 'rules'], 0],
  [['daemon', 'status'], 0],
  [['report', 'schedule', 'add', 'x'], 2],
  [['report', 'schedule', 'list'], 0],
  [['report', 'schedule', 'run-now', 'x'], 3],
  [['report', 'schedule', 'remove', '--yes', 'x'], 3],
  [['segment', 'add', 'x'], 2],
  [['segment', 'list'], 0],
  [['segment', 'count', 'x'], 3],
  [['lead', 'list', '--where', 'stage = Nope'], 2],
  [['campaign', 'create'], 2],
  [['campaign', 'list'], 0],
  [['campaign', 'preview', '9'], 3],
  [['campaign', 'send', '1'], 2],
  [['campaign', 'send', '9', '--yes'], 3],
  [['campaign', 'test', '1'], 2],
  [['campaign', 'recipients', '1'], 0],
  [['campaign', 'edit', '1'], 2],
  [['campaign', 'cancel', '1'], 4],
  [['marketplace', 'set'], 2],
  [['marketplace', 'import'], 3],
  [['marketplace', 'status'], 0],
  [['intake', 'form', 'add'], 2],
  [['intake', 'form', 'add', 'website'], 0],
  [['intake', 'form', 'list'], 0],
  [['intake', 'form', 'show', 'website'], 0],
  [['intake', 'form', 'rotate-token', 'website'], 0],
  [['intake', 'log'], 0],
  [['intake', 'form', 'remove', '--yes', 'nosuch'], 3],
  [['intake', 'form', 'remove', '--yes', 'website'], 0],
  [['proposal', 'template', 'add'], 2],
  [['proposal', 'template', 'list'], 0],
  [['proposal', 'template', 'show', 'x'], 3],
  [['proposal', 'template', 'remove', '--yes', 'x'], 3],
  [['proposal', 'send'], 2],
  [['proposal', 'send', '--lead', '1'], 2],
  [['proposal', 'list'], 0],
  [['proposal', 'show', '9'], 3],
  [['proposal', 'pdf', '9'], 3],
  [['invoice', 'pdf', '9'], 3],
  [['invoice', 'send', '9'], 3],
  [['invoice', 'send'], 2],
  [['proposal', 'mark', '9', 'viewed'], 3],
  [['proposal', 'approve', '9'], 3],
  [['proposal', 'revise', '9'], 3],
  [['ticket', 'add'], 2],
  [['ticket', 'add', '--lead', '1'], 2],
  [['ticket', 'list'], 0],
  [['ticket', 'show', '9'], 3],
  [['ticket', 'reply', '9'], 2],
  [['ticket', 'assign', '9', 'ravi@acme.example'], 3],
  [['ticket', 'close', '9'], 3],
  [['ticket', 'reopen', '9'], 3],
  [['ticket', 'edit', '9', '--priority', 'high'], 3],
  [['mailbox', 'set'], 2],
  [['mailbox', 'poll'], 3],
  [['mailbox', 'status'], 0],
  [['routing', 'list'], 0],
  [['routing', 'add'], 2],
  [['routing', 'remove', '--yes', 'x'], 3],
  [['routing', 'test', '{"source":"Website"}'], 0],
  [['routing', 'group', 'add', 'team-a'], 2],
  [['routing', 'group', 'list'], 0],
  [['routing', 'group', 'remove', '--yes', 'x'], 3],
  [['scoring', 'list'], 0],
  [['scoring', 'add'], 2],
  [['scoring', 'remove', '--yes', 'x'], 3],
  [['scoring', 'explain', '1'], 0],
  [['scoring', 'recompute'], 2],
  [['scoring', 'recompute', '--all'], 0],
  [['welcome', 'set'], 2],
  [['welcome', 'list'], 0],
  [['welcome', 'remove', '--yes'], 3],
];

describe('no command waits for input without a TTY', () => {
  let h: Home;
  beforeAll(async () => {
    h = await teamHome();
    await h.ok(['lead', 'add', '--name', 'Someone']);
    await h.ok(['call', 'log', '--lead', '1', '--direction', 'out', '--outcome', 'rnr', '--duration', '0s']);
    writeFileSync(join(h.dir, 'campaign.txt'), 'Hi {contact_name}');
    await h.ok(['campaign', 'create', '--name', 'C', '--type', 'sms', '--to', 'all', '--body-file', join(h.dir, 'campaign.txt')]);
  });
  afterAll(() => h.cleanup());

  it.each(cases)('crm %j exits %i', async (args, code) => {
    // No input is given and stdin stays open: a prompt would hang until the timeout.
    const r = await h.run(args, { timeout: 10_000, openStdin: true });
    expect(r.timedOut ?? false).toBe(false);
    expect(r.exitCode, String(r.stderr)).toBe(code);
  });
});
