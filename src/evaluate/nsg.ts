/**
 * NSG outbound decision (resources.md, "NSG outbound decision"): rules with direction Outbound by
 * ascending priority, first match wins; Azure's default rules follow them.
 */
import type { ResourceRef, SecurityRule } from "../model/resource";
import { addressProblem, matchDestinations, matchSources, parseAddressEntry } from "./addresses";
import { firstMatch, type Candidate, type Effect, type Fallback } from "./first-match";
import { equalsIgnoreCase } from "./case";
import { allOf } from "./match";
import { memoizeByObject } from "./memo";
import { matchPorts, portProblem } from "./ports";
import { NO, YES, type DecidingRule, type Flow, type Match, type Verdict } from "./types";

function defaultRule(name: string, priority: number, access: SecurityRule["access"], source: string, destination: string): SecurityRule {
  return {
    name,
    direction: "Outbound",
    access,
    priority,
    protocol: "*",
    sourceAddressPrefixes: [source],
    destinationAddressPrefixes: [destination],
    destinationPortRanges: ["*"],
    isDefault: true,
  };
}

/** The outbound rules Azure adds to every NSG, after the user's (NSG overview, "Default security rules"). */
export const NSG_DEFAULT_OUTBOUND_RULES: readonly SecurityRule[] = [
  defaultRule("AllowVnetOutBound", 65000, "Allow", "VirtualNetwork", "VirtualNetwork"),
  defaultRule("AllowInternetOutBound", 65001, "Allow", "*", "Internet"),
  defaultRule("DenyAllOutBound", 65500, "Deny", "*", "*"),
];

function matchProtocol(protocol: string, transport: Flow["transport"]): Match {
  return protocol === "*" || equalsIgnoreCase(protocol, transport) ? YES : NO;
}

/**
 * Traffic an NSG sees outbound leaves a NIC or subnet of the virtual network, or is forwarded from a
 * peered or gateway-connected network: all of which the `VirtualNetwork` tag contains. So a rule whose
 * source is `VirtualNetwork` covers the flow; other source tags cannot be resolved statically.
 */
function matchNsgSources(prefixes: readonly string[], flow: Flow): Match {
  const coversVnet = prefixes.some((p) => {
    const entry = parseAddressEntry(p);
    return entry.kind === "name" && equalsIgnoreCase(entry.text, "virtualnetwork");
  });
  return coversVnet ? YES : matchSources(prefixes, flow.sources);
}

function matchSecurityRule(rule: SecurityRule, flow: Flow): Match {
  const protocol = matchProtocol(rule.protocol, flow.transport);
  const sources = matchNsgSources(rule.sourceAddressPrefixes, flow);
  const destinations = matchDestinations(rule.destinationAddressPrefixes, flow.destination);
  const ports = matchPorts(rule.destinationPortRanges, flow.port);
  // Every condition is evaluated, for its notes (an invalid prefix or port); without notes or doubt
  // (nearly always), the answer needs no combining.
  if (!sources.notes && !destinations.notes && !ports.notes) {
    if (protocol === NO || sources.result === "no" || destinations.result === "no" || ports.result === "no") return NO;
    if (sources.result === "yes" && destinations.result === "yes" && ports.result === "yes") return protocol;
  }
  return allOf([protocol, sources, destinations, ports]);
}

/** A rule that matches or may match a flow; its label and deciding-rule record are built only when a verdict reads them. */
class SecurityRuleCandidate implements Candidate {
  readonly effect: Effect;

  constructor(
    private readonly nsg: ResourceRef,
    private readonly rules: readonly SecurityRule[],
    private readonly rule: SecurityRule,
    readonly match: Match,
    private readonly ruleOwner: (rule: SecurityRule) => ResourceRef,
  ) {
    this.effect = rule.access === "Allow" ? "allowed" : "denied";
  }

  get label(): string {
    return ruleLabel(this.nsg.name, this.rule);
  }

  get decidedBy(): DecidingRule {
    const { nsg, rule } = this;
    const resource = rule.isDefault ? nsg : this.ruleOwner(rule);
    // The NSG's own rules come first in `rules`, in the order of its `securityRules`.
    const path = !rule.isDefault && resource.urn === nsg.urn ? { path: `securityRules[${this.rules.indexOf(rule)}]` } : {};
    return { resource, priority: rule.priority, rule: rule.name, action: rule.access, isDefault: rule.isDefault, ...path };
  }
}

/** The outbound rules in evaluation order, then Azure's defaults: the same for every flow, so sorted once. */
const outboundInOrder = memoizeByObject((rules: readonly SecurityRule[]): readonly SecurityRule[] =>
  rules
    .filter((r) => r.direction === "Outbound" && !r.isDefault)
    .sort((a, b) => a.priority - b.priority)
    .concat(NSG_DEFAULT_OUTBOUND_RULES),
);

/** Every value of an NSG rule that matches nothing, in the words its evaluation uses (see BG209). */
export function securityRuleProblems(rule: SecurityRule): string[] {
  const problems: string[] = [];
  const add = (problem: string | undefined) => problem !== undefined && problems.push(problem);
  for (const s of rule.sourceAddressPrefixes) add(addressProblem(s, "source"));
  for (const d of rule.destinationAddressPrefixes) add(addressProblem(d, "destination"));
  for (const p of rule.destinationPortRanges) add(portProblem(p));
  return problems;
}

function ruleLabel(nsgName: string, rule: SecurityRule): string {
  return `${rule.isDefault ? "default rule" : "rule"} "${rule.name}" (priority ${rule.priority}, ${rule.access}) of NSG "${nsgName}"`;
}

/**
 * Evaluate the outbound rules of one NSG (its inline rules, in order, then standalone `SecurityRule`
 * resources, joined by the caller: a deciding inline rule's `path` is its index here). Rules Azure adds itself are taken from `NSG_DEFAULT_OUTBOUND_RULES`, so copies of them
 * in `rules` (ARM's `defaultSecurityRules`) are ignored. `ruleOwner` names the resource holding a rule
 * (a standalone SecurityRule), default: the NSG.
 */
export function evaluateNsgOutbound(
  nsg: ResourceRef,
  rules: readonly SecurityRule[],
  flow: Flow,
  ruleOwner: (rule: SecurityRule) => ResourceRef = () => nsg,
): Verdict {
  const candidates: Candidate[] = [];
  for (const rule of outboundInOrder(rules)) {
    const match = matchSecurityRule(rule, flow);
    // A plain "no" can neither decide nor leave doubt (NSG rules never tie): only its notes matter.
    if (match.result === "no" && !match.notes?.length) continue;
    candidates.push(new SecurityRuleCandidate(nsg, rules, rule, match, ruleOwner));
  }
  // DenyAllOutBound matches everything; this fallback only keeps the walk total.
  const fallback: Fallback = {
    effect: "denied",
    decidedBy: { resource: nsg, priority: 65500, rule: "DenyAllOutBound", action: "Deny", isDefault: true },
    reason: "DenyAllOutBound (65500) denies it",
  };
  return firstMatch(candidates, fallback, flow);
}
