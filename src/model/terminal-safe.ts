/**
 * Text from an input (a URN, a file name, a glob, a command-line argument) made safe to print on a terminal.
 * A resource named `\x1b]0;pwned\x07` retitles the window, `\x1b[2J` clears the screen, `\x1b[1A\x1b[2K`
 * erases the line above so that a forged "no problems found" can take its place, and a right-to-left
 * override (U+202E) shows `exe.txt` for `txt.exe`. Every such character is shown as an escape instead:
 *
 * - C0 controls (ESC starts CSI and OSC sequences; BEL ends OSC), DEL, and C1 controls (U+0080-U+009F,
 *   among them the one-character CSI U+009B and OSC U+009D), as `\xNN`;
 * - Unicode bidirectional controls (U+061C, U+200E, U+200F, U+202A-U+202E, U+2066-U+2069), as `\uNNNN`
 *   (the "Trojan Source" characters, CVE-2021-42574).
 *
 * Newlines are kept only where `keepNewlines` says so; a message on stderr is one line.
 */
const UNSAFE = /[\u0000-\u001F\u007F-\u009F\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]/g;

function escape(c: string): string {
  const code = c.charCodeAt(0);
  return code <= 0xff ? `\\x${code.toString(16).padStart(2, "0")}` : `\\u${code.toString(16).padStart(4, "0")}`;
}

/** `text` with every control character escaped; see the module comment. */
export function terminalSafe(text: string, options: { keepNewlines?: boolean } = {}): string {
  return text.replace(UNSAFE, (c) => (options.keepNewlines && c === "\n" ? c : escape(c)));
}

/** One stderr line: `bridgeguard: <message>`, on one line whatever the message holds, escaped. */
export function stderrLine(message: string): string {
  return `bridgeguard: ${terminalSafe(message.replace(/\s*[\r\n]+\s*/g, " "))}\n`;
}
