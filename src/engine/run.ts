import { CATALOG_VERSION } from "../catalog/endpoints";
import { ERROR_CODE_INFO } from "../catalog/codes";
import type { BridgeguardConfig, RuleSetting } from "../config/types";
import { compareFindings, REPORT_SCHEMA_VERSION, summarize, type Finding, type Report, type Severity } from "../model/finding";
import type { Resource, ResourceKind, ResourceSet } from "../model/resource";
import { ALL_RULES } from "../rules";
import type { Rule, RuleMeta, Violation } from "../rules/types";
import { docsPath } from "../project";
import { TOOL_VERSION } from "../version";
import { analyzeEgress } from "../analysis/egress";
import { fingerprintOf } from "./fingerprint";

export { docsPath };

/** The rule's setting from config, by id or slug (an id wins when both are given). */
export function ruleSetting(meta: RuleMeta, config: BridgeguardConfig): RuleSetting {
  return { ...config.rules[meta.slug], ...config.rules[meta.id] };
}

export function isRuleEnabled(meta: RuleMeta, config: BridgeguardConfig): boolean {
  return ruleSetting(meta, config).enabled !== false;
}

/**
 * The severity configuration sets for a rule's findings, if any. Precedence: `rules.<id>`, then
 * `rules.<slug>`, then `codes.<Code>` (the rule's error code): the most specific setting wins.
 */
export function severityOverride(meta: RuleMeta, config: BridgeguardConfig): Severity | undefined {
  return ruleSetting(meta, config).severity ?? config.codes?.[meta.code]?.severity;
}

/** Turns a check's violation into the finding every front end reports. */
export function toFinding(ruleMeta: RuleMeta, violation: Violation, config: BridgeguardConfig): Finding {
  // A violation whose code follows the broken flow carries that code, its documented remediation and its
  // `codes.<Code>` severity setting.
  const meta = violation.code && violation.code !== ruleMeta.code ? { ...ruleMeta, code: violation.code } : ruleMeta;
  const override = severityOverride(meta, config);
  // An override moves the rule's level; what the check could not decide stays a warning.
  const severity = violation.undetermined ? "warning" : (override ?? violation.severity ?? meta.severity);
  // A concrete fix supersedes the rule's general advice; the code's documented remediation always follows.
  const fix = typeof violation.fix === "object" ? violation.fix : undefined;
  const fixText = typeof violation.fix === "string" ? violation.fix : fix?.description;
  const remediation = [fixText ?? meta.remediation, `Documented remediation for ${meta.code}: ${ERROR_CODE_INFO[meta.code].remediation}`]
    .filter((part): part is string => Boolean(part))
    .join(" ");
  const endpoints = violation.endpoints ?? (violation.endpoint ? [violation.endpoint] : []);
  const finding: Finding = {
    code: meta.code,
    rule: { id: meta.id, slug: meta.slug },
    severity,
    resource: violation.resource,
    endpoints,
    ...(violation.cause !== undefined ? { cause: violation.cause } : {}),
    message: violation.message,
    evidence: violation.evidence,
    remediation,
    docs: docsPath(meta),
    // The same fix as data (the rule to add, the property to change), for formatters and tools.
    ...(fix ? { fix } : {}),
  };
  finding.fingerprint = fingerprintOf(finding);
  return finding;
}

/** Runs every enabled rule over one resource set. Resource rules see each resource, stack rules the set. */
export function runRules(set: ResourceSet, config: BridgeguardConfig, rules: readonly Rule[] = ALL_RULES): Finding[] {
  const findings: Finding[] = [];
  const kinds = positionsByKind(set.resources);
  for (const rule of rules) {
    if (!isRuleEnabled(rule.meta, config)) continue;
    const context = { config };
    let violations: Violation[];
    if (rule.meta.scope === "stack" || rule.meta.scope === "plan") {
      violations = (rule as Extract<Rule, { meta: { scope: "stack" | "plan" } }>).check(set, context);
    } else {
      violations = [];
      const check = (rule as Extract<Rule, { meta: { scope: "resource" } }>).check;
      for (const position of positionsOf(kinds, rule.meta.appliesTo)) for (const v of check(set.resources[position]!, context)) violations.push(v);
    }
    for (const violation of violations) findings.push(toFinding(rule.meta, violation, config));
  }
  return findings.sort(compareFindings);
}

/**
 * Where each kind of resource sits in the set. A resource rule reads a few kinds among a stack of mostly
 * others: it visits those, not every resource (with a dozen resource rules and 100,000 resources, asking
 * each resource whether each rule applies cost more than the checks).
 */
function positionsByKind(resources: readonly Resource[]): Map<ResourceKind, number[]> {
  const kinds = new Map<ResourceKind, number[]>();
  for (let i = 0; i < resources.length; i++) {
    const kind = resources[i]!.kind;
    const list = kinds.get(kind);
    if (list) list.push(i);
    else kinds.set(kind, [i]);
  }
  return kinds;
}

/** The positions of the resources of any of `kinds`, in the set's order (the order rules always saw). */
function positionsOf(byKind: Map<ResourceKind, number[]>, kinds: readonly ResourceKind[]): readonly number[] {
  const lists = [...new Set(kinds)].map((kind) => byKind.get(kind) ?? []).filter((list) => list.length > 0);
  if (lists.length === 0) return [];
  if (lists.length === 1) return lists[0]!;
  return lists.flat().sort((a, b) => a - b);
}

/** The number of endpoint flows evaluated against at least one egress gate. */
export function endpointsEvaluated(set: ResourceSet, config: BridgeguardConfig): number {
  const analysis = analyzeEgress(set, config);
  return analysis.gates.length > 0 ? analysis.flows.length : 0;
}

export function buildReport(findings: Finding[], resources: number, endpoints: number): Report {
  return {
    schemaVersion: REPORT_SCHEMA_VERSION,
    tool: { name: "bridgeguard", version: TOOL_VERSION },
    catalog: { version: CATALOG_VERSION },
    findings,
    summary: summarize(findings, resources, endpoints),
  };
}

/** The audit of one resource set: the findings of every enabled rule, as a report with the bridge's path. */
export function auditResourceSet(set: ResourceSet, config: BridgeguardConfig, rules: readonly Rule[] = ALL_RULES): Report {
  const findings = runRules(set, config, rules);
  return { ...buildReport(findings, set.resources.length, endpointsEvaluated(set, config)), path: analyzeEgress(set, config).path };
}
