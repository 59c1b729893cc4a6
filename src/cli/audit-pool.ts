/**
 * Auditing many files at once: a pool of worker threads, started once (before the configuration is read,
 * so that they load the engine meanwhile), to which the main thread streams file names. Each worker loads
 * and audits one file at a time (the same `auditOneFile` the main thread runs with `--jobs 1`) and posts
 * back its findings and counts; the main thread keeps each worker a file ahead, so that it never waits for
 * the next name, and merges the results in input order. A file that cannot be read or audited becomes an
 * error entry for that file; the others' results are unaffected.
 *
 * The worker entry is `audit-worker.js` beside this module in the build. Running from TypeScript sources
 * (tests), where it does not exist, the files are audited on the main thread.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as v8 from "node:v8";
import { Worker } from "node:worker_threads";
import type { BridgeguardConfig } from "../config/types";
import { evaluate } from "../engine/pipeline";
import { loadAuditInput, locateRefs, type LoadedInput, type LoadOptions } from "../input";
import { isUserError } from "../model/errors";
import type { Finding, ReportNotice } from "../model/finding";
import type { BridgePath } from "../model/path";
import { AUDIT_RULES } from "../rules";

export type FileAudit =
  | { file: string; ok: true; findings: Finding[]; resources: number; endpoints: number; notices?: ReportNotice[]; path?: BridgePath }
  | { file: string; ok: false; error: string };

/** Loads and audits one file; never throws: a failure is the file's error entry. */
export function auditOneFile(file: string, config: BridgeguardConfig, read: LoadOptions = {}): FileAudit {
  try {
    return auditLoaded(file, loadAuditInput(file, read), config);
  } catch (error) {
    return auditFailure(file, error);
  }
}

/** The error entry of an input that could not be read or audited. */
export function auditFailure(file: string, error: unknown): FileAudit {
  const message = error instanceof Error ? error.message : String(error);
  return { file, ok: false, error: isUserError(error) ? message : `${file}: internal error: ${message}` };
}

/**
 * Audits a loaded input named `file` in the report. A preview that lists only its changes (no `--show-sames`,
 * no `--state`) is audited with the rules that need no other resource (resource and plan rules), and a
 * notice says so: registration presence and the egress path cannot be judged from the changed resources.
 */
export function auditLoaded(file: string, input: LoadedInput, config: BridgeguardConfig): FileAudit {
  const partial = input.preview?.coverage === "changes-only";
  const rules = partial ? AUDIT_RULES.filter((rule) => rule.meta.scope === "resource" || rule.meta.scope === "plan") : AUDIT_RULES;
  const evaluation = evaluate({ kind: "resources", set: input.set, rules }, config);
  // Each finding's line in its file, looked up only for resources with findings.
  locateRefs(input.text, evaluation.findings.map((f) => f.resource));
  const notices: ReportNotice[] = partial ? [changesOnlyNotice(file, input.preview!.changes)] : [];
  return {
    file,
    ok: true,
    findings: evaluation.findings,
    resources: evaluation.resources,
    endpoints: evaluation.endpoints,
    ...(notices.length > 0 ? { notices } : {}),
    // A preview of the changes only does not show the path (the egress checks did not run).
    ...(evaluation.path && !partial ? { path: evaluation.path } : {}),
  };
}

function changesOnlyNotice(file: string, changes: number): ReportNotice {
  return {
    level: "warning",
    kind: "partial-input",
    message:
      `${file}: not the whole stack: only the ${changes} resource${changes === 1 ? "" : "s"} this preview changes ${changes === 1 ? "was" : "were"} checked; ` +
      "`pulumi preview --json` leaves unchanged resources out unless --show-sames is given, so the checks that need the whole stack " +
      "(registration present, egress path) did not run; run `pulumi preview --json --show-sames`, or pass the stack's export with --state",
  };
}

/** The default `--jobs`: the cores this process may use. */
export function defaultJobs(): number {
  return Math.max(1, typeof os.availableParallelism === "function" ? os.availableParallelism() : os.cpus().length);
}

export const WORKER_SCRIPT = path.join(__dirname, "audit-worker.js");

/** Node's error when a worker reaches its heap limit (the worker ends; the process lives on). */
function isOutOfMemory(error: unknown): boolean {
  return (error as { code?: unknown } | undefined)?.code === "ERR_WORKER_OUT_OF_MEMORY";
}

/**
 * The error line of a file whose audit ran out of memory: the heap limit every thread has (Node's default
 * for this machine, or `--max-old-space-size`), and the two ways out.
 */
export function outOfMemoryMessage(file: string): string {
  const limit = Math.round(v8.getHeapStatistics().heap_size_limit / 2 ** 20);
  return (
    `${file}: out of memory: auditing it needs more than the ${limit} MB heap limit ` +
    "(raise it with NODE_OPTIONS=--max-old-space-size=<MB>, or audit fewer files at once with --jobs; docs/hostile-input.md gives the memory an audit needs)"
  );
}

/** Files handed to a worker before it has answered: one in work, one waiting. */
const IN_FLIGHT_PER_WORKER = 2;

export interface PoolOptions {
  jobs: number;
  /** How input files are read (`--max-input-size`). */
  read?: LoadOptions;
  /** The worker entry; default `audit-worker.js` beside this module. */
  workerScript?: string;
}

/** Messages from the main thread to a worker: the configuration once, then one task per file. */
export type WorkerRequest = { kind: "config"; config: BridgeguardConfig; read?: LoadOptions } | { kind: "task"; index: number; file: string };
/** A worker's answer to a task. */
export interface AuditAnswer {
  index: number;
  result: FileAudit;
}

/** Started before the configuration is known, so that the workers load the engine while the main thread reads it. */
export interface AuditPool {
  /** Audits the pool's files with `config`; results in input order. Call once. */
  audit(config: BridgeguardConfig): Promise<FileAudit[]>;
  /** Stops the workers (also when `audit` was never called). */
  close(): void;
}

/**
 * Starts auditing `files` with up to `jobs` worker threads (one for `--jobs 1` or one file); none when the
 * worker entry is not built (TypeScript sources), and then the main thread audits them.
 */
export function startAuditPool(files: readonly string[], options: PoolOptions): AuditPool {
  const script = options.workerScript ?? WORKER_SCRIPT;
  const jobs = Math.min(Math.max(1, Math.floor(options.jobs)), files.length);
  // Even one file is audited on a worker: a worker that runs out of memory ends as that file's error line,
  // where the main thread would abort with V8's fatal heap message and a native stack (exit 134).
  if (files.length === 0 || !fs.existsSync(script)) {
    return { audit: async (config) => files.map((file) => auditOneFile(file, config, options.read)), close: () => undefined };
  }
  return new Pool(files, script, jobs, options.read ?? {});
}

/** Audits `files` (see `startAuditPool`); results in input order. */
export async function auditFiles(files: readonly string[], config: BridgeguardConfig, options: PoolOptions): Promise<FileAudit[]> {
  const pool = startAuditPool(files, options);
  try {
    return await pool.audit(config);
  } finally {
    pool.close();
  }
}

class Pool implements AuditPool {
  private readonly results: (FileAudit | undefined)[];
  private next = 0;
  /** Files a lost worker had been handed but not started: given to the next worker first. */
  private readonly retry: number[] = [];
  private done = 0;
  private readonly workers = new Set<Worker>();
  private readonly inFlight = new Map<Worker, Set<number>>();
  private config: BridgeguardConfig | undefined;
  private resolve: (results: FileAudit[]) => void = () => undefined;
  private reject: (error: unknown) => void = () => undefined;
  private finished = false;

  constructor(
    private readonly files: readonly string[],
    private readonly script: string,
    jobs: number,
    private readonly read: LoadOptions,
  ) {
    this.results = new Array<FileAudit | undefined>(files.length);
    try {
      for (let i = 0; i < jobs; i++) this.start();
    } catch (error) {
      this.close();
      throw error;
    }
  }

  audit(config: BridgeguardConfig): Promise<FileAudit[]> {
    return new Promise<FileAudit[]>((resolve, reject) => {
      this.resolve = resolve;
      this.reject = reject;
      this.config = config;
      for (const worker of this.workers) this.configure(worker);
      // Every worker may have died while starting; keep the pool at strength.
      if (this.workers.size === 0) this.restart();
    });
  }

  close(): void {
    this.finished = true;
    for (const worker of this.workers) {
      this.inFlight.delete(worker);
      void worker.terminate();
    }
    this.workers.clear();
  }

  private start(): Worker {
    const worker = new Worker(this.script);
    this.workers.add(worker);
    this.inFlight.set(worker, new Set());
    worker.on("message", (answer: AuditAnswer) => this.answered(worker, answer));
    // A worker that dies (a crash, out of memory) takes only the file it was on down with it.
    worker.on("error", (error) => this.lost(worker, error instanceof Error ? error.message : String(error), isOutOfMemory(error)));
    worker.on("exit", (code) => this.lost(worker, `worker exited with code ${code}`));
    return worker;
  }

  private configure(worker: Worker): void {
    if (!this.config) return;
    const message: WorkerRequest = { kind: "config", config: this.config, read: this.read };
    worker.postMessage(message);
    this.feed(worker);
  }

  private take(): number | undefined {
    return this.retry.shift() ?? (this.next < this.files.length ? this.next++ : undefined);
  }

  private feed(worker: Worker): void {
    const pending = this.inFlight.get(worker);
    if (!pending || this.finished) return;
    // Near the end, one file at a time: a second one queued here could wait while another worker idles.
    const depth = this.files.length - this.next > this.workers.size ? IN_FLIGHT_PER_WORKER : 1;
    while (pending.size < depth) {
      const index = this.take();
      if (index === undefined) break;
      pending.add(index);
      const task: WorkerRequest = { kind: "task", index, file: this.files[index]! };
      worker.postMessage(task);
    }
  }

  private answered(worker: Worker, answer: AuditAnswer): void {
    this.inFlight.get(worker)?.delete(answer.index);
    this.record(answer.index, answer.result);
    this.feed(worker);
  }

  private record(index: number, result: FileAudit): void {
    if (this.results[index] !== undefined || this.finished) return;
    this.results[index] = result;
    this.done++;
    if (this.done === this.files.length) {
      this.close();
      this.resolve(this.results as FileAudit[]);
    }
  }

  private lost(worker: Worker, reason: string, outOfMemory = false): void {
    const pending = this.inFlight.get(worker);
    if (!pending) return;
    this.inFlight.delete(worker);
    this.workers.delete(worker);
    if (this.finished) return;
    // A worker works on the oldest file it was handed: that one is blamed, the others go to another worker.
    const [blamed, ...waiting] = [...pending].sort((a, b) => a - b);
    this.retry.push(...waiting);
    if (blamed !== undefined) {
      const file = this.files[blamed]!;
      this.record(blamed, { file, ok: false, error: outOfMemory ? outOfMemoryMessage(file) : `${file}: internal error: ${reason}` });
    }
    if (this.finished) return;
    // Keep the pool at strength while files remain (each restart follows a blamed file, so this ends).
    if (this.retry.length > 0 || this.next < this.files.length) this.restart();
  }

  private restart(): void {
    if (!this.config) return;
    try {
      this.configure(this.start());
    } catch (error) {
      this.close();
      this.reject(error);
    }
  }
}
