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

    it("4. a planned registration whose subscription is not known: warning, undetermined", () => {
      assertHasFinding(audit(healthyStack({ registration: { subscriptionId: undefined, armId: undefined } })), {
        rule: "BG102",
        severity: "warning",
        resourceName: "registration",
        message: "cannot tell where the registration will be created (undetermined)",
      });
    });

    // Issue: the subscription comes only from ARM_SUBSCRIPTION_ID (the bundled GitHub workflow), so a planned
    // registration has no subscription; its resource group alone decides (resources.md: "Subscription and
    // resource group of a resource come from its ARM id, or for a planned resource from its inputs").
    it("5. subscription unknown, resource group wrong: error decided on the resource group, saying which was known", () => {
      assertHasFinding(audit(healthyStack({ registration: { subscriptionId: undefined, armId: undefined, resourceGroup: "stamp-billing" } })), {
        rule: "BG102",
        severity: "error",
        message: "registration is in resource group stamp-billing, not in azurestack (subscription not known)",
        evidence: ["known: resource group", "found: subscription (unknown), resource group stamp-billing"],
      });
    });

    it("6. subscription unknown, resource group right: undetermined, and the evidence says the resource group was known", () => {
      assertHasFinding(audit(healthyStack({ registration: { subscriptionId: undefined, armId: undefined } })), {
        rule: "BG102",
        severity: "warning",
        evidence: ["known: resource group"],
      });
    });

    it("7. another name than the configured one is BG107's, not this rule's", () => {
      const config = healthyConfig({ registration: { name: REGISTRATION_NAME } });
      assertNoFindings(audit(healthyStack({ registration: { registrationName: "AzureStack-recreated" } }), config), "BG102");
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
