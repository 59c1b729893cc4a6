/**
 * Pulumi's self-managed ("diy") file backend, `file://DIR`, read without the Pulumi CLI. Layout, from
 * pkg/backend/diy/store.go of pulumi/pulumi: stacks live under `DIR/.pulumi/stacks/` as
 * `<project>/<stack>.json` (the project layout; `ListReferences` accepts exactly two path levels), or
 * `<stack>.json` (the older layout without projects), each maybe compressed as `.json.gz` (gzip, with
 * `PULUMI_DIY_BACKEND_GZIP`) or `.json.zst` (zstd). Everything else there is skipped as Pulumi skips it:
 * `.bak` copies, gocloud's `.attrs` sidecars, the `.pulumi/history` and `.pulumi/backups` directories
 * (never listed: they are not under `stacks/`).
 */
import * as fs from "node:fs";
import * as path from "node:path";
import * as zlib from "node:zlib";
import { UserError } from "../../model/errors";
import type { Backend, BackendStack } from "./types";

/** `<stack>.json`, `.json.gz`, `.json.zst`: the stack name and how it is compressed. */
export function stackFileName(file: string): { stack: string; compression: "none" | "gzip" | "zstd" } | undefined {
  const m = /^(.+)\.json(\.gz|\.zst)?$/.exec(file);
  if (!m || m[1]!.startsWith(".")) return undefined;
  return { stack: m[1]!, compression: m[2] === ".gz" ? "gzip" : m[2] === ".zst" ? "zstd" : "none" };
}

/** Decompresses a state object as its name says; a corrupt one is an error of that stack. */
export function decompress(name: string, compression: "none" | "gzip" | "zstd", bytes: Buffer): Buffer {
  try {
    if (compression === "gzip") return zlib.gunzipSync(bytes);
    if (compression === "zstd") {
      const zstd = (zlib as unknown as { zstdDecompressSync?: (b: Buffer) => Buffer }).zstdDecompressSync;
      if (!zstd) throw new UserError(`${name}: zstd-compressed state needs Node.js 22.15 or later to read`, name);
      return zstd(bytes);
    }
    return bytes;
  } catch (error) {
    if (error instanceof UserError) throw error;
    throw new UserError(`${name}: cannot decompress the ${compression} state (${(error as NodeJS.ErrnoException).code ?? "corrupt data"})`, name);
  }
}

/** `file://DIR` (or `file:///abs/dir`, `file://~/dir` as Pulumi accepts) to a directory path. */
export function fileBackendDir(url: string): string {
  let rest = url.slice("file://".length);
  if (rest.startsWith("~")) rest = path.join(process.env.HOME ?? "", rest.slice(1));
  return rest === "" ? "." : decodeURIComponent(rest);
}

export function fileBackend(url: string): Backend {
  const dir = fileBackendDir(url);
  const stacksDir = path.join(dir, ".pulumi", "stacks");
  return {
    url,
    async list(): Promise<BackendStack[]> {
      let entries: fs.Dirent[];
      try {
        entries = fs.readdirSync(stacksDir, { withFileTypes: true });
      } catch (error) {
        throw new UserError(`${url}: no Pulumi state here (${stacksDir} cannot be read: ${(error as NodeJS.ErrnoException).code ?? "error"})`, url);
      }
      const stacks: BackendStack[] = [];
      const add = (name: string, file: string, compression: "none" | "gzip" | "zstd"): void => {
        stacks.push({ name, read: async () => decompress(name, compression, readStackFile(name, file)) });
      };
      for (const entry of entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
        if (entry.isDirectory()) {
          for (const file of fs.readdirSync(path.join(stacksDir, entry.name)).sort()) {
            const parsed = stackFileName(file);
            if (parsed && fs.statSync(path.join(stacksDir, entry.name, file)).isFile()) add(`${entry.name}/${parsed.stack}`, path.join(stacksDir, entry.name, file), parsed.compression);
          }
        } else if (entry.isFile()) {
          const parsed = stackFileName(entry.name);
          if (parsed) add(parsed.stack, path.join(stacksDir, entry.name), parsed.compression);
        }
      }
      return stacks;
    },
  };
}

function readStackFile(name: string, file: string): Buffer {
  try {
    return fs.readFileSync(file);
  } catch (error) {
    throw new UserError(`${name}: cannot read ${file} (${(error as NodeJS.ErrnoException).code ?? "error"})`, name);
  }
}
