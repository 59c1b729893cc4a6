import type { Route } from "../model/resource";
import { bridgeRoutes, byRoute } from "./shared/routes";
import type { ResourceRule } from "./types";

export const defaultRouteBlackHole: ResourceRule = {
  meta: {
    id: "BG205",
    slug: "default-route-black-hole",
    code: "NetworkError",
    severity: "error",
    title: "No route drops the bridge's traffic (next hop None)",
    why: "A route with next hop None drops every packet it matches. On 0.0.0.0/0 (or any prefix that wins for public addresses) it leaves the bridge with no way out: NetworkError.",
    remediation: "Point the default route at the firewall (VirtualAppliance with the firewall's private IP) or at Internet, and remove the None route for public prefixes.",
    scope: "resource",
    appliesTo: ["routeTable", "route"],
  },
  check(resource, { config }) {
    let routes: Route[];
    if (resource.kind === "routeTable") routes = resource.routes;
    else if (resource.kind === "route") routes = [resource.route];
    else return [];
    return [...byRoute(bridgeRoutes(routes, config.cloud), "blackhole").values()].map((entries) => {
      const decision = entries[0]!.decision;
      return {
        resource: resource.ref,
        message: `${decision.route ? `route "${decision.route.name}" (${decision.route.addressPrefix})` : "a route"} drops traffic to ${entries.map((e) => e.host).join(", ")}`,
        evidence: [...decision.evidence, ...(decision.uncertain ? [`note: ${decision.uncertain}`] : [])],
        severity: decision.uncertain ? ("warning" as const) : undefined,
        fix: decision.route ? `Change route "${decision.route.name}" to next hop VirtualAppliance (the firewall's private IP) or Internet.` : undefined,
      };
    });
  },
};
