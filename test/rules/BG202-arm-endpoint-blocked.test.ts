import { describe, it } from "vitest";
import { assertHasFinding, assertNoFindings, assertRuleMeta, audit } from "./assert";
import { denyAppCollection, GROUP, healthyStack, NSG, nsgRule, POLICY, withCollection, withNsgRule, withoutAllowFor } from "./fixtures";

const ARM = "management.azure.com";
const arm = { host: ARM, port: 443, protocol: "https" };

describe("BG202 arm-endpoint-blocked", () => {
  it("metadata", () => assertRuleMeta("BG202", { slug: "arm-endpoint-blocked", code: "NetworkError", severity: "error", scope: "stack" }));

  it("compliant: Resource Manager is allowed by FQDN on HTTPS 443", () => {
    assertNoFindings(audit(healthyStack()), "BG202");
  });

  it("compliant: an NSG deny on AzureActiveDirectory does not hold Resource Manager", () => {
    assertNoFindings(audit(withNsgRule(nsgRule("deny-aad", 150, "Deny", "AzureActiveDirectory"))), "BG202");
  });

  describe("non-compliant", () => {
    it("1. no application rule names management.azure.com: default deny, error on the policy", () => {
      assertHasFinding(audit(withoutAllowFor(ARM)), {
        rule: "BG202",
        severity: "error",
        resourceName: POLICY,
        ...arm,
        evidence: ["Azure Firewall denies by default"],
        remediation: `Add an application rule that allows ${ARM} (Https:443)`,
      });
    });

    it("2. an explicit Deny collection before the allow: error on the group, naming the collection", () => {
      assertHasFinding(audit(withCollection(denyAppCollection("deny-arm", 150, [ARM]))), {
        rule: "BG202",
        severity: "error",
        resourceName: GROUP,
        ...arm,
        evidence: ['collection "deny-arm" (priority 150, Deny)'],
      });
    });

    it("3. an NSG deny on the AzureResourceManager tag: error on the NSG; the fix names the tag", () => {
      assertHasFinding(audit(withNsgRule(nsgRule("deny-arm", 150, "Deny", "AzureResourceManager"))), {
        rule: "BG202",
        severity: "error",
        resourceName: NSG,
        ...arm,
        evidence: ['rule "deny-arm" (priority 150, Deny)'],
        remediation: "to AzureResourceManager with a priority below 150",
      });
    });
  });

  describe("not applicable", () => {
    it("no firewall, policy or NSG in the stack", () => {
      assertNoFindings(audit(healthyStack({ firewallPolicy: null, ruleCollectionGroup: null, firewall: null, nsg: null })), "BG202");
    });
  });
});
