/**
 * Text from outside (a web form, a WhatsApp profile name, a mail subject, a URL) may carry
 * terminal controls: ESC sequences that retitle the window or clear the screen, OSC links,
 * BEL, 8-bit C1 controls such as CSI (U+009B). Human output shows them escaped instead,
 * as JavaScript would write them: C0 and DEL as `\x1b`, C1 as `\u009b`. Our own colours are
 * added after escaping, so they still work; JSON escapes controls by itself.
 */

// C0 controls, DEL and C1 controls. Tab and newline are decided by the caller.
const CONTROLS = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g;
const CONTROLS_ALL = /[\u0000-\u001f\u007f-\u009f]/g;

function escapeControl(ch: string): string {
  const code = ch.charCodeAt(0);
  return code < 0x80 ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
}

/** Text for lines a person reads (show views, logs): tab and newline kept, every other control escaped. */
export function visible(text: string): string {
  return text.replace(CONTROLS, escapeControl);
}

/** One cell of a table or a TSV line: runs of tabs and line breaks become one space (a cell never splits a row), other controls are escaped. */
export function visibleCell(text: string): string {
  return text.replace(/[\t\r\n]+/g, ' ').replace(CONTROLS_ALL, escapeControl);
}

/**
 * JSON as --json prints it. JSON.stringify escapes only U+0000–U+001F; DEL and the C1 controls
 * (U+007F–U+009F) are escaped too, as `\u009b`, so that `--json` on a terminal obeys nothing.
 * Any JSON parser reads the same value back.
 */
export function jsonText(value: unknown): string {
  return (JSON.stringify(value, null, 2) ?? '').replace(/[\u007f-\u009f]/g, (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
