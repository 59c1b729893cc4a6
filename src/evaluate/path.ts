/**
 * Which egress gates the bridge's flows cross (resources.md, "Which gates are on the bridge's path").
 * A stack shows only part of the flows' way, so the path is decided from what it shows, and a gate is
 * left out only when the stack shows it to be off the path:
 * - an NSG attached (by a subnet's `networkSecurityGroup` or a NIC's) only to subnets and NICs whose
 *   addresses do not contain the egress sources: an NSG filters only the traffic of what it is attached
 *   to (Azure NSG overview, "How network security groups filter network traffic");
 * - a firewall policy attached to no firewall in a stack that has firewalls: its firewall lives elsewhere
 *   (a parent policy, `basePolicy`, is never a gate of its own: it is evaluated inside its child's chain);
 * - a firewall the routes send the flows around: the route that applies (longest prefix, in the route
 *   tables attached to the egress sources' subnets) has next hop `VirtualNetworkGateway`, `Internet`,
 *   `None`, or an appliance IP that is not the firewall's private IP. The route is then the finding.
 * What the stack does not show keeps a gate on the path, and the report says so once (`assumptions`).
 * `egress.resources` overrides all of this: the gates it names are the path.
 *
 * The result is data (`BridgePath`) that every report carries once, and a selection (`PathSelection`)
 * the engine uses to evaluate only the gates on the path.
 */
import type {
  AzureFirewall,
  FirewallPolicy,
  NetworkInterface,
  NetworkSecurityGroup,
  Resource,
  ResourceRef,
  ResourceSet,
  Route,
  RouteTable,
  StandaloneRoute,
  SubnetLinks,
} from "../model/resource";
import { ofKind } from "../model/resource";
import type { BridgePath, PathBasis, PathGate, PathRouteTable } from "../model/path";
import { parseAddressEntry, type AddressInterval } from "./addresses";
import { groupsWithoutPolicy, isSelected, policiesReferredBy, refersTo, runsPolicyOf, type EgressGateKind, type PolicyWithoutResource } from "./gates";
import { memoizeByObject } from "./memo";
import { append, lowerCaseNames } from "./multimap";
import { withoutTrailingSlashes } from "../input/normalize/armId";
import { azureName, lastSegment, sameArmId } from "./names";
import { routeForDestination, type RouteDecision } from "./routes";
import type { Flow } from "./types";

/** The path as the engine uses it: which resources to make gates of, and which flows skip which gate. */
export interface PathSelection {
  path: BridgePath;
  /** Whether a gate's own resource (firewall, unattached policy, NSG) is on the path. */
  isOnPath(resource: Resource): boolean;
  /** Whether routing sends this flow around this gate (a firewall on the path for other flows). */
  bypasses(gate: ResourceRef, flow: Flow): boolean;
}

export interface PathInput {
  /** `egress.sourceAddresses`: where the bridge's flows come from; undefined when not configured. */
  sources?: readonly string[];
  /** `egress.resources`: when not empty, the gates it names are the path. */
  selection: readonly string[];
  /** The bridge's flows, as the engine evaluates them. */
  flows: readonly Flow[];
}

// ---- finding what an ARM id refers to, by index (a stack may hold thousands of NSGs and subnets) ------

/**
 * Resources of one kind by lower-case ARM id, for `refersTo` without a scan. Ids that name no resource of
 * the set by id (a planned resource has none yet) are looked up by name, an index built on the first such
 * miss only: in a deployed stack every reference is an id.
 */
class RefIndex<R extends Resource> {
  private readonly byId = new Map<string, R>();
  private byName: Map<string, R[]> | undefined;
  constructor(private readonly resources: readonly R[]) {
    for (const r of resources) if (r.armId) this.byId.set(withoutTrailingSlashes(r.armId).toLowerCase(), r);
  }
  find(armId: string): R | undefined {
    const exact = this.byId.get(withoutTrailingSlashes(armId).toLowerCase());
    if (exact) return exact;
    return this.names().get(lastSegment(armId).toLowerCase())?.find((r) => refersTo(armId, r));
  }
  private names(): Map<string, R[]> {
    if (this.byName) return this.byName;
    const byName = new Map<string, R[]>();
    for (const r of this.resources) for (const name of lowerCaseNames([r.ref.name, azureName(r)])) append(byName, name, r);
    return (this.byName = byName);
  }
}

// ---- addresses --------------------------------------------------------------------------------------

function intervals(values: readonly string[]): AddressInterval[] {
  return values.flatMap((v) => {
    const entry = parseAddressEntry(v);
    return entry.kind === "interval" ? [entry.interval] : [];
  });
}

function overlaps(a: readonly AddressInterval[], b: readonly AddressInterval[]): boolean {
  return a.some((x) => b.some((y) => x.family === y.family && x.first <= y.last && y.first <= x.last));
}

/** The egress sources as intervals, and their IPv4 ones as plain numbers for `ipv4CidrBounds`. */
interface Sources {
  intervals: AddressInterval[];
  ipv4: { first: number; last: number }[];
}

function sourcesOf(values: readonly string[]): Sources {
  const all = intervals(values);
  return { intervals: all, ipv4: all.filter((i) => i.family === "ipv4").map((i) => ({ first: Number(i.first), last: Number(i.last) })) };
}

/** `a.b.c.d/n` as Azure writes a subnet prefix: four decimal parts without leading zeros, a length of 1-32. */
const CANONICAL_IPV4_CIDR = /^(0|[1-9]\d{0,2})\.(0|[1-9]\d{0,2})\.(0|[1-9]\d{0,2})\.(0|[1-9]\d{0,2})\/([1-9]|[12]\d|3[0-2])$/;

/**
 * The bounds of a canonical IPv4 CIDR as numbers, or undefined for any other text, which then takes the
 * full parse (`parseAddressEntry`). A stack may hold tens of thousands of subnets, nearly all of them off the
 * path: this answers "does it hold the sources?" for them without ipaddr.js or BigInt, with the same bounds
 * (network and broadcast address) the full parse gives. `/0` is left to it: `0.0.0.0/0` reads as "any".
 */
export function ipv4CidrBounds(text: string): { first: number; last: number } | undefined {
  const m = CANONICAL_IPV4_CIDR.exec(text);
  if (!m) return undefined;
  const parts = [Number(m[1]), Number(m[2]), Number(m[3]), Number(m[4])];
  if (parts.some((p) => p > 255)) return undefined;
  const address = ((parts[0]! << 24) | (parts[1]! << 16) | (parts[2]! << 8) | parts[3]!) >>> 0;
  const length = Number(m[5]);
  const size = 2 ** (32 - length);
  const first = address - (address % size);
  return { first, last: first + size - 1 };
}

/** Whether one prefix holds an address of the sources. */
function prefixHoldsSources(prefix: string, sources: Sources): boolean {
  const bounds = ipv4CidrBounds(prefix);
  if (bounds) return sources.ipv4.some((s) => bounds.first <= s.last && s.first <= bounds.last);
  const entry = parseAddressEntry(prefix);
  return entry.kind === "interval" && overlaps([entry.interval], sources.intervals);
}

/** Does what an attachment covers hold the egress sources? `unknown` when the stack does not say. */
type Carries = "yes" | "no" | "unknown";

function hasUnknown(resource: Resource, properties: readonly string[]): boolean {
  return resource.unknowns.some((path) => properties.includes(path.replace(/^properties\./, "").split(/[.[]/)[0] ?? ""));
}

// ---- subnets and NICs -------------------------------------------------------------------------------

interface SubnetView {
  links: SubnetLinks;
  /** For messages: `vnet/subnet` or the subnet's name. */
  label: string;
  /** Its prefixes or attachments are unknown until apply. */
  unknown: boolean;
}

/** Every subnet the stack shows: standalone ones, and the inline ones of virtual networks not shown standalone. */
function subnetsOf(set: ResourceSet): SubnetView[] {
  const views: SubnetView[] = [];
  // Which subnets are shown standalone matters only when a virtual network lists its own.
  const vnets = ofKind(set, "virtualNetwork").filter((vnet) => vnet.subnets.length > 0);
  const seen = new Set<string>();
  for (const s of ofKind(set, "subnet")) {
    const label = s.virtualNetworkName ? `${s.virtualNetworkName}/${s.subnet.name}` : s.subnet.name;
    views.push({ links: s.subnet, label, unknown: s.unknowns.length > 0 && hasUnknown(s, ["addressPrefix", "addressPrefixes", "networkSecurityGroup", "routeTable"]) });
    if (vnets.length === 0) continue;
    if (s.subnet.armId) seen.add(s.subnet.armId.toLowerCase());
    seen.add(label.toLowerCase());
  }
  for (const vnet of vnets) {
    for (const links of vnet.subnets) {
      const label = `${azureName(vnet)}/${links.name}`;
      if ((links.armId && seen.has(links.armId.toLowerCase())) || seen.has(label.toLowerCase())) continue;
      views.push({ links, label, unknown: hasUnknown(vnet, ["subnets"]) });
    }
  }
  return views;
}

function subnetCarries(subnet: SubnetView, sources: Sources): Carries {
  if (subnet.unknown || subnet.links.addressPrefixes.length === 0) return "unknown";
  return subnet.links.addressPrefixes.some((prefix) => prefixHoldsSources(prefix, sources)) ? "yes" : "no";
}

/**
 * The subnet an ARM id names: the first by id, or (a planned subnet without id) by `vnet/subnet` name. By
 * index: every IP configuration of every network interface asks, and a stack may hold thousands of each.
 */
class SubnetIndex {
  private readonly byId = new Map<string, number>();
  private readonly byLabel = new Map<string, number>();
  constructor(private readonly subnets: readonly SubnetView[]) {
    subnets.forEach((s, i) => {
      const [map, key] = s.links.armId ? [this.byId, withoutTrailingSlashes(s.links.armId).toLowerCase()] : [this.byLabel, s.label.toLowerCase()];
      if (!map.has(key)) map.set(key, i);
    });
  }
  find(armId: string): SubnetView | undefined {
    const [, vnet, subnet] = /\/virtualNetworks\/([^/]+)\/subnets\/([^/]+)/i.exec(armId) ?? [];
    const byId = this.byId.get(withoutTrailingSlashes(armId).toLowerCase());
    const byLabel = vnet && subnet ? this.byLabel.get(`${vnet}/${subnet}`.toLowerCase()) : undefined;
    const first = byId === undefined ? byLabel : byLabel === undefined ? byId : Math.min(byId, byLabel);
    return first === undefined ? undefined : this.subnets[first];
  }
}

function nicCarries(nic: NetworkInterface, findSubnet: (armId: string) => SubnetView | undefined, sources: Sources): Carries {
  if (hasUnknown(nic, ["ipConfigurations"])) return "unknown";
  let result: Carries = "no";
  for (const ipc of nic.ipConfigurations) {
    if (ipc.privateIpAddress !== undefined && prefixHoldsSources(ipc.privateIpAddress, sources)) return "yes";
    const subnet = ipc.subnetId !== undefined ? findSubnet(ipc.subnetId) : undefined;
    const carries = subnet ? subnetCarries(subnet, sources) : ipc.privateIpAddress !== undefined ? "no" : "unknown";
    if (carries === "yes") return "yes";
    if (carries === "unknown") result = "unknown";
  }
  return nic.ipConfigurations.length === 0 ? "unknown" : result;
}

/** An attachment of an NSG or a route table: what it is attached to and whether that holds the sources. */
interface Attachment {
  label: string;
  carries: Carries;
}

function attachmentSummary(attachments: readonly Attachment[]): string {
  const shown = attachments.slice(0, 3).map((a) => a.label);
  return attachments.length > 3 ? `${shown.join(", ")} and ${attachments.length - 3} more` : shown.join(", ");
}

function describeSubnet(subnet: SubnetView): string {
  const prefixes = subnet.links.addressPrefixes;
  return `subnet ${subnet.label}${prefixes.length > 0 ? ` (${prefixes.join(", ")})` : ""}`;
}

// ---- routes -----------------------------------------------------------------------------------------

/** Whether a standalone Route belongs to a table: a child of its ARM id, or naming it (Pulumi or Azure name) in a compatible resource group. */
function isRouteOf(r: StandaloneRoute, table: RouteTable): boolean {
  return (
    !!(r.armId && table.armId && sameArmId(r.armId.replace(/\/routes\/[^/]+$/i, ""), table.armId)) ||
    (r.routeTableName !== undefined &&
      namesOfTable(table).includes(r.routeTableName.toLowerCase()) &&
      (r.resourceGroup === undefined || table.resourceGroup === undefined || r.resourceGroup.toLowerCase() === table.resourceGroup.toLowerCase()))
  );
}

function namesOfTable(table: RouteTable): (string | undefined)[] {
  return [table.ref.name.toLowerCase(), table.armId?.split("/").pop()?.toLowerCase()];
}

/**
 * The standalone Routes of each table (`isRouteOf`), by index and once per resource set: BG401 asks for
 * every table, and a scan of every route per table grows with their product. A route's candidates are the
 * tables its parent id or its `routeTableName` names; each is confirmed with `isRouteOf`.
 */
const standaloneRoutes = memoizeByObject((set: ResourceSet): Map<RouteTable, Route[]> => {
  const byId = new Map<string, RouteTable[]>();
  const byName = new Map<string, RouteTable[]>();
  for (const table of ofKind(set, "routeTable")) {
    if (table.armId) append(byId, withoutTrailingSlashes(table.armId).toLowerCase(), table);
    for (const name of lowerCaseNames(namesOfTable(table))) append(byName, name, table);
  }
  const ofTable = new Map<RouteTable, Route[]>();
  for (const r of ofKind(set, "route")) {
    const candidates = new Set<RouteTable>([
      ...(r.armId ? (byId.get(withoutTrailingSlashes(r.armId.replace(/\/routes\/[^/]+$/i, "")).toLowerCase()) ?? []) : []),
      ...(r.routeTableName !== undefined ? (byName.get(r.routeTableName.toLowerCase()) ?? []) : []),
    ]);
    for (const table of candidates) if (isRouteOf(r, table)) append(ofTable, table, r.route);
  }
  return ofTable;
});

/** A table's routes: inline ones plus standalone `Route` resources that name it (by id or by name and group). */
export function routesOfTable(set: ResourceSet, table: RouteTable): Route[] {
  return [...table.routes, ...(standaloneRoutes(set).get(table) ?? [])];
}

function describeRoute(decision: RouteDecision): string {
  const r = decision.route;
  return r ? `route "${r.name}" (${r.addressPrefix} -> ${r.nextHopType}${r.nextHopIpAddress ? ` ${r.nextHopIpAddress}` : ""})` : "Azure's system route";
}

/**
 * Where a route decision sends a flow relative to one firewall: `to` it, `around` it (with why), or
 * `unclear` (a more specific route may carry part of the flow, the firewall's private IP is not known,
 * the address stays in the virtual network): unclear keeps the firewall on the path.
 */
function relativeTo(decision: RouteDecision, firewall: AzureFirewall): { where: "to" | "around" | "unclear"; why: string } {
  const route = describeRoute(decision);
  if (decision.uncertain) return { where: "unclear", why: decision.uncertain };
  switch (decision.kind) {
    case "gateway":
      return { where: "around", why: `${route} sends the flows to a virtual network gateway` };
    case "internet":
      return { where: "around", why: `${route} sends the flows straight to the Internet` };
    case "blackhole":
      return { where: "around", why: `${route} drops the flows` };
    case "appliance":
      if (decision.applianceIp === undefined || firewall.privateIpAddresses.length === 0) {
        return { where: "unclear", why: `${route} leads to an appliance, and the firewall's private IP is not known` };
      }
      if (firewall.privateIpAddresses.includes(decision.applianceIp)) return { where: "to", why: `${route} leads to it` };
      return { where: "around", why: `${route} sends the flows to appliance ${decision.applianceIp}, not to this firewall (${firewall.privateIpAddresses.join(", ")})` };
    case "vnetLocal":
      return { where: "unclear", why: `${route} keeps the flows in the virtual network` };
  }
}

/** `host:port/transport`: a flow as the path names it. */
function flowLabel(flow: Flow): string {
  const host = flow.destination.kind === "fqdn" ? flow.destination.host : flow.destination.address;
  return `${host}:${flow.port}/${flow.transport}`;
}

// ---- the path ---------------------------------------------------------------------------------------

function gateEntry(resource: Resource, kind: EgressGateKind, basis: PathBasis, reason: string): PathGate {
  return { resource: resource.ref, kind, name: azureName(resource), basis, reason };
}

interface Gates {
  firewalls: AzureFirewall[];
  /** Policies no firewall and no other policy of the stack points at: gates of their own. */
  unattachedPolicies: FirewallPolicy[];
  /** Rule collection groups of policies that are not in the input, which no firewall of the stack runs. */
  groupsWithoutPolicy: PolicyWithoutResource[];
  nsgs: NetworkSecurityGroup[];
}

function gatesOf(set: ResourceSet): Gates {
  const firewalls = ofKind(set, "azureFirewall");
  const policies = ofKind(set, "firewallPolicy");
  const index = new RefIndex(policies);
  const used = new Set<FirewallPolicy>();
  for (const f of firewalls) if (f.firewallPolicyId !== undefined) for (const p of policiesReferredBy(set, f.firewallPolicyId)) used.add(p);
  for (const child of policies) {
    const parent = child.basePolicyId !== undefined ? index.find(child.basePolicyId) : undefined;
    if (parent && parent !== child) used.add(parent);
  }
  return {
    firewalls,
    unattachedPolicies: policies.filter((p) => !used.has(p)),
    groupsWithoutPolicy: groupsWithoutPolicy(set).filter((m) => !firewalls.some((f) => runsPolicyOf(f, m))),
    nsgs: ofKind(set, "networkSecurityGroup"),
  };
}

function bySelection(set: ResourceSet, gates: Gates, selection: readonly string[]): PathSelection {
  const onPath: PathGate[] = [];
  const leftOut: PathGate[] = [];
  const on = new Set<Resource>();
  const add = (resource: Resource, kind: EgressGateKind) => {
    if (isSelected(resource, selection)) {
      on.add(resource);
      onPath.push(gateEntry(resource, kind, "selected", "named in egress.resources"));
    } else {
      leftOut.push(gateEntry(resource, kind, "not-selected", "not named in egress.resources"));
    }
  };
  gates.firewalls.forEach((f) => add(f, "azureFirewall"));
  gates.unattachedPolicies.forEach((p) => add(p, "firewallPolicy"));
  for (const m of gates.groupsWithoutPolicy) {
    if (m.groups.some((g) => isSelected(g, selection))) {
      m.groups.forEach((g) => on.add(g));
      onPath.push(gateEntry(m.groups[0]!, "firewallPolicy", "selected", `named in egress.resources (a rule collection group of policy ${m.policyName}, which is not in the input)`));
    } else {
      leftOut.push(gateEntry(m.groups[0]!, "firewallPolicy", "not-selected", "not named in egress.resources"));
    }
  }
  gates.nsgs.forEach((n) => add(n, "networkSecurityGroup"));
  void set;
  return {
    path: { onPath, leftOut, routeTables: [], assumptions: ["egress.resources names the gates to evaluate: the path is not decided from the stack"] },
    isOnPath: (resource) => on.has(resource),
    bypasses: () => false,
  };
}

/** Decides the bridge's path through a stack; see the module comment. */
export function selectPath(set: ResourceSet, input: PathInput): PathSelection {
  const gates = gatesOf(set);
  if (input.selection.length > 0) return bySelection(set, gates, input.selection);

  const onPath: PathGate[] = [];
  const leftOut: PathGate[] = [];
  const assumptions: string[] = [];
  const on = new Set<Resource>();
  const keep = (resource: Resource, entry: PathGate) => {
    on.add(resource);
    onPath.push(entry);
  };
  const sources = input.sources !== undefined ? sourcesOf(input.sources) : undefined;
  const subnets = subnetsOf(set);
  const nics = ofKind(set, "networkInterface");
  const sourcesText = input.sources?.join(", ") ?? "";

  // -- NSGs: by attachment.
  const nsgIndex = new RefIndex(gates.nsgs);
  const nsgAttachments = new Map<NetworkSecurityGroup, Attachment[]>();
  const attach = (nsgId: string | undefined, attachment: () => Attachment) => {
    const nsg = nsgId !== undefined ? nsgIndex.find(nsgId) : undefined;
    if (nsg) append(nsgAttachments, nsg, attachment());
  };
  for (const subnet of subnets) attach(subnet.links.networkSecurityGroupId, () => ({ label: describeSubnet(subnet), carries: sources ? subnetCarries(subnet, sources) : "unknown" }));
  let subnetIndex: SubnetIndex | undefined;
  const findSubnet = (armId: string) => (subnetIndex ??= new SubnetIndex(subnets)).find(armId);
  for (const nic of nics) attach(nic.networkSecurityGroupId, () => ({ label: `network interface ${azureName(nic)}`, carries: sources ? nicCarries(nic, findSubnet, sources) : "unknown" }));
  // A subnet or NIC whose NSG is unknown until apply may hold any NSG: none can be shown off the path.
  const unknownNsgLinks = subnets.some((s) => s.unknown) || nics.some((n) => hasUnknown(n, ["networkSecurityGroup"]));
  let unattachedNsgs = 0;
  for (const nsg of gates.nsgs) {
    const attachments = nsgAttachments.get(nsg) ?? [];
    const into = attachments.find((a) => a.carries === "yes");
    if (into) {
      keep(nsg, gateEntry(nsg, "networkSecurityGroup", "attachment", `attached to ${into.label}, which contains the egress sources ${sourcesText}`));
    } else if (attachments.length === 0) {
      unattachedNsgs++;
      keep(nsg, gateEntry(nsg, "networkSecurityGroup", "assumed", "the stack shows no subnet or network interface it is attached to"));
    } else if (!sources) {
      keep(nsg, gateEntry(nsg, "networkSecurityGroup", "assumed", `attached to ${attachmentSummary(attachments)}; egress.sourceAddresses is not configured`));
    } else if (attachments.some((a) => a.carries === "unknown") || unknownNsgLinks) {
      keep(nsg, gateEntry(nsg, "networkSecurityGroup", "assumed", `attached to ${attachmentSummary(attachments)}, whose addresses the stack does not show in full`));
    } else {
      leftOut.push(
        gateEntry(nsg, "networkSecurityGroup", "attachment", `attached only to ${attachmentSummary(attachments)}, which ${attachments.length > 1 ? "do" : "does"} not contain the egress sources ${sourcesText}`),
      );
    }
  }
  if (unattachedNsgs > 0) {
    assumptions.push(`${unattachedNsgs} network security group(s) show no subnet or network interface attachment in the stack: kept on the path`);
  }
  if (gates.nsgs.length > unattachedNsgs && !sources) {
    assumptions.push("egress.sourceAddresses is not configured: attached network security groups are kept on the path");
  }

  // -- Unattached firewall policies: their firewall lives elsewhere when the stack has firewalls.
  const firewallPolicyUnknown = gates.firewalls.some((f) => hasUnknown(f, ["firewallPolicy"]));
  for (const policy of gates.unattachedPolicies) {
    if (gates.firewalls.length === 0) {
      keep(policy, gateEntry(policy, "firewallPolicy", "assumed", "the stack has no firewall: the policy's firewall is not shown"));
    } else if (firewallPolicyUnknown) {
      keep(policy, gateEntry(policy, "firewallPolicy", "assumed", "a firewall's policy is unknown until apply: it may run this one"));
    } else {
      leftOut.push(gateEntry(policy, "firewallPolicy", "unattached-policy", `attached to no firewall of the stack, which has ${gates.firewalls.length} firewall(s)`));
    }
  }
  // -- Rule collection groups whose policy is not in the input: the same, as the policy they belong to.
  for (const m of gates.groupsWithoutPolicy) {
    const first = m.groups[0]!;
    const keepAll = (entry: PathGate) => {
      m.groups.forEach((g) => on.add(g));
      onPath.push(entry);
    };
    if (gates.firewalls.length === 0) {
      keepAll(gateEntry(first, "firewallPolicy", "assumed", `rule collection group(s) of policy ${m.policyName}, which is not in the input; the stack has no firewall`));
    } else if (firewallPolicyUnknown) {
      keepAll(gateEntry(first, "firewallPolicy", "assumed", `rule collection group(s) of policy ${m.policyName}; a firewall's policy is unknown until apply: it may run this one`));
    } else {
      leftOut.push(gateEntry(first, "firewallPolicy", "unattached-policy", `rule collection group(s) of policy ${m.policyName}, which no firewall of the stack runs`));
    }
  }
  if (gates.firewalls.length === 0 && gates.unattachedPolicies.length > 0) {
    assumptions.push("the stack has no firewall: its firewall policies are evaluated as if a firewall on the path ran them");
  }

  // -- Firewalls: by the routes that apply to the flows from the egress sources.
  const routeTables: PathRouteTable[] = [];
  const tables: { table: RouteTable; routes: Route[] }[] = [];
  const tableIndex = new RefIndex(ofKind(set, "routeTable"));
  const tableAttachments = new Map<RouteTable, Attachment[]>();
  for (const subnet of subnets) {
    const table = subnet.links.routeTableId !== undefined ? tableIndex.find(subnet.links.routeTableId) : undefined;
    if (table) append(tableAttachments, table, { label: describeSubnet(subnet), carries: sources ? subnetCarries(subnet, sources) : "unknown" });
  }
  for (const table of ofKind(set, "routeTable")) {
    const attachments = tableAttachments.get(table) ?? [];
    const into = attachments.find((a) => a.carries === "yes");
    const entry = (basis: PathRouteTable["basis"], reason: string) => {
      routeTables.push({ resource: table.ref, name: azureName(table), basis, reason });
      tables.push({ table, routes: routesOfTable(set, table) });
    };
    if (into) entry("attachment", `attached to ${into.label}, which contains the egress sources`);
    else if (attachments.length === 0) entry("assumed", "the stack shows no subnet it is attached to");
    else if (!sources || attachments.some((a) => a.carries === "unknown")) entry("assumed", `attached to ${attachmentSummary(attachments)}, whose addresses the stack does not show in full`);
    // Otherwise attached only to other subnets: its routes do not apply to the bridge's flows.
  }
  const routesUnknown = tables.some(({ table }) => hasUnknown(table, ["routes"])) || ofKind(set, "route").some((r) => r.unknowns.length > 0);
  if (gates.firewalls.length > 0 && tables.length === 0) {
    assumptions.push("no route table of the stack applies to the egress sources: the firewalls are kept on the path");
  }

  const bypassed = new Map<string, WeakSet<Flow>>();
  for (const firewall of gates.firewalls) {
    if (tables.length === 0 || routesUnknown) {
      keep(firewall, gateEntry(firewall, "azureFirewall", "assumed", routesUnknown ? "the routes are unknown until apply" : "no route table of the stack applies to the egress sources"));
      continue;
    }
    const around = new WeakSet<Flow>();
    const aroundFlows: string[] = [];
    const aroundWhy = new Set<string>();
    const toWhy = new Set<string>();
    for (const flow of input.flows) {
      // Around only when every route table that may apply sends the flow around it.
      const answers = tables.map(({ routes }) => relativeTo(routeForDestination(routes, flow.destination), firewall));
      if (answers.every((a) => a.where === "around")) {
        around.add(flow);
        aroundFlows.push(flowLabel(flow));
        for (const a of answers) aroundWhy.add(a.why);
      } else {
        for (const a of answers) if (a.where === "to") toWhy.add(a.why);
      }
    }
    const tableNames = routeTables.map((t) => t.name).join(", ");
    if (input.flows.length > 0 && aroundFlows.length === input.flows.length) {
      leftOut.push(gateEntry(firewall, "azureFirewall", "routing", `in ${tableNames}, ${[...aroundWhy].join("; ")}: the bridge's flows do not pass it`));
      continue;
    }
    const entry =
      toWhy.size > 0
        ? gateEntry(firewall, "azureFirewall", "routing", `in ${tableNames}, ${[...toWhy].join("; ")}`)
        : gateEntry(firewall, "azureFirewall", "assumed", `the routes in ${tableNames} do not show whether the flows pass it`);
    if (aroundFlows.length > 0) {
      entry.bypassed = { flows: aroundFlows, reason: [...aroundWhy].join("; ") };
      bypassed.set(firewall.ref.urn, around);
    }
    keep(firewall, entry);
  }

  return {
    path: { onPath, leftOut, routeTables, assumptions },
    isOnPath: (resource) => on.has(resource),
    bypasses: (gate, flow) => bypassed.get(gate.urn)?.has(flow) ?? false,
  };
}
