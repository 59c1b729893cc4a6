/**
 * Runs the built CLI (`bin/bridgeguard.js`, built by `npm test` first) as a user does, asynchronously and
 * under a time limit (a hang is a failure, not a stuck test run), and checks what every run must respect:
 * on bad input, exit 2 and one stderr line; never a stack trace, an internal error, an unhandled rejection.
 */
import { spawn } from "node:child_process";
import * as path from "node:path";
import { expect } from "vitest";
import { expectNoCanary, ROOT } from "./helpers";

export interface Run {
  status: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  ms: number;
  timedOut: boolean;
}

export interface RunOptions {
  env?: NodeJS.ProcessEnv;
  timeoutMs?: number;
  cwd?: string;
  /** Run as this user and group (the test process must be root to switch): for permission tests. */
  uid?: number;
  gid?: number;
  /** A command (and its arguments) the CLI runs under, e.g. `setpriv` dropping capabilities. */
  wrapper?: string[];
}

export function runCli(args: string[], options: RunOptions = {}): Promise<Run> {
  const env: NodeJS.ProcessEnv = { ...process.env, ...options.env };
  if (!options.env || !("FORCE_COLOR" in options.env)) delete env.FORCE_COLOR;
  if (!options.env || !("NO_COLOR" in options.env)) delete env.NO_COLOR;
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const command = [...(options.wrapper ?? []), process.execPath, path.join(ROOT, "bin", "bridgeguard.js"), ...args];
    const child = spawn(command[0]!, command.slice(1), {
      cwd: options.cwd ?? ROOT,
      env,
      stdio: ["ignore", "pipe", "pipe"],
      ...(options.uid !== undefined ? { uid: options.uid } : {}),
      ...(options.gid !== undefined ? { gid: options.gid } : {}),
    });
    let stdout = "";
    let stderr = "";
    let timedOut = false;
    child.stdout.setEncoding("utf8").on("data", (s: string) => (stdout += s));
    child.stderr.setEncoding("utf8").on("data", (s: string) => (stderr += s));
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill("SIGKILL");
    }, options.timeoutMs ?? 60_000);
    child.on("error", reject);
    child.on("close", (status, signal) => {
      clearTimeout(timer);
      resolve({ status, signal, stdout, stderr, ms: Date.now() - started, timedOut });
    });
  });
}

/** Signs of a crash rather than a handled error. */
const CRASH = [
  /\n\s+at .+[:(]\d+:\d+\)?/,
  /internal error/i,
  /UnhandledPromiseRejection|unhandled rejection/i,
  /RangeError|TypeError|ReferenceError/,
  /FATAL ERROR|heap out of memory/i,
  // A library's process warning (yaml's, Node's) is noise on stderr, around the one line that matters.
  /\(node:\d+\) \w*Warning/,
];

export function expectNoCrash(run: Run, context: string): void {
  expect(run.timedOut, `${context}: timed out`).toBe(false);
  expect(run.signal, `${context}: killed by a signal`).toBeNull();
  for (const pattern of CRASH) expect(run.stderr, `${context}: stderr shows a crash (${pattern})`).not.toMatch(pattern);
  expectNoCanary(run.stdout + run.stderr, context);
}

/** Bad input: exit 2, exactly one line on stderr (`bridgeguard: <file>...`), nothing on stdout. */
export function expectOneLineError(run: Run, context: string, mentions?: string | RegExp): void {
  expectNoCrash(run, context);
  expect(run.status, `${context}: exit code; stderr: ${run.stderr}`).toBe(2);
  const lines = run.stderr.split("\n").filter((line) => line !== "");
  expect(lines, `${context}: one stderr line`).toHaveLength(1);
  expect(lines[0]).toMatch(/^bridgeguard: /);
  if (mentions !== undefined) expect(lines[0]).toMatch(typeof mentions === "string" ? new RegExp(mentions.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")) : mentions);
  expect(run.stdout, `${context}: nothing on stdout`).toBe("");
}
