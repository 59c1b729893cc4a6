#!/usr/bin/env node
// @ts-check
"use strict";
/*
 * Compiles src/input/wasm/<name>.wat into src/input/wasm/<name>.wasm.ts (the module's bytes, base64), which
 * is committed: the build needs no WebAssembly toolchain, and the module ships inside the bundle like any
 * other code. Run after editing a .wat file; `test/input/wasm.test.ts` fails while the two disagree.
 */
const fs = require("node:fs");
const path = require("node:path");

const dir = path.join(__dirname, "..", "src", "input", "wasm");

/** The generated TypeScript of one .wat file's bytes. */
async function generated(watFile) {
  const wabt = await require("wabt")();
  const name = path.basename(watFile, ".wat");
  const module = wabt.parseWat(path.basename(watFile), fs.readFileSync(watFile, "utf8"));
  try {
    module.validate();
    const { buffer } = module.toBinary({});
    const constant = `${name.replace(/-/g, "_").toUpperCase()}_WASM`;
    return (
      `// Generated from ${name}.wat by scripts/build-wasm.js: do not edit.\n` +
      `/** The WebAssembly module of ${name}.wat, base64. */\n` +
      `export const ${constant} = "${Buffer.from(buffer).toString("base64")}";\n`
    );
  } finally {
    module.destroy();
  }
}

async function main() {
  for (const file of fs.readdirSync(dir).filter((f) => f.endsWith(".wat"))) {
    const out = path.join(dir, file.replace(/\.wat$/, ".wasm.ts"));
    fs.writeFileSync(out, await generated(path.join(dir, file)));
    console.log(`wrote ${path.relative(process.cwd(), out)}`);
  }
}

module.exports = { generated };
if (require.main === module) {
  main().catch((error) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  });
}
