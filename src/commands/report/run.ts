import { resolveTimeZone } from '../../services/time/parse.js';
import { runReport, type ReportOptions } from '../../services/reports/reports.js';
import { jsonRows, parseFormat, writeTabular } from '../../io/table-formats.js';
import { examples, outputFlags, type Register } from '../shared.js';

/** What sets one report apart: its name, description and flags. */
export interface ReportDef {
  name: string;
  description: string;
  options: [string, string][];
  /** Its --help examples: one to three command lines that work as written. */
  examples: string[];
}

/** A report verb: its own flags, then the shared ones; the work is one service call, the formats are shared. */
export function reportCommand(def: ReportDef): Register {
  return (parent, context) => {
    const cmd = parent.command(def.name).description(def.description).addHelpText('after', examples(...def.examples));
    for (const [flags, help] of def.options) cmd.option(flags, help);
    cmd.option('--format <format>', 'table | json | csv | tsv | chart (csv and tsv: a header line, money as a number and its currency)', 'table').option('-o, --output <file>', 'write to a file instead of stdout').option('--tz <zone>', 'time zone for days and hours');
    outputFlags(cmd).action(async (opts: ReportOptions & { format?: string; output?: string; tz?: string; json?: boolean }, c) => {
      const ctx = context(c);
      const format = parseFormat(opts.format, opts.json);
      const svc = await ctx.services();
      const report = await runReport(svc, def.name, opts, resolveTimeZone(opts.tz, ctx.timeZone));
      const { columns: _c, chart: _h, ...rest } = report;
      await writeTabular(ctx.io, report, format, { ...rest, rows: jsonRows(report.rows) }, opts.output);
    });
  };
}
