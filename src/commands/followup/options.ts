import type { Command } from 'commander';
import type { Context } from '../../context.js';
import { resolveTimeZone } from '../../services/time/parse.js';
import { collect } from '../shared.js';

/** --tz on every command that reads or shows times. */
export function tzOption(cmd: Command): Command {
  return cmd.option('--tz <zone>', 'time zone for reading and showing times (default: CRM_TZ, your personal timezone, the config file, the system)');
}

/** --tz, else CRM_TZ, the acting user's personal timezone (known once the actor is), the config file's, the system's. */
export async function timeZoneOf(ctx: Context, flag: string | undefined): Promise<string> {
  if (!flag?.trim() && !ctx.env.CRM_TZ) await ctx.actor();
  return resolveTimeZone(flag, ctx.timeZone);
}

/** Flags shared by `followup add` and `followup edit`. */
export function followUpFieldOptions(cmd: Command): Command {
  return tzOption(
    cmd
      .option('--title <text>', 'what to do')
      .option('--type <type>', 'call | sms | meeting | email')
      .option('--start <time>', 'when it starts: ISO or "tomorrow 10am", "in 2h", "next monday 9:30"')
      .option('--end <time>', 'when it ends (default: 30 minutes after the start)')
      .option('--duration <d>', 'instead of --end: 30m, 1h, 1h30m')
      .option('--priority <p>', 'low | medium | high | urgent')
      .option('--category <name>', 'category, e.g. Sales')
      .option('--description <text>', 'details')
      .option('--assign <email>', 'assigned user(s) (repeatable or comma-separated)', collect)
      .option('--notify <before>', 'remind this long before the start: 15m, 1h, 1d or any duration (comma-separated)', collect)
      .option('--channel <channel>', 'reminder channel(s): email, sms, whatsapp, inbox (default inbox)', collect),
  );
}

export interface FollowUpFieldFlags {
  title?: string;
  type?: string;
  start?: string;
  end?: string;
  duration?: string;
  priority?: string;
  category?: string;
  description?: string;
  assign?: string[];
  notify?: string[];
  channel?: string[];
  tz?: string;
}
