import type { ChangePropertyFix } from "../model/fix";
import type { ResourceRef, Route } from "../model/resource";
import type { FindingEndpoint } from "../model/finding";
import { bridgeRoutes, dnsServerRoutes, routesOfKind, type RouteGroup } from "./shared/routes";
import type { ResourceRule, Violation } from "./types";

export const defaultRouteBlackHole: ResourceRule = {
  meta: {
    id: "BG205",
    slug: "default-route-black-hole",
    code: "NetworkError",
    severity: "error",
    title: "No route drops the bridge's traffic (next hop None)",
    why: "A route with next hop None drops every packet it matches. On 0.0.0.0/0 (or any prefix that wins for public addresses) it leaves the bridge with no way out; on the prefix of a configured DNS server it leaves it unable to resolve any name: NetworkError.",
    remediation: "Point the default route at the firewall (VirtualAppliance with the firewall's private IP) or at Internet, and remove the None route for public prefixes.",
    scope: "resource",
    appliesTo: ["routeTable", "route"],
  },
  check(resource, { config }) {
    let routes: Route[];
    if (resource.kind === "routeTable") routes = resource.routes;
    else if (resource.kind === "route") routes = [resource.route];
    else return [];
    // One finding per route (the cause), with the bridge endpoints and the DNS servers it drops: a None route
    // to a DNS server drops every lookup, a NetworkError too (error-codes.md).
    const causes = new Map<string, { group: RouteGroup; hosts: string[]; endpoints: FindingEndpoint[]; evidence: string[] }>();
    const add = (group: RouteGroup, endpoint?: FindingEndpoint) => {
      const key = group.route ? `${group.route.name}|${group.route.addressPrefix}|${group.undetermined}` : `(system)|${group.undetermined}`;
      const cause = causes.get(key) ?? { group, hosts: [], endpoints: [], evidence: [] };
      for (const host of group.hosts) if (!cause.hosts.includes(host)) cause.hosts.push(host);
      for (const line of group.evidence) if (!cause.evidence.includes(line)) cause.evidence.push(line);
      if (endpoint) cause.endpoints.push(endpoint);
      causes.set(key, cause);
    };
    for (const group of routesOfKind(bridgeRoutes(routes, config.cloud), "blackhole")) add(group);
    for (const entry of dnsServerRoutes(routes, config.dnsServers)) {
      for (const group of routesOfKind([entry], "blackhole")) add(group, { host: entry.server, port: 53, protocol: "udp", purpose: "dns" });
    }
    return [...causes.values()].map(({ group, hosts, endpoints, evidence }): Violation => {
      const name = group.route ? `route "${group.route.name}" (${group.route.addressPrefix})` : "a route";
      return {
        resource: resource.ref,
        endpoints,
        cause: group.route ? `route "${group.route.name}"` : "a system route",
        message: `${name} ${group.undetermined ? "may drop (undetermined)" : "drops"} traffic to ${hosts.join(", ")}`,
        evidence,
        undetermined: group.undetermined,
        fix: group.route ? nextHopFix(resource.ref, routes, group.route, resource.kind === "route") : undefined,
      };
    });
  },
};

/** The route's next hop changed from None to Internet (or, in words, to the firewall). */
function nextHopFix(resource: ResourceRef, routes: readonly Route[], route: Route, standalone: boolean): ChangePropertyFix | string {
  const description = `Change route "${route.name}" to next hop VirtualAppliance (the firewall's private IP) or Internet.`;
  const index = routes.indexOf(route) >= 0 ? routes.indexOf(route) : routes.findIndex((r) => r.name === route.name && r.addressPrefix === route.addressPrefix);
  if (!standalone && index < 0) return description;
  // Internet is the one-property change that is right whatever the network; to keep the firewall on the
  // path, set VirtualAppliance and nextHopIpAddress instead (the description says so).
  return { kind: "change-property", description, resource, path: standalone ? "nextHopType" : `routes[${index}].nextHopType`, value: "Internet", current: route.nextHopType };
}
