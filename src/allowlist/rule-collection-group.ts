/**
 * The one generator of the bridge's allow-list as firewall rules. From the catalog (cloud, required or all
 * endpoints), the stamp's egress range and the deployment's time and DNS servers it builds a neutral model
 * of one rule collection group: a network collection (NTP and DNS to the configured servers) and an
 * application collection (the catalog's HTTP/HTTPS endpoints by FQDN, TLS termination off). Every output
 * (ARM JSON, the Pulumi snippet, the TLS-bypass list, the `BridgeEgressRules` component) and every
 * add-rule fix renders this model or the rule constructors below: there is no second endpoint list.
 *
 * Right by construction: sources are exactly the configured range (never `*`), targets are catalog hosts
 * and configured servers only, ports are the catalog's ports for each host.
 */
import type { CloudName } from "../catalog/clouds";
import { isCloudName } from "../catalog/clouds";
import {
  CATALOG_VERSION,
  catalogEndpoints,
  CONFIGURED_ENDPOINTS,
  type CatalogEndpoint,
  type EndpointPort,
  type EndpointPurpose,
} from "../catalog/endpoints";
import { isHostOrIp, isIpOrCidr } from "../config/validate";
import { configuredServers, requiredEndpoints, serverTargets } from "../analysis/flows";
import { UserError } from "../model/errors";
import ipaddr from "ipaddr.js";

/** Defaults of the group the generator builds (and that add-rule fixes add to). */
export const DEFAULT_GROUP_NAME = "azs-bridge-egress";
/** Rule collection group priorities run 100 (first) to 65000. */
export const DEFAULT_GROUP_PRIORITY = 100;
export const MIN_PRIORITY = 100;
export const MAX_PRIORITY = 65000;
/** Network rules are evaluated before application rules whatever the priorities; the order here is for reading. */
export const NETWORK_COLLECTION = { name: "azs-bridge-network", priority: 100 } as const;
export const APPLICATION_COLLECTION = { name: "azs-bridge-application", priority: 200 } as const;

export type AppProtocolType = "Http" | "Https";

export interface AllowApplicationRule {
  ruleType: "ApplicationRule";
  name: string;
  description: string;
  sourceAddresses: string[];
  protocols: { protocolType: AppProtocolType; port: number }[];
  targetFqdns: string[];
  terminateTLS: false;
}

export interface AllowNetworkRule {
  ruleType: "NetworkRule";
  name: string;
  description: string;
  ipProtocols: ("TCP" | "UDP")[];
  sourceAddresses: string[];
  /** IP addresses (or, for a fix, a service tag). */
  destinationAddresses: string[];
  /** Host names (a time server given by name); the firewall resolves them only with DNS proxy enabled. */
  destinationFqdns: string[];
  destinationPorts: string[];
}

export type AllowRule = AllowApplicationRule | AllowNetworkRule;

export interface AllowCollection {
  name: string;
  priority: number;
  action: "Allow";
  rules: AllowRule[];
}

/** The neutral model: one rule collection group of Allow filter collections. */
export interface AllowRuleSet {
  cloud: CloudName;
  catalogVersion: string;
  /** Rule collection group name and priority. */
  name: string;
  priority: number;
  sourceAddresses: string[];
  collections: AllowCollection[];
  /** What the set leaves out, or needs, and why: one sentence each (the CLI prints them to stderr). */
  notes: string[];
}

export interface AllowRuleSetInput {
  cloud: CloudName;
  /** The stamp's egress range (public VIP /27). Required: a rule set never allows from `*`. */
  sourceAddresses: readonly string[];
  timeServer?: string;
  dnsServers?: readonly string[];
  /** Rule collection group priority, 100-65000; default 100. */
  priority?: number;
  /** Also the endpoints usage reporting does not need (marketplace, patch, Defender, diagnostics). */
  all?: boolean;
  names?: { group?: string; networkCollection?: string; applicationCollection?: string };
}

const PURPOSE_TEXT: Readonly<Record<EndpointPurpose, string>> = {
  usage: "usage upload",
  "usage-legacy": "usage upload, legacy (information only)",
  registration: "registration / ARM",
  identity: "Azure AD login",
  time: "time (NTP)",
  dns: "DNS",
  marketplace: "marketplace syndication",
  patch: "patch and update",
  defender: "Windows Defender",
  "microsoft-crl": "Microsoft CRL",
  diagnostics: "diagnostic log collection",
  "remote-support": "remote support",
  telemetry: "telemetry",
};

/** Azure resource and rule names: 1-80 of letters, digits, `_ . -`, starting alphanumeric, not ending in `.` or `-`. */
const AZURE_NAME = /^[A-Za-z0-9](?:[A-Za-z0-9_.-]{0,78}[A-Za-z0-9_])?$/;

export function isAzureName(name: string): boolean {
  return AZURE_NAME.test(name);
}

/** A valid Azure rule name from free parts: invalid characters become `-`, cut to 80. */
export function ruleNameOf(...parts: (string | number)[]): string {
  const raw = parts
    .map((p) => String(p).replace(/^\*\.?/, "").replace(/[^A-Za-z0-9_.-]+/g, "-"))
    .filter((p) => p !== "")
    .join("-")
    .replace(/-{2,}/g, "-");
  const cut = raw.slice(0, 80).replace(/^[^A-Za-z0-9]+/, "").replace(/[.-]+$/, "");
  return cut === "" ? "rule" : cut;
}

function appProtocol(port: EndpointPort): { protocolType: AppProtocolType; port: number } {
  if (port.protocol !== "https" && port.protocol !== "http") {
    throw new Error(`catalog port ${port.port}/${port.protocol} is not an application rule protocol`);
  }
  return { protocolType: port.protocol === "https" ? "Https" : "Http", port: port.port };
}

function portsKey(ports: readonly EndpointPort[]): string {
  return ports.map((p) => `${p.protocol}/${p.port}`).join(",");
}

function description(purpose: EndpointPurpose, code: string): string {
  return `Azure Stack Hub ${PURPOSE_TEXT[purpose]}: ${code} when blocked (bridgeguard catalog ${CATALOG_VERSION})`;
}

/** An application rule allowing `hosts` on `ports` from `sources`, by FQDN, without TLS termination. */
export function applicationRuleFor(name: string, purpose: EndpointPurpose, code: string, hosts: readonly string[], ports: readonly EndpointPort[], sources: readonly string[]): AllowApplicationRule {
  return {
    ruleType: "ApplicationRule",
    name,
    description: description(purpose, code),
    sourceAddresses: [...sources],
    protocols: ports.map(appProtocol),
    targetFqdns: [...new Set(hosts)],
    terminateTLS: false,
  };
}

/** A network rule allowing `ipProtocols` to addresses (or service tags) and host names on `ports` from `sources`. */
export function networkRuleFor(
  name: string,
  purpose: EndpointPurpose,
  code: string,
  ipProtocols: ("TCP" | "UDP")[],
  destinations: { addresses?: readonly string[]; fqdns?: readonly string[] },
  ports: readonly number[],
  sources: readonly string[],
): AllowNetworkRule {
  return {
    ruleType: "NetworkRule",
    name,
    description: description(purpose, code),
    ipProtocols,
    sourceAddresses: [...sources],
    destinationAddresses: [...new Set(destinations.addresses ?? [])],
    destinationFqdns: [...new Set(destinations.fqdns ?? [])],
    destinationPorts: [...new Set(ports)].map(String),
  };
}

/** Configured servers split into addresses and host names (a time server may be given by name). */
export function splitServers(hosts: readonly string[]): { addresses: string[]; fqdns: string[] } {
  const isAddress = (h: string) => ipaddr.isValid(h) || isIpOrCidr(h);
  return { addresses: hosts.filter(isAddress), fqdns: hosts.filter((h) => !isAddress(h)) };
}

// ---- the rule set -----------------------------------------------------------------------------------

function usage(problem: string): UserError {
  return UserError.at(undefined, undefined, problem);
}

function checkSources(sources: readonly string[]): string[] {
  if (sources.length === 0) {
    throw usage("the allow-list needs the stamp's egress range: set egress.sourceAddresses in bridgeguard.yaml or pass --source <cidr> (rules never allow from *)");
  }
  for (const source of sources) {
    if (source === "*" || source.toLowerCase() === "any") {
      throw usage(`source "${source}" would allow every address: give the public VIP /27 the bridge's traffic leaves from`);
    }
    if (!isIpOrCidr(source)) throw usage(`source "${source}": expected an IP address or CIDR range such as 203.0.113.0/27`);
  }
  return [...new Set(sources)];
}

function checkPriority(priority: number, what: string): number {
  if (!Number.isInteger(priority) || priority < MIN_PRIORITY || priority > MAX_PRIORITY) {
    throw usage(`${what} ${priority}: expected an integer from ${MIN_PRIORITY} to ${MAX_PRIORITY}`);
  }
  return priority;
}

function checkName(name: string, what: string): string {
  if (!isAzureName(name)) throw usage(`${what} "${name}": expected 1-80 letters, digits, _ . - (starting with a letter or digit)`);
  return name;
}

/** The catalog's HTTP(S) endpoints as application rules: one per purpose and port set, catalog order. */
function applicationRules(endpoints: readonly CatalogEndpoint[], sources: readonly string[]): AllowApplicationRule[] {
  const groups = new Map<string, { purpose: EndpointPurpose; code: string; ports: EndpointPort[]; hosts: string[] }>();
  const keysOfPurpose = new Map<EndpointPurpose, string[]>();
  for (const endpoint of endpoints) {
    const ports = endpoint.ports.filter((p) => p.protocol === "http" || p.protocol === "https");
    if (ports.length === 0) continue;
    const key = `${endpoint.purpose}|${portsKey(ports)}`;
    const group = groups.get(key);
    if (group) {
      if (!group.hosts.includes(endpoint.host)) group.hosts.push(endpoint.host);
      continue;
    }
    groups.set(key, { purpose: endpoint.purpose, code: endpoint.code, ports, hosts: [endpoint.host] });
    keysOfPurpose.set(endpoint.purpose, [...(keysOfPurpose.get(endpoint.purpose) ?? []), key]);
  }
  return [...groups.values()].map((g) => {
    // A purpose whose endpoints differ in ports (China's HTTP blob store) gets one rule per port set.
    const split = (keysOfPurpose.get(g.purpose) ?? []).length > 1;
    const name = split ? ruleNameOf(g.purpose, ...g.ports.map((p) => p.protocol)) : g.purpose;
    return applicationRuleFor(name, g.purpose, g.code, g.hosts, g.ports, sources);
  });
}

/** NTP and DNS to the configured servers; without them, a note instead of a rule. */
function networkRules(input: AllowRuleSetInput, sources: readonly string[], notes: string[]): AllowNetworkRule[] {
  const rules: AllowNetworkRule[] = [];
  for (const configured of CONFIGURED_ENDPOINTS) {
    const servers = configuredServers(configured, input);
    const flag = configured.configKey === "timeServer" ? "--time-server" : "--dns-server";
    if (servers.length === 0) {
      notes.push(`no ${configured.configKey} configured: no ${configured.purpose === "time" ? "NTP" : "DNS"} rule (set ${configured.configKey} in bridgeguard.yaml or pass ${flag})`);
      continue;
    }
    for (const server of servers) {
      if (!isHostOrIp(server)) throw usage(`${configured.configKey} "${server}": expected a host name or IP address, optionally with :port`);
    }
    const protocols = [...new Set(configured.ports.map((p) => (p.protocol === "udp" ? "UDP" : "TCP")))] as ("TCP" | "UDP")[];
    // A server may name its own port (`10.0.0.10:1123`); group servers by port.
    const byPort = new Map<number, string[]>();
    for (const target of serverTargets(configured, servers)) {
      const list = byPort.get(target.port) ?? [];
      if (!list.includes(target.host)) list.push(target.host);
      byPort.set(target.port, list);
    }
    const name = configured.purpose === "time" ? "ntp" : "dns";
    for (const [port, hosts] of byPort) {
      const ruleName = byPort.size > 1 ? ruleNameOf(name, port) : name;
      const rule = networkRuleFor(ruleName, configured.purpose, configured.code, protocols, splitServers(hosts), [port], sources);
      if (rule.destinationFqdns.length > 0) {
        notes.push(`${configured.configKey} ${rule.destinationFqdns.join(", ")} is a host name: network rule "${ruleName}" names it as an FQDN, which Azure Firewall resolves only with DNS proxy enabled on the policy (dnsSettings.enableProxy)`);
      }
      rules.push(rule);
    }
  }
  return rules;
}

/** The bridge's allow-list as one rule collection group (the neutral model every renderer reads). */
export function buildAllowRuleSet(input: AllowRuleSetInput): AllowRuleSet {
  if (!isCloudName(input.cloud)) throw usage(`cloud "${String(input.cloud)}": expected AzureCloud, AzureUSGovernment or AzureChinaCloud`);
  const sources = checkSources(input.sourceAddresses);
  const priority = checkPriority(input.priority ?? DEFAULT_GROUP_PRIORITY, "rule collection group priority");
  const name = checkName(input.names?.group ?? DEFAULT_GROUP_NAME, "rule collection group name");
  const networkName = checkName(input.names?.networkCollection ?? NETWORK_COLLECTION.name, "network collection name");
  const applicationName = checkName(input.names?.applicationCollection ?? APPLICATION_COLLECTION.name, "application collection name");
  const notes: string[] = [];
  const network = networkRules(input, sources, notes);
  const application = applicationRules(input.all ? catalogEndpoints(input.cloud, { all: true }) : requiredEndpoints(input.cloud), sources);
  const collections: AllowCollection[] = [];
  if (network.length > 0) collections.push({ name: networkName, priority: NETWORK_COLLECTION.priority, action: "Allow", rules: network });
  collections.push({ name: applicationName, priority: APPLICATION_COLLECTION.priority, action: "Allow", rules: application });
  if (input.all) {
    const withPath = catalogEndpoints(input.cloud, { all: true }).filter((e) => e.path !== undefined);
    if (withPath.length > 0) {
      notes.push(
        `the catalog names URL paths for ${[...new Set(withPath.map((e) => e.host))].join(", ")}; the rules allow the whole host (a path rule needs TLS termination, which the bridge does not support)`,
      );
    }
  }
  return { cloud: input.cloud, catalogVersion: CATALOG_VERSION, name, priority, sourceAddresses: sources, collections, notes };
}

/** Every rule of the set, network rules first. */
export function allRules(set: AllowRuleSet): AllowRule[] {
  return set.collections.flatMap((c) => c.rules);
}

/** The hosts a TLS-inspecting proxy must exempt: every HTTPS target of the set, in order, once. */
export function tlsBypassHosts(set: AllowRuleSet): string[] {
  return httpsTargets(allRules(set));
}

/** The TLS-bypass list of a cloud without building a rule set (it needs no source range). */
export function tlsBypassHostsFor(cloud: CloudName, options: { all?: boolean } = {}): string[] {
  return httpsTargets(applicationRules(options.all ? catalogEndpoints(cloud, { all: true }) : requiredEndpoints(cloud), []));
}

function httpsTargets(rules: readonly AllowRule[]): string[] {
  const hosts: string[] = [];
  for (const rule of rules) {
    if (rule.ruleType !== "ApplicationRule" || !rule.protocols.some((p) => p.protocolType === "Https")) continue;
    for (const host of rule.targetFqdns) if (!hosts.includes(host)) hosts.push(host);
  }
  return hosts;
}
