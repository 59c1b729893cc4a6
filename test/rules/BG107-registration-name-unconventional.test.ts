import { describe, it } from "vitest";
import { assertHasFinding, assertNoFindings, assertRuleMeta, audit } from "./assert";
import { healthyConfig, healthyStack, REGISTRATION_CLOUD_ID } from "./fixtures";

describe("BG107 registration-name-unconventional", () => {
  it("metadata", () => assertRuleMeta("BG107", { slug: "registration-name-unconventional", code: "Unauthorized", severity: "warning", scope: "resource" }));

  it("compliant: AzureStack-<configured CloudId>", () => {
    assertNoFindings(audit(healthyStack()), "BG107");
  });

  it("compliant: without a configured cloudId, the registration's own cloudId", () => {
    assertNoFindings(audit(healthyStack(), healthyConfig({ registration: { cloudId: undefined } })), "BG107");
  });

  it("compliant: without any cloudId, any AzureStack-<GUID>", () => {
    const config = healthyConfig({ registration: null });
    assertNoFindings(audit(healthyStack({ registration: { cloudId: undefined, registrationName: "AzureStack-55555555-5555-4555-8555-555555555555" } }), config), "BG107");
  });

  describe("non-compliant", () => {
    it("1. a hand-picked name: warning that says what the name should be", () => {
      assertHasFinding(audit(healthyStack({ registration: { registrationName: "billing-registration" } })), {
        rule: "BG107",
        severity: "warning",
        resourceName: "registration",
        message: `registration name billing-registration is not AzureStack-${REGISTRATION_CLOUD_ID}`,
        evidence: ["name: billing-registration"],
      });
    });

    it("2. AzureStack-<GUID> of another CloudId: warning", () => {
      assertHasFinding(audit(healthyStack({ registration: { registrationName: "AzureStack-55555555-5555-4555-8555-555555555555" } })), {
        rule: "BG107",
        severity: "warning",
      });
    });
  });

  describe("not applicable", () => {
    it("a name is configured (registration-misplaced checks it)", () => {
      const config = healthyConfig({ registration: { name: "billing-registration" } });
      assertNoFindings(audit(healthyStack({ registration: { registrationName: "billing-registration" } }), config), "BG107");
    });

    it("no registration in the stack", () => {
      assertNoFindings(audit(healthyStack({ registration: null })), "BG107");
    });
  });
});
