import { describe, it } from "vitest";
import { assertHasFinding, assertNoFindings, assertRuleMeta, audit } from "./assert";
import { healthyStack, POLICY } from "./fixtures";

describe("BG208 idps-deny-mode", () => {
  it("metadata", () => assertRuleMeta("BG208", { slug: "idps-deny-mode", code: "NetworkError", severity: "warning", scope: "stack" }));

  it.each(["Alert", "Off", undefined])("compliant: IDPS mode %s", (mode) => {
    assertNoFindings(audit(healthyStack({ firewallPolicy: { skuTier: "Premium", intrusionDetectionMode: mode } })), "BG208");
  });

  describe("non-compliant", () => {
    it("1. IDPS in Deny mode: warning on the policy", () => {
      assertHasFinding(audit(healthyStack({ firewallPolicy: { intrusionDetectionMode: "Deny" } })), {
        rule: "BG208",
        severity: "warning",
        resourceName: POLICY,
        message: "intrusion detection (IDPS) is in Deny mode",
        evidence: ["intrusionDetection.mode: Deny"],
      });
    });
  });

  describe("not applicable", () => {
    it("no firewall policy in the stack", () => {
      assertNoFindings(audit(healthyStack({ firewallPolicy: null, ruleCollectionGroup: null, firewall: null })), "BG208");
    });
  });
});
