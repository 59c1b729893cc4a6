import type { ResourceRef } from "../model/resource";

/**
 * The destination of one outbound flow. Catalog hosts are FQDNs (maybe wildcards) whose addresses
 * Microsoft does not publish; time and DNS servers are addresses (or a host name) from configuration.
 */
export type FlowDestination =
  | {
      kind: "fqdn";
      /** Lower-case host or wildcard endpoint (`*.trafficmanager.net`). */
      host: string;
      /** Service tags whose ranges contain the host, beyond `Internet` and `AzureCloud` (see catalog). */
      serviceTags: string[];
    }
  | { kind: "address"; address: string };

/** One outbound flow from the stamp's public VIP range to one destination and port. */
export interface Flow {
  /**
   * The stamp's egress source ranges (CIDRs or single addresses). Undefined when not configured: a rule
   * whose source is not `*` then only "may" match, and the verdict says so.
   */
  sources?: string[];
  destination: FlowDestination;
  port: number;
  transport: "tcp" | "udp";
  /** Set for HTTP(S) flows, which application rules can decide. */
  appProtocol?: "Http" | "Https";
}

/** The four answers for one flow through one gate. */
export type VerdictKind = "allowed" | "denied" | "intercepted" | "undetermined";

/** The rule (or default) that decided a flow, precise enough for a person to find it in the portal. */
export interface DecidingRule {
  /** The resource that holds the rule: a rule collection group, a policy, a firewall, an NSG, a route table. */
  resource: ResourceRef;
  /** The firewall policy the rule belongs to, for policies with a parent (`basePolicy`). */
  policy?: string;
  /**
   * The firewall policy resource that holds the rule (or whose default deny decided), as the evaluator
   * joined it: the fix planner reads it and never joins resources by name again (two policies may share a
   * name in different resource groups).
   */
  policyRef?: ResourceRef;
  group?: string;
  groupPriority?: number;
  collection?: string;
  collectionPriority?: number;
  /** NSG rule priority, or route prefix length for routes. */
  priority?: number;
  rule?: string;
  action?: string;
  /** Azure Firewall only: whether a network or an application rule decided (network rules are processed first). */
  layer?: "network" | "application";
  /**
   * Where the deciding rule sits in `resource`, as a property path of the model: `ruleCollections[0].rules[2]`
   * (a rule collection group), `networkRuleCollections[1].rules[0]` (a classic firewall), `securityRules[3]`
   * (an NSG's own rule). Absent for defaults and for a standalone SecurityRule (the rule is the resource).
   * The fix planner reads it instead of looking the rule up by name.
   */
  path?: string;
  /** True when no rule matched and the gate's default decided (Azure Firewall default deny, NSG DenyAllOutBound). */
  isDefault?: boolean;
}

export interface Verdict {
  verdict: VerdictKind;
  /** Set for allowed, denied and intercepted; for undetermined, the rule that would decide if the doubt resolved. */
  decidedBy?: DecidingRule;
  /** One line: why this verdict (for undetermined: why it could not be decided). */
  reason: string;
  /** Lines a person needs to check the verdict: the matching rule, rules that may match, ties. */
  evidence: string[];
  /** For undetermined: the verdicts the doubt lies between (e.g. `["allowed", "denied"]`). */
  possible?: Exclude<VerdictKind, "undetermined">[];
}

/**
 * A three-valued match: `maybe` carries why it cannot be decided statically. `notes` carry what a person
 * should fix whatever the result (an invalid port string, an invalid FQDN wildcard).
 */
export type Match =
  | { result: "yes"; notes?: string[] }
  | { result: "no"; notes?: string[] }
  | { result: "maybe"; why: string; notes?: string[] };

export const YES: Match = { result: "yes" };
export const NO: Match = { result: "no" };
export function maybe(why: string): Match {
  return { result: "maybe", why };
}
