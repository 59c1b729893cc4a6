/** The egress evaluator: what Azure Firewall, NSGs and routes do to one outbound flow. Pure functions. */
export * from "./types";
export { matchSources, matchDestinations, matchIpGroups, parseAddressEntry, isNonPublic, type AddressEntry, type AddressInterval } from "./addresses";
export { matchPorts, matchPortEntry } from "./ports";
export { parseFqdnPattern, matchFqdnPattern, matchFqdnPatterns, fqdnPatternCovers, type FqdnPattern } from "./fqdn";
export { allOf, anyOf } from "./match";
export { firstMatch, type Candidate, type Effect, type Fallback, type Tie } from "./first-match";
export { evaluateFirewallPolicy, evaluateClassicFirewall, type PolicyWithGroups } from "./firewall";
export { evaluateNsgOutbound, NSG_DEFAULT_OUTBOUND_RULES } from "./nsg";
export { routeForDestination, type RouteDecision, type RouteKind } from "./routes";
export { egressGates, type EgressGate, type EgressGateKind } from "./gates";
export { describeFlow } from "./flow";
