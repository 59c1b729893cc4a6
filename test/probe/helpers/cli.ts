/**
 * Runs `bridgeguard probe` in-process: a commander program with `registerProbe`, handled the way
 * `main()` handles it (usage errors exit 2 with one line on stderr), with captured stdout and stderr.
 */
import { Command, CommanderError } from "commander";
import { registerProbe, type ProbeIo } from "../../../src/cli/probe";
import { isUserError } from "../../../src/model/errors";
import type { Report } from "../../../src/model/finding";

export interface ProbeRun {
  code: number;
  stdout: string;
  stderr: string;
  ms: number;
}

export interface ProbeRunOptions {
  /** stderr is a terminal (progress lines). */
  tty?: boolean;
  /** Simulates Ctrl-C this many ms after the start. */
  interruptAfterMs?: number;
}

export async function probeCli(args: string[], options: ProbeRunOptions = {}): Promise<ProbeRun> {
  let stdout = "";
  let stderr = "";
  let code = 0;
  let timer: NodeJS.Timeout | undefined;
  const io: ProbeIo = {
    stdout: { write: (s: string) => (stdout += s), isTTY: false },
    stderr: { write: (s: string) => (stderr += s), isTTY: options.tty ?? false },
    env: { NO_COLOR: "1" },
    onInterrupt(handler) {
      if (options.interruptAfterMs !== undefined) timer = setTimeout(handler, options.interruptAfterMs);
      return () => clearTimeout(timer);
    },
  };
  const program = new Command("bridgeguard").exitOverride().configureOutput({ writeOut: (s) => (stdout += s), writeErr: (s) => (stderr += s) });
  registerProbe(program, (c) => (code = c), io);
  for (const command of program.commands) command.exitOverride().configureOutput({ writeOut: (s) => (stdout += s), writeErr: (s) => (stderr += s) });
  const started = Date.now();
  try {
    await program.parseAsync(["node", "bridgeguard", "probe", ...args]);
  } catch (error) {
    if (error instanceof CommanderError) code = error.exitCode === 0 ? 0 : 2;
    else if (isUserError(error)) {
      stderr += `bridgeguard: ${(error as Error).message}\n`;
      code = 2;
    } else throw error;
  }
  return { code, stdout, stderr, ms: Date.now() - started };
}

export function jsonReport(run: ProbeRun): Report {
  try {
    return JSON.parse(run.stdout) as Report;
  } catch {
    throw new Error(`not JSON (exit ${run.code}):\n${run.stdout}\n--- stderr ---\n${run.stderr}`);
  }
}
