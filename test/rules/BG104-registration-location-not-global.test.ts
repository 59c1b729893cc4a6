import { describe, it } from "vitest";
import { assertHasFinding, assertNoFindings, assertRuleMeta, audit } from "./assert";
import { healthyStack } from "./fixtures";

describe("BG104 registration-location-not-global", () => {
  it("metadata", () => assertRuleMeta("BG104", { slug: "registration-location-not-global", code: "Unauthorized", severity: "error", scope: "resource" }));

  it("compliant: location global", () => {
    assertNoFindings(audit(healthyStack()), "BG104");
  });

  it("compliant: location compares case-insensitively", () => {
    assertNoFindings(audit(healthyStack({ registration: { location: "Global" } })), "BG104");
  });

  describe("non-compliant", () => {
    it("1. a regional location: error with the concrete fix first", () => {
      assertHasFinding(audit(healthyStack({ registration: { location: "westeurope" } })), {
        rule: "BG104",
        severity: "error",
        resourceName: "registration",
        message: "location is westeurope, expected global",
        evidence: ["location: westeurope"],
        remediation: "Set location: global.",
      });
    });

    it("2. location unknown until apply (or secret): warning, undetermined", () => {
      assertHasFinding(audit(healthyStack({ registration: { location: undefined, unknowns: ["location"] } })), {
        rule: "BG104",
        severity: "warning",
        resourceName: "registration",
        message: "(undetermined)",
        evidence: ["location: unknown"],
      });
    });
  });

  describe("not applicable", () => {
    it("no registration in the stack", () => {
      assertNoFindings(audit(healthyStack({ registration: null })), "BG104");
    });
  });
});
