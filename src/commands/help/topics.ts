/**
 * Help topics (`crm help filters|dates|exit-codes|config|json|environment`): what a person needs
 * across commands, in the words of the CLI. The settings table and the exit codes are built from
 * the registries themselves, so they cannot drift from the code.
 */
import { ExitCode } from '../../errors.js';
import { SETTINGS } from '../../services/settings/service.js';
import { PERSONAL_SETTINGS } from '../../services/settings/personal.js';

const EXIT_MEANING: Record<keyof typeof ExitCode, string> = {
  ok: 'success (including "no results", and a reader that closed the pipe early, as in crm lead list | head)',
  internal: 'internal error: a bug (rerun with CRM_DEBUG=1 for a stack trace and report it)',
  usage: 'usage: unknown command or flag, a missing or invalid value, a confirmation that needs --yes',
  notFound: 'not found: no such id, user, stage, source, tag, setting…',
  conflict: 'conflict: duplicate, name taken, already converted/sent/decided, the same import already running',
  permission: 'permission: the acting user may not do this, or is deactivated',
  external: 'an external service failed (SMTP, Twilio, marketplace, IMAP)',
  store: 'store: missing (run crm init), not a crm store, from a newer crm, busy, unreachable',
  rejected: 'an import finished with rows it refused (listed in its reject file)',
  interrupted: 'cancelled at a prompt (Ctrl-C)',
};

function exitCodes(): string {
  const rows = (Object.keys(ExitCode) as (keyof typeof ExitCode)[]).map((k) => `  ${String(ExitCode[k]).padStart(3)}  ${EXIT_MEANING[k]}`);
  return [
    'Exit codes: the same number for the same kind of failure in every command.',
    '',
    ...rows,
    '',
    'Errors print "error: …" naming the value, then usually "hint: …" saying how to fix it, on stderr.',
    'Nothing is half-written: each command is one transaction.',
  ].join('\n');
}

function config(): string {
  const keys = Object.keys(SETTINGS).sort();
  const width = Math.max(...keys.map((k) => k.length));
  const rows = keys.map((k) => {
    const s = SETTINGS[k]!;
    const def = s.default === '' ? '' : ` (default ${s.default})`;
    return `  ${k.padEnd(width)}  ${s.description}${def}`;
  });
  return [
    'Settings: team-wide, stored in the store (crm config set KEY VALUE; crm config list; crm config get KEY; crm config unset KEY).',
    'Secrets (passwords, tokens, keys) are shown masked; their environment variables win over the store.',
    '',
    ...rows,
    '',
    'Personal settings: yours alone, stored in the store, so they follow you to every machine',
    '(crm config set --mine KEY VALUE; crm config list --mine; crm config get --mine KEY; crm config unset --mine KEY):',
    '',
    ...Object.entries(PERSONAL_SETTINGS).map(([k, s]) => `  ${k.padEnd(width)}  ${s.description}`),
    '',
    'The config file ($CRM_HOME/config.json or ~/.config/crm/config.json) holds only this machine\'s',
    'choices: the store (db), the acting user (user) and the time zone (timezone, below your personal one).',
  ].join('\n');
}

const FILTERS = `Filters: the language of --where (lead list, segments, campaigns, follow-up rules).

  field op value       joined with and / or, grouped with ( )
  fields               stage, source, tag, score, value, status, type, assigned, created, payment
  ops                  = != < <= > >=, in (a, b), not in (a, b)
  values               names as shown (stage in (New, Demo)); quote names with spaces or commas
                       ("Google Ads"); value in the team currency (value>=5000); created as a date;
                       payment: an invoice's status (unpaid, billed, partially-paid, paid, …)

Examples:
  crm lead list --where "source in (Website, 'Google Ads') and score >= 60"
  crm segment add hot --where "stage = Demo or (tag = vip and value > 10000)"
  crm lead list --where "assigned = ravi@acme.example and created >= 2026-11-01"
  crm segment add owes-us --where "payment = unpaid"

Limits: at most 100 conditions, 1,000 values and 20 levels of parentheses.`;

const DATES = `Dates and times: every option that takes one (--start, --at, --from, --to, --day,
--expected-close, --valid-until…) reads the same forms, in your time zone (--tz, CRM_TZ or the
config file's timezone, else the system's).

  ISO                  2026-12-31, 2026-12-31 14:30, 2026-12-31T14:30:00Z
  numeric              31/12/2026, 12/31/2026, 31.12.26, 2026/12/31 (with a time after it too)
  words                today, tomorrow, yesterday, now, tomorrow 10:00, next monday 9am,
                       in 2 hours, in 3 days, end of month
  durations            45m, 1h30m, 2d, 1w (reminders, windows, recurrences; at most ten years)

A phrase must be understood whole: "tomorrow maybe" is refused, not read as "tomorrow".
A numeric date is read day first or month first when a value above 12 settles it; otherwise by
the team's date-order setting (dmy or mdy; by default from phone.region: US and a few others
month first, elsewhere day first). With neither, 05/12/2027 is refused with both readings,
never guessed: write 2027-12-05.

Amounts (--value, import) take either convention: 12000, 12,000.50, 12.000,50, € 1.234,50.`;

const JSON_TOPIC = `JSON: every command that prints data takes --json (one document on stdout, nothing else).

  lists                an array of every matching record (piped output and --json are never
                       cut to a page; --limit N to ask for fewer); lead list --count gives the total
  times                UTC ISO-8601 strings
  money                a lead's value: { amountMinor, amount, currency } (amountMinor an integer in
                       the currency's minor unit); in reports: [{ currency, amount, amountMinor }],
                       one per currency, [] for none, amount a number
  reports              { report, title, period, rows: [...] } (crm report … --json)

Lists also print --format csv (spreadsheet-safe cells) or --format tsv, each with a header line.
Shapes, field by field: docs/json.md.`;

const ENVIRONMENT = `Environment variables

  CRM_DB               the store: a file path (SQLite) or postgres://user@host/db
  CRM_HOME             one directory for the store, config file and side files (tests, demos)
  CRM_USER             the acting user's email (SQLite stores; PostgreSQL: the database login)
  CRM_TZ               your time zone (IANA name such as Europe/Lisbon)
  NO_COLOR             no colour (as --no-color)
  CRM_DEBUG            print stack traces and timings
  CRM_HTTP_LISTEN      the daemon's HTTP endpoint, host:port (or off)
  CRM_SMTP_PASS, CRM_TWILIO_AUTH_TOKEN, CRM_IMAP_PASS, CRM_MARKETPLACE_SITE_KEY,
  CRM_WEBHOOK_SECRET   secrets, winning over the stored settings
  CRM_IMPORT_THREADS   worker threads an import parses with
  PGHOST, PGPORT, PGUSER, PGPASSWORD, PGDATABASE, PGSSLMODE, ~/.pgpass
                       PostgreSQL's own conventions, for postgres:// stores
  XDG_DATA_HOME, XDG_CONFIG_HOME, XDG_STATE_HOME
                       where the store, config file and state live when CRM_HOME is unset`;

export const TOPICS: Record<string, { summary: string; text: () => string }> = {
  filters: { summary: 'the --where filter language', text: () => FILTERS },
  dates: { summary: 'dates, times and durations every option accepts', text: () => DATES },
  'exit-codes': { summary: 'what each exit code means', text: exitCodes },
  config: { summary: 'every setting, its default and meaning', text: config },
  json: { summary: 'JSON, CSV and TSV output for scripts', text: () => JSON_TOPIC },
  environment: { summary: 'environment variables crm reads', text: () => ENVIRONMENT },
};
