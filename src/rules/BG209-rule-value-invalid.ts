import { analyzeEgress } from "../analysis/egress";
import { firewallRuleProblems } from "../evaluate/firewall";
import { hasNsgInStack } from "../evaluate/gates";
import { securityRuleProblems } from "../evaluate/nsg";
import { ofKind, type Resource, type RuleCollection, type SecurityRule } from "../model/resource";
import type { StackRule, Violation } from "./types";

/**
 * Values Azure's semantics make match nothing: a `*` anywhere but the far left of an FQDN pattern, a
 * wildcard in a network rule's FQDNs, a port or address that is not one, a service tag Azure Firewall does not take
 * (`Internet`, source tags). Each verdict names them when it
 * walks past such a rule; this reports them whatever the verdicts, because a rule meant for the bridge
 * that matches nothing is a rule the next change relies on in vain (resources.md: "report it").
 *
 * Only in the gates on the bridge's path: a gate the stack shows to be off it (an application team's policy
 * attached to no firewall of the stack, a workload subnet's NSG) is not evaluated (resources.md, "Which
 * gates are on the bridge's path"), and what its rules match is not the bridge's concern. A standalone NSG
 * rule whose NSG the stack does not show is not shown to be off the path: it is checked.
 */
export const ruleValueInvalid: StackRule = {
  meta: {
    id: "BG209",
    slug: "rule-value-invalid",
    code: "NetworkError",
    severity: "warning",
    title: "Every firewall and NSG rule value is one Azure matches",
    why: "Azure Firewall accepts `*` only at the far left of an application-rule FQDN and matches network-rule FQDNs exactly; a port or address it cannot read matches no traffic. Service tags are NSG and firewall vocabulary with differences: `Internet`, `VirtualNetwork` and the other tags the service-tags table marks \"Can use with Azure Firewall: No\" mean nothing to a firewall rule, and a firewall takes service tags as destinations only. A rule written to let the bridge out that holds such a value lets nothing out, and the bridge sees NetworkError when no other rule covers it.",
    remediation:
      "Correct the value (`*.example.com`, not `login.*.com`; an application rule for wildcard FQDNs; ports as `443` or `443-444`; in a firewall rule `*` or the service's own tag instead of `Internet`, and addresses instead of a source tag) or remove it.",
    scope: "stack",
    appliesTo: ["ruleCollectionGroup", "azureFirewall", "networkSecurityGroup", "securityRule"],
    grouping: [
      "One finding per resource that holds such values (a rule collection group, a classic firewall, an NSG, a standalone",
      "NSG rule), listing them all; and only in the gates on the bridge's path. A gate the stack shows to be off it (a",
      "firewall policy attached to no firewall of a stack that has firewalls, an NSG attached only to subnets that do not",
      "hold the egress sources, a firewall the routes send the flows around, a gate `egress.resources` does not name) is",
      "not evaluated, and what its rules match is not the bridge's concern; the report names it once as left out. A",
      "standalone NSG rule whose NSG is not in the stack is checked.",
    ].join(" "),
  },
  check(set, { config }) {
    // The gates on the path hold what is checked (a parent policy's groups may be in two gates' chains: once).
    const checked = new Set<Resource>(analyzeEgress(set, config).gates.flatMap((gate) => gate.resources));
    for (const rule of ofKind(set, "securityRule")) if (!checked.has(rule) && !hasNsgInStack(set, rule)) checked.add(rule);
    return [...checked].flatMap(violationsOf);
  },
};

function violationsOf(resource: Resource): Violation[] {
  const problems = problemsOf(resource);
  if (problems.length === 0) return [];
  const rules = new Set(problems.map((p) => p.rule));
  return [
    {
      resource: resource.ref,
      message: `${problems.length} value(s) in ${rules.size} rule(s) match nothing: ${[...rules].join(", ")}`,
      evidence: problems.map((p) => `${p.rule}: ${p.problem}`),
    },
  ];
}

interface Problem {
  /** Where the rule is, as a person finds it in the portal. */
  rule: string;
  problem: string;
}

function problemsOf(resource: Resource): Problem[] {
  switch (resource.kind) {
    case "ruleCollectionGroup":
      return collectionProblems(resource.ruleCollections);
    case "azureFirewall":
      return collectionProblems([...resource.networkRuleCollections, ...resource.applicationRuleCollections]);
    case "networkSecurityGroup":
      return resource.securityRules.flatMap(nsgRuleProblems);
    case "securityRule":
      return nsgRuleProblems(resource.rule);
    default:
      return [];
  }
}

function collectionProblems(collections: readonly RuleCollection[]): Problem[] {
  const problems: Problem[] = [];
  for (const c of collections) {
    // NAT collections never decide an outbound flow: what they hold is not the bridge's concern.
    if (c.collectionKind === "nat") continue;
    for (const r of c.rules) for (const problem of firewallRuleProblems(r)) problems.push({ rule: `collection "${c.name}" > rule "${r.name}"`, problem });
  }
  return problems;
}

function nsgRuleProblems(rule: SecurityRule): Problem[] {
  // Inbound rules and Azure's own defaults never decide the bridge's outbound traffic.
  if (rule.direction !== "Outbound" || rule.isDefault) return [];
  return securityRuleProblems(rule).map((problem) => ({ rule: `rule "${rule.name}"`, problem }));
}
