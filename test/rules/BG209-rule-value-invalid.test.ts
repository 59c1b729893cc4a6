import { describe, expect, it } from "vitest";
import { ref, standaloneSecurityRule } from "../evaluate/fixtures";
import { assertHasFinding, assertNoFindings, assertRuleMeta, audit } from "./assert";
import { bridgeApplicationRules, GROUP, healthyStack, NSG, nsgRule, withCollection, withResource } from "./fixtures";

describe("BG209 rule-value-invalid", () => {
  it("metadata", () => assertRuleMeta("BG209", { slug: "rule-value-invalid", code: "NetworkError", severity: "warning", scope: "resource" }));

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
  });
});
