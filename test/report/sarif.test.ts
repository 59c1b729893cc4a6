import * as fs from "node:fs";
import Ajv04 from "ajv-draft-04";
import addFormats from "ajv-formats";
import type * as Sarif from "sarif";
import { describe, expect, it } from "vitest";
import { DOCS_URL, PROJECT_URL } from "../../src/project";
import { renderReport } from "../../src/report";
import { SECURITY_SEVERITY, renderSarif, toArtifactUri } from "../../src/report/sarif";
import { FIREWALL, REGISTRATION, RULES, cleanReport, sampleReport } from "./sample";

/**
 * The SARIF 2.1.0 JSON schema (OASIS, rtm.5: the text of the standard; draft-04) as Microsoft's
 * `@microsoft/jest-sarif` ships it; `@types/sarif` is generated from the same schema.
 */
const schemaPath = require.resolve("@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json");
const sarifSchema = JSON.parse(fs.readFileSync(schemaPath, "utf8")) as Record<string, unknown>;
// rtm.5's `language` pattern has a stray `]` that is no valid regular expression in Unicode mode.
const ajv = new Ajv04({ allErrors: true, strict: false, unicodeRegExp: false });
addFormats(ajv);
const validateSarif = ajv.compile(sarifSchema);

function render(options: Partial<Parameters<typeof renderSarif>[1]> = {}, report = sampleReport()): Sarif.Log {
  return JSON.parse(renderSarif(report, { rules: RULES, ...options })) as Sarif.Log;
}

function expectValid(log: Sarif.Log): void {
  const ok = validateSarif(log);
  expect(ok, ajv.errorsText(validateSarif.errors, { separator: "\n" })).toBe(true);
}

describe("sarif report", () => {
  it("validates against the SARIF 2.1.0 schema, with and without findings and artifacts", () => {
    expect(sarifSchema.title).toMatch(/SARIF\) Version 2\.1\.0/);
    expectValid(render());
    expectValid(render({ artifactUri: "stacks/prod export.json", docsBaseUri: "https://example.org/bridgeguard/" }));
    expectValid(render({}, cleanReport()));
  });

  it("fails the schema when broken, so the validation above means something", () => {
    const log = render();
    (log.runs[0].results as unknown as Record<string, unknown>[])[0].level = "fatal";
    expect(validateSarif(log)).toBe(false);
  });

  it("describes the tool and every rule that ran", () => {
    const log = render({ docsBaseUri: "https://example.org/bridgeguard/" });
    expect(log.version).toBe("2.1.0");
    expect(log.$schema).toMatch(/sarif-schema-2\.1\.0\.json$/);
    expect(log.runs).toHaveLength(1);
    const driver = log.runs[0].tool.driver;
    expect(driver).toMatchObject({ name: "bridgeguard", version: "0.1.0" });
    expect(driver.informationUri).toBeUndefined();
    expect(driver.rules?.map((r) => r.id)).toEqual(RULES.map((r) => r.id));
    const bg201 = driver.rules?.find((r) => r.id === "BG201");
    expect(bg201).toMatchObject({
      name: "usage-endpoint-blocked",
      shortDescription: { text: RULES[1].title },
      fullDescription: { text: RULES[1].why },
      helpUri: "https://example.org/bridgeguard/docs/rules/BG201.md",
      defaultConfiguration: { level: "error" },
      properties: { tags: ["NetworkError", "security"], "security-severity": "7.5" },
    });
    expect(bg201?.help?.text).toContain(RULES[1].remediation);
    expect(bg201?.help?.markdown).toContain("[BG201 usage-endpoint-blocked](https://example.org/bridgeguard/docs/rules/BG201.md)");
    expect(driver.rules?.find((r) => r.id === "BG203")?.defaultConfiguration?.level).toBe("warning");
    // A rule with no finding has no docs unless the caller says where they are.
    expect(driver.rules?.find((r) => r.id === "BG108")?.helpUri).toBeUndefined();
    const withDocs = render({ docsBaseUri: "https://example.org/bg/", ruleDocs: (m) => `docs/rules/${m.id}.md` });
    expect(withDocs.runs[0].tool.driver.rules?.find((r) => r.id === "BG108")?.helpUri).toBe("https://example.org/bg/docs/rules/BG108.md");
  });

  it("gives every rule a security-severity GitHub reads (tagged security), from its code and severity", () => {
    const rules = render().runs[0].tool.driver.rules ?? [];
    for (const rule of rules) {
      const meta = RULES.find((r) => r.id === rule.id)!;
      const score = rule.properties?.["security-severity"] as string;
      expect(score).toBe(SECURITY_SEVERITY[meta.code][meta.severity]);
      // GitHub: a number from 0.1 to 10.0 as a string; over 9.0 critical, 7.0-8.9 high, 4.0-6.9 medium.
      expect(score).toMatch(/^\d+\.\d$/);
      expect(rule.properties?.tags).toEqual([meta.code, "security"]);
    }
    // An error stops usage reporting (high); a warning may (medium).
    for (const bySeverity of Object.values(SECURITY_SEVERITY)) {
      expect(Number(bySeverity.error)).toBeGreaterThanOrEqual(7);
      expect(Number(bySeverity.error)).toBeLessThan(9);
      expect(Number(bySeverity.warning)).toBeGreaterThanOrEqual(4);
      expect(Number(bySeverity.warning)).toBeLessThan(7);
    }
    // A rule known only from its findings is scored from them.
    const unlisted = render({ rules: RULES.filter((r) => r.id !== "BG501") }).runs[0].tool.driver.rules?.find((r) => r.id === "BG501");
    expect(unlisted?.properties).toEqual({ tags: ["CertificateValidationError", "security"], "security-severity": "8.5" });
  });

  it("names the tool in full and the run's category (automationDetails), which Azure DevOps requires", () => {
    const run = render().runs[0];
    expect(run.tool.driver.fullName).toBe("bridgeguard 0.1.0 (catalog 2019.12-azs2301)");
    expect(run.automationDetails).toEqual({ id: "bridgeguard/" });
    const pipeline = { id: "azuredevops/pipeline/build/contoso/p/1/ph/refs/heads/main/2", properties: { "azuredevops/pipeline/build/phaseName": "audit" } };
    const ado = render({ automationDetails: pipeline });
    expect(ado.runs[0].automationDetails).toEqual(pipeline);
    expectValid(ado);
  });

  it("through renderReport, links every rule to its page under the docs base and names the project", () => {
    const log = JSON.parse(renderReport("sarif", sampleReport(), RULES)) as Sarif.Log;
    const driver = log.runs[0].tool.driver;
    expect(driver.informationUri).toBe(PROJECT_URL);
    for (const rule of driver.rules ?? []) expect(rule.helpUri).toBe(`${DOCS_URL}docs/rules/${rule.id}.md`);
    const mirror = JSON.parse(renderReport("sarif", sampleReport(), RULES, { docsBaseUri: "https://git.example.org/ops/bridgeguard/raw/v1/" })) as Sarif.Log;
    expect(mirror.runs[0].tool.driver.rules?.find((r) => r.id === "BG108")?.helpUri).toBe("https://git.example.org/ops/bridgeguard/raw/v1/docs/rules/BG108.md");
    expectValid(log);
  });

  it("leaves helpUri out when docs are only a relative path", () => {
    const rules = render().runs[0].tool.driver.rules ?? [];
    expect(rules.every((r) => r.helpUri === undefined)).toBe(true);
    expect(rules.find((r) => r.id === "BG201")?.help?.markdown).toContain("`docs/rules/BG201.md`");
  });

  it("has one result per finding, pointing at its rule and resource", () => {
    const run = render().runs[0];
    const results = run.results ?? [];
    expect(results).toHaveLength(6);
    for (const result of results) {
      expect(run.tool.driver.rules?.[result.ruleIndex as number].id).toBe(result.ruleId);
    }
    const usage = results[1];
    expect(usage).toMatchObject({
      ruleId: "BG201",
      level: "error",
      locations: [{ logicalLocations: [{ fullyQualifiedName: FIREWALL.urn, name: FIREWALL.name, kind: "resource" }] }],
      properties: { code: "NetworkError", endpoints: [{ host: "*.trafficmanager.net", port: 443, protocol: "https", purpose: "usage" }] },
    });
    expect(usage.locations?.[0].physicalLocation).toBeUndefined();
    expect(usage.message.text).toContain("the firewall denies *.trafficmanager.net:443");
    expect(usage.message.text).toContain('- collection "deny-internet" (priority 100, Deny)');
    expect(usage.message.text).toContain("Remediation: Add an application rule allowing");
    // The finding's fingerprint (rule, resource, code, cause): code scanning follows an alert by it across runs.
    expect(usage.partialFingerprints).toEqual({ "bridgeguard/v2": expect.stringMatching(/^[0-9a-f]{64}$/) });
    expect(results.filter((r) => r.level === "warning").map((r) => r.ruleId)).toEqual(["BG203", "BG301"]);
    expect(results[0].properties).toMatchObject({ code: "Unauthorized", endpoints: [] });
    expect(results[0].locations?.[0].logicalLocations?.[0].fullyQualifiedName).toBe(REGISTRATION.urn);
  });

  it("adds the audited file as a physical location when given", () => {
    const results = render({ artifactUri: "stacks/prod export.json" }).runs[0].results ?? [];
    for (const result of results) {
      expect(result.locations?.[0].physicalLocation).toEqual({
        artifactLocation: { uri: "stacks/prod%20export.json" },
        region: { startLine: 1 },
      });
    }
    const perFinding = render({ artifactUri: (f) => (f.resource.urn === FIREWALL.urn ? "fw.json" : undefined) }).runs[0].results ?? [];
    expect(perFinding.map((r) => r.locations?.[0].physicalLocation?.artifactLocation?.uri ?? null)).toEqual([null, "fw.json", "fw.json", null, null, null]);
  });

  it("lists a rule that produced findings even when the caller did not pass it", () => {
    const log = render({ rules: RULES.filter((r) => r.id !== "BG301") });
    expectValid(log);
    const rules = log.runs[0].tool.driver.rules ?? [];
    const last = rules[rules.length - 1];
    expect(last).toMatchObject({ id: "BG301", name: "login-endpoint-blocked" });
    expect(log.runs[0].results?.find((r) => r.ruleId === "BG301")?.ruleIndex).toBe(rules.length - 1);
  });

  it("turns paths into URI references", () => {
    expect(toArtifactUri("stacks/prod.json")).toBe("stacks/prod.json");
    expect(toArtifactUri("stacks\\prod #1.json")).toBe("stacks/prod%20%231.json");
    expect(toArtifactUri("/home/op/prod.json")).toBe("file:///home/op/prod.json");
    expect(toArtifactUri("C:\\ops\\prod.json")).toBe("file:///C:/ops/prod.json");
    expect(toArtifactUri("https://example.org/a.json")).toBe("https://example.org/a.json");
  });
});
