import { describe, expect, it } from "vitest";
import { parseAddressEntry } from "../../src/evaluate/addresses";
import { ipv4CidrBounds, selectPath } from "../../src/evaluate/path";
import type { BridgePath } from "../../src/model/path";
import type { NetworkInterface, Resource, Subnet, SubnetLinks, VirtualNetwork } from "../../src/model/resource";
import { azureFirewall, dnsFlow, firewallPolicy, httpsFlow, loginFlow, nsg, ref, resourceSet, route, routeTable, standaloneRoute, VIP } from "./fixtures";

const SUB = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/hub/providers/Microsoft.Network";
const NSG_ID = `${SUB}/networkSecurityGroups/egress-nsg`;
const RT_ID = `${SUB}/routeTables/egress-rt`;
const flows = [httpsFlow(), loginFlow(), dnsFlow()];

function subnet(name: string, prefix: string, links: Partial<SubnetLinks> = {}, overrides: Partial<Subnet> = {}): Subnet {
  return {
    kind: "subnet",
    ref: ref("Subnet", name),
    armId: `${SUB}/virtualNetworks/hub-vnet/subnets/${name}`,
    resourceGroup: "hub",
    unknowns: [],
    virtualNetworkName: "hub-vnet",
    subnet: { name, armId: `${SUB}/virtualNetworks/hub-vnet/subnets/${name}`, addressPrefixes: [prefix], ...links },
    ...overrides,
  };
}

function nic(name: string, overrides: Partial<NetworkInterface> = {}): NetworkInterface {
  return { kind: "networkInterface", ref: ref("NetworkInterface", name), resourceGroup: "hub", unknowns: [], ipConfigurations: [], ...overrides };
}

function path(resources: Resource[], options: { sources?: string[] | null; selection?: string[] } = {}): BridgePath {
  const sources = options.sources === null ? undefined : (options.sources ?? [VIP]);
  return selectPath(resourceSet(...resources), { sources, selection: options.selection ?? [], flows }).path;
}

const names = (gates: BridgePath["onPath"]) => gates.map((g) => `${g.kind}:${g.name}:${g.basis}`);

describe("selectPath: NSGs by attachment", () => {
  it.each([
    { name: "attached to the subnet holding the egress sources", resources: [subnet("vip", "203.0.113.0/26", { networkSecurityGroupId: NSG_ID })], on: "attachment" },
    { name: "attached by a NIC whose private IP is an egress source", resources: [nic("vip-nic", { networkSecurityGroupId: NSG_ID, ipConfigurations: [{ privateIpAddress: "203.0.113.5" }] })], on: "attachment" },
    {
      name: "attached by a NIC in the egress sources' subnet",
      resources: [subnet("vip", "203.0.113.0/27"), nic("vip-nic", { networkSecurityGroupId: NSG_ID, ipConfigurations: [{ subnetId: `${SUB}/virtualNetworks/hub-vnet/subnets/vip` }] })],
      on: "attachment",
    },
    { name: "no attachment shown", resources: [], on: "assumed" },
    { name: "attached by a NIC whose subnet is not in the stack", resources: [nic("nic", { networkSecurityGroupId: NSG_ID, ipConfigurations: [{ subnetId: `${SUB}/virtualNetworks/x/subnets/y` }] })], on: "assumed" },
    { name: "attached to a subnet whose prefix is unknown until apply", resources: [subnet("w", "", { networkSecurityGroupId: NSG_ID, addressPrefixes: [] }, { unknowns: ["addressPrefix"] })], on: "assumed" },
    { name: "attached only to a workload subnet", resources: [subnet("workload", "10.1.0.0/24", { networkSecurityGroupId: NSG_ID })], off: "attachment" },
    {
      name: "attached to a workload subnet inline in its virtual network",
      resources: [
        {
          kind: "virtualNetwork",
          ref: ref("VirtualNetwork", "spoke"),
          resourceGroup: "hub",
          unknowns: [],
          subnets: [{ name: "workload", addressPrefixes: ["10.1.0.0/24"], networkSecurityGroupId: NSG_ID.toUpperCase() }],
        } satisfies VirtualNetwork,
      ],
      off: "attachment",
    },
    { name: "attached only to a NIC outside the egress sources", resources: [nic("vm-nic", { networkSecurityGroupId: NSG_ID, ipConfigurations: [{ privateIpAddress: "10.1.0.4" }] })], off: "attachment" },
  ])("$name", ({ resources, on, off }) => {
    const p = path([nsg(), ...resources]);
    if (on) {
      expect(names(p.onPath)).toEqual([`networkSecurityGroup:egress-nsg:${on}`]);
      expect(p.leftOut).toEqual([]);
    } else {
      expect(p.onPath).toEqual([]);
      expect(names(p.leftOut)).toEqual([`networkSecurityGroup:egress-nsg:${off}`]);
      expect(p.leftOut[0]!.reason).toContain(`not contain the egress sources ${VIP}`);
    }
  });

  it("keeps an attached NSG when the egress sources are not configured, and says so once", () => {
    const p = path([nsg(), nsg({ ref: ref("NetworkSecurityGroup", "other"), armId: `${SUB}/networkSecurityGroups/other` }), subnet("w", "10.1.0.0/24", { networkSecurityGroupId: NSG_ID }), subnet("v", "10.2.0.0/24", { networkSecurityGroupId: `${SUB}/networkSecurityGroups/other` })], { sources: null });
    expect(names(p.onPath)).toEqual(["networkSecurityGroup:egress-nsg:assumed", "networkSecurityGroup:other:assumed"]);
    expect(p.assumptions).toEqual(["egress.sourceAddresses is not configured: attached network security groups are kept on the path"]);
  });

  it("says once how many NSGs show no attachment", () => {
    const p = path([nsg(), nsg({ ref: ref("NetworkSecurityGroup", "other"), armId: `${SUB}/networkSecurityGroups/other` })]);
    expect(p.assumptions).toEqual(["2 network security group(s) show no subnet or network interface attachment in the stack: kept on the path"]);
  });
});

describe("selectPath: firewall policies", () => {
  const unattached = firewallPolicy({ ref: ref("FirewallPolicy", "app-policy"), armId: `${SUB}/firewallPolicies/app-policy` });

  it("leaves out a policy attached to no firewall of a stack that has firewalls", () => {
    const p = path([azureFirewall(), firewallPolicy(), unattached]);
    expect(names(p.leftOut)).toEqual(["firewallPolicy:app-policy:unattached-policy"]);
    expect(names(p.onPath)).toEqual(["azureFirewall:hub-fw:assumed"]);
  });

  it("keeps a policy when the stack has no firewall", () => {
    const p = path([unattached]);
    expect(names(p.onPath)).toEqual(["firewallPolicy:app-policy:assumed"]);
    expect(p.assumptions).toContain("the stack has no firewall: its firewall policies are evaluated as if a firewall on the path ran them");
  });

  it("never makes a parent policy (basePolicy) a gate of its own", () => {
    const parent = firewallPolicy({ ref: ref("FirewallPolicy", "base"), armId: `${SUB}/firewallPolicies/base` });
    const p = path([azureFirewall(), firewallPolicy({ basePolicyId: `${SUB}/firewallPolicies/base` }), parent]);
    expect([...names(p.onPath), ...names(p.leftOut)]).toEqual(["azureFirewall:hub-fw:assumed"]);
  });

  it("keeps an unattached policy while a firewall's policy is unknown until apply", () => {
    const p = path([azureFirewall({ firewallPolicyId: undefined, unknowns: ["firewallPolicy"] }), unattached]);
    expect(names(p.onPath)).toContain("firewallPolicy:app-policy:assumed");
  });
});

describe("selectPath: firewalls by routing", () => {
  const toFirewall = route({ name: "forced", nextHopType: "VirtualAppliance", nextHopIpAddress: "10.0.1.4" });

  it.each([
    { name: "default route to the firewall's private IP", routes: [toFirewall], on: "routing" },
    { name: "default route to a virtual network gateway", routes: [route({ name: "to-onprem", nextHopType: "VirtualNetworkGateway" })], off: "virtual network gateway" },
    { name: "default route to the Internet", routes: [route({ name: "out", nextHopType: "Internet" })], off: "straight to the Internet" },
    { name: "default route None", routes: [route({ name: "drop", nextHopType: "None" })], off: "drops the flows" },
    { name: "default route to another appliance", routes: [route({ name: "nva", nextHopType: "VirtualAppliance", nextHopIpAddress: "10.9.9.9" })], off: "not to this firewall" },
  ])("$name", ({ routes, on, off }) => {
    // The DNS server's route is a /32 so that no hidden system route can win over it.
    const dns = route({ name: "dns", addressPrefix: "10.50.0.53/32", nextHopType: routes[0]!.nextHopType, nextHopIpAddress: routes[0]!.nextHopIpAddress });
    const p = path([azureFirewall(), firewallPolicy(), routeTable({ routes: [...routes, dns] })]);
    if (on) {
      expect(names(p.onPath)).toEqual([`azureFirewall:hub-fw:${on}`]);
      expect(p.onPath[0]!.reason).toContain('route "forced" (0.0.0.0/0 -> VirtualAppliance 10.0.1.4) leads to it');
    } else {
      expect(names(p.leftOut)).toEqual(["azureFirewall:hub-fw:routing"]);
      expect(p.leftOut[0]!.reason).toContain(off);
    }
    expect(p.routeTables.map((t) => `${t.name}:${t.basis}`)).toEqual(["egress-rt:assumed"]);
  });

  it("keeps the firewall for the flows a more specific route sends to it, and names the flows routed around it", () => {
    const p = path([azureFirewall(), firewallPolicy(), routeTable({ routes: [route({ name: "to-onprem", nextHopType: "VirtualNetworkGateway" }), route({ name: "dns", addressPrefix: "10.50.0.53/32", nextHopType: "VirtualAppliance", nextHopIpAddress: "10.0.1.4" })] })]);
    expect(names(p.onPath)).toEqual(["azureFirewall:hub-fw:routing"]);
    expect(p.onPath[0]!.bypassed?.flows).toEqual(["*.trafficmanager.net:443/tcp", "login.microsoftonline.com:443/tcp"]);
    const selection = selectPath(resourceSet(azureFirewall(), firewallPolicy(), routeTable({ routes: [route({ nextHopType: "VirtualNetworkGateway" }), route({ name: "dns", addressPrefix: "10.50.0.53/32", nextHopType: "VirtualAppliance", nextHopIpAddress: "10.0.1.4" })] })), { sources: [VIP], selection: [], flows });
    expect(flows.map((f) => selection.bypasses(azureFirewall().ref, f))).toEqual([true, true, false]);
  });

  it("joins standalone routes to their table", () => {
    const p = path([azureFirewall(), firewallPolicy(), routeTable({ routes: [] }), standaloneRoute({ route: route({ nextHopType: "VirtualNetworkGateway" }) }), standaloneRoute({ ref: ref("Route", "dns"), route: route({ name: "dns", addressPrefix: "10.50.0.53/32", nextHopType: "None" }) })]);
    expect(names(p.leftOut)).toEqual(["azureFirewall:hub-fw:routing"]);
  });

  it("reads only the route tables attached to the egress sources' subnet when the stack shows attachments", () => {
    const workload = routeTable({ ref: ref("RouteTable", "workload-rt"), armId: `${SUB}/routeTables/workload-rt`, routes: [route({ nextHopType: "VirtualNetworkGateway" })] });
    const vip = routeTable({ armId: RT_ID, routes: [route({ nextHopType: "VirtualAppliance", nextHopIpAddress: "10.0.1.4" })] });
    const p = path([
      azureFirewall(),
      firewallPolicy(),
      workload,
      vip,
      subnet("vip", VIP, { routeTableId: RT_ID }),
      subnet("workload", "10.1.0.0/24", { routeTableId: `${SUB}/routeTables/workload-rt` }),
    ]);
    expect(p.routeTables.map((t) => `${t.name}:${t.basis}`)).toEqual(["egress-rt:attachment"]);
    expect(names(p.onPath)).toEqual(["azureFirewall:hub-fw:routing"]);
  });

  it("keeps the firewall when no route table applies, and says so once", () => {
    const p = path([azureFirewall(), azureFirewall({ ref: ref("AzureFirewall", "fw2"), armId: `${SUB}/azureFirewalls/fw2` }), firewallPolicy()]);
    expect(names(p.onPath)).toEqual(["azureFirewall:hub-fw:assumed", "azureFirewall:fw2:assumed"]);
    expect(p.assumptions).toEqual(["no route table of the stack applies to the egress sources: the firewalls are kept on the path"]);
  });

  it("keeps the firewall when its private IP is not known (a route to an appliance may be it)", () => {
    const p = path([azureFirewall({ privateIpAddresses: [] }), firewallPolicy(), routeTable({ routes: [route({ nextHopType: "VirtualAppliance", nextHopIpAddress: "10.0.1.4" })] })]);
    expect(names(p.onPath)).toEqual(["azureFirewall:hub-fw:assumed"]);
  });
});

describe("selectPath: egress.resources overrides", () => {
  it("puts exactly the named gates on the path", () => {
    const p = path([azureFirewall(), firewallPolicy(), nsg(), subnet("vip", VIP, { networkSecurityGroupId: NSG_ID }), routeTable({ routes: [route({ nextHopType: "VirtualNetworkGateway" })] })], {
      selection: ["hub-fw"],
    });
    expect(names(p.onPath)).toEqual(["azureFirewall:hub-fw:selected"]);
    expect(names(p.leftOut)).toEqual(["networkSecurityGroup:egress-nsg:not-selected"]);
  });
});

describe("ipv4CidrBounds: the quick read of a subnet prefix agrees with the full parse", () => {
  const full = (text: string) => {
    const entry = parseAddressEntry(text);
    return entry.kind === "interval" && entry.interval.family === "ipv4" ? { first: Number(entry.interval.first), last: Number(entry.interval.last) } : undefined;
  };

  it("gives the network and broadcast address of every canonical CIDR, and leaves everything else to the full parse", () => {
    const canonical = ["10.0.0.0/8", "10.1.2.3/24", "203.0.113.0/27", "255.255.255.255/32", "0.0.0.0/1", "128.0.0.0/1", "192.168.1.77/31", "1.2.3.4/32"];
    for (const text of canonical) {
      expect(ipv4CidrBounds(text), text).toEqual(full(text));
      expect(ipv4CidrBounds(text), text).toBeDefined();
    }
    // Not read quickly: "any", leading zeros, out-of-range parts or lengths, spaces, IPv6, ranges, single addresses.
    for (const text of ["0.0.0.0/0", "10.0.0.0/0", "010.0.0.0/8", "10.0.0.0/08", "256.0.0.0/8", "10.0.0.0/33", " 10.0.0.0/8", "10.0.0.0/8 ", "fd00::/8", "10.0.0.1-10.0.0.9", "10.0.0.1", "10.0.0/24"]) {
      expect(ipv4CidrBounds(text), text).toBeUndefined();
    }
  });

  it("agrees on random prefixes", () => {
    let seed = 7;
    const next = (n: number) => (seed = (seed * 1103515245 + 12345) % 2 ** 31) % n;
    for (let i = 0; i < 2000; i++) {
      const text = `${next(256)}.${next(256)}.${next(256)}.${next(256)}/${1 + next(32)}`;
      expect(ipv4CidrBounds(text), text).toEqual(full(text));
    }
  });
});
