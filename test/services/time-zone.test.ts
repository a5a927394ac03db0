import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildSync } from 'esbuild';
import { describe, expect, it } from 'vitest';
import { isTimeZone, zoneFromHost } from '../../src/services/time/zone.js';

const ZONE_TS = new URL('../../src/services/time/zone.ts', import.meta.url).pathname;
// zone.ts alone, as CommonJS, to run in fresh processes: ICU reads TZ once per process.
const zoneJs = buildSync({ entryPoints: [ZONE_TS], bundle: true, platform: 'node', format: 'cjs', write: false }).outputFiles[0]!.text;

/** What zone.ts and Intl (as crm asked it before: `resolvedOptions().timeZone || 'UTC'`) each say is the system's zone, in a fresh process with this TZ (undefined: unset). */
function systemZones(tz: string | undefined): { ours: string; intl: string } {
  const env = { ...process.env };
  if (tz === undefined) delete env.TZ;
  else env.TZ = tz;
  // Ours first, before Intl has been used in that process.
  const script = `const m = { exports: {} }; new Function('module', 'exports', 'require', ${JSON.stringify(zoneJs)})(m, m.exports, require);
    const ours = m.exports.systemTimeZone();
    process.stdout.write(JSON.stringify({ ours, intl: Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC' }));`;
  return JSON.parse(execFileSync(process.execPath, ['-e', script], { env, encoding: 'utf8' })) as { ours: string; intl: string };
}

describe('the system time zone without building an Intl.DateTimeFormat', () => {
  it.each([undefined, 'Europe/Lisbon', 'Asia/Kolkata', 'Asia/Calcutta', 'America/Argentina/Buenos_Aires', 'Etc/UTC', 'UTC', 'GMT', 'utc', 'Etc/GMT+5', 'EST5EDT', ':Europe/Paris', 'Not/AZone', 'US/Pacific'])(
    'TZ=%s: the name Intl gives',
    (tz) => {
      const { ours, intl } = systemZones(tz);
      expect(ours).toBe(intl);
    },
  );

  it("TZ set but empty is UTC, as the C library reads it (Intl says 'Etc/Unknown', a zone it then refuses)", () => {
    expect(systemZones('')).toEqual({ ours: 'UTC', intl: 'Etc/Unknown' });
  });

  it('reads the localtime link when TZ is unset, and not when TZ is set, even empty', () => {
    // This machine's /etc/localtime may well be UTC: a link of its own to another zone tells the cases apart.
    const dir = mkdtempSync(join(tmpdir(), 'crm-zone-'));
    try {
      const lisbon = join(dir, 'localtime');
      symlinkSync('/usr/share/zoneinfo/Europe/Lisbon', lisbon);
      expect(zoneFromHost(undefined, lisbon)).toBe('Europe/Lisbon');
      expect(zoneFromHost('', lisbon)).toBe('UTC');
      expect(zoneFromHost('Europe/Paris', lisbon)).toBe('Europe/Paris');
      const alias = join(dir, 'alias');
      symlinkSync('/usr/share/zoneinfo/US/Pacific', alias);
      expect(zoneFromHost(undefined, alias)).toBeUndefined(); // an alias: Intl names it
      const copied = join(dir, 'copied');
      writeFileSync(copied, 'TZif');
      expect(zoneFromHost(undefined, copied)).toBeUndefined(); // not a link: Intl reads it
      expect(zoneFromHost(undefined, join(dir, 'missing'))).toBeUndefined();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('isTimeZone', () => {
  it.each([
    ['Europe/Lisbon', true], ['europe/lisbon', true], ['Asia/Calcutta', true], ['Asia/Kolkata', true], ['UTC', true], ['Etc/UTC', true], ['utc', true],
    ['GMT', true], ['US/Pacific', true], ['Etc/GMT-14', true], ['Mars/Olympus', false], ['', false], ['Europe/Lisbon ', false],
  ])('%s → %s, as Intl.DateTimeFormat decides', (name, ok) => {
    let intl = true;
    try {
      new Intl.DateTimeFormat('en-US', { timeZone: name });
    } catch {
      intl = false;
    }
    expect(intl).toBe(ok);
    expect(isTimeZone(name)).toBe(ok);
  });
});
