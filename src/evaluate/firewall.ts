/**
 * The Azure Firewall decision for one outbound flow (resources.md, "Azure Firewall decision"):
 * DNAT never decides outbound; all network rules first, then application rules for HTTP(S); each in the
 * order parent policy before child, rule collection groups by priority, collections by priority, rules
 * in order; the first match decides; no match is denied by default.
 */
import type {
  AppProtocol,
  ApplicationRule,
  AzureFirewall,
  FirewallPolicy,
  FirewallRule,
  NetworkRule,
  ResourceRef,
  RuleCollection,
  RuleCollectionGroup,
} from "../model/resource";
import { UNKNOWN_PRIORITY } from "../model/resource";
import { equalsIgnoreCase } from "./case";
import { destinationInterval, matchIpGroups } from "./addresses";
import { firewallDestinationProblem, firewallSourceProblem, matchFirewallDestinations, matchFirewallSources } from "./firewall-addresses";
import { firstMatch, type Candidate, type Effect, type Fallback, type Tie } from "./first-match";
import { fqdnOf } from "./flow";
import { fqdnPatternProblem, matchFqdnPattern, matchFqdnPatterns } from "./fqdn";
import { allOf, anyOf, anyOfEach, noBecause, withNotes } from "./match";
import { azureName } from "./names";
import { memoizeByObject } from "./memo";
import { matchPorts, portProblem } from "./ports";
import { maybe, NO, YES, type DecidingRule, type Flow, type Match, type Verdict } from "./types";

/**
 * DNS proxy as the firewall runs it. "To use FQDNs in your network rules, you must enable DNS Proxy"
 * (fqdn-filtering-network-rules.md): without it the firewall resolves a network rule's FQDN itself and
 * may get other addresses than the stamp did, so such a rule's match is never a sure one.
 */
export interface DnsProxyState {
  /** On, off, or not known (a preview's unknown `dnsSettings`). */
  enabled: boolean | "unknown";
  /** Where the setting lives, for reasons: `policy "hub-policy" (dnsSettings.enableProxy)`. */
  setting: string;
  /** Set when the proxy is on but the stamp is not shown to resolve through the firewall. */
  resolverDoubt?: string;
}

/** What a caller knows beyond the rules: the gate's DNS proxy state, when it differs from the resources' own. */
export interface FirewallEvaluationOptions {
  /** Why network-rule FQDNs may resolve differently although the proxy is on (the stamp's DNS servers are not the firewall). */
  resolverDoubt?: string;
}

/** One policy of a chain with the rule collection groups that belong to it. */
export interface PolicyWithGroups {
  policy: FirewallPolicy;
  groups: RuleCollectionGroup[];
}

type Layer = "network" | "application";

/** A filter collection in its place in the processing order. */
interface PlacedCollection {
  collection: RuleCollection;
  where: Omit<DecidingRule, "rule" | "action" | "isDefault" | "layer" | "path">;
  /** The collection's property path in `where.resource` (`ruleCollections[2]`), for `DecidingRule.path`. */
  path: string;
  label: string;
  ties: (layer: Layer) => Tie[];
  /** The policy can terminate TLS (Premium, with a CA certificate in `transportSecurity`). */
  canInspectTls: boolean;
  networkRules: NetworkRule[];
  applicationRules: ApplicationRule[];
}

function splitRules(collection: RuleCollection): Pick<PlacedCollection, "networkRules" | "applicationRules"> {
  return {
    networkRules: collection.rules.filter((r): r is NetworkRule => r.ruleType === "NetworkRule"),
    applicationRules: collection.rules.filter((r): r is ApplicationRule => r.ruleType === "ApplicationRule"),
  };
}

// ---- matching one rule ------------------------------------------------------------------------------

/** A bare `YES` or `NO`, never with notes (the rule matchers rely on it). */
function matchIpProtocols(protocols: readonly string[], transport: Flow["transport"]): Match {
  for (const p of protocols) if (equalsIgnoreCase(p, "any") || equalsIgnoreCase(p, transport)) return YES;
  return NO;
}

/**
 * Network-rule `destinationFqdns` resolve through DNS and match a name exactly (resources.md): wildcards
 * are an application-rule feature, so an entry with `*` matches nothing here, and says so. Against a
 * wildcard endpoint an exact name covers one of its hosts; against an IP it cannot be decided.
 */
function matchNetworkFqdns(fqdns: readonly string[], flow: Flow, dns: DnsProxyState): Match {
  if (fqdns.length === 0) return NO;
  const address = destinationInterval(flow.destination);
  if (address) {
    const names = fqdns.filter((f) => networkFqdnProblem(f) === undefined);
    const notes = fqdns.flatMap((f) => networkFqdnProblem(f) ?? []);
    return withNotes(names.length > 0 ? maybe(`the addresses ${names.join(", ")} resolve to are not known statically`) : NO, notes);
  }
  const host = fqdnOf(flow.destination).host;
  const byName = anyOfEach(fqdns, matchNetworkFqdn, host);
  if (byName.result === "no") return byName;
  const doubt = dnsProxyDoubt(dns, fqdns, host);
  if (doubt === undefined) return byName;
  return withNotes(maybe(byName.result === "maybe" ? `${byName.why}; ${doubt}` : doubt), byName.notes ?? []);
}

/** Why a network rule's FQDN match is not sure under this DNS proxy state, or undefined when it is. */
function dnsProxyDoubt(dns: DnsProxyState, fqdns: readonly string[], host: string): string | undefined {
  const names = fqdns.filter((f) => networkFqdnProblem(f) === undefined).join(", ");
  const remedy = `enable DNS proxy, or allow ${host} with an application rule`;
  if (dns.enabled === false) {
    return `network rule FQDN ${names} needs DNS proxy, which ${dns.setting} does not enable: the firewall resolves the name itself and may get other addresses than the stamp ("To use FQDNs in your network rules, you must enable DNS Proxy"); ${remedy}`;
  }
  if (dns.enabled === "unknown") return `network rule FQDN ${names} needs DNS proxy, and whether ${dns.setting} enables it is not known yet; ${remedy}`;
  return dns.resolverDoubt;
}

function matchNetworkFqdn(raw: string, host: string): Match {
  const problem = networkFqdnProblem(raw);
  return problem !== undefined ? noBecause(problem) : matchFqdnPattern(raw, host);
}

/** Why a network rule's FQDN matches nothing (a wildcard), or undefined. */
function networkFqdnProblem(raw: string): string | undefined {
  if (!raw.includes("*")) return undefined;
  return `network rule FQDN "${raw}" has a wildcard: network rules match FQDNs exactly (wildcards work only in application rules), so it matches nothing`;
}

/**
 * Every value of a firewall rule that matches nothing, in the words its evaluation uses. A verdict
 * mentions these only when it walks past the rule; BG209 reports them whatever the verdict.
 */
export function firewallRuleProblems(rule: FirewallRule): string[] {
  // Loops that allocate only for a problem: every rule of every policy passes through here once.
  const problems: string[] = [];
  const add = (problem: string | undefined) => problem !== undefined && problems.push(problem);
  for (const s of rule.sourceAddresses) add(firewallSourceProblem(s));
  if (rule.ruleType === "ApplicationRule") {
    for (const f of rule.targetFqdns) add(fqdnPatternProblem(f));
    return problems;
  }
  for (const d of rule.destinationAddresses) add(firewallDestinationProblem(d));
  for (const f of rule.destinationFqdns) add(networkFqdnProblem(f));
  for (const p of rule.destinationPorts) add(portProblem(p));
  return problems;
}


/** A rule's sources: addresses and IP groups (skipping the list that is empty, the common case). */
function matchRuleSources(rule: NetworkRule | ApplicationRule, flow: Flow): Match {
  const addresses = matchFirewallSources(rule.sourceAddresses, flow);
  return rule.sourceIpGroups.length === 0 ? addresses : anyOf([addresses, matchIpGroups(rule.sourceIpGroups)]);
}

/**
 * Conditions in order of cost, stopping at the first `no` (with the notes gathered so far): every rule
 * is matched against every bridge flow, and most fail on protocol or port.
 */
function matchNetworkRule(rule: NetworkRule, flow: Flow, dns: DnsProxyState): Match {
  // The protocol is a bare yes or no (it never carries notes), so a `no` after it needs no combining.
  const protocol = matchIpProtocols(rule.ipProtocols, flow.transport);
  if (protocol.result === "no") return protocol;
  const ports = matchPorts(rule.destinationPorts, flow.port);
  if (ports.result === "no") return ports;
  const destination =
    rule.destinationIpGroups.length === 0 && rule.destinationFqdns.length === 0
      ? matchFirewallDestinations(rule.destinationAddresses, flow.destination)
      : anyOf([
          matchFirewallDestinations(rule.destinationAddresses, flow.destination),
          matchIpGroups(rule.destinationIpGroups),
          matchNetworkFqdns(rule.destinationFqdns, flow, dns),
        ]);
  if (destination.result === "no") return ports.notes?.length ? allOf([ports, destination]) : destination;
  return allOf([ports, destination, matchRuleSources(rule, flow)]);
}

/** An application protocol without a port means the protocol's well-known port. */
const DEFAULT_PORT: Readonly<Record<NonNullable<Flow["appProtocol"]>, number>> = { Http: 80, Https: 443 };

/** A bare `YES` or `NO`, never with notes (the rule matchers rely on it). */
function matchAppProtocols(protocols: readonly AppProtocol[], flow: Flow): Match {
  const wanted = flow.appProtocol;
  if (wanted === undefined) return NO;
  for (const p of protocols) if (equalsIgnoreCase(p.protocolType, wanted) && (p.port ?? DEFAULT_PORT[wanted]) === flow.port) return YES;
  return NO;
}

/**
 * FQDN tags are Microsoft-managed lists. These serve other products; the patterns are the catalog hosts
 * they may contain (Windows Update and Defender share download hosts). Other tags: cannot be decided.
 */
const FQDN_TAG_SCOPES: Readonly<Record<string, readonly string[]>> = {
  windowsupdate: ["*.update.microsoft.com", "*.download.microsoft.com", "*.windowsupdate.com"],
  windowsdiagnostics: [],
  microsoftactiveprotectionservice: ["*.wdcp.microsoft.com", "*.wdcpalt.microsoft.com", "*.wd.microsoft.com"],
};

function matchFqdnTag(tag: string, host: string): Match {
  // Own keys only: a tag named "__proto__" or "constructor" is an unknown tag, not Object.prototype's.
  const scope = Object.hasOwn(FQDN_TAG_SCOPES, tag.toLowerCase()) ? FQDN_TAG_SCOPES[tag.toLowerCase()] : undefined;
  if (scope === undefined) return maybe(`the contents of FQDN tag ${tag} are managed by Microsoft and not in the stack`);
  const overlaps = scope.some((pattern) => matchFqdnPattern(pattern, host).result !== "no");
  return overlaps ? maybe(`FQDN tag ${tag} may include ${host}; its contents are managed by Microsoft`) : NO;
}

/** Premium `targetUrls`: the host part matches like an FQDN; a path restriction allows only part of the host. */
function matchTargetUrl(url: string, host: string): Match {
  const withoutScheme = url.replace(/^[a-z]+:\/\//i, "");
  const slash = withoutScheme.indexOf("/");
  const hostPart = (slash < 0 ? withoutScheme : withoutScheme.slice(0, slash)).replace(/:\d+$/, "");
  const path = slash < 0 ? "" : withoutScheme.slice(slash);
  const byHost = matchFqdnPattern(hostPart, host);
  if (byHost.result === "no" || ["", "/", "/*"].includes(path)) return byHost;
  return maybe(`URL rule ${url} allows only the path ${path}`);
}

function matchApplicationRule(rule: ApplicationRule, flow: Flow): Match {
  const protocol = flow.transport === "tcp" ? matchAppProtocols(rule.protocols, flow) : NO;
  if (protocol.result === "no") return protocol;
  const host = fqdnOf(flow.destination).host;
  const target =
    rule.fqdnTags.length === 0 && rule.targetUrls.length === 0 && rule.webCategories.length === 0
      ? matchFqdnPatterns(rule.targetFqdns, host)
      : anyOf([
          matchFqdnPatterns(rule.targetFqdns, host),
          ...rule.fqdnTags.map((tag) => matchFqdnTag(tag, host)),
          ...rule.targetUrls.map((url) => matchTargetUrl(url, host)),
          rule.webCategories.length > 0 ? maybe(`web categories cannot be resolved statically (${rule.webCategories.join(", ")})`) : NO,
        ]);
  // The protocol was a bare yes (no notes): what remains to combine is the target and the sources.
  if (target.result === "no") return target;
  return allOf([target, matchRuleSources(rule, flow)]);
}

// ---- ordering ---------------------------------------------------------------------------------------

/** Where a unit without priority goes: last (the input's order) or first; see `UNKNOWN_PRIORITY`. */
type UnknownPlace = "last" | "first";

function byPriority<T extends { priority: number }>(items: readonly T[], unknown: UnknownPlace = "last"): T[] {
  const key = (p: number) => (p === UNKNOWN_PRIORITY && unknown === "first" ? -1 : p);
  return [...items].sort((a, b) => key(a.priority) - key(b.priority)); // stable: equal priorities keep their order
}

function priorityText(priority: number): string {
  return priority === UNKNOWN_PRIORITY ? "no priority" : `priority ${priority}`;
}

/** NAT collections (`Dnat`/`Snat`) never decide an outbound flow. */
function isFilter(collection: RuleCollection): boolean {
  return collection.collectionKind !== "nat" && (collection.action === "Allow" || collection.action === "Deny");
}

function collectionLabel(c: RuleCollection): string {
  return `collection "${c.name}" (${priorityText(c.priority)}, ${c.action})`;
}

/** Premium terminates TLS only with a CA certificate (`transportSecurity.certificateAuthority`). */
function canInspectTls(policy: FirewallPolicy): boolean {
  return policy.hasTlsInspectionCertificate && (policy.skuTier === undefined || policy.skuTier.toLowerCase() === "premium");
}

function placePolicyCollections(chain: readonly PolicyWithGroups[], unknown: UnknownPlace): PlacedCollection[] {
  const leaf = chain[chain.length - 1]?.policy;
  return chain.flatMap(({ policy, groups }) => {
    const policyName = azureName(policy);
    const prefix = chain.length > 1 ? `policy "${policyName}" > ` : "";
    return byPriority(groups, unknown).flatMap((group) => {
      const groupName = azureName(group);
      return byPriority(group.ruleCollections.filter(isFilter), unknown).map((collection): PlacedCollection => ({
        collection,
        where: {
          resource: group.ref,
          policy: policyName,
          policyRef: policy.ref,
          group: groupName,
          groupPriority: group.priority,
          collection: collection.name,
          collectionPriority: collection.priority,
        },
        path: `ruleCollections[${group.ruleCollections.indexOf(collection)}]`,
        label: `${prefix}rule collection group "${groupName}" (${priorityText(group.priority)}) > ${collectionLabel(collection)}`,
        ties: (layer) => [
          { key: `${layer}/${policyName}/groups@${group.priority}`, what: "rule collection group", unit: groupName, priority: group.priority },
          {
            key: `${layer}/${policyName}/${groupName}/collections@${collection.priority}`,
            what: "collection",
            unit: collection.name,
            priority: collection.priority,
          },
        ],
        // TLS inspection is configured on a policy: the rule's own, or the one the firewall runs (the leaf).
        canInspectTls: canInspectTls(policy) || (leaf !== undefined && canInspectTls(leaf)),
        ...splitRules(collection),
      }));
    });
  });
}

function placeClassicCollections(firewall: AzureFirewall, unknown: UnknownPlace): PlacedCollection[] {
  const place = (kind: Layer, collections: readonly RuleCollection[]) =>
    byPriority(collections.filter(isFilter), unknown).map((collection): PlacedCollection => ({
      collection,
      where: { resource: firewall.ref, collection: collection.name, collectionPriority: collection.priority },
      path: `${kind}RuleCollections[${collections.indexOf(collection)}]`,
      label: `${kind} rule ${collectionLabel(collection)}`,
      ties: () => [{ key: `${kind}/collections@${collection.priority}`, what: `${kind} rule collection`, unit: collection.name, priority: collection.priority }],
      canInspectTls: false, // classic application rules cannot terminate TLS
      ...splitRules(collection),
    }));
  return [...place("network", firewall.networkRuleCollections), ...place("application", firewall.applicationRuleCollections)];
}

/** Placement depends only on the resources, not the flow: computed once per chain or firewall (and place of the unknown). */
const placedPolicyCollections = memoizeByObject((chain: readonly PolicyWithGroups[]) => placePolicyCollections(chain, "last"));
const placedPolicyCollectionsUnknownFirst = memoizeByObject((chain: readonly PolicyWithGroups[]) => placePolicyCollections(chain, "first"));
const placedClassicCollections = memoizeByObject((firewall: AzureFirewall) => placeClassicCollections(firewall, "last"));
const placedClassicCollectionsUnknownFirst = memoizeByObject((firewall: AzureFirewall) => placeClassicCollections(firewall, "first"));

/** The groups and collections whose priority the input does not give, as a person finds them. */
const unplacedUnits = memoizeByObject((units: { groups: readonly RuleCollectionGroup[]; collections: readonly RuleCollection[] }): string[] => [
  ...units.groups.filter((g) => g.priority === UNKNOWN_PRIORITY).map((g) => `rule collection group "${azureName(g)}"`),
  ...units.collections.filter((c) => isFilter(c) && c.priority === UNKNOWN_PRIORITY).map((c) => `collection "${c.name}"`),
]);

const policyUnits = memoizeByObject((chain: readonly PolicyWithGroups[]) => {
  const groups = chain.flatMap((p) => p.groups);
  return unplacedUnits({ groups, collections: groups.flatMap((g) => g.ruleCollections) });
});
const classicUnits = memoizeByObject((firewall: AzureFirewall) => unplacedUnits({ groups: [], collections: [...firewall.networkRuleCollections, ...firewall.applicationRuleCollections] }));

/**
 * Azure orders rule collection groups and collections by priority. One the input gives no priority could
 * sit anywhere: the verdict with it last and with it first must agree, else it is undetermined and says so.
 */
function withUnknownPlaces(unplaced: readonly string[], last: Verdict, first: () => Verdict): Verdict {
  if (unplaced.length === 0) return last;
  const other = first();
  const note = `${unplaced.join(", ")} ${unplaced.length === 1 ? "has" : "have"} no priority, so where Azure places ${unplaced.length === 1 ? "it" : "them"} is not known`;
  if (other.verdict === last.verdict) return { ...last, evidence: [...last.evidence, `${note}; first or last, the verdict is the same`] };
  return {
    verdict: "undetermined",
    ...(other.decidedBy ?? last.decidedBy ? { decidedBy: other.decidedBy ?? last.decidedBy! } : {}),
    reason: `${note}: placed first, ${other.reason}; placed last, ${last.reason}`,
    evidence: [note, ...other.evidence.map((e) => `placed first: ${e}`), ...last.evidence.map((e) => `placed last: ${e}`)],
    possible: [...new Set([...(other.possible ?? [other.verdict]), ...(last.possible ?? [last.verdict])].filter((v): v is Exclude<typeof v, "undetermined"> => v !== "undetermined"))],
  };
}

function effectOf(placed: PlacedCollection, rule: ApplicationRule | NetworkRule, flow: Flow): Effect {
  if (placed.collection.action === "Deny") return "denied";
  const terminates = rule.ruleType === "ApplicationRule" && rule.terminateTLS && flow.appProtocol === "Https" && placed.canInspectTls;
  return terminates ? "intercepted" : "allowed";
}

/** A rule that matches or may match a flow; what a verdict says about it is built only when it is read. */
class RuleCandidate implements Candidate {
  constructor(
    private readonly placed: PlacedCollection,
    private readonly layer: Layer,
    private readonly rule: ApplicationRule | NetworkRule,
    readonly effect: Effect,
    readonly match: Match,
  ) {}

  get label(): string {
    return `${this.placed.label} > ${this.layer} rule "${this.rule.name}"`;
  }

  get decidedBy(): DecidingRule {
    const { placed, rule } = this;
    return { ...placed.where, rule: rule.name, action: placed.collection.action, layer: this.layer, path: `${placed.path}.rules[${placed.collection.rules.indexOf(rule)}]` };
  }

  get ties(): Tie[] {
    return this.placed.ties(this.layer);
  }
}

/**
 * Network rules of every collection first; application rules only for HTTP(S) flows. Labels, ties and
 * deciding-rule records are built only for the few candidates a verdict talks about: a policy with
 * thousands of rules is walked once per bridge flow.
 */
function candidates(placed: readonly PlacedCollection[], flow: Flow, dns: DnsProxyState): Candidate[] {
  const layers: Layer[] = flow.appProtocol ? ["network", "application"] : ["network"];
  const result: Candidate[] = [];
  for (const layer of layers) {
    for (const p of placed) {
      for (const rule of layer === "network" ? p.networkRules : p.applicationRules) {
        const match = rule.ruleType === "NetworkRule" ? matchNetworkRule(rule, flow, dns) : matchApplicationRule(rule, flow);
        // A plain "no" can neither decide, nor leave doubt, nor tie: only its notes (an invalid value) matter.
        if (match.result === "no" && !match.notes?.length) continue;
        result.push(new RuleCandidate(p, layer, rule, effectOf(p, rule, flow), match));
      }
    }
  }
  return result;
}

function defaultDeny(resource: ResourceRef, policy?: string, policyRef?: ResourceRef): Fallback {
  return {
    effect: "denied",
    decidedBy: { resource, policy, ...(policyRef ? { policyRef } : {}), action: "Deny", isDefault: true },
    reason: "Azure Firewall denies by default",
  };
}

/**
 * Evaluate a firewall policy with its parents, root first (`basePolicy` rules come before the child's).
 * The default deny is attributed to the last policy of the chain, the one the firewall runs.
 */
export function evaluateFirewallPolicy(chain: readonly PolicyWithGroups[], flow: Flow, options: FirewallEvaluationOptions = {}): Verdict {
  const leaf = chain[chain.length - 1];
  if (!leaf) throw new Error("evaluateFirewallPolicy needs at least one policy");
  const dns = withResolverDoubt(policyDnsProxy(chain.map((p) => p.policy)), options);
  const fallback = defaultDeny(leaf.policy.ref, azureName(leaf.policy), leaf.policy.ref);
  const last = firstMatch(candidates(placedPolicyCollections(chain), flow, dns), fallback, flow);
  return withUnknownPlaces(policyUnits(chain), last, () => firstMatch(candidates(placedPolicyCollectionsUnknownFirst(chain), flow, dns), fallback, flow));
}

/** Evaluate a classic Azure Firewall (rule collections on the firewall itself, no firewall policy). */
export function evaluateClassicFirewall(firewall: AzureFirewall, flow: Flow, options: FirewallEvaluationOptions = {}): Verdict {
  const dns = withResolverDoubt(classicDnsProxy(firewall), options);
  const last = firstMatch(candidates(placedClassicCollections(firewall), flow, dns), defaultDeny(firewall.ref), flow);
  return withUnknownPlaces(classicUnits(firewall), last, () => firstMatch(candidates(placedClassicCollectionsUnknownFirst(firewall), flow, dns), defaultDeny(firewall.ref), flow));
}

function withResolverDoubt(dns: DnsProxyState, options: FirewallEvaluationOptions): DnsProxyState {
  return options.resolverDoubt !== undefined && dns.enabled === true ? { ...dns, resolverDoubt: options.resolverDoubt } : dns;
}

function isUnknownAt(resource: { unknowns: readonly string[] }, property: string): boolean {
  return resource.unknowns.some((u) => u.replace(/^properties\./, "").startsWith(property));
}

/**
 * The DNS proxy of a policy chain (root first): the nearest policy, leaf first, that sets
 * `dnsSettings.enableProxy`; none: off, Azure's default.
 */
export function policyDnsProxy(chain: readonly FirewallPolicy[]): DnsProxyState {
  const leafFirst = [...chain].reverse();
  const leaf = leafFirst[0];
  if (!leaf) return { enabled: false, setting: "no policy" };
  const setter = leafFirst.find((p) => p.dnsProxyEnabled !== undefined || isUnknownAt(p, "dnsSettings"));
  const policy = setter ?? leaf;
  const setting = `policy "${azureName(policy)}" (dnsSettings.enableProxy)`;
  if (setter && setter.dnsProxyEnabled === undefined) return { enabled: "unknown", setting };
  return { enabled: setter?.dnsProxyEnabled ?? false, setting };
}

/** A firewall without policy: `additionalProperties["Network.DNS.EnableProxy"]`. */
export function classicDnsProxy(firewall: AzureFirewall): DnsProxyState {
  const setting = `firewall "${azureName(firewall)}" (additionalProperties["Network.DNS.EnableProxy"])`;
  if (firewall.dnsProxyEnabled === undefined && isUnknownAt(firewall, "additionalProperties")) return { enabled: "unknown", setting };
  return { enabled: firewall.dnsProxyEnabled ?? false, setting };
}
