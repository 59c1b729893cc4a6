import { describe, expect, it } from "vitest";
import { normalizeStackExport, UNKNOWN_SENTINEL } from "../../src/input";
import type { ResourceSet } from "../../src/model/resource";
import { clone, exportResource, inputError, only, readFixture } from "./helpers";

type Export = { version: number; deployment: { resources: Record<string, unknown>[]; pending_operations?: unknown[] } };
const v3 = readFixture<Export>("stack-export-v3.json");
const v4 = readFixture<Export>("stack-export-v4.json");
const SUB = "8f3c2a51-6d0e-4b7a-9c1f-2e5d7a9b0c34";
const URN_PREFIX = "urn:pulumi:prod::stamp-egress::";

const load = (exp: unknown, file = "stack.json"): ResourceSet => normalizeStackExport(exp, file);

describe("stack export v3", () => {
  const set = load(v3);

  it("keeps live resources, drops the Stack, providers and delete: true copies", () => {
    expect(set.source).toBe("stack.json");
    expect(set.resources.map((r) => `${r.kind}:${r.ref.name}`)).toEqual([
      "other:rg-hub-egress",
      "registration:stamp-registration",
      "firewallPolicy:fwp-hub-premium",
      "ruleCollectionGroup:rcg-azurestack-bridge",
      "azureFirewall:afw-hub",
      "networkSecurityGroup:nsg-stamp-egress",
      "securityRule:allow-arm-out",
      "routeTable:rt-stamp-egress",
      "route:azure-ad-direct",
    ]);
    const tables = set.resources.filter((r) => r.kind === "routeTable");
    expect(tables.map((t) => t.armId)).toEqual([expect.stringMatching(/\/routeTables\/rt-stamp-egress$/)]);
  });

  it("normalizes the registration", () => {
    expect(only(set.resources, "registration")).toEqual({
      kind: "registration",
      ref: { urn: `${URN_PREFIX}azure-native:azurestack:Registration::stamp-registration`, type: "azure-native:azurestack:Registration", name: "stamp-registration" },
      armId: `/subscriptions/${SUB}/resourceGroups/azurestack/providers/Microsoft.AzureStack/registrations/AzureStack-5f1c9a7e-3b2d-4e8f-a6c0-9d7e1b2a4c68`,
      subscriptionId: SUB,
      resourceGroup: "azurestack",
      protect: true,
      registrationName: "AzureStack-5f1c9a7e-3b2d-4e8f-a6c0-9d7e1b2a4c68",
      location: "global",
      cloudId: "5f1c9a7e-3b2d-4e8f-a6c0-9d7e1b2a4c68",
      objectId: "3a7b9c1d-2e4f-4a6b-8c0d-1e2f3a4b5c6d",
      billingModel: "PayAsYouUse",
      unknowns: [],
    });
  });

  it("normalizes the Premium policy with TLS inspection", () => {
    expect(only(set.resources, "firewallPolicy")).toMatchObject({
      skuTier: "Premium",
      threatIntelMode: "Alert",
      threatIntelWhitelistFqdns: ["*.microsoft.com"],
      threatIntelWhitelistIpAddresses: ["20.3.4.5"],
      explicitProxyEnabled: true,
      intrusionDetectionMode: "Alert",
      hasTlsInspectionCertificate: true,
      protect: false,
      unknowns: [],
    });
    expect(only(set.resources, "firewallPolicy").basePolicyId).toBeUndefined();
  });

  it("normalizes the rule collection group: filter and NAT collections, rules by ruleType", () => {
    const g = only(set.resources, "ruleCollectionGroup");
    expect(g.priority).toBe(200);
    expect(g.firewallPolicyName).toBe("fwp-hub-premium");
    expect(g.firewallPolicyId).toBe(`/subscriptions/${SUB}/resourceGroups/rg-hub-egress/providers/Microsoft.Network/firewallPolicies/fwp-hub-premium`);
    expect(g.ruleCollections.map((c) => [c.name, c.priority, c.action, c.collectionKind, c.rules.map((r) => r.ruleType)])).toEqual([
      ["rc-bridge-network", 100, "Allow", "filter", ["NetworkRule", "NetworkRule"]],
      ["rc-bridge-application", 200, "Allow", "filter", ["ApplicationRule", "ApplicationRule", "ApplicationRule"]],
      ["rc-deny-rest", 65000, "Deny", "filter", ["ApplicationRule"]],
      ["rc-dnat-jump", 300, "Dnat", "nat", ["NetworkRule"]],
    ]);
    expect(g.ruleCollections[0]?.rules[1]).toEqual({
      ruleType: "NetworkRule",
      name: "dns",
      ipProtocols: ["UDP", "TCP"],
      sourceAddresses: ["203.0.113.0/27"],
      sourceIpGroups: [],
      destinationAddresses: ["168.63.129.16"],
      destinationIpGroups: [],
      destinationFqdns: [],
      destinationPorts: ["53"],
    });
    expect(g.ruleCollections[1]?.rules[1]).toEqual({
      ruleType: "ApplicationRule",
      name: "arm-and-usage",
      sourceAddresses: ["203.0.113.0/27"],
      sourceIpGroups: [],
      protocols: [{ protocolType: "Https", port: 443 }],
      targetFqdns: ["management.azure.com", "*.trafficmanager.net", "*.servicebus.windows.net"],
      targetUrls: [],
      fqdnTags: [],
      webCategories: [],
      terminateTLS: true,
    });
    expect(g.ruleCollections[2]?.rules[0]).toMatchObject({ webCategories: ["socialnetworking"], protocols: [{ protocolType: "Https", port: 443 }, { protocolType: "Http", port: 80 }] });
  });

  it("normalizes the firewall attached to the policy", () => {
    expect(only(set.resources, "azureFirewall")).toMatchObject({
      skuTier: "Premium",
      firewallPolicyId: `/subscriptions/${SUB}/resourceGroups/rg-hub-egress/providers/Microsoft.Network/firewallPolicies/fwp-hub-premium`,
      privateIpAddresses: ["10.10.0.4"],
      applicationRuleCollections: [],
      networkRuleCollections: [],
      natRuleCollections: [],
    });
  });

  it("normalizes the NSG without its default rules, merging singular and plural fields", () => {
    const nsg = only(set.resources, "networkSecurityGroup");
    expect(nsg.securityRules.map((r) => r.name)).toEqual(["allow-https-out", "allow-ntp-out", "allow-mgmt-in", "deny-internet-out"]);
    expect(nsg.securityRules[0]).toEqual({
      name: "allow-https-out",
      direction: "Outbound",
      access: "Allow",
      priority: 100,
      protocol: "Tcp",
      sourceAddressPrefixes: ["203.0.113.0/27"],
      destinationAddressPrefixes: ["Internet"],
      destinationPortRanges: ["443"],
    });
    expect(nsg.securityRules[2]).toMatchObject({ destinationAddressPrefixes: ["10.20.0.0/24", "10.21.0.0/24"], destinationPortRanges: ["443", "8443-8444"] });
    expect(nsg.securityRules.some((r) => r.isDefault)).toBe(false);
  });

  it("marks a pending delete and joins standalone rules and routes by name", () => {
    expect(only(set.resources, "securityRule")).toMatchObject({
      pendingOperation: "delete",
      networkSecurityGroupName: "nsg-stamp-egress",
      rule: { name: "allow-arm-out", priority: 120, destinationAddressPrefixes: ["AzureResourceManager"], destinationPortRanges: ["443"] },
    });
    expect(only(set.resources, "route")).toMatchObject({
      routeTableName: "rt-stamp-egress",
      route: { name: "azure-ad-direct", addressPrefix: "AzureActiveDirectory", nextHopType: "Internet" },
    });
    expect(set.resources.filter((r) => r.pendingOperation !== undefined)).toHaveLength(1);
  });

  it("normalizes the forced-tunnel route table", () => {
    expect(only(set.resources, "routeTable").routes).toEqual([
      { name: "default-to-firewall", addressPrefix: "0.0.0.0/0", nextHopType: "VirtualAppliance", nextHopIpAddress: "10.10.0.4" },
      { name: "on-premises", addressPrefix: "10.0.0.0/8", nextHopType: "VirtualNetworkGateway" },
    ]);
  });

  it("counts other resources without reading them", () => {
    const exp = clone(v3);
    exportResource(exp, "rg-hub-egress").outputs.location = 42;
    expect(only(load(exp).resources, "other")).toEqual({
      kind: "other",
      ref: { urn: `${URN_PREFIX}azure-native:resources:ResourceGroup::rg-hub-egress`, type: "azure-native:resources:ResourceGroup", name: "rg-hub-egress" },
      // The id as given, not parsed: no check reads an other resource's subscription or resource group.
      armId: `/subscriptions/${SUB}/resourceGroups/rg-hub-egress`,
      protect: false,
      unknowns: [],
    });
  });
});

describe("stack export v4", () => {
  const set = load(v4, "lab.json");

  it("reads versioned azure-native v2 tokens", () => {
    expect(set.resources.map((r) => [r.kind, r.ref.type])).toEqual([
      ["registration", "azure-native:azurestack/v20220601:Registration"],
      ["azureFirewall", "azure-native:network/v20230901:AzureFirewall"],
      ["routeTable", "azure-native:network/v20230901:RouteTable"],
      ["other", "azure-native:storage:StorageAccount"],
    ]);
  });

  it("names the registration from its id, not from the body's name", () => {
    const reg = only(set.resources, "registration");
    expect(reg.registrationName).toBe("lab-stamp-registration");
    expect(reg.resourceGroup).toBe("azurestack-lab");
    expect(reg.protect).toBe(false);
    expect(reg.objectId).toBeUndefined();
    expect(reg.unknowns).toEqual(["objectId"]);
  });

  it("normalizes a classic firewall: protocols become ipProtocols, NAT actions kept", () => {
    const fw = only(set.resources, "azureFirewall");
    expect(fw.firewallPolicyId).toBeUndefined();
    expect(fw.threatIntelMode).toBe("Deny");
    expect(fw.skuTier).toBe("Standard");
    expect(fw.privateIpAddresses).toEqual(["10.30.0.4"]);
    expect(fw.applicationRuleCollections).toEqual([
      {
        name: "bridge-app",
        priority: 110,
        action: "Allow",
        collectionKind: "application",
        rules: [
          {
            ruleType: "ApplicationRule",
            name: "azure-ad",
            sourceAddresses: ["198.18.4.0/27"],
            sourceIpGroups: [],
            protocols: [{ protocolType: "Https", port: 443 }],
            targetFqdns: ["login.microsoftonline.com", "*.windows.net"],
            targetUrls: [],
            fqdnTags: [],
            webCategories: [],
            terminateTLS: false,
          },
          expect.objectContaining({ name: "windows-update", fqdnTags: ["WindowsUpdate"] }),
        ],
      },
    ]);
    expect(fw.networkRuleCollections.map((c) => [c.name, c.action, c.collectionKind, c.rules.map((r) => r.ruleType === "NetworkRule" && r.ipProtocols)])).toEqual([
      ["bridge-net", "Allow", "network", [["UDP"], ["TCP"]]],
      ["deny-all-net", "Deny", "network", [["Any"]]],
    ]);
    expect(fw.natRuleCollections).toMatchObject([{ name: "dnat-https", action: "Dnat", collectionKind: "nat", rules: [{ name: "DNAT-HTTPS-traffic", destinationPorts: ["443"] }] }]);
  });
});

describe("stack export details", () => {
  it("takes a planned resource's subscription from its provider (split on the last ::)", () => {
    const exp = clone(v3);
    const rt = exportResource(exp, "rt-stamp-egress");
    delete rt.id;
    const set = load(exp);
    const table = set.resources.find((r) => r.kind === "routeTable");
    expect(table).toMatchObject({ subscriptionId: SUB, resourceGroup: "rg-hub-egress" });
    expect(table?.armId).toBeUndefined();
  });

  it("builds a planned group's policy id from name, resource group and provider subscription", () => {
    const exp = clone(v3);
    delete exportResource(exp, "rcg-azurestack-bridge").id;
    const g = only(load(exp).resources, "ruleCollectionGroup");
    expect(g.firewallPolicyName).toBe("fwp-hub-premium");
    expect(g.firewallPolicyId).toBe(`/subscriptions/${SUB}/resourceGroups/rg-hub-egress/providers/Microsoft.Network/firewallPolicies/fwp-hub-premium`);
  });

  it("records a secret provider subscription as unknown for a planned resource", () => {
    const exp = clone(v3);
    const provider = exp.deployment.resources.find((r) => r.type === "pulumi:providers:azure-native") as { inputs: Record<string, unknown>; outputs: Record<string, unknown> };
    const secret = { "4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270", ciphertext: "v1:abc" };
    provider.inputs.subscriptionId = secret;
    provider.outputs.subscriptionId = secret;
    delete exportResource(exp, "rt-stamp-egress").id;
    const table = load(exp).resources.find((r) => r.kind === "routeTable");
    expect(table?.subscriptionId).toBeUndefined();
    expect(table?.unknowns).toEqual(["subscriptionId"]);
  });

  it("records unknowns by their property path", () => {
    const exp = clone(v3);
    const rt = exportResource(exp, "rt-stamp-egress");
    (rt.outputs.routes as Record<string, unknown>[])[0]!.nextHopIpAddress = UNKNOWN_SENTINEL;
    const rcg = exportResource(exp, "rcg-azurestack-bridge");
    const rc = (rcg.outputs.ruleCollections as { rules: Record<string, unknown>[] }[])[0]!;
    rc.rules[0]!.destinationPorts = ["123", UNKNOWN_SENTINEL];
    (rcg.outputs.ruleCollections as unknown[])[1] = UNKNOWN_SENTINEL;
    const set = load(exp);
    const table = only(set.resources, "routeTable");
    expect(table.unknowns).toEqual(["routes[0].nextHopIpAddress"]);
    expect(table.routes[0]).toEqual({ name: "default-to-firewall", addressPrefix: "0.0.0.0/0", nextHopType: "VirtualAppliance" });
    const g = only(set.resources, "ruleCollectionGroup");
    expect([...g.unknowns].sort()).toEqual(["ruleCollections[0].rules[0].destinationPorts[1]", "ruleCollections[1]"]);
    expect(g.ruleCollections[0]?.rules[0]).toMatchObject({ name: "ntp", destinationPorts: ["123"] });
    expect(g.ruleCollections.map((c) => c.name)).toEqual(["rc-bridge-network", "rc-deny-rest", "rc-dnat-jump"]);
  });

  it("prefers a known input over an unknown output, and outputs over inputs", () => {
    const exp = clone(v3);
    const reg = exportResource(exp, "stamp-registration");
    reg.outputs.location = UNKNOWN_SENTINEL;
    reg.inputs.cloudId = "00000000-0000-0000-0000-000000000000";
    const r = only(load(exp).resources, "registration");
    expect(r.location).toBe("global");
    expect(r.cloudId).toBe("5f1c9a7e-3b2d-4e8f-a6c0-9d7e1b2a4c68");
    expect(r.unknowns).toEqual([]);
  });

  it("falls back to inputs for a key the outputs lack", () => {
    const exp = clone(v3);
    const rcg = exportResource(exp, "rcg-azurestack-bridge");
    delete rcg.outputs.priority;
    rcg.inputs.priority = 250;
    expect(only(load(exp).resources, "ruleCollectionGroup").priority).toBe(250);
  });

  it("a required value that is missing gets a placeholder and an unknown path", () => {
    const exp = clone(v3);
    const rcg = exportResource(exp, "rcg-azurestack-bridge");
    delete rcg.outputs.priority;
    delete rcg.inputs.priority;
    const g = only(load(exp).resources, "ruleCollectionGroup");
    expect(g.priority).toBe(Number.MAX_SAFE_INTEGER);
    expect(g.unknowns).toEqual(["priority"]);
  });

  it("marks pendingReplacement as a pending replace, and matches pending deletes by id", () => {
    const exp = clone(v3);
    exportResource(exp, "afw-hub").pendingReplacement = true;
    const old = exp.deployment.resources.find((r) => r.delete === true) as { urn: string; id: string };
    exp.deployment.pending_operations = [{ resource: { urn: old.urn, id: old.id, type: "azure-native:network:RouteTable" }, type: "deleting" }];
    const set = load(exp);
    expect(only(set.resources, "azureFirewall").pendingOperation).toBe("replace");
    // The deletion is of the old copy: the live table with the same URN stays live.
    expect(only(set.resources, "routeTable").pendingOperation).toBeUndefined();
    expect(only(set.resources, "securityRule").pendingOperation).toBeUndefined();
  });

  it("accepts an export with no resources", () => {
    expect(load({ version: 3, deployment: { manifest: { time: "2025-01-01T00:00:00Z", magic: "", version: "v3.100.0" } } }).resources).toEqual([]);
  });
});

describe("stack export errors", () => {
  const rcgUrn = `${URN_PREFIX}azure-native:network:FirewallPolicyRuleCollectionGroup::rcg-azurestack-bridge`;

  it("names the file, the path and the resource for a wrong type (priority: \"high\")", () => {
    const exp = clone(v3);
    const rcg = exportResource(exp, "rcg-azurestack-bridge");
    (rcg.outputs.ruleCollections as Record<string, unknown>[])[1]!.priority = "high";
    const e = inputError(() => load(exp, "prod.json"));
    expect(e.message).toBe(`prod.json: deployment.resources[5].outputs.ruleCollections[1].priority: expected an integer, got a string (resource ${rcgUrn})`);
    expect(e).toMatchObject({ file: "prod.json", path: "deployment.resources[5].outputs.ruleCollections[1].priority", resource: rcgUrn });
  });

  it("securityRules: {} is an error", () => {
    const exp = clone(v3);
    exportResource(exp, "nsg-stamp-egress").outputs.securityRules = {};
    expect(inputError(() => load(exp)).message).toBe(
      `stack.json: deployment.resources[7].outputs.securityRules: expected an array of objects, got an object (resource ${URN_PREFIX}azure-native:network:NetworkSecurityGroup::nsg-stamp-egress)`,
    );
  });

  it.each([
    ["rule type", (e: Export) => ((exportResource(e, "rcg-azurestack-bridge").outputs.ruleCollections as { rules: Record<string, unknown>[] }[])[0]!.rules[0]!.ruleType = "FqdnRule"), "outputs.ruleCollections[0].rules[0].ruleType: expected ApplicationRule, NetworkRule or NatRule"],
    ["missing collection type", (e: Export) => delete (exportResource(e, "rcg-azurestack-bridge").outputs.ruleCollections as Record<string, unknown>[])[2]!.ruleCollectionType, "outputs.ruleCollections[2].ruleCollectionType: missing, expected FirewallPolicyFilterRuleCollection or FirewallPolicyNatRuleCollection"],
    ["action", (e: Export) => ((exportResource(e, "rcg-azurestack-bridge").outputs.ruleCollections as Record<string, unknown>[])[0]!.action = { type: "Permit" }), "outputs.ruleCollections[0].action.type: expected Allow or Deny"],
    ["port number", (e: Export) => ((exportResource(e, "rcg-azurestack-bridge").outputs.ruleCollections as { rules: Record<string, unknown>[] }[])[0]!.rules[0]!.destinationPorts = [123]), "outputs.ruleCollections[0].rules[0].destinationPorts[0]: expected a string, got a number"],
    ["terminateTLS", (e: Export) => ((exportResource(e, "rcg-azurestack-bridge").outputs.ruleCollections as { rules: Record<string, unknown>[] }[])[1]!.rules[0]!.terminateTLS = "yes"), "outputs.ruleCollections[1].rules[0].terminateTLS: expected a boolean (true or false), got a string"],
  ])("wrong %s", (_, mutate, expected) => {
    const exp = clone(v3);
    mutate(exp);
    const e = inputError(() => load(exp));
    expect(e.message).toBe(`stack.json: deployment.resources[5].${expected} (resource ${rcgUrn})`);
  });

  it("ignores wrong types where the checks do not read", () => {
    const exp = clone(v3);
    const fw = exportResource(exp, "afw-hub");
    fw.outputs.etag = 42;
    fw.outputs.tags = "not-an-object";
    fw.outputs.zones = { a: 1 };
    (fw.outputs.ipConfigurations as Record<string, unknown>[])[0]!.subnet = 7;
    expect(() => load(exp)).not.toThrow();
  });

  it("reads inputs paths in errors when the value comes from inputs", () => {
    const exp = clone(v3);
    const rcg = exportResource(exp, "rcg-azurestack-bridge");
    delete rcg.outputs.priority;
    rcg.inputs.priority = "first";
    expect(inputError(() => load(exp)).path).toBe("deployment.resources[5].inputs.priority");
  });

  it.each([
    ["urn is not a string", (e: Export) => (e.deployment.resources[3]!.urn = 7), "stack.json: deployment.resources[3].urn: expected a string, got a number"],
    ["type is missing", (e: Export) => delete e.deployment.resources[4]!.type, `stack.json: deployment.resources[4].type: missing, this key is required (resource ${URN_PREFIX}azure-native:network:FirewallPolicy::fwp-hub-premium)`],
    ["delete is a string", (e: Export) => (e.deployment.resources[6]!.delete = "false"), `stack.json: deployment.resources[6].delete: expected a boolean (true or false), got a string (resource ${URN_PREFIX}azure-native:network:AzureFirewall::afw-hub)`],
    ["protect is a string", (e: Export) => (e.deployment.resources[3]!.protect = "yes"), `stack.json: deployment.resources[3].protect: expected a boolean (true or false), got a string (resource ${URN_PREFIX}azure-native:azurestack:Registration::stamp-registration)`],
    ["outputs is an array", (e: Export) => (e.deployment.resources[9]!.outputs = []), `stack.json: deployment.resources[9].outputs: expected an object, got an empty array (resource ${URN_PREFIX}azure-native:network:RouteTable::rt-stamp-egress)`],
    ["id is a number", (e: Export) => (e.deployment.resources[9]!.id = 5), `stack.json: deployment.resources[9].id: expected a string, got a number (resource ${URN_PREFIX}azure-native:network:RouteTable::rt-stamp-egress)`],
    ["resources is an object", (e: Export) => ((e.deployment as Record<string, unknown>).resources = {}), "stack.json: deployment.resources: expected an array, got an object"],
    ["a pending operation without a resource", (e: Export) => (e.deployment.pending_operations = [{ type: "deleting" }]), "stack.json: deployment.pending_operations[0].resource: missing, this key is required"],
    ["deployment is a string", (e: Export) => ((e as Record<string, unknown>).deployment = "x"), "stack.json: deployment: expected an object, got a string"],
  ])("validates the stack export schema: %s", (_, mutate, expected) => {
    const exp = clone(v3);
    mutate(exp);
    expect(inputError(() => load(exp)).message).toBe(expected);
  });

  it("tolerates resource keys it does not read", () => {
    const exp = clone(v3);
    Object.assign(exp.deployment.resources[6]!, { taint: false, retainOnDelete: true, hooks: { beforeCreate: ["x"] }, sourcePosition: "project:///index.ts#12,5", futureKey: { nested: [1] } });
    expect(() => load(exp)).not.toThrow();
  });
});

describe("one live resource per URN", () => {
  const withCopy = (type: string): Export => {
    const exp = clone(v3);
    const original = exp.deployment.resources.find((r) => r.type === type)!;
    exp.deployment.resources.push(clone(original));
    return exp;
  };

  it("refuses a second copy of a resource the checks read, naming both places", () => {
    const exp = withCopy("azure-native:network:FirewallPolicy");
    const index = exp.deployment.resources.length - 1;
    const first = exp.deployment.resources.findIndex((r) => r.type === "azure-native:network:FirewallPolicy");
    expect(inputError(() => load(exp)).message).toContain(`deployment.resources[${index}].urn: the same URN as deployment.resources[${first}]: a stack export lists each live resource once`);
  });

  it("counts a second copy of a resource no check reads, without looking it up (it costs nothing)", () => {
    const exp = withCopy("azure-native:resources:ResourceGroup");
    expect(load(exp).resources.filter((r) => r.kind === "other")).toHaveLength(2);
  });
});
