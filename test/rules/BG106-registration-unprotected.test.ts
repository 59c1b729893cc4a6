import { describe, it } from "vitest";
import { assertHasFinding, assertNoFindings, assertRuleMeta, audit } from "./assert";
import { healthyStack } from "./fixtures";

describe("BG106 registration-unprotected", () => {
  it("metadata", () => assertRuleMeta("BG106", { slug: "registration-unprotected", code: "Unauthorized", severity: "warning", scope: "resource" }));

  it("compliant: protect: true", () => {
    assertNoFindings(audit(healthyStack()), "BG106");
  });

  describe("non-compliant", () => {
    it("1. protect: false: warning, with the resource option to add", () => {
      assertHasFinding(audit(healthyStack({ registration: { protect: false } })), {
        rule: "BG106",
        severity: "warning",
        resourceName: "registration",
        message: "not protected",
        evidence: ["protect: false"],
        remediation: "Add `{ protect: true }`",
      });
    });
  });

  describe("not applicable", () => {
    it("a source without Pulumi's protect (ARM JSON, invokes)", () => {
      assertNoFindings(audit(healthyStack({ registration: { protect: undefined } })), "BG106");
    });
  });
});
