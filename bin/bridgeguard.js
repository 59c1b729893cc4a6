#!/usr/bin/env node
"use strict";

/** One line for an internal error (a bug): never a stack trace, never a value beyond the error's message. */
function internalError(what, err) {
  const message = err && err.message ? err.message : String(err);
  process.stderr.write(`bridgeguard: internal error: ${what}${message.split("\n")[0]}\n`);
}

// The reader of a pipe went away (`bridgeguard audit ... | head -1`): stop quietly, as a Unix tool that
// SIGPIPE ends does. Node ignores SIGPIPE and reports EPIPE on the stream instead; without a listener that
// would surface below as an internal error. 141 (128 + SIGPIPE) is the status a shell shows for such a tool.
for (const stream of [process.stdout, process.stderr]) {
  stream.on("error", (err) => {
    if (err && err.code === "EPIPE") process.exit(141);
    internalError("", err);
    process.exit(2);
  });
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

// The bundled CLI with its code cache (dist/cli/load-bundle.js says why), or dist/cli as tsc built it.
require("../dist/cli/load-bundle.js").runCli(process.argv).then(
  (code) => { process.exitCode = code; },
  (err) => {
    // Last line of defence: an internal error is a bug, reported in one line without a stack.
    internalError("", err);
    process.exitCode = 2;
  },
);
