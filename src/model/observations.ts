/**
 * What the probe saw, as data. The network stages produce these; the probe rules
 * (`src/rules/probe/`) read nothing else, so every rule is a pure function of observations and can be
 * tested without a network. Nothing here ever holds a secret: a proxy appears only as its redacted URL.
 */
import type { CloudName } from "./cloud";
import type { CatalogEndpoint } from "./endpoint";

/** The stages of one endpoint probe, in the order they run. */
export type Stage = "dns" | "tcp" | "proxy" | "tls" | "http";

export const STAGES: readonly Stage[] = ["dns", "tcp", "proxy", "tls", "http"];

/** How one stage ended. */
export type StageStatus = "ok" | "failed" | "timeout" | "skipped" | "aborted";

export interface StageResult {
  stage: Stage;
  status: StageStatus;
  /** Wall time the stage took (0 when skipped). */
  ms: number;
  /** One line: what the stage did or saw (`127.0.0.1 via 10.0.0.53`, `HTTP 404`, `ECONNREFUSED`). */
  note: string;
}

/**
 * The ways one endpoint probe can fail. `classify.ts` maps each to a code, a severity and a rule; it
 * is the only place that does.
 */
export type FailureKind =
  | "name-not-resolved"
  | "connection-refused"
  | "connection-reset"
  | "unreachable"
  | "proxy-auth-required"
  | "proxy-denied"
  | "proxy-failed"
  | "no-answer"
  | "certificate-not-trusted"
  | "certificate-name-mismatch"
  | "handshake-closed"
  | "handshake-failed"
  | "not-tls"
  | "middlebox"
  | "protocol-error";

/** Why an endpoint was not tested; never a pass. */
export type NotTestedReason =
  | "wildcard-without-host"
  | "run-deadline"
  | "interrupted"
  | "local-error";

export type Outcome =
  | { kind: "reachable"; stage: Stage; detail: string }
  | { kind: "failed"; failure: FailureKind; stage: Stage; detail: string; errorCode?: string }
  | { kind: "not-tested"; reason: NotTestedReason; stage?: Stage; detail: string };

/** The certificate a TLS server presented, as the evidence of an interception names it. */
export interface CertificateInfo {
  subject: string;
  issuer: string;
  /** SHA-256 of the leaf certificate (DER), colon-separated hex, as `openssl x509 -fingerprint -sha256` prints it. */
  sha256: string;
  subjectAltNames: string;
  validFrom: string;
  validTo: string;
  /** Subjects from the leaf up to the last certificate the server sent (or the trust anchor found). */
  chain: string[];
}

export interface TlsObservation {
  /** Whether the chain verified against the trust anchors (Node's public roots, or `--ca-file`). */
  chainVerified: boolean;
  /** OpenSSL's verification error (`UNABLE_TO_VERIFY_LEAF_SIGNATURE`, ...), when it did not. */
  chainError?: string;
  /** Whether the certificate names the endpoint (RFC 6125, `tls.checkServerIdentity`). */
  nameMatches: boolean;
  nameError?: string;
  protocol?: string;
  /** `Node.js public roots` or `--ca-file <path>`. */
  trust: string;
  certificate?: CertificateInfo;
}

export interface HttpObservation {
  status: number;
  statusText: string;
  /** The `Date` header, as sent. */
  date?: string;
  /** Local clock (ms since the epoch) when the answer's head arrived, to compare with `date`. */
  receivedAt: number;
}

export interface ProxyObservation {
  /** The proxy, redacted: `http://***@proxy:3128`. */
  url: string;
  source: "--proxy" | "config" | "environment";
  /** Whether credentials were sent (never what they were). */
  credentialsSent: boolean;
  /** The CONNECT answer's status, when one came. */
  status?: number;
  statusText?: string;
  /** `Proxy-Authenticate` schemes offered on a 407 (`Basic`, `Negotiate`), never more of the header. */
  authenticate?: string[];
}

/** A concrete `host:port` the probe tests, standing for one or more catalog endpoints. */
export interface ProbeTargetInfo {
  host: string;
  port: number;
  protocol: "https" | "http";
  path: string;
  /** The catalog endpoints (with this port) this target stands for; a host may serve two purposes. */
  endpoints: CatalogEndpoint[];
  /** The catalog wildcard it was chosen for (`--host-for`, `probe.hosts`, or a documented representative). */
  wildcard?: string;
  /**
   * Set when no host was given for the wildcard and the probe took the host Microsoft's outbound table
   * names under it in another row: that row. Such a host shows whether a name under the wildcard gets
   * through; it is not the usage service itself.
   */
  representative?: string;
  /** Where `--connect-to` aimed it. */
  connectTo?: { host: string; port: number };
}

export interface EndpointObservation {
  target: ProbeTargetInfo;
  outcome: Outcome;
  stages: StageResult[];
  /** The address the TCP stage connected to (or tried). */
  address?: string;
  /** `addresses` holds at most `MAX_EVIDENCE_ADDRESSES`; `total` is how many the answer had. */
  dns?: { name: string; resolver: string; addresses: string[]; total: number };
  proxy?: ProxyObservation;
  tls?: TlsObservation;
  http?: HttpObservation;
  /** Total wall time of this endpoint's probe. */
  ms: number;
}

/** One SNTP exchange with the deployment's time server. */
export interface TimeObservation {
  server: string;
  host: string;
  port: number;
  outcome:
    | {
        kind: "answered";
        /** Time server clock minus this machine's clock, ms (RFC 4330 offset). */
        offsetMs: number;
        roundTripMs: number;
        stratum: number;
        /** The time server's reference id, for evidence (`GPS`, an address). */
        referenceId: string;
      }
    | { kind: "silent"; detail: string }
    | {
        kind: "unsynchronised";
        /** What the server said: leap indicator 3 (alarm), stratum 0 (kiss-o'-death, unspecified) or 16. */
        detail: string;
        leap: number;
        stratum: number;
      }
    | { kind: "not-tested"; reason: NotTestedReason | "no-time-server"; detail: string };
  ms: number;
}

/** Everything one probe run saw; the input of every probe rule. */
export interface ProbeObservations {
  cloud: CloudName;
  endpoints: EndpointObservation[];
  /** Absent when the run was not asked to test time at all (filters left it out). */
  time?: TimeObservation;
  /** The explicit proxy the run used for at least one endpoint, redacted. */
  proxy?: { url: string; source: ProxyObservation["source"]; host: string; port: number };
  /** `--ca-file <path>` replaced the public roots. */
  trust: string;
  /** The run ended early: Ctrl-C, or the whole-run deadline. */
  interrupted?: "interrupted" | "run-deadline";
  startedAt: number;
  ms: number;
}

/** At most this many of a name's addresses are kept as evidence (an answer may carry thousands). */
export const MAX_EVIDENCE_ADDRESSES = 16;

/** `host:port`, IPv6 in brackets. */
export function hostPort(host: string, port: number): string {
  return `${host.includes(":") ? `[${host}]` : host}:${port}`;
}

/** `850 ms`, `2.5 s`, `2 min`: the same words in progress lines and evidence. */
export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${Number((ms / 1000).toFixed(ms < 10_000 ? 1 : 0))} s`;
  return `${Number((ms / 60_000).toFixed(1))} min`;
}

/** Server clock minus local clock, ms, from a `Date` header (1 s resolution); undefined when unparsable. */
export function dateHeaderSkewMs(observation: HttpObservation): number | undefined {
  if (!observation.date) return undefined;
  const server = Date.parse(observation.date);
  return Number.isNaN(server) ? undefined : server - observation.receivedAt;
}
