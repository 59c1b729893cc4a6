import { describe, expect, it } from "vitest";
import { egressGates } from "../../src/evaluate/gates";
import { azureFirewall, collection, firewallPolicy, httpsFlow, networkRule, nsg, ref, resourceSet, ruleCollectionGroup, standaloneSecurityRule } from "./fixtures";

const usage = httpsFlow();
const policyId = azureFirewall().firewallPolicyId!;

describe("egressGates: joining a firewall to its policy and groups", () => {
  it.each([
    { name: "group joined by firewallPolicyName", group: ruleCollectionGroup(), verdict: "allowed" },
    {
      name: "group joined by firewallPolicyId, case-insensitively",
      group: ruleCollectionGroup({ firewallPolicyName: undefined, firewallPolicyId: policyId.toUpperCase() }),
      verdict: "allowed",
    },
    {
      name: "group joined by its own ARM id under the policy",
      group: ruleCollectionGroup({ firewallPolicyName: undefined, armId: `${policyId}/ruleCollectionGroups/egress` }),
      verdict: "allowed",
    },
    // Not joined, and not ignored either: a group whose policy is not in the input is a gate of its own.
    { name: "group of another policy is not joined", group: ruleCollectionGroup({ firewallPolicyName: "other-policy" }), verdict: "denied", kinds: ["azureFirewall", "firewallPolicy"] },
    { name: "group in another resource group is not joined", group: ruleCollectionGroup({ resourceGroup: "spoke" }), verdict: "denied", kinds: ["azureFirewall", "firewallPolicy"] },
  ])("$name", ({ group, verdict, kinds }) => {
    const gates = egressGates(resourceSet(azureFirewall(), firewallPolicy(), group), []);
    expect(gates.map((g) => g.kind)).toEqual(kinds ?? ["azureFirewall"]);
    expect(gates[0]!.evaluate(usage).verdict).toBe(verdict);
  });

  describe("rule collection groups whose policy is not in the input (az network firewall policy rule-collection-group list)", () => {
    const otherPolicy = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/hub/providers/Microsoft.Network/firewallPolicies/edge-policy";
    const denyGroup = ruleCollectionGroup({
      armId: `${otherPolicy}/ruleCollectionGroups/deny-first`,
      firewallPolicyName: "edge-policy",
      firewallPolicyId: otherPolicy,
      ref: ref("FirewallPolicyRuleCollectionGroup", "deny-first"),
      priority: 100,
      ruleCollections: [collection({ name: "deny-all", action: "Deny", rules: [networkRule({ name: "everything", ipProtocols: ["Any"], destinationAddresses: ["*"], destinationPorts: ["*"] })] })],
    });

    it("alone: a gate of their own; what they deny is undetermined (a parent policy could allow first), never skipped", () => {
      const gates = egressGates(resourceSet(denyGroup), []);
      expect(gates.map((g) => [g.kind, g.label])).toEqual([["firewallPolicy", "Firewall policy edge-policy (not in the input; its rule collection groups are, and no firewall in the input runs it)"]]);
      const verdict = gates[0]!.evaluate(usage);
      expect(verdict.verdict).toBe("undetermined");
      expect(verdict.possible).toEqual(["denied", "allowed"]);
      expect(verdict.decidedBy?.rule).toBe("everything");
      expect(verdict.reason).toContain('firewall policy edge-policy is not in the input (only its rule collection groups "deny-first" are)');
    });

    it("alone: what they allow is allowed", () => {
      const allow = ruleCollectionGroup({ armId: `${otherPolicy}/ruleCollectionGroups/egress`, firewallPolicyName: "edge-policy", firewallPolicyId: otherPolicy });
      expect(egressGates(resourceSet(allow), [])[0]!.evaluate(usage).verdict).toBe("allowed");
    });

    it("beside the firewall that runs their policy: the firewall evaluates them instead of giving up", () => {
      const gates = egressGates(resourceSet(azureFirewall({ firewallPolicyId: otherPolicy }), denyGroup), []);
      expect(gates.map((g) => g.kind)).toEqual(["azureFirewall"]);
      expect(gates[0]!.label).toBe("Azure Firewall hub-fw (policy edge-policy, not in the input; its rule collection groups are)");
      const verdict = gates[0]!.evaluate(usage);
      expect(verdict.verdict).toBe("undetermined");
      expect(verdict.decidedBy?.rule).toBe("everything");
    });
  });

  // resources.md: network-rule FQDNs need DNS proxy, and the stamp must resolve through the firewall.
  describe("DNS proxy and the stamp's DNS servers", () => {
    const byName = ruleCollectionGroup({ ruleCollections: [collection({ rules: [networkRule({ name: "arm", ipProtocols: ["TCP"], destinationAddresses: [], destinationFqdns: ["management.azure.com"], destinationPorts: ["443"] })] })] });
    const arm = httpsFlow("management.azure.com");
    it.each([
      { dnsServers: ["10.0.1.4"], verdict: "allowed" },
      { dnsServers: [], verdict: "allowed" },
      { dnsServers: ["10.0.0.53"], verdict: "undetermined", says: "the stamp's DNS servers (10.0.0.53) are not the firewall's private IP (10.0.1.4)" },
    ])("proxy on, dnsServers $dnsServers: $verdict", ({ dnsServers, verdict, says }) => {
      const [gate] = egressGates(resourceSet(azureFirewall(), firewallPolicy({ dnsProxyEnabled: true }), byName), [], { dnsServers });
      const result = gate!.evaluate(arm);
      expect(result.verdict).toBe(verdict);
      if (says) expect(result.reason).toContain(says);
    });
  });

  it("labels the firewall with its policy", () => {
    const [gate] = egressGates(resourceSet(azureFirewall(), firewallPolicy(), ruleCollectionGroup()), []);
    expect(gate!.label).toBe("Azure Firewall hub-fw (policy hub-policy)");
    expect(gate!.privateIpAddresses).toEqual(["10.0.1.4"]);
  });

  it("a firewall whose policy is not in the stack is undetermined", () => {
    const [gate] = egressGates(resourceSet(azureFirewall()), []);
    const verdict = gate!.evaluate(usage);
    expect(verdict.verdict).toBe("undetermined");
    expect(verdict.reason).toBe(`firewall policy ${policyId} is not in the stack`);
  });

  it("a classic firewall evaluates its own collections", () => {
    const [gate] = egressGates(resourceSet(azureFirewall({ firewallPolicyId: undefined, applicationRuleCollections: [collection({ collectionKind: "application" })] })), []);
    expect(gate!.label).toBe("Azure Firewall hub-fw (classic rules)");
    expect(gate!.evaluate(usage).verdict).toBe("allowed");
  });
});

describe("egressGates: policies", () => {
  const base = firewallPolicy({ ref: ref("FirewallPolicy", "base-policy"), armId: policyId.replace("hub-policy", "base-policy") });
  const child = firewallPolicy({ basePolicyId: base.armId });
  const baseDeny = ruleCollectionGroup({
    ref: ref("FirewallPolicyRuleCollectionGroup", "base"),
    firewallPolicyName: "base-policy",
    ruleCollections: [collection({ name: "deny", action: "Deny", rules: [networkRule({ name: "web", ipProtocols: ["TCP"], destinationAddresses: ["*"], destinationPorts: ["443"] })] })],
  });

  it("an unattached policy is a gate; its parent is not", () => {
    const gates = egressGates(resourceSet(base, child, ruleCollectionGroup(), baseDeny), []);
    expect(gates.map((g) => [g.kind, g.ref.name])).toEqual([["firewallPolicy", "hub-policy"]]);
    expect(gates[0]!.label).toBe("Firewall policy hub-policy, parent base-policy (not attached to a firewall in the stack)");
    const verdict = gates[0]!.evaluate(usage);
    expect(verdict.verdict).toBe("denied");
    expect(verdict.decidedBy?.policy).toBe("base-policy");
  });

  it("a policy attached to a firewall is evaluated through the firewall only", () => {
    const gates = egressGates(resourceSet(azureFirewall(), child, base, ruleCollectionGroup()), []);
    expect(gates.map((g) => g.kind)).toEqual(["azureFirewall"]);
  });

  it("a missing parent makes every verdict undetermined", () => {
    const [gate] = egressGates(resourceSet(child, ruleCollectionGroup()), []);
    const verdict = gate!.evaluate(usage);
    expect(verdict.verdict).toBe("undetermined");
    expect(verdict.reason).toContain("parent policy");
    expect(verdict.reason).toContain("is not in the stack");
  });

  it("reports threat intelligence, IDPS and explicit proxy of the policy in force", () => {
    const policy = firewallPolicy({ threatIntelMode: "Deny", threatIntelWhitelistFqdns: ["*.trafficmanager.net"], intrusionDetectionMode: "Deny", explicitProxyEnabled: true });
    const [gate] = egressGates(resourceSet(azureFirewall(), policy), []);
    expect(gate!.threatIntel).toEqual({ mode: "Deny", whitelistFqdns: ["*.trafficmanager.net"], whitelistIpAddresses: [], ref: policy.ref, whitelist: "policy" });
    expect(gate!.idps).toEqual({ mode: "Deny", ref: policy.ref, bypass: [], signatureOverrides: [] });
    expect(gate!.explicitProxy).toEqual({ ref: policy.ref });
  });

  // resources.md / Azure Firewall Manager policy inheritance: a child runs at least its parent's threat-intel mode.
  it.each([
    ["Deny", "Alert", "Deny", "base-policy"],
    ["Deny", undefined, "Deny", "base-policy"],
    ["Alert", "Deny", "Deny", "hub-policy"],
    ["Off", undefined, "Alert", "hub-policy"],
    ["Alert", "Off", "Alert", "base-policy"],
  ])("threat intelligence: parent %s, child %s: the stricter, %s, set by %s", (parentMode, childMode, mode, by) => {
    const base = firewallPolicy({ ref: ref("FirewallPolicy", "base-policy"), armId: "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/hub/providers/Microsoft.Network/firewallPolicies/base-policy", threatIntelMode: parentMode, threatIntelWhitelistFqdns: ["*.trafficmanager.net"] });
    const child = firewallPolicy({ basePolicyId: base.armId, threatIntelMode: childMode, threatIntelWhitelistFqdns: ["management.azure.com"] });
    const [gate] = egressGates(resourceSet(azureFirewall(), child, base), []);
    expect(gate!.threatIntel).toMatchObject({ mode, whitelistFqdns: ["*.trafficmanager.net", "management.azure.com"] });
    expect(gate!.threatIntel?.ref.name).toBe(by);
  });

  it("a classic firewall's threat-intel allow list and DNS proxy come from additionalProperties", () => {
    const classic = azureFirewall({ firewallPolicyId: undefined, threatIntelMode: "Deny", threatIntelWhitelistFqdns: ["*.trafficmanager.net"], threatIntelWhitelistIpAddresses: ["20.3.4.5"] });
    const [gate] = egressGates(resourceSet(classic), []);
    expect(gate!.threatIntel).toEqual({ mode: "Deny", whitelistFqdns: ["*.trafficmanager.net"], whitelistIpAddresses: ["20.3.4.5"], ref: classic.ref, whitelist: "additionalProperties" });
  });

  it("threat intelligence defaults to Alert", () => {
    const [gate] = egressGates(resourceSet(azureFirewall(), firewallPolicy()), []);
    expect(gate!.threatIntel?.mode).toBe("Alert");
    expect(gate!.idps).toBeUndefined();
  });
});

describe("egressGates: NSGs", () => {
  it("joins standalone rules by networkSecurityGroupName and names them as deciding", () => {
    const rule = standaloneSecurityRule();
    const [gate] = egressGates(resourceSet(nsg(), rule), []);
    const verdict = gate!.evaluate(usage);
    expect(verdict.verdict).toBe("denied");
    expect(verdict.decidedBy?.resource).toEqual(rule.ref);
  });

  it("does not join a standalone rule of another NSG", () => {
    const [gate] = egressGates(resourceSet(nsg(), standaloneSecurityRule({ networkSecurityGroupName: "other-nsg" })), []);
    expect(gate!.evaluate(usage).verdict).toBe("allowed");
  });
});

describe("egressGates: selection and unknowns", () => {
  const set = resourceSet(azureFirewall(), firewallPolicy(), ruleCollectionGroup(), nsg());

  it.each([
    { name: "empty selects all", selection: [], gates: ["hub-fw", "egress-nsg"] },
    { name: "by name", selection: ["egress-nsg"], gates: ["egress-nsg"] },
    { name: "by URN", selection: [azureFirewall().ref.urn], gates: ["hub-fw"] },
    { name: "a policy name does not select its firewall", selection: ["hub-policy"], gates: [] },
  ])("$name", ({ selection, gates }) => {
    expect(egressGates(set, selection).map((g) => g.ref.name)).toEqual(gates);
  });

  it("unknown rule collections make verdicts undetermined", () => {
    const [gate] = egressGates(resourceSet(azureFirewall(), firewallPolicy(), ruleCollectionGroup({ unknowns: ["ruleCollections[0].rules"] })), []);
    const verdict = gate!.evaluate(usage);
    expect(verdict.verdict).toBe("undetermined");
    expect(verdict.reason).toBe("depends on values unknown until apply: egress.ruleCollections[0].rules");
  });

  it("unknowns that do not matter are ignored", () => {
    const [gate] = egressGates(resourceSet(azureFirewall(), firewallPolicy(), ruleCollectionGroup({ unknowns: ["etag", "properties.provisioningState"] })), []);
    expect(gate!.evaluate(usage).verdict).toBe("allowed");
  });
});
