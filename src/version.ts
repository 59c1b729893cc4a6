import * as fs from "node:fs";
import * as path from "node:path";

function readVersion(): string {
  // dist/version.js and src/version.ts both sit one level below the package root.
  const manifest = JSON.parse(fs.readFileSync(path.join(__dirname, "..", "package.json"), "utf8")) as { version: string };
  return manifest.version;
}

export const TOOL_VERSION: string = readVersion();
