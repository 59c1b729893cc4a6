/**
 * Sources: the registration page (azure-stack/operator/azure-stack-registration.md): the newest
 * Set-AzsRegistration takes -RegistrationName, so the operator chooses the name; Region management >
 * Properties shows the stamp's registration name. REST: Microsoft.AzureStack 2022-06-01 Registration_Get.
 */
import { describe, it } from "vitest";
import { assertHasFinding, assertNoFindings, assertRuleMeta, audit } from "./assert";
import { healthyConfig, healthyStack, REGISTRATION_NAME } from "./fixtures";

describe("BG107 registration-name-unconventional", () => {
  it("metadata", () => assertRuleMeta("BG107", { slug: "registration-name-unconventional", code: "Unauthorized", severity: "error", scope: "resource" }));

  it("compliant: AzureStack-<CloudId>", () => {
    assertNoFindings(audit(healthyStack()), "BG107");
  });

  it("compliant: a name the operator chose, with no name configured (no warning any more)", () => {
    assertNoFindings(audit(healthyStack({ registration: { registrationName: "billing-registration" } })), "BG107");
    assertNoFindings(audit(healthyStack({ registration: { registrationName: "AzureStack-55555555-5555-4555-8555-555555555555" } })), "BG107");
  });

  it("compliant: the configured name, compared case-insensitively", () => {
    const config = healthyConfig({ registration: { name: "Billing-Registration" } });
    assertNoFindings(audit(healthyStack({ registration: { registrationName: "billing-registration" } }), config), "BG107");
  });

  describe("non-compliant", () => {
    it("1. the configuration names the registration and the stack's differs: error", () => {
      const config = healthyConfig({ registration: { name: REGISTRATION_NAME } });
      assertHasFinding(audit(healthyStack({ registration: { registrationName: "AzureStack-recreated" } }), config), {
        rule: "BG107",
        severity: "error",
        message: `registration name AzureStack-recreated is not ${REGISTRATION_NAME}`,
        evidence: ["name: AzureStack-recreated", `expected (registration.name): ${REGISTRATION_NAME}`],
      });
    });

    it("2. the name is not known until apply: warning, undetermined, not compared as the Pulumi name", () => {
      const config = healthyConfig({ registration: { name: REGISTRATION_NAME } });
      assertHasFinding(audit(healthyStack({ registration: { registrationName: undefined, armId: undefined, unknowns: ["registrationName"] } }), config), {
        rule: "BG107",
        severity: "warning",
        message: `the registration's name is not known until apply (undetermined), expected ${REGISTRATION_NAME}`,
      });
    });
  });

  describe("not applicable", () => {
    it("no registration in the stack", () => {
      assertNoFindings(audit(healthyStack({ registration: null }), healthyConfig({ registration: { name: REGISTRATION_NAME } })), "BG107");
    });
  });
});
