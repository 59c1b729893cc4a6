import { describe, expect, it } from "vitest";
import { catalogEndpoints } from "../../src/catalog/endpoints";
import { assertHasFinding, assertNoFindings, assertRuleMeta, audit, findingsOf } from "./assert";
import { firewallPolicy, ref } from "../evaluate/fixtures";
import { FIREWALL, healthyStack, POLICY, withResource } from "./fixtures";

const BRIDGE_HOSTS = [...new Set(catalogEndpoints("AzureCloud").map((e) => e.host))];

describe("BG207 threat-intel-deny-mode", () => {
  it("metadata", () => assertRuleMeta("BG207", { slug: "threat-intel-deny-mode", code: "NetworkError", severity: "warning", scope: "stack" }));

  it.each(["Alert", "Off", undefined])("compliant: threat intelligence mode %s", (mode) => {
    assertNoFindings(audit(healthyStack({ firewallPolicy: { threatIntelMode: mode } })), "BG207");
  });

  it("compliant: Deny mode with every bridge endpoint on the allow list", () => {
    assertNoFindings(audit(healthyStack({ firewallPolicy: { threatIntelMode: "Deny", threatIntelWhitelistFqdns: BRIDGE_HOSTS } })), "BG207");
  });

  describe("non-compliant", () => {
    it("1. Deny mode: warning on the policy, listing the endpoints not on the allow list", () => {
      const finding = assertHasFinding(audit(healthyStack({ firewallPolicy: { threatIntelMode: "Deny" } })), {
        rule: "BG207",
        severity: "warning",
        resourceName: POLICY,
        message: `threat intelligence is in Deny mode and ${BRIDGE_HOSTS.length} bridge endpoint(s) are not on its allow list`,
        evidence: ["threatIntelMode: Deny", "not in threatIntelWhitelist.fqdns: *.trafficmanager.net"],
        remediation: "to threatIntelWhitelist.fqdns",
      });
      expect(finding.endpoints).toEqual([]);
    });

    it("2. Deny mode with the usage endpoint missing from the allow list: only it is named", () => {
      const whitelist = BRIDGE_HOSTS.filter((h) => h !== "*.trafficmanager.net");
      const findings = audit(healthyStack({ firewallPolicy: { threatIntelMode: "Deny", threatIntelWhitelistFqdns: whitelist } }));
      assertHasFinding(findings, { rule: "BG207", severity: "warning", resourceName: POLICY, evidence: ["not in threatIntelWhitelist.fqdns: *.trafficmanager.net"] });
      expect(findingsOf(findings, "BG207")[0]?.evidence).toContain("not in threatIntelWhitelist.fqdns: *.trafficmanager.net");
    });
  });

  describe("classic firewall and parent policy", () => {
    // A firewall without policy keeps its allow list in additionalProperties["ThreatIntel.Whitelist.FQDNs"]
    // (comma-separated, as `az network firewall threat-intel-allowlist create --fqdns` writes it).
    const classic = (extra: Record<string, unknown>) =>
      healthyStack({ firewallPolicy: null, ruleCollectionGroup: null, firewall: { firewallPolicyId: undefined, threatIntelMode: "Deny", ...extra } });

    it("compliant: Deny mode on a classic firewall whose additionalProperties allow list holds every bridge endpoint", () => {
      assertNoFindings(audit(classic({ threatIntelWhitelistFqdns: BRIDGE_HOSTS })), "BG207");
    });

    it("non-compliant: a classic firewall's allow list missing the usage hosts names them and where the list lives", () => {
      const finding = assertHasFinding(audit(classic({ threatIntelWhitelistFqdns: BRIDGE_HOSTS.filter((h) => !h.startsWith("*.cloudapp")) })), {
        rule: "BG207",
        severity: "warning",
        resourceName: FIREWALL,
        evidence: ['not in additionalProperties["ThreatIntel.Whitelist.FQDNs"]: *.cloudapp.azure.com'],
      });
      expect(finding.remediation).toContain('additionalProperties["ThreatIntel.Whitelist.FQDNs"]');
    });

    it("non-compliant: a parent policy in Deny mode wins over its child's Alert", () => {
      const parentId = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/hub/providers/Microsoft.Network/firewallPolicies/base-policy";
      const parent = firewallPolicy({ ref: ref("FirewallPolicy", "base-policy"), armId: parentId, threatIntelMode: "Deny" });
      const findings = audit(withResource(parent, { firewallPolicy: { threatIntelMode: "Alert", basePolicyId: parentId } }));
      assertHasFinding(findings, { rule: "BG207", severity: "warning", resourceName: "base-policy", evidence: ["threatIntelMode: Deny (set by policy \"base-policy\""] });
    });

    it("non-compliant: a planned policy (no ARM id yet) that the firewall runs sets Deny itself: no parent is named", () => {
      const findings = audit(healthyStack({ firewallPolicy: { threatIntelMode: "Deny", armId: undefined } }));
      const finding = findingsOf(findings, "BG207")[0]!;
      expect(finding.resource.name).toBe(POLICY);
      expect(finding.evidence[0]).toBe("threatIntelMode: Deny");
    });
  });

  describe("not applicable", () => {
    it("no firewall or policy in the stack", () => {
      assertNoFindings(audit(healthyStack({ firewallPolicy: null, ruleCollectionGroup: null, firewall: null })), "BG207");
    });
  });
});
