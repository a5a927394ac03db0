/**
 * Entry of dist/ui/dashboard.mjs, the live dashboard's own ES module bundle with ink and react
 * (see scripts/build.mjs). `crm dashboard` imports it only on a terminal.
 */
import { render } from 'ink';
import { DashboardApp } from './App.js';

export interface RunDashboardOptions {
  frame: () => Promise<string>;
  initial: string;
  intervalMs: number;
  stdin: NodeJS.ReadStream;
  stdout: NodeJS.WriteStream;
  stderr: NodeJS.WriteStream;
}

const ENTER_ALT_SCREEN = '\u001B[?1049h';
const LEAVE_ALT_SCREEN = '\u001B[?1049l';

export async function runDashboard(o: RunDashboardOptions): Promise<void> {
  o.stdout.write(ENTER_ALT_SCREEN);
  try {
    const app = render(<DashboardApp frame={o.frame} initial={o.initial} intervalMs={o.intervalMs} />, {
      stdin: o.stdin,
      stdout: o.stdout,
      stderr: o.stderr,
      exitOnCtrlC: true,
    });
    await app.waitUntilExit();
  } finally {
    o.stdout.write(LEAVE_ALT_SCREEN);
  }
}
