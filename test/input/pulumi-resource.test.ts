import { describe, expect, it } from "vitest";
import { kindOfArmType, kindOfPulumiType, normalizePulumiResource, splitProviderReference, urnName } from "../../src/input";
import { inputError } from "./helpers";

const SUB = "11111111-2222-3333-4444-555555555555";

describe("normalizePulumiResource", () => {
  it("normalizes planned inputs (policy pack analyze): no id, subscription from the provider", () => {
    const r = normalizePulumiResource(
      {
        type: "azure-native:azurestack:Registration",
        urn: "urn:pulumi:dev::stamp::azure-native:azurestack:Registration::reg",
        name: "reg",
        props: { location: "global", registrationName: "AzureStack-abc", resourceGroup: "azurestack", registrationToken: "unwrapped-by-the-engine" },
        protect: false,
        provider: { urn: "urn:pulumi:dev::stamp::pulumi:providers:azure-native::default", props: { subscriptionId: SUB, location: "westeurope" } },
      },
      "policy pack",
    );
    expect(r).toEqual({
      kind: "registration",
      ref: { urn: "urn:pulumi:dev::stamp::azure-native:azurestack:Registration::reg", type: "azure-native:azurestack:Registration", name: "reg" },
      subscriptionId: SUB,
      resourceGroup: "azurestack",
      protect: false,
      registrationName: "AzureStack-abc",
      location: "global",
      unknowns: [],
    });
    expect(JSON.stringify(r)).not.toContain("unwrapped-by-the-engine");
  });

  it("normalizes an invoke result (program): id from props, name from the id", () => {
    const id = "/subscriptions/s1/resourceGroups/azurestack/providers/Microsoft.AzureStack/registrations/testregistration";
    const r = normalizePulumiResource(
      { type: "azure-native:azurestack:Registration", urn: id, name: "testregistration", props: { id, name: "azurestack", location: "global", objectId: "o", type: "Microsoft.AzureStack/registrations" } },
      "program",
    );
    expect(r).toMatchObject({ kind: "registration", armId: id, subscriptionId: "s1", resourceGroup: "azurestack", registrationName: "testregistration", objectId: "o" });
    expect(r.protect).toBeUndefined();
  });

  it("a planned rule collection group with an unknown priority and policy name", () => {
    const r = normalizePulumiResource(
      {
        type: "azure-native:network:FirewallPolicyRuleCollectionGroup",
        urn: "urn:pulumi:dev::hub::azure-native:network:FirewallPolicyRuleCollectionGroup::g",
        name: "g",
        props: {
          firewallPolicyName: "04da6b54-80e4-46f7-96ec-b56ff0331ba9",
          resourceGroupName: "rg",
          priority: "04da6b54-80e4-46f7-96ec-b56ff0331ba9",
          ruleCollections: [
            {
              ruleCollectionType: "FirewallPolicyFilterRuleCollection",
              name: "c",
              priority: 100,
              action: { type: "allow" },
              rules: [{ ruleType: "NetworkRule", name: "n", ipProtocols: ["udp"], destinationPorts: ["123"], sourceAddresses: ["*"], destinationAddresses: ["*"] }],
            },
          ],
        },
        provider: "urn:pulumi:dev::hub::pulumi:providers:azure-native::default::id",
      },
      "policy pack",
    );
    expect(r).toMatchObject({ kind: "ruleCollectionGroup", resourceGroup: "rg", priority: Number.MAX_SAFE_INTEGER });
    expect(r.subscriptionId).toBeUndefined();
    expect([...r.unknowns].sort()).toEqual(["firewallPolicyName", "priority"]);
    if (r.kind !== "ruleCollectionGroup") throw new Error("kind");
    expect(r.firewallPolicyName).toBeUndefined();
    // Azure's spelling whatever the case written.
    expect(r.ruleCollections[0]).toMatchObject({ action: "Allow", rules: [{ ipProtocols: ["UDP"] }] });
  });

  it("standalone security rule and route: names and joins from inputs", () => {
    const rule = normalizePulumiResource(
      {
        type: "azure-native:network:SecurityRule",
        urn: "urn:pulumi:dev::hub::azure-native:network:SecurityRule::allow-https",
        name: "allow-https",
        props: {
          networkSecurityGroupName: "nsg",
          resourceGroupName: "rg",
          access: "allow",
          direction: "outbound",
          priority: 100,
          protocol: "TCP",
          sourceAddressPrefixes: ["10.0.0.0/24", "10.0.1.0/24"],
          destinationApplicationSecurityGroups: [{ id: "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/applicationSecurityGroups/web" }],
          destinationPortRanges: ["443", "80"],
          destinationPortRange: "443",
        },
      },
      "policy pack",
    );
    expect(rule).toMatchObject({
      kind: "securityRule",
      networkSecurityGroupName: "nsg",
      rule: { name: "allow-https", access: "Allow", direction: "Outbound", protocol: "Tcp", sourceAddressPrefixes: ["10.0.0.0/24", "10.0.1.0/24"], destinationAddressPrefixes: [], destinationPortRanges: ["443", "80"] },
      unknowns: ["destinationApplicationSecurityGroups"],
    });
    const route = normalizePulumiResource(
      {
        type: "azure-native:network:Route",
        urn: "urn:pulumi:dev::hub::azure-native:network:Route::default",
        name: "default",
        props: { routeTableName: "rt", resourceGroupName: "rg", routeName: "to-fw", addressPrefix: "0.0.0.0/0", nextHopType: "virtualappliance", nextHopIpAddress: "10.0.0.4" },
      },
      "policy pack",
    );
    expect(route).toMatchObject({ kind: "route", routeTableName: "rt", route: { name: "to-fw", nextHopType: "VirtualAppliance", nextHopIpAddress: "10.0.0.4" } });
  });

  it("errors name the source, the property path and the URN", () => {
    const e = inputError(() =>
      normalizePulumiResource(
        { type: "azure-native:network:RouteTable", urn: "urn:pulumi:dev::hub::azure-native:network:RouteTable::rt", name: "rt", props: { routes: [{ addressPrefix: ["0.0.0.0/0"], nextHopType: "None" }] } },
        "policy pack",
      ),
    );
    expect(e.message).toBe("policy pack: routes[0].addressPrefix: expected a string, got an array (resource urn:pulumi:dev::hub::azure-native:network:RouteTable::rt)");
    const direction = inputError(() =>
      normalizePulumiResource(
        { type: "azure-native:network:NetworkSecurityGroup", urn: "u", name: "n", props: { securityRules: [{ name: "x", direction: "Sideways", access: "Allow", priority: 100, protocol: "*" }] } },
        "program",
      ),
    );
    expect(direction.message).toBe("program: securityRules[0].direction: expected Inbound or Outbound (resource u)");
  });
});

describe("type tokens and URNs", () => {
  it.each([
    ["azure-native:azurestack:Registration", "registration"],
    ["azure-native:azurestack/v20220601:Registration", "registration"],
    ["azure-native:network:AzureFirewall", "azureFirewall"],
    ["azure-native:network/v20230901:AzureFirewall", "azureFirewall"],
    ["azure-native:network/v20230201preview:FirewallPolicy", "firewallPolicy"],
    ["azure-native:network:FirewallPolicyRuleCollectionGroup", "ruleCollectionGroup"],
    ["azure-native:network:NetworkSecurityGroup", "networkSecurityGroup"],
    ["azure-native:network:SecurityRule", "securityRule"],
    ["azure-native:network:RouteTable", "routeTable"],
    ["azure-native:network:Route", "route"],
    ["azure-native:network:VirtualNetwork", "virtualNetwork"],
    ["azure-native:network:Subnet", "subnet"],
    ["azure-native:network:NetworkInterface", "networkInterface"],
    ["azure-native:network:PublicIPAddress", "other"],
    ["azure:network/firewall:Firewall", "other"],
    ["azure-native:network:azurefirewall", "other"],
  ])("%s is %s", (token, kind) => expect(kindOfPulumiType(token)).toBe(kind));

  it("ARM types are case-insensitive", () => {
    expect(kindOfArmType("microsoft.network/FIREWALLPOLICIES/ruleCollectionGroups")).toBe("ruleCollectionGroup");
    expect(kindOfArmType("Microsoft.AzureStack/registrations/customerSubscriptions")).toBe("other");
  });

  it("splits provider references on the last ::", () => {
    expect(splitProviderReference("urn:pulumi:dev::p::pulumi:providers:azure-native::default_3_28_0::8d2a6f0e")).toEqual({
      urn: "urn:pulumi:dev::p::pulumi:providers:azure-native::default_3_28_0",
      id: "8d2a6f0e",
    });
    expect(splitProviderReference("no-separator")).toBeUndefined();
  });

  it("takes the name part of a URN", () => {
    expect(urnName("urn:pulumi:dev::p::azure-native:network:Route::default")).toBe("default");
    expect(urnName("urn:pulumi:dev::p::my:component$azure-native:network:Route::a::b")).toBe("a::b");
  });
});

describe("ARM ids", () => {
  it("reads names at type positions only", async () => {
    const { nameAfter, idPrefixThrough, parseArmId, typeFromArmId } = await import("../../src/input/normalize/armId");
    const id = "/subscriptions/S/resourcegroups/RG/providers/Microsoft.Network/routeTables/routes/routes/r1";
    expect(nameAfter(id, "routes")).toBe("r1");
    expect(nameAfter(id, "ROUTETABLES")).toBe("routes");
    expect(idPrefixThrough(id, "routeTables")).toBe("/subscriptions/S/resourcegroups/RG/providers/Microsoft.Network/routeTables/routes");
    expect(parseArmId(id)).toEqual({ subscriptionId: "S", resourceGroup: "RG" });
    expect(typeFromArmId(id)).toBe("Microsoft.Network/routeTables/routes");
    expect(nameAfter("/subscriptions/S", "routes")).toBeUndefined();
    expect(parseArmId("not an id")).toEqual({});
  });
});
