/**
 * JUnit XML, for CI test reports (GitLab, Azure Pipelines, Jenkins, GitHub test-report actions).
 *
 * One `<testsuite name="bridgeguard">` (inside `<testsuites>`, which every consumer accepts) with one
 * `<testcase>` per finding: `classname` is the resource's URN (unique, unlike its name), `name` is
 * `RULEID slug endpoint`.
 * - An error is a `<failure type="CODE" message="...">` whose body has the evidence and the fix.
 * - A warning is a passing testcase whose `<system-out>` has the same text: it may break usage reporting
 *   but does not fail the audit (exit code 0), and a CI that counted it as a failure would block merges
 *   the CLI lets through. The name does not say the severity, so that a severity override does not
 *   rename the test and break the CI's test history.
 * - No finding at all: one passing testcase `bridgeguard audit`, so that CI shows the audit ran.
 * - `failOn` moves the line between failure and passing testcase the way `--fail-on` moves the exit code:
 *   `warning` makes warnings failures too, `none` makes nothing one.
 * - A suppressed finding is `<skipped message="suppressed: <justification>">`, and one already in the
 *   baseline `<skipped message="in the baseline">`: accepted, shown, not failing.
 * - A file the audit could not read is a testcase `<error>` named after the file.
 * - Expired and stale suppressions (the report's notices) are the suite's `<system-err>`.
 * Counts: `tests` = testcases, `failures` = failing findings, `errors` = files that could not be
 * audited, `skipped` = suppressed and baselined findings.
 */
import { create } from "xmlbuilder2";
import type { XMLBuilder } from "xmlbuilder2/lib/interfaces";
import type { FailOn } from "../config/types";
import { findingFails } from "../engine/gate";
import type { Finding, Report } from "../model/finding";
import { describeEndpoint, hostPort, sortedFindings, summaryLine } from "./common";

/** XML 1.0 cannot carry these at all, escaped or not; a stray one in a message must not break the file. */
const NOT_XML_CHAR = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

export function xmlSafe(text: string): string {
  return text.replace(NOT_XML_CHAR, "\uFFFD");
}

function testcaseName(finding: Finding): string {
  const parts = [finding.rule.id, finding.rule.slug];
  if (finding.endpoint) parts.push(hostPort(finding.endpoint));
  return parts.join(" ");
}

function details(finding: Finding): string {
  const lines = [`${finding.severity} ${finding.code} ${finding.rule.id} ${finding.rule.slug}: ${finding.message}`];
  lines.push(`resource: ${finding.resource.name} (${finding.resource.type})`);
  if (finding.endpoint) lines.push(`endpoint: ${describeEndpoint(finding.endpoint)}`);
  if (finding.evidence.length > 0) lines.push("evidence:", ...finding.evidence.map((e) => `  - ${e}`));
  if (finding.remediation.trim() !== "") lines.push(`fix: ${finding.remediation}`);
  if (finding.docs !== "") lines.push(`docs: ${finding.docs}`);
  return xmlSafe(lines.join("\n"));
}

export interface JunitOptions {
  /** The gate (`--fail-on`): findings at or above it are failures. Default `error`. */
  failOn?: FailOn;
}

function addFinding(suite: XMLBuilder, finding: Finding, failOn: FailOn): void {
  const name = testcaseName(finding);
  const testcase = suite.ele("testcase", {
    classname: xmlSafe(finding.resource.urn),
    name: xmlSafe(name),
  });
  if (finding.suppression) {
    testcase.ele("skipped", { message: xmlSafe(`suppressed: ${finding.suppression.justification}`) });
    testcase.ele("system-out").txt(details(finding));
  } else if (finding.baselineState === "unchanged") {
    testcase.ele("skipped", { message: "in the baseline" });
    testcase.ele("system-out").txt(details(finding));
  } else if (findingFails(finding, failOn)) {
    testcase.ele("failure", { type: finding.code, message: xmlSafe(finding.message) }).txt(details(finding));
  } else {
    testcase.ele("system-out").txt(details(finding));
  }
}

/** The JUnit XML document, ending with a newline. */
export function renderJunit(report: Report, options: JunitOptions = {}): string {
  const failOn = options.failOn ?? "error";
  const findings = sortedFindings(report.findings);
  const failedFiles = (report.stacks ?? []).filter((stack) => stack.error !== undefined);
  const tests = Math.max(findings.length + failedFiles.length, 1);
  const failures = findings.filter((f) => findingFails(f, failOn)).length;
  const skipped = findings.filter((f) => f.suppression !== undefined || f.baselineState === "unchanged").length;
  const counts = { tests: String(tests), failures: String(failures), errors: String(failedFiles.length), skipped: String(skipped) };

  const doc = create({ version: "1.0", encoding: "UTF-8" });
  const root = doc.ele("testsuites", { name: "bridgeguard", ...counts });
  const suite = root.ele("testsuite", { name: "bridgeguard", ...counts });
  const properties = suite.ele("properties");
  properties.ele("property", { name: "bridgeguard.version", value: xmlSafe(report.tool.version) });
  properties.ele("property", { name: "catalog.version", value: xmlSafe(report.catalog.version) });
  properties.ele("property", { name: "resources", value: String(report.summary.resources) });
  properties.ele("property", { name: "endpoints", value: String(report.summary.endpoints) });

  if (findings.length === 0 && failedFiles.length === 0) {
    suite
      .ele("testcase", { classname: "bridgeguard", name: "bridgeguard audit" })
      .ele("system-out")
      .txt(`no problems found: ${summaryLine(report)}`);
  }
  for (const stack of failedFiles) {
    suite
      .ele("testcase", { classname: "bridgeguard", name: xmlSafe(`bridgeguard audit ${stack.file}`) })
      .ele("error", { type: "InputError", message: xmlSafe(stack.error as string) })
      .txt(xmlSafe(stack.error as string));
  }
  for (const finding of findings) addFinding(suite, finding, failOn);
  suite.ele("system-out").txt(`${xmlSafe(summaryLine(report))}\ncatalog ${xmlSafe(report.catalog.version)}`);
  if (report.notices && report.notices.length > 0) {
    suite.ele("system-err").txt(xmlSafe(report.notices.map((n) => `${n.level}: ${n.message}`).join("\n")));
  }

  return `${doc.end({ prettyPrint: true })}\n`;
}
