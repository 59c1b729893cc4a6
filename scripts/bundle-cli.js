#!/usr/bin/env node
// @ts-check
"use strict";
/*
 * Part of `npm run build`, after tsc and the validators: bundles the CLI (dist/cli/main.js) and the audit
 * pool's worker (dist/cli/audit-worker.js) each into one file in dist/bundle/ with esbuild, then stores
 * V8's code cache of the CLI bundle beside it. Why: src/cli/load-bundle.ts.
 *
 * The code cache is taken after the bundle has audited the two examples (one healthy, one with findings
 * of every kind, in text and JSON), in this process: V8 caches the functions compiled so far, so the cache
 * holds what an audit runs, not only the bundle's top level. Another Node version or other V8 flags
 * reject it at run time, and the bundle then compiles from source.
 *
 * Left out of the bundle, loaded from node_modules when a run needs them: xmlbuilder2 (the JUnit report
 * only, and with its DOM the largest dependency) and the Azure SDK (`--backend azblob://` only;
 * `@azure/identity` is optional).
 */
const fs = require("node:fs");
const os = require("node:os");
const path = require("node:path");
const esbuild = require("esbuild");

const root = path.join(__dirname, "..");
const dist = path.join(root, "dist");
const out = path.join(dist, "bundle");

fs.rmSync(out, { recursive: true, force: true });
esbuild.buildSync({
  entryPoints: { cli: path.join(dist, "cli", "main.js"), "audit-worker": path.join(dist, "cli", "audit-worker.js") },
  outdir: out,
  bundle: true,
  platform: "node",
  format: "cjs",
  target: "node20",
  external: ["xmlbuilder2", "@azure/storage-blob", "@azure/identity"],
  logLevel: "warning",
  legalComments: "none",
});

const { runBundle, codeCacheFile } = require(path.join(dist, "cli", "load-bundle.js"));
const bundle = path.join(out, "cli.js");

async function warm() {
  const loaded = runBundle(bundle);
  const main = /** @type {(argv: string[]) => Promise<number>} */ (loaded.exports.main);
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "bridgeguard-bundle-"));
  const config = path.join(root, "examples", "bridgeguard.yaml");
  try {
    for (const [example, format] of [["healthy-stamp.json", "json"], ["misconfigured-stamp.json", "text"], ["misconfigured-stamp.json", "json"]]) {
      const code = await main(["node", "bridgeguard", "audit", path.join(root, "examples", example), "--config", config, "--format", format, "--output", path.join(tmp, "report"), "--jobs", "1", "--quiet"]);
      if (code !== 0 && code !== 1) throw new Error(`bundle-cli: auditing ${example} with the bundle ended with exit code ${code}`);
    }
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
  fs.writeFileSync(codeCacheFile(bundle), loaded.script.createCachedData());
}

warm().catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
