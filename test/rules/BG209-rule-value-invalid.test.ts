import { describe, expect, it } from "vitest";
import type { Subnet } from "../../src/model/resource";
import { firewallPolicy, nsg, ref, ruleCollectionGroup, standaloneSecurityRule } from "../evaluate/fixtures";
import { assertHasFinding, assertNoFindings, assertRuleMeta, audit } from "./assert";
import { bridgeApplicationRules, GROUP, healthyConfig, healthyStack, NSG, nsgRule, VIP, withCollection, withResource } from "./fixtures";

describe("BG209 rule-value-invalid", () => {
  it("metadata", () => assertRuleMeta("BG209", { slug: "rule-value-invalid", code: "NetworkError", severity: "warning", scope: "stack" }));

  it("compliant: the healthy stamp's rules hold only values Azure matches", () => {
    assertNoFindings(audit(healthyStack()), "BG209");
  });

  describe("non-compliant", () => {
    it("1. a misplaced * in an application rule FQDN: reported even though another rule allows the bridge", () => {
      const typo = { ...bridgeApplicationRules()[0]!, name: "login-typo", targetFqdns: ["login.*.com"] };
      const findings = audit(withCollection({ name: "typos", priority: 50, action: "Allow", collectionKind: "filter", rules: [typo] }));
      assertHasFinding(findings, {
        rule: "BG209",
        severity: "warning",
        resourceName: GROUP,
        message: ['1 value(s) in 1 rule(s) match nothing: collection "typos" > rule "login-typo"'],
        evidence: ['collection "typos" > rule "login-typo": FQDN pattern "login.*.com" is invalid (Azure Firewall accepts "*" only at the far left): it matches nothing'],
      });
      // The verdicts are unchanged: the bridge's own rules still allow it.
      expect(findings.filter((f) => f.rule.id === "BG201" || f.rule.id === "BG301")).toEqual([]);
    });

    it("2. a wildcard in a network rule's destinationFqdns, and a port that is not one", () => {
      const rule = { ruleType: "NetworkRule" as const, name: "wild", ipProtocols: ["TCP"], sourceAddresses: ["*"], sourceIpGroups: [], destinationAddresses: [], destinationIpGroups: [], destinationFqdns: ["*.azure.com"], destinationPorts: ["44x"] };
      assertHasFinding(audit(withCollection({ name: "net", priority: 60, action: "Allow", collectionKind: "filter", rules: [rule] })), {
        rule: "BG209",
        severity: "warning",
        resourceName: GROUP,
        evidence: [
          'collection "net" > rule "wild": network rule FQDN "*.azure.com" has a wildcard: network rules match FQDNs exactly',
          'collection "net" > rule "wild": port "44x" is not a port, a range a-b or *: it matches nothing',
        ],
      });
    });

    it("3. an NSG outbound rule with an address that is not one; inbound rules are not the bridge's concern", () => {
      const bad = nsgRule("bad-dest", 300, "Allow", "10.0.0.0/33");
      const inbound = nsgRule("bad-inbound", 310, "Allow", "not an address", { direction: "Inbound" });
      const findings = audit(healthyStack({ nsg: { securityRules: [...healthyStack().resources.flatMap((r) => (r.kind === "networkSecurityGroup" ? r.securityRules : [])), bad, inbound] } }));
      assertHasFinding(findings, {
        rule: "BG209",
        severity: "warning",
        resourceName: NSG,
        evidence: ['rule "bad-dest": destination "10.0.0.0/33" is not an address, range, CIDR or service tag: it matches nothing'],
      });
      expect(findings.find((f) => f.rule.id === "BG209")!.evidence.join("\n")).not.toContain("bad-inbound");
    });

    // service-tags-overview.md: Internet "Can use with Azure Firewall? No"; service tags are destinations only there.
    it("5. Internet as a firewall rule's destination and a service tag as its source; the same Internet in the NSG is fine", () => {
      const rule = { ruleType: "NetworkRule" as const, name: "to-internet", ipProtocols: ["TCP"], sourceAddresses: ["VirtualNetwork"], sourceIpGroups: [], destinationAddresses: ["Internet"], destinationIpGroups: [], destinationFqdns: [], destinationPorts: ["443"] };
      const findings = audit(withCollection({ name: "web", priority: 70, action: "Allow", collectionKind: "filter", rules: [rule] }));
      assertHasFinding(findings, {
        rule: "BG209",
        severity: "warning",
        resourceName: GROUP,
        evidence: [
          'collection "web" > rule "to-internet": source "VirtualNetwork" is a service tag: Azure Firewall takes service tags as destinations only',
          'collection "web" > rule "to-internet": destination "Internet" is not valid in an Azure Firewall rule: the service-tags table says Internet cannot be used with Azure Firewall',
        ],
      });
      // The healthy NSG denies "Internet": valid there, so the NSG has no BG209 finding.
      expect(findings.filter((f) => f.rule.id === "BG209" && f.resource.name === NSG)).toEqual([]);
    });

    it("4. a standalone SecurityRule resource with a bad source", () => {
      const standalone = standaloneSecurityRule({
        ref: ref("SecurityRule", "bad-source"),
        networkSecurityGroupName: NSG,
        rule: nsgRule("bad-source", 320, "Allow", "*", { sourceAddressPrefixes: ["203.0.113.0/27,"] }),
      });
      assertHasFinding(audit(withResource(standalone)), {
        rule: "BG209",
        severity: "warning",
        resourceName: "bad-source",
        evidence: ['rule "bad-source": source "203.0.113.0/27," is not an address, range, CIDR or service tag: it matches nothing'],
      });
    });

    it("6. a standalone rule whose NSG the stack does not show: not shown off the path, so checked", () => {
      const orphan = standaloneSecurityRule({
        ref: ref("SecurityRule", "orphan"),
        networkSecurityGroupName: "elsewhere-nsg",
        rule: nsgRule("orphan", 330, "Allow", "10.0.0.0/33"),
      });
      assertHasFinding(audit(withResource(orphan)), { rule: "BG209", severity: "warning", resourceName: "orphan" });
    });
  });

  describe("not applicable: gates the stack shows to be off the bridge's path are not evaluated", () => {
    const typo = { ...bridgeApplicationRules()[0]!, name: "login-typo", targetFqdns: ["login.*.com"] };
    const SUB = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/apps/providers/Microsoft.Network";
    const appPolicy = firewallPolicy({ ref: ref("FirewallPolicy", "app-policy"), armId: `${SUB}/firewallPolicies/app-policy`, resourceGroup: "apps" });
    const appGroup = ruleCollectionGroup({
      ref: ref("FirewallPolicyRuleCollectionGroup", "app-rules"),
      resourceGroup: "apps",
      firewallPolicyName: "app-policy",
      ruleCollections: [{ name: "typos", priority: 50, action: "Allow", collectionKind: "filter", rules: [typo] }],
    });

    it("an application team's policy attached to no firewall of the stack (which has one)", () => {
      const findings = audit(healthyStack({ extra: [appPolicy, appGroup] }));
      assertNoFindings(findings, "BG209");
      // The same policy run by the stack's firewall is on the path: its typo is reported.
      assertHasFinding(audit(healthyStack({ firewall: { firewallPolicyId: appPolicy.armId! }, extra: [appPolicy, appGroup] })), { rule: "BG209", severity: "warning", resourceName: "app-rules" });
    });

    it("a workload NSG attached only to a subnet that does not hold the egress sources; the same NSG on the VIP subnet is checked", () => {
      const workload = nsg({ ref: ref("NetworkSecurityGroup", "workload-nsg"), armId: `${SUB}/networkSecurityGroups/workload-nsg`, securityRules: [nsgRule("bad-dest", 300, "Allow", "10.0.0.0/33")] });
      const subnet = (name: string, prefix: string): Subnet => ({
        kind: "subnet",
        ref: ref("Subnet", name),
        armId: `${SUB}/virtualNetworks/spoke/subnets/${name}`,
        resourceGroup: "apps",
        unknowns: [],
        virtualNetworkName: "spoke",
        subnet: { name, armId: `${SUB}/virtualNetworks/spoke/subnets/${name}`, addressPrefixes: [prefix], networkSecurityGroupId: workload.armId! },
      });
      assertNoFindings(audit(healthyStack({ extra: [workload, subnet("workload", "10.20.0.0/24")] })), "BG209");
      assertHasFinding(audit(healthyStack({ extra: [workload, subnet("stamp-vip", VIP)] })), { rule: "BG209", severity: "warning", resourceName: "workload-nsg" });
    });

    it("egress.resources names the path: a gate it does not name is not checked", () => {
      const set = withCollection({ name: "typos", priority: 50, action: "Allow", collectionKind: "filter", rules: [typo] });
      assertHasFinding(audit(set), { rule: "BG209", severity: "warning", resourceName: GROUP });
      const config = healthyConfig();
      assertNoFindings(audit(set, { ...config, egress: { ...config.egress, resources: [NSG] } }), "BG209");
    });
  });
});
