/**
 * A worker thread of the audit pool (`audit-pool.ts`). It loads the engine as it starts, then takes the
 * validated configuration (first message) and one input per task message (a file's name, or a stack's
 * bytes), and posts back that input's findings and counts, or its error.
 */
import { parentPort } from "node:worker_threads";
import type { BridgeguardConfig } from "../config/types";
import type { LoadOptions } from "../input";
import { auditTask, type AuditAnswer, type WorkerRequest } from "./audit-pool";

let config: BridgeguardConfig | undefined;
let read: LoadOptions = {};

parentPort?.on("message", (request: WorkerRequest) => {
  if (request.kind === "config") {
    config = request.config;
    read = request.read ?? {};
    return;
  }
  // The pool always sends the configuration first; a task without it is a bug, reported for that input.
  const name = request.input.kind === "file" ? request.input.file : request.input.name;
  const result = config ? auditTask(request.input, config, read) : { file: name, ok: false as const, error: `${name}: internal error: no configuration` };
  const answer: AuditAnswer = { index: request.index, result };
  parentPort?.postMessage(answer);
});
