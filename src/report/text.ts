/**
 * The text report, for a person at a terminal: it reads like a compiler's errors. Findings are grouped
 * by resource; each starts with one line naming severity, code, rule and what is wrong, and carries the
 * endpoint, evidence, fix and docs indented below it, values aligned. The documented remediation of each
 * code found is said once, after the findings; a summary line ends the report.
 *
 *   hub-fw (azure-native:network:AzureFirewall)
 *     urn:pulumi:prod::hub::azure-native:network:AzureFirewall::hub-fw
 *
 *     error NetworkError BG201 usage-endpoint-blocked: the firewall denies *.trafficmanager.net:443
 *         endpoint: *.trafficmanager.net:443 (https, usage)
 *         evidence: collection "deny-internet" (priority 100, Deny) rule "all" matches
 *         fix:      Allow *.trafficmanager.net on Https:443 from 203.0.113.0/27 ...
 *         change:   + ApplicationRule "allow-trafficmanager.net-https-443" in policy hub-policy ...
 *         docs:     docs/rules/BG201.md
 *
 *   1 error, 0 warnings, 14 resources checked, 17 endpoints evaluated
 *   catalog 2019.12-azs2301 (bridgeguard 0.1.0)
 *
 * Every line, headlines included, wraps at the width (80 by default; words longer than a line, such as
 * ARM ids, are never broken). Notices (what the configuration lacks, expired or stale suppressions) come
 * first. A suppressed finding keeps its headline, marked `suppressed`, with its justification below
 * (`because:`); findings already in the baseline are counted, not shown (`41 baselined findings not
 * shown`): a baseline run shows what is new. `quiet` shows errors only and counts the rest.
 * A report of several stacks has one section per file (`== file`, its findings, its own summary line, or
 * the error that kept it from being audited) and ends with the total.
 */
import type { Finding, Report, ReportSummary, Severity, StackSummary } from "../model/finding";
import { terminalSafe } from "../model/terminal-safe";
import { codeLegend, countOf, describeEndpoints, groupByResource, ownRemediation, summaryLine, wrap } from "./common";
import { fixLines } from "./fix";
import { append } from "../evaluate/multimap";
import { describePathGates } from "./path";
import type { BridgePath } from "../model/path";

export interface TextOptions {
  /** ANSI colour (severity in red/yellow, resource names in bold). Decide with `shouldUseColor`. */
  color: boolean;
  /** Columns to wrap at, headlines included; default 80. Words longer than a line (ids, URLs) are not broken. */
  width?: number;
  /** Errors only (`--quiet`): warnings, suppressed findings and notices are counted, not shown. */
  quiet?: boolean;
}

const DEFAULT_WIDTH = 80;
/** Labels are padded to one width so that every value starts in the same column. */
const LABEL_WIDTH = "endpoint: ".length;
const FINDING_INDENT = "  ";
const DETAIL_INDENT = "      ";
/** A wrapped headline continues between the finding and its details, so that it reads as one line. */
const HEADLINE_INDENT = "    ";

const ANSI = {
  red: "\u001b[31m",
  yellow: "\u001b[33m",
  bold: "\u001b[1m",
  dim: "\u001b[2m",
  green: "\u001b[32m",
  reset: "\u001b[0m",
} as const;

type Style = (text: string, ...codes: (keyof typeof ANSI)[]) => string;

function styler(color: boolean): Style {
  if (!color) return (text) => text;
  return (text, ...codes) => `${codes.map((c) => ANSI[c]).join("")}${text}${ANSI.reset}`;
}

const SEVERITY_COLOUR: Record<Severity, keyof typeof ANSI> = { error: "red", warning: "yellow" };

/**
 * Whether to colour text written to `stream`. `NO_COLOR` (any non-empty value, see no-color.org)
 * always wins; then `FORCE_COLOR` (`0`/`false` turns colour off, any other value on); then a dumb
 * terminal gets none; otherwise colour only on a TTY.
 */
export function shouldUseColor(stream: { isTTY?: boolean }, env: NodeJS.ProcessEnv): boolean {
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== "") return false;
  const force = env.FORCE_COLOR;
  if (force !== undefined) return !(force === "0" || force.toLowerCase() === "false");
  if (env.TERM === "dumb") return false;
  return stream.isTTY === true;
}

/**
 * Input text made safe for a terminal: a resource name or property value from a stack export could
 * carry escape sequences that recolour, retitle or rewrite the operator's terminal, or bidirectional
 * controls that reorder what it shows. Those are shown as escapes (`terminalSafe`: `\xNN`, `\uNNNN`);
 * newlines are kept, and a tab becomes a space.
 */
export function printable(text: string): string {
  return terminalSafe(text.replace(/\r\n/g, "\n").replace(/\t/g, " "), { keepNewlines: true });
}

/** One labelled block: the first line carries the label, the rest align under its value. */
function labelled(label: string, lines: readonly string[], style: Style): string[] {
  const pad = " ".repeat(LABEL_WIDTH);
  return lines.map((line, i) =>
    `${DETAIL_INDENT}${i === 0 ? style(`${label}:`.padEnd(LABEL_WIDTH), "dim") : pad}${line}`.trimEnd(),
  );
}

/**
 * A finding's first line, `error NetworkError BG201 usage-endpoint-blocked: message`, wrapped at the width
 * like its body: the continuation lines are indented under the detail labels.
 */
function headline(lead: string, leadStyled: string, finding: Finding, width: number): string[] {
  const text = `${lead} ${finding.code} ${finding.rule.id} ${finding.rule.slug}: ${printable(finding.message).replace(/\n/g, " ")}`;
  const lines = hanging(text, Math.max(20, width - FINDING_INDENT.length), HEADLINE_INDENT.slice(FINDING_INDENT.length));
  // Colour the lead only (it is the first word(s) of the first line).
  return lines.map((line, i) => `${FINDING_INDENT}${i === 0 ? `${leadStyled}${line.slice(lead.length)}` : line}`);
}

/**
 * A suppressed finding: its headline, marked, and the justification; the detail is in the other formats.
 */
function renderSuppressed(finding: Finding, width: number, style: Style): string[] {
  const valueWidth = Math.max(20, width - DETAIL_INDENT.length - LABEL_WIDTH);
  const lead = `suppressed ${finding.severity}`;
  const lines = headline(lead, style(lead, "dim"), finding, width);
  if (finding.suppression) {
    const { justification, expires } = finding.suppression;
    const text = expires ? `${justification} (suppression expires ${expires})` : justification;
    lines.push(...labelled("because", wrap(printable(text), valueWidth), style));
  }
  return lines;
}

function renderFinding(finding: Finding, width: number, style: Style): string[] {
  if (finding.suppression) return renderSuppressed(finding, width, style);
  const valueWidth = Math.max(20, width - DETAIL_INDENT.length - LABEL_WIDTH);
  const lines = headline(finding.severity, style(finding.severity, SEVERITY_COLOUR[finding.severity], "bold"), finding, width);
  if (finding.endpoints.length > 0) {
    // One host per item, wrapped like evidence: a long host with both ports must not run past the width.
    const endpoints = describeEndpoints(finding.endpoints).flatMap((e) => wrap(printable(e), valueWidth - 2).map((line, i) => (i === 0 ? line : `  ${line}`)));
    lines.push(...labelled("endpoint", endpoints, style));
  }
  if (finding.evidence.length > 0) {
    // A wrapped item's continuation is indented two more, so that items stay apart.
    const evidence = finding.evidence.flatMap((e) => wrap(printable(e), valueWidth - 2).map((line, i) => (i === 0 ? line : `  ${line}`)));
    lines.push(...labelled("evidence", evidence, style));
  }
  // The code's documented remediation is said once, in the legend at the end.
  const fix = ownRemediation(finding);
  if (fix !== "") lines.push(...labelled("fix", wrap(printable(fix), valueWidth), style));
  // The concrete fix as data, one change per line (`+` a rule to add, `~` a property to change).
  if (finding.fix) {
    const change = fixLines(finding.fix).flatMap((line) => {
      const indent = line.startsWith("  ") ? "  " : "";
      return wrap(printable(line.trimStart()), valueWidth - indent.length - 2).map((part, i) => `${indent}${i === 0 ? "" : "  "}${part}`);
    });
    lines.push(...labelled("change", change, style));
  }
  if (finding.docs !== "") lines.push(...labelled("docs", [printable(finding.docs)], style));
  return lines;
}

/** `text` wrapped at `width`, its continuation lines indented by `indent` (and still within the width). */
function hanging(text: string, width: number, indent: string): string[] {
  const [first = "", ...rest] = wrap(text, width);
  const more = rest.length > 0 ? wrap(rest.join(" "), Math.max(20, width - indent.length)).map((line) => `${indent}${line}`) : [];
  return [first, ...more];
}

/** What a report shows: not the findings already in the baseline (counted), nor, when quiet, any but errors. */
function shown(findings: readonly Finding[], quiet: boolean): Finding[] {
  const baselined = (f: Finding) => f.baselineState === "unchanged" && !f.suppression;
  return findings.filter((f) => !baselined(f) && !(quiet && (f.suppression || f.severity !== "error")));
}

/** `41 baselined findings not shown`, `3 warnings not shown (--quiet)`: what the report leaves out. */
function leftOut(findings: readonly Finding[], quiet: boolean): string[] {
  const baselined = findings.filter((f) => f.baselineState === "unchanged" && !f.suppression).length;
  const lines: string[] = [];
  if (baselined > 0) lines.push(`${countOf(baselined, "baselined finding")} not shown (in the baseline; --format json lists them)`);
  if (quiet) {
    const warnings = findings.filter((f) => !f.suppression && f.baselineState !== "unchanged" && f.severity === "warning").length;
    const suppressed = findings.filter((f) => f.suppression).length;
    if (warnings > 0) lines.push(`${countOf(warnings, "warning")} not shown (--quiet)`);
    if (suppressed > 0) lines.push(`${countOf(suppressed, "suppressed finding")} not shown (--quiet)`);
  }
  return lines;
}

function renderGroups(findings: readonly Finding[], width: number, style: Style, out: string[]): void {
  for (const group of groupByResource(findings)) {
    const { resource } = group;
    out.push(`${style(printable(resource.name), "bold")} (${printable(resource.type)})`);
    out.push(`${FINDING_INDENT}${printable(resource.urn)}`);
    for (const finding of group.findings) {
      out.push("");
      out.push(...renderFinding(finding, width, style));
    }
    out.push("");
  }
}

/**
 * The bridge's path, once: the gates evaluated and why (`on`), those left out and why (`off`), the route
 * tables whose routes decided (`routes`), and what the stack did not show (`assumed`).
 */
function renderPath(path: BridgePath, width: number, style: Style, out: string[]): void {
  const items: [string, string][] = [
    ...describePathGates(path.onPath, "on").map((line): [string, string] => ["on", line]),
    ...describePathGates(path.leftOut, "off").map((line): [string, string] => ["off", line]),
    ...path.routeTables.map((t): [string, string] => ["routes", `${t.name}: ${t.reason}`]),
    ...path.assumptions.map((a): [string, string] => ["assumed", a]),
  ];
  if (items.length === 0) return;
  out.push(style("bridge path (on: evaluated; off: left out)", "bold"));
  const label = "assumed ".length;
  for (const [kind, text] of items) {
    const lines = hanging(printable(text), Math.max(20, width - FINDING_INDENT.length - label), "  ");
    out.push(...lines.map((line, i) => `${FINDING_INDENT}${i === 0 ? style(kind.padEnd(label), "dim") : " ".repeat(label)}${line}`.trimEnd()));
  }
  out.push("");
}

function verdictColour(summary: ReportSummary): keyof typeof ANSI {
  return summary.errors > 0 ? "red" : summary.warnings > 0 ? "yellow" : "green";
}

/**
 * Several stacks: one section per input file (`== file`, its findings, its own summary line, or the error
 * that kept it from being audited), then the total.
 */
function renderStacks(report: Report, stacks: readonly StackSummary[], width: number, quiet: boolean, style: Style, out: string[]): void {
  const byFile = new Map<string, Finding[]>();
  for (const finding of report.findings) append(byFile, finding.file ?? "", finding);
  for (const stack of stacks) {
    const file = printable(stack.file);
    out.push(style(`== ${file}`, "bold"));
    out.push("");
    if (stack.error !== undefined) {
      out.push(`${FINDING_INDENT}${style("error", "red", "bold")} ${printable(stack.error)}`);
      out.push("");
      continue;
    }
    const own = byFile.get(stack.file) ?? [];
    if (stack.path && !quiet) renderPath(stack.path, width, style, out);
    renderGroups(shown(own, quiet), width, style, out);
    for (const line of leftOut(own, quiet)) out.push(style(line, "dim"));
    out.push(...hanging(`${file}: ${summaryLine(stack)}`, width, "  ").map((line) => style(line, verdictColour(stack.summary))));
    out.push("");
  }
}

/** The text report; ends with a newline. */
export function renderText(report: Report, options: TextOptions): string {
  const style = styler(options.color);
  const width = options.width ?? DEFAULT_WIDTH;
  const out: string[] = [];
  const stacks = report.stacks && report.stacks.length > 1 ? report.stacks : undefined;

  const quiet = options.quiet === true;
  const notices = report.notices ?? [];

  // Notices first: what the configuration lacks or gets wrong frames every finding below it.
  if (!quiet && notices.length > 0) {
    for (const notice of notices) {
      const lead = `${notice.level}:`;
      const lines = hanging(`${lead} ${printable(notice.message)}`, width, "  ");
      out.push(...lines.map((line, i) => (i === 0 ? `${style(lead, notice.level === "warning" ? "yellow" : "dim", "bold")}${line.slice(lead.length)}` : line)));
    }
    out.push("");
  }

  if (stacks) renderStacks(report, stacks, width, quiet, style, out);
  else {
    if (report.path && !quiet) renderPath(report.path, width, style, out);
    renderGroups(shown(report.findings, quiet), width, style, out);
    const left = leftOut(report.findings, quiet);
    for (const line of left) out.push(style(line, "dim"));
    if (left.length > 0) out.push("");
  }

  if (report.findings.length === 0 && !stacks) {
    out.push(`${style("no problems found", "green", "bold")}: nothing checked would stop usage reporting`);
    out.push("");
  }
  if (quiet && notices.length > 0) out.push(style(`${countOf(notices.length, "notice")} not shown (--quiet)`, "dim"), "");
  // Each code's documented remediation once, for the codes of the findings shown.
  const legend = codeLegend(shown(report.findings, quiet));
  if (legend.length > 0) {
    out.push(style("Documented remediation, per code:", "bold"));
    for (const { code, remediation } of legend) out.push(...hanging(`${code}: ${printable(remediation)}`, width - FINDING_INDENT.length, "  ").map((line) => `${FINDING_INDENT}${line}`));
    out.push("");
  }
  let summary = summaryLine(report);
  if (stacks) {
    const failed = stacks.filter((stack) => stack.error !== undefined).length;
    summary = `total: ${summary} in ${countOf(stacks.length, "stack")}${failed > 0 ? ` (${failed} could not be audited)` : ""}`;
  }
  out.push(...hanging(summary, width, "  ").map((line) => style(line, verdictColour(report.summary), "bold")));
  out.push(printable(`catalog ${report.catalog.version} (${report.tool.name} ${report.tool.version})`));
  return `${out.join("\n")}\n`;
}
