import { catalogEndpoints } from "../../catalog/endpoints";
import type { CloudName } from "../../catalog/clouds";
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
  for (const endpoint of catalogEndpoints(cloud)) {
    if (endpoint.severity !== "error" || seen.has(endpoint.host)) continue;
    seen.add(endpoint.host);
    result.push({
      host: endpoint.host,
      decision: routeForDestination(routes, { kind: "fqdn", host: endpoint.host.toLowerCase(), serviceTags: endpoint.serviceTags }),
    });
  }
  return result;
}

/** Groups endpoints that take the same route, so one finding names the route once. */
export function byRoute(routes: readonly EndpointRoute[], kind: RouteDecision["kind"]): Map<string, EndpointRoute[]> {
  const groups = new Map<string, EndpointRoute[]>();
  for (const entry of routes) {
    if (entry.decision.kind !== kind) continue;
    const key = entry.decision.route ? `${entry.decision.route.name}|${entry.decision.route.addressPrefix}` : "(system)";
    groups.set(key, [...(groups.get(key) ?? []), entry]);
  }
  return groups;
}
