import { describe, expect, it } from "vitest";
import { runRules } from "../../src/engine/run";
import type { PlannedOperation, ResourceSet } from "../../src/model/resource";
import { findRule, PLAN_RULES } from "../../src/rules";
import { assertHasFinding, assertNoFindings, audit } from "./assert";
import { healthyConfig, healthyStack } from "./fixtures";

const REGISTRATION = { urn: "urn:pulumi:prod::azs::azure-native:azurestack:Registration::registration", type: "azure-native:azurestack:Registration", name: "registration" };

function withPlan(...ops: PlannedOperation[]): ResourceSet {
  return { ...healthyStack(), plannedOperations: ops };
}

function planned(op: string, replaceReasons: string[] = [], diffReasons: string[] = [], resource = REGISTRATION): PlannedOperation {
  return { resource, op, replaceReasons, diffReasons };
}

const auditPlan = (set: ResourceSet) => runRules(set, healthyConfig(), PLAN_RULES);

describe("BG109 registration-planned-removal", () => {
  it("metadata: a plan rule, which the policy pack does not have", () => {
    expect(findRule("BG109")?.meta).toMatchObject({ slug: "registration-planned-removal", code: "Unauthorized", severity: "error", scope: "plan" });
    expect(findRule("registration-planned-removal")).toBe(findRule("BG109"));
    // The static rules (policy pack, program) never run it: they see no planned operations.
    assertNoFindings(audit(withPlan(planned("delete"))), "BG109");
  });

  it("compliant: no plan, or a plan that updates the registration in place or leaves it alone", () => {
    expect(auditPlan(healthyStack())).toEqual([]);
    expect(auditPlan(withPlan(planned("update", [], ["tags"]), planned("same"), planned("create")))).toEqual([]);
  });

  describe("non-compliant", () => {
    it.each(["delete", "replace", "create-replacement", "delete-replaced"])("a planned %s: an error naming the operation", (op) => {
      assertHasFinding(auditPlan(withPlan(planned(op))), {
        rule: "BG109",
        severity: "error",
        resourceName: "registration",
        message: `the preview plans to ${op} the registration`,
        evidence: [`planned operation: ${op}`],
      });
    });

    it("names the replace and diff reasons", () => {
      assertHasFinding(auditPlan(withPlan(planned("replace", ["resourceGroup", "registrationName"], ["resourceGroup", "registrationName", "tags"]))), {
        rule: "BG109",
        severity: "error",
        message: "the preview plans to replace the registration because resourceGroup, registrationName changed",
        evidence: ["planned operation: replace", "replace reasons: resourceGroup, registrationName", "diff reasons: resourceGroup, registrationName, tags"],
      });
    });

    it("an azure-native v2 versioned type token is the registration too", () => {
      const versioned = { ...REGISTRATION, type: "azure-native:azurestack/v20220601:Registration" };
      expect(auditPlan(withPlan(planned("delete", [], [], versioned))).map((f) => f.rule.id)).toEqual(["BG109"]);
    });
  });

  it("not applicable: another resource's delete", () => {
    const other = { urn: "urn:pulumi:prod::azs::azure-native:network:RouteTable::rt", type: "azure-native:network:RouteTable", name: "rt" };
    expect(auditPlan(withPlan(planned("delete", [], [], other)))).toEqual([]);
  });
});
