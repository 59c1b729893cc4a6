import type { ErrorCode } from "../catalog/codes";
import type { EndpointPurpose } from "../catalog/endpoints";
import type { ResourceRef } from "./resource";

export type Severity = "error" | "warning";

/** The catalog endpoint a finding is about, as it appears in every report. */
export interface FindingEndpoint {
  /** A host, a wildcard pattern (`*.trafficmanager.net`) or an address (time and DNS servers). */
  host: string;
  port: number;
  protocol: "https" | "http" | "udp" | "tcp";
  purpose: EndpointPurpose;
}

/** The one object every front end reports; formatters only render it. */
export interface Finding {
  code: ErrorCode;
  rule: { id: string; slug: string };
  severity: Severity;
  resource: ResourceRef;
  endpoint: FindingEndpoint | null;
  /** One line: what is wrong. */
  message: string;
  /** What was seen: the collection, priority and rule that matched, property paths and values. */
  evidence: string[];
  /** What to change, concretely, followed by the documented remediation of the code. */
  remediation: string;
  /** The rule's page in the project's docs. */
  docs: string;
}

export interface ReportSummary {
  errors: number;
  warnings: number;
  resources: number;
  endpoints: number;
}

/** The JSON report: a versioned contract other tools parse (see README, `schemas/report.schema.json`). */
export interface Report {
  schemaVersion: 1;
  tool: { name: "bridgeguard"; version: string };
  catalog: { version: string };
  findings: Finding[];
  summary: ReportSummary;
}

const SEVERITY_ORDER: Record<Severity, number> = { error: 0, warning: 1 };

/** A stable order so that reports diff cleanly: resource, then severity, then rule, then endpoint. */
export function compareFindings(a: Finding, b: Finding): number {
  return (
    a.resource.urn.localeCompare(b.resource.urn) ||
    SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity] ||
    a.rule.id.localeCompare(b.rule.id) ||
    (a.endpoint?.host ?? "").localeCompare(b.endpoint?.host ?? "") ||
    (a.endpoint?.port ?? 0) - (b.endpoint?.port ?? 0) ||
    a.message.localeCompare(b.message)
  );
}

export function summarize(findings: readonly Finding[], resources: number, endpoints: number): ReportSummary {
  return {
    errors: findings.filter((f) => f.severity === "error").length,
    warnings: findings.filter((f) => f.severity === "warning").length,
    resources,
    endpoints,
  };
}
