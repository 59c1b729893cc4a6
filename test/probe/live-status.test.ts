/**
 * The probe's live status line, as a user sees it on a real terminal: the CLI runs under a pseudo-terminal
 * (util-linux `script`), against a loopback server that accepts the connection and then says nothing, so
 * the TLS stage waits. While it waits, a status line with the elapsed time is redrawn in place (carriage
 * return, erase line); it is erased before the result line, and nothing is left of it when the run ends.
 */
import { execFileSync, spawn } from "node:child_process";
import * as net from "node:net";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const ROOT = path.resolve(__dirname, "../..");
const LOGIN = "login.microsoftonline.com";
const ERASE = "\r\u001b[2K";

function hasScript(): boolean {
  try {
    execFileSync("script", ["--version"], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
}

const quote = (s: string): string => `'${s.replace(/'/g, `'\\''`)}'`;

let server: net.Server;
let port = 0;
const sockets = new Set<net.Socket>();

beforeAll(async () => {
  // Accepts and stays silent: the client's TLS hello is never answered.
  server = net.createServer((socket) => {
    sockets.add(socket);
    socket.on("error", () => undefined);
    socket.on("close", () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  port = (server.address() as net.AddressInfo).port;
});

afterAll(async () => {
  for (const s of sockets) s.destroy();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

/** Runs the probe under a pseudo-terminal; everything the terminal received, escapes included. */
function underTerminal(args: string[]): Promise<string> {
  const command = [process.execPath, path.join(ROOT, "bin", "bridgeguard.js"), ...args].map(quote).join(" ");
  return new Promise((resolve, reject) => {
    // -q: no "Script started" banner; -e: the child's exit status; -f: flush as it comes; log to /dev/null.
    const child = spawn("script", ["-qefc", command, "/dev/null"], {
      cwd: ROOT,
      env: { ...process.env, NO_COLOR: "1", COLUMNS: "80", TERM: "xterm" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let out = "";
    child.stdout.setEncoding("utf8").on("data", (s: string) => (out += s));
    child.stderr.setEncoding("utf8").on("data", (s: string) => (out += s));
    const timer = setTimeout(() => child.kill("SIGKILL"), 30_000);
    child.on("error", reject);
    child.on("close", () => {
      clearTimeout(timer);
      resolve(out);
    });
  });
}

describe.skipIf(process.platform === "win32" || !hasScript())("the probe's live status line on a terminal", () => {
  it("shows the elapsed time while a stage waits, redrawn in place, and erases it before the result", async () => {
    const out = await underTerminal(["probe", "--only", `${LOGIN}:443`, "--connect-to", `${LOGIN}:443:127.0.0.1:${port}`, "--stage-timeout", "2500ms", "--timeout", "10s"]);
    const draws = out.split(ERASE).filter((part) => part.startsWith("  ... "));
    // Redrawn every half second over a 2.5 s wait: several draws, each naming the endpoint and its stage.
    expect(draws.length, JSON.stringify(out)).toBeGreaterThanOrEqual(2);
    for (const draw of draws) expect(draw).toMatch(new RegExp(`^  \\.\\.\\. [\\d.]+ m?s of 10 s: waiting on 1 \\(${LOGIN.replace(/\./g, "\\.")}:443 tls [\\d.]+ m?s\\)`));
    // The elapsed time moves on between draws.
    expect(new Set(draws.map((d) => /^  \.\.\. ([\d.]+ m?s)/.exec(d)?.[1])).size).toBeGreaterThanOrEqual(2);
    // The result line comes after an erase, on a clean line, and no status text follows the last result.
    const result = out.indexOf(`${LOGIN}:443`, out.lastIndexOf(ERASE) + ERASE.length);
    expect(result, JSON.stringify(out)).toBeGreaterThan(0);
    expect(out.slice(out.lastIndexOf(ERASE))).not.toMatch(/^\r\u001b\[2K  \.\.\. /);
    // A pseudo-terminal with no size set says 0 columns: the report is wrapped at 80 (COLUMNS), not at 20.
    expect(out).toMatch(/error \w+ BG6\d\d [a-z-]+: /);
  });
});
