/**
 * Every format shows what CI at scale adds: suppressed findings with their justification (SARIF
 * `suppressions`, JUnit skipped, a JSON field, marked in text and markdown), fingerprints, baseline state,
 * per-stack results with a file that could not be audited, and notices about expired and stale suppressions.
 */
import * as fs from "node:fs";
import Ajv from "ajv";
import Ajv04 from "ajv-draft-04";
import addFormats from "ajv-formats";
import type * as Sarif from "sarif";
import { describe, expect, it } from "vitest";
import { fingerprintOf } from "../../src/engine/fingerprint";
import { summarize, type Finding, type Report } from "../../src/model/finding";
import { renderJson, renderJunit, renderMarkdown, renderReport, renderSarif, renderText } from "../../src/report";
import reportSchema from "../../src/schemas/report.schema.json";
import { FIREWALL, NSG, RULES, sampleFindings } from "../report/sample";

const JUSTIFICATION = "Legacy endpoint retired on our stamps <CHG-1234> & approved by J. Doe";

/** The sample findings from two files, one suppressed, two in the baseline, with a third file that failed. */
function orgReport(): Report {
  const findings: Finding[] = sampleFindings().map((f, i) => ({ ...f, file: i < 3 ? "stacks/a.json" : "stacks/b.json" }));
  const legacy = findings.find((f) => f.rule.id === "BG203")!;
  legacy.suppression = { justification: JUSTIFICATION, expires: "2027-01-01" };
  for (const f of findings) f.baselineState = "new";
  for (const f of findings.filter((f) => f.resource.urn === NSG.urn || f.rule.id === "BG101")) f.baselineState = "unchanged";
  const summary = { ...summarize(findings, 14, 17), suppressed: 1, baselined: 2 };
  const fileSummary = (file: string) => {
    const own = findings.filter((f) => f.file === file);
    return { ...summarize(own, 7, 17), suppressed: own.filter((f) => f.suppression).length, baselined: own.filter((f) => !f.suppression && f.baselineState === "unchanged").length };
  };
  return {
    schemaVersion: 2,
    tool: { name: "bridgeguard", version: "0.1.0" },
    catalog: { version: "2019.12-azs2301" },
    findings,
    summary,
    stacks: [
      { file: "stacks/a.json", summary: fileSummary("stacks/a.json") },
      { file: "stacks/b.json", summary: fileSummary("stacks/b.json") },
      { file: "stacks/broken.json", summary: { errors: 0, warnings: 0, resources: 0, endpoints: 0, suppressed: 0, baselined: 0 }, error: "stacks/broken.json:3:5: invalid JSON: expected a value" },
    ],
    notices: [
      { level: "warning", kind: "suppression-expired", message: "bridgeguard.yaml: suppressions[1] (rule BG201, resource \"hub-fw\") expired on 2026-01-01: the finding it matched is no longer suppressed" },
      { level: "warning", kind: "suppression-stale", message: "bridgeguard.yaml: suppressions[2] (rule BG501, resource \"x\") matches no finding (stale): remove it, or correct its rule or resource" },
    ],
  };
}

describe("the report's counts", () => {
  it("errors and warnings count only active findings; suppressed and baselined apart", () => {
    const report = orgReport();
    // 6 findings: BG203 (warning) suppressed; BG101 (error) and the NSG's BG301 (warning) baselined.
    expect(report.summary).toEqual({ errors: 3, warnings: 0, resources: 14, endpoints: 17, suppressed: 1, baselined: 2 });
  });
});

describe("json", () => {
  const ajv = new Ajv({ allErrors: true, strict: true });
  addFormats(ajv);
  const validate = ajv.compile(reportSchema);

  it("validates, with fingerprint on every finding and suppression, baselineState and file where set", () => {
    const json = JSON.parse(renderJson(orgReport()));
    expect(validate(json), ajv.errorsText(validate.errors)).toBe(true);
    expect(Object.keys(json)).toEqual(["$schema", "schemaVersion", "tool", "catalog", "findings", "summary", "stacks", "notices"]);
    for (const f of json.findings) expect(f.fingerprint).toBe(fingerprintOf(f));
    const legacy = json.findings.find((f: Finding) => f.rule.id === "BG203");
    expect(legacy.suppression).toEqual({ justification: JUSTIFICATION, expires: "2027-01-01" });
    expect(legacy.file).toBe("stacks/b.json");
    expect(json.findings.filter((f: Finding) => f.baselineState === "unchanged")).toHaveLength(2);
    expect(json.summary).toEqual({ errors: 3, warnings: 0, resources: 14, endpoints: 17, suppressed: 1, baselined: 2 });
    expect(json.stacks[2]).toEqual({ file: "stacks/broken.json", summary: { errors: 0, warnings: 0, resources: 0, endpoints: 0, suppressed: 0, baselined: 0 }, error: "stacks/broken.json:3:5: invalid JSON: expected a value" });
    expect(json.notices.map((n: { kind: string }) => n.kind)).toEqual(["suppression-expired", "suppression-stale"]);
  });

  it("the schema rejects an unknown baselineState, a blank justification and a bad fingerprint", () => {
    for (const mutate of [
      (f: Record<string, unknown>) => (f.baselineState = "old"),
      (f: Record<string, unknown>) => (f.suppression = { justification: "" }),
      (f: Record<string, unknown>) => (f.fingerprint = "xyz"),
      (f: Record<string, unknown>) => (f.suppression = { justification: "x", by: "me" }),
    ]) {
      const json = JSON.parse(renderJson(orgReport()));
      mutate(json.findings[0]);
      expect(validate(json)).toBe(false);
    }
  });
});

describe("sarif", () => {
  const schemaPath = require.resolve("@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json");
  const ajv = new Ajv04({ allErrors: true, strict: false, unicodeRegExp: false });
  addFormats(ajv);
  const validateSarif = ajv.compile(JSON.parse(fs.readFileSync(schemaPath, "utf8")) as Record<string, unknown>);
  const log = (): Sarif.Log => JSON.parse(renderSarif(orgReport(), { rules: RULES })) as Sarif.Log;

  it("is valid SARIF 2.1.0", () => {
    expect(validateSarif(log()), ajv.errorsText(validateSarif.errors, { separator: "\n" })).toBe(true);
  });

  it("carries partialFingerprints, external suppressions with the justification, and baselineState", () => {
    const results = log().runs[0]!.results!;
    for (const r of results) expect(r.partialFingerprints?.["bridgeguard/v2"]).toMatch(/^[0-9a-f]{64}$/);
    const suppressed = results.filter((r) => r.suppressions);
    expect(suppressed.map((r) => r.ruleId)).toEqual(["BG203"]);
    expect(suppressed[0]!.suppressions).toEqual([{ kind: "external", status: "accepted", justification: JUSTIFICATION, properties: { expires: "2027-01-01" } }]);
    expect(results.filter((r) => r.baselineState === "unchanged")).toHaveLength(2);
    expect(results.filter((r) => r.baselineState === "new")).toHaveLength(4);
    // Each result points at the file its finding came from.
    const firewall = results.find((r) => r.ruleId === "BG201" && r.locations?.[0]?.logicalLocations?.[0]?.fullyQualifiedName === FIREWALL.urn);
    expect(firewall?.locations?.[0]?.physicalLocation?.artifactLocation?.uri).toBe("stacks/a.json");
  });

  it("reports the unreadable file and the notices on the invocation", () => {
    const invocation = log().runs[0]!.invocations![0]!;
    expect(invocation.executionSuccessful).toBe(false);
    expect(invocation.toolExecutionNotifications).toEqual([
      {
        level: "error",
        message: { text: "stacks/broken.json:3:5: invalid JSON: expected a value" },
        locations: [{ physicalLocation: { artifactLocation: { uri: "stacks/broken.json" } } }],
        descriptor: { id: "input-error" },
      },
    ]);
    expect(invocation.toolConfigurationNotifications?.map((n) => [n.level, n.descriptor?.id])).toEqual([
      ["warning", "suppression-expired"],
      ["warning", "suppression-stale"],
    ]);
  });

  it("a report without stacks or notices has no invocation (as before)", () => {
    const plain = JSON.parse(renderSarif({ ...orgReport(), stacks: undefined, notices: undefined }, { rules: RULES })) as Sarif.Log;
    expect(plain.runs[0]!.invocations).toBeUndefined();
  });
});

describe("junit", () => {
  const xml = (failOn?: "error" | "warning" | "none") => renderJunit(orgReport(), { failOn, rules: RULES });

  it("a rule whose findings are all suppressed or baselined is skipped, saying why", () => {
    const text = xml();
    // stacks/a.json: BG101's and BG301's only findings are baselined. stacks/b.json: BG203's is suppressed.
    expect(text).toContain(`<skipped message="1 suppressed: Legacy endpoint retired on our stamps &lt;CHG-1234&gt; &amp; approved by J. Doe"/>`);
    expect(text.match(/<skipped message="1 in the baseline"\/>/g)).toHaveLength(2);
    expect(text).toMatch(/<testsuite name="stacks\/a\.json" tests="6" failures="1" errors="0" skipped="2" time="0">/);
    expect(text).toMatch(/<testsuite name="stacks\/b\.json" tests="6" failures="2" errors="0" skipped="1" time="0">/);
  });

  it("the unreadable file is an <error>, the notices are <system-err>", () => {
    const text = xml();
    expect(text).toContain('<testcase name="bridgeguard audit" classname="stacks/broken.json" time="0">');
    expect(text).toContain('<error type="InputError" message="stacks/broken.json:3:5: invalid JSON: expected a value">');
    expect(text).toMatch(/<system-err>warning: bridgeguard\.yaml: suppressions\[1\][^<]*expired on 2026-01-01/);
  });

  it("--fail-on moves the line between failure and pass", () => {
    expect(xml("none")).toMatch(/<testsuites name="bridgeguard" tests="13" failures="0"/);
    // The only active warning is baselined; with fail-on warning the same three rules fail.
    expect(xml("warning")).toMatch(/<testsuites name="bridgeguard" tests="13" failures="3"/);
    const warnings = renderJunit({ ...orgReport(), findings: orgReport().findings.map((f) => ({ ...f, baselineState: "new" as const, suppression: undefined })) }, { failOn: "warning", rules: RULES });
    expect(warnings).toMatch(/<testsuites name="bridgeguard" tests="13" failures="6"/);
    expect(renderReport("junit", orgReport(), RULES, { failOn: "none" })).toBe(xml("none"));
  });
});

describe("text", () => {
  // Wide, so that each summary is one line here; the 80-column layout is test/report/text.test.ts's.
  const text = renderText(orgReport(), { color: false, width: 200 });
  const lines = text.split("\n");

  it("groups by stack, each with its summary line, then the total", () => {
    expect(lines.filter((l) => l.startsWith("== "))).toEqual(["== stacks/a.json", "== stacks/b.json", "== stacks/broken.json"]);
    expect(text).toContain("  error stacks/broken.json:3:5: invalid JSON: expected a value");
    expect(lines).toContain("stacks/a.json: 1 error, 0 warnings, 2 in the baseline, 7 resources checked, 17 endpoints evaluated");
    expect(lines).toContain("stacks/b.json: 2 errors, 0 warnings, 1 suppressed, 7 resources checked, 17 endpoints evaluated");
    expect(lines.at(-3)).toBe("total: 3 errors, 0 warnings, 1 suppressed, 2 in the baseline, 14 resources checked, 17 endpoints evaluated in 3 stacks (1 could not be audited)");
  });

  it("marks a suppressed finding and gives its justification; baselined ones are counted, not shown", () => {
    expect(lines).toContain("  suppressed warning NetworkError BG203 legacy-usage-endpoint-blocked: the firewall denies *.microsoftazurestack.com:443");
    expect(text).toMatch(/ {6}because: +Legacy endpoint retired on our stamps <CHG-1234> & approved by J\. Doe \(suppression\n? *expires 2027-01-01\)/);
    expect(text).not.toContain("BG101");
    // Both baselined findings are in stacks/a.json.
    const a = text.slice(text.indexOf("== stacks/a.json"), text.indexOf("== stacks/b.json"));
    expect(a).toContain("2 baselined findings not shown (in the baseline; --format json lists them)");
  });

  it("shows the notices first, as warnings", () => {
    expect(lines.slice(0, 2).every((l) => l.startsWith("warning: bridgeguard.yaml: suppressions["))).toBe(true);
  });

  it("one stack renders without sections", () => {
    const single = renderText({ ...orgReport(), stacks: orgReport().stacks!.slice(0, 1) }, { color: false, width: 200 });
    expect(single).not.toContain("== ");
    expect(single.split("\n").at(-3)).toBe("3 errors, 0 warnings, 1 suppressed, 2 in the baseline, 14 resources checked, 17 endpoints evaluated");
    expect(single).toContain("2 baselined findings not shown");
  });
});

describe("markdown", () => {
  const md = renderMarkdown(orgReport());

  it("counts suppressed and baselined findings in the counts line", () => {
    expect(md).toContain("3 errors, 0 warnings, 1 suppressed, 2 in the baseline, 14 resources checked, 17 endpoints evaluated");
  });

  it("lists a suppressed finding with its justification, escaped; counts baselined ones", () => {
    expect(md).toContain("| 🔕 warning | BG203 legacy-usage-endpoint-blocked | hub-fw | Legacy endpoint retired on our stamps &lt;CHG-1234&gt; &amp; approved by J. Doe (until 2027-01-01) |");
    expect(md).toContain("2 baselined findings not shown: in the baseline, they do not fail the run.");
  });

  it("has a section per stack that needs a look, and the notices first", () => {
    expect(md).toContain("### ❌ stacks/a.json");
    expect(md).toContain("### ❌ stacks/broken.json\n\nCould not be audited: stacks/broken.json:3:5: invalid JSON: expected a value");
    expect(md).toContain("3 stacks audited.");
    expect(md).toMatch(/> ⚠️ bridgeguard.yaml: suppressions\\\[2\\\] \(rule BG501/);
    expect(md.indexOf("> ⚠️")).toBeLessThan(md.indexOf("### ❌ stacks/a.json"));
  });
});

