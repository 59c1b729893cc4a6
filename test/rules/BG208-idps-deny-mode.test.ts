import { describe, expect, it } from "vitest";
import type { IdpsBypass } from "../../src/model/resource";
import { assertHasFinding, assertNoFindings, assertRuleMeta, audit, findingsOf } from "./assert";
import { healthyStack, POLICY, VIP } from "./fixtures";

/** A bypass entry as `intrusionDetection.configuration.bypassTrafficSettings[]` holds it. */
function bypass(overrides: Partial<IdpsBypass> = {}): IdpsBypass {
  return { name: "bridge", protocol: "ANY", sourceAddresses: [VIP], sourceIpGroups: [], destinationAddresses: ["*"], destinationIpGroups: [], destinationPorts: ["*"], ...overrides };
}

describe("BG208 idps-deny-mode", () => {
  it("metadata", () => assertRuleMeta("BG208", { slug: "idps-deny-mode", code: "NetworkError", severity: "warning", scope: "stack" }));

  it.each(["Alert", "Off", undefined])("compliant: IDPS mode %s", (mode) => {
    assertNoFindings(audit(healthyStack({ firewallPolicy: { skuTier: "Premium", intrusionDetectionMode: mode } })), "BG208");
  });

  it("compliant: Deny mode with a bypass entry for everything the stamp sends from its VIP range", () => {
    assertNoFindings(audit(healthyStack({ firewallPolicy: { skuTier: "Premium", intrusionDetectionMode: "Deny", idpsBypass: [bypass()] } })), "BG208");
  });

  it("compliant: signature overrides to Deny do nothing while IDPS is Off", () => {
    assertNoFindings(audit(healthyStack({ firewallPolicy: { skuTier: "Premium", intrusionDetectionMode: "Off", idpsSignatureOverrides: [{ id: "2525004", mode: "Deny" }] } })), "BG208");
  });

  it("compliant: IDPS sees only what the rules allow, so a policy that allows nothing gives it nothing to drop", () => {
    const findings = audit(healthyStack({ firewallPolicy: { skuTier: "Premium", intrusionDetectionMode: "Deny" }, ruleCollectionGroup: null }));
    assertNoFindings(findings, "BG208");
    // The rules' own denial is reported where it belongs.
    expect(findingsOf(findings, "BG201").length).toBeGreaterThan(0);
  });

  describe("non-compliant", () => {
    it("1. Alert and Deny mode without bypass: warning on the policy, IDPS acting after the rules", () => {
      const finding = assertHasFinding(audit(healthyStack({ firewallPolicy: { skuTier: "Premium", intrusionDetectionMode: "Deny" } })), {
        rule: "BG208",
        severity: "warning",
        resourceName: POLICY,
        message: ["intrusion detection (IDPS) is in Alert and Deny mode", "after the rules allow it"],
        evidence: ["intrusionDetection.mode: Deny", "bypassTrafficSettings: none"],
        host: "*.trafficmanager.net",
      });
      expect(finding.message).not.toContain("before");
    });

    // FirewallPolicyPut.json (Microsoft.Network 2024-05-01): mode Alert, signature 2525004 overridden to Deny,
    // bypass entry "bypassRule1" TCP 1.2.3.4 -> 5.6.7.8 on any port.
    it("2. Alert mode with a signature overridden to Deny (the REST example's intrusionDetection): the override can drop", () => {
      const settings = {
        skuTier: "Premium",
        intrusionDetectionMode: "Alert",
        idpsSignatureOverrides: [{ id: "2525004", mode: "Deny" }],
        idpsBypass: [bypass({ name: "bypassRule1", protocol: "TCP", sourceAddresses: ["1.2.3.4"], destinationAddresses: ["5.6.7.8"], destinationPorts: ["*"] })],
      };
      assertHasFinding(audit(healthyStack({ firewallPolicy: settings })), {
        rule: "BG208",
        severity: "warning",
        resourceName: POLICY,
        message: "runs in Alert mode, but 1 signature(s) are overridden to Deny",
        evidence: ["signatureOverrides in Deny: 2525004", "bypassTrafficSettings: bypassRule1 (none surely exempts these flows)"],
      });
    });

    it("3. a bypass for TCP 443 and 80 from the VIP leaves time and DNS exposed: only those are named", () => {
      const finding = assertHasFinding(audit(healthyStack({ firewallPolicy: { skuTier: "Premium", intrusionDetectionMode: "Deny", idpsBypass: [bypass({ protocol: "TCP", destinationPorts: ["443", "80"] })] } })), {
        rule: "BG208",
        severity: "warning",
        resourceName: POLICY,
        host: "10.0.0.10",
      });
      expect(finding.endpoints.map((e) => e.purpose).sort()).toEqual(["dns", "dns", "time"]);
    });

    it("4. a bypass to one address cannot be matched to the bridge's names: still a warning, saying why", () => {
      assertHasFinding(audit(healthyStack({ firewallPolicy: { skuTier: "Premium", intrusionDetectionMode: "Deny", idpsBypass: [bypass({ name: "one-ip", destinationAddresses: ["20.1.2.3"] })] } })), {
        rule: "BG208",
        severity: "warning",
        evidence: ['bypass entry "one-ip" may exempt TCP 443 to *.trafficmanager.net: IP rule cannot be matched to an FQDN statically'],
      });
    });
  });

  describe("not applicable", () => {
    it("no firewall policy in the stack", () => {
      assertNoFindings(audit(healthyStack({ firewallPolicy: null, ruleCollectionGroup: null, firewall: null })), "BG208");
    });
  });
});
