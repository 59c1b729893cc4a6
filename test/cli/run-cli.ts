import { spawnSync } from "node:child_process";
import * as path from "node:path";

export const ROOT = path.resolve(__dirname, "..", "..");
export const EXAMPLES = path.join(ROOT, "examples");

export interface CliResult {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the built CLI the way a user does (`npm test` builds first), without a TTY. */
export function runCli(args: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): CliResult {
  // The test runner may force colour for itself; a user's pipe has neither variable.
  const env: NodeJS.ProcessEnv = { ...process.env, ...options.env };
  if (!options.env || !("FORCE_COLOR" in options.env)) delete env.FORCE_COLOR;
  if (!options.env || !("NO_COLOR" in options.env)) delete env.NO_COLOR;
  const result = spawnSync(process.execPath, [path.join(ROOT, "bin", "bridgeguard.js"), ...args], {
    cwd: options.cwd ?? ROOT,
    env,
    encoding: "utf8",
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

export const healthy = path.join(EXAMPLES, "healthy-stamp.json");
export const misconfigured = path.join(EXAMPLES, "misconfigured-stamp.json");
export const exampleConfig = path.join(EXAMPLES, "bridgeguard.yaml");
