/**
 * A worker thread of the audit pool (`audit-pool.ts`). It loads the engine as it starts, then takes the
 * validated configuration (first message) and one file per task message, and posts back that file's
 * findings and counts, or its error.
 */
import { parentPort } from "node:worker_threads";
import type { BridgeguardConfig } from "../config/types";
import type { LoadOptions } from "../input";
import { auditOneFile, type AuditAnswer, type WorkerRequest } from "./audit-pool";

let config: BridgeguardConfig | undefined;
let read: LoadOptions = {};

parentPort?.on("message", (request: WorkerRequest) => {
  if (request.kind === "config") {
    config = request.config;
    read = request.read ?? {};
    return;
  }
  // The pool always sends the configuration first; a task without it is a bug, reported for that file.
  const result = config
    ? auditOneFile(request.file, config, read)
    : { file: request.file, ok: false as const, error: `${request.file}: internal error: no configuration` };
  const answer: AuditAnswer = { index: request.index, result };
  parentPort?.postMessage(answer);
});
