import { describe, expect, it } from "vitest";
import { parseAddressEntry } from "../../src/evaluate/addresses";
import { mayHoldNameAddresses, routeForDestination, type RouteKind } from "../../src/evaluate/routes";
import type { FlowDestination } from "../../src/evaluate/types";
import type { Route } from "../../src/model/resource";
import { route } from "./fixtures";
import { foldHosts } from "../../src/rules/shared/routes";

const usage: FlowDestination = { kind: "fqdn", host: "*.trafficmanager.net", serviceTags: [] };
const login: FlowDestination = { kind: "fqdn", host: "login.microsoftonline.com", serviceTags: ["AzureActiveDirectory"] };

interface RouteCase {
  name: string;
  routes: Route[];
  destination?: FlowDestination;
  kind: RouteKind;
  route?: string;
  applianceIp?: string;
  uncertain?: string;
}

const cases: RouteCase[] = [
  { name: "no routes: system route to the Internet", routes: [], kind: "internet" },
  { name: "0.0.0.0/0 to Internet", routes: [route()], kind: "internet", route: "default" },
  { name: "black hole: 0.0.0.0/0 to None", routes: [route({ nextHopType: "None" })], kind: "blackhole", route: "default" },
  {
    name: "forced tunnel to a VirtualAppliance",
    routes: [route({ nextHopType: "VirtualAppliance", nextHopIpAddress: "10.0.1.4" })],
    kind: "appliance",
    applianceIp: "10.0.1.4",
  },
  { name: "default route into a VirtualNetworkGateway", routes: [route({ nextHopType: "VirtualNetworkGateway" })], kind: "gateway" },
  {
    name: "a more specific public route is noted",
    routes: [route(), route({ name: "drop-20", addressPrefix: "20.0.0.0/8", nextHopType: "None" })],
    kind: "internet",
    route: "default",
    uncertain: "drop-20",
  },
  { name: "a more specific private route is not noted", routes: [route(), route({ name: "spoke", addressPrefix: "10.0.0.0/8", nextHopType: "VirtualAppliance", nextHopIpAddress: "10.0.1.4" })], kind: "internet" },
  {
    name: "an AzureCloud service-tag route beats 0.0.0.0/0",
    routes: [route(), route({ name: "azure", addressPrefix: "AzureCloud", nextHopType: "VirtualAppliance", nextHopIpAddress: "10.0.1.4" })],
    kind: "appliance",
    route: "azure",
  },
  {
    name: "the endpoint's own tag beats AzureCloud",
    routes: [route({ name: "azure", addressPrefix: "AzureCloud", nextHopType: "None" }), route({ name: "aad", addressPrefix: "AzureActiveDirectory", nextHopType: "Internet" })],
    destination: login,
    kind: "internet",
    route: "aad",
  },
  {
    name: "longest prefix for the time server's address",
    routes: [route({ nextHopType: "VirtualAppliance", nextHopIpAddress: "10.0.1.4" }), route({ name: "ntp", addressPrefix: "20.101.0.0/16", nextHopType: "Internet" })],
    destination: { kind: "address", address: "20.101.57.9" },
    kind: "internet",
    route: "ntp",
  },
  {
    name: "other addresses take the default route",
    routes: [route({ nextHopType: "VirtualAppliance", nextHopIpAddress: "10.0.1.4" }), route({ name: "ntp", addressPrefix: "20.101.0.0/16", nextHopType: "Internet" })],
    destination: { kind: "address", address: "8.8.8.8" },
    kind: "appliance",
    route: "default",
  },
  {
    name: "on-premises DNS through the gateway (a more specific system route, unseen, could still win)",
    routes: [route({ name: "onprem", addressPrefix: "10.50.0.0/16", nextHopType: "VirtualNetworkGateway" })],
    destination: { kind: "address", address: "10.50.0.53" },
    kind: "gateway",
    route: "onprem",
    uncertain: "a more specific system route (the virtual network's address space",
  },
  {
    name: "a host route to a private address is certain",
    routes: [route({ name: "dns", addressPrefix: "10.50.0.53/32", nextHopType: "None" })],
    destination: { kind: "address", address: "10.50.0.53" },
    kind: "blackhole",
    route: "dns",
  },
  {
    name: "private address without a route: system routes, uncertain",
    routes: [],
    destination: { kind: "address", address: "10.50.0.53" },
    kind: "vnetLocal",
    uncertain: "system route None",
  },
  {
    name: "a time server given by host name: the public route is likely, but a private address would take the network's own routes (undetermined)",
    routes: [route({ nextHopType: "None" })],
    destination: { kind: "address", address: "ntp.corp.local" },
    kind: "blackhole",
    uncertain: "ntp.corp.local is a host name: its address is not known statically",
  },
  { name: "a time server host name without routes: Azure's system route", routes: [], destination: { kind: "address", address: "ntp.corp.local" }, kind: "internet" },
  // resources.md, "Routes and the five codes": a /32 carries one address, not a wildcard's Traffic Manager addresses.
  {
    name: "host routes (/32) beside a None default route do not carry an FQDN",
    routes: [route({ name: "drop", nextHopType: "None" }), route({ name: "dns", addressPrefix: "8.8.8.8/32" }), route({ name: "ntp", addressPrefix: "20.101.57.9/32" })],
    kind: "blackhole",
    route: "drop",
  },
  {
    name: "an IPv6 host route (/128) does not carry an FQDN either",
    routes: [route({ name: "drop", nextHopType: "None" }), route({ name: "v6", addressPrefix: "2001:db8::53/128" })],
    kind: "blackhole",
    route: "drop",
  },
  {
    name: "a /25 is narrower than any block routed on the Internet: no doubt",
    routes: [route({ name: "drop", nextHopType: "None" }), route({ name: "narrow", addressPrefix: "20.101.57.0/25" })],
    kind: "blackhole",
    route: "drop",
  },
  {
    name: "a /24 may carry part of an FQDN's addresses (undetermined)",
    routes: [route({ name: "drop", nextHopType: "None" }), route({ name: "wide", addressPrefix: "20.101.57.0/24" })],
    kind: "blackhole",
    route: "drop",
    uncertain: "wide",
  },
  {
    name: "an IPv6 /48 may carry part of an FQDN's addresses (undetermined)",
    routes: [route({ name: "drop", nextHopType: "None" }), route({ name: "wide6", addressPrefix: "2603:1000:4::/48" })],
    kind: "blackhole",
    route: "drop",
    uncertain: "wide6",
  },
  {
    name: "a host route that drops beside an Internet default route does not make the FQDN uncertain",
    routes: [route(), route({ name: "drop-one", addressPrefix: "20.101.57.9/32", nextHopType: "None" })],
    kind: "internet",
    route: "default",
  },
];

describe("routeForDestination", () => {
  it.each(cases)("$name", (c) => {
    const decision = routeForDestination(c.routes, c.destination ?? usage);
    expect(decision.kind).toBe(c.kind);
    if (c.route) expect(decision.route?.name).toBe(c.route);
    if (c.applianceIp) expect(decision.applianceIp).toBe(c.applianceIp);
    if (c.uncertain) expect(decision.uncertain).toContain(c.uncertain);
    else expect(decision.uncertain).toBeUndefined();
    expect(decision.evidence.length).toBeGreaterThan(0);
  });

  it("names the host routes it set aside as too narrow, with their size", () => {
    const decision = routeForDestination([route({ name: "drop", nextHopType: "None" }), route({ name: "dns", addressPrefix: "8.8.8.8/32" })], usage);
    expect(decision.evidence).toContain('route "dns" (8.8.8.8/32 -> Internet) holds one address, too few to carry *.trafficmanager.net (unpublished addresses, reached through blocks of /24 or wider)');
  });
});

describe("mayHoldNameAddresses", () => {
  const interval = (prefix: string) => {
    const entry = parseAddressEntry(prefix);
    if (entry.kind !== "interval") throw new Error(prefix);
    return entry.interval;
  };
  it.each([
    ["20.0.0.0/8", true],
    ["20.101.57.0/24", true],
    ["20.101.57.0/25", false],
    ["20.101.57.9/32", false],
    ["2603:1000::/32", true],
    ["2603:1000:4::/48", true],
    ["2603:1000:4::/49", false],
    ["2001:db8::53/128", false],
  ])("%s: %s", (prefix, expected) => {
    expect(mayHoldNameAddresses(interval(prefix))).toBe(expected);
  });
});

describe("foldHosts: one evidence line per route", () => {
  it("folds lines that differ only in the host, keeps the others, and leaves a single host's line alone", () => {
    const evidence = [
      'route "default" (0.0.0.0/0 -> None) applies to a.example.com (it covers every public address)',
      'route "default" (0.0.0.0/0 -> None) applies to *.b.example.com (it covers every public address)',
      'route "onprem" (20.0.0.0/8 -> VirtualNetworkGateway) is more specific and may carry some of the addresses of a.example.com',
      "note: something else",
    ];
    expect(foldHosts(evidence, ["a.example.com", "*.b.example.com"])).toEqual([
      'route "default" (0.0.0.0/0 -> None) applies to a.example.com and *.b.example.com (it covers every public address)',
      'route "onprem" (20.0.0.0/8 -> VirtualNetworkGateway) is more specific and may carry some of the addresses of a.example.com',
      "note: something else",
    ]);
  });
});
