import { describe, expect, it } from "vitest";
import { evaluateClassicFirewall, evaluateFirewallPolicy, type PolicyWithGroups } from "../../src/evaluate/firewall";
import type { Flow, Verdict, VerdictKind } from "../../src/evaluate/types";
import { UNKNOWN_PRIORITY, type AzureFirewall, type FirewallPolicy, type RuleCollection, type RuleCollectionGroup } from "../../src/model/resource";
import {
  applicationRule,
  azureFirewall,
  collection,
  firewallPolicy,
  httpsFlow,
  loginFlow,
  networkRule,
  ntpFlow,
  ref,
  ruleCollectionGroup,
  VIP,
} from "./fixtures";

/** The usage flow to `*.trafficmanager.net`, and HTTPS to ARM (service tag AzureResourceManager). */
const usage = httpsFlow();
const arm = httpsFlow("management.azure.com", { destination: { kind: "fqdn", host: "management.azure.com", serviceTags: ["AzureResourceManager"] } });
/** The usage flow as the catalog builds it: the usage hosts carry the AzureStack service tag. */
const usageFlowWithTag = () => httpsFlow("*.trafficmanager.net", { destination: { kind: "fqdn", host: "*.trafficmanager.net", serviceTags: ["AzureStack"] } });

function group(name: string, priority: number, ...ruleCollections: RuleCollection[]): RuleCollectionGroup {
  return ruleCollectionGroup({ ref: ref("FirewallPolicyRuleCollectionGroup", name), armId: undefined, priority, ruleCollections });
}

const denyAllWeb = (priority = 100) =>
  collection({
    name: "deny-internet",
    priority,
    action: "Deny",
    rules: [networkRule({ name: "all-web", ipProtocols: ["TCP"], destinationAddresses: ["*"], destinationPorts: ["443"] })],
  });

const allowBridge = (overrides: Partial<RuleCollection> = {}) => collection(overrides);
const denyApp = (overrides: Partial<RuleCollection> = {}) =>
  collection({ name: "deny-web", action: "Deny", rules: [applicationRule({ name: "everything", targetFqdns: ["*"] })], ...overrides });

function premium(overrides: Partial<FirewallPolicy> = {}): Partial<FirewallPolicy> {
  return { skuTier: "Premium", hasTlsInspectionCertificate: true, ...overrides };
}

interface Expected {
  verdict: VerdictKind;
  rule?: string;
  collection?: string;
  policy?: string;
  isDefault?: boolean;
  /** Pattern the reason (or, failing that, some evidence line) must contain. */
  says?: string;
}

interface PolicyCase extends Expected {
  name: string;
  groups: RuleCollectionGroup[];
  /** Settings of the policy under test (the child, when there is a parent). */
  settings?: Partial<FirewallPolicy>;
  /** Groups of a parent policy (`basePolicy`), evaluated before the child's. */
  parentGroups?: RuleCollectionGroup[];
  /** Settings of the parent policy. */
  parentSettings?: Partial<FirewallPolicy>;
  flow?: Flow;
}

function expectVerdict(verdict: Verdict, expected: Expected): void {
  expect(verdict.verdict, verdict.reason).toBe(expected.verdict);
  if (expected.rule !== undefined) expect(verdict.decidedBy?.rule).toBe(expected.rule);
  if (expected.collection !== undefined) expect(verdict.decidedBy?.collection).toBe(expected.collection);
  if (expected.policy !== undefined) expect(verdict.decidedBy?.policy).toBe(expected.policy);
  if (expected.isDefault !== undefined) expect(verdict.decidedBy?.isDefault ?? false).toBe(expected.isDefault);
  if (expected.says !== undefined) expect([verdict.reason, ...verdict.evidence].join("\n")).toContain(expected.says);
}

function chainOf(c: PolicyCase): PolicyWithGroups[] {
  const child = firewallPolicy(c.settings);
  if (!c.parentGroups) return [{ policy: child, groups: c.groups }];
  const parent = firewallPolicy({ ref: ref("FirewallPolicy", "base-policy"), armId: "/x/firewallPolicies/base-policy", ...c.parentSettings });
  return [
    { policy: parent, groups: c.parentGroups },
    { policy: firewallPolicy({ ...c.settings, basePolicyId: parent.armId }), groups: c.groups },
  ];
}

const policyCases: PolicyCase[] = [
  // Application rules and FQDN wildcards
  { name: "application rule allows the usage wildcard", groups: [group("egress", 200, allowBridge())], verdict: "allowed", rule: "bridge", collection: "allow-bridge" },
  { name: "no rule collection group: default deny", groups: [], verdict: "denied", isDefault: true, says: "denies by default" },
  {
    name: "*.net allows *.trafficmanager.net fully",
    groups: [group("egress", 200, allowBridge({ rules: [applicationRule({ targetFqdns: ["*.net"] })] }))],
    verdict: "allowed",
  },
  {
    name: "*trafficmanager.net allows *.trafficmanager.net fully",
    groups: [group("egress", 200, allowBridge({ rules: [applicationRule({ targetFqdns: ["*trafficmanager.net"] })] }))],
    verdict: "allowed",
  },
  {
    name: "foo.trafficmanager.net allows the wildcard only partly",
    groups: [group("egress", 200, allowBridge({ rules: [applicationRule({ targetFqdns: ["foo.trafficmanager.net"] })] }))],
    verdict: "undetermined",
    rule: "bridge",
    says: "rule allows only foo.trafficmanager.net of *.trafficmanager.net",
  },
  {
    name: "invalid wildcard a*.net matches nothing and is reported",
    groups: [group("egress", 200, allowBridge({ rules: [applicationRule({ targetFqdns: ["a*.net"] })] }))],
    verdict: "denied",
    isDefault: true,
    says: 'FQDN pattern "a*.net" is invalid',
  },
  {
    name: "*.azure.com does not allow azure.com's sibling, but allows management.azure.com",
    groups: [group("egress", 200, allowBridge({ rules: [applicationRule({ targetFqdns: ["*.azure.com"] })] }))],
    flow: arm,
    verdict: "allowed",
  },
  // Sources
  {
    name: "source covers only half the VIP /27",
    groups: [group("egress", 200, allowBridge({ rules: [applicationRule({ sourceAddresses: ["203.0.113.0/28"] })] }))],
    verdict: "undetermined",
    says: "rule sources cover only 203.0.113.0/28 of 203.0.113.0/27",
  },
  {
    name: "source range a-b covers the VIP /27",
    groups: [group("egress", 200, allowBridge({ rules: [applicationRule({ sourceAddresses: ["203.0.113.0-203.0.113.31"] })] }))],
    verdict: "allowed",
  },
  {
    name: "source disjoint from the VIP: default deny",
    groups: [group("egress", 200, allowBridge({ rules: [applicationRule({ sourceAddresses: ["10.0.0.0/8"] })] }))],
    verdict: "denied",
    isDefault: true,
  },
  {
    name: "sources not configured: a CIDR source only may match",
    groups: [group("egress", 200, allowBridge())],
    flow: httpsFlow("*.trafficmanager.net", { sources: undefined }),
    verdict: "undetermined",
    says: "egress.sourceAddresses not configured",
  },
  {
    name: "sources not configured: * matches",
    groups: [group("egress", 200, allowBridge({ rules: [applicationRule({ sourceAddresses: ["*"] })] }))],
    flow: httpsFlow("*.trafficmanager.net", { sources: undefined }),
    verdict: "allowed",
  },
  {
    name: "source IP group cannot be resolved",
    groups: [group("egress", 200, allowBridge({ rules: [applicationRule({ sourceAddresses: [], sourceIpGroups: ["/x/ipGroups/stamp"] })] }))],
    verdict: "undetermined",
    says: "IP group contents are not in the stack",
  },
  // Network rules before application rules
  {
    name: "network deny in a later group beats an application allow in an earlier group",
    groups: [group("apps", 100, allowBridge()), group("egress", 300, denyAllWeb())],
    verdict: "denied",
    rule: "all-web",
    collection: "deny-internet",
    says: 'rule collection group "egress" (priority 300) > collection "deny-internet" (priority 100, Deny) > network rule "all-web" matches TCP 443',
  },
  {
    name: "network deny to AzureCloud denies login",
    groups: [group("egress", 200, collection({ action: "Deny", rules: [networkRule({ name: "cloud", ipProtocols: ["Any"], destinationAddresses: ["AzureCloud"], destinationPorts: ["*"] })] }), allowBridge({ priority: 300 }))],
    flow: loginFlow(),
    verdict: "denied",
    rule: "cloud",
  },
  {
    name: "network deny to a public CIDR may match before the application allow",
    groups: [group("egress", 200, collection({ name: "deny-ips", action: "Deny", rules: [networkRule({ name: "ips", ipProtocols: ["TCP"], destinationAddresses: ["20.0.0.0/8"], destinationPorts: ["443"] })] }), allowBridge({ priority: 300 }))],
    verdict: "undetermined",
    rule: "ips",
    says: "IP rule cannot be matched to an FQDN statically",
  },
  {
    name: "network deny to a private CIDR cannot match an Azure endpoint",
    groups: [group("egress", 200, collection({ name: "deny-ips", action: "Deny", rules: [networkRule({ ipProtocols: ["TCP"], destinationAddresses: ["10.0.0.0/8"], destinationPorts: ["443"] })] }), allowBridge({ priority: 300 }))],
    verdict: "allowed",
    rule: "bridge",
  },
  {
    name: "network allow to * decides before an application deny",
    groups: [group("egress", 200, denyApp({ priority: 100 }), collection({ name: "web", priority: 500, rules: [networkRule({ name: "anywhere", ipProtocols: ["TCP"], destinationAddresses: ["*"], destinationPorts: ["443"] })] }))],
    verdict: "allowed",
    rule: "anywhere",
  },
  // service-tags-overview.md: Internet "Can use with Azure Firewall? No"; in a firewall rule it is not "everything".
  {
    name: "a network allow to Internet matches nothing: the application deny decides, and the evidence says why",
    groups: [group("egress", 200, denyApp({ priority: 100 }), collection({ name: "web", priority: 500, rules: [networkRule({ name: "internet", ipProtocols: ["TCP"], destinationAddresses: ["Internet"], destinationPorts: ["443"] })] }))],
    verdict: "denied",
    rule: "everything",
    says: 'destination "Internet" is not valid in an Azure Firewall rule',
  },
  {
    name: "a network allow to Internet alone leaves the flow to the default deny",
    groups: [group("egress", 200, collection({ name: "web", rules: [networkRule({ name: "internet", ipProtocols: ["TCP"], destinationAddresses: ["Internet"], destinationPorts: ["443"] })] }))],
    verdict: "denied",
    isDefault: true,
    says: "cannot be used with Azure Firewall",
  },
  {
    name: "VirtualNetwork (another NSG-only tag) matches nothing in a firewall rule, even for a private server",
    groups: [group("egress", 200, collection({ name: "infra", rules: [networkRule({ name: "vnet", ipProtocols: ["UDP"], destinationAddresses: ["VirtualNetwork"], destinationPorts: ["123"] })] }))],
    flow: ntpFlow("10.0.0.10"),
    verdict: "denied",
    isDefault: true,
    says: 'destination "VirtualNetwork" is not valid in an Azure Firewall rule',
  },
  // service-tags-overview.md: "When using service tags with Azure Firewall ... Source rules are not supported."
  {
    name: "a service tag as a firewall rule's source matches nothing",
    groups: [group("egress", 200, collection({ rules: [applicationRule({ sourceAddresses: ["VirtualNetwork"] })] }))],
    verdict: "denied",
    isDefault: true,
    says: 'source "VirtualNetwork" is a service tag',
  },
  {
    name: "AzureStack (Azure Stack Bridge services) as a network rule destination allows the usage endpoint",
    groups: [group("egress", 200, collection({ rules: [networkRule({ name: "bridge-tag", ipProtocols: ["TCP"], destinationAddresses: ["AzureStack"], destinationPorts: ["443"] })] }))],
    flow: usageFlowWithTag(),
    verdict: "allowed",
    rule: "bridge-tag",
  },
  {
    name: "AzureStack does not cover ARM: the default deny decides, not doubt",
    groups: [group("egress", 200, collection({ rules: [networkRule({ name: "bridge-tag", ipProtocols: ["TCP"], destinationAddresses: ["AzureStack"], destinationPorts: ["443"] })] }))],
    flow: arm,
    verdict: "denied",
    isDefault: true,
  },
  {
    name: "network rule to AzureActiveDirectory allows login",
    groups: [group("egress", 200, collection({ rules: [networkRule({ name: "aad", ipProtocols: ["TCP"], destinationAddresses: ["AzureActiveDirectory"], destinationPorts: ["443"] })] }))],
    flow: loginFlow(),
    verdict: "allowed",
    rule: "aad",
  },
  {
    name: "AzureTrafficManager tag does not cover *.trafficmanager.net",
    groups: [group("egress", 200, collection({ rules: [networkRule({ ipProtocols: ["TCP"], destinationAddresses: ["AzureTrafficManager"], destinationPorts: ["443"] })] }))],
    verdict: "denied",
    isDefault: true,
  },
  {
    name: "network rule destinationFqdns names ARM exactly (DNS proxy on)",
    groups: [group("egress", 200, collection({ rules: [networkRule({ name: "arm", ipProtocols: ["TCP"], destinationAddresses: [], destinationFqdns: ["management.azure.com"], destinationPorts: ["443"] })] }))],
    settings: { dnsProxyEnabled: true },
    flow: arm,
    verdict: "allowed",
    rule: "arm",
  },
  {
    // resources.md: network rules match destinationFqdns exactly; wildcards are for application rules.
    name: "network rule destinationFqdns with wildcards match nothing, and say so (no false allow of the usage endpoint)",
    groups: [
      group(
        "egress",
        200,
        collection({ rules: [networkRule({ name: "wild", ipProtocols: ["TCP"], destinationAddresses: [], destinationFqdns: ["*.trafficmanager.net", "*.azure.com", "*"], destinationPorts: ["443"] })] }),
      ),
    ],
    verdict: "denied",
    isDefault: true,
    says: 'network rule FQDN "*.trafficmanager.net" has a wildcard: network rules match FQDNs exactly',
  },
  {
    name: "network rule wildcard FQDN does not allow ARM either",
    groups: [group("egress", 200, collection({ rules: [networkRule({ ipProtocols: ["TCP"], destinationAddresses: [], destinationFqdns: ["*.azure.com"], destinationPorts: ["443"] })] }))],
    flow: arm,
    verdict: "denied",
    says: 'network rule FQDN "*.azure.com" has a wildcard',
  },
  {
    name: "an exact network rule FQDN under the usage wildcard allows only that host of it",
    groups: [group("egress", 200, collection({ rules: [networkRule({ ipProtocols: ["TCP"], destinationAddresses: [], destinationFqdns: ["azsbilling.trafficmanager.net"], destinationPorts: ["443"] })] }))],
    verdict: "undetermined",
    says: "allows only azsbilling.trafficmanager.net of *.trafficmanager.net",
  },
  {
    name: "destination IP group cannot be resolved",
    groups: [group("egress", 200, collection({ rules: [networkRule({ ipProtocols: ["TCP"], destinationAddresses: [], destinationIpGroups: ["/x/ipGroups/azure"], destinationPorts: ["443"] })] }))],
    verdict: "undetermined",
    says: "IP group contents are not in the stack (azure)",
  },
  // Ports and protocols
  {
    name: "deny port range 400-500 covers 443",
    groups: [group("egress", 200, collection({ action: "Deny", rules: [networkRule({ name: "range", ipProtocols: ["TCP"], destinationAddresses: ["*"], destinationPorts: ["400-500"] })] }), allowBridge({ priority: 300 }))],
    verdict: "denied",
    rule: "range",
  },
  {
    name: "deny port * covers 443",
    groups: [group("egress", 200, collection({ action: "Deny", rules: [networkRule({ name: "any-port", ipProtocols: ["TCP"], destinationAddresses: ["*"], destinationPorts: ["*"] })] }), allowBridge({ priority: 300 }))],
    verdict: "denied",
    rule: "any-port",
  },
  {
    name: "deny port 444 does not cover 443",
    groups: [group("egress", 200, collection({ action: "Deny", rules: [networkRule({ ipProtocols: ["TCP"], destinationAddresses: ["*"], destinationPorts: ["444"] })] }), allowBridge({ priority: 300 }))],
    verdict: "allowed",
    rule: "bridge",
  },
  {
    name: "invalid port string matches nothing and is reported",
    groups: [group("egress", 200, collection({ action: "Deny", rules: [networkRule({ ipProtocols: ["TCP"], destinationAddresses: ["*"], destinationPorts: ["44x"] })] }), allowBridge({ priority: 300 }))],
    verdict: "allowed",
    says: 'port "44x" is not a port',
  },
  {
    name: "deny UDP only does not match TCP 443",
    groups: [group("egress", 200, collection({ action: "Deny", rules: [networkRule({ ipProtocols: ["UDP"], destinationAddresses: ["*"], destinationPorts: ["*"] })] }), allowBridge({ priority: 300 }))],
    verdict: "allowed",
  },
  {
    name: "ICMP-only rule does not match",
    groups: [group("egress", 200, collection({ rules: [networkRule({ ipProtocols: ["ICMP"], destinationAddresses: ["*"], destinationPorts: ["*"] })] }))],
    flow: ntpFlow(),
    verdict: "denied",
    isDefault: true,
  },
  {
    name: "Any protocol matches UDP to the time server",
    groups: [group("egress", 200, collection({ rules: [networkRule({ name: "ntp-any", ipProtocols: ["Any"] })] }))],
    flow: ntpFlow(),
    verdict: "allowed",
    rule: "ntp-any",
  },
  {
    name: "application rules never decide a UDP flow",
    groups: [group("egress", 200, allowBridge({ rules: [applicationRule({ targetFqdns: ["*"] })] }))],
    flow: ntpFlow(),
    verdict: "denied",
    isDefault: true,
  },
  {
    name: "Https on 8443 only does not match 443",
    groups: [group("egress", 200, allowBridge({ rules: [applicationRule({ protocols: [{ protocolType: "Https", port: 8443 }] })] }))],
    verdict: "denied",
    isDefault: true,
  },
  {
    name: "Https without port means 443",
    groups: [group("egress", 200, allowBridge({ rules: [applicationRule({ protocols: [{ protocolType: "Https" }] })] }))],
    verdict: "allowed",
  },
  {
    name: "Http-only rule does not match an Https flow",
    groups: [group("egress", 200, allowBridge({ rules: [applicationRule({ protocols: [{ protocolType: "Http", port: 80 }] })] }))],
    verdict: "denied",
    isDefault: true,
  },
  // Equal priorities
  {
    name: "tie between collections that changes the verdict",
    groups: [group("egress", 200, allowBridge({ priority: 100 }), denyApp({ priority: 100 }))],
    verdict: "undetermined",
    says: 'tie: collections "allow-bridge" and "deny-web" share priority 100',
  },
  {
    name: "tie between collections that does not change the verdict",
    groups: [group("egress", 200, allowBridge({ priority: 100 }), allowBridge({ name: "allow-more", priority: 100, rules: [applicationRule({ name: "all", targetFqdns: ["*"] })] }))],
    verdict: "allowed",
    rule: "bridge",
    says: 'collections "allow-bridge" and "allow-more" share priority 100',
  },
  {
    name: "tie with a collection whose rules do not match",
    groups: [group("egress", 200, allowBridge({ priority: 100 }), denyApp({ priority: 100, rules: [applicationRule({ targetFqdns: ["example.com"] })] }))],
    verdict: "allowed",
  },
  {
    name: "tie between rule collection groups that changes the verdict",
    groups: [group("allow", 200, allowBridge()), group("deny", 200, denyApp())],
    verdict: "undetermined",
    says: 'rule collection groups "allow" and "deny" share priority 200',
  },
  // Parent and child policies
  {
    name: "parent application deny beats child application allow",
    parentGroups: [group("base", 500, denyApp())],
    groups: [group("egress", 100, allowBridge())],
    verdict: "denied",
    policy: "base-policy",
    rule: "everything",
  },
  {
    name: "parent application allow beats child application deny",
    parentGroups: [group("base", 500, allowBridge())],
    groups: [group("egress", 100, denyApp())],
    verdict: "allowed",
    policy: "base-policy",
  },
  {
    name: "parent network rule before child application rule",
    parentGroups: [group("base", 500, denyAllWeb())],
    groups: [group("egress", 100, allowBridge())],
    verdict: "denied",
    policy: "base-policy",
    rule: "all-web",
    says: 'policy "base-policy" > rule collection group "base"',
  },
  {
    name: "child network rule before parent application rule",
    parentGroups: [group("base", 100, allowBridge())],
    groups: [group("egress", 500, denyAllWeb())],
    verdict: "denied",
    policy: "hub-policy",
    rule: "all-web",
  },
  // TLS inspection
  {
    name: "Premium with CA + terminateTLS + Https: intercepted",
    settings: premium(),
    groups: [group("egress", 200, allowBridge({ rules: [applicationRule({ terminateTLS: true })] }))],
    verdict: "intercepted",
    rule: "bridge",
  },
  {
    name: "terminateTLS without a CA certificate: allowed",
    settings: premium({ hasTlsInspectionCertificate: false }),
    groups: [group("egress", 200, allowBridge({ rules: [applicationRule({ terminateTLS: true })] }))],
    verdict: "allowed",
  },
  {
    name: "terminateTLS on Standard: allowed",
    settings: premium({ skuTier: "Standard" }),
    groups: [group("egress", 200, allowBridge({ rules: [applicationRule({ terminateTLS: true })] }))],
    verdict: "allowed",
  },
  {
    name: "terminateTLS on an Http flow: allowed",
    settings: premium(),
    groups: [group("egress", 200, allowBridge({ rules: [applicationRule({ terminateTLS: true, protocols: [{ protocolType: "Http" }] })] }))],
    flow: loginFlow({ port: 80, appProtocol: "Http" }),
    verdict: "allowed",
  },
  {
    name: "Premium with CA but no terminateTLS: allowed",
    settings: premium(),
    groups: [group("egress", 200, allowBridge())],
    verdict: "allowed",
  },
  // Web categories, FQDN tags, URLs, NAT
  {
    name: "web categories cannot be resolved statically",
    groups: [group("egress", 200, allowBridge({ rules: [applicationRule({ targetFqdns: [], webCategories: ["ComputersAndTechnology"] })] }))],
    verdict: "undetermined",
    says: "web categories cannot be resolved statically",
  },
  {
    name: "web-category deny before an allow leaves doubt",
    groups: [group("egress", 200, denyApp({ rules: [applicationRule({ name: "cats", targetFqdns: [], webCategories: ["Gambling"] })] }), allowBridge({ priority: 300 }))],
    verdict: "undetermined",
    rule: "cats",
  },
  {
    name: "FQDN tag WindowsUpdate does not cover the usage endpoint",
    groups: [group("egress", 200, allowBridge({ rules: [applicationRule({ targetFqdns: [], fqdnTags: ["WindowsUpdate"] })] }))],
    verdict: "denied",
    isDefault: true,
  },
  {
    name: "unknown FQDN tag may cover it",
    groups: [group("egress", 200, allowBridge({ rules: [applicationRule({ targetFqdns: [], fqdnTags: ["AzureKubernetesService"] })] }))],
    verdict: "undetermined",
    says: "FQDN tag AzureKubernetesService",
  },
  {
    name: "target URL for the whole host allows it",
    groups: [group("egress", 200, allowBridge({ rules: [applicationRule({ targetFqdns: [], targetUrls: ["management.azure.com/*"] })] }))],
    flow: arm,
    verdict: "allowed",
  },
  {
    name: "target URL with a path allows only part of the host",
    groups: [group("egress", 200, allowBridge({ rules: [applicationRule({ targetFqdns: [], targetUrls: ["management.azure.com/subscriptions"] })] }))],
    flow: arm,
    verdict: "undetermined",
    says: "allows only the path /subscriptions",
  },
  {
    name: "DNAT collections never decide outbound",
    groups: [
      group(
        "egress",
        200,
        collection({ name: "inbound", priority: 100, action: "Dnat", collectionKind: "nat", rules: [networkRule({ ipProtocols: ["Any"], destinationAddresses: ["*"], destinationPorts: ["*"] })] }),
      ),
    ],
    verdict: "denied",
    isDefault: true,
  },
  {
    name: "an earlier maybe with the same effect does not change a deny",
    groups: [
      group(
        "egress",
        200,
        collection({ name: "deny-ips", priority: 100, action: "Deny", rules: [networkRule({ name: "ips", ipProtocols: ["TCP"], destinationAddresses: ["20.0.0.0/8"], destinationPorts: ["443"] })] }),
        denyAllWeb(200),
      ),
    ],
    verdict: "denied",
    rule: "all-web",
    says: "it would deny too",
  },
  {
    name: "network allow for the time server by address",
    groups: [group("egress", 200, collection({ rules: [networkRule({ name: "ntp" })] }))],
    flow: ntpFlow(),
    verdict: "allowed",
    rule: "ntp",
  },
  {
    name: "network FQDN rule against the time server's address cannot be decided",
    groups: [group("egress", 200, collection({ rules: [networkRule({ destinationAddresses: [], destinationFqdns: ["time.windows.com"] })] }))],
    flow: ntpFlow(),
    verdict: "undetermined",
    says: "resolve to are not known statically",
  },
  // fqdn-filtering-network-rules.md: "To use FQDNs in your network rules, you must enable DNS Proxy".
  {
    name: "a network allow by FQDN without DNS proxy only may allow: undetermined, saying why and what to do",
    groups: [group("egress", 200, collection({ rules: [networkRule({ name: "arm-by-name", ipProtocols: ["TCP"], destinationAddresses: [], destinationFqdns: ["management.azure.com"], destinationPorts: ["443"] })] }))],
    flow: arm,
    verdict: "undetermined",
    says: 'needs DNS proxy, which policy "hub-policy" (dnsSettings.enableProxy) does not enable',
  },
  {
    name: "the same rule with DNS proxy enabled allows",
    groups: [group("egress", 200, collection({ rules: [networkRule({ name: "arm-by-name", ipProtocols: ["TCP"], destinationAddresses: [], destinationFqdns: ["management.azure.com"], destinationPorts: ["443"] })] }))],
    settings: { dnsProxyEnabled: true },
    flow: arm,
    verdict: "allowed",
    rule: "arm-by-name",
  },
  {
    name: "without DNS proxy a network allow by FQDN before an application allow changes nothing: the application rule allows",
    groups: [
      group(
        "egress",
        200,
        collection({ name: "net", priority: 100, rules: [networkRule({ name: "arm-by-name", ipProtocols: ["TCP"], destinationAddresses: [], destinationFqdns: ["management.azure.com"], destinationPorts: ["443"] })] }),
        allowBridge({ priority: 300 }),
      ),
    ],
    flow: arm,
    verdict: "allowed",
    rule: "bridge",
  },
  {
    name: "without DNS proxy a network deny by FQDN only may deny",
    groups: [group("egress", 200, collection({ name: "deny-arm", action: "Deny", priority: 100, rules: [networkRule({ name: "no-arm", ipProtocols: ["TCP"], destinationAddresses: [], destinationFqdns: ["management.azure.com"], destinationPorts: ["443"] })] }), allowBridge({ priority: 300 }))],
    flow: arm,
    verdict: "undetermined",
    says: "enable DNS proxy, or allow management.azure.com with an application rule",
  },
  {
    name: "DNS proxy set on the parent policy is inherited by a child that does not set it",
    groups: [group("egress", 200, collection({ rules: [networkRule({ name: "arm-by-name", ipProtocols: ["TCP"], destinationAddresses: [], destinationFqdns: ["management.azure.com"], destinationPorts: ["443"] })] }))],
    parentSettings: { dnsProxyEnabled: true },
    parentGroups: [],
    flow: arm,
    verdict: "allowed",
  },
  {
    name: "a wildcard-only network FQDN rule against the time server's address matches nothing",
    groups: [group("egress", 200, collection({ rules: [networkRule({ destinationAddresses: [], destinationFqdns: ["*.windows.com"] })] }))],
    flow: ntpFlow(),
    verdict: "denied",
    says: 'network rule FQDN "*.windows.com" has a wildcard',
  },
];

// Some REST examples and partial inputs give a collection no priority; Azure orders by it (rule-processing.md),
// so such a collection's place is unknown: the verdict stands only where first and last agree.
policyCases.push(
  {
    name: "a deny collection without priority beside an allow: undetermined, saying which has no priority",
    groups: [group("egress", 200, allowBridge({ priority: 300 }), { ...denyApp(), priority: UNKNOWN_PRIORITY })],
    verdict: "undetermined",
    says: 'collection "deny-web" has no priority, so where Azure places it is not known',
  },
  {
    name: "an allow collection without priority and nothing else that matches: allowed first or last",
    groups: [group("egress", 200, allowBridge({ priority: UNKNOWN_PRIORITY }), denyAllWeb(100))],
    flow: loginFlow({ port: 80, appProtocol: "Http" }),
    verdict: "denied",
    isDefault: true,
  },
  {
    name: "a group without priority holding a network deny: network rules come first whatever the group order, so denied",
    groups: [group("egress", 200, allowBridge()), group("deny-all", UNKNOWN_PRIORITY, denyAllWeb())],
    verdict: "denied",
    rule: "all-web",
  },
  {
    name: "a group without priority whose application deny only matters if it comes first",
    groups: [group("egress", 200, allowBridge()), group("deny-all", UNKNOWN_PRIORITY, denyApp())],
    verdict: "undetermined",
    says: 'rule collection group "deny-all" has no priority',
  },
  {
    name: "two collections without priority that agree: the verdict stands",
    groups: [group("egress", 200, allowBridge({ priority: UNKNOWN_PRIORITY }), allowBridge({ name: "again", priority: UNKNOWN_PRIORITY }))],
    verdict: "allowed",
    says: "first or last, the verdict is the same",
  },
);

describe("evaluateFirewallPolicy", () => {
  it.each(policyCases)("$name", (c) => {
    expectVerdict(evaluateFirewallPolicy(chainOf(c), c.flow ?? usage), c);
  });

  it("names the deciding rule precisely", () => {
    const verdict = evaluateFirewallPolicy([{ policy: firewallPolicy(), groups: [group("egress", 200, allowBridge())] }], usage);
    expect(verdict.decidedBy).toEqual({
      resource: ref("FirewallPolicyRuleCollectionGroup", "egress"),
      policy: "hub-policy",
      policyRef: firewallPolicy().ref,
      group: "egress",
      groupPriority: 200,
      collection: "allow-bridge",
      collectionPriority: 100,
      rule: "bridge",
      action: "Allow",
      layer: "application",
      path: "ruleCollections[0].rules[0]",
    });
  });

  it("places the deciding rule where it sits in its group, not where it sorts (the fix planner reads the path)", () => {
    const deny = { ...denyAllWeb(100), name: "deny-web" };
    const verdict = evaluateFirewallPolicy([{ policy: firewallPolicy(), groups: [group("egress", 200, allowBridge({ priority: 300 }), collection({ name: "nat", collectionKind: "nat", action: "Dnat" }), deny)] }], usage);
    expect(verdict.decidedBy).toMatchObject({ collection: "deny-web", layer: "network", path: "ruleCollections[2].rules[0]" });
  });

  it("lists the possible verdicts of an undetermined one", () => {
    const verdict = evaluateFirewallPolicy([{ policy: firewallPolicy(), groups: [group("egress", 200, allowBridge({ priority: 100 }), denyApp({ priority: 100 }))] }], usage);
    expect(verdict.possible?.sort()).toEqual(["allowed", "denied"]);
  });
});

interface ClassicCase extends Expected {
  name: string;
  settings?: Partial<AzureFirewall>;
  network?: RuleCollection[];
  application?: RuleCollection[];
  flow?: Flow;
}

const classicCases: ClassicCase[] = [
  { name: "classic application collection allows", application: [collection({ collectionKind: "application" })], verdict: "allowed", rule: "bridge" },
  { name: "classic firewall without rules denies by default", verdict: "denied", isDefault: true },
  {
    name: "classic network collections come before application collections",
    application: [collection({ collectionKind: "application", priority: 100 })],
    network: [{ ...denyAllWeb(200), collectionKind: "network" }],
    verdict: "denied",
    rule: "all-web",
  },
  {
    name: "classic application rules never terminate TLS",
    application: [collection({ collectionKind: "application", rules: [applicationRule({ terminateTLS: true })] })],
    verdict: "allowed",
  },
  {
    name: "classic tie between application collections",
    application: [collection({ collectionKind: "application", priority: 100 }), { ...denyApp({ priority: 100 }), collectionKind: "application" }],
    verdict: "undetermined",
    says: "share priority 100",
  },
  {
    name: "classic: a network allow by FQDN without DNS proxy (additionalProperties) only may allow",
    network: [collection({ collectionKind: "network", rules: [networkRule({ name: "arm-by-name", ipProtocols: ["TCP"], destinationAddresses: [], destinationFqdns: ["management.azure.com"], destinationPorts: ["443"] })] })],
    flow: arm,
    verdict: "undetermined",
    says: 'firewall "hub-fw" (additionalProperties["Network.DNS.EnableProxy"]) does not enable',
  },
  {
    name: "classic: the same rule with Network.DNS.EnableProxy true allows",
    network: [collection({ collectionKind: "network", rules: [networkRule({ name: "arm-by-name", ipProtocols: ["TCP"], destinationAddresses: [], destinationFqdns: ["management.azure.com"], destinationPorts: ["443"] })] })],
    settings: { dnsProxyEnabled: true },
    flow: arm,
    verdict: "allowed",
    rule: "arm-by-name",
  },
  {
    name: "classic: a network deny collection without priority before or after the application allow: undetermined",
    application: [collection({ collectionKind: "application" })],
    network: [{ ...denyAllWeb(UNKNOWN_PRIORITY), collectionKind: "network" }],
    verdict: "denied",
    rule: "all-web",
    says: 'collection "deny-internet" has no priority',
  },
  {
    name: "classic network collection allows UDP 123 to the time server",
    network: [collection({ collectionKind: "network", rules: [networkRule()] })],
    flow: ntpFlow(),
    verdict: "allowed",
    rule: "ntp",
  },
];

describe("evaluateClassicFirewall", () => {
  it.each(classicCases)("$name", (c) => {
    const firewall = azureFirewall({ firewallPolicyId: undefined, networkRuleCollections: c.network ?? [], applicationRuleCollections: c.application ?? [], ...c.settings });
    const verdict = evaluateClassicFirewall(firewall, c.flow ?? usage);
    expectVerdict(verdict, c);
    if (c.verdict !== "undetermined") expect(verdict.decidedBy?.resource).toEqual(firewall.ref);
  });

  it("says which layer decided and where the rule sits on the firewall", () => {
    const network = [collection({ collectionKind: "network", rules: [networkRule()] }), { ...denyAllWeb(200), collectionKind: "network" as const }];
    const application = [collection({ collectionKind: "application" })];
    const firewall = azureFirewall({ firewallPolicyId: undefined, networkRuleCollections: network, applicationRuleCollections: application });
    expect(evaluateClassicFirewall(firewall, usage).decidedBy).toMatchObject({ rule: "all-web", layer: "network", path: "networkRuleCollections[1].rules[0]" });
    const allowed = azureFirewall({ firewallPolicyId: undefined, networkRuleCollections: [], applicationRuleCollections: application });
    expect(evaluateClassicFirewall(allowed, usage).decidedBy).toMatchObject({ rule: "bridge", layer: "application", path: "applicationRuleCollections[0].rules[0]" });
    expect(evaluateClassicFirewall(azureFirewall({ firewallPolicyId: undefined, networkRuleCollections: [], applicationRuleCollections: [] }), usage).decidedBy).not.toHaveProperty("path");
  });
});

it("sources in fixtures are the VIP /27", () => {
  expect(usage.sources).toEqual([VIP]);
});
