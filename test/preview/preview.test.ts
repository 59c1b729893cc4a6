import { describe, expect, it } from "vitest";
import { loadConfig } from "../../src/engine/config";
import { auditResourceSet } from "../../src/engine/run";
import { loadAuditInput, loadDocument } from "../../src/input";
import type { Registration } from "../../src/model/resource";
import { AUDIT_RULES } from "../../src/rules";
import { EXAMPLES, exampleConfig, healthy } from "../cli/run-cli";
import { fixture, inputError, readFixture } from "../input/helpers";

/*
 * `pulumi preview --json` documents. The two fixtures are the healthy example stack with a planned replace of
 * its registration (its resource group changes), written as Pulumi writes them (pkg/backend/display/json.go:
 * secrets as "[secret]", unknown outputs as the unknown sentinel, replaceReasons/diffReasons):
 * - replace-registration-sames.json: with --show-sames, every resource has a step;
 * - replace-registration.json: without it, only the root stack and the replace are listed, while
 *   changeSummary still counts the 7 `same` steps.
 */
const SAMES = "preview/replace-registration-sames.json";
const CHANGES = "preview/replace-registration.json";
const REGISTRATION_URN = "urn:pulumi:prod::azs-border::azure-native:azurestack:Registration::registration";
const config = loadConfig(exampleConfig);

function doc(json: unknown) {
  return { json, text: JSON.stringify(json, null, 4) };
}

describe("preview with --show-sames: the whole planned state", () => {
  const loaded = loadAuditInput(fixture(SAMES));

  it("is complete, holds each step's newState and the planned operations with their reasons", () => {
    expect(loaded.preview).toEqual({ coverage: "complete", changes: 1 });
    expect(loaded.set.resources.map((r) => r.kind).sort()).toEqual(["azureFirewall", "firewallPolicy", "networkSecurityGroup", "registration", "routeTable", "ruleCollectionGroup"]);
    const registration = loaded.set.resources.find((r) => r.kind === "registration") as Registration;
    // The planned (new) state, not the old one.
    expect(registration.resourceGroup).toBe("azurestack-billing");
    expect(registration.unknowns).toEqual(expect.arrayContaining(["cloudId", "objectId"]));
    expect(loaded.set.plannedOperations).toEqual([
      { resource: expect.objectContaining({ urn: REGISTRATION_URN, type: "azure-native:azurestack:Registration" }), op: "replace", replaceReasons: ["resourceGroup"], diffReasons: ["resourceGroup"] },
    ]);
  });

  it("reads a masked secret as an opaque secret, never as the text [secret]", () => {
    const json = readFixture(SAMES) as { steps: { newState?: { type: string; outputs: Record<string, unknown> } }[] };
    const registrationStep = json.steps.find((s) => s.newState?.type === "azure-native:azurestack:Registration")!;
    registrationStep.newState!.outputs.cloudId = "[secret]";
    const registration = loadDocument(doc(json), "p.json").set.resources.find((r) => r.kind === "registration") as Registration;
    expect(registration.cloudId).toBeUndefined();
    expect(registration.unknowns).toContain("cloudId");
  });

  it("reports the planned replace as Unauthorized BG109, naming the operation and the reasons, and audits the rest", () => {
    const report = auditResourceSet(loaded.set, config, AUDIT_RULES);
    const planned = report.findings.filter((f) => f.rule.id === "BG109");
    expect(planned).toHaveLength(1);
    expect(planned[0]).toMatchObject({ code: "Unauthorized", severity: "error", message: "the preview plans to replace the registration because resourceGroup changed" });
    expect(planned[0]!.evidence).toEqual(["planned operation: replace", "replace reasons: resourceGroup", "diff reasons: resourceGroup"]);
    // The planned state moves the registration: the stack rule that needs the whole stack ran on it.
    expect(report.findings.map((f) => f.rule.id)).toContain("BG102");
    expect(report.summary.endpoints).toBeGreaterThan(0);
  });

  it("a planned delete removes the registration from the planned state: BG109 says delete, BG101 finds it missing", () => {
    const json = readFixture(SAMES) as { steps: Record<string, unknown>[]; changeSummary: Record<string, number> };
    const step = json.steps.find((s) => s.urn === REGISTRATION_URN)!;
    step.op = "delete";
    delete step.newState;
    delete step.replaceReasons;
    delete step.diffReasons;
    json.changeSummary = { delete: 1, same: 7 };
    const loadedDelete = loadDocument(doc(json), "p.json");
    expect(loadedDelete.set.resources.some((r) => r.kind === "registration")).toBe(false);
    const report = auditResourceSet(loadedDelete.set, config, AUDIT_RULES);
    expect(report.findings.find((f) => f.rule.id === "BG109")?.message).toBe("the preview plans to delete the registration");
    expect(report.findings.map((f) => f.rule.id)).toContain("BG101");
  });

  it("with --show-replacement-steps, one finding names every step of the replacement", () => {
    const json = readFixture(SAMES) as { steps: Record<string, unknown>[] };
    const index = json.steps.findIndex((s) => s.urn === REGISTRATION_URN);
    const replace = json.steps[index]!;
    json.steps.splice(index, 0, { ...replace, op: "create-replacement" });
    json.steps.splice(index + 2, 0, { op: "delete-replaced", urn: REGISTRATION_URN, oldState: replace.oldState });
    const loadedSteps = loadDocument(doc(json), "p.json");
    // The delete-replaced old copy does not take the replacement out of the planned state.
    expect(loadedSteps.set.resources.filter((r) => r.kind === "registration")).toHaveLength(1);
    const planned = auditResourceSet(loadedSteps.set, config, AUDIT_RULES).findings.filter((f) => f.rule.id === "BG109");
    expect(planned.map((f) => f.message)).toEqual(["the preview plans to create-replacement and replace and delete-replaced the registration because resourceGroup changed"]);
  });
});

describe("preview without --show-sames", () => {
  it("alone: only the changed resources, and it says so (coverage changes-only)", () => {
    const loaded = loadAuditInput(fixture(CHANGES));
    expect(loaded.preview).toEqual({ coverage: "changes-only", changes: 1 });
    expect(loaded.set.resources.map((r) => r.ref.urn)).toEqual([REGISTRATION_URN]);
  });

  it("with --state: the changes laid over the stack export, the unchanged resources from it", () => {
    const loaded = loadAuditInput(fixture(CHANGES), { state: healthy });
    expect(loaded.preview?.coverage).toBe("with-state");
    const whole = loadAuditInput(fixture(SAMES));
    expect(loaded.set.resources.map((r) => r.ref.urn).sort()).toEqual(whole.set.resources.map((r) => r.ref.urn).sort());
    const registration = loaded.set.resources.find((r) => r.kind === "registration") as Registration;
    expect(registration.resourceGroup).toBe("azurestack-billing");
    // The same audit as the document that lists every resource.
    const ids = (set: typeof loaded.set) => auditResourceSet(set, config, AUDIT_RULES).findings.map((f) => `${f.rule.id} ${f.resource.urn} ${f.message}`).sort();
    expect(ids(loaded.set)).toEqual(ids(whole.set));
  });

  it("with --state given something that is not a stack's state: one line naming that file", () => {
    const error = inputError(() => loadAuditInput(fixture(CHANGES), { state: `${EXAMPLES}/bridgeguard.yaml` }));
    expect(error.message).toContain("bridgeguard.yaml");
  });
});

describe("bad preview documents: one line naming the path in the preview", () => {
  it("steps that are not an array, a step without op, reasons that are not names", () => {
    expect(inputError(() => loadDocument(doc({ steps: {} }), "p.json")).message).toBe("p.json: steps: expected an array of preview steps, got an object");
    expect(inputError(() => loadDocument(doc({ steps: [{ urn: "urn:x" }] }), "p.json")).message).toBe("p.json: steps[0].op: expected a non-empty string, got undefined");
    expect(inputError(() => loadDocument(doc({ steps: [{ op: "update", urn: "u", replaceReasons: [1] }] }), "p.json")).message).toBe(
      "p.json: steps[0].replaceReasons: expected an array of property names, got an array",
    );
  });

  it("a newState the stack export schema rejects is named at its step, not at a made-up export path", () => {
    const json = readFixture(SAMES) as { steps: { newState?: Record<string, unknown> }[] };
    json.steps[3]!.newState!.type = 42;
    expect(inputError(() => loadDocument(doc(json), "p.json")).message).toMatch(/^p\.json: steps\[3\]\.newState\.type: expected a string, got a number/);
  });
});
