/**
 * Which bridgeguard.yaml a command uses: `--config FILE`; without it, `bridgeguard.yaml` in the working
 * directory, then in each parent up to the repository root (the directory holding `.git`, a directory in
 * a clone and a file in a worktree); none with `--no-config`. Outside a repository only the working
 * directory is looked in, so a file in a home or temporary directory above it is never picked up. A file
 * found this way is named on stderr, so that findings never change without saying why.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { stderrLine } from "../model/terminal-safe";

export const CONFIG_FILE_NAME = "bridgeguard.yaml";

/** `--config <file>` and `--no-config`: commander gives a path, `false` for `--no-config`, or undefined. */
export type ConfigFlag = string | false | undefined;

function exists(file: string): boolean {
  try {
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}

function isRepositoryRoot(dir: string): boolean {
  return fs.existsSync(path.join(dir, ".git"));
}

/** `bridgeguard.yaml` in `cwd` or a parent up to the repository root, or undefined. */
export function findConfigFile(cwd: string = process.cwd()): string | undefined {
  const start = path.resolve(cwd);
  const candidates: string[] = [];
  let dir = start;
  for (;;) {
    candidates.push(dir);
    if (isRepositoryRoot(dir)) break;
    const parent = path.dirname(dir);
    if (parent === dir) return exists(path.join(start, CONFIG_FILE_NAME)) ? path.join(start, CONFIG_FILE_NAME) : undefined;
    dir = parent;
  }
  for (const candidate of candidates) {
    const file = path.join(candidate, CONFIG_FILE_NAME);
    if (exists(file)) return file;
  }
  return undefined;
}

/**
 * The configuration file to load: the one given, none with `--no-config`, or the one found (named on
 * `stderr` as `bridgeguard: using <file> (found ...; --no-config to skip)`).
 */
export function resolveConfigFile(flag: ConfigFlag, stderr: { write(text: string): unknown } = process.stderr, cwd: string = process.cwd()): string | undefined {
  if (typeof flag === "string") return flag;
  if (flag === false) return undefined;
  const found = findConfigFile(cwd);
  if (found === undefined) return undefined;
  const shown = path.relative(cwd, found) || CONFIG_FILE_NAME;
  stderr.write(stderrLine(`using the configuration ${shown} (found in ${path.dirname(shown) === "." ? "the working directory" : "a parent directory"}; --config FILE or --no-config to choose)`));
  return shown;
}
