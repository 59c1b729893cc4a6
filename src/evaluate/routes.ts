/**
 * Which route of a route table carries a flow (resources.md, "Routes"): longest-prefix match decides.
 * The bridge's endpoints have no published addresses, so for an FQDN only the routes that cover every
 * public address (0.0.0.0/0) or the endpoint's service tags are sure to apply. A more specific public
 * route may carry some of its addresses only when it is wide enough to hold a block Microsoft's front
 * ends are reached through (`mayHoldNameAddresses`): a host route carries one address, and cannot carry
 * a load-balanced name's addresses (resources.md, "Routes and the five codes").
 */
import type { Route } from "../model/resource";
import { destinationInterval, intervalCovers, isNonPublic, parseAddressEntry, type AddressInterval } from "./addresses";
import { fqdnOf } from "./flow";
import type { FlowDestination } from "./types";

/** Where a route sends traffic: `blackhole` is next hop `None` (Azure drops it). */
export type RouteKind = "internet" | "blackhole" | "gateway" | "appliance" | "vnetLocal";

export interface RouteDecision {
  kind: RouteKind;
  /** The route that applies; undefined when one of Azure's system routes does. */
  route?: Route;
  /** For `appliance`: the next hop (evaluate the firewall with this private IP, if it is in the stack). */
  applianceIp?: string;
  evidence: string[];
  /** Set when some of the destination's addresses may take another route: why. */
  uncertain?: string;
  /** The more specific routes that may carry some of the destination's addresses, and where they lead. */
  alternatives?: { route: Route; kind: RouteKind }[];
}

const KINDS: Readonly<Record<string, RouteKind>> = {
  internet: "internet",
  none: "blackhole",
  virtualnetworkgateway: "gateway",
  virtualappliance: "appliance",
  vnetlocal: "vnetLocal",
};

function kindOf(route: Route): RouteKind | undefined {
  const key = route.nextHopType.toLowerCase();
  return Object.hasOwn(KINDS, key) ? KINDS[key] : undefined;
}

function describeRoute(route: Route): string {
  const hop = route.nextHopIpAddress ? ` ${route.nextHopIpAddress}` : "";
  return `route "${route.name}" (${route.addressPrefix} -> ${route.nextHopType}${hop})`;
}

function decide(route: Route, evidence: string[], uncertain?: string): RouteDecision {
  const kind = kindOf(route);
  if (kind === undefined) {
    return { kind: "blackhole", route, evidence, uncertain: `next hop type "${route.nextHopType}" is not one Azure accepts` };
  }
  return { kind, route, applianceIp: kind === "appliance" ? route.nextHopIpAddress : undefined, evidence, uncertain };
}

interface ParsedRoute {
  route: Route;
  /** `0.0.0.0/0` (or `::/0`): the default route, the shortest prefix there is. */
  everything?: boolean;
  interval?: AddressInterval;
  /** A service-tag prefix (`AzureCloud`, `AzureActiveDirectory`): UDRs accept them. */
  tag?: string;
}

function parseRoutes(routes: readonly Route[]): ParsedRoute[] {
  return routes.map((route) => {
    const entry = parseAddressEntry(route.addressPrefix);
    if (entry.kind === "any") return { route, everything: true };
    if (entry.kind === "interval") return { route, interval: entry.interval };
    return { route, tag: entry.kind === "name" ? entry.text : undefined };
  });
}

/** Longest prefix first: a smaller interval is a longer prefix; the default route comes last. */
function byLongestPrefix(a: ParsedRoute, b: ParsedRoute): number {
  if (!a.interval || !b.interval) return a.interval ? -1 : b.interval ? 1 : 0;
  const sa = a.interval.last - a.interval.first;
  const sb = b.interval.last - b.interval.first;
  return sa < sb ? -1 : sa > sb ? 1 : 0;
}

/**
 * The narrowest prefix that can plausibly carry part of an FQDN's unpublished addresses: the smallest
 * block routed on the Internet (IPv4 /24, IPv6 /48: RFC 7454 section 6.1.3 leaves the limit to each
 * peering, and these are the longest prefixes networks commonly accept), so Microsoft's public front ends
 * are reached through blocks at least this wide. A longer prefix (a host route to a DNS or time server) holds a handful of
 * addresses out of such a block; the addresses a name resolves to through Traffic Manager change, so it
 * cannot be what decides the name's route.
 */
const NARROWEST_NAME_BLOCK: Readonly<Record<AddressInterval["family"], bigint>> = { ipv4: 1n << 8n, ipv6: 1n << 80n };

/** Whether a public prefix is wide enough to carry some of an FQDN's addresses (see `NARROWEST_NAME_BLOCK`). */
export function mayHoldNameAddresses(interval: AddressInterval): boolean {
  return interval.last - interval.first + 1n >= NARROWEST_NAME_BLOCK[interval.family];
}

function prefixSize(interval: AddressInterval): string {
  const size = interval.last - interval.first + 1n;
  return size === 1n ? "one address" : `${size} addresses`;
}

/** Route for an FQDN (or host name): its addresses are some unknown public ones. */
function routeForPublicName(parsed: ParsedRoute[], host: string, serviceTags: readonly string[]): RouteDecision {
  const tagRank = (tag: string): number => {
    // The endpoint's own tags are narrower than AzureCloud; a narrower prefix wins.
    const own = serviceTags.findIndex((t) => t.toLowerCase() === tag.toLowerCase());
    return own >= 0 ? own : tag.toLowerCase() === "azurecloud" ? serviceTags.length : -1;
  };
  const tagged = parsed.filter((p) => p.tag !== undefined && tagRank(p.tag) >= 0).sort((a, b) => tagRank(a.tag ?? "") - tagRank(b.tag ?? ""));
  const defaultRoute = parsed.find((p) => p.everything);
  const applying = tagged[0] ?? defaultRoute;
  const chosenKind = applying ? kindOf(applying.route) : "internet";

  // Routes that may catch some of the name's unpublished addresses: public prefixes and other service tags.
  const isPublicPrefix = (p: ParsedRoute): boolean => p !== applying && p.interval !== undefined && !isNonPublic(p.interval);
  const mayCatch = (p: ParsedRoute): boolean =>
    p !== applying && (p.tag !== undefined ? tagRank(p.tag) < 0 : isPublicPrefix(p) && mayHoldNameAddresses(p.interval!));
  const differing = parsed.filter((p) => mayCatch(p) && kindOf(p.route) !== chosenKind);
  // Narrow public routes that lead elsewhere are named, so a reader sees why they do not change the verdict.
  const tooNarrow = parsed.filter((p) => isPublicPrefix(p) && !mayHoldNameAddresses(p.interval!) && kindOf(p.route) !== chosenKind);
  const evidence = [
    applying
      ? `${describeRoute(applying.route)} applies to ${host}${applying.tag ? ` (service tag ${applying.tag} contains it)` : " (it covers every public address)"}`
      : `no 0.0.0.0/0 route: Azure's system route sends ${host} to the Internet`,
    ...differing.map((p) => `${describeRoute(p.route)} is more specific and may carry some of the addresses of ${host} (Microsoft does not publish them)`),
    ...tooNarrow.map(
      (p) =>
        `${describeRoute(p.route)} holds ${prefixSize(p.interval!)}, too few to carry ${host} (unpublished addresses, reached through blocks of /${p.interval!.family === "ipv4" ? 24 : 48} or wider)`,
    ),
  ];
  const uncertain = differing.length > 0 ? `more specific routes may carry part of ${host}: ${differing.map((p) => p.route.name).join(", ")}` : undefined;
  const alternatives = differing.map((p) => ({ route: p.route, kind: kindOf(p.route) ?? ("blackhole" as const) }));
  if (!applying) return { kind: "internet", evidence, uncertain, alternatives };
  return { ...decide(applying.route, evidence, uncertain), alternatives };
}

/** Route for a literal address (a DNS or time server): longest-prefix match is decidable. */
function routeForAddress(parsed: ParsedRoute[], address: AddressInterval): RouteDecision {
  const containing = parsed.filter((p) => p.everything || (p.interval && intervalCovers(p.interval, address))).sort(byLongestPrefix);
  const tagRoutes = isNonPublic(address) ? [] : parsed.filter((p) => p.tag !== undefined);
  const uncertain =
    tagRoutes.length > 0 ? `service-tag routes may contain ${address.text}: ${tagRoutes.map((p) => `${p.route.name} (${p.tag})`).join(", ")}` : undefined;
  const best = containing[0];
  if (best) {
    // A private address may sit in the virtual network's address space, a peering or a gateway-learned
    // range: system routes the stack does not show, which win when more specific than this route.
    const single = best.interval !== undefined && best.interval.first === best.interval.last;
    const hidden = isNonPublic(address) && !single
      ? `a more specific system route (the virtual network's address space, a peering, a gateway-learned range) would win over ${best.route.addressPrefix} for ${address.text}; the stack does not show them`
      : undefined;
    const doubts = [uncertain, hidden].filter((d): d is string => d !== undefined);
    return decide(best.route, [`${describeRoute(best.route)} is the longest prefix containing ${address.text}`], doubts.length > 0 ? doubts.join("; ") : undefined);
  }
  if (!isNonPublic(address)) {
    return { kind: "internet", evidence: [`no route contains ${address.text}: Azure's system route sends it to the Internet`], uncertain };
  }
  return {
    kind: "vnetLocal",
    evidence: [`no route contains ${address.text}: system routes decide`],
    uncertain: `${address.text} is private: Azure delivers it only inside the virtual network, its peerings or gateway-learned ranges, and drops other RFC 1918 traffic (system route None)`,
  };
}

/**
 * Route for a time or DNS server the configuration names by host name: its address is not known
 * statically and may be private (an on-premises server reached through the virtual network's own routes),
 * so any route of the table leaves the decision open; the public-name route is the likely one.
 */
function routeForHostName(parsed: ParsedRoute[], host: string): RouteDecision {
  const decision = routeForPublicName(parsed, host, []);
  if (parsed.length === 0) return decision;
  const why = `${host} is a host name: its address is not known statically, and a private address would take the virtual network's own routes`;
  return { ...decision, uncertain: decision.uncertain ? `${why}; ${decision.uncertain}` : why };
}

/** The route a flow to this destination takes through a route table's routes. */
export function routeForDestination(routes: readonly Route[], destination: FlowDestination): RouteDecision {
  const parsed = parseRoutes(routes);
  const address = destinationInterval(destination);
  if (address) return routeForAddress(parsed, address);
  const name = fqdnOf(destination);
  if (destination.kind === "address") return routeForHostName(parsed, name.host);
  return routeForPublicName(parsed, name.host, name.serviceTags);
}
