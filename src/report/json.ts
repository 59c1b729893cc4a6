/**
 * The JSON report: the `Report` contract of `model/finding.ts`, versioned by `schemaVersion` and
 * described by `schemas/report.schema.json`. Other tools parse it, so it carries exactly the contract's
 * fields, in a fixed key order: extra properties a caller's objects may carry never leak into it.
 */
import { fingerprintFor } from "../engine/fingerprint";
import { REPORT_SCHEMA_VERSION, type Finding, type FindingEndpoint, type FindingSuppression, type Report, type ReportNotice, type ReportSummary, type StackSummary } from "../model/finding";
import type { BridgePath, PathGate, PathRouteTable } from "../model/path";
import type { ResourceRef } from "../model/resource";
import { sortedFindings } from "./common";
import { fixJson } from "./fix";

function endpointOf(endpoint: FindingEndpoint): FindingEndpoint {
  return { host: endpoint.host, port: endpoint.port, protocol: endpoint.protocol, purpose: endpoint.purpose };
}

function findingOf(f: Finding): Finding {
  return {
    code: f.code,
    rule: { id: f.rule.id, slug: f.rule.slug },
    severity: f.severity,
    resource: resourceOf(f.resource),
    endpoints: f.endpoints.map(endpointOf),
    ...(f.cause !== undefined ? { cause: f.cause } : {}),
    message: f.message,
    evidence: [...f.evidence],
    remediation: f.remediation,
    docs: f.docs,
    ...(f.fix ? { fix: fixJson(f.fix) } : {}),
    fingerprint: fingerprintFor(f),
    ...(f.suppression ? { suppression: suppressionOf(f.suppression) } : {}),
    ...(f.baselineState ? { baselineState: f.baselineState } : {}),
    ...(f.file !== undefined ? { file: f.file } : {}),
  };
}

function resourceOf(r: ResourceRef): ResourceRef {
  return {
    urn: r.urn,
    type: r.type,
    name: r.name,
    ...(r.source ? { source: { path: r.source.path, line: r.source.line, ...(r.source.column !== undefined ? { column: r.source.column } : {}) } } : {}),
    ...(r.line !== undefined ? { line: r.line } : {}),
  };
}

function suppressionOf(s: FindingSuppression): FindingSuppression {
  return { justification: s.justification, ...(s.expires !== undefined ? { expires: s.expires } : {}) };
}

function summaryOf(summary: ReportSummary): ReportSummary {
  return {
    errors: summary.errors,
    warnings: summary.warnings,
    resources: summary.resources,
    endpoints: summary.endpoints,
    ...(summary.suppressed !== undefined ? { suppressed: summary.suppressed } : {}),
    ...(summary.baselined !== undefined ? { baselined: summary.baselined } : {}),
  };
}

function stackOf(stack: StackSummary): StackSummary {
  return {
    file: stack.file,
    summary: summaryOf(stack.summary),
    ...(stack.error !== undefined ? { error: stack.error } : {}),
    ...(stack.path ? { path: pathOf(stack.path) } : {}),
  };
}

function pathGateOf(gate: PathGate): PathGate {
  return {
    resource: { urn: gate.resource.urn, type: gate.resource.type, name: gate.resource.name },
    kind: gate.kind,
    name: gate.name,
    basis: gate.basis,
    reason: gate.reason,
    ...(gate.bypassed ? { bypassed: { flows: [...gate.bypassed.flows], reason: gate.bypassed.reason } } : {}),
  };
}

function routeTableOf(table: PathRouteTable): PathRouteTable {
  return { resource: { urn: table.resource.urn, type: table.resource.type, name: table.resource.name }, name: table.name, basis: table.basis, reason: table.reason };
}

/** The bridge's path as the contract has it. */
export function pathOf(path: BridgePath): BridgePath {
  return {
    onPath: path.onPath.map(pathGateOf),
    leftOut: path.leftOut.map(pathGateOf),
    routeTables: path.routeTables.map(routeTableOf),
    assumptions: [...path.assumptions],
  };
}

function noticeOf(notice: ReportNotice): ReportNotice {
  return { level: notice.level, kind: notice.kind, message: notice.message };
}

/** The report as the documented contract, findings in their stable order. */
export function toJsonReport(report: Report): Report {
  const { summary } = report;
  return {
    schemaVersion: REPORT_SCHEMA_VERSION,
    tool: { name: report.tool.name, version: report.tool.version },
    catalog: { version: report.catalog.version },
    findings: sortedFindings(report.findings).map(findingOf),
    summary: summaryOf(summary),
    ...(report.stacks ? { stacks: report.stacks.map(stackOf) } : {}),
    ...(report.notices ? { notices: report.notices.map(noticeOf) } : {}),
    ...(report.shard ? { shard: { index: report.shard.index, count: report.shard.count } } : {}),
    // Built field by field by the probe (`probe/results.ts`) and held to the schema by its tests.
    ...(report.probe ? { probe: report.probe } : {}),
    ...(report.path ? { path: pathOf(report.path) } : {}),
  };
}

/**
 * Where the report's schema is: the copy shipped in the npm package of the version that wrote the report
 * (`src/schemas/report.schema.json`), so that editors and validators find the contract it follows.
 */
export function reportSchemaUri(version: string): string {
  return `https://unpkg.com/bridgeguard@${encodeURIComponent(version)}/src/schemas/report.schema.json`;
}

/** Pretty JSON (2-space indent), ending with a newline; `$schema` first. */
export function renderJson(report: Report): string {
  return `${JSON.stringify({ $schema: reportSchemaUri(report.tool.version), ...toJsonReport(report) }, null, 2)}\n`;
}
