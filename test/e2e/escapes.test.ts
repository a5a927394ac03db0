import Database from 'better-sqlite3';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { teamHome, type Home } from '../helpers/cli.js';
import { daemonTracker, formDaemon, LIVE } from '../helpers/daemon.js';

// What a web form or a WhatsApp profile name can carry: a window-title OSC ended by BEL, a
// clear-screen CSI, and the 8-bit CSI (U+009B) that some terminals obey too.
const OSC = '\x1b]0;pwned\x07';
const CLEAR = '\x1b[2J';
const C1 = '\u009b31m';
const OSC_SHOWN = '\\x1b]0;pwned\\x07';
const CLEAR_SHOWN = '\\x1b[2J';
const C1_SHOWN = '\\u009b31m';

/** No byte a terminal would act on: no C0 control but newline, no DEL, no C1. */
const RAW = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/;

describe('terminal controls from outside are shown escaped (built binary)', () => {
  let h: Home;
  let id: string;
  beforeAll(async () => {
    h = await teamHome();
    await h.ok(['source', 'add', 'Web']);
    id = (await h.ok(['lead', 'add', '--name', 'Ana Sousa', '--business', `Sousa ${CLEAR}Lda`, '--source', 'Web', '--email', 'ana@sousa.example', '--field', `note=x${OSC}y`, '-q'])).trim();
    // Lead and source names with controls are refused at every way in today (exit 2), but a store
    // written by an older crm may hold them: put them there as such a store would have them.
    const db = new Database(join(h.dir, 'crm.db'));
    db.prepare('UPDATE leads SET name = ? WHERE id = ?').run(`Ana ${OSC}Sousa`, Number(id));
    db.prepare("UPDATE sources SET name = ? WHERE name = 'Web'").run(`Web${C1}`);
    db.close();
  });
  afterAll(() => h.cleanup());

  it('lead list without a terminal: TSV cells with the controls escaped', async () => {
    const out = await h.ok(['lead', 'list']);
    expect(out).not.toMatch(RAW);
    expect(out.trim().split('\t').slice(0, 3)).toEqual([id, `Ana ${OSC_SHOWN}Sousa`, `Sousa ${CLEAR_SHOWN}Lda`]);
  });

  it('lead list --json: JSON escapes them itself and keeps the data', async () => {
    const out = await h.ok(['lead', 'list', '--json']);
    expect(out).not.toMatch(RAW);
    expect(out).toContain('"Ana \\u001b]0;pwned\\u0007Sousa"');
    expect(out).toContain('"Web\\u009b31m"');
    const [lead] = JSON.parse(out);
    expect(lead).toMatchObject({ name: `Ana ${OSC}Sousa`, businessName: `Sousa ${CLEAR}Lda`, custom: { note: `x${OSC}y` } });
  });

  it('lead show: title, fields, custom fields and timeline escaped', async () => {
    const out = await h.ok(['lead', 'show', id]);
    expect(out).not.toMatch(RAW);
    expect(out).toContain(`Lead ${id}: Ana ${OSC_SHOWN}Sousa — Sousa ${CLEAR_SHOWN}Lda`);
    expect(out).toMatch(new RegExp(`source\\s+Web\\\\u009b31m`));
    expect(out).toMatch(/note\s+x\\x1b\]0;pwned\\x07y/);
  });

  it('an error quoting a typed value: escaped on stderr', async () => {
    const r = await h.fail(['lead', 'list', '--source', `Nope${CLEAR}`], 3, `error: unknown source 'Nope${CLEAR_SHOWN}'`);
    expect(String(r.stderr)).not.toMatch(RAW);
  });

  it('board without a terminal: the card escaped', async () => {
    const out = await h.ok(['board']);
    expect(out).not.toMatch(RAW);
    expect(out).toContain(`#${id}  Ana ${OSC_SHOWN}Sousa (Sousa ${CLEAR_SHOWN}Lda)`);
  });
});

describe('terminal controls posted to the running daemon (built binary)', () => {
  const tracked = daemonTracker();
  let h: Home;
  let url: string;
  let token: string;
  beforeAll(async () => {
    ({ h, url, token } = await formDaemon(tracked, ['--source', 'Website']));
  }, 60_000);
  afterAll(() => tracked.teardown());

  it('a form post whose fields carry controls: intake log and daemon logs show them escaped', async () => {
    const badEmail = `x${OSC}${CLEAR}${C1}@`;
    const r = await fetch(`${url}/intake/form/web`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ name: `Omar ${OSC}Haddad`, email: badEmail, phone: '+351 912 345 678', company: `H ${CLEAR}` }),
    });
    expect(r.status).toBe(201);
    // The refused email is quoted in the log's reason, as received.
    const [entry] = await h.json(['intake', 'log']);
    expect(entry.reason).toBe(`dropped invalid ${badEmail}`);
    const log = await h.ok(['intake', 'log']);
    expect(log).not.toMatch(RAW);
    expect(log).toContain(`dropped invalid x${OSC_SHOWN}${CLEAR_SHOWN}${C1_SHOWN}@`);
    expect(readFileSync(join(h.dir, 'crm.db.daemon.log'), 'utf8')).toContain(badEmail);
    const daemonLog = await h.ok(['daemon', 'logs'], LIVE);
    expect(daemonLog).not.toMatch(RAW);
    expect(daemonLog).toContain(`dropped invalid x${OSC_SHOWN}${CLEAR_SHOWN}${C1_SHOWN}@`);
    const show = await h.ok(['lead', 'show', String(entry.leadId)]);
    expect(show).not.toMatch(RAW);
    // An inquiry's name keeps no controls (they become spaces); its company keeps them, shown escaped.
    expect(show).toMatch(/Omar\s+\]0;pwned\s+Haddad/);
    expect(show).toContain(`H ${CLEAR_SHOWN}`);
  });
});
