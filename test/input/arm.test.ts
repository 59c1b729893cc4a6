import { describe, expect, it } from "vitest";
import { normalizeArm, normalizeStackExport } from "../../src/input";
import type { Resource, ResourceSet } from "../../src/model/resource";
import { clone, inputError, only, readFixture } from "./helpers";

/** The model minus what differs by source: the ref (URN vs ARM id), protect and pending operations (Pulumi only). */
function comparable(set: ResourceSet): Record<string, Omit<Resource, "ref" | "protect" | "pendingOperation">> {
  const out: Record<string, Omit<Resource, "ref" | "protect" | "pendingOperation">> = {};
  for (const { ref: _ref, protect: _protect, pendingOperation: _pending, ...rest } of set.resources) {
    out[`${rest.kind} ${(rest.armId ?? "").toLowerCase()}`] = rest;
  }
  return out;
}

describe("ARM JSON", () => {
  it("reads the registration GET example: the name comes from the id, cloudId may be absent", () => {
    const set = normalizeArm(readFixture("arm/registration-get.json"), "reg.json");
    const id = "/subscriptions/dd8597b4-8739-4467-8b10-f8679f62bfbf/resourceGroups/azurestack/providers/Microsoft.AzureStack/registrations/testregistration";
    expect(set.resources).toEqual([
      {
        kind: "registration",
        ref: { urn: id, type: "Microsoft.AzureStack/registrations", name: "testregistration" },
        armId: id,
        subscriptionId: "dd8597b4-8739-4467-8b10-f8679f62bfbf",
        resourceGroup: "azurestack",
        registrationName: "testregistration",
        location: "global",
        objectId: "9e9704ab-561a-4498-ac60-64b2314456ee",
        billingModel: "Development",
        unknowns: [],
      },
    ]);
    expect(set.resources[0]?.protect).toBeUndefined();
    expect("cloudId" in (set.resources[0] ?? {})).toBe(false);
  });

  it('reads {"value": [...]} lists, with types and ids in any case', () => {
    const set = normalizeArm(readFixture("arm/registrations-list.json"), "list.json");
    expect(set.resources.map((r) => r.kind === "registration" && [r.registrationName, r.resourceGroup, r.cloudId])).toEqual([
      ["testregistration", "azurestack", undefined],
      ["AzureStack-5f1c9a7e-3b2d-4e8f-a6c0-9d7e1b2a4c68", "azurestack-dr", "5f1c9a7e-3b2d-4e8f-a6c0-9d7e1b2a4c68"],
    ]);
  });

  it("reads nested properties at every level", () => {
    const set = normalizeArm(readFixture("arm/egress-array.json"), "egress.json");
    const rcg = only(set.resources, "ruleCollectionGroup");
    expect(rcg.ref.type).toBe("Microsoft.Network/FirewallPolicies/RuleCollectionGroups");
    expect(rcg.ruleCollections).toHaveLength(4);
    expect(only(set.resources, "networkSecurityGroup").securityRules[1]).toMatchObject({ name: "allow-ntp-out", priority: 110, protocol: "Udp", destinationPortRanges: ["123"] });
    expect(only(set.resources, "routeTable").routes[0]).toEqual({ name: "default-to-firewall", addressPrefix: "0.0.0.0/0", nextHopType: "VirtualAppliance", nextHopIpAddress: "10.10.0.4" });
    expect(only(set.resources, "azureFirewall").privateIpAddresses).toEqual(["10.10.0.4"]);
  });

  it("normalizes to the same model as the equivalent stack export (v3: policy, group, firewall, NSG, routes, registration)", () => {
    const fromExport = comparable(normalizeStackExport(readFixture("stack-export-v3.json"), "stack.json"));
    const fromArm = comparable(normalizeArm(readFixture("arm/egress-array.json"), "egress.json"));
    expect(Object.keys(fromArm).sort()).toEqual(Object.keys(fromExport).sort());
    expect(fromArm).toStrictEqual(fromExport);
  });

  it("normalizes a classic firewall GET to the same model as the v4 stack export's", () => {
    const fromExport = comparable(normalizeStackExport(readFixture("stack-export-v4.json"), "lab.json"));
    const fromArm = comparable(normalizeArm(readFixture("arm/classic-firewall.json"), "fw.json"));
    const key = Object.keys(fromArm)[0] as string;
    expect(key).toMatch(/^azureFirewall /);
    expect(fromArm[key]).toStrictEqual(fromExport[key]);
  });

  it("reads a hub firewall's hubIPAddresses.privateIPAddress", () => {
    const body = {
      name: "afw-vhub",
      id: "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/azureFirewalls/afw-vhub",
      type: "Microsoft.Network/azureFirewalls",
      properties: { sku: { name: "AZFW_Hub", tier: "Standard" }, hubIPAddresses: { privateIPAddress: "10.100.64.4", publicIPs: { count: 1, addresses: [] } }, virtualHub: { id: "x" } },
    };
    expect(only(normalizeArm(body, "hub.json").resources, "azureFirewall").privateIpAddresses).toEqual(["10.100.64.4"]);
  });

  it("names the ARM id and the nested path in errors", () => {
    const body = readFixture<Record<string, unknown>[]>("arm/egress-array.json");
    const nsg = clone(body);
    ((nsg[5]!.properties as { securityRules: { properties: Record<string, unknown> }[] }).securityRules[2]!.properties).priority = "high";
    const e = inputError(() => normalizeArm(nsg, "egress.json"));
    expect(e.message).toBe(
      "egress.json: [5].properties.securityRules[2].properties.priority: expected an integer, got a string (resource /subscriptions/8f3c2a51-6d0e-4b7a-9c1f-2e5d7a9b0c34/resourceGroups/rg-hub-egress/providers/Microsoft.Network/networkSecurityGroups/nsg-stamp-egress)",
    );
    const single = readFixture<Record<string, unknown>>("arm/classic-firewall.json");
    ((single.properties as { networkRuleCollections: unknown[] }).networkRuleCollections[0] as { properties: Record<string, unknown> }).properties.rules = "x";
    expect(inputError(() => normalizeArm(single, "fw.json")).path).toBe("properties.networkRuleCollections[0].properties.rules");
    const value = { value: [{ ...readFixture<Record<string, unknown>>("arm/registration-get.json"), properties: "nope" }] };
    expect(inputError(() => normalizeArm(value, "v.json")).message).toMatch(/^v\.json: value\[0\]\.properties: expected an object, got a string \(resource \/subscriptions\//);
    expect(inputError(() => normalizeArm({ type: "Microsoft.Network/routeTables", name: 5, id: "/x" }, "t.json")).message).toBe("t.json: name: expected a string, got a number");
  });
});

describe("az CLI output", () => {
  it("reads `az network nsg show` (properties flattened by the CLI) like the REST body", () => {
    const fromAz = normalizeArm(readFixture("arm/az-nsg-show.json"), "az.json");
    const fromRest = normalizeArm(readFixture("arm/egress-array.json"), "rest.json");
    const { ref: _a, ...az } = only(fromAz.resources, "networkSecurityGroup");
    const { ref: _b, ...rest } = only(fromRest.resources, "networkSecurityGroup");
    expect(az).toStrictEqual(rest);
  });
});
