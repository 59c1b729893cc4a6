/**
 * What `bridgeguard audit` is given, as the list of files to audit. Each argument is
 * - a file: audited as it is, whatever its name;
 * - a directory: every `*.json` file below it, recursively, in name order; hidden entries (`.git`, `.x.json`)
 *   and `node_modules` are skipped;
 * - a glob (`stacks/**\/*.json`, `exports/prod-*.json`): matched against the files below its static base
 *   directory (the segments before the first with a glob character), with the same entries skipped, by the
 *   linear-time matcher of src/engine/glob.ts over paths: `*` stays within a segment and does not match a
 *   leading dot, `**` spans segments. A hostile file name cannot make matching slow (a backtracking
 *   matcher took minutes for `*-*-*-*-*-legacy.json` against a long name).
 * - `-`: standard input.
 * A directory or glob that yields no file is bad usage (exit 2), named; so is a directory below it that cannot
 * be listed (permission denied): skipping it would pass the stacks in it unaudited. A missing or unreadable
 * file is an error of that file only (the audit reports the others, then exits 2).
 * Files reached through a directory or a glob skip `exclude` (the baseline and configuration the command
 * reads, compared by identity: a hard or symbolic link to them too); a file named twice is audited once.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { compileGlob, GlobSyntaxError, type Glob } from "../engine/glob";
import { UserError } from "../model/errors";
import { describeIoError } from "../model/io-error";
import { STDIN } from "../input/json";
import { fileIdentity } from "./file-identity";

const SKIPPED_DIRECTORIES = new Set(["node_modules"]);

function isHidden(name: string): boolean {
  return name.startsWith(".");
}

/**
 * Files below `dir` as paths relative to it (forward slashes), sorted, at most `maxDepth` levels down.
 * Symbolic links to files are followed; to directories they are not (no cycles). A directory that cannot be
 * listed is a UserError naming it.
 */
export function walk(dir: string, maxDepth = Infinity): string[] {
  const out: string[] = [];
  const visit = (relative: string, depth: number): void => {
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(path.join(dir, relative), { withFileTypes: true });
    } catch (error) {
      const shown = relative ? joinShown(dir, relative) : dir;
      throw UserError.at(shown, undefined, `cannot list the directory: ${describeIoError(error)} (its stacks would go unaudited)`);
    }
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const entry of entries) {
      if (isHidden(entry.name)) continue;
      const child = relative ? `${relative}/${entry.name}` : entry.name;
      if (entry.isDirectory()) {
        if (!SKIPPED_DIRECTORIES.has(entry.name) && depth < maxDepth) visit(child, depth + 1);
      } else if (entry.isFile()) {
        out.push(child);
      } else if (entry.isSymbolicLink()) {
        try {
          if (fs.statSync(path.join(dir, child)).isFile()) out.push(child);
        } catch {
          // A dangling link: nothing to audit.
        }
      }
    }
  };
  visit("", 1);
  return out;
}

/** `dir` + `relative` as the user would write it: `stacks/a.json`, `./stacks/a.json`, `/abs/a.json`. */
function joinShown(dir: string, relative: string): string {
  if (dir === "" || dir === ".") return relative;
  return dir.endsWith("/") || dir.endsWith(path.sep) ? `${dir}${relative}` : `${dir}/${relative}`;
}

function isJsonFile(name: string): boolean {
  return name.toLowerCase().endsWith(".json");
}

/** How many directory levels a glob can reach: unbounded with `**` (or a `/` inside braces), else its segments. */
function globDepth(glob: string): number {
  if (glob.includes("**") || /\{[^}]*\/[^}]*\}/.test(glob)) return Infinity;
  return glob.split("/").length;
}

/** A character that makes an argument (or one of its segments) a glob. */
const GLOB_CHARACTER = /[*?[{]/;

/**
 * A glob's static base directory and the rest: the segments before the first that has a glob character,
 * and that segment on (`./stacks/**\/*.json`: `./stacks` and `**\/*.json`; `/abs/*.json`: `/abs`).
 */
export function splitGlob(pattern: string): { base: string; glob: string } {
  const segments = pattern.split("/");
  const first = segments.findIndex((segment) => GLOB_CHARACTER.test(segment));
  if (first <= 0) return { base: "", glob: pattern };
  return { base: segments.slice(0, first).join("/") || "/", glob: segments.slice(first).join("/") };
}

/** The matcher of an input glob (relative to its base directory); a pattern glob.ts refuses is bad usage naming it. */
export function inputGlob(pattern: string, shown = pattern): Glob {
  try {
    return compileGlob(pattern, { path: true, dot: false });
  } catch (error) {
    if (error instanceof GlobSyntaxError) throw UserError.at(shown, undefined, `expected a glob (see "Many stacks at once" in docs/ci-at-scale.md): ${error.message}`);
    throw error;
  }
}

function expandGlob(pattern: string): string[] {
  const { base, glob } = splitGlob(pattern);
  const matcher = inputGlob(glob, pattern);
  const root = base === "" ? "." : base;
  return walk(root, globDepth(glob))
    .filter((relative) => matcher.match(relative))
    .map((relative) => joinShown(base, relative));
}

function isGlobPattern(arg: string): boolean {
  return GLOB_CHARACTER.test(arg);
}

export interface ExpandOptions {
  /** Files not to pick up from a directory or glob (resolved against the working directory). */
  exclude?: readonly (string | undefined)[];
}

/** The files to audit, in argument order; see the module comment. Throws a UserError naming a bad argument. */
export function expandInputs(args: readonly string[], options: ExpandOptions = {}): string[] {
  const excluded = new Set(
    options.exclude?.filter((f): f is string => Boolean(f)).map((f) => fileIdentity(f) ?? path.resolve(f)),
  );
  const isExcluded = (file: string): boolean => excluded.size > 0 && excluded.has(fileIdentity(file) ?? path.resolve(file));
  const seen = new Set<string>();
  const files: string[] = [];
  const add = (file: string): void => {
    const key = file === STDIN ? file : path.resolve(file);
    if (seen.has(key)) return;
    seen.add(key);
    files.push(file);
  };
  for (const arg of args) {
    if (arg === STDIN) {
      add(arg);
      continue;
    }
    let stat: fs.Stats | undefined;
    try {
      stat = fs.statSync(arg);
    } catch {
      stat = undefined;
    }
    if (stat?.isDirectory()) {
      const found = walk(arg)
        .filter(isJsonFile)
        .map((relative) => joinShown(arg, relative))
        .filter((file) => !isExcluded(file));
      if (found.length === 0) throw UserError.at(arg, undefined, "is a directory with no .json file in it (expected stack exports or ARM JSON)");
      found.forEach(add);
    } else if (stat || !isGlobPattern(arg)) {
      // A file, or a path that is no pattern: auditing it says what is wrong with it (not found, unreadable).
      add(arg);
    } else {
      const found = expandGlob(arg).filter((file) => !isExcluded(file));
      if (found.length === 0) throw UserError.at(arg, undefined, "the pattern matches no file");
      found.forEach(add);
    }
  }
  return files;
}
