import { describe, expect, it } from "vitest";
import { FORMATS, isOutputFormat, renderJson, renderJunit, renderMarkdown, renderReport, renderSarif, renderText } from "../../src/report";
import { DOCS_URL, PROJECT_URL, docsPath } from "../../src/project";
import { RULES, sampleReport } from "./sample";

describe("renderReport", () => {
  it("knows the six formats, text first", () => {
    expect(FORMATS).toEqual(["text", "json", "sarif", "junit", "markdown", "github"]);
    expect(isOutputFormat("sarif")).toBe(true);
    expect(isOutputFormat("html")).toBe(false);
  });

  it("dispatches to each formatter", () => {
    const report = sampleReport();
    expect(renderReport("text", report, RULES, { color: false })).toBe(renderText(report, { color: false }));
    expect(renderReport("text", report, RULES)).toBe(renderText(report, { color: false }));
    expect(renderReport("json", report, RULES)).toBe(renderJson(report));
    // SARIF and markdown links are absolute, under the project's docs by default.
    expect(renderReport("sarif", report, RULES, { artifactUri: "a.json" })).toBe(
      renderSarif(report, { rules: RULES, artifactUri: "a.json", docsBaseUri: DOCS_URL, ruleDocs: docsPath, informationUri: PROJECT_URL }),
    );
    expect(renderReport("junit", report, RULES)).toBe(renderJunit(report, { rules: RULES }));
    expect(renderReport("markdown", report, RULES)).toBe(renderMarkdown(report, { docsBaseUri: DOCS_URL }));
  });

  it("renders the same bytes whatever order the findings come in", () => {
    const report = sampleReport();
    const reversed = sampleReport([...report.findings].reverse());
    for (const format of FORMATS) {
      expect(renderReport(format, reversed, RULES), format).toBe(renderReport(format, report, RULES));
    }
  });

  it("ends every format with a newline and does not mutate the report", () => {
    const report = sampleReport();
    const before = JSON.stringify(report);
    for (const format of FORMATS) expect(renderReport(format, report, RULES, { color: true }).endsWith("\n")).toBe(true);
    expect(JSON.stringify(report)).toBe(before);
  });
});
