/** Copies of a package as a user gets it: the files `npm pack` packs, and `node_modules` links to the repository's. */
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { ROOT } from "./harness";

/** The files `npm pack` would put in the pack's tarball (no scripts run). */
export function packedFiles(dir: string): string[] {
  const out = execFileSync("npm", ["pack", "--dry-run", "--json", "--ignore-scripts"], { cwd: dir, encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] });
  return (JSON.parse(out) as { files: { path: string }[] }[])[0]!.files.map((f) => f.path);
}

/** Links `node_modules/<name>` in `dir` to the repository's copy of each named package. */
export function linkDependencies(dir: string, names: readonly string[]): void {
  for (const name of names) {
    const target = path.join(dir, "node_modules", name);
    fs.mkdirSync(path.dirname(target), { recursive: true });
    fs.symlinkSync(path.join(ROOT, "node_modules", name), target, "dir");
  }
}

