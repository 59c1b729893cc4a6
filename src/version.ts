import * as fs from "node:fs";
import * as path from "node:path";

/** The manifests whose version is the tool's: the CLI package and the policy pack built from the same sources. */
const MANIFEST_NAMES: readonly string[] = ["bridgeguard", "bridgeguard-policies"];

/**
 * The nearest `package.json` above `start` that belongs to bridgeguard, and the version it says. The same source
 * runs from several places (`src/` under the tests, `dist/` for the CLI, `policies/bin/src/` inside the
 * policy pack), so a fixed relative path would point at a different file, or at none, in one of them.
 */
export function findManifest(start: string = __dirname, names: readonly string[] = MANIFEST_NAMES): { file: string; manifest: Record<string, unknown> & { name: string; version: string } } {
  for (let dir = start; ; ) {
    const file = path.join(dir, "package.json");
    if (fs.existsSync(file)) {
      const manifest = JSON.parse(fs.readFileSync(file, "utf8")) as Record<string, unknown>;
      if (typeof manifest.name === "string" && names.includes(manifest.name) && typeof manifest.version === "string") {
        return { file, manifest: manifest as Record<string, unknown> & { name: string; version: string } };
      }
    }
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error(`no package.json named ${names.join(" or ")} above ${start}`);
    dir = parent;
  }
}

export function readVersion(start: string = __dirname): string {
  return findManifest(start).manifest.version;
}

export const TOOL_VERSION: string = readVersion();
