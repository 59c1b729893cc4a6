import { describe, it } from "vitest";
import { registration } from "../evaluate/fixtures";
import { assertHasFinding, assertNoFindings, assertRuleMeta, audit } from "./assert";
import { healthyConfig, healthyStack, REGISTRATION_CLOUD_ID, REGISTRATION_SUBSCRIPTION } from "./fixtures";

// The configuration knows the stamp's CloudId, so the missing resource is named as registration names it.
const EXPECTED_NAME = `AzureStack-${REGISTRATION_CLOUD_ID}`;
const EXPECTED_URN = `/subscriptions/${REGISTRATION_SUBSCRIPTION}/resourceGroups/azurestack/providers/Microsoft.AzureStack/registrations/${EXPECTED_NAME}`;

describe("BG101 registration-missing", () => {
  it("metadata", () => assertRuleMeta("BG101", { slug: "registration-missing", code: "Unauthorized", severity: "error", scope: "stack" }));

  it("compliant: the registration is in the expected subscription and resource group", () => {
    assertNoFindings(audit(healthyStack()), "BG101");
  });

  describe("non-compliant", () => {
    it("1. no registration resource at all: error on the registration that should exist", () => {
      assertHasFinding(audit(healthyStack({ registration: null })), {
        rule: "BG101",
        severity: "error",
        resourceUrn: EXPECTED_URN,
        resourceName: EXPECTED_NAME,
        message: `no registration resource in subscription ${REGISTRATION_SUBSCRIPTION}, resource group azurestack`,
        evidence: ["expected: Microsoft.AzureStack/registrations", "found in healthyStack(): no registration resource"],
      });
    });

    it("2. the only registration is about to be deleted: error that names the pending delete", () => {
      const pending = registration({ pendingOperation: "delete" });
      assertHasFinding(audit(healthyStack({ registration: { pendingOperation: "delete" } })), {
        rule: "BG101",
        severity: "error",
        resourceUrn: EXPECTED_URN,
        message: "the only one is about to be deleted",
        evidence: [`${pending.ref.urn} (pending delete)`],
      });
    });

    it("1b. without a name or a CloudId in the configuration, the expected name is the pattern", () => {
      const config = healthyConfig();
      delete config.registration!.cloudId;
      assertHasFinding(audit(healthyStack({ registration: null }), config), {
        rule: "BG101",
        severity: "error",
        resourceName: "AzureStack-<CloudId>",
        message: `no registration resource in subscription ${REGISTRATION_SUBSCRIPTION}, resource group azurestack`,
      });
    });

    it("3. a configured registration name is used for the expected resource", () => {
      const config = healthyConfig({ registration: { name: "stamp-registration" } });
      assertHasFinding(audit(healthyStack({ registration: null }), config), {
        rule: "BG101",
        severity: "error",
        resourceName: "stamp-registration",
        message: "name stamp-registration",
      });
    });
  });

  describe("not applicable", () => {
    it("no registration expectation configured: silent, even without a registration", () => {
      assertNoFindings(audit(healthyStack({ registration: null }), healthyConfig({ registration: null })), "BG101");
    });

    it("a registration elsewhere is registration-misplaced's finding, not a missing one", () => {
      assertNoFindings(audit(healthyStack({ registration: { subscriptionId: "99999999-9999-4999-8999-999999999999" } })), "BG101");
    });
  });
});
