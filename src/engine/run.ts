import { CATALOG_VERSION } from "../catalog/endpoints";
import { ERROR_CODE_INFO } from "../catalog/codes";
import type { BridgeguardConfig, RuleSetting } from "../config/types";
import { compareFindings, REPORT_SCHEMA_VERSION, summarize, type Finding, type Report, type Severity } from "../model/finding";
import type { ResourceSet } from "../model/resource";
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
export function toFinding(meta: RuleMeta, violation: Violation, config: BridgeguardConfig): Finding {
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
  for (const rule of rules) {
    if (!isRuleEnabled(rule.meta, config)) continue;
    const context = { config };
    const violations =
      rule.meta.scope === "stack" || rule.meta.scope === "plan"
        ? (rule as Extract<Rule, { meta: { scope: "stack" | "plan" } }>).check(set, context)
        : set.resources.flatMap((resource) =>
            rule.meta.appliesTo.includes(resource.kind) ? (rule as Extract<Rule, { meta: { scope: "resource" } }>).check(resource, context) : [],
          );
    for (const violation of violations) findings.push(toFinding(rule.meta, violation, config));
  }
  return findings.sort(compareFindings);
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
