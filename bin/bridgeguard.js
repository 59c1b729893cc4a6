#!/usr/bin/env node
"use strict";
require("../dist/cli/main.js").main(process.argv).then(
  (code) => { process.exitCode = code; },
  (err) => {
    // Last line of defence: an internal error is a bug, reported in one line without a stack.
    process.stderr.write(`bridgeguard: internal error: ${err && err.message ? err.message : String(err)}\n`);
    process.exitCode = 2;
  },
);
