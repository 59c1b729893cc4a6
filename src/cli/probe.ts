import { Option, type Command } from "commander";
import type { CloudName } from "../catalog/clouds";
import type { EndpointPurpose } from "../catalog/endpoints";
import { loadConfig } from "../engine/config";
import { FAIL_ON } from "../engine/gate";
import { runPipeline } from "../engine/pipeline";
import type { FailOn } from "../config/types";
import { formatBytes, readBounded } from "../input/json";
import { UserError } from "../model/errors";
import { stderrLine } from "../model/terminal-safe";
import { describeIoError } from "../model/io-error";
import { parseConnectTo } from "../probe/connect-to";
import { formatDuration } from "../model/observations";
import { MAX_TIMER_MS, parseDuration } from "../probe/deadline";
import { describeResolver, isDnsServer } from "../probe/dns";
import { terminalWidth } from "./terminal";
import type { ProbeObservations } from "../model/observations";
import { hostPort } from "../model/observations";
import { LiveStatus, progressLine, timeProgressLine } from "../probe/progress";
import { ProxyEndpoint, proxyFromEnvironment } from "../probe/proxy";
import { redactText } from "../probe/redact";
import { probeResults } from "../probe/results";
import { runProbe } from "../probe/run";
import { parseHostFor, planTargets, type HostFor } from "../probe/targets";
import { parseTimeServer } from "../probe/time";
import { publicRoots, type TrustAnchors } from "../probe/tls";
import { FORMATS, renderReport, shouldUseColor, type OutputFormat } from "../report";
import { probeRuleMetas } from "../rules/probe";
import { resolveConfigFile, type ConfigFlag } from "./config-file";
import { checkOutputsAreNotInputs, type NamedInput } from "./file-identity";
import { writeOutput } from "./io";
import { cloudOption, formatOption } from "./options";

/** Where the probe command writes and how it hears Ctrl-C; tests pass their own. */
export interface ProbeIo {
  stdout: { write(text: string): unknown; isTTY?: boolean; columns?: number };
  stderr: { write(text: string): unknown; isTTY?: boolean; columns?: number };
  env: NodeJS.ProcessEnv;
  /** Calls `handler` on Ctrl-C; returns the unsubscribe. */
  onInterrupt(handler: () => void): () => void;
  /**
   * The command is over (report written, exit code set). Nothing it started may keep the process alive
   * past its deadline: the process's own io ends the process shortly after, even when the system
   * resolver still holds a lookup (getaddrinfo runs on libuv's thread pool and cannot be cancelled).
   */
  done?(): void;
  /** When the process started (ms since the epoch): `--timeout` counts from there. Default: when the command starts. */
  startedAt?: number;
}

/** What the end of a run needs before the deadline: rendering and writing the report. */
const REPORT_RESERVE_MS = 200;

/** How long a finished probe lets the event loop drain before the process ends anyway. */
const EXIT_GRACE_MS = 250;

export const PROCESS_IO: ProbeIo = {
  stdout: process.stdout,
  stderr: process.stderr,
  env: process.env,
  onInterrupt(handler) {
    process.once("SIGINT", handler);
    return () => process.removeListener("SIGINT", handler);
  },
  done() {
    // Unref'd: when nothing is pending the process ends at once, as usual; this fires only when a lookup
    // the deadline already gave up on still holds the loop. stdout and stderr writes to files, pipes and
    // terminals are synchronous on Linux, so nothing written is lost (https://nodejs.org/api/process.html#a-note-on-process-io).
    setTimeout(() => process.exit(), EXIT_GRACE_MS).unref();
  },
  // Loading the CLI takes a second on a busy machine: that counts against the deadline too.
  startedAt: performance.timeOrigin,
};

/** Exit codes of `probe`: as the CLI's, plus 130 when Ctrl-C stopped the run (what was measured is still reported). */
export const PROBE_EXIT = { ok: 0, findings: 1, usage: 2, probe: 3, interrupted: 130 } as const;

/** The largest --ca-file: the public roots are about 200 KiB. */
const MAX_CA_FILE_BYTES = 16 * 1024 * 1024;
const DEFAULT_TIMEOUT = "30s";
const DEFAULT_STAGE_TIMEOUT = "10s";
const DEFAULT_CONCURRENCY = 16;
const PURPOSES: readonly (EndpointPurpose | "time")[] = ["usage", "registration", "identity", "time"];

interface ProbeOptions {
  config?: ConfigFlag;
  cloud?: CloudName;
  timeServer?: string;
  dnsServer?: string[];
  proxy?: string;
  caFile?: string;
  connectTo?: string[];
  hostFor?: string[];
  only?: string[];
  purpose?: string[];
  timeout?: string;
  stageTimeout?: string;
  concurrency?: string;
  format: OutputFormat;
  output?: string;
  softFail?: boolean;
  failOn?: FailOn;
}

// No default value: commander would print "(default: [])" in the help.
const collect = (value: string, previous: string[] = []) => [...previous, value];
const collectList = (value: string, previous: string[] = []) => [...previous, ...value.split(",").map((v) => v.trim()).filter(Boolean)];

function usage(problem: string): UserError {
  return UserError.at(undefined, undefined, problem);
}

function duration(flag: string, text: string): number {
  const ms = parseDuration(text);
  if (ms === undefined) throw usage(`${flag} ${text}: expected a duration such as 500ms, 20s or 2m`);
  if (ms > MAX_TIMER_MS) throw usage(`${flag} ${text}: at most ${formatDuration(MAX_TIMER_MS)} (${MAX_TIMER_MS} ms, the longest timer Node.js keeps)`);
  return ms;
}

function readTrust(file: string | undefined): TrustAnchors {
  if (!file) return publicRoots();
  // Bounded like every input: a CA bundle is kilobytes, and /dev/zero would never end.
  const text = readBounded(
    file,
    MAX_CA_FILE_BYTES,
    (error) => UserError.at(file, undefined, `--ca-file: cannot read it: ${describeIoError(error)}`),
    (size) => UserError.at(file, undefined, `--ca-file: ${size === undefined ? "larger than" : `is ${formatBytes(size)}, over`} the ${formatBytes(MAX_CA_FILE_BYTES)} a certificate bundle can be`),
  ).toString("utf8");
  const pems = text.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? [];
  if (pems.length === 0) throw UserError.at(file, undefined, "--ca-file: no PEM certificate (-----BEGIN CERTIFICATE-----) in it");
  return { ca: pems, description: `--ca-file ${file} (${pems.length} certificate${pems.length === 1 ? "" : "s"}, replacing the public roots)` };
}

/** `--output` may name neither the configuration nor `--ca-file`: it would replace them with the report. */
function checkProbeFiles(output: string | undefined, configFile: string | undefined, caFile: string | undefined): void {
  if (output === undefined) return;
  const inputs: NamedInput[] = [];
  if (configFile !== undefined) inputs.push({ file: configFile, role: "--config" });
  if (caFile !== undefined) inputs.push({ file: caFile, role: "--ca-file" });
  checkOutputsAreNotInputs([{ file: output, flag: "--output" }], inputs);
}

/**
 * Why the probe could not do its job, when it could not (exit 3): this machine has no usable network,
 * or none of the DNS servers answered any query.
 */
export function probeFailure(observations: ProbeObservations, dnsServers: readonly string[]): string | undefined {
  const outcomes = observations.endpoints.map((o) => o.outcome);
  const tried = outcomes.filter((o) => !(o.kind === "not-tested" && o.reason === "wildcard-without-host"));
  if (tried.length > 0 && tried.every((o) => o.kind === "not-tested" && o.reason === "local-error")) {
    return `this machine cannot open connections: ${tried[0]!.detail}`;
  }
  const queried = observations.endpoints.filter((o) => o.stages.some((s) => s.stage === "dns" && s.status !== "skipped" && s.status !== "aborted"));
  const silent = new Set(["ETIMEOUT", "ECONNREFUSED", "EAI_AGAIN", "ECANCELLED", "ETIMEDOUT"]);
  if (
    queried.length > 0 &&
    queried.every((o) => o.outcome.kind === "failed" && o.outcome.failure === "name-not-resolved" && o.outcome.stage === "dns" && silent.has(o.outcome.errorCode ?? ""))
  ) {
    return `none of the DNS servers answered (${describeResolver(dnsServers)}): check --dns-server or dnsServers in the config, and that UDP 53 to them is open from here`;
  }
  return undefined;
}

/**
 * For the wildcard endpoints left untested, the exact options that would test them: one `--host-for` per
 * wildcard, the concrete host to be filled in (a name under the wildcard the deployment really uses). A
 * wildcard under which Microsoft's table names a host is never here: the probe tests that representative.
 */
export function wildcardHint(observations: ProbeObservations): string | undefined {
  const wildcards = [
    ...new Set(observations.endpoints.filter((o) => o.outcome.kind === "not-tested" && o.outcome.reason === "wildcard-without-host").map((o) => o.target.host)),
  ].sort();
  if (wildcards.length === 0) return undefined;
  const flags = wildcards.map((w) => `--host-for '${w}=<host>.${w.slice(2)}'`).join(" ");
  return `${wildcards.length} wildcard endpoint${wildcards.length === 1 ? " was" : "s were"} not tested (BG610); to test ${wildcards.length === 1 ? "it" : "them"}, name a host under each: ${flags}`;
}

const NOT_TESTED_WORDS: Record<string, string> = {
  "wildcard-without-host": "a wildcard without a concrete host (--host-for)",
  "run-deadline": "cut by the whole-run deadline (--timeout)",
  interrupted: "interrupted",
  "local-error": "this machine could not open a connection",
};

/**
 * Why nothing could be tested, when nothing was (exit 3): no endpoint reached a verdict and the time
 * server was not asked. "No data" is not a pass, and a run that tested nothing is never green.
 */
export function nothingTested(observations: ProbeObservations): string | undefined {
  const endpoints = observations.endpoints;
  if (endpoints.some((o) => o.outcome.kind !== "not-tested")) return undefined;
  const time = observations.time;
  if (time && time.outcome.kind !== "not-tested") return undefined;
  if (endpoints.length === 0 && !time) return undefined;
  const counts = new Map<string, number>();
  for (const o of endpoints) {
    if (o.outcome.kind !== "not-tested") continue;
    const where = o.outcome.reason === "run-deadline" || o.outcome.reason === "interrupted" ? (o.outcome.stage ? ` in the ${o.outcome.stage} stage` : " before it started") : "";
    const key = `${NOT_TESTED_WORDS[o.outcome.reason] ?? o.outcome.reason}${where}`;
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  const reasons = [...counts].sort((a, b) => b[1] - a[1]).map(([why, n]) => `${n} ${why}`);
  if (time && time.outcome.kind === "not-tested") reasons.push(`time: ${time.outcome.detail}`);
  const stuckInDns = endpoints.length > 0 && endpoints.every((o) => o.outcome.kind === "not-tested" && (o.outcome.stage === "dns" || o.outcome.reason === "wildcard-without-host"));
  const hint = stuckInDns && endpoints.some((o) => o.outcome.kind === "not-tested" && o.outcome.stage === "dns") ? "; no DNS answer came before the deadline" : "";
  return `no endpoint could be tested (${reasons.join("; ")})${hint}`;
}

/** `bridgeguard probe`: test the live network the way the bridge uses it, and name the error code. */
export function registerProbe(program: Command, setExitCode: (code: number) => void, io: ProbeIo = PROCESS_IO): void {
  program
    .command("probe")
    .description("probe the live network the way the bridge uses it (DNS, TCP, proxy, TLS, HTTP, time) and name the error code")
    .option("-c, --config <file>", "bridgeguard.yaml (cloud, timeServer, dnsServers, probe.hosts/proxy/timeout/concurrency; default: bridgeguard.yaml in the working directory or a parent up to the repository root)")
    .option("--no-config", "use no configuration file, not even a bridgeguard.yaml found in the working directory")
    .addOption(cloudOption())
    .option("--time-server <host[:port]>", "the deployment's NTP server, asked over SNTP (UDP 123 unless :port)")
    .option("--dns-server <ip[:port]>", "resolve with this DNS server instead of the system resolver (repeatable)", collect)
    .option("--proxy <url>", "probe through an explicit HTTP proxy, http://[user:password@]host:port (default: HTTPS_PROXY, honouring NO_PROXY)")
    .option("--ca-file <file>", "PEM certificates that replace the public roots as trust anchors")
    .option("--connect-to <HOST:PORT:ADDR:PORT>", "connect to ADDR:PORT instead of HOST:PORT, keeping HOST for SNI and Host (curl's convention; repeatable)", collect)
    .option("--host-for <wildcard=host>", "a concrete host to test for a wildcard endpoint, e.g. '*.trafficmanager.net=<host>' (repeatable)", collect)
    .option("--only <host[:port],...>", "probe only these endpoints (catalog names, wildcards or --host-for hosts)", collectList)
    .option("--purpose <purpose,...>", `probe only endpoints with these purposes (${PURPOSES.join(", ")})`, collectList)
    .option("--timeout <duration>", `deadline of the whole run, e.g. 500ms, 20s, 2m (default ${DEFAULT_TIMEOUT})`)
    .option("--stage-timeout <duration>", `deadline of each stage of each endpoint (default ${DEFAULT_STAGE_TIMEOUT}, at most --timeout)`)
    .option("--concurrency <n>", `endpoints probed at once (default ${DEFAULT_CONCURRENCY})`)
    .addOption(formatOption(FORMATS))
    .option("-o, --output <file>", "write the report to a file instead of stdout")
    .addOption(new Option("--fail-on <severity>", "lowest severity that fails the run (exit 1); overrides failOn in the config (default: error)").choices(FAIL_ON))
    .option("--soft-fail", "report findings but exit 0 (exit 3, the probe could not run, is kept)")
    .addOption(new Option("--no-progress", "no per-endpoint progress on stderr (shown only on a terminal anyway)"))
    .action(async (given: ProbeOptions & { progress?: boolean }) => {
      try {
        await probeAction(given, setExitCode, io);
      } finally {
        io.done?.();
      }
    });
}

async function probeAction(given: ProbeOptions & { progress?: boolean }, setExitCode: (code: number) => void, io: ProbeIo): Promise<void> {
  const startedAt = io.startedAt ?? Date.now();
  const options = {
    ...given,
    dnsServer: given.dnsServer ?? [],
    connectTo: given.connectTo ?? [],
    hostFor: given.hostFor ?? [],
    only: given.only ?? [],
    purpose: given.purpose ?? [],
  };
  const givenConfig = resolveConfigFile(options.config, io.stderr);
  checkProbeFiles(options.output, givenConfig, options.caFile);
  const config = loadConfig(givenConfig);
  const cloud = options.cloud ?? config.cloud;
  const configFile = givenConfig ?? "bridgeguard.yaml";

  const timeoutMs = options.timeout
    ? duration("--timeout", options.timeout)
    : duration(config.probe?.timeout ? `${configFile}: probe.timeout` : "--timeout", config.probe?.timeout ?? DEFAULT_TIMEOUT);
  const stageOption = options.stageTimeout ? duration("--stage-timeout", options.stageTimeout) : undefined;
  const concurrencyText = options.concurrency ?? String(config.probe?.concurrency ?? DEFAULT_CONCURRENCY);
  const concurrency = /^\d+$/.test(concurrencyText) ? Number(concurrencyText) : NaN;
  if (!(concurrency >= 1 && concurrency <= 256)) throw usage(`--concurrency ${concurrencyText}: expected a whole number from 1 to 256`);

  const trust = readTrust(options.caFile);
  const dnsServers = options.dnsServer.length ? options.dnsServer : config.dnsServers;
  for (const server of dnsServers) {
    // The probe asks the servers directly (c-ares), so it needs their addresses; the audit takes names too.
    const where = options.dnsServer.length ? "--dns-server" : `${configFile ?? "configuration"}: dnsServers`;
    if (!isDnsServer(server)) throw usage(`${where} ${server}: expected an IP address, optionally with :port ([v6]:port); the probe asks DNS servers by address`);
  }
  const timeServerText = options.timeServer ?? config.timeServer;
  const timeServer = timeServerText === undefined ? undefined : parseTimeServer(timeServerText);
  if (timeServerText !== undefined && !timeServer) throw usage(`--time-server ${timeServerText}: expected host[:port]`);

  for (const purpose of options.purpose) {
    if (!PURPOSES.includes(purpose as EndpointPurpose)) throw usage(`--purpose ${purpose}: expected one of ${PURPOSES.join(", ")}`);
  }
  const purposes = options.purpose.filter((p): p is EndpointPurpose => p !== "time");
  const filtered = options.only.length > 0 || options.purpose.length > 0;
  const testTime = timeServer ? options.purpose.length === 0 || options.purpose.includes("time") : options.purpose.includes("time") || !filtered;

  const explicit = options.proxy ? new ProxyEndpoint(options.proxy, "--proxy") : config.probe?.proxy ? new ProxyEndpoint(config.probe.proxy, "config") : undefined;
  const secrets = new Set<string>(explicit?.secrets() ?? []);
  const proxyFor = (protocol: "https" | "http", host: string, port: number) => {
    const proxy = explicit ?? proxyFromEnvironment(protocol, host, port);
    for (const secret of proxy?.secrets() ?? []) secrets.add(secret);
    return proxy;
  };

  const fromCli = options.hostFor.map((text) => parseHostFor(text));
  const overridden = new Set(fromCli.map((h) => h.wildcard));
  const fromConfig: HostFor[] = Object.entries(config.probe?.hosts ?? {})
    .map(([wildcard, host]) => ({ wildcard: wildcard.toLowerCase(), host: host.toLowerCase(), source: configFile }))
    .filter((h) => !overridden.has(h.wildcard));

  const plan = planTargets({
    cloud,
    hostFor: [...fromConfig, ...fromCli],
    only: options.only,
    purposes: options.purpose.length ? purposes : undefined,
    connectTo: options.connectTo.map(parseConnectTo),
    proxyFor,
  });
  if (options.purpose.length > 0 && purposes.length === 0) {
    // --purpose time alone: no catalog endpoint.
    plan.targets.length = 0;
    plan.untested.length = 0;
  }
  if (plan.targets.length === 0 && plan.untested.length === 0 && !testTime) throw usage("nothing to probe: the filters (--only, --purpose) leave no endpoint");

  const progress = options.progress !== false && io.stderr.isTTY === true;
  const color = progress && shouldUseColor(io.stderr, io.env);
  if (progress) {
    const count = plan.targets.length + plan.untested.length;
    io.stderr.write(`probing ${count} endpoint${count === 1 ? "" : "s"} (${cloud}, ${describeResolver(dnsServers)}, deadline ${formatDuration(timeoutMs)}, Ctrl-C stops)\n`);
  }

  // The deadline counts from the start of the process; the report is written within it.
  const runTimeoutMs = Math.max(1, startedAt + timeoutMs - REPORT_RESERVE_MS - Date.now());
  // Without --stage-timeout, a stage ends before the run does (at most 80 % of it), so that a server that
  // never answers is classified (RequestTimedOut, a silent DNS server) rather than cut as "not tested".
  const stageTimeoutMs = stageOption !== undefined ? Math.min(stageOption, runTimeoutMs) : Math.min(duration("--stage-timeout", DEFAULT_STAGE_TIMEOUT), Math.max(1, Math.floor(runTimeoutMs * 0.8)));
  const interrupt = new AbortController();
  const unsubscribe = io.onInterrupt(() => interrupt.abort("interrupted"));
  let observations: ProbeObservations;
  // On a terminal, a status line shows what is being waited on, and for how long, between results.
  const live = progress ? new LiveStatus(io.stderr, timeoutMs) : undefined;
  const at = (host: string, port: number) => hostPort(host, port);
  live?.start();
  try {
    observations = await runProbe({
      cloud,
      plan,
      dnsServers,
      trust,
      testTime,
      timeServer,
      stageTimeoutMs,
      runTimeoutMs,
      concurrency,
      signal: interrupt.signal,
      onResult: live ? (o) => live.result(at(o.target.host, o.target.port), redactText(progressLine(o, color), [...secrets])) : undefined,
      onTime: live ? (t) => live.result(undefined, timeProgressLine(t, color)) : undefined,
      onStage: live ? (target, stage) => live.stage(at(target.host, target.port), stage) : undefined,
    });
  } finally {
    live?.stop();
    unsubscribe();
  }
  const hint = wildcardHint(observations);
  if (hint) io.stderr.write(stderrLine(hint));

  // The engine's pipeline, as for the audit: the probe rules, the configuration's suppressions, the summary
  // and the verdict of failOn. Then what was measured for every endpoint (the JSON report keeps it, passing ones too).
  const judgement = runPipeline({ kind: "observations", observations }, config, {
    ...(givenConfig !== undefined ? { suppressionSource: givenConfig } : {}),
    ...(options.failOn ? { failOn: options.failOn } : {}),
  });
  const report = { ...judgement.report, probe: probeResults(observations) };
  for (const notice of report.notices ?? []) io.stderr.write(stderrLine(`${notice.level}: ${redactText(notice.message, [...secrets])}`));
  const rendered = renderReport(options.format, report, probeRuleMetas(), {
    color: !options.output && shouldUseColor(io.stdout, io.env),
    width: terminalWidth(io.stdout, io.env),
    failOn: judgement.failOn,
  });
  // Last line of defence: no proxy password or authorization value leaves the process.
  const text = redactText(rendered, [...secrets]);
  if (options.output && options.output !== "-") writeOutput(text, options.output);
  else io.stdout.write(text.endsWith("\n") ? text : `${text}\n`);

  const failure = probeFailure(observations, dnsServers);
  if (failure) {
    io.stderr.write(stderrLine(`probe could not run: ${redactText(failure, [...secrets])}`));
    setExitCode(PROBE_EXIT.probe);
    return;
  }
  if (observations.interrupted === "interrupted") {
    io.stderr.write("bridgeguard: probe interrupted; the report covers what was measured\n");
    setExitCode(PROBE_EXIT.interrupted);
    return;
  }
  const untested = nothingTested(observations);
  if (untested) {
    io.stderr.write(stderrLine(`probe could not run: ${redactText(untested, [...secrets])}`));
    setExitCode(PROBE_EXIT.probe);
    return;
  }
  setExitCode(judgement.fails && !options.softFail ? PROBE_EXIT.findings : PROBE_EXIT.ok);
}
