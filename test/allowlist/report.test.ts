/**
 * How a finding's concrete fix renders: its own `change:` block in text, a closed object in the JSON
 * report (valid against the schema), `properties.fix` in SARIF (and no `result.fixes`, which must be
 * byte replacements in the artifact).
 */
import Ajv from "ajv";
import { describe, expect, it } from "vitest";
import { buildReport } from "../../src/engine/run";
import type { Finding } from "../../src/model/finding";
import { ALL_RULES } from "../../src/rules";
import { fixLines } from "../../src/report/fix";
import { renderJson } from "../../src/report/json";
import { toSarifLog } from "../../src/report/sarif";
import { renderText } from "../../src/report/text";
import reportSchema from "../../src/schemas/report.schema.json";
import { audit } from "../rules/assert";
import { denyAppCollection, withAllowFor, withCollection, withDefaultRoute, withNsgRule, nsgRule } from "../rules/fixtures";

const USAGE = "*.trafficmanager.net";

function findingsWithFixes(): Finding[] {
  const denied = audit(withCollection(denyAppCollection("deny-usage", 150, [USAGE])));
  const inspected = audit(withAllowFor(USAGE, { terminateTLS: true }, { firewallPolicy: { skuTier: "Premium", hasTlsInspectionCertificate: true } }));
  const route = audit(withDefaultRoute({ nextHopType: "None" }));
  const nsg = audit(withNsgRule(nsgRule("deny-web", 150, "Deny", "Internet")));
  return [...denied, ...inspected, ...route, ...nsg].filter((f) => f.fix);
}

describe("fix lines", () => {
  it("an add-rule fix: the rule, where it goes, what it allows, what it precedes", () => {
    const finding = audit(withCollection(denyAppCollection("deny-usage", 150, [USAGE]))).find((f) => f.rule.id === "BG201")!;
    expect(fixLines(finding.fix!)).toEqual([
      '+ in policy hub-policy > rule collection group "azs-bridge-egress" (new, priority 199) > collection "azs-bridge-application" (new, priority 200, Allow):',
      '  ApplicationRule "allow-trafficmanager.net-https-443": Https:443 from 203.0.113.0/27 to *.trafficmanager.net, terminateTLS: false',
      '  before rule "deny-*.trafficmanager.net" in collection "deny-usage" (priority 150) in rule collection group "bridge-egress" (priority 200)',
    ]);
  });

  it("a change-property fix: one line, the current value and the new one", () => {
    const finding = audit(withDefaultRoute({ nextHopType: "None" })).find((f) => f.rule.id === "BG205")!;
    expect(fixLines(finding.fix!)).toEqual(["~ egress-rt routes[0].nextHopType: None -> Internet"]);
  });
});

describe("text", () => {
  it("the concrete fix is its own `change:` block under `fix:`, aligned, wrapped with indented continuations", () => {
    const finding = audit(withCollection(denyAppCollection("deny-usage", 150, [USAGE]))).find((f) => f.rule.id === "BG201")!;
    const lines = renderText(buildReport([finding], 6, 26), { color: false, width: 100 }).split("\n");
    const fix = lines.findIndex((l) => l.startsWith("      fix:      Add an application rule that allows *.trafficmanager.net"));
    const change = lines.findIndex((l) => l.startsWith("      change:   + in policy hub-policy > rule collection group"));
    const docs = lines.findIndex((l) => l.startsWith("      docs:"));
    expect(fix).toBeGreaterThan(0);
    expect(change).toBeGreaterThan(fix);
    expect(docs).toBeGreaterThan(change);
    // Continuation lines of the fix sit two columns in; a wrapped line two more.
    for (const line of lines.slice(change + 1, docs)) expect(line).toMatch(/^ {18}(  )?\S/);
    expect(lines.slice(change, docs).join(" ").replace(/\s+/g, " ")).toContain("Https:443 from 203.0.113.0/27 to *.trafficmanager.net, terminateTLS: false");
    expect(lines.slice(change, docs).every((l) => l.length <= 100)).toBe(true);
  });

  it("a finding without a structured fix has no `change:` block", () => {
    const finding = audit(withCollection(denyAppCollection("deny-usage", 150, [USAGE]))).find((f) => f.rule.id === "BG201")!;
    const { fix: _fix, ...plain } = finding;
    expect(renderText(buildReport([plain], 1, 1), { color: false })).not.toContain("change:");
  });
});

describe("JSON report", () => {
  it("carries the fix, valid against the closed schema (schemaVersion 2)", () => {
    const report = JSON.parse(renderJson(buildReport(findingsWithFixes(), 6, 26)));
    expect(report.schemaVersion).toBe(2);
    const validate = new Ajv({ strict: false }).compile(reportSchema);
    expect(validate(report), JSON.stringify(validate.errors)).toBe(true);
    const kinds = new Set(report.findings.map((f: Finding) => f.fix?.kind));
    expect(kinds).toEqual(new Set(["add-rule", "change-property"]));
    const ruleTypes = new Set(report.findings.flatMap((f: Finding) => (f.fix?.kind === "add-rule" ? f.fix.rules.map((r) => r.ruleType) : [])));
    expect(ruleTypes).toEqual(new Set(["ApplicationRule", "SecurityRule"]));
  });

  it("writes only the contract's fields of a fix", () => {
    const [finding] = findingsWithFixes();
    const polluted = { ...finding!, fix: { ...finding!.fix!, internal: "x", rules: (finding!.fix as unknown as { rules: object[] }).rules.map((r) => ({ ...r, extra: 1 })) } } as unknown as Finding;
    const report = JSON.parse(renderJson(buildReport([polluted], 1, 1)));
    expect(JSON.stringify(report)).not.toMatch(/internal|extra/);
    const validate = new Ajv({ strict: false }).compile(reportSchema);
    expect(validate(report), JSON.stringify(validate.errors)).toBe(true);
  });

  it("the schema rejects a fix it does not describe", () => {
    const report = JSON.parse(renderJson(buildReport(findingsWithFixes(), 6, 26)));
    report.findings[0].fix.kind = "delete-everything";
    expect(new Ajv({ strict: false }).compile(reportSchema)(report)).toBe(false);
  });
});

describe("SARIF", () => {
  it("the fix in result.properties.fix and in the message; no result.fixes (they need byte replacements)", () => {
    const findings = findingsWithFixes();
    const log = toSarifLog(buildReport(findings, 6, 26), { rules: ALL_RULES.map((r) => r.meta), artifactUri: "stack.json" });
    const results = log.runs[0]!.results!;
    expect(results).toHaveLength(findings.length);
    for (const result of results) {
      expect(result.fixes).toBeUndefined();
      expect(result.properties?.fix).toBeDefined();
      expect(result.message.text).toMatch(/\n\nChange:\n[+~] /);
    }
    const tls = results.find((r) => r.ruleId === "BG501")!;
    expect(tls.properties!.fix).toMatchObject({ kind: "change-property", path: "ruleCollections[1].rules[0].terminateTLS", value: false });
  });
});
