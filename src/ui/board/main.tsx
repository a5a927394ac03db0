/**
 * Entry of dist/ui/board.mjs, the board's own ES module bundle with ink and react inside
 * (see scripts/build.mjs). `crm board` imports it only when it runs on a terminal.
 */
import { render } from 'ink';
import type { Board } from '../../services/board/service.js';
import { BoardApp } from './App.js';
import { BoardController, type BoardApi } from './controller.js';

export interface RunBoardOptions {
  api: BoardApi;
  /** The first load, done before ink starts so the first frame is the full board. */
  board: Board;
  filter?: string;
  refreshMs?: number;
  color: boolean;
  who: string;
  timeZone?: string;
  stdin: NodeJS.ReadStream;
  stdout: NodeJS.WriteStream;
  stderr: NodeJS.WriteStream;
}

// The terminal's alternate screen, as less and htop use: the shell's scrollback is left as it was.
const ENTER_ALT_SCREEN = '\u001B[?1049h';
const LEAVE_ALT_SCREEN = '\u001B[?1049l';

export async function runBoard(o: RunBoardOptions): Promise<void> {
  const controller = new BoardController(o.api, {
    viewport: { width: o.stdout.columns || 80, height: o.stdout.rows || 24 },
    board: o.board,
    filter: o.filter,
    refreshMs: o.refreshMs,
  });
  o.stdout.write(ENTER_ALT_SCREEN);
  try {
    const app = render(<BoardApp controller={controller} color={o.color} who={o.who} timeZone={o.timeZone} />, {
      stdin: o.stdin,
      stdout: o.stdout,
      stderr: o.stderr,
      patchConsole: false,
      maxFps: 60,
    });
    // Asked for before anything is awaited: ink settles only a wait made before it unmounts, and a
    // key can quit while start() still waits on the store (PostgreSQL: q pressed as the first frame
    // appeared left the command running with the board gone).
    const exited = app.waitUntilExit();
    exited.catch(() => undefined);
    await controller.start();
    await exited;
  } finally {
    controller.stop();
    o.stdout.write(LEAVE_ALT_SCREEN);
  }
}
