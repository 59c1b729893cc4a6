/**
 * One endpoint, stage by stage: DNS, TCP, the proxy's CONNECT, TLS, one HTTP GET. Each stage runs under
 * its own deadline and the run's signal; the first stage that fails ends the probe, and what it saw is
 * recorded as an outcome for `classify.ts` to name. The socket is always destroyed at the end.
 */
import * as net from "node:net";
import type { Duplex } from "node:stream";
import { RunAbortedError, StageTimeoutError, withDeadline } from "./deadline";
import { formatDuration } from "../model/observations";
import { DnsError, resolveName } from "./dns";
import { httpGet } from "./http";
import type { SystemResolver } from "./system-resolver";
import type { EndpointObservation, FailureKind, Outcome, ProbeTargetInfo, Stage, StageResult } from "../model/observations";
import { hostPort, MAX_EVIDENCE_ADDRESSES } from "../model/observations";
import { ProxyRefusedError, connectTunnel } from "./proxy";
import { redactText } from "./redact";
import type { PlannedTarget } from "./targets";
import { LOCAL_ERRORS, TcpError, connectTcp, describeSocketError } from "./tcp";
import { HandshakeError, tlsHandshake, type TrustAnchors } from "./tls";
import { ClosedError, ProtocolError } from "./wire";

export interface EndpointProbeOptions {
  dnsServers: readonly string[];
  trust: TrustAnchors;
  stageTimeoutMs: number;
  /** The run's signal: the whole-run deadline and Ctrl-C. */
  signal: AbortSignal;
  /** Whether this machine has an interface other than loopback (else only loopback can be reached). */
  hasExternalInterface: boolean;
  /** The system resolver of the run (a child process), when no DNS server is given. */
  systemResolver?: SystemResolver;
  /** Called as each stage starts, for a live display of what is being waited on. */
  onStage?: (stage: Stage) => void;
  now?: () => number;
}

/** A stage ended the probe. */
class StageStop extends Error {
  constructor(readonly outcome: Outcome) {
    super(outcome.detail);
  }
}

function isLoopback(address: string): boolean {
  return address === "::1" || address.startsWith("127.") || address.toLowerCase().startsWith("::ffff:127.");
}

function failure(failureKind: FailureKind, stage: Stage, detail: string, errorCode?: string): StageStop {
  return new StageStop({ kind: "failed", failure: failureKind, stage, detail, ...(errorCode ? { errorCode } : {}) });
}

function targetInfo(target: PlannedTarget): ProbeTargetInfo {
  const { proxy: _proxy, ...info } = target;
  return { ...info, endpoints: [...info.endpoints] };
}

/** Probes one target. Never rejects: every end, including the run's abort, is an outcome. */
export async function probeEndpoint(target: PlannedTarget, options: EndpointProbeOptions): Promise<EndpointObservation> {
  const now = options.now ?? Date.now;
  const started = now();
  const stages: StageResult[] = [];
  const observation: EndpointObservation = { target: targetInfo(target), outcome: { kind: "reachable", stage: "http", detail: "" }, stages, ms: 0 };
  const sockets: Duplex[] = [];
  const secrets = target.proxy?.secrets() ?? [];

  /** Runs one stage under its deadline, recording it; errors are mapped by `onError` into a stop. */
  async function stage<T>(name: Stage, run: (signal: AbortSignal) => Promise<T>, note: (value: T) => string, onError: (error: Error) => StageStop, dispose?: (value: T) => void): Promise<T> {
    const t0 = now();
    options.onStage?.(name);
    try {
      const value = await withDeadline(options.stageTimeoutMs, options.signal, run, dispose);
      stages.push({ stage: name, status: "ok", ms: now() - t0, note: redactText(note(value), secrets) });
      return value;
    } catch (raw) {
      const error = raw as Error;
      const ms = now() - t0;
      if (error instanceof RunAbortedError) {
        stages.push({ stage: name, status: "aborted", ms, note: error.message });
        throw new StageStop({
          kind: "not-tested",
          reason: error.reason,
          stage: name,
          detail:
            error.reason === "interrupted"
              ? `interrupted (Ctrl-C) during the ${name} stage, after ${formatDuration(now() - started)}`
              : `the whole-run deadline ended the probe during the ${name} stage, after ${formatDuration(now() - started)}`,
        });
      }
      if (error instanceof StageTimeoutError) {
        stages.push({ stage: name, status: "timeout", ms, note: error.message });
        // A silent DNS server is a name that does not resolve (NetworkError), not a request that timed out.
        if (name === "dns") throw failure("name-not-resolved", "dns", noAnswerDetail(name, error.ms, target), "ETIMEOUT");
        throw failure("no-answer", name, noAnswerDetail(name, error.ms, target), "timeout");
      }
      const stop = error instanceof StageStop ? error : onError(error);
      const detail = stop.outcome.detail;
      stages.push({ stage: name, status: "failed", ms, note: redactText(detail, secrets) });
      throw stop;
    }
  }

  function skip(name: Stage, note: string): void {
    stages.push({ stage: name, status: "skipped", ms: 0, note });
  }

  try {
    const proxy = target.proxy;
    const aimed = target.connectTo ?? { host: target.host, port: target.port };
    const hop = proxy ? { host: proxy.host, port: proxy.port } : aimed;
    if (proxy) {
      observation.proxy = { url: proxy.url, source: proxy.source, credentialsSent: proxy.hasCredentials };
    }

    // DNS: the name of the next hop. Through a proxy, the proxy resolves the endpoint's name.
    let addresses: string[];
    if (net.isIP(hop.host)) {
      addresses = [hop.host];
      const through = proxy
        ? `via the proxy at ${hostPort(hop.host, hop.port)}, which ${net.isIP(aimed.host) ? "connects to" : "resolves"} ${net.isIP(aimed.host) ? hostPort(aimed.host, aimed.port) : aimed.host}`
        : undefined;
      skip("dns", through ?? (target.connectTo ? `--connect-to gives the address ${hop.host}` : "literal address"));
    } else {
      const result = await stage(
        "dns",
        (signal) => resolveName(hop.host, { servers: options.dnsServers, timeoutMs: options.stageTimeoutMs, signal, system: options.systemResolver }),
        (r) => `${hop.host} -> ${r.addresses.slice(0, 3).join(", ")}${r.addresses.length > 3 ? ", ..." : ""} (${r.resolver})${proxy ? " [the proxy's name]" : ""}`,
        (error) =>
          error instanceof DnsError
            ? failure("name-not-resolved", "dns", proxy ? `the proxy's name: ${error.message}` : error.message, error.code)
            : failure("name-not-resolved", "dns", error.message),
      );
      // An answer may carry thousands of addresses: the evidence keeps the first few and the count.
      observation.dns = { name: hop.host, resolver: result.resolver, addresses: result.addresses.slice(0, MAX_EVIDENCE_ADDRESSES), total: result.addresses.length };
      addresses = result.addresses;
    }

    // TCP: to the first address (IPv4 first), as a client without happy eyeballs would.
    const address = addresses[0]!;
    observation.address = hostPort(address, hop.port);
    if (!options.hasExternalInterface && !isLoopback(address)) {
      throw new StageStop({
        kind: "not-tested",
        reason: "local-error",
        stage: "tcp",
        detail: `this machine has no network interface other than loopback, so ${hostPort(address, hop.port)} cannot be reached from it`,
      });
    }
    const tcp = await stage(
      "tcp",
      (signal) => connectTcp(address, hop.port, signal),
      () => `connected to ${hostPort(address, hop.port)}${proxy ? " (the proxy)" : ""}`,
      (error) => {
        const code = error instanceof TcpError ? error.code : "EUNKNOWN";
        if (LOCAL_ERRORS.has(code)) {
          return new StageStop({ kind: "not-tested", reason: "local-error", stage: "tcp", detail: `this machine could not open a connection (${code})` });
        }
        const where = `${hostPort(address, hop.port)}${proxy ? " (the proxy)" : ""}`;
        const kind: FailureKind =
          code === "ECONNREFUSED"
            ? "connection-refused"
            : code === "EHOSTUNREACH" || code === "ENETUNREACH"
              ? "unreachable"
              : code === "ETIMEDOUT"
                ? "no-answer"
                : "connection-reset";
        return failure(kind, "tcp", `${where}: ${describeSocketError(code)}`, code);
      },
      (late) => late.destroy(),
    );
    sockets.push(tcp);
    let stream: Duplex = tcp;

    // Proxy: CONNECT to where the endpoint is aimed (its name, or --connect-to's address).
    if (proxy) {
      const answer = await stage(
        "proxy",
        (signal) => connectTunnel(tcp, proxy, aimed, signal),
        (a) => `CONNECT ${hostPort(aimed.host, aimed.port)}: ${a.status}${a.statusText ? ` ${a.statusText}` : ""}`,
        (error) => {
          if (error instanceof ProxyRefusedError) {
            // What a hostile proxy says may echo the credentials it was sent: scrubbed before it is kept.
            const statusText = redactText(error.statusText, secrets);
            observation.proxy = { ...observation.proxy!, status: error.status, statusText, authenticate: error.authenticate.map((a) => redactText(a, secrets)) };
            const kind: FailureKind = error.status === 407 ? "proxy-auth-required" : error.status === 403 ? "proxy-denied" : error.status === 504 ? "no-answer" : "proxy-failed";
            return failure(kind, "proxy", `CONNECT ${hostPort(aimed.host, aimed.port)}: the proxy answered ${error.status}${statusText ? ` ${statusText}` : ""}`, String(error.status));
          }
          return closedOrProtocol("proxy", error);
        },
      );
      observation.proxy = { ...observation.proxy!, status: answer.status, statusText: redactText(answer.statusText, secrets) };
    }

    // TLS: SNI and name check on the endpoint's own name, whatever address it was aimed at.
    if (target.protocol === "https") {
      const { socket: secure, observation: tls } = await stage(
        "tls",
        (signal) => tlsHandshake(stream, { servername: target.host, trust: options.trust, signal }),
        (r) => `${r.observation.protocol ?? "TLS"}, ${r.observation.certificate?.subject ?? "no certificate"} issued by ${r.observation.certificate?.issuer ?? "?"}`,
        (error) =>
          error instanceof HandshakeError
            ? failure(error.kind === "not-tls" ? "not-tls" : error.kind === "failed" ? "handshake-failed" : "handshake-closed", "tls", error.message, error.code)
            : failure("handshake-closed", "tls", error.message),
        (late) => late.socket.destroy(),
      );
      sockets.push(secure);
      observation.tls = tls;
      stream = secure;
      if (!tls.chainVerified) {
        throw failure("certificate-not-trusted", "tls", `the certificate presented for ${target.host} does not verify against ${tls.trust}: ${tls.chainError}`, tls.chainError);
      }
      if (!tls.nameMatches) {
        throw failure("certificate-name-mismatch", "tls", `the certificate presented does not name ${target.host}: ${tls.nameError}`, "ERR_TLS_CERT_ALTNAME_INVALID");
      }
    } else {
      skip("tls", "plain HTTP endpoint");
    }

    // HTTP: one GET; any answer is the service answering.
    const http = await stage(
      "http",
      (signal) => httpGet(stream, { host: target.host, port: target.port, protocol: target.protocol, path: target.path }, signal, now),
      (r) => `HTTP ${r.status}${r.statusText ? ` ${r.statusText}` : ""}`,
      (error) => closedOrProtocol("http", error),
    );
    observation.http = http;
    // Cleartext HTTP proves nothing about who answered: these statuses are an intermediary's by definition
    // (407: RFC 9110 15.5.8; 511: RFC 6585 section 6, "intended for use by intercepting proxies") or a
    // filtering proxy's deny page (403).
    if (target.protocol === "http" && MIDDLEBOX_STATUSES.has(http.status)) {
      throw failure("middlebox", "http", `${target.host} answered HTTP ${http.status}${http.statusText ? ` ${http.statusText}` : ""} on cleartext HTTP: ${MIDDLEBOX_STATUSES.get(http.status)}`, String(http.status));
    }
    observation.outcome = { kind: "reachable", stage: "http", detail: `answered HTTP ${http.status}${http.statusText ? ` ${http.statusText}` : ""}` };
  } catch (error) {
    if (!(error instanceof StageStop)) throw error;
    observation.outcome = error.outcome.kind === "failed" || error.outcome.kind === "not-tested" ? { ...error.outcome, detail: redactText(error.outcome.detail, secrets) } : error.outcome;
  } finally {
    for (const socket of sockets.reverse()) socket.destroy();
  }
  observation.ms = now() - started;
  return observation;
}

const MIDDLEBOX_STATUSES = new Map([
  [407, "a transparent proxy asks for authentication, which the bridge cannot give"],
  [511, "a captive portal asks for a sign-in (network authentication required)"],
  [403, "a filtering proxy or firewall denies the request; the service is not reached"],
]);

function closedOrProtocol(stage: Stage, error: Error): StageStop {
  if (error instanceof ClosedError) {
    const how = error.code === "ECONNRESET" ? "reset (RST)" : "closed";
    return failure("connection-reset", stage, `the connection was ${how} before an answer${stage === "proxy" ? " from the proxy" : ""}`, error.code);
  }
  if (error instanceof ProtocolError) return failure("protocol-error", stage, error.message, "EPROTO");
  return failure("connection-reset", stage, error.message, (error as NodeJS.ErrnoException).code);
}

function noAnswerDetail(stage: Stage, ms: number, target: PlannedTarget): string {
  const d = formatDuration(ms);
  switch (stage) {
    case "dns":
      return `no DNS answer for the name within ${d}`;
    case "tcp":
      return `no answer to the connection attempt within ${d} (silent drop: the SYN went unanswered)`;
    case "proxy":
      return `the proxy did not answer the CONNECT within ${d}`;
    case "tls":
      return `the TLS handshake got no answer within ${d} (the connection was accepted, then silence)`;
    case "http":
      return `the request to ${target.host} was sent and no HTTP answer came within ${d}`;
  }
}
