#!/usr/bin/env node
"use strict";

/** One line for an internal error (a bug): never a stack trace, never a value beyond the error's message. */
function internalError(what, err) {
  const message = err && err.message ? err.message : String(err);
  process.stderr.write(`bridgeguard: internal error: ${what}${message.split("\n")[0]}\n`);
}

// A promise rejected with nobody listening, or an exception thrown from a callback (a socket, a timer), is
// a bug: Node would print a stack trace and exit 1, which reads as "findings". Fail loudly instead, in one
// line, with the exit code of an error that is not about the findings (2), at once: nothing after it can
// be trusted.
process.on("unhandledRejection", (reason) => {
  internalError("unhandled rejection: ", reason);
  process.exit(2);
});
process.on("uncaughtException", (err) => {
  internalError("", err);
  process.exit(2);
});

require("../dist/cli/main.js").main(process.argv).then(
  (code) => { process.exitCode = code; },
  (err) => {
    // Last line of defence: an internal error is a bug, reported in one line without a stack.
    internalError("", err);
    process.exitCode = 2;
  },
);
