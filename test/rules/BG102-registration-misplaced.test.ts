import { describe, it } from "vitest";
import { registration } from "../evaluate/fixtures";
import { assertHasFinding, assertNoFindings, assertRuleMeta, audit } from "./assert";
import { healthyConfig, healthyStack, REGISTRATION_NAME, REGISTRATION_SUBSCRIPTION, withResource } from "./fixtures";

const OTHER_SUBSCRIPTION = "99999999-9999-4999-8999-999999999999";

describe("BG102 registration-misplaced", () => {
  it("metadata", () => assertRuleMeta("BG102", { slug: "registration-misplaced", code: "Unauthorized", severity: "error", scope: "stack" }));

  it("compliant: the registration is where the stamp was registered", () => {
    assertNoFindings(audit(healthyStack()), "BG102");
  });

  it("compliant: subscription and resource group compare case-insensitively", () => {
    assertNoFindings(audit(healthyStack({ registration: { resourceGroup: "AzureStack", subscriptionId: REGISTRATION_SUBSCRIPTION.toUpperCase() } })), "BG102");
  });

  it("compliant: the configured name matches", () => {
    assertNoFindings(audit(healthyStack(), healthyConfig({ registration: { name: REGISTRATION_NAME } })), "BG102");
  });

  describe("non-compliant", () => {
    it("1. another subscription: error on the registration, with where it is and where it should be", () => {
      assertHasFinding(audit(healthyStack({ registration: { subscriptionId: OTHER_SUBSCRIPTION } })), {
        rule: "BG102",
        severity: "error",
        resourceName: "registration",
        message: `registration is in subscription ${OTHER_SUBSCRIPTION}, resource group azurestack`,
        evidence: [`found: subscription ${OTHER_SUBSCRIPTION}`, `expected: subscription ${REGISTRATION_SUBSCRIPTION}, resource group azurestack`, "id: /subscriptions/"],
      });
    });

    it("2. another resource group: error", () => {
      assertHasFinding(audit(healthyStack({ registration: { resourceGroup: "stamp-billing" } })), {
        rule: "BG102",
        severity: "error",
        resourceName: "registration",
        evidence: ["found: subscription", "resource group stamp-billing"],
      });
    });

    it("3. another name than the configured one: error", () => {
      const config = healthyConfig({ registration: { name: REGISTRATION_NAME } });
      assertHasFinding(audit(healthyStack({ registration: { registrationName: "AzureStack-recreated" } }), config), {
        rule: "BG102",
        severity: "error",
        evidence: ["name AzureStack-recreated", `expected: subscription ${REGISTRATION_SUBSCRIPTION}, resource group azurestack, name ${REGISTRATION_NAME}`],
      });
    });

    it("4. a planned registration whose subscription is not known: warning, undetermined", () => {
      assertHasFinding(audit(healthyStack({ registration: { subscriptionId: undefined, armId: undefined } })), {
        rule: "BG102",
        severity: "warning",
        resourceName: "registration",
        message: "cannot tell where the registration will be created (undetermined)",
      });
    });

    it("5. the name is not known until apply (with a name expected): warning, undetermined, not compared as the Pulumi name", () => {
      const config = healthyConfig({ registration: { name: REGISTRATION_NAME } });
      assertHasFinding(audit(healthyStack({ registration: { registrationName: undefined, armId: undefined, unknowns: ["registrationName"] } }), config), {
        rule: "BG102",
        severity: "warning",
        resourceName: "registration",
        message: `the registration's name is not known until apply (undetermined), expected ${REGISTRATION_NAME}`,
        evidence: ["registrationName: unknown"],
      });
    });

    it("6. the name is not known, but the subscription is wrong: still an error", () => {
      const config = healthyConfig({ registration: { name: REGISTRATION_NAME } });
      const stack = healthyStack({ registration: { registrationName: undefined, armId: undefined, unknowns: ["registrationName"], subscriptionId: OTHER_SUBSCRIPTION } });
      assertHasFinding(audit(stack, config), { rule: "BG102", severity: "error", evidence: [`found: subscription ${OTHER_SUBSCRIPTION}`] });
    });
  });

  describe("not applicable", () => {
    it("no registration expectation configured", () => {
      assertNoFindings(audit(healthyStack({ registration: { subscriptionId: OTHER_SUBSCRIPTION } }), healthyConfig({ registration: null })), "BG102");
    });

    it("no registration at all (registration-missing reports it)", () => {
      assertNoFindings(audit(healthyStack({ registration: null })), "BG102");
    });

    it("a second registration elsewhere, beside the one at the expected place", () => {
      const stray = registration({
        ref: { urn: "urn:pulumi:prod::stamp::azure-native:azurestack:Registration::lab", type: "azure-native:azurestack:Registration", name: "lab" },
        subscriptionId: OTHER_SUBSCRIPTION,
      });
      assertNoFindings(audit(withResource(stray)), "BG102");
    });
  });
});
