import { describe, it } from "vitest";
import { assertHasFinding, assertNoFindings, assertRuleMeta, audit } from "./assert";
import { healthyStack } from "./fixtures";

describe("BG105 registration-pending-deletion", () => {
  it("metadata", () => assertRuleMeta("BG105", { slug: "registration-pending-deletion", code: "Unauthorized", severity: "error", scope: "resource" }));

  it("compliant: no pending operation", () => {
    assertNoFindings(audit(healthyStack()), "BG105");
  });

  describe("non-compliant", () => {
    it.each([
      { n: 1, operation: "delete" as const },
      { n: 2, operation: "replace" as const },
    ])("$n. a pending $operation: error on the registration", ({ operation }) => {
      assertHasFinding(audit(healthyStack({ registration: { pendingOperation: operation } })), {
        rule: "BG105",
        severity: "error",
        resourceName: "registration",
        message: `pending ${operation} operation`,
        evidence: [`pending operation: ${operation}`],
      });
    });
  });

  describe("not applicable", () => {
    it("no registration in the stack", () => {
      assertNoFindings(audit(healthyStack({ registration: null })), "BG105");
    });
  });
});
