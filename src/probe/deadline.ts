/**
 * Deadlines. Every stage of every probe runs under `withDeadline`: its own timer, plus the run's
 * signal (the whole-run `--timeout`, Ctrl-C). A stage gets an AbortSignal and must release what it
 * holds (destroy its socket) when the signal aborts; `withDeadline` settles at the deadline whether or
 * not the stage cooperated, so a server that accepts and never answers costs one deadline, never a hang.
 */

import { formatDuration } from "../model/observations";

/** Why a run-level signal aborted. */
export type AbortReason = "run-deadline" | "interrupted";

/** A stage's own deadline passed. */
export class StageTimeoutError extends Error {
  constructor(readonly ms: number) {
    super(`no answer within ${formatDuration(ms)}`);
    this.name = "StageTimeoutError";
  }
}

/** The run's signal aborted (whole-run deadline or Ctrl-C) while the stage was running. */
export class RunAbortedError extends Error {
  constructor(readonly reason: AbortReason) {
    super(reason === "interrupted" ? "interrupted" : "whole-run deadline reached");
    this.name = "RunAbortedError";
  }
}

/** The reason a run signal was aborted with (`controller.abort("interrupted")`). */
export function abortReasonOf(signal: AbortSignal): AbortReason {
  return signal.reason === "interrupted" ? "interrupted" : "run-deadline";
}

/**
 * Runs `stage` with a deadline of `ms` and the run's `signal`. Rejects with `StageTimeoutError` at the
 * deadline and `RunAbortedError` when `signal` aborts; either way the stage's own signal aborts first,
 * so that it closes its sockets.
 */
export function withDeadline<T>(
  ms: number,
  signal: AbortSignal | undefined,
  stage: (signal: AbortSignal) => Promise<T>,
  /** Releases a value the stage produced after the deadline had already settled (a late socket). */
  dispose?: (value: T) => void,
): Promise<T> {
  if (signal?.aborted) return Promise.reject(new RunAbortedError(abortReasonOf(signal)));
  const controller = new AbortController();
  return new Promise<T>((resolve, reject) => {
    let settled = false;
    const finish = (settle: () => void) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      signal?.removeEventListener("abort", onRunAbort);
      settle();
    };
    const fail = (error: Error) =>
      finish(() => {
        controller.abort(error);
        reject(error);
      });
    const onRunAbort = () => fail(new RunAbortedError(abortReasonOf(signal!)));
    const timer = setTimeout(() => fail(new StageTimeoutError(ms)), ms);
    signal?.addEventListener("abort", onRunAbort, { once: true });
    let running: Promise<T>;
    try {
      running = stage(controller.signal);
    } catch (error) {
      running = Promise.reject(error);
    }
    running.then(
      (value) => {
        if (settled) dispose?.(value);
        else finish(() => resolve(value));
      },
      (error: unknown) => finish(() => reject(error instanceof Error ? error : new Error(String(error)))),
    );
  });
}

/** Calls `onAbort` once when `signal` aborts (at once if it already has); returns the unsubscribe. */
export function onAbort(signal: AbortSignal, onAbortFn: () => void): () => void {
  if (signal.aborted) {
    onAbortFn();
    return () => undefined;
  }
  signal.addEventListener("abort", onAbortFn, { once: true });
  return () => signal.removeEventListener("abort", onAbortFn);
}

const UNITS: Record<string, number> = { ms: 1, s: 1000, m: 60_000 };

/**
 * The longest delay a Node timer takes: a larger one overflows and fires after 1 ms (Node prints a
 * TimeoutOverflowWarning), so a deadline above it would end every stage at once.
 * https://nodejs.org/api/timers.html#settimeoutcallback-delay-args
 */
export const MAX_TIMER_MS = 2 ** 31 - 1;

/**
 * `500ms`, `20s`, `2m`, `1.5s` as milliseconds; undefined when malformed. A bare number is seconds
 * (`--timeout 20`), as in curl's `--max-time`.
 */
export function parseDuration(text: string): number | undefined {
  const match = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|m)?\s*$/i.exec(text);
  if (!match) return undefined;
  const value = Number(match[1]) * UNITS[(match[2] ?? "s").toLowerCase()]!;
  return Number.isFinite(value) && value > 0 ? Math.round(value) : undefined;
}

