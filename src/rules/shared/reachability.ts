import { BRIDGE_PURPOSES, type EndpointPurpose } from "../../catalog/endpoints";
import type { BridgeguardConfig } from "../../config/types";
import { analyzeEgress, type EgressAnalysis, type GateVerdict } from "../../analysis/egress";
import { describeEndpoint } from "../../analysis/flows";
import { append } from "../../evaluate/multimap";
import type { DecidingRule } from "../../evaluate/types";
import type { FindingEndpoint, Severity } from "../../model/finding";
import type { ResourceSet } from "../../model/resource";
import type { RuleMeta, StackRule, Violation } from "../types";
import { fixForCause } from "../../fixes/cause";

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

/** The endpoints of a cause's results, each host, port and protocol once (under its first purpose), in catalog order. */
export function endpointsOf(results: readonly GateVerdict[]): FindingEndpoint[] {
  const seen = new Map<string, FindingEndpoint>();
  for (const { flow } of results) {
    const key = `${flow.endpoint.host}|${flow.endpoint.port}|${flow.endpoint.protocol}`;
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
 * A rule whose whole check is "these endpoints get through every egress gate", as the shared check knows
 * it: its id, slug and code, and the purposes it covers.
 */
interface ReachabilityEntry {
  meta: Pick<RuleMeta, "id" | "slug" | "code">;
  purposes: readonly EndpointPurpose[];
}

/** Every reachability rule, registered by `reachabilityRule` as the rule modules load. */
const REACHABILITY_RULES: ReachabilityEntry[] = [];

/** Whether the configuration leaves a rule on (`rules.<id>` or `rules.<slug>` with `enabled: false` turns it off). */
function isEnabled(meta: ReachabilityEntry["meta"], config: BridgeguardConfig): boolean {
  return { ...config.rules[meta.slug], ...config.rules[meta.id] }.enabled !== false;
}

/** The purposes in the order that decides which rule reports an endpoint listed under several. */
function purposeRank(purpose: EndpointPurpose): number {
  const rank = BRIDGE_PURPOSES.indexOf(purpose);
  return rank < 0 ? BRIDGE_PURPOSES.length : rank;
}

/** The enabled rule that covers a purpose, if any. */
function ownerOf(purpose: EndpointPurpose, entries: readonly ReachabilityEntry[]): ReachabilityEntry | undefined {
  return entries.find((e) => e.purposes.includes(purpose));
}

/** A cause's blocked results as one violation (the code and owner are the caller's). */
function causeViolation(results: readonly GateVerdict[], analysis: EgressAnalysis): Violation {
  const { gate, verdict } = results[0]!;
  const endpoints = endpointsOf(results);
  const undetermined = verdict.verdict === "undetermined";
  const cause = causeOf(verdict.decidedBy);
  const fix = fixForCause(results, analysis);
  return {
    resource: verdict.decidedBy?.resource ?? gate.ref,
    endpoints,
    ...(cause !== undefined || undetermined ? { cause: `${undetermined ? "may deny: " : ""}${cause ?? verdict.reason}` } : {}),
    message: `${gate.label} ${undetermined ? "may deny" : "denies"} ${endpointsPhrase(endpoints)}${undetermined ? " (undetermined)" : ""}: ${reasonOf(results)}`,
    evidence: causeEvidence(results),
    ...(undetermined ? { undetermined: true } : { severity: results[0]!.flow.severity }),
    fix: undetermined && typeof fix === "object" ? { ...fix, description: `Make the rules decide ${endpoints.length === 1 ? endpoints[0]!.host : "these endpoints"} unambiguously: ${fix.description}` } : fix,
  };
}

const causesMemo = new WeakMap<EgressAnalysis, Map<string, Violation[]>>();

/**
 * Every blocked bridge flow of the stack as causes, each reported ONCE across the reachability rules:
 * - an endpoint listed under several purposes (`management.azure.com:443` is both the registration and an
 *   identity endpoint) counts once per gate, under its first purpose in the catalog's order (usage,
 *   registration, identity, time, dns), so the same deny is never reported under BG202 and BG301;
 * - the flows one deciding rule (or default deny) blocks make one cause, split by the code their loss
 *   raises (error-codes.md): one finding per cause and code, never one per endpoint or per rule;
 * - the cause is reported by the rule of its first purpose (usage endpoints and the ARM endpoint denied by
 *   one rule are one BG201 finding, NetworkError); a disabled rule's purposes are not checked.
 * Returns the violations by rule id, computed once per egress analysis.
 */
function reachabilityCauses(set: ResourceSet, config: BridgeguardConfig): Map<string, Violation[]> {
  const analysis = analyzeEgress(set, config);
  const cached = causesMemo.get(analysis);
  if (cached) return cached;
  const entries = REACHABILITY_RULES.filter((e) => isEnabled(e.meta, config));
  const kept = new Map<string, GateVerdict>();
  for (const r of analysis.results) {
    if (r.verdict.verdict !== "denied" && r.verdict.verdict !== "undetermined") continue;
    if (!ownerOf(r.flow.endpoint.purpose, entries)) continue;
    const { host, port, protocol } = r.flow.endpoint;
    const key = `${r.gate.ref.urn}|${host}|${port}|${protocol}`;
    const other = kept.get(key);
    if (!other || purposeRank(r.flow.endpoint.purpose) < purposeRank(other.flow.endpoint.purpose)) kept.set(key, r);
  }
  const blocked = [...kept.values()].sort((a, b) => purposeRank(a.flow.endpoint.purpose) - purposeRank(b.flow.endpoint.purpose));
  const byRule = new Map<string, Violation[]>();
  for (const group of groupByCause(blocked, (r) => (r.verdict.verdict === "undetermined" ? "undetermined" : r.flow.severity))) {
    const byCode = new Map<string, GateVerdict[]>();
    for (const r of group) {
      append(byCode, ownerOf(r.flow.endpoint.purpose, entries)!.meta.code, r);
    }
    for (const results of byCode.values()) {
      // Sorted by purpose: the first result's purpose names the rule that reports the cause.
      const owner = ownerOf(results[0]!.flow.endpoint.purpose, entries)!;
      append(byRule, owner.meta.id, causeViolation(results, analysis));
    }
  }
  causesMemo.set(analysis, byRule);
  return byRule;
}

/** The rule pages' account of `reachabilityCauses`. */
const GROUPING = [
  "A finding is a cause: the rule that decides (or a firewall's default deny, an NSG's DenyAllOutBound) at one",
  "gate, with every bridge endpoint it breaks. BG108, BG201, BG202, BG204 and BG301 share one check, so a cause",
  "is reported once whichever of them list its endpoints: an endpoint listed for several purposes",
  "(`management.azure.com:443` serves registration and identity) counts under its first purpose in the order",
  "usage, registration, identity, time, dns; the cause's endpoints are then split by the code their loss raises",
  "(one finding per cause and code), and each finding is reported by the rule of its first purpose. A deny of",
  "the usage hosts and the ARM endpoint is one BG201 `NetworkError` finding; a default deny of the identity",
  "endpoints and the time server is one BG301 `LoginError` and one BG108 `Unauthorized` finding. Turning a",
  "rule off (`enabled: false`) leaves its purposes unchecked.",
].join(" ");

const EGRESS_KINDS: RuleMeta["appliesTo"] = ["azureFirewall", "firewallPolicy", "ruleCollectionGroup", "networkSecurityGroup", "securityRule"];

/**
 * A rule whose whole check is "these endpoints get through every egress gate". The rules share one check
 * (`reachabilityCauses`): each reports the causes whose first purpose it covers, so that a deny is one
 * finding whichever rules list its endpoints. Denied is the flows' own severity; undetermined is a warning
 * that says why. Intercepted flows are allowed as far as reachability goes (the TLS rule reports them).
 */
export function reachabilityRule(meta: Omit<RuleMeta, "scope" | "appliesTo" | "grouping">, purposes: readonly EndpointPurpose[]): StackRule {
  REACHABILITY_RULES.push({ meta, purposes });
  return {
    meta: { ...meta, scope: "stack", appliesTo: EGRESS_KINDS, grouping: GROUPING },
    check: (set, context) => reachabilityCauses(set, context.config).get(meta.id) ?? [],
  };
}
