/**
 * The engine's side of every rule: configuration that silences or re-levels a rule, and what `toFinding`
 * adds to each violation (code, docs page, remediation).
 */
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { ERROR_CODE_INFO } from "../../src/catalog/codes";
import { auditResourceSet, runRules, toFinding } from "../../src/engine/run";
import { compareFindings } from "../../src/model/finding";
import { ALL_RULES, findRule } from "../../src/rules";
import { assertHasFinding, assertNoFindings, audit, findingsOf } from "./assert";
import { healthyConfig, healthyStack, NSG, POLICY, withAllowFor, withoutAllowFor } from "./fixtures";

const ROOT = path.resolve(__dirname, "../..");
const usageDenied = () => withoutAllowFor("*.trafficmanager.net");
const usagePartlyAllowed = () => withAllowFor("*.trafficmanager.net", { sourceAddresses: ["203.0.113.0/28"] });

describe("rules: { <rule>: { enabled: false } }", () => {
  it("by slug silences the rule", () => {
    const findings = audit(usageDenied(), healthyConfig({ rules: { "usage-endpoint-blocked": { enabled: false } } }));
    assertNoFindings(findings, "BG201");
  });

  it("by id silences the rule", () => {
    assertNoFindings(audit(usageDenied(), healthyConfig({ rules: { BG201: { enabled: false } } })), "BG201");
  });

  it("silences only that rule", () => {
    const stack = withoutAllowFor("login.microsoftonline.com", { registration: null });
    const findings = audit(stack, healthyConfig({ rules: { "login-endpoint-blocked": { enabled: false } } }));
    assertNoFindings(findings, "BG301");
    assertHasFinding(findings, { rule: "BG101", severity: "error" });
  });

  it("the id wins over the slug when both are set", () => {
    const config = healthyConfig({ rules: { "usage-endpoint-blocked": { enabled: false }, BG201: { enabled: true } } });
    assertHasFinding(audit(usageDenied(), config), { rule: "BG201", severity: "error", resourceName: POLICY });
  });

  it("enabled: true keeps the default", () => {
    assertHasFinding(audit(usageDenied(), healthyConfig({ rules: { BG201: { enabled: true } } })), { rule: "BG201", severity: "error" });
  });
});

describe("rules: { <rule>: { severity } }", () => {
  it("downgrades an error rule to warning", () => {
    const findings = audit(usageDenied(), healthyConfig({ rules: { BG201: { severity: "warning" } } }));
    assertHasFinding(findings, { rule: "BG201", severity: "warning", resourceName: POLICY, host: "*.trafficmanager.net", port: 443 });
    expect(findingsOf(findings, "BG201").every((f) => f.severity === "warning")).toBe(true);
  });

  it("by slug, too", () => {
    const findings = audit(usageDenied(), healthyConfig({ rules: { "usage-endpoint-blocked": { severity: "warning" } } }));
    assertHasFinding(findings, { rule: "BG201", severity: "warning" });
  });

  it("raises a warning rule to error", () => {
    assertHasFinding(audit(healthyStack({ registration: { protect: false } }), healthyConfig({ rules: { BG106: { severity: "error" } } })), {
      rule: "BG106",
      severity: "error",
    });
  });

  it("does not touch other rules", () => {
    const stack = withoutAllowFor("login.microsoftonline.com", { registration: { protect: false } });
    const findings = audit(stack, healthyConfig({ rules: { BG301: { severity: "warning" } } }));
    assertHasFinding(findings, { rule: "BG301", severity: "warning" });
    assertHasFinding(findings, { rule: "BG106", severity: "warning" });
  });

  it("an undetermined (warning) violation of an error rule stays a warning when the rule is set to error", () => {
    const findings = audit(usagePartlyAllowed(), healthyConfig({ rules: { BG201: { severity: "error" } } }));
    assertHasFinding(findings, { rule: "BG201", severity: "warning", message: "may deny" });
    expect(findingsOf(findings, "BG201").map((f) => f.severity)).toEqual(["warning"]);
  });

  it("an undetermined violation also follows a downgrade (it is a warning either way)", () => {
    assertHasFinding(audit(usagePartlyAllowed(), healthyConfig({ rules: { BG201: { severity: "warning" } } })), { rule: "BG201", severity: "warning" });
  });

  it("toFinding: an undetermined violation of an error rule keeps warning under an error override", () => {
    const meta = findRule("BG201")!.meta;
    const violation = { resource: { urn: "u", type: "t", name: "n" }, message: "m", evidence: [], undetermined: true };
    expect(toFinding(meta, violation, healthyConfig({ rules: { BG201: { severity: "error" } } })).severity).toBe("warning");
    expect(toFinding(meta, { ...violation, undetermined: false }, healthyConfig({ rules: { BG201: { severity: "warning" } } })).severity).toBe("warning");
    expect(toFinding(meta, { ...violation, undetermined: false }, healthyConfig()).severity).toBe("error");
  });

  // A rule whose default is warning, set to error: its undetermined findings must not become errors.
  it("an undetermined violation of a warning rule stays a warning when the rule is set to error", () => {
    // BG207 (threat intelligence, a warning rule): its undetermined violation under an error override.
    const meta = findRule("BG207")!.meta;
    expect(meta.severity).toBe("warning");
    const violation = { resource: { urn: "u", type: "t", name: "n" }, message: "m (undetermined)", evidence: [], undetermined: true };
    expect(toFinding(meta, violation, healthyConfig({ rules: { BG207: { severity: "error" } } })).severity).toBe("warning");
  });
});

describe("what every finding carries", () => {
  it("the code's documented remediation after the concrete fix", () => {
    const finding = assertHasFinding(audit(usageDenied()), { rule: "BG201", severity: "error" });
    expect(finding.remediation.startsWith("Add an application rule that allows *.trafficmanager.net")).toBe(true);
    expect(finding.remediation.endsWith(`Documented remediation for NetworkError: ${ERROR_CODE_INFO.NetworkError.remediation}`)).toBe(true);
    // A concrete fix supersedes the rule's general advice.
    expect(finding.remediation).not.toContain(findRule("BG201")!.meta.remediation);
  });

  it("the rule's remediation when the check gives no concrete fix", () => {
    const finding = assertHasFinding(audit(healthyStack({ registration: null })), { rule: "BG101", severity: "error" });
    expect(finding.remediation).toBe(`${findRule("BG101")!.meta.remediation} Documented remediation for Unauthorized: ${ERROR_CODE_INFO.Unauthorized.remediation}`);
  });

  it.each(ALL_RULES.map((r) => r.meta))("$id: code, rule and docs page from the metadata; the code's remediation", (meta) => {
    const finding = toFinding(meta, { resource: { urn: "u", type: "t", name: "n" }, message: "m", evidence: ["e"] }, healthyConfig());
    expect(finding).toMatchObject({ code: meta.code, rule: { id: meta.id, slug: meta.slug }, severity: meta.severity, docs: `docs/rules/${meta.id}.md`, endpoints: [] });
    expect(finding.remediation).toContain(ERROR_CODE_INFO[meta.code].remediation);
    expect(fs.existsSync(path.join(ROOT, finding.docs))).toBe(true);
  });
});

describe("runRules and auditResourceSet", () => {
  it("the healthy stack has no finding of any rule", () => {
    expect(audit(healthyStack())).toEqual([]);
  });

  it("findings come sorted (resource, severity, rule, endpoint)", () => {
    const stack = withoutAllowFor("login.microsoftonline.com", { registration: { protect: false, location: "westeurope" } });
    const findings = audit(stack);
    expect(findings.length).toBeGreaterThan(2);
    expect([...findings].sort(compareFindings)).toEqual(findings);
  });

  it("runs only the rules it is given", () => {
    const findings = runRules(withoutAllowFor("*.trafficmanager.net", { registration: null }), healthyConfig(), [findRule("BG101")!]);
    expect(findings.map((f) => f.rule.id)).toEqual(["BG101"]);
  });

  it("resource rules see only the kinds they read", () => {
    // Location is a registration property; a route table is never passed to BG104.
    expect(runRules(healthyStack({ registration: null }), healthyConfig(), [findRule("BG104")!])).toEqual([]);
  });

  it("the report counts errors, warnings, resources and evaluated endpoints", () => {
    const stack = withoutAllowFor("*.trafficmanager.net", { registration: { protect: false } });
    const report = auditResourceSet(stack, healthyConfig());
    expect(report.summary).toEqual({
      errors: report.findings.filter((f) => f.severity === "error").length,
      warnings: report.findings.filter((f) => f.severity === "warning").length,
      resources: stack.resources.length,
      endpoints: expect.any(Number),
    });
    expect(report.summary).toMatchObject({ errors: 1, warnings: 1, resources: 6 });
    expect(report.summary.endpoints).toBeGreaterThan(20);
  });

  it("no egress gate: no endpoint evaluated", () => {
    const report = auditResourceSet(healthyStack({ firewallPolicy: null, ruleCollectionGroup: null, firewall: null, nsg: null }), healthyConfig());
    expect(report.summary.endpoints).toBe(0);
  });

  it("egress.resources narrows the gates to the named ones", () => {
    const findings = audit(withoutAllowFor("*.trafficmanager.net"), healthyConfig({ egress: { resources: [NSG] } }));
    assertNoFindings(findings, "BG201");
  });
});
