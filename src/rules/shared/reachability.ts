import type { EndpointPurpose } from "../../catalog/endpoints";
import { analyzeEgress, type GateVerdict } from "../../analysis/egress";
import { describeEndpoint } from "../../analysis/flows";
import type { DecidingRule } from "../../evaluate/types";
import type { FindingEndpoint, Severity } from "../../model/finding";
import type { ResourceSet } from "../../model/resource";
import type { RuleContext, RuleMeta, StackRule, Violation } from "../types";
import { fixForCause } from "./fixes";

/**
 * The deciding rule as a stable phrase: what a finding is about (`Finding.cause`), and part of its
 * fingerprint. Names, not priorities: renumbering a collection does not make its deny a new cause.
 */
export function causeOf(decided: DecidingRule | undefined): string | undefined {
  if (!decided) return undefined;
  if (decided.isDefault) return decided.rule !== undefined ? `default rule "${decided.rule}"` : "default deny";
  if (decided.rule === undefined) return undefined;
  const parts = [`rule "${decided.rule}"`];
  if (decided.collection !== undefined) parts.push(`collection "${decided.collection}"`);
  if (decided.group !== undefined) parts.push(`rule collection group "${decided.group}"`);
  if (decided.policy !== undefined && decided.group !== undefined) parts.push(`policy "${decided.policy}"`);
  return parts.join(" in ");
}

/** The deciding rule in words, with its priorities, for a cause's message. */
function deciderText(decided: DecidingRule): string {
  const parts = [`rule "${decided.rule}"${decided.priority !== undefined && decided.collection === undefined ? ` (priority ${decided.priority})` : ""}`];
  if (decided.collection !== undefined) parts.push(`collection "${decided.collection}" (priority ${decided.collectionPriority})`);
  if (decided.group !== undefined) parts.push(`rule collection group "${decided.group}" (priority ${decided.groupPriority})`);
  return parts.join(" in ");
}

/** `*.msauth.net:443 (https, identity)` for one endpoint; `16 identity endpoints` for more. */
export function endpointsPhrase(endpoints: readonly FindingEndpoint[]): string {
  if (endpoints.length === 1) return describeEndpoint(endpoints[0]!);
  const purposes = [...new Set(endpoints.map((e) => e.purpose))];
  return `${endpoints.length} ${purposes.join(" and ")} endpoints`;
}

/** The endpoints of a cause's results, each once, in catalog order. */
export function endpointsOf(results: readonly GateVerdict[]): FindingEndpoint[] {
  const seen = new Map<string, FindingEndpoint>();
  for (const { flow } of results) {
    const key = `${flow.endpoint.host}|${flow.endpoint.port}|${flow.endpoint.protocol}|${flow.endpoint.purpose}`;
    if (!seen.has(key)) seen.set(key, flow.endpoint);
  }
  return [...seen.values()];
}

/** The evidence of a cause: the verdict's lines when every endpoint gave the same, else the first's and a count. */
export function causeEvidence(results: readonly GateVerdict[]): string[] {
  const first = results[0]!.verdict.evidence;
  const same = results.every((r) => r.verdict.evidence.length === first.length && r.verdict.evidence.every((line, i) => line === first[i]));
  if (same || results.length === 1) return [...first];
  return [...first, `the same decision for the other ${endpointsOf(results).length - 1} endpoint(s) of this finding`];
}

function reasonOf(results: readonly GateVerdict[]): string {
  const first = results[0]!.verdict;
  if (results.every((r) => r.verdict.reason === first.reason)) return first.reason;
  const decided = first.decidedBy;
  if (decided && !decided.isDefault && decided.rule !== undefined) return `${deciderText(decided)} ${first.verdict === "undetermined" ? "may decide" : "matches and denies"}`;
  return first.verdict === "undetermined" ? `${first.reason} (and other reasons: see the evidence)` : first.reason.replace(/^no rule matches [^;]*;/, "no rule matches;");
}

/** Groups results by cause: the verdict kind, the level, and the deciding rule (or the gate, when nothing decided). */
export function groupByCause(results: Iterable<GateVerdict>, levelOf: (r: GateVerdict) => Severity | "undetermined"): GateVerdict[][] {
  const groups = new Map<string, GateVerdict[]>();
  for (const result of results) {
    const decided = result.verdict.decidedBy;
    const where = decided ? `${decided.resource.urn}|${causeOf(decided) ?? ""}|${decided.collectionPriority ?? ""}|${decided.priority ?? ""}` : `${result.gate.ref.urn}|${result.verdict.reason}`;
    const key = `${levelOf(result)}|${where}`;
    const group = groups.get(key);
    if (group) group.push(result);
    else groups.set(key, [result]);
  }
  return [...groups.values()];
}

/**
 * The check shared by every "endpoint blocked" rule: each bridge flow of the given purposes through each
 * egress gate, one violation per cause (the deciding rule or default) with every endpoint it breaks.
 * Denied is the flows' own severity; undetermined is a warning that says why. Intercepted flows are
 * allowed as far as reachability goes (the TLS rule reports them).
 */
export function reachabilityViolations(set: ResourceSet, context: RuleContext, purposes: readonly EndpointPurpose[]): Violation[] {
  const blocked = analyzeEgress(set, context.config).results.filter(
    (r) => purposes.includes(r.flow.endpoint.purpose) && (r.verdict.verdict === "denied" || r.verdict.verdict === "undetermined"),
  );
  return groupByCause(blocked, (r) => (r.verdict.verdict === "undetermined" ? "undetermined" : r.flow.severity)).map((results): Violation => {
    const { gate, verdict } = results[0]!;
    const endpoints = endpointsOf(results);
    const undetermined = verdict.verdict === "undetermined";
    const cause = causeOf(verdict.decidedBy);
    const fix = fixForCause(results, set, context.config);
    return {
      resource: verdict.decidedBy?.resource ?? gate.ref,
      endpoints,
      ...(cause !== undefined || undetermined ? { cause: `${undetermined ? "may deny: " : ""}${cause ?? verdict.reason}` } : {}),
      message: `${gate.label} ${undetermined ? "may deny" : "denies"} ${endpointsPhrase(endpoints)}${undetermined ? " (undetermined)" : ""}: ${reasonOf(results)}`,
      evidence: causeEvidence(results),
      ...(undetermined ? { undetermined: true } : { severity: results[0]!.flow.severity }),
      fix: undetermined && typeof fix === "object" ? { ...fix, description: `Make the rules decide ${endpoints.length === 1 ? endpoints[0]!.host : "these endpoints"} unambiguously: ${fix.description}` } : fix,
    };
  });
}

const EGRESS_KINDS: RuleMeta["appliesTo"] = ["azureFirewall", "firewallPolicy", "ruleCollectionGroup", "networkSecurityGroup", "securityRule"];

/** A rule whose whole check is "these endpoints get through every egress gate". */
export function reachabilityRule(meta: Omit<RuleMeta, "scope" | "appliesTo">, purposes: readonly EndpointPurpose[]): StackRule {
  return {
    meta: { ...meta, scope: "stack", appliesTo: EGRESS_KINDS },
    check: (set, context) => reachabilityViolations(set, context, purposes),
  };
}
