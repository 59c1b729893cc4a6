import type { ChangePropertyFix } from "../model/fix";
import type { ResourceRef, Route } from "../model/resource";
import { bridgeDestinationRoutes, routesOfKind } from "./shared/routes";
import type { ResourceRule, Violation } from "./types";

export const defaultRouteBlackHole: ResourceRule = {
  meta: {
    id: "BG205",
    slug: "default-route-black-hole",
    code: "NetworkError",
    severity: "error",
    title: "No route drops the bridge's traffic (next hop None)",
    why: "A route with next hop None drops every packet it matches. On 0.0.0.0/0 (or any prefix that wins for public addresses) it leaves the bridge with no way out; on the prefix of a configured DNS server it leaves it unable to resolve any name: NetworkError. The code follows what the dropped flows serve: the Azure AD login endpoints give LoginError, NTP to the time server Unauthorized. A host route (/32, /128) or any prefix longer than /24 (IPv6 /48) holds too few addresses to carry an endpoint's unpublished, load-balanced addresses: beside a None default route it does not save the endpoints.",
    remediation: "Point the default route at the firewall (VirtualAppliance with the firewall's private IP) or at Internet, and remove the None route for public prefixes.",
    scope: "resource",
    appliesTo: ["routeTable", "route"],
    otherCodes: [
      { code: "LoginError", when: "the route drops the Azure AD login endpoints" },
      { code: "Unauthorized", when: "the route drops NTP to the configured time server" },
    ],
  },
  check(resource, { config }) {
    let routes: Route[];
    if (resource.kind === "routeTable") routes = resource.routes;
    else if (resource.kind === "route") routes = [resource.route];
    else return [];
    // One finding per route and code (the cause), with every flow it drops: the code follows what the flows
    // serve (resources.md, "Routes and the five codes"): identity LoginError, NTP Unauthorized, usage, ARM and
    // DNS NetworkError (a None route to a DNS server drops every lookup).
    return routesOfKind(bridgeDestinationRoutes(routes, config), "blackhole").map((group): Violation => {
      const name = group.route ? `route "${group.route.name}" (${group.route.addressPrefix})` : "a route";
      return {
        resource: resource.ref,
        code: group.code,
        severity: group.severity,
        endpoints: group.endpoints,
        cause: group.route ? `route "${group.route.name}"` : "a system route",
        message: `${name} ${group.undetermined ? "may drop (undetermined)" : "drops"} traffic to ${group.hosts.join(", ")}`,
        evidence: group.evidence,
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
