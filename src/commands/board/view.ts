import { parseCount } from '../../services/leads/normalize.js';
import { UsageError } from '../../errors.js';
import { printJson } from '../../io/output.js';
import { loadBoard, type BoardFilter } from '../../services/board/service.js';
import { parseBoardFilter, personalValue } from '../../services/settings/personal.js';
import { loadBoardUi } from '../../ui/load.js';
import { collect, examples, outputFlags, type Register } from '../shared.js';
import { createBoardApi } from './api.js';
import { linkBase } from '../campaign/options.js';
import { boardJson, printStaticBoard } from './render.js';

interface Options extends BoardFilter {
  limit: string;
  refresh: string;
  json?: boolean;
}

const whole = parseCount;

/** A bare `crm board` shows it: its flags and action sit on the noun itself. */
export const registerBoardView: Register = (noun, context) => {
  const cmd = noun
    .description('the pipeline as a Kanban board (keys: ? for help); a text board when not on a terminal').addHelpText('after', examples('crm board', 'crm board --mine --include-closed', 'crm board --source Website --limit 5 | less'))
    .option('--mine', 'only leads assigned to me')
    .option('--user <email>', 'only leads assigned to this user')
    .option('--source <source>', 'only leads from these sources (repeatable or comma-separated)', collect)
    .option('--tag <tag>', 'only leads with this tag')
    .option('--search <text>', 'name, business, email or phone contains text (the / filter)')
    .option('--include-closed', 'won and lost columns open, with their cards (collapsed otherwise)')
    .option('--limit <n>', 'cards per stage in the text board and --json', '5')
    .option('--refresh <seconds>', 'look for changes made elsewhere this often (0: only on r)', '5');
  outputFlags(cmd).action(async (opts: Options, c) => {
    const ctx = context(c);
    if (opts.mine && opts.user) throw new UsageError('--mine and --user cannot be used together', 'pass one of them');
    const limit = whole(opts.limit, '--limit', 0);
    const refresh = whole(opts.refresh, '--refresh', 0);
    const given = opts.mine || opts.user || opts.source || opts.tag || opts.search || opts.includeClosed;
    // ink compiles in the next turn of the event loop (~80 ms, synchronous), while a PostgreSQL
    // store connects and answers the first queries below; only a terminal on both ends gets it.
    const interactive = !opts.json && ctx.io.isInteractive;
    const ui = interactive ? loadBoardUi() : undefined;
    ui?.catch(() => undefined);
    // No filter given: the acting user's personal board.filter (crm config set --mine board.filter …).
    const saved = given ? undefined : await ctx.services().then((svc) => personalValue(svc.store, svc.actor, 'board.filter'));
    const filter: BoardFilter = saved
      ? parseBoardFilter(saved)
      : { mine: opts.mine, user: opts.user, source: opts.source, tag: opts.tag, search: opts.search, includeClosed: opts.includeClosed };
    // ink needs a terminal on both ends (raw-mode input); anything else gets the text board.
    if (!ui) {
      const board = await loadBoard(await ctx.services(), filter, { page: limit });
      if (opts.json) printJson(ctx.io, boardJson(board, filter, limit));
      else printStaticBoard(ctx.io, board, limit, ctx.timeZone);
      return;
    }
    const svc = await ctx.services();
    const api = createBoardApi(() => ctx.services(), filter, ctx.timeZone, { env: ctx.env, callbackBase: () => linkBase(ctx) });
    const board = await api.load({ search: filter.search ?? '', loaded: {}, expanded: [] });
    const { runBoard } = await ui;
    await runBoard({
      api,
      board,
      filter: filter.search,
      refreshMs: refresh * 1000,
      color: ctx.io.color,
      who: `${svc.actor.name} (${svc.actor.role})`,
      timeZone: ctx.timeZone,
      stdin: ctx.io.stdin as NodeJS.ReadStream,
      stdout: ctx.io.stdout as NodeJS.WriteStream,
      stderr: ctx.io.stderr as NodeJS.WriteStream,
    });
  });
};
