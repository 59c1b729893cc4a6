import { describe, expect, it } from "vitest";
import { assertHasFinding, assertNoFindings, assertRuleMeta, audit, endpointsOf, findingsOf } from "./assert";
import { healthyConfig, healthyStack, REGISTRATION_CLOUD_ID, REGISTRATION_OBJECT_ID } from "./fixtures";

const OTHER_ID = "44444444-4444-4444-8444-444444444444";

describe("BG103 registration-identity-mismatch", () => {
  it("metadata", () => assertRuleMeta("BG103", { slug: "registration-identity-mismatch", code: "Unauthorized", severity: "error", scope: "resource" }));

  it("compliant: cloudId and objectId are the configured ones", () => {
    assertNoFindings(audit(healthyStack()), "BG103");
  });

  it("compliant: GUIDs compare case-insensitively", () => {
    assertNoFindings(audit(healthyStack({ registration: { cloudId: REGISTRATION_CLOUD_ID.toUpperCase() } })), "BG103");
  });

  describe("non-compliant", () => {
    it("1. another cloudId: error with both values", () => {
      assertHasFinding(audit(healthyStack({ registration: { cloudId: OTHER_ID } })), {
        rule: "BG103",
        severity: "error",
        resourceName: "registration",
        message: `cloudId is ${OTHER_ID}, expected ${REGISTRATION_CLOUD_ID}`,
        evidence: [`cloudId: ${OTHER_ID}`, `expected (registration.cloudId): ${REGISTRATION_CLOUD_ID}`],
      });
    });

    it("2. another objectId: error", () => {
      assertHasFinding(audit(healthyStack({ registration: { objectId: OTHER_ID } })), {
        rule: "BG103",
        severity: "error",
        resourceName: "registration",
        message: `objectId is ${OTHER_ID}, expected ${REGISTRATION_OBJECT_ID}`,
      });
    });

    it("3. cloudId unknown until apply: warning, undetermined", () => {
      assertHasFinding(audit(healthyStack({ registration: { cloudId: undefined, unknowns: ["cloudId"] } })), {
        rule: "BG103",
        severity: "warning",
        message: "cloudId is not known until apply (undetermined)",
        evidence: ["cloudId: unknown"],
      });
    });

    it("4. cloudId absent from the body (GET and LIST may omit it): warning, not a pass", () => {
      assertHasFinding(audit(healthyStack({ registration: { cloudId: undefined } })), {
        rule: "BG103",
        severity: "warning",
        message: "cloudId is absent",
        evidence: ["cloudId: absent"],
      });
    });

    it("5. both differ: one finding each", () => {
      const findings = audit(healthyStack({ registration: { cloudId: OTHER_ID, objectId: OTHER_ID } }));
      expect(findingsOf(findings, "BG103").map((f) => f.message.split(" ")[0])).toEqual(["cloudId", "objectId"]);
      expect(endpointsOf(findings, "BG103")).toEqual(["(none)", "(none)"]);
    });
  });

  describe("not applicable", () => {
    it("no registration expectation configured", () => {
      assertNoFindings(audit(healthyStack({ registration: { cloudId: OTHER_ID } }), healthyConfig({ registration: null })), "BG103");
    });

    it("cloudId and objectId not configured: nothing to compare", () => {
      const config = healthyConfig({ registration: { cloudId: undefined, objectId: undefined } });
      assertNoFindings(audit(healthyStack({ registration: { cloudId: OTHER_ID, objectId: OTHER_ID } }), config), "BG103");
    });
  });
});
