/**
 * Concrete fixes, as data (`FindingFix`) with their one-sentence description. An add-rule fix names the
 * rule (built by the allow-list generator, so it allows exactly the catalog endpoint on its port from the
 * configured range) and where it goes so that it takes effect BEFORE the rule that decides today:
 * - firewall policy: a rule collection group with a lower priority than every group whose rules deny a
 *   bridge flow in that policy (one choice per policy, so that all of a stack's fixes agree), or, when no
 *   priority is free below it, a collection with a lower priority inside the denying group;
 * - classic firewall: a collection of the right kind with a lower priority;
 * - NSG: a security rule with a free priority below the denying rule (distinct per fix).
 * Network rules are evaluated before application rules: an HTTP(S) flow denied by a network rule needs a
 * network rule (to the endpoint's service tag), since no application rule is ever reached.
 */
import {
  APPLICATION_COLLECTION,
  applicationRuleFor,
  DEFAULT_GROUP_NAME,
  DEFAULT_GROUP_PRIORITY,
  MAX_PRIORITY,
  MIN_PRIORITY,
  NETWORK_COLLECTION,
  networkRuleFor,
  ruleNameOf,
  splitServers,
  type AllowApplicationRule,
  type AllowNetworkRule,
} from "../../allowlist/rule-collection-group";
import type { BridgeguardConfig } from "../../config/types";
import { analyzeEgress, type EgressAnalysis, type GateVerdict } from "../../analysis/egress";
import type { BridgeFlow } from "../../analysis/flows";
import type { PolicyWithGroups } from "../../evaluate/firewall";
import type { EgressGate } from "../../evaluate/gates";
import { azureName } from "../../evaluate/names";
import type { DecidingRule } from "../../evaluate/types";
import type { AddRuleFix, ChangePropertyFix, FixApplicationRule, FixNetworkRule, FixSecurityRule } from "../../model/fix";
import { ofKind, type ResourceRef, type AzureFirewall, type NetworkSecurityGroup, type ResourceSet, type RuleCollection, type RuleCollectionGroup } from "../../model/resource";

/** NSG custom rule priorities run 100-4096. */
const NSG_MAX_PRIORITY = 4096;

function sourcesText(flow: BridgeFlow): string {
  return flow.flow.sources?.join(", ") ?? "the public VIP /27";
}

/** The NSG (or network rule) destination that names this endpoint most narrowly (IP rules cannot name an FQDN). */
function addressDestination(flow: BridgeFlow): string {
  const destination = flow.flow.destination;
  if (destination.kind === "address") return destination.address;
  return destination.serviceTags[0] ?? "AzureCloud";
}

function before(decided: DecidingRule | undefined): string {
  if (!decided || decided.isDefault) return "";
  if (decided.groupPriority !== undefined) {
    return ` in a rule collection group with a priority below ${decided.groupPriority} (or a collection before "${decided.collection}" in "${decided.group}"), so it takes effect before rule "${decided.rule}"`;
  }
  if (decided.collectionPriority !== undefined) {
    return ` in a collection with a priority below ${decided.collectionPriority}, so it takes effect before collection "${decided.collection}"`;
  }
  if (decided.priority !== undefined) return ` with a priority below ${decided.priority}, so it takes effect before rule "${decided.rule}"`;
  return "";
}

/** The deciding rule as one phrase, for `before`. */
function beforeLabel(decided: DecidingRule | undefined): string | undefined {
  if (!decided || decided.isDefault || decided.rule === undefined) return undefined;
  const parts = [`rule "${decided.rule}"`];
  if (decided.collection !== undefined) parts.push(`collection "${decided.collection}" (priority ${decided.collectionPriority})`);
  if (decided.group !== undefined) parts.push(`rule collection group "${decided.group}" (priority ${decided.groupPriority})`);
  if (decided.group === undefined && decided.collection === undefined && decided.priority !== undefined) parts[0] = `rule "${decided.rule}" (priority ${decided.priority})`;
  return parts.join(" in ");
}

// ---- lookups, once per analysis ---------------------------------------------------------------------

/**
 * What the fixes of one audit look up, built once per egress analysis (itself memoized per resource set
 * and configuration): a stack with thousands of gates and denied flows must not rescan them per finding.
 */
interface FixIndex {
  /** Denied and undecided results, by gate. */
  blocked: Map<EgressGate, GateVerdict[]>;
  groupsByUrn: Map<string, RuleCollectionGroup>;
  firewallsByUrn: Map<string, AzureFirewall>;
  nsgsByUrn: Map<string, NetworkSecurityGroup>;
  /** Per gate and policy/layer: placements already chosen. */
  memo: Map<string, unknown>;
}

const indexes = new WeakMap<EgressAnalysis, FixIndex>();

function fixIndex(set: ResourceSet, config: BridgeguardConfig): FixIndex {
  const analysis = analyzeEgress(set, config);
  let index = indexes.get(analysis);
  if (index) return index;
  const blocked = new Map<EgressGate, GateVerdict[]>();
  for (const result of analysis.results) {
    if (result.verdict.verdict !== "denied" && result.verdict.verdict !== "undetermined") continue;
    const list = blocked.get(result.gate);
    if (list) list.push(result);
    else blocked.set(result.gate, [result]);
  }
  // By URN only: which policy, groups and rules a gate holds is what the evaluator joined (`gate.policies`,
  // `gate.securityRules`), never joined again here by name.
  index = {
    blocked,
    groupsByUrn: new Map(ofKind(set, "ruleCollectionGroup").map((g) => [g.ref.urn, g])),
    firewallsByUrn: new Map(ofKind(set, "azureFirewall").map((f) => [f.ref.urn, f])),
    nsgsByUrn: new Map(ofKind(set, "networkSecurityGroup").map((n) => [n.ref.urn, n])),
    memo: new Map(),
  };
  indexes.set(analysis, index);
  return index;
}

function memoized<T>(index: FixIndex, key: string, compute: () => T): T {
  if (index.memo.has(key)) return index.memo.get(key) as T;
  const value = compute();
  index.memo.set(key, value);
  return value;
}

// ---- which layer decided ----------------------------------------------------------------------------

type Layer = "network" | "application";

function findRuleType(collections: readonly RuleCollection[], decided: DecidingRule): Layer | undefined {
  for (const c of collections) {
    if (c.name !== decided.collection || (decided.collectionPriority !== undefined && c.priority !== decided.collectionPriority)) continue;
    const rule = c.rules.find((r) => r.name === decided.rule);
    if (rule) return rule.ruleType === "NetworkRule" ? "network" : "application";
  }
  return undefined;
}

/** Whether a network or an application rule decided (undefined for defaults and NSGs). */
function decidingLayer(index: FixIndex, decided: DecidingRule | undefined): Layer | undefined {
  if (!decided || decided.isDefault || decided.rule === undefined) return undefined;
  const group = index.groupsByUrn.get(decided.resource.urn);
  if (group) return findRuleType(group.ruleCollections, decided);
  const firewall = index.firewallsByUrn.get(decided.resource.urn);
  if (firewall) {
    if (findRuleType(firewall.networkRuleCollections, decided)) return "network";
    if (findRuleType(firewall.applicationRuleCollections, decided)) return "application";
  }
  return undefined;
}

// ---- the rule -------------------------------------------------------------------------------------

/** The generator's rule for one flow: its endpoint on its port from the configured range. */
export function allowRuleFor(flow: BridgeFlow, layer: Layer): AllowApplicationRule | AllowNetworkRule {
  const { endpoint } = flow;
  const sources = flow.flow.sources ?? [];
  if (layer === "application" && flow.flow.appProtocol) {
    const port = { port: endpoint.port, protocol: endpoint.protocol };
    // Named by what it allows: two findings on one host and port (registration and identity both need
    // management.azure.com) propose the same rule.
    return applicationRuleFor(ruleNameOf("allow", endpoint.host, endpoint.protocol, endpoint.port), endpoint.purpose, flow.code, [endpoint.host], [port], sources);
  }
  const protocol = flow.flow.transport === "udp" ? "UDP" : "TCP";
  if (flow.flow.destination.kind === "address") {
    const name = ruleNameOf("allow", endpoint.host, protocol.toLowerCase(), endpoint.port);
    return networkRuleFor(name, endpoint.purpose, flow.code, [protocol], splitServers([flow.flow.destination.address]), [endpoint.port], sources);
  }
  // By service tag: endpoints behind the same tag and port share one rule (and one name).
  const tag = addressDestination(flow);
  return networkRuleFor(ruleNameOf("bridge", tag, protocol.toLowerCase(), endpoint.port), endpoint.purpose, flow.code, [protocol], { addresses: [tag] }, [endpoint.port], sources);
}

function fixRuleOf(rule: AllowApplicationRule | AllowNetworkRule, classic: boolean): FixApplicationRule | FixNetworkRule {
  const sources = rule.sourceAddresses.length > 0 ? { sourceAddresses: [...rule.sourceAddresses] } : {};
  if (rule.ruleType === "ApplicationRule") {
    return {
      ruleType: "ApplicationRule",
      name: rule.name,
      ...sources,
      protocols: rule.protocols.map((p) => ({ ...p })),
      targetFqdns: [...rule.targetFqdns],
      ...(classic ? {} : { terminateTLS: false as const }),
    };
  }
  return {
    ruleType: "NetworkRule",
    name: rule.name,
    ...sources,
    ipProtocols: [...rule.ipProtocols],
    ...(rule.destinationAddresses.length > 0 ? { destinationAddresses: [...rule.destinationAddresses] } : {}),
    ...(rule.destinationFqdns.length > 0 ? { destinationFqdns: [...rule.destinationFqdns] } : {}),
    destinationPorts: [...rule.destinationPorts],
  };
}

// ---- priorities -----------------------------------------------------------------------------------

/** The highest priority below `ceiling` (down to `min`) that `used` lacks. */
function freeBelow(ceiling: number, used: ReadonlySet<number>, min = MIN_PRIORITY): number | undefined {
  for (let p = ceiling - 1; p >= min; p--) if (!used.has(p)) return p;
  return undefined;
}

/** `preferred` when free, else the next free priority above it. */
function freeFrom(preferred: number, used: ReadonlySet<number>, max = MAX_PRIORITY): number {
  for (let p = preferred; p <= max; p++) if (!used.has(p)) return p;
  return preferred;
}

/** The non-default deciders of the flows a gate denies or cannot decide (what the fixes must precede). */
function blockingDeciders(index: FixIndex, gate: EgressGate): DecidingRule[] {
  return (index.blocked.get(gate) ?? [])
    .map((r) => r.verdict.decidedBy)
    .filter((d): d is DecidingRule => d !== undefined && !d.isDefault && d.rule !== undefined);
}

// ---- firewall policy --------------------------------------------------------------------------------

/**
 * The policy a fix goes in, from the verdict's own topology: the policy that holds the deciding rule (a
 * parent's deny is preceded only in that parent, whose rules come first), else the one the gate runs.
 */
function policyOfFix(gate: EgressGate, decided: DecidingRule | undefined): PolicyWithGroups | undefined {
  const chain = gate.policies ?? [];
  const own = decided?.policyRef ? chain.find((p) => p.policy.ref.urn === decided.policyRef!.urn) : undefined;
  return own ?? chain[chain.length - 1];
}

type Placement = Pick<AddRuleFix, "ruleCollectionGroup" | "collection"> & {
  /** Set when no free priority precedes the deciding rule: what to move first. */
  note?: string;
};

function policyPlacement(index: FixIndex, gate: EgressGate, policy: PolicyWithGroups, decided: DecidingRule | undefined, layer: Layer): Placement {
  const target = layer === "application" ? APPLICATION_COLLECTION : NETWORK_COLLECTION;
  const { groups } = policy;
  const policyUrn = policy.policy.ref.urn;
  const ours = groups.find((g) => azureName(g).toLowerCase() === DEFAULT_GROUP_NAME || g.ref.name.toLowerCase() === DEFAULT_GROUP_NAME);
  // One group priority for every fix in this policy: below each group that denies a bridge flow here.
  const gateCeiling = memoized(index, `policy|${gate.ref.urn}|${policyUrn}`, () => {
    const priorities = blockingDeciders(index, gate)
      .filter((d) => d.groupPriority !== undefined && (d.policyRef?.urn ?? policyUrn) === policyUrn)
      .map((d) => d.groupPriority as number);
    return priorities.length > 0 ? Math.min(...priorities) : undefined;
  });
  const own = decided?.groupPriority !== undefined && !decided.isDefault ? decided.groupPriority : undefined;
  const ceiling = gateCeiling === undefined ? own : own === undefined ? gateCeiling : Math.min(gateCeiling, own);
  const collectionIn = (group: RuleCollectionGroup | undefined) => {
    const existing = group?.ruleCollections.find((c) => c.name === target.name);
    return { name: target.name, priority: existing?.priority ?? target.priority, action: "Allow" as const, exists: existing !== undefined };
  };
  if (ours && (ceiling === undefined || ours.priority < ceiling) && ours.ref.urn !== decided?.resource.urn) {
    return { ruleCollectionGroup: { name: azureName(ours), priority: ours.priority, exists: true }, collection: collectionIn(ours) };
  }
  const used = new Set(groups.map((g) => g.priority));
  const priority = ceiling === undefined ? freeFrom(DEFAULT_GROUP_PRIORITY, used) : freeBelow(ceiling, used);
  if (priority !== undefined) {
    const name = ours ? ruleNameOf(DEFAULT_GROUP_NAME, priority) : DEFAULT_GROUP_NAME;
    return { ruleCollectionGroup: { name, priority, exists: false }, collection: { name: target.name, priority: target.priority, action: "Allow", exists: false } };
  }
  // No group priority is free below the deny: a collection before it, inside its own group.
  const group = groups.find((g) => g.ref.urn === decided?.resource.urn);
  const cp = decided?.collectionPriority ?? MIN_PRIORITY + 1;
  const usedCollections = new Set((group?.ruleCollections ?? []).map((c) => c.priority));
  const free = freeBelow(cp, usedCollections);
  return {
    ruleCollectionGroup: { name: decided?.group ?? (group ? azureName(group) : DEFAULT_GROUP_NAME), priority: decided?.groupPriority ?? MIN_PRIORITY, exists: true },
    collection: { name: target.name, priority: free ?? MIN_PRIORITY, action: "Allow", exists: false },
    ...(free === undefined
      ? { note: `No priority is free before collection "${decided?.collection}" (priority ${cp}) of group "${decided?.group}" (priority ${decided?.groupPriority}): raise that collection's priority number first.` }
      : {}),
  };
}

// ---- classic firewall -------------------------------------------------------------------------------

function classicPlacement(index: FixIndex, gate: EgressGate, firewall: AzureFirewall, decided: DecidingRule | undefined, layer: Layer): Placement {
  const target = layer === "application" ? APPLICATION_COLLECTION : NETWORK_COLLECTION;
  const collections = layer === "application" ? firewall.applicationRuleCollections : firewall.networkRuleCollections;
  const existing = collections.find((c) => c.name === target.name);
  const gateCeiling = memoized(index, `classic|${gate.ref.urn}|${layer}`, () => {
    const priorities = blockingDeciders(index, gate)
      .filter((d) => d.collectionPriority !== undefined && decidingLayer(index, d) === layer)
      .map((d) => d.collectionPriority as number);
    return priorities.length > 0 ? Math.min(...priorities) : undefined;
  });
  const own = decided?.collectionPriority !== undefined && decidingLayer(index, decided) === layer ? decided.collectionPriority : undefined;
  const ceiling = gateCeiling === undefined ? own : own === undefined ? gateCeiling : Math.min(gateCeiling, own);
  if (existing && (ceiling === undefined || existing.priority < ceiling)) {
    return { collection: { name: existing.name, priority: existing.priority, action: "Allow", exists: true } };
  }
  const used = new Set(collections.filter((c) => c !== existing).map((c) => c.priority));
  const free = ceiling === undefined ? freeFrom(target.priority, used) : freeBelow(ceiling, used);
  const priority = free ?? MIN_PRIORITY;
  return {
    collection: { name: existing ? ruleNameOf(target.name, priority) : target.name, priority, action: "Allow", exists: false },
    ...(free === undefined ? { note: `No ${layer} collection priority is free below ${ceiling}: raise the denying collection's priority number first.` } : {}),
  };
}

// ---- NSG --------------------------------------------------------------------------------------------

/** The outbound priorities an NSG uses, and those its fixes took already (one free priority per cause). */
function nsgUsedPriorities(index: FixIndex, gate: EgressGate): Set<number> {
  return memoized(index, `nsg|${gate.ref.urn}`, () => new Set((gate.securityRules ?? []).filter((r) => r.direction === "Outbound").map((r) => r.priority)));
}

/** Every port of a cause, ascending, as NSG/firewall port strings. */
function portsOf(flows: readonly BridgeFlow[]): string[] {
  return [...new Set(flows.map((f) => f.endpoint.port))].sort((a, b) => b - a).map(String);
}

function nsgCauseFix(set: ResourceSet, index: FixIndex, gate: EgressGate, flows: readonly BridgeFlow[], decided: DecidingRule | undefined): AddRuleFix | string {
  const transports = new Set(flows.map((f) => f.flow.transport));
  const protocol = transports.size > 1 ? "*" : transports.has("udp") ? "Udp" : "Tcp";
  const destinations = [...new Set(flows.map(addressDestination))];
  const ports = portsOf(flows);
  const purposes = [...new Set(flows.map((f) => f.endpoint.purpose))];
  const used = nsgUsedPriorities(index, gate);
  const ceiling = decided && !decided.isDefault && decided.priority !== undefined ? Math.min(decided.priority, NSG_MAX_PRIORITY + 1) : NSG_MAX_PRIORITY + 1;
  let priority = freeBelow(ceiling, used);
  const label = beforeLabel(decided);
  const what = `${protocol === "*" ? "TCP and UDP" : protocol.toUpperCase()} ${ports.join(", ")} from ${sourcesText(flows[0]!)} to ${destinations.join(", ")}`;
  let move: AddRuleFix["move"];
  if (priority === undefined) {
    // Azure accepts 100-4096, unique per direction: nothing can go before a deny at 100 (or one with every
    // priority below it taken). When the next priority after it is free, the deny moves there (no rule lies
    // between, so nothing else changes order) and the allow takes its place; otherwise the rule must change.
    const from = decided?.priority;
    const to = from === undefined ? undefined : from + 1;
    const owner = decided?.resource;
    const path = owner ? movePath(set, gate, owner, decided?.rule) : undefined;
    if (from === undefined || to === undefined || to > NSG_MAX_PRIORITY || used.has(to) || !owner || path === undefined) {
      return `No free priority precedes rule "${decided?.rule}" (priority ${from}) of ${gate.ref.name} (NSG priorities run ${MIN_PRIORITY}-${NSG_MAX_PRIORITY}, unique per direction): change or narrow that rule so that it does not match ${what}.`;
    }
    move = { rule: decided!.rule!, from, to, resource: owner, path };
    used.add(to);
    priority = from;
  }
  used.add(priority);
  const rule: FixSecurityRule = {
    ruleType: "SecurityRule",
    name: ruleNameOf("allow-bridge", ...purposes),
    direction: "Outbound",
    access: "Allow",
    priority,
    protocol,
    ...(flows[0]!.flow.sources ? { sourceAddressPrefixes: [...flows[0]!.flow.sources] } : {}),
    destinationAddressPrefixes: destinations,
    destinationPortRanges: ports,
  };
  const description = move
    ? `No free priority precedes rule "${move.rule}" (priority ${move.from}; NSG priorities run ${MIN_PRIORITY}-${NSG_MAX_PRIORITY}, unique per direction): move it to priority ${move.to}, then add one outbound security rule to ${gate.ref.name} at priority ${move.from} that allows ${what}.`
    : `Add an outbound security rule to ${gate.ref.name} that allows ${what}${before(decided)}.`;
  const armId = index.nsgsByUrn.get(gate.ref.urn)?.armId;
  return {
    kind: "add-rule",
    description,
    resource: gate.ref,
    ...(armId ? { armId } : {}),
    ...(label ? { before: label } : {}),
    ...(move ? { move } : {}),
    rules: [rule],
  };
}

/** Where the denying rule's priority lives: `priority` of a standalone SecurityRule, or `securityRules[i].priority` of the NSG. */
function movePath(set: ResourceSet, gate: EgressGate, owner: ResourceRef, rule: string | undefined): string | undefined {
  if (owner.urn !== gate.ref.urn) return "priority";
  const nsg = ofKind(set, "networkSecurityGroup").find((n) => n.ref.urn === gate.ref.urn);
  const index = nsg?.securityRules.findIndex((r) => r.name === rule && r.direction === "Outbound") ?? -1;
  return index < 0 ? undefined : `securityRules[${index}].priority`;
}

// ---- firewall rules of a cause ----------------------------------------------------------------------

function purposesName(flows: readonly BridgeFlow[]): string[] {
  return [...new Set(flows.map((f) => f.endpoint.purpose))];
}

/** Application rules for a cause's HTTP(S) flows: one per port set, its hosts together (as the generator groups them). */
function applicationRulesFor(flows: readonly BridgeFlow[], classic: boolean): FixApplicationRule[] {
  const portsByHost = new Map<string, { flows: BridgeFlow[] }>();
  for (const flow of flows) {
    const entry = portsByHost.get(flow.endpoint.host) ?? { flows: [] };
    entry.flows.push(flow);
    portsByHost.set(flow.endpoint.host, entry);
  }
  const byPorts = new Map<string, BridgeFlow[][]>();
  for (const { flows: hostFlows } of portsByHost.values()) {
    const key = hostFlows.map((f) => `${f.endpoint.protocol}/${f.endpoint.port}`).join(",");
    byPorts.set(key, [...(byPorts.get(key) ?? []), hostFlows]);
  }
  return [...byPorts.values()].map((hosts) => {
    const sample = hosts[0]!;
    const all = hosts.flat();
    const ports = sample.map((f) => ({ port: f.endpoint.port, protocol: f.endpoint.protocol }));
    const hostNames = hosts.map((h) => h[0]!.endpoint.host);
    const name =
      hostNames.length === 1
        ? ruleNameOf("allow", hostNames[0]!, ...ports.flatMap((p) => [p.protocol, p.port]))
        : ruleNameOf("allow", ...purposesName(all), hostNames[0]!, `and-${hostNames.length - 1}`, ...ports.flatMap((p) => [p.protocol, p.port]));
    return fixRuleOf(applicationRuleFor(name, sample[0]!.endpoint.purpose, sample[0]!.code, hostNames, ports, sample[0]!.flow.sources ?? []), classic) as FixApplicationRule;
  });
}

/** Network rules for a cause's flows: one per protocol set and port set, their destinations together. */
function networkRulesFor(flows: readonly BridgeFlow[]): FixNetworkRule[] {
  const byDestination = new Map<string, BridgeFlow[]>();
  for (const flow of flows) {
    const destination = flow.flow.destination.kind === "address" ? flow.flow.destination.address : addressDestination(flow);
    byDestination.set(destination, [...(byDestination.get(destination) ?? []), flow]);
  }
  const byShape = new Map<string, { protocols: ("TCP" | "UDP")[]; ports: string[]; destinations: string[]; flows: BridgeFlow[] }>();
  for (const [destination, destinationFlows] of byDestination) {
    const protocols = [...new Set(destinationFlows.map((f) => (f.flow.transport === "udp" ? "UDP" : "TCP")))].sort() as ("TCP" | "UDP")[];
    const ports = portsOf(destinationFlows);
    const key = `${protocols.join("+")}|${ports.join(",")}`;
    const shape = byShape.get(key) ?? { protocols, ports, destinations: [], flows: [] };
    shape.destinations.push(destination);
    shape.flows.push(...destinationFlows);
    byShape.set(key, shape);
  }
  return [...byShape.values()].map((shape) => {
    const sample = shape.flows[0]!;
    const name =
      shape.destinations.length === 1
        ? ruleNameOf("allow", shape.destinations[0]!, ...shape.protocols.map((p) => p.toLowerCase()), ...shape.ports)
        : ruleNameOf("allow", ...purposesName(shape.flows), ...shape.protocols.map((p) => p.toLowerCase()), ...shape.ports);
    const isTag = sample.flow.destination.kind === "fqdn";
    const destinations = isTag ? { addresses: shape.destinations } : splitServers(shape.destinations);
    return fixRuleOf(networkRuleFor(name, sample.endpoint.purpose, sample.code, shape.protocols, destinations, shape.ports.map(Number), sample.flow.sources ?? []), false) as FixNetworkRule;
  });
}

function hostsText(flows: readonly BridgeFlow[]): string {
  const hosts = [...new Set(flows.map((f) => f.endpoint.host))];
  return hosts.length <= 3 ? hosts.join(", ") : `the ${hosts.length} ${purposesName(flows).join(" and ")} endpoints`;
}

// ---- the fix ----------------------------------------------------------------------------------------

/**
 * The smallest change that lets every flow of one cause (the results share the deciding rule) through its
 * gate: one NSG rule with every port, or one collection of firewall rules placed before the deciding rule.
 */
export function fixForCause(results: readonly GateVerdict[], set: ResourceSet, config: BridgeguardConfig): AddRuleFix | string {
  const index = fixIndex(set, config);
  const { gate } = results[0]!;
  const decided = results[0]!.verdict.decidedBy;
  const flows = results.filter((r) => r.gate === gate).map((r) => r.flow);
  if (gate.kind === "networkSecurityGroup") return nsgCauseFix(set, index, gate, flows, decided);
  const where = before(decided);
  const decidedBy = decidingLayer(index, decided);
  // An HTTP(S) flow a network rule decides never reaches the application rules.
  const layer: Layer = flows.every((f) => f.flow.appProtocol) && decidedBy !== "network" ? "application" : "network";
  const firewall = index.firewallsByUrn.get(gate.ref.urn);
  const classic = firewall !== undefined && firewall.firewallPolicyId === undefined;
  const rules = layer === "application" ? applicationRulesFor(flows, classic) : networkRulesFor(flows);
  const sources = sourcesText(flows[0]!);
  const count = rules.length === 1 ? `${layer === "application" ? "an" : "a"} ${layer} rule` : `${rules.length} ${layer} rules`;
  let description: string;
  if (layer === "application") {
    const ports = [...new Set(flows.map((f) => `${f.flow.appProtocol}:${f.endpoint.port}`))].join(", ");
    description = `Add ${count} that allow${rules.length === 1 ? "s" : ""} ${hostsText(flows)} (${ports}) from ${sources}${where}; filter by FQDN, since Microsoft publishes no addresses for them.`;
  } else if (flows.some((f) => f.flow.appProtocol)) {
    const tags = [...new Set(flows.map(addressDestination))].join(", ");
    description = `Add ${count} that allow${rules.length === 1 ? "s" : ""} TCP ${portsOf(flows).join(", ")} from ${sources} to ${tags}${where}: network rules are evaluated before application rules, so no application rule can allow ${hostsText(flows)} past network rule "${decided?.rule}"; or narrow that rule so that it does not match the bridge's traffic.`;
  } else {
    const protocols = [...new Set(flows.map((f) => f.endpoint.protocol.toUpperCase()))].join(" and ");
    description = `Add ${count} that allow${rules.length === 1 ? "s" : ""} ${protocols} ${portsOf(flows).join(", ")} from ${sources} to ${hostsText(flows)}${where}.`;
  }
  const label = beforeLabel(decided);
  let placement: Placement = {};
  let resource = gate.ref;
  let armId: string | undefined;
  if (classic && firewall) {
    placement = classicPlacement(index, gate, firewall, decided, layer);
    resource = firewall.ref;
    armId = firewall.armId;
  } else {
    const policy = policyOfFix(gate, decided);
    if (policy) {
      placement = policyPlacement(index, gate, policy, decided, layer);
      resource = policy.policy.ref;
      armId = policy.policy.armId;
    }
  }
  const { note, ...placed } = placement;
  return { kind: "add-rule", description: note ? `${description} ${note}` : description, resource, ...(armId ? { armId } : {}), ...placed, ...(label ? { before: label } : {}), rules };
}

// ---- property changes -------------------------------------------------------------------------------

/**
 * `terminateTLS: false` on the application rule that intercepts a flow: the rule's path in its rule
 * collection group (`ruleCollections[i].rules[j].terminateTLS`), or undefined when the rule is not found.
 */
export function terminateTlsFix(set: ResourceSet, decided: DecidingRule | undefined): ChangePropertyFix | undefined {
  if (!decided?.rule) return undefined;
  const description = `Set terminateTLS: false on rule "${decided.rule}" (collection "${decided.collection}", group "${decided.group}").`;
  const group = ofKind(set, "ruleCollectionGroup").find((g) => g.ref.urn === decided.resource.urn);
  if (!group) return undefined;
  const i = group.ruleCollections.findIndex((c) => c.name === decided.collection && c.priority === decided.collectionPriority);
  const j = i < 0 ? -1 : (group.ruleCollections[i]?.rules.findIndex((r) => r.ruleType === "ApplicationRule" && r.name === decided.rule) ?? -1);
  if (i < 0 || j < 0) return undefined;
  return { kind: "change-property", description, resource: group.ref, path: `ruleCollections[${i}].rules[${j}].terminateTLS`, value: false, current: true };
}
