/**
 * NSG outbound decision (resources.md, "NSG outbound decision"): rules with direction Outbound by
 * ascending priority, first match wins; Azure's default rules follow them.
 */
import type { ResourceRef, SecurityRule } from "../model/resource";
import { matchDestinations, matchSources, parseAddressEntry } from "./addresses";
import { firstMatch, type Candidate, type Fallback } from "./first-match";
import { allOf } from "./match";
import { matchPorts } from "./ports";
import { NO, YES, type Flow, type Match, type Verdict } from "./types";

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
  return protocol === "*" || protocol.toLowerCase() === transport ? YES : NO;
}

/**
 * Traffic an NSG sees outbound leaves a NIC or subnet of the virtual network, or is forwarded from a
 * peered or gateway-connected network: all of which the `VirtualNetwork` tag contains. So a rule whose
 * source is `VirtualNetwork` covers the flow; other source tags cannot be resolved statically.
 */
function matchNsgSources(prefixes: readonly string[], flow: Flow): Match {
  const coversVnet = prefixes.some((p) => {
    const entry = parseAddressEntry(p);
    return entry.kind === "name" && entry.text.toLowerCase() === "virtualnetwork";
  });
  return coversVnet ? YES : matchSources(prefixes, flow.sources);
}

function matchSecurityRule(rule: SecurityRule, flow: Flow): Match {
  return allOf([
    matchProtocol(rule.protocol, flow.transport),
    matchNsgSources(rule.sourceAddressPrefixes, flow),
    matchDestinations(rule.destinationAddressPrefixes, flow.destination),
    matchPorts(rule.destinationPortRanges, flow.port),
  ]);
}

function ruleLabel(nsgName: string, rule: SecurityRule): string {
  return `${rule.isDefault ? "default rule" : "rule"} "${rule.name}" (priority ${rule.priority}, ${rule.access}) of NSG "${nsgName}"`;
}

/**
 * Evaluate the outbound rules of one NSG (inline rules plus standalone `SecurityRule` resources, joined
 * by the caller). Rules Azure adds itself are taken from `NSG_DEFAULT_OUTBOUND_RULES`, so copies of them
 * in `rules` (ARM's `defaultSecurityRules`) are ignored. `ruleOwner` names the resource holding a rule
 * (a standalone SecurityRule), default: the NSG.
 */
export function evaluateNsgOutbound(
  nsg: ResourceRef,
  rules: readonly SecurityRule[],
  flow: Flow,
  ruleOwner: (rule: SecurityRule) => ResourceRef = () => nsg,
): Verdict {
  const outbound = rules
    .filter((r) => r.direction === "Outbound" && !r.isDefault)
    .sort((a, b) => a.priority - b.priority)
    .concat(NSG_DEFAULT_OUTBOUND_RULES);
  const candidates = outbound.map(
    (rule): Candidate => ({
      label: ruleLabel(nsg.name, rule),
      effect: rule.access === "Allow" ? "allowed" : "denied",
      match: matchSecurityRule(rule, flow),
      decidedBy: { resource: rule.isDefault ? nsg : ruleOwner(rule), priority: rule.priority, rule: rule.name, action: rule.access, isDefault: rule.isDefault },
    }),
  );
  // DenyAllOutBound matches everything; this fallback only keeps the walk total.
  const fallback: Fallback = {
    effect: "denied",
    decidedBy: { resource: nsg, priority: 65500, rule: "DenyAllOutBound", action: "Deny", isDefault: true },
    reason: "DenyAllOutBound (65500) denies it",
  };
  return firstMatch(candidates, fallback, flow);
}
