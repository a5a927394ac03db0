import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { teamHome, type Home } from '../helpers/cli.js';

describe('crm campaign (drafts) through the binary', () => {
  let h: Home;
  let ana: string;
  beforeAll(async () => {
    h = await teamHome();
    ana = (await h.ok(['lead', 'add', '-q', '--name', 'Ana Sousa', '--business', 'Sousa Lda', '--email', 'ana@sousa.example', '--source', 'Website', '--assign', 'ravi@acme.example'])).trim();
    await h.ok(['lead', 'add', '--name', 'Bo Li', '--email', 'bo@li.example', '--assign', 'priya@acme.example']);
    writeFileSync(join(h.dir, 'offer.md'), 'Hi {contact_name} of {business_name},\n{campaign_name} starts Friday.\n');
    writeFileSync(join(h.dir, 'bad.md'), 'Hi {first_name}\n');
    writeFileSync(join(h.dir, 'long.txt'), 'x'.repeat(400));
  });
  afterAll(() => h.cleanup());

  it('create, list, show, preview', async () => {
    const out = await h.ok(['campaign', 'create', '--name', 'Diwali offer', '--type', 'email', '--to', 'leads', '--subject', 'An offer for {business_name}', '--body-file', join(h.dir, 'offer.md')]);
    expect(out).toBe('Created campaign 1 (Diwali offer, email to leads): a draft');
    expect(await h.ok(['campaign', 'list'])).toBe('1\tDiwali offer\temail\tleads\tdraft\t');
    expect(await h.json(['campaign', 'show', '1', '--json'])).toMatchObject({ id: 1, status: 'draft', to: 'leads', recipients: 2, createdBy: 'admin@acme.example', sentAt: null });
    expect(await h.json(['campaign', 'show', '1', '--json', '--as', 'ravi@acme.example'])).toMatchObject({ recipients: 1 });
    expect(await h.ok(['campaign', 'preview', '1', '--contact', ana])).toBe(
      `To: Ana Sousa <ana@sousa.example> (lead ${ana})\nSubject: An offer for Sousa Lda\n\nHi Ana Sousa of Sousa Lda,\nDiwali offer starts Friday.`,
    );
  });

  it('SMS: says how many segments; JSON has them', async () => {
    const out = await h.ok(['campaign', 'create', '--name', 'Txt', '--type', 'sms', '--to', 'all', '--body-file', join(h.dir, 'long.txt')]);
    expect(out).toContain('The SMS body takes 3 segments (400 GSM-7 characters).');
  });

  it('bad input: exit codes and messages', async () => {
    await h.fail(['campaign', 'create', '--name', 'X', '--to', 'leads', '--subject', 'S', '--body-file', join(h.dir, 'bad.md')], 2, 'error: unknown template tag {first_name} in the body');
    await h.fail(['campaign', 'create', '--name', 'X', '--to', 'leads', '--body-file', join(h.dir, 'offer.md')], 2, 'an email campaign needs --subject');
    await h.fail(['campaign', 'create', '--name', 'X', '--to', 'leads', '--subject', 'S', '--body-file', join(h.dir, 'missing.md')], 3, 'no such body file');
    await h.fail(['campaign', 'create', '--name', 'X', '--to', 'leads', '--subject', 'S', '--body-file', join(h.dir, 'offer.md'), '--as', 'ravi@acme.example'], 5, 'may not create campaigns');
    await h.fail(['campaign', 'show', '99'], 3, 'no campaign 99');
    await h.fail(['campaign', 'create', '--name', 'X', '--to', 'leads', '--subject', 'S'], 2, 'a campaign needs --body-file');
  });
});
