/**
 * JUnit XML, for CI test reports (Jenkins, GitLab, Azure Pipelines, GitHub test-report actions). Valid
 * against Jenkins' `junit-10.xsd` (the xunit plugin's schema of the format; a test validates it).
 *
 * One `<testsuite>` per audited stack (its file; `bridgeguard` when the report names no file), inside
 * `<testsuites>`. In each suite, one `<testcase>` per rule that ran, named `RULEID slug`, whether it found
 * something or not: a stack that is fixed turns the rule's test green instead of making it disappear, and
 * the names do not change with the findings, so a CI's test history follows each rule.
 * - A rule with findings at or above the gate (`failOn`, as `--fail-on` moves the exit code) is one
 *   `<failure type="CODE" message="...">` whose body lists each of them with its evidence and fix.
 * - Findings below the gate (warnings, by default) leave the test passing, with their text in
 *   `<system-out>`: they do not fail the audit, and a CI that failed on them would block merges the CLI
 *   lets through. The name does not say the severity, so a severity override does not rename the test.
 * - A rule whose only findings are accepted (suppressed, or in the baseline) is `<skipped>`, its message
 *   saying why; the accepted findings are in `<system-out>` in every case.
 * - A stack that could not be audited is one testcase `<error type="InputError">` and nothing else.
 * - Expired and stale suppressions (the report's notices) are the first suite's `<system-err>`.
 * `time` is on every suite and case (reporters show NaN without it) and is `0`: the rules of a stack
 * are evaluated in one pass whose time is not split per rule, and a fixed value keeps the same input
 * giving the same bytes. `skipped` is on `<testsuite>` only: the schema does not allow it on `<testsuites>`.
 */
import type * as Xmlbuilder2 from "xmlbuilder2";
import type { XMLBuilder } from "xmlbuilder2/lib/interfaces";
import type { FailOn } from "../config/types";
import { findingFails } from "../engine/gate";
import type { Finding, Report, ReportSummary, StackSummary } from "../model/finding";
import type { BridgePath } from "../model/path";
import { describePathGate } from "./path";
import { isActive } from "../model/finding";
import type { RuleMeta } from "../rules/types";
import { countOf, describeEndpoints, sortedFindings, summaryLine } from "./common";

/** XML 1.0 cannot carry these at all, escaped or not; a stray one in a message must not break the file. */
const NOT_XML_CHAR = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

export function xmlSafe(text: string): string {
  return text.replace(NOT_XML_CHAR, "\uFFFD");
}

export interface JunitOptions {
  /** The gate (`--fail-on`): findings at or above it are failures. Default `error`. */
  failOn?: FailOn;
  /**
   * The rules that ran: each is a testcase in every stack, passing when it found nothing. Rules that
   * produced findings but are absent are added after them.
   */
  rules?: readonly RuleMeta[];
}

/** The suite name when the report names no file (the pack, the program, the probe). */
const DEFAULT_SUITE = "bridgeguard";
const TIME = "0";

interface RuleCase {
  id: string;
  slug: string;
  findings: Finding[];
}

/** One finding as text: its headline, resource, endpoint, evidence, fix and docs. */
function details(finding: Finding): string {
  const mark = finding.suppression ? "suppressed " : finding.baselineState === "unchanged" ? "baselined " : "";
  const lines = [`${mark}${finding.severity} ${finding.code} ${finding.rule.id} ${finding.rule.slug}: ${finding.message}`];
  lines.push(`resource: ${finding.resource.name} (${finding.resource.type})`, `  ${finding.resource.urn}`);
  if (finding.endpoints.length > 0) lines.push("endpoints:", ...describeEndpoints(finding.endpoints).map((e) => `  - ${e}`));
  if (finding.evidence.length > 0) lines.push("evidence:", ...finding.evidence.map((e) => `  - ${e}`));
  if (finding.suppression) {
    const { justification, expires } = finding.suppression;
    lines.push(`suppressed: ${justification}${expires ? ` (suppression expires ${expires})` : ""}`);
  }
  if (finding.remediation.trim() !== "") lines.push(`fix: ${finding.remediation}`);
  if (finding.docs !== "") lines.push(`docs: ${finding.docs}`);
  return lines.join("\n");
}

/** The rules in the order given, then any rule that produced findings without being listed. */
function ruleCases(rules: readonly RuleMeta[], findings: readonly Finding[]): RuleCase[] {
  const cases = new Map<string, RuleCase>();
  for (const meta of rules) if (!cases.has(meta.id)) cases.set(meta.id, { id: meta.id, slug: meta.slug, findings: [] });
  const extra = new Map<string, RuleCase>();
  for (const finding of findings) {
    const existing = cases.get(finding.rule.id) ?? extra.get(finding.rule.id);
    if (existing) existing.findings.push(finding);
    else extra.set(finding.rule.id, { id: finding.rule.id, slug: finding.rule.slug, findings: [finding] });
  }
  return [...cases.values(), ...[...extra.values()].sort((a, b) => a.id.localeCompare(b.id))];
}

/** `2 suppressed (because ...), 1 in the baseline`: why a rule's test is skipped. */
function skippedMessage(accepted: readonly Finding[]): string {
  const suppressed = accepted.filter((f) => f.suppression);
  const baselined = accepted.length - suppressed.length;
  const parts: string[] = [];
  if (suppressed.length > 0) {
    const reasons = [...new Set(suppressed.map((f) => f.suppression?.justification ?? ""))].join("; ");
    parts.push(`${suppressed.length} suppressed: ${reasons}`);
  }
  if (baselined > 0) parts.push(`${baselined} in the baseline`);
  return parts.join("; ");
}

interface SuiteCounts {
  tests: number;
  failures: number;
  errors: number;
  skipped: number;
}

function addRuleCase(suite: XMLBuilder, classname: string, rule: RuleCase, failOn: FailOn): SuiteCounts {
  const testcase = suite.ele("testcase", { name: xmlSafe(`${rule.id} ${rule.slug}`), classname: xmlSafe(classname), time: TIME });
  const failing = rule.findings.filter((f) => findingFails(f, failOn));
  const passing = rule.findings.filter((f) => !findingFails(f, failOn));
  const counts: SuiteCounts = { tests: 1, failures: 0, errors: 0, skipped: 0 };
  if (failing.length > 0) {
    const codes = [...new Set(failing.map((f) => f.code))].join(" ");
    const message = failing.length === 1 ? failing[0]!.message : `${countOf(failing.length, "finding")}: ${failing[0]!.message}; ...`;
    testcase.ele("failure", { type: codes, message: xmlSafe(message) }).txt(xmlSafe(failing.map(details).join("\n\n")));
    counts.failures = 1;
  } else if (rule.findings.length > 0 && rule.findings.every((f) => !isActive(f))) {
    testcase.ele("skipped", { message: xmlSafe(skippedMessage(rule.findings)) });
    counts.skipped = 1;
  }
  if (passing.length > 0) testcase.ele("system-out").txt(xmlSafe(passing.map(details).join("\n\n")));
  return counts;
}

function addProperties(suite: XMLBuilder, report: Report, summary: ReportSummary, path: BridgePath | undefined): void {
  const properties = suite.ele("properties");
  properties.ele("property", { name: "bridgeguard.version", value: xmlSafe(report.tool.version) });
  properties.ele("property", { name: "catalog.version", value: xmlSafe(report.catalog.version) });
  properties.ele("property", { name: "resources", value: String(summary.resources) });
  properties.ele("property", { name: "endpoints", value: String(summary.endpoints) });
  // The stack's bridge path, once: one property per gate on it, per gate left out, per assumption.
  if (!path) return;
  for (const gate of path.onPath) properties.ele("property", { name: "path.onPath", value: xmlSafe(describePathGate(gate)) });
  for (const gate of path.leftOut) properties.ele("property", { name: "path.leftOut", value: xmlSafe(describePathGate(gate)) });
  for (const line of path.assumptions) properties.ele("property", { name: "path.assumption", value: xmlSafe(line) });
}

interface Stack {
  name: string;
  summary: ReportSummary;
  findings: Finding[];
  error?: string;
  path?: BridgePath;
}

/** The stacks of the report, each with its own findings; one unnamed stack when the report has none. */
function stacksOf(report: Report, findings: readonly Finding[]): Stack[] {
  if (!report.stacks || report.stacks.length === 0) return [{ name: DEFAULT_SUITE, summary: report.summary, findings: [...findings], ...(report.path ? { path: report.path } : {}) }];
  // One stack's path is the report's own; several stacks carry one each.
  const pathOf = (s: StackSummary) => s.path ?? (report.stacks?.length === 1 ? report.path : undefined);
  const stacks = report.stacks.map((s): Stack => {
    const path = pathOf(s);
    return { name: s.file, summary: s.summary, findings: [], ...(s.error !== undefined ? { error: s.error } : {}), ...(path ? { path } : {}) };
  });
  const byFile = new Map(stacks.map((s) => [s.name, s]));
  for (const finding of findings) {
    // A finding of no listed file (a hand-built report) goes to the first stack rather than nowhere.
    (byFile.get(finding.file ?? "") ?? stacks[0]!).findings.push(finding);
  }
  return stacks;
}

/** The JUnit XML document, ending with a newline. */
export function renderJunit(report: Report, options: JunitOptions = {}): string {
  const failOn = options.failOn ?? "error";
  const stacks = stacksOf(report, sortedFindings(report.findings));

  // Loaded here, not at start-up: xmlbuilder2 (and the YAML parser bundled in it) is a third of the
  // CLI's start-up time, and only this format needs it.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { create } = require("xmlbuilder2") as typeof Xmlbuilder2;
  const doc = create({ version: "1.0", encoding: "UTF-8" });
  const root = doc.ele("testsuites", { name: DEFAULT_SUITE });
  const total: SuiteCounts = { tests: 0, failures: 0, errors: 0, skipped: 0 };
  stacks.forEach((stack, index) => {
    const suite = root.ele("testsuite", { name: xmlSafe(stack.name) });
    const counts: SuiteCounts = { tests: 0, failures: 0, errors: 0, skipped: 0 };
    if (stack.error !== undefined) {
      suite
        .ele("testcase", { name: "bridgeguard audit", classname: xmlSafe(stack.name), time: TIME })
        .ele("error", { type: "InputError", message: xmlSafe(stack.error) })
        .txt(xmlSafe(stack.error));
      counts.tests = 1;
      counts.errors = 1;
    } else {
      addProperties(suite, report, stack.summary, stack.path);
      for (const rule of ruleCases(options.rules ?? [], stack.findings)) {
        const c = addRuleCase(suite, stack.name, rule, failOn);
        counts.tests += c.tests;
        counts.failures += c.failures;
        counts.skipped += c.skipped;
      }
      if (counts.tests === 0) {
        // No rule listed and no finding: one passing testcase, so that CI shows the audit ran.
        suite.ele("testcase", { name: "bridgeguard audit", classname: xmlSafe(stack.name), time: TIME });
        counts.tests = 1;
      }
      suite.ele("system-out").txt(xmlSafe(`${summaryLine(stack)}\ncatalog ${report.catalog.version}`));
    }
    if (index === 0 && report.notices && report.notices.length > 0) {
      suite.ele("system-err").txt(xmlSafe(report.notices.map((n) => `${n.level}: ${n.message}`).join("\n")));
    }
    suite.att({ tests: String(counts.tests), failures: String(counts.failures), errors: String(counts.errors), skipped: String(counts.skipped), time: TIME });
    total.tests += counts.tests;
    total.failures += counts.failures;
    total.errors += counts.errors;
    total.skipped += counts.skipped;
  });
  root.att({ tests: String(total.tests), failures: String(total.failures), errors: String(total.errors), time: TIME });

  return `${doc.end({ prettyPrint: true })}\n`;
}
