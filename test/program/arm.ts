/**
 * A live Azure setup as ARM REST bodies (nested `properties`, the shape of the Azure REST API examples:
 * Microsoft.AzureStack 2022-06-01 `Registration/Get.json`; Microsoft.Network 2024-05-01
 * `AzureFirewallGet.json`, `FirewallPolicyGet.json`, `FirewallPolicyRuleCollectionGroupGet.json`,
 * `NetworkSecurityGroupGet.json`, `RouteTableGet.json`), and a fake ARM that answers azure-native invokes
 * under `pulumi.runtime.setMocks` with those bodies flattened as azure-native returns them.
 *
 * The same bodies are what `bridgeguard audit` reads as ARM JSON, so the program and the audit can be
 * compared on exactly the same resources.
 *
 * The healthy setup: a registration at the expected place; a Premium Azure Firewall running policy
 * `stamp-egress`, whose parent `org-baseline` allows NTP and DNS (network rules) and whose own group
 * allows every required catalog endpoint (application rules, built from the catalog so the setup stays
 * healthy when the catalog changes); TLS inspection configured but not on the bridge's endpoints; an NSG
 * on the public VIP subnet; a route table sending 0.0.0.0/0 to the firewall.
 */
import type { MockCallArgs, MockResourceArgs, Mocks } from "@pulumi/pulumi/runtime";
import { catalogEndpoints, type EndpointPort } from "../../src/catalog/endpoints";

export type ArmBody = Record<string, unknown> & { id: string; name: string; type: string };

// ---- identities -------------------------------------------------------------------------------------

export const REG_SUB = "8f3c2a51-6d0e-4b7a-9c1f-2e5d7a9b0c34";
/** The hub network's subscription: the default provider's. */
export const NET_SUB = "2c9e1f4a-7b3d-4e6f-8a0b-5d1c3e7f9a2b";
export const CLOUD_ID = "5f1c9a7e-3b2d-4e8f-a6c0-9d7e1b2a4c68";
export const OBJECT_ID = "3a7b9c1d-2e4f-4a6b-8c0d-1e2f3a4b5c6d";
export const REG_NAME = `AzureStack-${CLOUD_ID}`;
export const REG_RG = "azurestack";
export const NET_RG = "hub-network";
export const VIP = "203.0.113.0/27";
export const TIME_SERVER = "10.0.0.10";
export const DNS_SERVER = "10.0.0.53";
export const FIREWALL_IP = "10.10.0.4";

const NET = `/subscriptions/${NET_SUB}/resourceGroups/${NET_RG}/providers/Microsoft.Network`;
export const IDS = {
  registration: `/subscriptions/${REG_SUB}/resourceGroups/${REG_RG}/providers/Microsoft.AzureStack/registrations/${REG_NAME}`,
  firewall: `${NET}/azureFirewalls/hub-fw`,
  childPolicy: `${NET}/firewallPolicies/stamp-egress`,
  basePolicy: `${NET}/firewallPolicies/org-baseline`,
  bridgeGroup: `${NET}/firewallPolicies/stamp-egress/ruleCollectionGroups/bridge-egress`,
  baseNetworkGroup: `${NET}/firewallPolicies/org-baseline/ruleCollectionGroups/org-network`,
  baseDenyGroup: `${NET}/firewallPolicies/org-baseline/ruleCollectionGroups/org-deny`,
  nsg: `${NET}/networkSecurityGroups/stamp-vip-nsg`,
  routeTable: `${NET}/routeTables/stamp-vip-rt`,
} as const;

/** The stack's `bridgeguard:` config as the operator would set it (`pulumi config set --path ...`). */
export function healthyConfig(): Record<string, unknown> {
  return {
    cloud: "AzureCloud",
    registration: { subscriptionId: REG_SUB, resourceGroup: REG_RG, name: REG_NAME, cloudId: CLOUD_ID, objectId: OBJECT_ID },
    egress: {
      sourceAddresses: [VIP],
      firewalls: [`${NET_RG}/hub-fw`],
      networkSecurityGroups: [`${NET_RG}/stamp-vip-nsg`],
      routeTables: [`${NET_RG}/stamp-vip-rt`],
    },
    timeServer: TIME_SERVER,
    dnsServers: [DNS_SERVER],
  };
}

/** Pulumi's config map: `bridgeguard:<key>`, structured values as JSON text (as the language host passes them). */
export function pulumiConfig(config: Record<string, unknown>, extra: Record<string, string> = {}): Record<string, string> {
  const out: Record<string, string> = { ...extra };
  for (const [key, value] of Object.entries(config)) out[`bridgeguard:${key}`] = typeof value === "string" ? value : JSON.stringify(value);
  return out;
}

// ---- bodies -----------------------------------------------------------------------------------------

const etag = (n: number) => `W/"7c3b5a1e-0d2f-4e6a-9b8c-1a2b3c4d5e${n.toString(16).padStart(2, "0")}"`;

export function registrationBody(overrides: { id?: string; properties?: Record<string, unknown> } = {}): ArmBody {
  return {
    id: overrides.id ?? IDS.registration,
    // The REST API's own GET example answers "azurestack" here, whatever the registration is called.
    name: "azurestack",
    type: "Microsoft.AzureStack/registrations",
    location: "global",
    etag: "0d00527e-0000-0000-0000-5a81ebdf0000",
    properties: { objectId: OBJECT_ID, cloudId: CLOUD_ID, billingModel: "PayAsYouUse", ...overrides.properties },
  };
}

export function firewallBody(): ArmBody {
  return {
    name: "hub-fw",
    id: IDS.firewall,
    type: "Microsoft.Network/azureFirewalls",
    location: "westeurope",
    zones: ["1", "2", "3"],
    etag: etag(1),
    tags: { workload: "hub-egress" },
    properties: {
      provisioningState: "Succeeded",
      sku: { name: "AZFW_VNet", tier: "Premium" },
      threatIntelMode: "Alert",
      ipConfigurations: [
        {
          name: "ipconfig1",
          id: `${IDS.firewall}/azureFirewallIpConfigurations/ipconfig1`,
          etag: etag(2),
          type: "Microsoft.Network/azureFirewalls/azureFirewallIpConfigurations",
          properties: {
            privateIPAddress: FIREWALL_IP,
            provisioningState: "Succeeded",
            subnet: { id: `${NET}/virtualNetworks/hub-vnet/subnets/AzureFirewallSubnet` },
            publicIPAddress: { id: `${NET}/publicIPAddresses/hub-fw-pip` },
          },
        },
      ],
      firewallPolicy: { id: IDS.childPolicy },
      applicationRuleCollections: [],
      natRuleCollections: [],
      networkRuleCollections: [],
      ipGroups: [],
      additionalProperties: {},
    },
  };
}

function policyBody(id: string, name: string, properties: Record<string, unknown>): ArmBody {
  return {
    id,
    name,
    type: "Microsoft.Network/firewallPolicies",
    location: "westeurope",
    etag: etag(3),
    properties: { provisioningState: "Succeeded", size: "0.0031 MB", firewalls: [], childPolicies: [], ...properties },
  };
}

/** Premium, TLS inspection configured (a CA in Key Vault), parent `org-baseline`. */
export function childPolicyBody(properties: Record<string, unknown> = {}): ArmBody {
  return policyBody(IDS.childPolicy, "stamp-egress", {
    sku: { tier: "Premium" },
    basePolicy: { id: IDS.basePolicy },
    threatIntelMode: "Alert",
    intrusionDetection: { mode: "Alert", profile: "Standard" },
    transportSecurity: { certificateAuthority: { name: "egress-inspection-ca", keyVaultSecretId: "https://kv-hub-egress.vault.azure.net/secrets/egress-inspection-ca" } },
    dnsSettings: { enableProxy: true, servers: [] },
    ruleCollectionGroups: [{ id: IDS.bridgeGroup }],
    firewalls: [{ id: IDS.firewall }],
    ...properties,
  });
}

export function basePolicyBody(properties: Record<string, unknown> = {}): ArmBody {
  return policyBody(IDS.basePolicy, "org-baseline", {
    sku: { tier: "Premium" },
    threatIntelMode: "Alert",
    ruleCollectionGroups: [{ id: IDS.baseNetworkGroup }, { id: IDS.baseDenyGroup }],
    childPolicies: [{ id: IDS.childPolicy }],
    ...properties,
  });
}

export interface RuleCollectionSpec {
  name: string;
  priority: number;
  action: "Allow" | "Deny";
  rules: Record<string, unknown>[];
}

export function filterCollection(spec: RuleCollectionSpec): Record<string, unknown> {
  return { ruleCollectionType: "FirewallPolicyFilterRuleCollection", name: spec.name, priority: spec.priority, action: { type: spec.action }, rules: spec.rules };
}

export function groupBody(id: string, priority: number, collections: Record<string, unknown>[]): ArmBody {
  return {
    name: id.split("/").pop() as string,
    id,
    // As the REST examples spell it.
    type: "Microsoft.Network/FirewallPolicies/ruleCollectionGroups",
    etag: etag(4),
    properties: { provisioningState: "Succeeded", size: "0.0021 MB", priority, ruleCollections: collections },
  };
}

export function applicationRule(name: string, targetFqdns: string[], protocols: { protocolType: string; port: number }[], extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    ruleType: "ApplicationRule",
    name,
    sourceAddresses: [VIP],
    sourceIpGroups: [],
    protocols,
    targetFqdns,
    targetUrls: [],
    fqdnTags: [],
    webCategories: [],
    destinationAddresses: [],
    terminateTLS: false,
    ...extra,
  };
}

function networkRule(name: string, ipProtocols: string[], destination: string, port: string): Record<string, unknown> {
  return {
    ruleType: "NetworkRule",
    name,
    ipProtocols,
    sourceAddresses: [VIP],
    sourceIpGroups: [],
    destinationAddresses: [destination],
    destinationIpGroups: [],
    destinationFqdns: [],
    destinationPorts: [port],
  };
}

function appProtocol(port: EndpointPort): { protocolType: string; port: number } {
  return { protocolType: port.protocol === "https" ? "Https" : "Http", port: port.port };
}

/** One application rule per required catalog endpoint, on its ports, from the VIP; `change` edits one by host. */
export function bridgeRules(change: (host: string, rule: Record<string, unknown>) => Record<string, unknown> = (_h, r) => r): Record<string, unknown>[] {
  return catalogEndpoints("AzureCloud").map((e) => change(e.host, applicationRule(`${e.purpose}-${e.host.replace(/^\*\./, "wildcard.")}`, [e.host], e.ports.map(appProtocol))));
}

export function bridgeGroupBody(extraCollections: Record<string, unknown>[] = [], change?: Parameters<typeof bridgeRules>[0]): ArmBody {
  return groupBody(IDS.bridgeGroup, 200, [...extraCollections, filterCollection({ name: "allow-usage-bridge", priority: 200, action: "Allow", rules: bridgeRules(change) })]);
}

export function baseNetworkGroupBody(): ArmBody {
  return groupBody(IDS.baseNetworkGroup, 100, [
    filterCollection({
      name: "allow-time-and-dns",
      priority: 100,
      action: "Allow",
      rules: [networkRule("ntp", ["UDP"], TIME_SERVER, "123"), networkRule("dns", ["UDP", "TCP"], DNS_SERVER, "53")],
    }),
  ]);
}

/** The organisation's deny list; `hosts` adds to it (the parent-denies-child scenario). */
export function baseDenyGroupBody(hosts: string[] = []): ArmBody {
  return groupBody(IDS.baseDenyGroup, 300, [
    filterCollection({
      name: "deny-unsanctioned",
      priority: 100,
      action: "Deny",
      rules: [
        applicationRule("deny-file-sharing", ["*.wetransfer.com", ...hosts], [
          { protocolType: "Https", port: 443 },
          { protocolType: "Http", port: 80 },
        ]),
      ],
    }),
  ]);
}

function securityRule(id: string, name: string, properties: Record<string, unknown>): Record<string, unknown> {
  return {
    name,
    id: `${id}/securityRules/${name}`,
    etag: etag(5),
    type: "Microsoft.Network/networkSecurityGroups/securityRules",
    properties: {
      provisioningState: "Succeeded",
      sourcePortRange: "*",
      sourcePortRanges: [],
      sourceAddressPrefixes: [],
      destinationAddressPrefixes: [],
      destinationPortRanges: [],
      direction: "Outbound",
      access: "Allow",
      ...properties,
    },
  };
}

function defaultRule(id: string, name: string, priority: number, direction: string, access: string, source: string, destination: string): Record<string, unknown> {
  return {
    name,
    id: `${id}/defaultSecurityRules/${name}`,
    etag: etag(6),
    type: "Microsoft.Network/networkSecurityGroups/defaultSecurityRules",
    properties: {
      provisioningState: "Succeeded",
      description: `Default ${name}`,
      protocol: "*",
      sourcePortRange: "*",
      destinationPortRange: "*",
      sourceAddressPrefix: source,
      destinationAddressPrefix: destination,
      access,
      priority,
      direction,
      sourcePortRanges: [],
      destinationPortRanges: [],
      sourceAddressPrefixes: [],
      destinationAddressPrefixes: [],
    },
  };
}

export function nsgBody(): ArmBody {
  const id = IDS.nsg;
  return {
    name: "stamp-vip-nsg",
    id,
    type: "Microsoft.Network/networkSecurityGroups",
    location: "westeurope",
    etag: etag(7),
    properties: {
      provisioningState: "Succeeded",
      resourceGuid: "6a2f9c1e-3b4d-4e5f-8a7b-9c0d1e2f3a4b",
      securityRules: [
        securityRule(id, "allow-dns", { protocol: "*", priority: 100, sourceAddressPrefix: VIP, destinationAddressPrefix: DNS_SERVER, destinationPortRange: "53" }),
        securityRule(id, "allow-ntp", { protocol: "Udp", priority: 110, sourceAddressPrefix: VIP, destinationAddressPrefix: TIME_SERVER, destinationPortRange: "123" }),
        securityRule(id, "allow-azure", { protocol: "Tcp", priority: 200, sourceAddressPrefix: VIP, destinationAddressPrefix: "AzureCloud", destinationPortRanges: ["443", "80"] }),
        securityRule(id, "deny-internet", { protocol: "*", priority: 4000, access: "Deny", sourceAddressPrefix: "*", destinationAddressPrefix: "Internet", destinationPortRange: "*" }),
      ],
      defaultSecurityRules: [
        defaultRule(id, "AllowVnetInBound", 65000, "Inbound", "Allow", "VirtualNetwork", "VirtualNetwork"),
        defaultRule(id, "AllowAzureLoadBalancerInBound", 65001, "Inbound", "Allow", "AzureLoadBalancer", "*"),
        defaultRule(id, "DenyAllInBound", 65500, "Inbound", "Deny", "*", "*"),
        defaultRule(id, "AllowVnetOutBound", 65000, "Outbound", "Allow", "VirtualNetwork", "VirtualNetwork"),
        defaultRule(id, "AllowInternetOutBound", 65001, "Outbound", "Allow", "*", "Internet"),
        defaultRule(id, "DenyAllOutBound", 65500, "Outbound", "Deny", "*", "*"),
      ],
      subnets: [{ id: `${NET}/virtualNetworks/stamp-vnet/subnets/public-vip` }],
    },
  };
}

export function routeTableBody(defaultRoute: { nextHopType: string; nextHopIpAddress?: string } = { nextHopType: "VirtualAppliance", nextHopIpAddress: FIREWALL_IP }): ArmBody {
  const id = IDS.routeTable;
  return {
    name: "stamp-vip-rt",
    id,
    type: "Microsoft.Network/routeTables",
    location: "westeurope",
    etag: etag(8),
    properties: {
      provisioningState: "Succeeded",
      resourceGuid: "1b2c3d4e-5f60-4172-8394-a5b6c7d8e9f0",
      disableBgpRoutePropagation: true,
      routes: [
        {
          name: "default-egress",
          id: `${id}/routes/default-egress`,
          etag: etag(9),
          type: "Microsoft.Network/routeTables/routes",
          properties: { provisioningState: "Succeeded", addressPrefix: "0.0.0.0/0", ...defaultRoute },
        },
      ],
      subnets: [{ id: `${NET}/virtualNetworks/stamp-vnet/subnets/public-vip` }],
    },
  };
}

/** Every body of the healthy setup. */
export function healthyBodies(): ArmBody[] {
  return [registrationBody(), firewallBody(), childPolicyBody(), basePolicyBody(), bridgeGroupBody(), baseNetworkGroupBody(), baseDenyGroupBody(), nsgBody(), routeTableBody()];
}

/** The healthy setup with some bodies replaced (matched by id) or removed (`null`). */
export function healthyWith(changes: Record<string, ArmBody | null>): ArmBody[] {
  return healthyBodies().flatMap((body) => {
    const key = Object.keys(changes).find((id) => id.toLowerCase() === body.id.toLowerCase());
    if (key === undefined) return [body];
    const replacement = changes[key];
    return replacement ? [replacement] : [];
  });
}

// ---- azure-native's shape -----------------------------------------------------------------------------

/** azure-native flattens ARM's `properties` at every level (`ipConfigurations[0].privateIPAddress`). */
export function flatten(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(flatten);
  if (value === null || typeof value !== "object") return value;
  const out: Record<string, unknown> = {};
  for (const [key, inner] of Object.entries(value)) {
    if (key === "properties" && inner !== null && typeof inner === "object" && !Array.isArray(inner)) Object.assign(out, flatten(inner));
    else out[key] = flatten(inner);
  }
  return out;
}

// ---- a fake ARM behind the invokes ----------------------------------------------------------------------

/** An error as the engine hands a failed invoke back (a gRPC error whose `details` the SDK rethrows). */
export function invokeError(token: string, id: string, status: number, code: string, message: string): Error {
  const url = `https://management.azure.com${id}?api-version=2024-05-01`;
  const text = [
    `invocation of ${token} returned an error: request failed ${id}: GET ${url}`,
    "--------------------------------------------------------------------------------",
    `RESPONSE ${status}: ${status} ${status === 404 ? "Not Found" : status === 403 ? "Forbidden" : status === 429 ? "Too Many Requests" : "Error"}`,
    `ERROR CODE: ${code}`,
    "--------------------------------------------------------------------------------",
    JSON.stringify({ error: { code, message } }, null, 2),
    "--------------------------------------------------------------------------------",
  ].join("\n");
  return Object.assign(new Error(text), { details: text, code: 2 /* grpc UNKNOWN */ });
}

interface InvokeShape {
  /** ARM path under `providers/`, from the invoke's arguments. */
  path: (inputs: Record<string, string>) => string;
  resourceGroupKey: string;
  apiVersion: string;
}

const INVOKES: Readonly<Record<string, InvokeShape>> = {
  "azure-native:azurestack:getRegistration": {
    path: (i) => `Microsoft.AzureStack/registrations/${i.registrationName}`,
    resourceGroupKey: "resourceGroup",
    apiVersion: "2022-06-01",
  },
  "azure-native:network:getAzureFirewall": { path: (i) => `Microsoft.Network/azureFirewalls/${i.azureFirewallName}`, resourceGroupKey: "resourceGroupName", apiVersion: "2024-05-01" },
  "azure-native:network:getFirewallPolicy": { path: (i) => `Microsoft.Network/firewallPolicies/${i.firewallPolicyName}`, resourceGroupKey: "resourceGroupName", apiVersion: "2024-05-01" },
  "azure-native:network:getFirewallPolicyRuleCollectionGroup": {
    path: (i) => `Microsoft.Network/firewallPolicies/${i.firewallPolicyName}/ruleCollectionGroups/${i.ruleCollectionGroupName}`,
    resourceGroupKey: "resourceGroupName",
    apiVersion: "2024-05-01",
  },
  "azure-native:network:getNetworkSecurityGroup": {
    path: (i) => `Microsoft.Network/networkSecurityGroups/${i.networkSecurityGroupName}`,
    resourceGroupKey: "resourceGroupName",
    apiVersion: "2024-05-01",
  },
  "azure-native:network:getRouteTable": { path: (i) => `Microsoft.Network/routeTables/${i.routeTableName}`, resourceGroupKey: "resourceGroupName", apiVersion: "2024-05-01" },
};

export interface FakeArmOptions {
  bodies: ArmBody[];
  /** The default provider's subscription (`azure-native:subscriptionId` or the CLI's default). */
  defaultSubscription?: string;
  /** Answers that do not follow from the bodies, keyed by the id ARM would be asked for. */
  answers?: Record<string, ArmBody | Error>;
}

/**
 * Answers azure-native invokes like ARM: a GET of `/subscriptions/{provider's subscription}/resourceGroups/
 * {rg}/providers/{path}` returns the body with that id (ids compare case-insensitively), flattened, or fails
 * with 404 ResourceNotFound. Explicit providers are tracked with the subscription they were created for.
 */
export class FakeArm {
  readonly calls: MockCallArgs[] = [];
  readonly resources: MockResourceArgs[] = [];
  /** The bodies the invokes returned (nested), for auditing the same resources as ARM JSON. */
  readonly served: ArmBody[] = [];
  private readonly providerSubscriptions = new Map<string, string>();

  constructor(private readonly options: FakeArmOptions) {}

  private subscriptionOf(provider: string | undefined): string {
    if (provider) {
      // `<providerURN>::<providerID>`; the URN ends with the provider's name.
      const urn = provider.slice(0, provider.lastIndexOf("::"));
      const subscription = this.providerSubscriptions.get(urn.slice(urn.lastIndexOf("::") + 2));
      if (subscription) return subscription;
    }
    return this.options.defaultSubscription ?? NET_SUB;
  }

  mocks(): Mocks {
    return {
      newResource: (args) => {
        this.resources.push(args);
        if (args.type === "pulumi:providers:azure-native" && typeof args.inputs.subscriptionId === "string") {
          this.providerSubscriptions.set(args.name, args.inputs.subscriptionId);
        }
        return { id: `${args.name}-id`, state: args.inputs };
      },
      call: (args) => {
        this.calls.push(args);
        const shape = INVOKES[args.token];
        if (!shape) throw new Error(`unexpected invoke ${args.token}`);
        const inputs = args.inputs as Record<string, string>;
        const id = `/subscriptions/${this.subscriptionOf(args.provider)}/resourceGroups/${inputs[shape.resourceGroupKey]}/providers/${shape.path(inputs)}`;
        const answer = Object.entries(this.options.answers ?? {}).find(([key]) => key.toLowerCase() === id.toLowerCase())?.[1];
        const body = answer ?? this.options.bodies.find((b) => b.id.toLowerCase() === id.toLowerCase());
        if (body instanceof Error) throw body;
        if (!body) {
          const type = shape.path(inputs).split("/").slice(0, -1).join("/");
          throw invokeError(args.token, id, 404, "ResourceNotFound", `The Resource '${type}/${id.split("/").pop()}' under resource group '${inputs[shape.resourceGroupKey]}' was not found. For more details please go to https://aka.ms/ARMResourceNotFoundFix`);
        }
        this.served.push(body);
        return { azureApiVersion: shape.apiVersion, ...(flatten(body) as Record<string, unknown>) };
      },
    };
  }

  callsTo(token: string): MockCallArgs[] {
    return this.calls.filter((c) => c.token === token);
  }
}
