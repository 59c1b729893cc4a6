/**
 * The egress "gates" of a stack: every firewall (through its policy chain, or its classic collections),
 * every firewall policy no firewall in the stack runs, every NSG. Each gate answers one question: what
 * happens to this flow here?
 */
import {
  ofKind,
  type AzureFirewall,
  type FirewallPolicy,
  type IdpsBypass,
  type IdpsSignatureOverride,
  type NetworkSecurityGroup,
  type Resource,
  type ResourceRef,
  type ResourceSet,
  type RuleCollection,
  type RuleCollectionGroup,
  type SecurityRule,
  type StandaloneSecurityRule,
} from "../model/resource";
import type { PathGateKind } from "../model/path";
import { evaluateClassicFirewall, evaluateFirewallPolicy, type FirewallEvaluationOptions, type PolicyWithGroups } from "./firewall";
import { memoizeByObject } from "./memo";
import { append, lowerCaseNames } from "./multimap";
import { withoutTrailingSlashes } from "../input/normalize/armId";
import { azureName, lastSegment, sameArmId } from "./names";
import { evaluateNsgOutbound } from "./nsg";
import type { Flow, Verdict } from "./types";

export type EgressGateKind = PathGateKind;

export interface EgressGate {
  /** The gate's own resource: the firewall, the unattached policy, the NSG. */
  ref: ResourceRef;
  /** The gate resource's ARM id, when the input gives one (a fix names the resource by it). */
  armId?: string;
  kind: EgressGateKind;
  /** For messages: `Azure Firewall hub-fw (policy hub-policy)`. */
  label: string;
  /**
   * Every resource whose rules or settings the gate evaluates: its own, the policies of its chain with
   * their rule collection groups, an NSG's standalone rules. What is on the path is what these hold.
   */
  resources: readonly Resource[];
  evaluate(flow: Flow): Verdict;
  /**
   * Threat intelligence in force: a policy chain's strictest mode (a child may only be as strict as its
   * parent or stricter), or the classic firewall's; Azure's default mode is Alert. `whitelist` says where
   * the allow list lives, for messages and fixes.
   */
  threatIntel?: { mode: string; whitelistFqdns: string[]; whitelistIpAddresses: string[]; ref: ResourceRef; whitelist: "policy" | "additionalProperties" };
  /** IDPS (Premium `intrusionDetection`), when a policy of the chain sets it: mode, bypass list, signature overrides. */
  idps?: { mode: string; ref: ResourceRef; bypass: IdpsBypass[]; signatureOverrides: IdpsSignatureOverride[] };
  /** Set when the policy enables the explicit proxy (the bridge supports transparent proxies only). */
  explicitProxy?: { ref: ResourceRef };
  /** Private IPs of a firewall, the next hops of forced-tunnel routes; empty for policies and NSGs. */
  privateIpAddresses: string[];
  /**
   * The firewall policy chain the gate evaluates (root first, the policy the firewall runs last), each with
   * the rule collection groups the evaluator joined to it: what the fix planner places rules in.
   */
  policies?: readonly PolicyWithGroups[];
  /** NSG only: its outbound and inbound rules as the evaluator joined them (inline and standalone). */
  securityRules?: readonly SecurityRule[];
  /** A classic firewall (rules on the firewall, no policy) only: the collections it evaluates, where fixes go. */
  classicCollections?: { network: readonly RuleCollection[]; application: readonly RuleCollection[] };
}

// ---- joining resources ------------------------------------------------------------------------------

function resourceGroupOf(armId: string): string | undefined {
  return /\/resourceGroups\/([^/]+)/i.exec(armId)?.[1];
}

/** Resource groups agree unless both are known and differ (Azure names them case-insensitively). */
function sameGroup(a: string | undefined, b: string | undefined): boolean {
  return a === undefined || b === undefined || a.toLowerCase() === b.toLowerCase();
}

/** Named `name` (Pulumi name or Azure name) in a compatible resource group. */
function isNamed(resource: Resource, name: string, resourceGroup: string | undefined): boolean {
  const names = [resource.ref.name, azureName(resource)].map((n) => n.toLowerCase());
  return names.includes(name.toLowerCase()) && sameGroup(resource.resourceGroup, resourceGroup);
}

/** The resource an ARM id points at: by id, or (for a planned resource without id yet) by name and group. */
export function refersTo(armId: string, resource: Resource): boolean {
  if (resource.armId) return sameArmId(armId, resource.armId);
  return isNamed(resource, lastSegment(armId), resourceGroupOf(armId));
}

function isChildOf(childArmId: string | undefined, parent: Resource, collection: string): boolean {
  return !!childArmId && !!parent.armId && childArmId.toLowerCase().startsWith(`${parent.armId.toLowerCase()}/${collection.toLowerCase()}/`);
}

/** Whether a rule collection group belongs to a policy: the policy its id names, else a child of its id or named after it. */
function isGroupOf(g: RuleCollectionGroup, policy: FirewallPolicy): boolean {
  return g.firewallPolicyId
    ? refersTo(g.firewallPolicyId, policy)
    : isChildOf(g.armId, policy, "ruleCollectionGroups") || (g.firewallPolicyName !== undefined && isNamed(policy, g.firewallPolicyName, g.resourceGroup));
}

/** The joins of firewall policies, by index and once per resource set (a stack may hold thousands of policies and groups). */
interface PolicyJoins {
  /** The policies an ARM id refers to (`refersTo`), in the set's order. */
  referredBy(armId: string): FirewallPolicy[];
  /** Each policy's rule collection groups (`isGroupOf`), in the set's order. */
  groups: Map<FirewallPolicy, RuleCollectionGroup[]>;
}

const CHILD_GROUPS = "/rulecollectiongroups/";

/**
 * `refersTo` and `isGroupOf` over every policy without a scan of every policy: an id's candidates are the
 * policies with that ARM id and, for planned policies without one, those named like its last segment; a
 * group's, those its policy id refers to, or whose id its own extends, or named by its `firewallPolicyName`.
 * Each candidate is confirmed with the predicate itself.
 */
const policyJoins = memoizeByObject((set: ResourceSet): PolicyJoins => {
  const policies = ofKind(set, "firewallPolicy");
  const position = new Map(policies.map((p, i) => [p, i]));
  const byId = new Map<string, FirewallPolicy[]>();
  const byChildPrefix = new Map<string, FirewallPolicy[]>();
  const byName = new Map<string, FirewallPolicy[]>();
  const withoutIdByName = new Map<string, FirewallPolicy[]>();
  for (const policy of policies) {
    for (const name of lowerCaseNames([policy.ref.name, azureName(policy)])) {
      append(byName, name, policy);
      if (!policy.armId) append(withoutIdByName, name, policy);
    }
    if (!policy.armId) continue;
    append(byId, withoutTrailingSlashes(policy.armId).toLowerCase(), policy);
    append(byChildPrefix, `${policy.armId.toLowerCase()}${CHILD_GROUPS}`, policy);
  }
  const inOrder = (candidates: Iterable<FirewallPolicy>) => [...new Set(candidates)].sort((a, b) => position.get(a)! - position.get(b)!);
  const referredBy = (armId: string): FirewallPolicy[] =>
    inOrder([...(byId.get(withoutTrailingSlashes(armId).toLowerCase()) ?? []), ...(withoutIdByName.get(lastSegment(armId).toLowerCase()) ?? [])]).filter((p) => refersTo(armId, p));
  const groups = new Map<FirewallPolicy, RuleCollectionGroup[]>();
  for (const g of ofKind(set, "ruleCollectionGroup")) {
    const candidates: FirewallPolicy[] = [];
    if (g.firewallPolicyId) candidates.push(...referredBy(g.firewallPolicyId));
    else {
      const id = g.armId?.toLowerCase();
      for (let at = id?.indexOf(CHILD_GROUPS) ?? -1; id !== undefined && at >= 0; at = id.indexOf(CHILD_GROUPS, at + 1)) {
        candidates.push(...(byChildPrefix.get(id.slice(0, at + CHILD_GROUPS.length)) ?? []));
      }
      if (g.firewallPolicyName !== undefined) candidates.push(...(byName.get(g.firewallPolicyName.toLowerCase()) ?? []));
    }
    for (const policy of new Set(candidates)) if (isGroupOf(g, policy)) append(groups, policy, g);
  }
  return { referredBy, groups };
});

function groupsOf(set: ResourceSet, policy: FirewallPolicy): RuleCollectionGroup[] {
  return [...(policyJoins(set).groups.get(policy) ?? [])];
}

/**
 * Rule collection groups whose firewall policy is not in the input (what `az network firewall policy
 * rule-collection-group list` returns: the groups' ARM ids name the policy), one set per policy, in input
 * order. They are evaluated as far as they go, never skipped (resources.md, "Partial inputs").
 */
export interface PolicyWithoutResource {
  /** The policy's ARM id, when the groups' ids or inputs give one. */
  policyId?: string;
  /** The policy's name (from the ids, or Pulumi's `firewallPolicyName`). */
  policyName: string;
  /** The resource group the groups (and so their policy) live in, when known. */
  resourceGroup?: string;
  groups: RuleCollectionGroup[];
}

/** The rule collection groups no firewall policy of the set claims, grouped by the policy they name. */
export function groupsWithoutPolicy(set: ResourceSet): PolicyWithoutResource[] {
  const policies = ofKind(set, "firewallPolicy");
  const claimed = new Set(policies.flatMap((p) => policyJoins(set).groups.get(p) ?? []));
  const byPolicy = new Map<string, PolicyWithoutResource>();
  for (const group of ofKind(set, "ruleCollectionGroup")) {
    if (claimed.has(group)) continue;
    const policyName = group.firewallPolicyName ?? (group.firewallPolicyId !== undefined ? lastSegment(group.firewallPolicyId) : "(unnamed policy)");
    const key = (group.firewallPolicyId ?? `${group.resourceGroup ?? ""}/${policyName}`).toLowerCase();
    const entry = byPolicy.get(key);
    if (entry) entry.groups.push(group);
    else {
      byPolicy.set(key, {
        ...(group.firewallPolicyId !== undefined ? { policyId: group.firewallPolicyId } : {}),
        ...(group.resourceGroup !== undefined ? { resourceGroup: group.resourceGroup } : {}),
        policyName,
        groups: [group],
      });
    }
  }
  return [...byPolicy.values()];
}

/** Whether a firewall runs the (absent) policy those groups belong to. */
export function runsPolicyOf(firewall: AzureFirewall, missing: PolicyWithoutResource): boolean {
  const id = firewall.firewallPolicyId;
  if (id === undefined) return false;
  if (missing.policyId !== undefined) return sameArmId(id, missing.policyId);
  return lastSegment(id).toLowerCase() === missing.policyName.toLowerCase() && sameGroup(resourceGroupOf(id), missing.resourceGroup);
}

/**
 * The absent policy as the evaluator needs it: its settings are not known (`dnsSettings` unknown, so
 * network-rule FQDNs stay doubtful), and it carries no parent, since none is shown.
 */
function standInPolicy(missing: PolicyWithoutResource): FirewallPolicy {
  return {
    kind: "firewallPolicy",
    ref: { urn: missing.policyId ?? missing.policyName, type: "Microsoft.Network/firewallPolicies", name: missing.policyName },
    ...(missing.policyId !== undefined ? { armId: missing.policyId } : {}),
    unknowns: ["dnsSettings"],
    threatIntelWhitelistFqdns: [],
    threatIntelWhitelistIpAddresses: [],
    explicitProxyEnabled: false,
    hasTlsInspectionCertificate: false,
  };
}

/**
 * The groups of a policy that is not in the input, evaluated as far as they go. What they allow is
 * reported as allowed; what they deny (by a rule, or because none of their rules matches) is undetermined:
 * a parent policy (`basePolicy`) the input does not show runs its rules first and could allow.
 */
function evaluateWithoutPolicy(missing: PolicyWithoutResource): (flow: Flow) => Verdict {
  const chain: PolicyWithGroups[] = [{ policy: standInPolicy(missing), groups: missing.groups }];
  const why = `firewall policy ${missing.policyName} is not in the input (only its rule collection groups ${missing.groups.map((g) => `"${azureName(g)}"`).join(", ")} are): a parent policy it may have runs its rules first and could allow`;
  return (flow) => {
    const verdict = evaluateFirewallPolicy(chain, flow);
    if (verdict.verdict !== "denied") return verdict;
    return {
      verdict: "undetermined",
      ...(verdict.decidedBy ? { decidedBy: verdict.decidedBy } : {}),
      reason: `${verdict.reason}; but ${why}`,
      evidence: [...verdict.evidence, why],
      possible: ["denied", "allowed"],
    };
  };
}

/** The first policy of the set an ARM id refers to. */
function findPolicy(set: ResourceSet, armId: string): FirewallPolicy | undefined {
  return policyJoins(set).referredBy(armId)[0];
}

/** Every policy of the set an ARM id refers to (`refersTo`), in the set's order. */
export function policiesReferredBy(set: ResourceSet, armId: string): FirewallPolicy[] {
  return policyJoins(set).referredBy(armId);
}

/** The policy and its ancestors, root first; `missing` says why the chain is incomplete. */
function policyChain(set: ResourceSet, leaf: FirewallPolicy): { chain: FirewallPolicy[]; missing?: string } {
  const chain = [leaf];
  for (let current = leaf; current.basePolicyId !== undefined; ) {
    const parent = findPolicy(set, current.basePolicyId);
    if (!parent) return { chain, missing: `parent policy ${current.basePolicyId} of ${azureName(current)} is not in the stack` };
    if (chain.includes(parent)) return { chain, missing: `the basePolicy chain of ${azureName(leaf)} loops` };
    chain.unshift(parent);
    current = parent;
  }
  return { chain };
}

// ---- unknown values ---------------------------------------------------------------------------------

/** Properties whose unknown value (during preview) changes the evaluation, per kind. */
const RELEVANT_PROPERTIES: Readonly<Partial<Record<Resource["kind"], readonly string[]>>> = {
  azureFirewall: ["firewallPolicy", "applicationRuleCollections", "networkRuleCollections"],
  firewallPolicy: ["basePolicy", "transportSecurity", "sku"],
  ruleCollectionGroup: ["priority", "ruleCollections", "firewallPolicyName"],
  networkSecurityGroup: ["securityRules"],
  securityRule: [
    "direction",
    "access",
    "priority",
    "protocol",
    "sourceAddressPrefix",
    "sourceAddressPrefixes",
    "destinationAddressPrefix",
    "destinationAddressPrefixes",
    "destinationPortRange",
    "destinationPortRanges",
    "networkSecurityGroupName",
  ],
};

/**
 * A firewall's rule collection (group) priority that is absent or unknown: the evaluator tries the unit
 * first and last (`UNKNOWN_PRIORITY`), so it makes a verdict undetermined only where the place matters.
 */
function isFirewallPriority(resource: Resource, path: string): boolean {
  if (resource.kind !== "ruleCollectionGroup" && resource.kind !== "azureFirewall") return false;
  return /^(properties\.)?(priority|[A-Za-z]*[cC]ollections\[\d+\]\.(properties\.)?priority)$/.test(path);
}

function relevantUnknowns(resources: readonly Resource[]): string[] {
  return resources.flatMap((r) => {
    const relevant = RELEVANT_PROPERTIES[r.kind] ?? [];
    return r.unknowns
      .filter((path) => !isFirewallPriority(r, path))
      .filter((path) => relevant.includes(path.replace(/^properties\./, "").split(/[.[]/)[0] ?? ""))
      .map((path) => `${r.ref.name}.${path}`);
  });
}

/** Unknowns the evaluation depends on make every verdict undetermined (the computed one stays as evidence). */
function guardUnknowns(resources: readonly Resource[], evaluate: (flow: Flow) => Verdict): (flow: Flow) => Verdict {
  const unknown = relevantUnknowns(resources);
  if (unknown.length === 0) return evaluate;
  return (flow) => {
    const verdict = evaluate(flow);
    const reason = `depends on values unknown until apply: ${unknown.join(", ")}`;
    return { verdict: "undetermined", decidedBy: verdict.decidedBy, reason, evidence: [reason, `with the values known now: ${verdict.verdict}, ${verdict.reason}`, ...verdict.evidence] };
  };
}

function alwaysUndetermined(reason: string): (flow: Flow) => Verdict {
  return () => ({ verdict: "undetermined", reason, evidence: [reason] });
}

// ---- gates ------------------------------------------------------------------------------------------

/** Threat-intelligence modes from least to most strict. */
const THREAT_INTEL_STRICTNESS = ["off", "alert", "deny"];

function strictness(mode: string): number {
  return THREAT_INTEL_STRICTNESS.indexOf(mode.toLowerCase());
}

/**
 * Settings of the policy in force. Threat intelligence: the strictest mode of the chain (Azure makes a
 * child policy as strict as its parent or stricter; a policy that sets none runs Azure's default, Alert),
 * with the allow lists of every policy of the chain. IDPS and the explicit proxy: the nearest policy, leaf
 * first, that sets them.
 */
function policySettings(chain: readonly FirewallPolicy[]): Pick<EgressGate, "threatIntel" | "idps" | "explicitProxy"> {
  const leafFirst = [...chain].reverse();
  const leaf = leafFirst[0];
  if (!leaf) return {};
  // Ties go to the policy nearest the firewall (the leaf): where the operator set the mode they see.
  let intel = leaf;
  for (const p of leafFirst) if (strictness(p.threatIntelMode ?? "Alert") > strictness(intel.threatIntelMode ?? "Alert")) intel = p;
  const idps = leafFirst.find((p) => p.intrusionDetectionMode !== undefined);
  const proxy = leafFirst.find((p) => p.explicitProxyEnabled);
  return {
    threatIntel: {
      mode: intel.threatIntelMode ?? "Alert",
      whitelistFqdns: [...new Set(chain.flatMap((p) => p.threatIntelWhitelistFqdns))],
      whitelistIpAddresses: [...new Set(chain.flatMap((p) => p.threatIntelWhitelistIpAddresses))],
      ref: intel.ref,
      whitelist: "policy",
    },
    idps:
      idps?.intrusionDetectionMode !== undefined
        ? { mode: idps.intrusionDetectionMode, ref: idps.ref, bypass: idps.idpsBypass ?? [], signatureOverrides: idps.idpsSignatureOverrides ?? [] }
        : undefined,
    explicitProxy: proxy ? { ref: proxy.ref } : undefined,
  };
}

/**
 * Network-rule FQDNs need the stamp to resolve through the firewall's DNS proxy (resources.md): when the
 * configured DNS servers are known and none is the firewall's private IP, the proxy alone does not settle it.
 */
function resolverDoubt(firewall: AzureFirewall, dnsServers: readonly string[] | undefined): string | undefined {
  if (!dnsServers || dnsServers.length === 0 || firewall.privateIpAddresses.length === 0) return undefined;
  const hosts = dnsServers.map((s) => s.replace(/^\[|\]$/g, "").replace(/:\d+$/, ""));
  if (hosts.some((h) => firewall.privateIpAddresses.includes(h))) return undefined;
  return `the stamp's DNS servers (${dnsServers.join(", ")}) are not the firewall's private IP (${firewall.privateIpAddresses.join(", ")}): unless they forward to it, the firewall and the stamp may resolve network-rule FQDNs differently`;
}

/** What gates need from the configuration. */
export interface GateOptions {
  /** The stamp's DNS servers (`dnsServers`): do they resolve through the firewall's DNS proxy? */
  dnsServers?: readonly string[];
}

/** A policy's chain as gate parts: its evaluation (undetermined when a parent is missing) and settings. */
function policyGateParts(set: ResourceSet, leaf: FirewallPolicy, options: FirewallEvaluationOptions = {}) {
  const { chain, missing } = policyChain(set, leaf);
  const withGroups: PolicyWithGroups[] = chain.map((policy) => ({ policy, groups: groupsOf(set, policy) }));
  const resources: Resource[] = withGroups.flatMap((p) => [p.policy, ...p.groups]);
  const evaluate = missing ? alwaysUndetermined(missing) : (flow: Flow) => evaluateFirewallPolicy(withGroups, flow, options);
  const parents = chain.slice(0, -1).map(azureName);
  const description = `policy ${azureName(leaf)}${parents.length > 0 ? `, parent ${parents.join(" > ")}` : ""}`;
  return { resources, evaluate, description, settings: policySettings(chain), policies: withGroups };
}

function firewallGate(set: ResourceSet, firewall: AzureFirewall, gateOptions: GateOptions): EgressGate {
  const base = { ref: firewall.ref, ...(firewall.armId !== undefined ? { armId: firewall.armId } : {}), kind: "azureFirewall" as const, privateIpAddresses: firewall.privateIpAddresses };
  const name = azureName(firewall);
  const doubt = resolverDoubt(firewall, gateOptions.dnsServers);
  const options: FirewallEvaluationOptions = doubt !== undefined ? { resolverDoubt: doubt } : {};
  if (firewall.firewallPolicyId === undefined) {
    return {
      ...base,
      label: `Azure Firewall ${name} (classic rules)`,
      resources: [firewall],
      evaluate: guardUnknowns([firewall], (flow) => evaluateClassicFirewall(firewall, flow, options)),
      threatIntel: {
        mode: firewall.threatIntelMode ?? "Alert",
        whitelistFqdns: firewall.threatIntelWhitelistFqdns ?? [],
        whitelistIpAddresses: firewall.threatIntelWhitelistIpAddresses ?? [],
        ref: firewall.ref,
        whitelist: "additionalProperties",
      },
      classicCollections: { network: firewall.networkRuleCollections, application: firewall.applicationRuleCollections },
    };
  }
  const policy = findPolicy(set, firewall.firewallPolicyId);
  const groupsOnly = policy ? undefined : groupsWithoutPolicy(set).find((m) => runsPolicyOf(firewall, m));
  if (groupsOnly) {
    return {
      ...base,
      label: `Azure Firewall ${name} (policy ${groupsOnly.policyName}, not in the input; its rule collection groups are)`,
      resources: [firewall, ...groupsOnly.groups],
      evaluate: guardUnknowns([firewall, ...groupsOnly.groups], evaluateWithoutPolicy(groupsOnly)),
    };
  }
  if (!policy) {
    return {
      ...base,
      label: `Azure Firewall ${name} (policy ${lastSegment(firewall.firewallPolicyId)}, not in the stack)`,
      resources: [firewall],
      evaluate: guardUnknowns([firewall], alwaysUndetermined(`firewall policy ${firewall.firewallPolicyId} is not in the stack`)),
    };
  }
  const parts = policyGateParts(set, policy, options);
  return {
    ...base,
    ...parts.settings,
    label: `Azure Firewall ${name} (${parts.description})`,
    resources: [firewall, ...parts.resources],
    evaluate: guardUnknowns([firewall, ...parts.resources], parts.evaluate),
    policies: parts.policies,
  };
}

function policyGate(set: ResourceSet, policy: FirewallPolicy): EgressGate {
  const parts = policyGateParts(set, policy);
  return {
    ref: policy.ref,
    ...(policy.armId !== undefined ? { armId: policy.armId } : {}),
    kind: "firewallPolicy",
    label: `Firewall ${parts.description} (not attached to a firewall in the stack)`,
    resources: parts.resources,
    evaluate: guardUnknowns(parts.resources, parts.evaluate),
    privateIpAddresses: [],
    ...parts.settings,
    policies: parts.policies,
  };
}

/** Whether a standalone SecurityRule belongs to an NSG: a child of its ARM id, or named after it in a compatible resource group. */
function isRuleOf(rule: StandaloneSecurityRule, nsg: NetworkSecurityGroup): boolean {
  return isChildOf(rule.armId, nsg, "securityRules") || (rule.networkSecurityGroupName !== undefined && isNamed(nsg, rule.networkSecurityGroupName, rule.resourceGroup));
}

/** Each standalone SecurityRule of a stack with the NSGs it belongs to, and each NSG with its standalone rules. */
interface StandaloneRules {
  /** In the stack's order of the rules, as `isRuleOf` joins them. */
  ofNsg: Map<NetworkSecurityGroup, StandaloneSecurityRule[]>;
  /** The rules that belong to some NSG of the stack. */
  joined: Set<StandaloneSecurityRule>;
}

const CHILD_RULES = "/securityrules/";

/**
 * The join of standalone SecurityRules to their NSGs (`isRuleOf`), by index and once per resource set: a
 * stack may hold thousands of each, and a scan of every rule per NSG grows with their product. A rule's
 * candidates are the NSGs its ARM id is a child of (each `/securityRules/` in the id splits off one) and
 * those named by its `networkSecurityGroupName`; each is confirmed with `isRuleOf`.
 */
const standaloneRules = memoizeByObject((set: ResourceSet): StandaloneRules => {
  const result: StandaloneRules = { ofNsg: new Map(), joined: new Set() };
  const rules = ofKind(set, "securityRule");
  // No standalone rule (the usual stack: rules inline in their NSG): nothing to join, no NSG to index.
  if (rules.length === 0) return result;
  const nsgs = ofKind(set, "networkSecurityGroup");
  const byChildPrefix = new Map<string, NetworkSecurityGroup[]>();
  const byName = new Map<string, NetworkSecurityGroup[]>();
  for (const nsg of nsgs) {
    if (nsg.armId) append(byChildPrefix, `${nsg.armId.toLowerCase()}${CHILD_RULES}`, nsg);
    for (const name of lowerCaseNames([nsg.ref.name, azureName(nsg)])) append(byName, name, nsg);
  }
  for (const rule of rules) {
    const candidates = new Set<NetworkSecurityGroup>();
    const id = rule.armId?.toLowerCase();
    for (let at = id?.indexOf(CHILD_RULES) ?? -1; id !== undefined && at >= 0; at = id.indexOf(CHILD_RULES, at + 1)) {
      for (const nsg of byChildPrefix.get(id.slice(0, at + CHILD_RULES.length)) ?? []) candidates.add(nsg);
    }
    if (rule.networkSecurityGroupName !== undefined) for (const nsg of byName.get(rule.networkSecurityGroupName.toLowerCase()) ?? []) candidates.add(nsg);
    for (const nsg of candidates) {
      if (!isRuleOf(rule, nsg)) continue;
      result.joined.add(rule);
      append(result.ofNsg, nsg, rule);
    }
  }
  return result;
});

/**
 * Whether the stack shows the NSG a standalone SecurityRule belongs to (the join `nsgGate` makes). A rule
 * whose NSG is not shown is not shown to be off the bridge's path either.
 */
export function hasNsgInStack(set: ResourceSet, rule: StandaloneSecurityRule): boolean {
  return standaloneRules(set).joined.has(rule);
}

function nsgGate(set: ResourceSet, nsg: NetworkSecurityGroup): EgressGate {
  const standalone = standaloneRules(set).ofNsg.get(nsg) ?? [];
  const owners = new Map<SecurityRule, ResourceRef>(standalone.map((r) => [r.rule, r.ref]));
  const rules = [...nsg.securityRules, ...standalone.map((r) => r.rule)];
  return {
    ref: nsg.ref,
    ...(nsg.armId !== undefined ? { armId: nsg.armId } : {}),
    kind: "networkSecurityGroup",
    label: `NSG ${azureName(nsg)}`,
    resources: [nsg, ...standalone],
    securityRules: rules,
    evaluate: guardUnknowns([nsg, ...standalone], (flow) => evaluateNsgOutbound(nsg.ref, rules, flow, (rule) => owners.get(rule) ?? nsg.ref)),
    privateIpAddresses: [],
  };
}

/** Whether `egress.resources` (names, URNs or ARM ids; empty = all) names the resource. */
export function isSelected(resource: Resource, selection: readonly string[]): boolean {
  if (selection.length === 0) return true;
  return selection.some((s) => s === resource.ref.urn || sameArmId(s, resource.armId) || isNamed(resource, s, undefined));
}

/**
 * The egress gates of a stack. `selection` (names, URNs or ARM ids; empty = all) filters by the gate's own
 * resource: selecting a policy does not select the firewall that runs it. A function instead (the bridge's
 * path, `evaluate/path.ts`) says which gate resources to keep.
 */
export function egressGates(set: ResourceSet, selection: readonly string[] | ((resource: Resource) => boolean), options: GateOptions = {}): EgressGate[] {
  const keep = typeof selection === "function" ? selection : (resource: Resource) => isSelected(resource, selection);
  const firewalls = ofKind(set, "azureFirewall");
  const policies = ofKind(set, "firewallPolicy");
  // Run by a firewall of the stack, or the parent of another policy: not a gate of its own.
  const used = new Set<FirewallPolicy>();
  for (const f of firewalls) if (f.firewallPolicyId !== undefined) for (const p of policiesReferredBy(set, f.firewallPolicyId)) used.add(p);
  for (const child of policies) if (child.basePolicyId !== undefined) for (const p of policiesReferredBy(set, child.basePolicyId)) if (p !== child) used.add(p);
  const isUsed = (policy: FirewallPolicy): boolean => used.has(policy);
  const withoutPolicy = groupsWithoutPolicy(set).filter((m) => !firewalls.some((f) => runsPolicyOf(f, m)) && m.groups.some(keep));
  const gates = [
    ...firewalls.filter(keep).map((f) => firewallGate(set, f, options)),
    ...policies.filter((p) => keep(p) && !isUsed(p)).map((p) => policyGate(set, p)),
    ...withoutPolicy.map((m): EgressGate => ({
      ref: m.groups[0]!.ref,
      kind: "firewallPolicy",
      label: `Firewall policy ${m.policyName} (not in the input; its rule collection groups are, and no firewall in the input runs it)`,
      resources: m.groups,
      evaluate: guardUnknowns(m.groups, evaluateWithoutPolicy(m)),
      privateIpAddresses: [],
    })),
    ...ofKind(set, "networkSecurityGroup").filter(keep).map((n) => nsgGate(set, n)),
  ];
  return gates;
}
