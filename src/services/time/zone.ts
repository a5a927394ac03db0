import { readlinkSync } from 'node:fs';

/*
 * The system's time zone and zone-name checks without building an Intl.DateTimeFormat where it
 * can be helped. A process's first DateTimeFormat loads ICU's locale data and costs ~0.17× a
 * `node -e 0` (paired runs, docs/performance.md), which a one-record command such as `crm lead add`
 * paid only to learn the zone's name. `Intl.supportedValuesOf('timeZone')` and reading the
 * /etc/localtime link cost nothing measurable; the answers are the ones Intl gives, and where
 * they cannot be known for certain (an alias, a copied /etc/localtime), Intl is asked as before.
 */

/** Names every V8 of Node 20–24 reports as 'UTC' (GMT too on Node 20, but '+00:00' from Node 22 on: that one is left to Intl). */
const UTC_NAMES = new Set(['UTC', 'ETC/UTC']);

let canonical: Set<string> | undefined;
/** ICU's canonical zone names: what Intl reports a zone as, aliases left out. */
function canonicalZones(): Set<string> {
  return (canonical ??= new Set(Intl.supportedValuesOf('timeZone')));
}

let system: string | undefined;
/** The zone Intl gives as the system's (`Intl.DateTimeFormat().resolvedOptions().timeZone`), else 'UTC'. */
export function systemTimeZone(): string {
  return (system ??= zoneFromHost(process.env.TZ, '/etc/localtime') ?? (Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC'));
}

/**
 * ICU's own sources, in its order (TZ, then the localtime link), when they name a zone Intl
 * reports unchanged; undefined when only Intl can tell. TZ set but empty is UTC, as the C library
 * reads it (Intl calls it 'Etc/Unknown', a zone it then refuses).
 */
export function zoneFromHost(tz: string | undefined, localtime: string): string | undefined {
  let name = tz;
  if (name === '') return 'UTC';
  if (name === undefined) {
    try {
      const target = readlinkSync(localtime);
      const at = target.lastIndexOf('zoneinfo/');
      if (at < 0) return undefined;
      name = target.slice(at + 'zoneinfo/'.length);
    } catch {
      return undefined;
    }
  }
  if (UTC_NAMES.has(name.toUpperCase())) return 'UTC';
  return canonicalZones().has(name) ? name : undefined;
}

const known = new Map<string, boolean>();
/** Whether Intl accepts a time zone name (any case, aliases included). */
export function isTimeZone(name: string): boolean {
  if (UTC_NAMES.has(name.toUpperCase()) || canonicalZones().has(name)) return true;
  let ok = known.get(name);
  if (ok === undefined) {
    try {
      new Intl.DateTimeFormat('en-US', { timeZone: name });
      ok = true;
    } catch {
      ok = false;
    }
    known.set(name, ok);
  }
  return ok;
}
