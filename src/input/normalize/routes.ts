import type { Route, RouteTable, StandaloneRoute } from "../../model/resource";
import { canonical, readObjectArray, readString, type Node, type ReadContext } from "../values";
import { nameAfter } from "./armId";
import { baseOf, withBase, required, type SourceResource } from "./common";

const NEXT_HOP_TYPES = ["VirtualNetworkGateway", "VnetLocal", "Internet", "VirtualAppliance", "None"] as const;

/** One route (`RouteResponse`): `addressPrefix`, `nextHopType`, `nextHopIpAddress`. */
export function route(ctx: ReadContext, node: Node, fallbackName: string): Route {
  const r: Route = {
    name: readString(ctx, node, "name") ?? fallbackName,
    addressPrefix: required(ctx, node, "addressPrefix", readString(ctx, node, "addressPrefix"), ""),
    nextHopType: canonical(required(ctx, node, "nextHopType", readString(ctx, node, "nextHopType"), "None"), NEXT_HOP_TYPES),
  };
  const ip = readString(ctx, node, "nextHopIpAddress");
  if (ip !== undefined) r.nextHopIpAddress = ip;
  return r;
}

/** `azure-native:network:RouteTable` / `Microsoft.Network/routeTables`. */
export function normalizeRouteTable(src: SourceResource): RouteTable {
  const { ctx, node } = src;
  return withBase<RouteTable>(baseOf(src), { kind: "routeTable", routes: (readObjectArray(ctx, node, "routes") ?? []).map((r) => route(ctx, r, "")) });
}

/** `azure-native:network:Route` / `Microsoft.Network/routeTables/routes`, joined to its table by name. */
export function normalizeRoute(src: SourceResource): StandaloneRoute {
  const { ctx, node } = src;
  const base = baseOf(src);
  const fallback = readString(ctx, node, "routeName") ?? src.ref.name;
  const r = withBase<StandaloneRoute>(base, { kind: "route", route: route(ctx, node, fallback) });
  const table = (src.armId ? nameAfter(src.armId, "routeTables") : undefined) ?? readString(ctx, node, "routeTableName");
  if (table !== undefined) r.routeTableName = table;
  return r;
}
