/**
 * The fix of a cause at an Azure Firewall: the rules that allow the cause's flows (built by the allow-list
 * generator, so they allow exactly the catalog endpoints on their ports from the configured range) and
 * where they go so that they take effect BEFORE the deciding rule:
 * - firewall policy: a rule collection group with a lower priority than every group whose rules deny a
 *   bridge flow in that policy (one choice per policy, so that all of a stack's fixes agree), or, when no
 *   priority is free below it, a collection with a lower priority inside the denying group;
 * - classic firewall: a collection of the right kind with a lower priority.
 * Network rules are evaluated before application rules: an HTTP(S) flow denied by a network rule needs a
 * network rule (to the endpoint's service tag), since no application rule is ever reached.
 */
import {
  APPLICATION_COLLECTION,
  applicationRuleFor,
  DEFAULT_GROUP_NAME,
  DEFAULT_GROUP_PRIORITY,
  MIN_PRIORITY,
  NETWORK_COLLECTION,
  networkRuleFor,
  ruleNameOf,
  splitServers,
  type AllowApplicationRule,
  type AllowNetworkRule,
} from "../allowlist/rule-collection-group";
import type { BridgeFlow } from "../analysis/flows";
import type { PolicyWithGroups } from "../evaluate/firewall";
import type { EgressGate } from "../evaluate/gates";
import { append } from "../evaluate/multimap";
import { azureName } from "../evaluate/names";
import type { DecidingRule } from "../evaluate/types";
import type { AddRuleFix, FixApplicationRule, FixNetworkRule } from "../model/fix";
import type { RuleCollection, RuleCollectionGroup } from "../model/resource";
import { blockingDeciders, freeBelow, freeFrom, lowest, memoized, type FixPlan } from "./plan";
import { addressDestination, before, beforeLabel, hostsText, portsOf, purposesOf, sourcesText } from "./words";

type Layer = "network" | "application";

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

function policyPlacement(plan: FixPlan, gate: EgressGate, policy: PolicyWithGroups, decided: DecidingRule | undefined, layer: Layer): Placement {
  const target = layer === "application" ? APPLICATION_COLLECTION : NETWORK_COLLECTION;
  const { groups } = policy;
  const policyUrn = policy.policy.ref.urn;
  const ours = groups.find((g) => azureName(g).toLowerCase() === DEFAULT_GROUP_NAME || g.ref.name.toLowerCase() === DEFAULT_GROUP_NAME);
  // One group priority for every fix in this policy: below each group that denies a bridge flow here.
  const gateCeiling = memoized(plan, `policy|${gate.ref.urn}|${policyUrn}`, () =>
    lowest(blockingDeciders(plan, gate).map((d) => ((d.policyRef?.urn ?? policyUrn) === policyUrn ? d.groupPriority : undefined))),
  );
  const ceiling = lowest([gateCeiling, decided && !decided.isDefault ? decided.groupPriority : undefined]);
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

function classicPlacement(plan: FixPlan, gate: EgressGate, classic: NonNullable<EgressGate["classicCollections"]>, decided: DecidingRule | undefined, layer: Layer): Placement {
  const target = layer === "application" ? APPLICATION_COLLECTION : NETWORK_COLLECTION;
  const collections: readonly RuleCollection[] = classic[layer];
  const existing = collections.find((c) => c.name === target.name);
  const gateCeiling = memoized(plan, `classic|${gate.ref.urn}|${layer}`, () => lowest(blockingDeciders(plan, gate).map((d) => (d.layer === layer ? d.collectionPriority : undefined))));
  const ceiling = lowest([gateCeiling, decided?.layer === layer ? decided.collectionPriority : undefined]);
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

// ---- the rules of a cause ---------------------------------------------------------------------------

/** Application rules for a cause's HTTP(S) flows: one per port set, its hosts together (as the generator groups them). */
function applicationRulesFor(flows: readonly BridgeFlow[], classic: boolean): FixApplicationRule[] {
  const byHost = new Map<string, BridgeFlow[]>();
  for (const flow of flows) append(byHost, flow.endpoint.host, flow);
  const byPorts = new Map<string, BridgeFlow[][]>();
  for (const hostFlows of byHost.values()) append(byPorts, hostFlows.map((f) => `${f.endpoint.protocol}/${f.endpoint.port}`).join(","), hostFlows);
  return [...byPorts.values()].map((hosts) => {
    const sample = hosts[0]!;
    const all = hosts.flat();
    const ports = sample.map((f) => ({ port: f.endpoint.port, protocol: f.endpoint.protocol }));
    const hostNames = hosts.map((h) => h[0]!.endpoint.host);
    const name =
      hostNames.length === 1
        ? ruleNameOf("allow", hostNames[0]!, ...ports.flatMap((p) => [p.protocol, p.port]))
        : ruleNameOf("allow", ...purposesOf(all), hostNames[0]!, `and-${hostNames.length - 1}`, ...ports.flatMap((p) => [p.protocol, p.port]));
    return fixRuleOf(applicationRuleFor(name, sample[0]!.endpoint.purpose, sample[0]!.code, hostNames, ports, sample[0]!.flow.sources ?? []), classic) as FixApplicationRule;
  });
}

/** Network rules for a cause's flows: one per protocol set and port set, their destinations together. */
function networkRulesFor(flows: readonly BridgeFlow[]): FixNetworkRule[] {
  const byDestination = new Map<string, BridgeFlow[]>();
  for (const flow of flows) {
    append(byDestination, flow.flow.destination.kind === "address" ? flow.flow.destination.address : addressDestination(flow), flow);
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
        : ruleNameOf("allow", ...purposesOf(shape.flows), ...shape.protocols.map((p) => p.toLowerCase()), ...shape.ports);
    const isTag = sample.flow.destination.kind === "fqdn";
    const destinations = isTag ? { addresses: shape.destinations } : splitServers(shape.destinations);
    return fixRuleOf(networkRuleFor(name, sample.endpoint.purpose, sample.code, shape.protocols, destinations, shape.ports.map(Number), sample.flow.sources ?? []), false) as FixNetworkRule;
  });
}

// ---- the fix ----------------------------------------------------------------------------------------

/** The fix of the flows one firewall rule (or the default deny) blocks: one collection of rules placed before it. */
export function firewallCauseFix(plan: FixPlan, gate: EgressGate, flows: readonly BridgeFlow[], decided: DecidingRule | undefined): AddRuleFix {
  const where = before(decided);
  // An HTTP(S) flow a network rule decides never reaches the application rules.
  const layer: Layer = flows.every((f) => f.flow.appProtocol) && decided?.layer !== "network" ? "application" : "network";
  const classic = gate.classicCollections;
  const rules = layer === "application" ? applicationRulesFor(flows, classic !== undefined) : networkRulesFor(flows);
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
  if (classic) {
    placement = classicPlacement(plan, gate, classic, decided, layer);
    armId = gate.armId;
  } else {
    const policy = policyOfFix(gate, decided);
    if (policy) {
      placement = policyPlacement(plan, gate, policy, decided, layer);
      resource = policy.policy.ref;
      armId = policy.policy.armId;
    }
  }
  const { note, ...placed } = placement;
  return { kind: "add-rule", description: note ? `${description} ${note}` : description, resource, ...(armId ? { armId } : {}), ...placed, ...(label ? { before: label } : {}), rules };
}
