/**
 * Auditing the inputs of a run: files, and a state backend's stacks. Each input is audited where running
 * out of memory cannot take the process down with it:
 *
 * - on the main thread, when its worst case fits half of the free heap: no worker thread to start, no
 *   second load of the engine. The worst case is known once the input is read and its values counted
 *   (`worstCountedMemory`: each value and each byte at the most memory measured for one), and a file is
 *   read here only when its size alone leaves room for that;
 * - else on a worker thread, where reaching the heap limit ends that worker only, and the input becomes one
 *   error line naming it (`outOfMemoryMessage`): by name when it is too large to read here, or standard
 *   input (it cannot be read twice); by its bytes, transferred, when the main thread has read them.
 *
 * With `--jobs` above 1 and more than one input, every input goes to the pool's worker threads, started
 * once (before the configuration is read, so that they load the engine meanwhile), each kept an input ahead
 * so that it never waits for the next one. A file is handed to a worker by name (the worker reads it); a
 * stack's bytes are fetched by the main thread, a few stacks ahead at most, and their memory is transferred
 * to the worker, not copied. Results are in input order. An input that cannot be read or audited becomes an
 * error entry for that input; the others' results are unaffected.
 *
 * The worker entry is `audit-worker.js` beside this module in the build. Running from TypeScript sources
 * (tests), where it does not exist, every input is audited on the main thread.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { Worker } from "node:worker_threads";
import type { BridgeguardConfig } from "../config/types";
import { evaluate } from "../engine/pipeline";
import { inputName, loadAuditInput, loadDocument, locateRefs, parseJsonBytes, readBytesWithin, STDIN, withoutBom, type LoadedInput, type LoadOptions } from "../input";
import { countAll, heapLimitMb, mainThreadMemory, worstAuditMemory, worstCountedMemory, WORST_MEMORY_PER_TEXT_BYTE } from "../input/value-budget";
import { isUserError, UserError } from "../model/errors";
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

/**
 * Audits an input's bytes named `name`: a stack's state fetched from a backend (a checkpoint or an export,
 * decompressed; `project/stack`), or a file's contents (`counted`: their `countAll`, when known). Never throws.
 */
export function auditInputBytes(name: string, bytes: Buffer, config: BridgeguardConfig, read: LoadOptions = {}, counted?: number): FileAudit {
  try {
    if (read.maxBytes !== undefined && bytes.length > read.maxBytes) throw new UserError(`${name}: the state is larger than --max-input-size`, name);
    const shown = inputName(name);
    return auditLoaded(name, loadDocument(parseJsonBytes(shown, bytes, counted), shown, read), config);
  } catch (error) {
    return auditFailure(name, error);
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

/** The worker entry in the build: `audit-worker.js` beside this module. */
export const WORKER_SCRIPT = path.join(__dirname, "audit-worker.js");

/** Node's error when a worker reaches its heap limit (the worker ends; the process lives on). */
function isOutOfMemory(error: unknown): boolean {
  return (error as { code?: unknown } | undefined)?.code === "ERR_WORKER_OUT_OF_MEMORY";
}

/**
 * The error line of an input whose audit ran out of memory: the heap limit every thread has (Node's default
 * for this machine, or `--max-old-space-size`), and the two ways out.
 */
export function outOfMemoryMessage(file: string): string {
  return (
    `${file}: out of memory: auditing it needs more than the ${heapLimitMb()} MB heap limit ` +
    "(raise it with NODE_OPTIONS=--max-old-space-size=<MB>, or audit fewer files at once with --jobs; docs/hostile-input.md gives the memory an audit needs)"
  );
}

/** Inputs handed to a worker before it has answered, with `--jobs` above 1: one in work, one waiting. */
const IN_FLIGHT_PER_WORKER = 2;

/**
 * Stacks fetched ahead of the workers: backends answer faster several at a time (a network round trip
 * each), and at most this many stacks' bytes, plus those in work, are held at once.
 */
const STACKS_FETCHED_AHEAD = 4;

/** One input of a run: a file (read where it is audited), or a backend's stack (fetched by the main thread). */
export type AuditSource = { kind: "file"; file: string } | { kind: "stack"; name: string; read: () => Promise<Buffer> };

/**
 * What a worker is handed: a file's name, or an input's bytes (`buffer`, transferred: the main thread no
 * longer has it): a stack's, or a file's the main thread read but found too costly to parse itself.
 */
export type TaskInput = { kind: "file"; file: string } | { kind: "bytes"; name: string; buffer: ArrayBuffer; offset: number; length: number };

export interface PoolOptions {
  jobs: number;
  /** How inputs are read (`--max-input-size`, `--state`). */
  read?: LoadOptions;
  /** The worker entry; default `WORKER_SCRIPT`. */
  workerScript?: string;
}

/** Messages from the main thread to a worker: the configuration once, then one task per input. */
export type WorkerRequest = { kind: "config"; config: BridgeguardConfig; read?: LoadOptions } | { kind: "task"; index: number; input: TaskInput };
/** A worker's answer to a task. */
export interface AuditAnswer {
  index: number;
  result: FileAudit;
}

/** Audits one task's input (on a worker thread); never throws. */
export function auditTask(input: TaskInput, config: BridgeguardConfig, read: LoadOptions): FileAudit {
  return input.kind === "file"
    ? auditOneFile(input.file, config, read)
    : auditInputBytes(input.name, Buffer.from(input.buffer, input.offset, input.length), config, read);
}

/** Started before the configuration is known, so that the workers load the engine while the main thread reads it. */
export interface AuditPool {
  /** Audits the pool's inputs with `config`; results in input order. Call once. */
  audit(config: BridgeguardConfig): Promise<FileAudit[]>;
  /** Stops the workers (also when `audit` was never called). */
  close(): void;
  /** Worker threads started so far: 0 when every input was audited on the main thread. */
  readonly workersStarted: number;
}

/** Files as pool inputs. */
export function fileSources(files: readonly string[]): AuditSource[] {
  return files.map((file) => ({ kind: "file", file }));
}

/**
 * Starts auditing `sources` (see the module comment) with up to `jobs` worker threads; workers are started
 * at once when they will be needed (more than one input and `--jobs` above 1, or an input too large for the
 * main thread), else when an input turns out to need one.
 */
export function startAuditPool(sources: readonly AuditSource[], options: PoolOptions): AuditPool {
  return new Pool(sources, options);
}

/** Audits `sources` (see `startAuditPool`); results in input order. */
export async function auditSources(sources: readonly AuditSource[], config: BridgeguardConfig, options: PoolOptions): Promise<FileAudit[]> {
  const pool = startAuditPool(sources, options);
  try {
    return await pool.audit(config);
  } finally {
    pool.close();
  }
}

/** Audits `files` (see `startAuditPool`); results in input order. */
export function auditFiles(files: readonly string[], config: BridgeguardConfig, options: PoolOptions): Promise<FileAudit[]> {
  return auditSources(fileSources(files), config, options);
}

/** An input ready to be audited: a file's name, or an input's bytes (a stack's, fetched; a file's, read). */
type Ready = { index: number; kind: "file"; file: string } | { index: number; kind: "bytes"; name: string; bytes: Buffer };

/**
 * An input's bytes as a worker task. Their memory is transferred: a backend's `read` and a file read hand
 * over a buffer no one else holds. Only a buffer small enough to come from Node's shared pool (which other
 * buffers use) is copied into one of its own (a few KiB at most).
 */
function bytesTask(ready: Extract<Ready, { kind: "bytes" }>): { input: TaskInput; transfer: ArrayBuffer[] } {
  const bytes: Uint8Array = ready.bytes.length < Buffer.poolSize ? new Uint8Array(ready.bytes) : ready.bytes;
  const buffer = bytes.buffer as ArrayBuffer;
  return { input: { kind: "bytes", name: ready.name, buffer, offset: bytes.byteOffset, length: bytes.length }, transfer: [buffer] };
}

/** The size of a file as it says, for where to audit it; undefined for standard input and what cannot be stat'ed. */
function statedSize(file: string): number | undefined {
  if (file === STDIN) return undefined;
  try {
    const stat = fs.statSync(file);
    return stat.isFile() ? stat.size : undefined;
  } catch {
    return undefined;
  }
}

class Pool implements AuditPool {
  private readonly results: (FileAudit | undefined)[];
  private done = 0;
  /** The next source not yet prepared (a file named, a stack fetched). */
  private next = 0;
  /** Sources to prepare again: what a lost worker had been handed but not started. */
  private readonly again: number[] = [];
  /** Prepared inputs, in input order, not yet handed out. */
  private readonly ready: Ready[] = [];
  /** Inputs being prepared, ready or in work: held against `maxHeld`. */
  private held = 0;
  private readonly maxHeld: number;
  /** Worker threads allowed (1 when inputs are audited one at a time). */
  private readonly lanes: number;
  /** True when every input goes to a worker (`--jobs` above 1 and more than one input). */
  private readonly parallel: boolean;
  private readonly script: string | undefined;
  private readonly read: LoadOptions;
  private readonly workers = new Set<Worker>();
  private readonly inFlight = new Map<Worker, Map<number, string>>();
  private started = 0;
  private config: BridgeguardConfig | undefined;
  private resolve: (results: FileAudit[]) => void = () => undefined;
  private reject: (error: unknown) => void = () => undefined;
  private finished = false;

  constructor(
    private readonly sources: readonly AuditSource[],
    options: PoolOptions,
  ) {
    this.results = new Array<FileAudit | undefined>(sources.length);
    this.read = options.read ?? {};
    const script = options.workerScript ?? WORKER_SCRIPT;
    this.script = fs.existsSync(script) ? script : undefined;
    this.lanes = Math.max(1, Math.min(Math.floor(options.jobs), sources.length));
    this.parallel = this.script !== undefined && this.lanes > 1;
    this.maxHeld = this.lanes * IN_FLIGHT_PER_WORKER + STACKS_FETCHED_AHEAD;
    // Workers that will be needed start now, loading the engine while the main thread reads the configuration.
    const needed = this.parallel ? this.lanes : this.script && this.sources.some((source) => this.tooLargeForMainThread(source)) ? 1 : 0;
    try {
      for (let i = 0; i < needed; i++) this.start();
    } catch (error) {
      this.close();
      throw error;
    }
  }

  get workersStarted(): number {
    return this.started;
  }

  audit(config: BridgeguardConfig): Promise<FileAudit[]> {
    return new Promise<FileAudit[]>((resolve, reject) => {
      this.resolve = resolve;
      this.reject = reject;
      this.config = config;
      if (this.sources.length === 0) {
        this.finish();
        return;
      }
      for (const worker of this.workers) this.configure(worker);
      // Every worker may have died while starting; keep the pool at strength.
      if (this.parallel && this.workers.size === 0) this.restart();
      this.pump();
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

  /**
   * The memory the worst case of an input audited here may take (`mainThreadMemory`, less the worst case
   * of a preview's `--state`, read on the same thread): unbounded without workers to turn to.
   */
  private memory(): number {
    if (!this.script) return Infinity;
    let memory = mainThreadMemory();
    if (this.read.state !== undefined) {
      const state = statedSize(this.read.state);
      memory = state === undefined ? 0 : memory - worstAuditMemory(state);
    }
    return Math.max(0, memory);
  }

  /**
   * Known before reading it: standard input (it cannot be read twice), or a file that says it is larger than
   * any file whose worst case fits `memory` (its bytes alone take `WORST_MEMORY_PER_TEXT_BYTE` each).
   */
  private tooLargeForMainThread(source: AuditSource): boolean {
    if (source.kind !== "file") return false;
    const size = statedSize(source.file);
    return source.file === STDIN || (size !== undefined && size > this.largestReadHere());
  }

  private largestReadHere(): number {
    return Math.floor(this.memory() / WORST_MEMORY_PER_TEXT_BYTE);
  }

  private start(): Worker {
    const worker = new Worker(this.script!);
    this.started++;
    this.workers.add(worker);
    this.inFlight.set(worker, new Map());
    worker.on("message", (answer: AuditAnswer) => this.answered(worker, answer));
    // A worker that dies (a crash, out of memory) takes only the input it was on down with it.
    worker.on("error", (error) => this.lost(worker, error instanceof Error ? error.message : String(error), isOutOfMemory(error)));
    worker.on("exit", (code) => this.lost(worker, `worker exited with code ${code}`));
    return worker;
  }

  private configure(worker: Worker): void {
    if (!this.config) return;
    const message: WorkerRequest = { kind: "config", config: this.config, read: this.read };
    worker.postMessage(message);
  }

  /** Prepares inputs up to `maxHeld`, hands them out, and audits on the main thread what belongs there. */
  private pump(): void {
    while (!this.finished && this.config) {
      this.prepare();
      if (this.parallel) {
        for (const worker of this.workers) this.feed(worker);
        return;
      }
      // One input at a time: on the main thread, or on the one worker.
      if (this.workers.size > 0 && [...this.inFlight.values()].some((pending) => pending.size > 0)) return;
      const next = this.ready.shift();
      if (!next) return;
      const ready = this.auditHere(next);
      if (!ready) continue;
      const worker = this.workers.values().next().value ?? this.restart();
      if (!worker) return;
      this.send(worker, ready);
    }
  }

  /** Takes sources to prepare while fewer than `maxHeld` are held: a file is ready at once, a stack once fetched. */
  private prepare(): void {
    while (this.held < this.maxHeld) {
      const index = this.again.shift() ?? (this.next < this.sources.length ? this.next++ : undefined);
      if (index === undefined) return;
      const source = this.sources[index]!;
      this.held++;
      if (source.kind === "file") {
        this.enqueue({ index, kind: "file", file: source.file });
        continue;
      }
      source.read().then(
        (bytes) => {
          if (this.finished) return;
          this.enqueue({ index, kind: "bytes", name: source.name, bytes });
          this.pump();
        },
        (error: unknown) => {
          this.record(index, auditFailure(source.name, error));
          this.pump();
        },
      );
    }
  }

  /** Adds to `ready` in input order (stacks arrive in the order their fetches end). */
  private enqueue(ready: Ready): void {
    let at = this.ready.length;
    while (at > 0 && this.ready[at - 1]!.index > ready.index) at--;
    this.ready.splice(at, 0, ready);
  }

  /**
   * Audits `ready` on the main thread when its worst case fits the heap there; else returns what to hand a
   * worker. A file that may fit is read here and its values counted: its worst case is then known
   * (`worstCountedMemory`), and when it does not fit, its bytes go to the worker instead of its name.
   */
  private auditHere(ready: Ready): Ready | undefined {
    const memory = this.memory();
    if (memory <= 0) return ready;
    let held: Extract<Ready, { kind: "bytes" }>;
    if (ready.kind === "bytes") {
      held = ready;
    } else {
      let bytes: Buffer | undefined;
      try {
        bytes = readBytesWithin(ready.file, this.read, this.largestReadHere());
      } catch (error) {
        this.record(ready.index, auditFailure(ready.file, error));
        return undefined;
      }
      if (!bytes) return ready;
      held = { index: ready.index, kind: "bytes", name: ready.file, bytes };
    }
    // Counted once: the same count decides where, and is the value limit's first pass when parsed here.
    const values = countAll(withoutBom(held.bytes));
    if (worstCountedMemory(held.bytes.length, values) > memory) return held;
    this.record(held.index, auditInputBytes(held.name, held.bytes, this.config!, this.read, values));
    return undefined;
  }

  private startConfigured(): Worker {
    const worker = this.start();
    this.configure(worker);
    return worker;
  }

  private send(worker: Worker, ready: Ready): void {
    this.inFlight.get(worker)!.set(ready.index, ready.kind === "file" ? ready.file : ready.name);
    if (ready.kind === "file") {
      const task: WorkerRequest = { kind: "task", index: ready.index, input: { kind: "file", file: ready.file } };
      worker.postMessage(task);
    } else {
      const { input, transfer } = bytesTask(ready);
      const task: WorkerRequest = { kind: "task", index: ready.index, input };
      worker.postMessage(task, transfer);
    }
  }

  private feed(worker: Worker): void {
    const pending = this.inFlight.get(worker);
    if (!pending || this.finished) return;
    // Near the end, one input at a time: a second one queued here could wait while another worker idles.
    const remaining = this.sources.length - this.done - [...this.inFlight.values()].reduce((sum, p) => sum + p.size, 0);
    const depth = remaining > this.workers.size ? IN_FLIGHT_PER_WORKER : 1;
    while (pending.size < depth) {
      const ready = this.ready.shift();
      if (!ready) break;
      this.send(worker, ready);
    }
  }

  private answered(worker: Worker, answer: AuditAnswer): void {
    this.inFlight.get(worker)?.delete(answer.index);
    this.record(answer.index, answer.result);
    this.pump();
  }

  private record(index: number, result: FileAudit): void {
    if (this.results[index] !== undefined || this.finished) return;
    this.results[index] = result;
    this.held--;
    this.done++;
    if (this.done === this.sources.length) this.finish();
  }

  private finish(): void {
    this.close();
    this.resolve(this.results as FileAudit[]);
  }

  private lost(worker: Worker, reason: string, outOfMemory = false): void {
    const pending = this.inFlight.get(worker);
    if (!pending) return;
    this.inFlight.delete(worker);
    this.workers.delete(worker);
    if (this.finished) return;
    // A worker works on the oldest input it was handed: that one is blamed, the others are prepared again
    // (a stack's bytes went with the worker: it is fetched again) and go to another worker.
    const [blamed, ...waiting] = [...pending.keys()].sort((a, b) => a - b);
    this.held -= waiting.length;
    this.again.push(...waiting);
    if (blamed !== undefined) {
      const name = inputName(pending.get(blamed)!);
      this.record(blamed, { file: pending.get(blamed)!, ok: false, error: outOfMemory ? outOfMemoryMessage(name) : `${name}: internal error: ${reason}` });
    }
    if (this.finished) return;
    // Keep the pool at strength while inputs remain (each restart follows a blamed input, so this ends).
    if (this.parallel && this.done < this.sources.length) this.restart();
    this.pump();
  }

  /** Starts a configured worker; a worker that cannot start fails the whole audit (the pool is closed). */
  private restart(): Worker | undefined {
    if (!this.config) return undefined;
    try {
      return this.startConfigured();
    } catch (error) {
      this.close();
      this.reject(error);
      return undefined;
    }
  }
}
