/**
 * The progress display: one line per endpoint as its result arrives (stage reached, time per stage,
 * verdict). Written to stderr on a TTY only, so that a report on stdout stays clean. Built from
 * observations, which hold no secret.
 */
import { printable } from "../report/text";
import { classifyFailure, classifySkew, NOT_TESTED, TIME_SERVER_SILENT } from "../rules/probe/classify";
import { formatDuration } from "../model/observations";
import { hostPort, type EndpointObservation, type TimeObservation } from "../model/observations";

const ANSI = { red: "\u001b[31m", yellow: "\u001b[33m", green: "\u001b[32m", dim: "\u001b[2m", reset: "\u001b[0m" } as const;

/** Untrusted text as one printable line: control characters (escape sequences included) shown as `\xNN`. */
function oneLine(text: string): string {
  return printable(text).replace(/\n/g, " ");
}

function paint(color: boolean, code: keyof typeof ANSI, text: string): string {
  return color ? `${ANSI[code]}${text}${ANSI.reset}` : text;
}

function stages(observation: EndpointObservation): string {
  return observation.stages
    .filter((s) => s.status !== "skipped")
    .map((s) => `${s.stage} ${s.status === "ok" ? formatDuration(s.ms) : s.status === "timeout" ? `timeout ${formatDuration(s.ms)}` : `${s.status} ${formatDuration(s.ms)}`}`)
    .join("  ");
}

/** `  ok    login.microsoftonline.com:443   dns 3 ms  tcp 20 ms  tls 45 ms  http 120 ms   HTTP 200`. */
export function progressLine(observation: EndpointObservation, color: boolean): string {
  const where = hostPort(observation.target.host, observation.target.port).padEnd(40);
  const outcome = observation.outcome;
  let label: string;
  let verdict: string;
  if (outcome.kind === "reachable") {
    label = paint(color, "green", "ok   ");
    verdict = outcome.detail;
  } else if (outcome.kind === "failed") {
    const classes = observation.target.endpoints.map((e) => classifyFailure(outcome.failure, e));
    const worst = classes.find((c) => c.severity === "error") ?? classes[0]!;
    label = paint(color, worst.severity === "error" ? "red" : "yellow", worst.severity === "error" ? "FAIL " : "warn ");
    verdict = `${[...new Set(classes.map((c) => c.code))].join("/")} at ${outcome.stage}: ${outcome.detail}`;
  } else {
    label = paint(color, "yellow", "skip ");
    verdict = `not tested (${NOT_TESTED.rule}): ${outcome.detail}`;
  }
  const timing = printable(stages(observation));
  // Escape what came from outside (names, what a server said) first, then colour: escaping the finished line
  // would print the colour codes as text.
  return `  ${label} ${printable(where)} ${timing ? `${paint(color, "dim", timing)}   ` : ""}${oneLine(verdict)}`;
}

export function timeProgressLine(time: TimeObservation, color: boolean): string {
  const where = `time ${time.host ? hostPort(time.host, time.port) : "(no time server)"}`.padEnd(40);
  const outcome = time.outcome;
  if (outcome.kind === "answered") {
    const severity = classifySkew(outcome.offsetMs);
    const label = severity === "error" ? paint(color, "red", "FAIL ") : severity === "warning" ? paint(color, "yellow", "warn ") : paint(color, "green", "ok   ");
    const sign = outcome.offsetMs >= 0 ? "+" : "";
    return `  ${label} ${printable(where)} ${paint(color, "dim", `sntp ${formatDuration(time.ms)}`)}   offset ${sign}${(outcome.offsetMs / 1000).toFixed(1)} s`;
  }
  if (outcome.kind === "unsynchronised") return `  ${paint(color, "yellow", "warn ")} ${printable(where)} ${TIME_SERVER_SILENT.code}: ${oneLine(outcome.detail)}`;
  if (outcome.kind === "silent") return `  ${paint(color, "yellow", "warn ")} ${printable(where)} ${TIME_SERVER_SILENT.code}: ${oneLine(outcome.detail)}`;
  return `  ${paint(color, "yellow", "skip ")} ${printable(where)} not tested: ${oneLine(outcome.detail)}`;
}

/** Where the live status line is written: a terminal. */
export interface StatusStream {
  write(text: string): unknown;
  columns?: number;
}

/**
 * The live status line on a terminal while stages wait: the run's elapsed time and what each endpoint in
 * flight is waiting on, redrawn every half second in place (carriage return, erase line), and cleared
 * before each result line so that results scroll above it.
 */
export class LiveStatus {
  readonly #inFlight = new Map<string, { stage: string; since: number }>();
  readonly #started: number;
  #timer: NodeJS.Timeout | undefined;
  #shown = false;

  constructor(
    private readonly stream: StatusStream,
    private readonly deadlineMs: number,
    private readonly now: () => number = Date.now,
  ) {
    this.#started = now();
  }

  start(): void {
    // Unref'd: the status line never keeps the process alive.
    this.#timer = setInterval(() => this.#draw(), 500);
    this.#timer.unref();
  }

  /** `where` started `stage`. */
  stage(where: string, stage: string): void {
    this.#inFlight.set(where, { stage, since: this.now() });
  }

  /** Writes a result line above the status line; `where` is no longer in flight. */
  result(where: string | undefined, line: string): void {
    if (where !== undefined) this.#inFlight.delete(where);
    this.#clear();
    this.stream.write(`${line}\n`);
    this.#draw();
  }

  stop(): void {
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = undefined;
    this.#clear();
  }

  /** The status text (no escape codes), cut to the terminal's width. */
  text(): string {
    const elapsed = `${formatDuration(this.now() - this.#started)} of ${formatDuration(this.deadlineMs)}`;
    const waiting = [...this.#inFlight].map(([where, s]) => `${where} ${s.stage} ${formatDuration(this.now() - s.since)}`);
    const line = `  ... ${elapsed}: waiting on ${waiting.length} (${waiting.join(", ")})`;
    // A pseudo-terminal with no size set reports 0 columns: 80, as for a terminal that says nothing.
    const columns = this.stream.columns !== undefined && this.stream.columns > 0 ? this.stream.columns : 80;
    const width = Math.max(20, columns - 1);
    return printable(line.length > width ? `${line.slice(0, width - 3)}...` : line);
  }

  #draw(): void {
    if (!this.#timer || this.#inFlight.size === 0) return;
    this.stream.write(`\r\u001b[2K${this.text()}`);
    this.#shown = true;
  }

  #clear(): void {
    if (this.#shown) this.stream.write("\r\u001b[2K");
    this.#shown = false;
  }
}
