import type { EndpointPurpose } from "../../catalog/endpoints";
import { analyzeEgress } from "../../engine/egress";
import { describeEndpoint } from "../../engine/flows";
import type { ResourceSet } from "../../model/resource";
import type { RuleContext, RuleMeta, StackRule, Violation } from "../types";
import { fixForDeniedFlow } from "./fixes";

/**
 * The check shared by every "endpoint blocked" rule: each bridge flow of the given purposes through
 * each egress gate. Denied is the flow's own severity; undetermined is a warning that says why.
 * Intercepted flows are allowed as far as reachability goes (the TLS rule reports them).
 */
export function reachabilityViolations(set: ResourceSet, context: RuleContext, purposes: readonly EndpointPurpose[]): Violation[] {
  const violations: Violation[] = [];
  for (const { gate, flow, verdict } of analyzeEgress(set, context.config).results) {
    if (!purposes.includes(flow.endpoint.purpose)) continue;
    const target = describeEndpoint(flow.endpoint);
    if (verdict.verdict === "denied") {
      violations.push({
        resource: verdict.decidedBy?.resource ?? gate.ref,
        endpoint: flow.endpoint,
        message: `${gate.label} denies ${target}: ${verdict.reason}`,
        evidence: verdict.evidence,
        severity: flow.severity,
        fix: fixForDeniedFlow(gate, flow, verdict.decidedBy, set, context.config),
      });
    } else if (verdict.verdict === "undetermined") {
      const fix = fixForDeniedFlow(gate, flow, verdict.decidedBy, set, context.config);
      violations.push({
        resource: verdict.decidedBy?.resource ?? gate.ref,
        endpoint: flow.endpoint,
        message: `${gate.label} may deny ${target} (undetermined): ${verdict.reason}`,
        evidence: verdict.evidence,
        undetermined: true,
        fix: { ...fix, description: `Make the rules decide ${flow.endpoint.host} unambiguously: ${fix.description}` },
      });
    }
  }
  return violations;
}

const EGRESS_KINDS: RuleMeta["appliesTo"] = ["azureFirewall", "firewallPolicy", "ruleCollectionGroup", "networkSecurityGroup", "securityRule"];

/** A rule whose whole check is "these endpoints get through every egress gate". */
export function reachabilityRule(meta: Omit<RuleMeta, "scope" | "appliesTo">, purposes: readonly EndpointPurpose[]): StackRule {
  return {
    meta: { ...meta, scope: "stack", appliesTo: EGRESS_KINDS },
    check: (set, context) => reachabilityViolations(set, context, purposes),
  };
}
