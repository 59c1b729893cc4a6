/**
 * The engine's one resource model. Stack exports (flattened Pulumi shapes), raw ARM JSON (nested
 * `properties`), policy-pack inputs/outputs and azure-native invoke results all normalize into it,
 * so every rule reads one shape.
 */

/** Who a finding is about: a Pulumi URN, an ARM id, or `host:port` for the probe. */
export interface ResourceRef {
  urn: string;
  /** Pulumi type token (`azure-native:network:AzureFirewall`) or ARM type (`Microsoft.Network/azureFirewalls`). */
  type: string;
  name: string;
  /**
   * Where the program declared the resource: Pulumi state's `sourcePosition` (`project:///infra/egress.ts#42,7`),
   * as a path relative to the project root (the directory of `Pulumi.yaml`) with a 1-based line and column.
   */
  source?: SourcePosition;
  /** The 1-based line of the resource in the audited file (its `"urn"` or `"id"` key), when the input is a file. */
  line?: number;
}

/** A place in the Pulumi program's source, relative to the project root. */
export interface SourcePosition {
  /** Forward slashes, no leading slash, never above the project root. */
  path: string;
  line: number;
  column?: number;
}

/**
 * Where a value could not be known (a preview's unknown output, an unresolved reference). Rules that
 * depend on a listed path report "undetermined" with it; rules that do not, ignore it.
 */
export type UnknownPaths = string[];

/** What every resource has, whatever its kind. */
export interface ResourceBase {
  ref: ResourceRef;
  /** The ARM id, when the resource exists (or the invoke returned one). */
  armId?: string;
  subscriptionId?: string;
  resourceGroup?: string;
  /** Pulumi `protect`; undefined where the source has no such notion (ARM JSON, invokes). */
  protect?: boolean;
  /** A planned operation that would take the resource away (stack export `pending_operations`). */
  pendingOperation?: "delete" | "replace";
  unknowns: UnknownPaths;
}

export interface Registration extends ResourceBase {
  kind: "registration";
  /** The name from the ARM id (the REST body's `name` is not reliable: it may say `azurestack`). */
  registrationName?: string;
  location?: string;
  cloudId?: string;
  objectId?: string;
  billingModel?: string;
}

export type RuleAction = "Allow" | "Deny";

export interface AppProtocol {
  /** `Http`, `Https`, `Mssql`, as Azure spells them. */
  protocolType: string;
  /** Absent means the protocol's default (80 for Http, 443 for Https). */
  port?: number;
}

/** An application rule, classic or policy. */
export interface ApplicationRule {
  ruleType: "ApplicationRule";
  name: string;
  sourceAddresses: string[];
  sourceIpGroups: string[];
  protocols: AppProtocol[];
  targetFqdns: string[];
  targetUrls: string[];
  fqdnTags: string[];
  webCategories: string[];
  /** Policy rules only; classic application rules cannot terminate TLS. */
  terminateTLS: boolean;
}

/** A network rule, classic (`protocols`) or policy (`ipProtocols`), normalized to `ipProtocols`. */
export interface NetworkRule {
  ruleType: "NetworkRule";
  name: string;
  /** `TCP`, `UDP`, `Any`, `ICMP`. */
  ipProtocols: string[];
  sourceAddresses: string[];
  sourceIpGroups: string[];
  destinationAddresses: string[];
  destinationIpGroups: string[];
  destinationFqdns: string[];
  /** As Azure writes them: `"443"`, `"443-444"`, `"*"`. */
  destinationPorts: string[];
}

export type FirewallRule = ApplicationRule | NetworkRule;

/**
 * The priority of a rule collection or rule collection group the input does not give (absent, as in some
 * REST examples, or unknown until apply). Azure orders by priority, so such a collection's place is not
 * known: the evaluator tries it first and last, and the verdict stands only where both agree.
 */
export const UNKNOWN_PRIORITY = Number.MAX_SAFE_INTEGER;

/**
 * A rule collection, classic or policy. NAT collections are kept (with `action: "Dnat"`/`"Snat"`) only
 * so that evidence can name them; they never decide an outbound flow.
 */
export interface RuleCollection {
  name: string;
  priority: number;
  action: RuleAction | "Dnat" | "Snat";
  /** `application`, `network` for classic collections; `filter` for policy filter collections. */
  collectionKind: "application" | "network" | "nat" | "filter";
  rules: FirewallRule[];
}

export interface AzureFirewall extends ResourceBase {
  kind: "azureFirewall";
  skuTier?: string;
  threatIntelMode?: string;
  /** ARM id of the attached firewall policy; when set, the classic collections are not used. */
  firewallPolicyId?: string;
  /** Private IP addresses of the firewall's IP configurations (targets of forced-tunnel routes). */
  privateIpAddresses: string[];
  applicationRuleCollections: RuleCollection[];
  networkRuleCollections: RuleCollection[];
  natRuleCollections: RuleCollection[];
  /**
   * A firewall without policy keeps these in `additionalProperties` (what `az network firewall update
   * --enable-dns-proxy` and `az network firewall threat-intel-allowlist` write): `"Network.DNS.EnableProxy"`
   * (`"true"`/`"false"`), `"ThreatIntel.Whitelist.FQDNs"` and `"ThreatIntel.Whitelist.IpAddresses"`
   * (comma-separated). Absent: not set (DNS proxy off, empty allow list).
   */
  dnsProxyEnabled?: boolean;
  threatIntelWhitelistFqdns?: string[];
  threatIntelWhitelistIpAddresses?: string[];
}

/** One IDPS bypass entry (`intrusionDetection.configuration.bypassTrafficSettings[]`). */
export interface IdpsBypass {
  name: string;
  /** `TCP`, `UDP`, `ICMP`, `ANY`. */
  protocol: string;
  sourceAddresses: string[];
  sourceIpGroups: string[];
  destinationAddresses: string[];
  destinationIpGroups: string[];
  destinationPorts: string[];
}

/** One IDPS signature override (`intrusionDetection.configuration.signatureOverrides[]`): `Off`, `Alert` or `Deny`. */
export interface IdpsSignatureOverride {
  id: string;
  mode: string;
}

export interface FirewallPolicy extends ResourceBase {
  kind: "firewallPolicy";
  skuTier?: string;
  basePolicyId?: string;
  threatIntelMode?: string;
  threatIntelWhitelistFqdns: string[];
  threatIntelWhitelistIpAddresses: string[];
  explicitProxyEnabled: boolean;
  intrusionDetectionMode?: string;
  /** IDPS bypass entries and signature overrides; absent when the policy has none. */
  idpsBypass?: IdpsBypass[];
  idpsSignatureOverrides?: IdpsSignatureOverride[];
  /** `dnsSettings.enableProxy`; undefined when the policy does not set it (Azure's default: off). */
  dnsProxyEnabled?: boolean;
  /** `transportSecurity.certificateAuthority` is set: the policy can inspect TLS (Premium). */
  hasTlsInspectionCertificate: boolean;
}

export interface RuleCollectionGroup extends ResourceBase {
  kind: "ruleCollectionGroup";
  /** The parent policy, by name (Pulumi input `firewallPolicyName`) and/or by ARM id prefix. */
  firewallPolicyName?: string;
  firewallPolicyId?: string;
  priority: number;
  ruleCollections: RuleCollection[];
}

export interface SecurityRule {
  name: string;
  direction: "Inbound" | "Outbound";
  access: "Allow" | "Deny";
  priority: number;
  /** `Tcp`, `Udp`, `Icmp`, `Esp`, `Ah`, `*`. */
  protocol: string;
  sourceAddressPrefixes: string[];
  destinationAddressPrefixes: string[];
  destinationPortRanges: string[];
  /** Set on the rules Azure adds (AllowVnetOutBound, ...). */
  isDefault?: boolean;
}

export interface NetworkSecurityGroup extends ResourceBase {
  kind: "networkSecurityGroup";
  securityRules: SecurityRule[];
}

/** A standalone `SecurityRule` resource, joined to its NSG by `networkSecurityGroupName`. */
export interface StandaloneSecurityRule extends ResourceBase {
  kind: "securityRule";
  networkSecurityGroupName?: string;
  rule: SecurityRule;
}

export interface Route {
  name: string;
  addressPrefix: string;
  /** `VirtualNetworkGateway`, `VnetLocal`, `Internet`, `VirtualAppliance`, `None`. */
  nextHopType: string;
  nextHopIpAddress?: string;
}

export interface RouteTable extends ResourceBase {
  kind: "routeTable";
  routes: Route[];
}

/** A standalone `Route` resource, joined to its table by `routeTableName`. */
export interface StandaloneRoute extends ResourceBase {
  kind: "route";
  routeTableName?: string;
  route: Route;
}

/**
 * What a subnet says about the bridge's path: its prefixes and the NSG and route table attached to it
 * (`SubnetResponse.networkSecurityGroup.id`, `.routeTable.id`). A subnet is a resource of its own
 * (`azure-native:network:Subnet`) or inline in its virtual network's `subnets`.
 */
export interface SubnetLinks {
  name: string;
  /** The subnet's ARM id, when known (inline subnets of a GET body carry one). */
  armId?: string;
  /** `addressPrefix` and `addressPrefixes`, merged. */
  addressPrefixes: string[];
  networkSecurityGroupId?: string;
  routeTableId?: string;
}

/** `azure-native:network:Subnet` / `Microsoft.Network/virtualNetworks/subnets`. */
export interface Subnet extends ResourceBase {
  kind: "subnet";
  /** The virtual network it belongs to, by name (Pulumi input `virtualNetworkName`, or from the ARM id). */
  virtualNetworkName?: string;
  subnet: SubnetLinks;
}

/** `azure-native:network:VirtualNetwork`: only its inline `subnets` matter to the path. */
export interface VirtualNetwork extends ResourceBase {
  kind: "virtualNetwork";
  subnets: SubnetLinks[];
}

/** One IP configuration of a network interface: its private address and its subnet. */
export interface NicIpConfiguration {
  privateIpAddress?: string;
  subnetId?: string;
}

/** `azure-native:network:NetworkInterface`: an NSG attached to a NIC filters that NIC's traffic. */
export interface NetworkInterface extends ResourceBase {
  kind: "networkInterface";
  networkSecurityGroupId?: string;
  ipConfigurations: NicIpConfiguration[];
}

/**
 * A resource the engine knows about but whose type no rule reads; kept for the resource count. Its ARM id is
 * kept as given, not parsed into subscription and resource group: nothing reads them, and a platform stack
 * holds tens of thousands of such resources.
 */
export interface OtherResource extends ResourceBase {
  kind: "other";
  subscriptionId?: undefined;
  resourceGroup?: undefined;
}

export type Resource =
  | Registration
  | AzureFirewall
  | FirewallPolicy
  | RuleCollectionGroup
  | NetworkSecurityGroup
  | StandaloneSecurityRule
  | RouteTable
  | StandaloneRoute
  | Subnet
  | VirtualNetwork
  | NetworkInterface
  | OtherResource;

export type ResourceKind = Resource["kind"];

/** Everything a stack-level rule can see: the live resources of one stack (or one program's lookups). */
export interface ResourceSet {
  /** Where the resources came from, for messages: a file path, `policy pack`, `program`. */
  source: string;
  resources: Resource[];
  /**
   * What a preview (`pulumi preview --json`) plans to do to resources, the ones it deletes included; absent
   * for inputs that carry no plan (stack exports, ARM JSON, the policy pack: Pulumi gives policies no
   * planned operations).
   */
  plannedOperations?: PlannedOperation[];
}

/**
 * One step of a preview that changes a resource (`same` steps are not listed). `op` is Pulumi's step op
 * (`create`, `update`, `delete`, `replace`, `create-replacement`, `delete-replaced`, ...: the `StepOp`
 * constants of pkg/resource/deploy/step.go in pulumi/pulumi).
 */
export interface PlannedOperation {
  resource: ResourceRef;
  op: string;
  /** The properties whose change forces the replacement (`replaceReasons`). */
  replaceReasons: string[];
  /** The properties that differ (`diffReasons`). */
  diffReasons: string[];
}

/** Resources grouped by kind, once per resource list: rules and gates ask for a kind inside loops. */
const byKind = new WeakMap<readonly Resource[], Map<ResourceKind, Resource[]>>();

/** The resources of one kind. A set's resource list is treated as immutable once built. */
export function ofKind<K extends ResourceKind>(set: ResourceSet, kind: K): Extract<Resource, { kind: K }>[] {
  let index = byKind.get(set.resources);
  if (!index) {
    index = new Map();
    for (const resource of set.resources) {
      const list = index.get(resource.kind);
      if (list) list.push(resource);
      else index.set(resource.kind, [resource]);
    }
    byKind.set(set.resources, index);
  }
  return (index.get(kind) ?? []) as Extract<Resource, { kind: K }>[];
}
