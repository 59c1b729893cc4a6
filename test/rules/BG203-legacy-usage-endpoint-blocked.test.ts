import { describe, it } from "vitest";
import { assertHasFinding, assertNoFindings, assertRuleMeta, audit } from "./assert";
import { healthyStack, NSG, nsgRule, POLICY, withNsgRule, withoutAllowFor } from "./fixtures";

const LEGACY = "*.microsoftazurestack.com";
const legacy = { host: LEGACY, port: 443, protocol: "https" };

describe("BG203 legacy-usage-endpoint-blocked", () => {
  it("metadata", () => assertRuleMeta("BG203", { slug: "legacy-usage-endpoint-blocked", code: "NetworkError", severity: "warning", scope: "stack" }));

  it("compliant: the legacy usage endpoint is allowed", () => {
    assertNoFindings(audit(healthyStack()), "BG203");
  });

  describe("non-compliant", () => {
    it("1. its allow removed: warning (older stamps only) on the policy", () => {
      assertHasFinding(audit(withoutAllowFor(LEGACY)), { rule: "BG203", severity: "warning", resourceName: POLICY, ...legacy, evidence: ["Azure Firewall denies by default"] });
    });

    it("2. an NSG deny on Internet: warning on the NSG", () => {
      assertHasFinding(audit(withNsgRule(nsgRule("deny-web", 150, "Deny", "Internet"))), {
        rule: "BG203",
        severity: "warning",
        resourceName: NSG,
        ...legacy,
        evidence: ['rule "deny-web" (priority 150, Deny)'],
      });
    });
  });

  describe("not applicable", () => {
    it("the current usage endpoint's denial is usage-endpoint-blocked's, not this rule's", () => {
      assertNoFindings(audit(withoutAllowFor("*.trafficmanager.net")), "BG203");
    });
  });
});
