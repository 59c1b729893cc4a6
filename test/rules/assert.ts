/**
 * Assertions that read like the requirement: "BG201 reports an error on the rule collection group
 * `deny-web` for *.trafficmanager.net:443". Findings come from the real runtime path (`runRules`), so
 * every assertion also covers `toFinding` (code, docs, remediation).
 */
import { expect } from "vitest";
import { ERROR_CODE_INFO, type ErrorCode } from "../../src/catalog/codes";
import type { BridgeguardConfig } from "../../src/config/types";
import { runRules } from "../../src/engine/run";
import type { Finding, Severity } from "../../src/model/finding";
import type { ResourceSet } from "../../src/model/resource";
import { findRule } from "../../src/rules";
import { healthyConfig } from "./fixtures";

/** Every enabled rule over the set, as the CLI, the policy pack and the program run them. */
export function audit(set: ResourceSet, config: BridgeguardConfig = healthyConfig()): Finding[] {
  return runRules(set, config);
}

export interface ExpectedFinding {
  /** Rule id, `BG201`. */
  rule: string;
  severity: Severity;
  /** Defaults to the rule's code. */
  code?: ErrorCode;
  /** The resource at fault, by name (`ref.name`) and/or URN. */
  resourceName?: string;
  resourceUrn?: string;
  host?: string;
  port?: number;
  protocol?: string;
  /** Substrings the message must contain. */
  message?: string | string[];
  /** Substrings each of which some evidence line must contain. */
  evidence?: string[];
  /** Substrings the remediation must contain. */
  remediation?: string | string[];
}

function list(value: string | string[] | undefined): string[] {
  return value === undefined ? [] : Array.isArray(value) ? value : [value];
}

function mismatches(finding: Finding, expected: ExpectedFinding): string[] {
  const problems: string[] = [];
  const check = (what: string, actual: unknown, wanted: unknown) => {
    if (wanted !== undefined && actual !== wanted) problems.push(`${what}: ${String(actual)} (wanted ${String(wanted)})`);
  };
  check("rule", finding.rule.id, expected.rule);
  check("severity", finding.severity, expected.severity);
  check("code", finding.code, expected.code ?? findRule(expected.rule)?.meta.code);
  check("resource name", finding.resource.name, expected.resourceName);
  check("resource urn", finding.resource.urn, expected.resourceUrn);
  // A finding is a cause: the expected endpoint is one of those it breaks.
  if (expected.host !== undefined || expected.port !== undefined || expected.protocol !== undefined) {
    const hit = finding.endpoints.some(
      (e) =>
        (expected.host === undefined || e.host === expected.host) &&
        (expected.port === undefined || e.port === expected.port) &&
        (expected.protocol === undefined || e.protocol === expected.protocol),
    );
    if (!hit) problems.push(`no endpoint ${expected.host ?? "*"}:${expected.port ?? "*"}/${expected.protocol ?? "*"} among ${finding.endpoints.map((e) => `${e.host}:${e.port}/${e.protocol}`).join(", ") || "(none)"}`);
  }
  for (const part of list(expected.message)) if (!finding.message.includes(part)) problems.push(`message lacks "${part}"`);
  for (const part of expected.evidence ?? []) if (!finding.evidence.some((line) => line.includes(part))) problems.push(`evidence lacks "${part}"`);
  for (const part of list(expected.remediation)) if (!finding.remediation.includes(part)) problems.push(`remediation lacks "${part}"`);
  return problems;
}

function show(finding: Finding): string {
  const endpoint = finding.endpoints.length > 0 ? ` ${finding.endpoints.map((e) => `${e.host}:${e.port}/${e.protocol}`).join(", ")}` : "";
  return `${finding.rule.id} ${finding.severity} ${finding.code} on ${finding.resource.name}${endpoint}: ${finding.message}\n      evidence: ${finding.evidence.join(" | ")}`;
}

export function findingsOf(findings: readonly Finding[], ruleId: string): Finding[] {
  return findings.filter((f) => f.rule.id === ruleId);
}

/**
 * Some finding has every expected property; it is returned for further checks. Every finding also
 * carries its rule's docs page and its code's documented remediation.
 */
export function assertHasFinding(findings: readonly Finding[], expected: ExpectedFinding): Finding {
  const candidates = findingsOf(findings, expected.rule);
  const found = candidates.find((f) => mismatches(f, expected).length === 0);
  if (!found) {
    const near = candidates.map((f) => `  - ${show(f)}\n    differs: ${mismatches(f, expected).join("; ")}`).join("\n");
    expect.fail(`no ${expected.rule} finding like ${JSON.stringify(expected)}\n${candidates.length ? `${expected.rule} findings:\n${near}` : `no ${expected.rule} finding at all; all findings:\n${findings.map((f) => `  - ${show(f)}`).join("\n") || "  (none)"}`}`);
  }
  expect(found.docs).toBe(`docs/rules/${expected.rule}.md`);
  expect(found.remediation).toContain(ERROR_CODE_INFO[found.code].remediation);
  return found;
}

/** No finding of the rule (optionally: none about this host, or this host and port). */
export function assertNoFindings(findings: readonly Finding[], ruleId: string, endpoint: { host?: string; port?: number } = {}): void {
  const unwanted = findingsOf(findings, ruleId).filter(
    (f) =>
      (endpoint.host === undefined && endpoint.port === undefined) ||
      f.endpoints.some((e) => (endpoint.host === undefined || e.host === endpoint.host) && (endpoint.port === undefined || e.port === endpoint.port)),
  );
  if (unwanted.length > 0) expect.fail(`unexpected ${ruleId} finding(s):\n${unwanted.map((f) => `  - ${show(f)}`).join("\n")}`);
}

/** The `host:port` of every endpoint the rule's findings break, sorted: for "exactly these endpoints" assertions. */
export function endpointsOf(findings: readonly Finding[], ruleId: string): string[] {
  return findingsOf(findings, ruleId)
    .flatMap((f) => (f.endpoints.length > 0 ? f.endpoints.map((e) => `${e.host}:${e.port}`) : ["(none)"]))
    .sort();
}

/** A rule's metadata as data: what the CLI's `rules`, the docs page and the policy pack are generated from. */
export function assertRuleMeta(
  ruleId: string,
  expected: { slug: string; code: ErrorCode; severity: Severity; scope: "resource" | "stack" },
): void {
  const rule = findRule(ruleId);
  if (!rule) return expect.fail(`no rule ${ruleId} in ALL_RULES`);
  expect(rule.meta).toMatchObject({ id: ruleId, ...expected });
  expect(findRule(expected.slug)).toBe(rule);
}
