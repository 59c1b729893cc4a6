/**
 * Compliant fixtures, one factory per kind: each allows the bridge's traffic as it stands, and a failing
 * case changes one thing through `overrides`.
 */
import type {
  ApplicationRule,
  AzureFirewall,
  FirewallPolicy,
  NetworkRule,
  NetworkSecurityGroup,
  Registration,
  ResourceRef,
  ResourceSet,
  Route,
  RouteTable,
  RuleCollection,
  RuleCollectionGroup,
  SecurityRule,
  StandaloneRoute,
  StandaloneSecurityRule,
  Resource,
} from "../../src/model/resource";
import type { Flow } from "../../src/evaluate/types";

export const VIP = "203.0.113.0/27";
const SUB = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/hub/providers/Microsoft.Network";

export function ref(type: string, name: string): ResourceRef {
  return { urn: `urn:pulumi:prod::egress::azure-native:network:${type}::${name}`, type: `azure-native:network:${type}`, name };
}

export function applicationRule(overrides: Partial<ApplicationRule> = {}): ApplicationRule {
  return {
    ruleType: "ApplicationRule",
    name: "bridge",
    sourceAddresses: [VIP],
    sourceIpGroups: [],
    protocols: [{ protocolType: "Https", port: 443 }],
    targetFqdns: ["*.trafficmanager.net", "management.azure.com", "login.microsoftonline.com"],
    targetUrls: [],
    fqdnTags: [],
    webCategories: [],
    terminateTLS: false,
    ...overrides,
  };
}

export function networkRule(overrides: Partial<NetworkRule> = {}): NetworkRule {
  return {
    ruleType: "NetworkRule",
    name: "ntp",
    ipProtocols: ["UDP"],
    sourceAddresses: [VIP],
    sourceIpGroups: [],
    destinationAddresses: ["20.101.57.9"],
    destinationIpGroups: [],
    destinationFqdns: [],
    destinationPorts: ["123"],
    ...overrides,
  };
}

export function collection(overrides: Partial<RuleCollection> = {}): RuleCollection {
  return { name: "allow-bridge", priority: 100, action: "Allow", collectionKind: "filter", rules: [applicationRule()], ...overrides };
}

export function firewallPolicy(overrides: Partial<FirewallPolicy> = {}): FirewallPolicy {
  const name = overrides.ref?.name ?? "hub-policy";
  return {
    kind: "firewallPolicy",
    ref: ref("FirewallPolicy", name),
    armId: `${SUB}/firewallPolicies/${name}`,
    resourceGroup: "hub",
    unknowns: [],
    skuTier: "Standard",
    threatIntelWhitelistFqdns: [],
    threatIntelWhitelistIpAddresses: [],
    explicitProxyEnabled: false,
    hasTlsInspectionCertificate: false,
    ...overrides,
  };
}

export function ruleCollectionGroup(overrides: Partial<RuleCollectionGroup> = {}): RuleCollectionGroup {
  return {
    kind: "ruleCollectionGroup",
    ref: ref("FirewallPolicyRuleCollectionGroup", "egress"),
    resourceGroup: "hub",
    firewallPolicyName: "hub-policy",
    unknowns: [],
    priority: 200,
    ruleCollections: [collection()],
    ...overrides,
  };
}

export function azureFirewall(overrides: Partial<AzureFirewall> = {}): AzureFirewall {
  return {
    kind: "azureFirewall",
    ref: ref("AzureFirewall", "hub-fw"),
    armId: `${SUB}/azureFirewalls/hub-fw`,
    resourceGroup: "hub",
    unknowns: [],
    skuTier: "Standard",
    firewallPolicyId: `${SUB}/firewallPolicies/hub-policy`,
    privateIpAddresses: ["10.0.1.4"],
    applicationRuleCollections: [],
    networkRuleCollections: [],
    natRuleCollections: [],
    ...overrides,
  };
}

export function securityRule(overrides: Partial<SecurityRule> = {}): SecurityRule {
  return {
    name: "allow-bridge",
    direction: "Outbound",
    access: "Allow",
    priority: 100,
    protocol: "Tcp",
    sourceAddressPrefixes: [VIP],
    destinationAddressPrefixes: ["AzureCloud"],
    destinationPortRanges: ["443"],
    ...overrides,
  };
}

export function nsg(overrides: Partial<NetworkSecurityGroup> = {}): NetworkSecurityGroup {
  return {
    kind: "networkSecurityGroup",
    ref: ref("NetworkSecurityGroup", "egress-nsg"),
    armId: `${SUB}/networkSecurityGroups/egress-nsg`,
    resourceGroup: "hub",
    unknowns: [],
    securityRules: [securityRule()],
    ...overrides,
  };
}

export function standaloneSecurityRule(overrides: Partial<StandaloneSecurityRule> = {}): StandaloneSecurityRule {
  return {
    kind: "securityRule",
    ref: ref("SecurityRule", "deny-web"),
    resourceGroup: "hub",
    unknowns: [],
    networkSecurityGroupName: "egress-nsg",
    rule: securityRule({ name: "deny-web", access: "Deny", priority: 90, destinationAddressPrefixes: ["Internet"] }),
    ...overrides,
  };
}

export function route(overrides: Partial<Route> = {}): Route {
  return { name: "default", addressPrefix: "0.0.0.0/0", nextHopType: "Internet", ...overrides };
}

export function routeTable(overrides: Partial<RouteTable> = {}): RouteTable {
  return { kind: "routeTable", ref: ref("RouteTable", "egress-rt"), resourceGroup: "hub", unknowns: [], routes: [route()], ...overrides };
}

/** A standalone `Route` resource, joined to `egress-rt` by name. */
export function standaloneRoute(overrides: Partial<StandaloneRoute> = {}): StandaloneRoute {
  return { kind: "route", ref: ref("Route", "default-route"), resourceGroup: "hub", unknowns: [], routeTableName: "egress-rt", route: route(), ...overrides };
}

export const REGISTRATION_SUBSCRIPTION = "11111111-1111-4111-8111-111111111111";
export const REGISTRATION_CLOUD_ID = "22222222-2222-4222-8222-222222222222";
export const REGISTRATION_OBJECT_ID = "33333333-3333-4333-8333-333333333333";

/**
 * The stamp's registration as registration tooling creates it: `AzureStack-<CloudId>` in the
 * `azurestack` resource group, location `global`, protected.
 */
export function registration(overrides: Partial<Registration> = {}): Registration {
  const name = `AzureStack-${REGISTRATION_CLOUD_ID}`;
  return {
    kind: "registration",
    ref: {
      urn: "urn:pulumi:prod::stamp::azure-native:azurestack:Registration::registration",
      type: "azure-native:azurestack:Registration",
      name: "registration",
    },
    armId: `/subscriptions/${REGISTRATION_SUBSCRIPTION}/resourceGroups/azurestack/providers/Microsoft.AzureStack/registrations/${name}`,
    subscriptionId: REGISTRATION_SUBSCRIPTION,
    resourceGroup: "azurestack",
    registrationName: name,
    location: "global",
    cloudId: REGISTRATION_CLOUD_ID,
    objectId: REGISTRATION_OBJECT_ID,
    billingModel: "PayAsYouUse",
    protect: true,
    unknowns: [],
    ...overrides,
  };
}

export function resourceSet(...resources: Resource[]): ResourceSet {
  return { source: "test", resources };
}

/** The usage flow: HTTPS to the wildcard usage endpoint from the public VIP /27. */
export function httpsFlow(host = "*.trafficmanager.net", overrides: Partial<Flow> = {}): Flow {
  return { sources: [VIP], destination: { kind: "fqdn", host, serviceTags: [] }, port: 443, transport: "tcp", appProtocol: "Https", ...overrides };
}

/** HTTPS to an identity endpoint, which the `AzureActiveDirectory` service tag contains. */
export function loginFlow(overrides: Partial<Flow> = {}): Flow {
  return httpsFlow("login.microsoftonline.com", { destination: { kind: "fqdn", host: "login.microsoftonline.com", serviceTags: ["AzureActiveDirectory"] }, ...overrides });
}

export function ntpFlow(address = "20.101.57.9", overrides: Partial<Flow> = {}): Flow {
  return { sources: [VIP], destination: { kind: "address", address }, port: 123, transport: "udp", ...overrides };
}

export function dnsFlow(address = "10.50.0.53", overrides: Partial<Flow> = {}): Flow {
  return { sources: [VIP], destination: { kind: "address", address }, port: 53, transport: "udp", ...overrides };
}
