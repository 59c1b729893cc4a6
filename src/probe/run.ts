/**
 * One probe run: every target concurrently (at most `concurrency` at a time), the time server beside
 * them, each stage under its own deadline and the whole run under one (`--timeout`). An external signal
 * (Ctrl-C) stops the run the same way: in-flight probes end at once as "not tested: interrupted", the
 * ones not started as "not tested", and what was measured is returned. Results are reported through
 * `onResult` as they arrive, for a progress display.
 */
import { setMaxListeners } from "node:events";
import * as os from "node:os";
import type { CloudName } from "../catalog/clouds";
import { RunAbortedError, StageTimeoutError, withDeadline, type AbortReason } from "./deadline";
import { DnsError, resolveName } from "./dns";
import { probeEndpoint } from "./endpoint";
import type { EndpointObservation, ProbeObservations, Stage, TimeObservation } from "../model/observations";
import { formatDuration } from "../model/observations";
import { hostPort } from "../model/observations";
import type { PlannedTarget, TargetPlan } from "./targets";
import { SystemResolver } from "./system-resolver";
import { sntpQuery, TimeServerSilentError, unsynchronised, type TimeServer } from "./time";
import type { TrustAnchors } from "./tls";

export interface ProbeRunOptions {
  cloud: CloudName;
  plan: TargetPlan;
  /** The deployment's DNS servers (`ip` or `ip:port`); empty: the system resolver. */
  dnsServers: readonly string[];
  trust: TrustAnchors;
  /** Whether the run tests time at all (filters may leave it out). */
  testTime: boolean;
  timeServer?: TimeServer;
  stageTimeoutMs: number;
  runTimeoutMs: number;
  concurrency: number;
  /** Aborting it interrupts the run (Ctrl-C). */
  signal?: AbortSignal;
  onResult?: (observation: EndpointObservation) => void;
  onTime?: (observation: TimeObservation) => void;
  /** Called as a stage of `target` starts (a live display of what is being waited on). */
  onStage?: (target: PlannedTarget, stage: Stage) => void;
  /** Defaults to whether `os.networkInterfaces()` lists a non-internal interface. */
  hasExternalInterface?: boolean;
  now?: () => number;
}

export function hasExternalInterface(): boolean {
  return Object.values(os.networkInterfaces()).some((list) => (list ?? []).some((i) => !i.internal));
}

function notStarted(target: PlannedTarget, reason: AbortReason): EndpointObservation {
  const { proxy: _proxy, ...info } = target;
  return {
    target: info,
    outcome: {
      kind: "not-tested",
      reason,
      detail: reason === "interrupted" ? "interrupted (Ctrl-C) before its probe started" : "the whole-run deadline passed before its probe started",
    },
    stages: [],
    ms: 0,
  };
}

async function probeTime(options: ProbeRunOptions, signal: AbortSignal, now: () => number, system: SystemResolver | undefined): Promise<TimeObservation> {
  const server = options.timeServer!;
  const started = now();
  const base = { server: server.text, host: server.host, port: server.port };
  const done = (outcome: TimeObservation["outcome"]): TimeObservation => ({ ...base, outcome, ms: now() - started });
  try {
    const resolved = await withDeadline(options.stageTimeoutMs, signal, (s) => resolveName(server.host, { servers: options.dnsServers, timeoutMs: options.stageTimeoutMs, signal: s, system }));
    const address = resolved.addresses[0]!;
    const answer = await withDeadline(options.stageTimeoutMs, signal, (s) => sntpQuery(address, server.port, s, now));
    const why = unsynchronised(answer);
    if (why) return done({ kind: "unsynchronised", detail: `the time server ${hostPort(server.host, server.port)} says it is not synchronised: ${why}`, leap: answer.leap, stratum: answer.stratum });
    const { leap: _leap, ...measured } = answer;
    return done({ kind: "answered", ...measured });
  } catch (error) {
    if (error instanceof RunAbortedError) {
      return done({ kind: "not-tested", reason: error.reason, detail: error.reason === "interrupted" ? "interrupted (Ctrl-C)" : "the whole-run deadline passed first" });
    }
    if (error instanceof StageTimeoutError) {
      return done({ kind: "silent", detail: `no SNTP answer from ${hostPort(server.host, server.port)} within ${formatDuration(error.ms)} (UDP ${server.port})` });
    }
    if (error instanceof DnsError) return done({ kind: "silent", detail: `the time server's name does not resolve: ${error.message}` });
    if (error instanceof TimeServerSilentError) return done({ kind: "silent", detail: error.message });
    return done({ kind: "silent", detail: (error as Error).message });
  }
}

/** Runs the probe. Never rejects for anything the network does. */
export async function runProbe(options: ProbeRunOptions): Promise<ProbeObservations> {
  const now = options.now ?? Date.now;
  const startedAt = now();
  const controller = new AbortController();
  // Every in-flight stage listens on the run's signal: up to a few per concurrent endpoint.
  setMaxListeners(Math.max(10, options.concurrency * 4 + 10), controller.signal);
  const deadline = setTimeout(() => controller.abort("run-deadline"), options.runTimeoutMs);
  const onInterrupt = () => controller.abort("interrupted");
  if (options.signal?.aborted) onInterrupt();
  else options.signal?.addEventListener("abort", onInterrupt, { once: true });
  const external = options.hasExternalInterface ?? hasExternalInterface();
  // Killed at the end of the run: a lookup the deadline gave up on never outlives it.
  const system = options.dnsServers.length === 0 ? new SystemResolver(options.concurrency + 1) : undefined;

  for (const observation of options.plan.untested) options.onResult?.(observation);

  const targets = options.plan.targets;
  const results: EndpointObservation[] = new Array(targets.length);
  let next = 0;
  const worker = async () => {
    for (;;) {
      const index = next++;
      if (index >= targets.length) return;
      const target = targets[index]!;
      const observation = controller.signal.aborted
        ? notStarted(target, controller.signal.reason === "interrupted" ? "interrupted" : "run-deadline")
        : await probeEndpoint(target, {
            dnsServers: options.dnsServers,
            trust: options.trust,
            stageTimeoutMs: options.stageTimeoutMs,
            signal: controller.signal,
            hasExternalInterface: external,
            systemResolver: system,
            onStage: options.onStage ? (stage) => options.onStage!(target, stage) : undefined,
            now,
          });
      results[index] = observation;
      options.onResult?.(observation);
    }
  };

  let time: Promise<TimeObservation | undefined> = Promise.resolve(undefined);
  if (options.testTime) {
    time = options.timeServer
      ? probeTime(options, controller.signal, now, system)
      : Promise.resolve({
          server: "(none)",
          host: "",
          port: 123,
          outcome: { kind: "not-tested", reason: "no-time-server", detail: "no time server given (--time-server or timeServer in the config)" },
          ms: 0,
        } satisfies TimeObservation);
    time = time.then((t) => {
      if (t) options.onTime?.(t);
      return t;
    });
  }

  try {
    const workers = Array.from({ length: Math.max(1, Math.min(options.concurrency, targets.length)) }, worker);
    const [timeObservation] = await Promise.all([time, ...workers]);
    const proxied = targets.find((t) => t.proxy)?.proxy;
    const cut = results.some((r) => r.outcome.kind === "not-tested" && (r.outcome.reason === "interrupted" || r.outcome.reason === "run-deadline")) ||
      (timeObservation?.outcome.kind === "not-tested" && timeObservation.outcome.reason !== "no-time-server");
    const reason = controller.signal.aborted && cut ? (controller.signal.reason === "interrupted" ? "interrupted" : "run-deadline") : undefined;
    return {
      cloud: options.cloud,
      endpoints: [...options.plan.untested, ...results],
      ...(timeObservation ? { time: timeObservation } : {}),
      ...(proxied ? { proxy: { url: proxied.url, source: proxied.source, host: proxied.host, port: proxied.port } } : {}),
      trust: options.trust.description,
      ...(reason ? { interrupted: reason } : {}),
      startedAt,
      ms: now() - startedAt,
    };
  } finally {
    system?.close();
    clearTimeout(deadline);
    options.signal?.removeEventListener("abort", onInterrupt);
  }
}
