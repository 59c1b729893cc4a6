/**
 * The system resolver (getaddrinfo: hosts file, search domains, the resolver the bridge's own process
 * would use), asked in a child process that can be killed. In this process, `dns.lookup` runs
 * getaddrinfo on libuv's thread pool, where a started lookup cannot be cancelled and the pool (4
 * threads) queues the rest: with a silent DNS server, every lookup waits out the resolver's own
 * timeouts (about 10 s each in turn), and Node's exit waits for the pool to drain (about a minute for
 * the catalog). A child's lookups end when it is killed, so a deadline is a deadline.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { promises as dns } from "node:dns";
import { onAbort } from "./deadline";

/** The child: one JSON request per line in (`{id, name}`), one answer per line out. */
const CHILD = `
const dns = require("node:dns");
let buffer = "";
process.stdin.setEncoding("utf8");
process.stdin.on("data", (chunk) => {
  buffer += chunk;
  let newline;
  while ((newline = buffer.indexOf("\\n")) >= 0) {
    const { id, name } = JSON.parse(buffer.slice(0, newline));
    buffer = buffer.slice(newline + 1);
    dns.lookup(name, { all: true }, (error, results) => {
      process.stdout.write(JSON.stringify(error ? { id, code: error.code || "EUNKNOWN" } : { id, addresses: results.map((r) => r.address) }) + "\\n");
    });
  }
});
process.stdin.on("end", () => process.exit(0));
`;

/** A getaddrinfo failure, with its code (`ENOTFOUND`, `EAI_AGAIN`). */
export class LookupError extends Error {
  constructor(readonly code: string) {
    super(`getaddrinfo ${code}`);
    this.name = "LookupError";
  }
}

export class SystemResolver {
  #child: ChildProcess | undefined;
  #failed = false;
  #closed = false;
  #next = 0;
  readonly #pending = new Map<number, { resolve: (addresses: string[]) => void; reject: (error: Error) => void }>();

  constructor(
    /** Lookups that may run at once (the child's thread pool size). */
    private readonly parallel: number,
  ) {}

  #start(): ChildProcess | undefined {
    if (this.#child || this.#failed) return this.#child;
    try {
      const child = spawn(process.execPath, ["-e", CHILD], {
        stdio: ["pipe", "pipe", "ignore"],
        env: { ...process.env, UV_THREADPOOL_SIZE: String(Math.min(128, Math.max(4, this.parallel))) },
      });
      let buffer = "";
      child.stdout!.setEncoding("utf8");
      child.stdout!.on("data", (chunk: string) => {
        buffer += chunk;
        let newline: number;
        while ((newline = buffer.indexOf("\n")) >= 0) {
          const answer = JSON.parse(buffer.slice(0, newline)) as { id: number; code?: string; addresses?: string[] };
          buffer = buffer.slice(newline + 1);
          const waiting = this.#pending.get(answer.id);
          this.#pending.delete(answer.id);
          if (answer.addresses) waiting?.resolve(answer.addresses);
          else waiting?.reject(new LookupError(answer.code ?? "EUNKNOWN"));
        }
      });
      const gone = () => {
        this.#failed = true;
        this.#child = undefined;
        for (const waiting of this.#pending.values()) waiting.reject(new LookupError("EAI_SYSTEM"));
        this.#pending.clear();
      };
      child.on("error", gone);
      child.on("exit", gone);
      child.stdin!.on("error", () => undefined);
      this.#child = child;
    } catch {
      this.#failed = true;
    }
    return this.#child;
  }

  /** Addresses for `name`; rejects with `LookupError`. Settles at once when `signal` aborts. */
  lookup(name: string, signal: AbortSignal): Promise<string[]> {
    if (this.#closed) return Promise.reject(new LookupError("ECANCELLED"));
    const child = this.#start();
    // No child (spawn refused): getaddrinfo in this process, still bounded by the caller's deadline.
    if (!child) return dns.lookup(name, { all: true }).then((results) => results.map((r) => r.address));
    const id = this.#next++;
    return new Promise<string[]>((resolve, reject) => {
      const stop = onAbort(signal, () => {
        this.#pending.delete(id);
        reject(new LookupError("ECANCELLED"));
      });
      this.#pending.set(id, {
        resolve: (addresses) => (stop(), resolve(addresses)),
        reject: (error) => (stop(), reject(error)),
      });
      child.stdin!.write(`${JSON.stringify({ id, name })}\n`);
    });
  }

  /** Ends the child and every lookup it still holds. */
  close(): void {
    const child = this.#child;
    this.#child = undefined;
    this.#closed = true;
    if (child && child.exitCode === null) child.kill("SIGKILL");
    for (const waiting of this.#pending.values()) waiting.reject(new LookupError("ECANCELLED"));
    this.#pending.clear();
  }
}
