/**
 * A compliant stamp, as one stack: every rule passes it under `healthyConfig()`. Each non-compliance
 * case in `test/rules` changes exactly one thing through the helpers below (or through `overrides`).
 *
 * The allow rules are built FROM the endpoint catalog, so the healthy stack stays healthy when the
 * catalog changes: a new required endpoint gets its allow rule here without touching the tests.
 */
import { catalogEndpoints, type CatalogEndpoint, type EndpointPort } from "../../src/catalog/endpoints";
import type { CloudName } from "../../src/catalog/clouds";
import type { BridgeguardConfig, RegistrationExpectation, RuleSetting } from "../../src/config/types";
import { parseConfig } from "../../src/engine/config";
import type {
  AppProtocol,
  ApplicationRule,
  AzureFirewall,
  FirewallPolicy,
  NetworkRule,
  NetworkSecurityGroup,
  Registration,
  Resource,
  ResourceSet,
  Route,
  RouteTable,
  RuleCollection,
  RuleCollectionGroup,
  SecurityRule,
} from "../../src/model/resource";
import {
  applicationRule,
  azureFirewall,
  collection,
  firewallPolicy,
  networkRule,
  nsg,
  ref,
  registration,
  REGISTRATION_CLOUD_ID,
  REGISTRATION_OBJECT_ID,
  REGISTRATION_SUBSCRIPTION,
  route,
  routeTable,
  ruleCollectionGroup,
  securityRule,
  VIP,
} from "../evaluate/fixtures";

export { VIP, REGISTRATION_CLOUD_ID, REGISTRATION_OBJECT_ID, REGISTRATION_SUBSCRIPTION };

export const TIME_SERVER = "10.0.0.10";
export const DNS_SERVER = "10.0.0.53";
/** The firewall's private IP: the next hop of the healthy default route. */
export const FIREWALL_IP = "10.0.1.4";

// ---- names a test asserts on ------------------------------------------------------------------------

export const POLICY = "hub-policy";
export const FIREWALL = "hub-fw";
export const GROUP = "bridge-egress";
export const INFRA_COLLECTION = "allow-time-and-dns";
export const BRIDGE_COLLECTION = "allow-usage-bridge";
export const NTP_RULE = "ntp";
export const DNS_RULE = "dns";
export const NSG = "egress-nsg";
export const ROUTE_TABLE = "egress-rt";
export const REGISTRATION_NAME = `AzureStack-${REGISTRATION_CLOUD_ID}`;

// ---- configuration ----------------------------------------------------------------------------------

/** What a test may change in `healthyConfig()`; `null` removes a setting (not configured). */
export interface ConfigOverrides {
  cloud?: CloudName;
  /** Merged over the healthy expectation; `null`: no registration expectation at all. */
  registration?: Partial<RegistrationExpectation> | null;
  egress?: { sourceAddresses?: string[] | null; publicInfrastructureAddresses?: string[]; resources?: string[] };
  timeServer?: string | null;
  dnsServers?: string[];
  rules?: Record<string, RuleSetting>;
}

function withoutUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined && v !== null)) as Partial<T>;
}

/**
 * The configuration the healthy stack is compliant under, validated like `bridgeguard.yaml` (so a test
 * cannot configure what a user could not).
 */
export function healthyConfig(overrides: ConfigOverrides = {}): BridgeguardConfig {
  const registrationExpectation =
    overrides.registration === null
      ? undefined
      : withoutUndefined({
          subscriptionId: REGISTRATION_SUBSCRIPTION,
          resourceGroup: "azurestack",
          cloudId: REGISTRATION_CLOUD_ID,
          objectId: REGISTRATION_OBJECT_ID,
          ...overrides.registration,
        });
  const egress = withoutUndefined({ sourceAddresses: [VIP], resources: [] as string[], ...overrides.egress });
  const raw = withoutUndefined({
    cloud: overrides.cloud ?? "AzureCloud",
    registration: registrationExpectation,
    egress,
    timeServer: overrides.timeServer === undefined ? TIME_SERVER : overrides.timeServer,
    dnsServers: overrides.dnsServers ?? [DNS_SERVER],
    rules: overrides.rules ?? {},
  });
  return parseConfig(raw, "healthyConfig()");
}

// ---- firewall rules, from the catalog ---------------------------------------------------------------

function appProtocol(port: EndpointPort): AppProtocol {
  if (port.protocol !== "https" && port.protocol !== "http") {
    throw new Error(`catalog endpoint port ${port.port}/${port.protocol} cannot be allowed by an application rule`);
  }
  return { protocolType: port.protocol === "https" ? "Https" : "Http", port: port.port };
}

/** The name of the application rule that allows one catalog endpoint (a host may serve two purposes). */
export function allowRuleName(endpoint: Pick<CatalogEndpoint, "purpose" | "host">): string {
  return `${endpoint.purpose}-${endpoint.host}`;
}

/** One application rule per required catalog endpoint of the cloud, on that endpoint's ports, from the VIP. */
export function bridgeApplicationRules(cloud: CloudName = "AzureCloud"): ApplicationRule[] {
  return catalogEndpoints(cloud).map((endpoint) =>
    applicationRule({ name: allowRuleName(endpoint), targetFqdns: [endpoint.host], protocols: endpoint.ports.map(appProtocol) }),
  );
}

export function ntpNetworkRule(overrides: Partial<NetworkRule> = {}): NetworkRule {
  return networkRule({ name: NTP_RULE, ipProtocols: ["UDP"], destinationAddresses: [TIME_SERVER], destinationPorts: ["123"], ...overrides });
}

export function dnsNetworkRule(overrides: Partial<NetworkRule> = {}): NetworkRule {
  return networkRule({ name: DNS_RULE, ipProtocols: ["UDP", "TCP"], destinationAddresses: [DNS_SERVER], destinationPorts: ["53"], ...overrides });
}

export function infraCollection(overrides: Partial<RuleCollection> = {}): RuleCollection {
  return collection({ name: INFRA_COLLECTION, priority: 100, action: "Allow", rules: [ntpNetworkRule(), dnsNetworkRule()], ...overrides });
}

export function bridgeCollection(overrides: Partial<RuleCollection> = {}): RuleCollection {
  return collection({ name: BRIDGE_COLLECTION, priority: 200, action: "Allow", rules: bridgeApplicationRules(), ...overrides });
}

/** A Deny collection of application rules on the given hosts (HTTPS 443 and HTTP 80, from the VIP). */
export function denyAppCollection(name: string, priority: number, hosts: string[]): RuleCollection {
  return collection({
    name,
    priority,
    action: "Deny",
    rules: [
      applicationRule({
        name: `deny-${hosts.join("-")}`,
        targetFqdns: hosts,
        protocols: [
          { protocolType: "Https", port: 443 },
          { protocolType: "Http", port: 80 },
        ],
      }),
    ],
  });
}

/** A rule collection group of the healthy policy. */
export function policyGroup(name: string, priority: number, ruleCollections: RuleCollection[]): RuleCollectionGroup {
  return ruleCollectionGroup({ ref: ref("FirewallPolicyRuleCollectionGroup", name), firewallPolicyName: POLICY, priority, ruleCollections });
}

// ---- NSG --------------------------------------------------------------------------------------------

/**
 * The NSG on the VIP subnet: DNS and NTP to the deployment's servers (private addresses, which
 * `AllowInternetOutBound` does not cover), HTTP(S) to AzureCloud, and a hardening deny to the Internet
 * after them, so that an allow which misses an endpoint shows.
 */
export function healthyNsgRules(): SecurityRule[] {
  return [
    securityRule({ name: "allow-dns", priority: 100, protocol: "*", destinationAddressPrefixes: [DNS_SERVER], destinationPortRanges: ["53"] }),
    securityRule({ name: "allow-ntp", priority: 110, protocol: "Udp", destinationAddressPrefixes: [TIME_SERVER], destinationPortRanges: ["123"] }),
    securityRule({ name: "allow-azure", priority: 200, protocol: "Tcp", destinationAddressPrefixes: ["AzureCloud"], destinationPortRanges: ["443", "80"] }),
    securityRule({ name: "deny-internet", priority: 4000, access: "Deny", protocol: "*", sourceAddressPrefixes: ["*"], destinationAddressPrefixes: ["Internet"], destinationPortRanges: ["*"] }),
  ];
}

/** An outbound NSG rule from the VIP (any protocol and port unless overridden). */
export function nsgRule(name: string, priority: number, access: SecurityRule["access"], destination: string, overrides: Partial<SecurityRule> = {}): SecurityRule {
  return securityRule({ name, priority, access, protocol: "*", destinationAddressPrefixes: [destination], destinationPortRanges: ["*"], ...overrides });
}

// ---- the stack --------------------------------------------------------------------------------------

/** The healthy stack's resources, one per part. */
export interface HealthyParts {
  registration: Registration;
  firewallPolicy: FirewallPolicy;
  ruleCollectionGroup: RuleCollectionGroup;
  firewall: AzureFirewall;
  routeTable: RouteTable;
  nsg: NetworkSecurityGroup;
}

/** Per part: properties merged over the healthy resource, or `null` to leave it out. `extra` is appended. */
export type StackOverrides = { [K in keyof HealthyParts]?: Partial<HealthyParts[K]> | null } & { extra?: Resource[] };

type Parts = { [K in keyof HealthyParts]: HealthyParts[K] | null } & { extra: Resource[] };

function healthyPartsOf(): HealthyParts {
  return {
    registration: registration(),
    firewallPolicy: firewallPolicy({ ref: ref("FirewallPolicy", POLICY), threatIntelMode: "Alert" }),
    ruleCollectionGroup: policyGroup(GROUP, 200, [infraCollection(), bridgeCollection()]),
    firewall: azureFirewall({ ref: ref("AzureFirewall", FIREWALL), privateIpAddresses: [FIREWALL_IP] }),
    routeTable: routeTable({ ref: ref("RouteTable", ROUTE_TABLE), routes: [route({ name: "default-to-firewall", nextHopType: "VirtualAppliance", nextHopIpAddress: FIREWALL_IP })] }),
    nsg: nsg({ ref: ref("NetworkSecurityGroup", NSG), securityRules: healthyNsgRules() }),
  };
}

function partsOf(overrides: StackOverrides): Parts {
  const healthy = healthyPartsOf();
  const merge = <K extends keyof HealthyParts>(key: K): HealthyParts[K] | null => {
    const change = overrides[key];
    if (change === null) return null;
    return { ...healthy[key], ...change } as HealthyParts[K];
  };
  return {
    registration: merge("registration"),
    firewallPolicy: merge("firewallPolicy"),
    ruleCollectionGroup: merge("ruleCollectionGroup"),
    firewall: merge("firewall"),
    routeTable: merge("routeTable"),
    nsg: merge("nsg"),
    extra: overrides.extra ?? [],
  };
}

function assemble(parts: Parts): ResourceSet {
  const { extra, ...resources } = parts;
  return {
    source: "healthyStack()",
    resources: [...Object.values(resources).filter((r): r is NonNullable<typeof r> => r !== null), ...extra],
  };
}

/**
 * A stack that passes every rule under `healthyConfig()`: a protected global registration at the
 * expected place; a Standard firewall policy whose one rule collection group allows NTP and DNS (network
 * rules) and every required catalog endpoint on its ports (application rules) from the VIP; a firewall
 * running that policy; a route table sending 0.0.0.0/0 to the firewall; an NSG allowing DNS, NTP and
 * AzureCloud before a deny to the Internet.
 */
export function healthyStack(overrides: StackOverrides = {}): ResourceSet {
  return assemble(partsOf(overrides));
}

/** The healthy stack after one edit of its parts (`base` first applies overrides, e.g. a Premium policy). */
function edit(base: StackOverrides, change: (parts: Parts) => void): ResourceSet {
  const parts = partsOf(base);
  change(parts);
  return assemble(parts);
}

function groupOf(parts: Parts): RuleCollectionGroup {
  if (!parts.ruleCollectionGroup) throw new Error("the stack has no rule collection group to edit");
  return parts.ruleCollectionGroup;
}

function nsgOf(parts: Parts): NetworkSecurityGroup {
  if (!parts.nsg) throw new Error("the stack has no NSG to edit");
  return parts.nsg;
}

function mapCollections(parts: Parts, change: (c: RuleCollection) => RuleCollection): void {
  const group = groupOf(parts);
  parts.ruleCollectionGroup = { ...group, ruleCollections: group.ruleCollections.map(change) };
}

/** One more collection in the healthy rule collection group. */
export function withCollection(added: RuleCollection, base: StackOverrides = {}): ResourceSet {
  return edit(base, (parts) => {
    const group = groupOf(parts);
    parts.ruleCollectionGroup = { ...group, ruleCollections: [...group.ruleCollections, added] };
  });
}

/** One more resource (a rule collection group, a standalone rule or route, a second firewall...). */
export function withResource(added: Resource, base: StackOverrides = {}): ResourceSet {
  return edit(base, (parts) => parts.extra.push(added));
}

/** No application rule names `host` any more (rules left with no FQDN are dropped). */
export function withoutAllowFor(host: string, base: StackOverrides = {}): ResourceSet {
  return edit(base, (parts) =>
    mapCollections(parts, (c) => ({
      ...c,
      rules: c.rules.flatMap((r) => {
        if (r.ruleType !== "ApplicationRule" || !r.targetFqdns.includes(host)) return [r];
        const targetFqdns = r.targetFqdns.filter((f) => f !== host);
        return targetFqdns.length > 0 ? [{ ...r, targetFqdns }] : [];
      }),
    })),
  );
}

/** Every application rule that names `host` changed (e.g. its sources, protocols or `terminateTLS`). */
export function withAllowFor(host: string, change: Partial<ApplicationRule>, base: StackOverrides = {}): ResourceSet {
  return edit(base, (parts) =>
    mapCollections(parts, (c) => ({
      ...c,
      rules: c.rules.map((r) => (r.ruleType === "ApplicationRule" && r.targetFqdns.includes(host) ? { ...r, ...change } : r)),
    })),
  );
}

/** One network rule (`ntp`, `dns`) of the healthy group changed, or removed with `null`. */
export function withNetworkRule(name: string, change: Partial<NetworkRule> | null, base: StackOverrides = {}): ResourceSet {
  return edit(base, (parts) =>
    mapCollections(parts, (c) => ({
      ...c,
      rules: c.rules.flatMap((r) => {
        if (r.ruleType !== "NetworkRule" || r.name !== name) return [r];
        return change === null ? [] : [{ ...r, ...change }];
      }),
    })),
  );
}

/** One collection of the healthy group changed (e.g. its action or priority). */
export function withCollectionChanged(name: string, change: Partial<RuleCollection>, base: StackOverrides = {}): ResourceSet {
  return edit(base, (parts) => mapCollections(parts, (c) => (c.name === name ? { ...c, ...change } : c)));
}

/** One more outbound rule in the healthy NSG. */
export function withNsgRule(added: SecurityRule, base: StackOverrides = {}): ResourceSet {
  return edit(base, (parts) => {
    const group = nsgOf(parts);
    parts.nsg = { ...group, securityRules: [...group.securityRules, added] };
  });
}

/** One rule of the healthy NSG changed, or removed with `null`. */
export function withNsgRuleChanged(name: string, change: Partial<SecurityRule> | null, base: StackOverrides = {}): ResourceSet {
  return edit(base, (parts) => {
    const group = nsgOf(parts);
    parts.nsg = {
      ...group,
      securityRules: group.securityRules.flatMap((r) => (r.name !== name ? [r] : change === null ? [] : [{ ...r, ...change }])),
    };
  });
}

/** The healthy route table's default route changed. */
export function withDefaultRoute(change: Partial<Route>, base: StackOverrides = {}): ResourceSet {
  return edit(base, (parts) => {
    if (!parts.routeTable) throw new Error("the stack has no route table to edit");
    parts.routeTable = { ...parts.routeTable, routes: parts.routeTable.routes.map((r) => ({ ...r, ...change })) };
  });
}

/** One more route in the healthy route table. */
export function withRoute(added: Route, base: StackOverrides = {}): ResourceSet {
  return edit(base, (parts) => {
    if (!parts.routeTable) throw new Error("the stack has no route table to edit");
    parts.routeTable = { ...parts.routeTable, routes: [...parts.routeTable.routes, added] };
  });
}

/** The hosts of the cloud's required catalog endpoints of one purpose. */
export function catalogHosts(purpose: CatalogEndpoint["purpose"], cloud: CloudName = "AzureCloud"): string[] {
  return [...new Set(catalogEndpoints(cloud).filter((e) => e.purpose === purpose).map((e) => e.host))];
}
