/**
 * The JSON report: the `Report` contract of `model/finding.ts`, versioned by `schemaVersion` and
 * described by `schemas/report.schema.json`. Other tools parse it, so it carries exactly the contract's
 * fields, in a fixed key order: extra properties a caller's objects may carry never leak into it.
 */
import type { Finding, FindingEndpoint, Report } from "../model/finding";
import { sortedFindings } from "./common";

function endpointOf(endpoint: FindingEndpoint | null): FindingEndpoint | null {
  if (endpoint === null) return null;
  return { host: endpoint.host, port: endpoint.port, protocol: endpoint.protocol, purpose: endpoint.purpose };
}

function findingOf(f: Finding): Finding {
  return {
    code: f.code,
    rule: { id: f.rule.id, slug: f.rule.slug },
    severity: f.severity,
    resource: { urn: f.resource.urn, type: f.resource.type, name: f.resource.name },
    endpoint: endpointOf(f.endpoint),
    message: f.message,
    evidence: [...f.evidence],
    remediation: f.remediation,
    docs: f.docs,
  };
}

/** The report as the documented contract, findings in their stable order. */
export function toJsonReport(report: Report): Report {
  const { summary } = report;
  return {
    schemaVersion: 1,
    tool: { name: report.tool.name, version: report.tool.version },
    catalog: { version: report.catalog.version },
    findings: sortedFindings(report.findings).map(findingOf),
    summary: { errors: summary.errors, warnings: summary.warnings, resources: summary.resources, endpoints: summary.endpoints },
  };
}

/** Pretty JSON (2-space indent), ending with a newline. */
export function renderJson(report: Report): string {
  return `${JSON.stringify(toJsonReport(report), null, 2)}\n`;
}
