import type { ErrorCode } from "./codes";
import type { EndpointPurpose } from "./endpoint";
import type { FindingFix } from "./fix";
import type { BridgePath } from "./path";
import type { ResourceRef } from "./resource";

export type { AddRuleFix, ChangePropertyFix, FindingFix, FixApplicationRule, FixNetworkRule, FixRule, FixSecurityRule, FixValue } from "./fix";

export type Severity = "error" | "warning";

/** The catalog endpoint a finding is about, as it appears in every report. */
export interface FindingEndpoint {
  /** A host, a wildcard pattern (`*.trafficmanager.net`) or an address (time and DNS servers). */
  host: string;
  port: number;
  protocol: "https" | "http" | "udp" | "tcp";
  purpose: EndpointPurpose;
}

/** The version of the JSON report's contract (`Report.schemaVersion`). 2: one finding per cause, `endpoints[]`. */
export const REPORT_SCHEMA_VERSION = 2;

/**
 * The one object every front end reports; formatters only render it. A finding is a **cause**: the rule
 * that decides (or a default deny, a route, a TLS-inspecting rule, a registration fault) with every bridge
 * endpoint it breaks, for one code: never one finding per endpoint.
 */
export interface Finding {
  code: ErrorCode;
  rule: { id: string; slug: string };
  severity: Severity;
  resource: ResourceRef;
  /** Every catalog endpoint the cause breaks, in catalog order; empty when the cause is not about an endpoint. */
  endpoints: FindingEndpoint[];
  /**
   * What decides, as a stable phrase (`rule "deny-aad" (priority 300)`, `default deny`, `route "to-onprem"`);
   * absent when the rule and resource alone name the cause. Part of the fingerprint.
   */
  cause?: string;
  /** One line: what is wrong. */
  message: string;
  /** What was seen: the collection, priority and rule that matched, property paths and values. */
  evidence: string[];
  /** What to change, concretely, followed once by the documented remediation of the code. */
  remediation: string;
  /** The rule's page in the project's docs. */
  docs: string;
  /**
   * sha-256 of rule id, resource URN, code and cause: stable across message wording, finding order and the
   * endpoints a cause breaks, so baselines and code-scanning alerts (SARIF `partialFingerprints`) follow a cause.
   * Set by the engine (`toFinding`); formatters compute it when a hand-built finding lacks it.
   */
  fingerprint?: string;
  /** Set when a `suppressions:` entry of the configuration accepts this finding: reported, never failing. */
  suppression?: FindingSuppression;
  /** Set when the audit ran against a baseline: `unchanged` findings are in it and do not fail the run. */
  baselineState?: BaselineState;
  /** The input file the finding came from (CLI audit of several files). */
  file?: string;
  /** The concrete fix as data (the rule to add, the property to change), where the check can name one. */
  fix?: FindingFix;
}

/** Why a finding is accepted: the suppression's justification and, when it has one, the day it stops applying. */
export interface FindingSuppression {
  justification: string;
  /** ISO date (`YYYY-MM-DD`, UTC) from which the suppression no longer applies. */
  expires?: string;
}

/** SARIF's words: `new` is not in the baseline (it fails the run), `unchanged` is (it does not). */
export type BaselineState = "new" | "unchanged";

export interface ReportSummary {
  /** Error findings that count: neither suppressed nor in the baseline. */
  errors: number;
  /** Warning findings that count: neither suppressed nor in the baseline. */
  warnings: number;
  resources: number;
  endpoints: number;
  /** Findings a suppression accepts (CLI audit); not in `errors`/`warnings`. */
  suppressed?: number;
  /** Unsuppressed findings found in the baseline (CLI audit with `--baseline`); not in `errors`/`warnings`. */
  baselined?: number;
}

/** One share of a sharded audit's inputs: share `index` (1-based) of `count`. */
export interface ReportShard {
  index: number;
  count: number;
}

/** One audited input file of a multi-file audit: its own counts, or why it could not be audited. */
export interface StackSummary {
  file: string;
  summary: ReportSummary;
  /** The one-line error (file, path, expectation) when the file could not be read or audited. */
  error?: string;
  /** This stack's bridge path (multi-file audits): which gates were evaluated and why. */
  path?: BridgePath;
}

/**
 * A note about the run rather than about a resource: a suppression that expired or matches nothing. Not a
 * finding (a finding's code is one of the five documented codes, and these are none of them), so it never
 * gates the exit code; every format renders it, and the CLI also prints it to stderr.
 */
export interface ReportNotice {
  level: "warning" | "note";
  /**
   * `partial-input`: an input showed only part of the stack (a preview without its unchanged resources).
   * `configuration-incomplete`: the configuration lacks what some checks need (said once, not per finding).
   */
  kind: "suppression-expired" | "suppression-stale" | "partial-input" | "configuration-incomplete";
  message: string;
}

/** One probe stage as the JSON report keeps it. */
export interface ProbeStageResult {
  stage: "dns" | "tcp" | "proxy" | "tls" | "http";
  status: "ok" | "failed" | "timeout" | "skipped" | "aborted";
  ms: number;
  note: string;
}

/** What the probe measured for one `host:port`, passing or not (probe only). */
export interface ProbeEndpointResult {
  host: string;
  port: number;
  protocol: "https" | "http";
  /** The catalog endpoints (host and purpose) this target stands for. */
  for: { host: string; purpose: string }[];
  /** The catalog wildcard it was chosen for. */
  wildcard?: string;
  /** Where Microsoft's table names this host, when the probe took it for a wildcard no host was given for. */
  representative?: string;
  outcome: "reachable" | "failed" | "not-tested";
  detail: string;
  ms: number;
  stages: ProbeStageResult[];
  /** The address the TCP stage connected to (or tried), `ip:port`. */
  address?: string;
  /** What DNS answered: at most 16 addresses, and how many there were. */
  dns?: { name: string; resolver: string; addresses: string[]; total: number };
  /** The certificate presented, whether or not it verified. */
  tls?: { protocol?: string; chainVerified: boolean; nameMatches: boolean; subject?: string; issuer?: string; sha256?: string; validTo?: string };
  http?: { status: number; statusText: string };
  /** The explicit proxy, redacted. */
  proxy?: { url: string; status?: number };
}

/** The time server as the probe measured it. */
export interface ProbeTimeResult {
  server: string;
  outcome: "answered" | "silent" | "unsynchronised" | "not-tested";
  /** Time server minus this machine, ms (answered). */
  offsetMs?: number;
  roundTripMs?: number;
  stratum?: number;
  detail?: string;
  ms: number;
}

/** Per-endpoint results of a probe run: the evidence, also when everything passed. */
export interface ProbeResults {
  endpoints: ProbeEndpointResult[];
  time?: ProbeTimeResult;
}

/** The JSON report: a versioned contract other tools parse (see README, `schemas/report.schema.json`). */
export interface Report {
  schemaVersion: typeof REPORT_SCHEMA_VERSION;
  tool: { name: "bridgeguard"; version: string };
  catalog: { version: string };
  findings: Finding[];
  summary: ReportSummary;
  /** Per input file (CLI audit): each file's counts or error. */
  stacks?: StackSummary[];
  /** Expired and stale suppressions (CLI audit). */
  notices?: ReportNotice[];
  /** The share of the inputs this report covers (`audit --shard I/N`); `bridgeguard merge` checks that every share is there once. */
  shard?: ReportShard;
  /** What the probe measured for every endpoint, passing ones too (probe only). */
  probe?: ProbeResults;
  /**
   * The bridge's path through the audited resources: the gates evaluated and why, those left out and why,
   * what was assumed. Once per report (a multi-file audit has one per stack, in `stacks[].path`).
   */
  path?: BridgePath;
}

const SEVERITY_ORDER: Record<Severity, number> = { error: 0, warning: 1 };

/** A stable order so that reports diff cleanly: resource, then severity, then rule, then first endpoint, then cause. */
export function compareFindings(a: Finding, b: Finding): number {
  return (
    a.resource.urn.localeCompare(b.resource.urn) ||
    SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity] ||
    a.rule.id.localeCompare(b.rule.id) ||
    (a.endpoints[0]?.host ?? "").localeCompare(b.endpoints[0]?.host ?? "") ||
    (a.endpoints[0]?.port ?? 0) - (b.endpoints[0]?.port ?? 0) ||
    (a.cause ?? "").localeCompare(b.cause ?? "") ||
    a.message.localeCompare(b.message) ||
    (a.file ?? "").localeCompare(b.file ?? "")
  );
}

/** True when the finding counts against the gate: not suppressed and not already in the baseline. */
export function isActive(finding: Finding): boolean {
  return finding.suppression === undefined && finding.baselineState !== "unchanged";
}

/** The counts of a report. `errors` and `warnings` count only active findings (see `isActive`). */
export function summarize(findings: readonly Finding[], resources: number, endpoints: number): ReportSummary {
  let errors = 0;
  let warnings = 0;
  for (const f of findings) {
    if (!isActive(f)) continue;
    if (f.severity === "error") errors++;
    else warnings++;
  }
  return { errors, warnings, resources, endpoints };
}
