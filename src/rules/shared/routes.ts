import { requiredEndpoints } from "../../analysis/flows";
import type { CloudName } from "../../catalog/clouds";
import { parseAddressEntry } from "../../evaluate/addresses";
import { routeForDestination, type RouteDecision } from "../../evaluate/routes";
import type { Route } from "../../model/resource";

export interface EndpointRoute {
  host: string;
  decision: RouteDecision;
}

/**
 * The route each of the bridge's HTTPS endpoints takes through one route table. Endpoint addresses are
 * not published, so this is the route for "any public address", refined by service-tag routes.
 */
export function bridgeRoutes(routes: readonly Route[], cloud: CloudName): EndpointRoute[] {
  const seen = new Set<string>();
  const result: EndpointRoute[] = [];
  for (const endpoint of requiredEndpoints(cloud)) {
    if (endpoint.severity !== "error" || seen.has(endpoint.host)) continue;
    seen.add(endpoint.host);
    result.push({
      host: endpoint.host,
      decision: routeForDestination(routes, { kind: "fqdn", host: endpoint.host.toLowerCase(), serviceTags: endpoint.serviceTags }),
    });
  }
  return result;
}

/**
 * The route to each configured DNS server through one route table: literal addresses, so longest-prefix
 * match decides. A server given by name is left out (its address is not known statically).
 */
export function dnsServerRoutes(routes: readonly Route[], dnsServers: readonly string[]): (EndpointRoute & { server: string })[] {
  return [...new Set(dnsServers)]
    .filter((server) => parseAddressEntry(server).kind === "interval")
    .map((server) => ({ server, host: `DNS server ${server}`, decision: routeForDestination(routes, { kind: "address", address: server }) }));
}

/** One route that sends (or may send) some of the bridge's endpoints to one kind of next hop. */
export interface RouteGroup {
  route?: Route;
  hosts: string[];
  evidence: string[];
  /** The route may carry only part of the endpoints' addresses, or its next hop is not one Azure knows. */
  undetermined: boolean;
  applianceIp?: string;
}

/**
 * The routes of one next-hop kind among the endpoints' decisions: those that apply to every address of
 * an endpoint, and the more specific ones that may catch some of its unpublished addresses (undetermined).
 * One group per route, so a finding names each route once.
 */
export function routesOfKind(entries: readonly EndpointRoute[], kind: RouteDecision["kind"]): RouteGroup[] {
  const groups = new Map<string, RouteGroup>();
  const add = (route: Route | undefined, host: string, evidence: string[], undetermined: boolean, applianceIp?: string) => {
    const key = `${route ? `${route.name}|${route.addressPrefix}` : "(system)"}|${undetermined}`;
    const group = groups.get(key) ?? { route, hosts: [], evidence, undetermined, applianceIp };
    group.hosts.push(host);
    groups.set(key, group);
  };
  for (const { host, decision } of entries) {
    if (decision.kind === kind) {
      const evidence = [...decision.evidence, ...(decision.uncertain ? [`note: ${decision.uncertain}`] : [])];
      add(decision.route, host, evidence, decision.uncertain !== undefined, decision.applianceIp);
    }
    for (const alternative of decision.alternatives ?? []) {
      if (alternative.kind === kind) add(alternative.route, host, decision.evidence, true, alternative.route.nextHopIpAddress);
    }
  }
  return [...groups.values()];
}
