import type { ErrorCode } from "../../catalog/codes";
import type { BridgeguardConfig } from "../../config/types";
import { bridgeFlows, type BridgeFlow } from "../../analysis/flows";
import { routeForDestination, type RouteDecision } from "../../evaluate/routes";
import type { FindingEndpoint, Severity } from "../../model/finding";
import type { Route } from "../../model/resource";

/** One destination of the bridge's flows, the route it takes through one route table, and its flows. */
export interface DestinationRoute {
  /** As findings name it: the catalog host, `DNS server 10.0.0.53`, `time server 10.0.0.10`. */
  host: string;
  decision: RouteDecision;
  /** The bridge's flows to this destination (one per port), each with the code its loss raises. */
  flows: BridgeFlow[];
}

function labelOf(flow: BridgeFlow): string {
  const { host, purpose } = flow.endpoint;
  if (purpose === "dns") return `DNS server ${host}`;
  if (purpose === "time") return `time server ${host}`;
  return host;
}

/**
 * The route each destination of the bridge's flows takes through one route table: the catalog endpoints
 * (no published addresses: the route for "any public address", refined by service-tag routes) and the
 * configured time and DNS servers (literal addresses: longest-prefix match decides; a host name is open).
 * `which` keeps only some flows (BG401 leaves the deployment's own servers out).
 */
export function bridgeDestinationRoutes(routes: readonly Route[], config: BridgeguardConfig, which: (flow: BridgeFlow) => boolean = () => true): DestinationRoute[] {
  const byDestination = new Map<string, DestinationRoute>();
  for (const flow of bridgeFlows(config)) {
    if (!which(flow)) continue;
    const destination = flow.flow.destination;
    const key = destination.kind === "fqdn" ? `fqdn|${destination.host}` : `address|${destination.address.toLowerCase()}|${flow.endpoint.purpose}`;
    const entry = byDestination.get(key);
    if (entry) entry.flows.push(flow);
    else byDestination.set(key, { host: labelOf(flow), decision: routeForDestination(routes, destination), flows: [flow] });
  }
  return [...byDestination.values()];
}

/** One route that sends (or may send) some of the bridge's flows to one kind of next hop, for one code. */
export interface RouteGroup {
  route?: Route;
  /** The code the loss of these flows raises: it follows what the flows serve (resources.md, "Routes and the five codes"). */
  code: ErrorCode;
  /** The flows' own level: the strictest of them. */
  severity: Severity;
  hosts: string[];
  endpoints: FindingEndpoint[];
  evidence: string[];
  /** The route may carry only part of the destinations' addresses, or its next hop is not one Azure knows. */
  undetermined: boolean;
  applianceIp?: string;
}

/**
 * The routes of one next-hop kind among the destinations' decisions: those that apply to every address
 * of a destination, and the more specific ones that may catch some of its unpublished addresses
 * (undetermined). One group per route and code, so a finding names each route once per code: a route
 * that drops identity flows is a `LoginError`, NTP an `Unauthorized`, usage, ARM and DNS a `NetworkError`.
 */
export function routesOfKind(entries: readonly DestinationRoute[], kind: RouteDecision["kind"], codeOf: (flow: BridgeFlow) => ErrorCode = (flow) => flow.code): RouteGroup[] {
  const groups = new Map<string, RouteGroup>();
  // A host:port the catalog lists for two purposes (management.azure.com: ARM and identity) is reported
  // once per route, under the code of its first purpose: one cause names each endpoint once.
  const placed = new Set<string>();
  const add = (route: Route | undefined, entry: DestinationRoute, evidence: string[], undetermined: boolean, applianceIp?: string) => {
    for (const flow of entry.flows) {
      const where = `${route ? `${route.name}|${route.addressPrefix}` : "(system)"}|${undetermined}|${flow.endpoint.host}|${flow.endpoint.port}`;
      if (placed.has(where)) continue;
      placed.add(where);
      const code = codeOf(flow);
      const key = `${route ? `${route.name}|${route.addressPrefix}` : "(system)"}|${undetermined}|${code}`;
      const group = groups.get(key) ?? { route, code, severity: flow.severity, hosts: [], endpoints: [], evidence: [], undetermined, applianceIp };
      if (!group.hosts.includes(entry.host)) group.hosts.push(entry.host);
      if (!group.endpoints.some((e) => e.host === flow.endpoint.host && e.port === flow.endpoint.port && e.purpose === flow.endpoint.purpose)) group.endpoints.push(flow.endpoint);
      for (const line of evidence) if (!group.evidence.includes(line)) group.evidence.push(line);
      if (flow.severity === "error") group.severity = "error";
      groups.set(key, group);
    }
  };
  for (const entry of entries) {
    const { decision } = entry;
    if (decision.kind === kind) {
      const evidence = [...decision.evidence, ...(decision.uncertain ? [`note: ${decision.uncertain}`] : [])];
      add(decision.route, entry, evidence, decision.uncertain !== undefined, decision.applianceIp);
    }
    for (const alternative of decision.alternatives ?? []) {
      if (alternative.kind === kind) add(alternative.route, entry, decision.evidence, true, alternative.route.nextHopIpAddress);
    }
  }
  return [...groups.values()].map((group) => ({ ...group, evidence: foldHosts(group.evidence, group.hosts) }));
}

/**
 * One evidence line per route, not one per host: lines that differ only in the host they name (the same
 * route applying to ten identity hosts) become one line naming the hosts, in their order.
 */
export function foldHosts(evidence: readonly string[], hosts: readonly string[]): string[] {
  const byLength = [...hosts].sort((a, b) => b.length - a.length);
  const templates = new Map<string, { line: string; hosts: string[] }>();
  for (const line of evidence) {
    const host = byLength.find((h) => line.includes(h));
    const template = host === undefined ? line : line.split(host).join("\u0000");
    const seen = templates.get(template);
    if (!seen) templates.set(template, { line, hosts: host === undefined ? [] : [host] });
    else if (host !== undefined && !seen.hosts.includes(host)) seen.hosts.push(host);
  }
  return [...templates.entries()].map(([template, { line, hosts: named }]) => (named.length <= 1 ? line : template.split("\u0000").join(listed(named))));
}

function listed(items: readonly string[]): string {
  return items.length <= 1 ? (items[0] ?? "") : `${items.slice(0, -1).join(", ")} and ${items[items.length - 1]}`;
}
