/**
 * The text report, for a person at a terminal: it reads like a compiler's errors. Findings are grouped
 * by resource; each starts with one line naming severity, code, rule and what is wrong, and carries the
 * endpoint, evidence, fix and docs indented below it, values aligned. A summary line ends the report.
 *
 *   hub-fw (azure-native:network:AzureFirewall)
 *     urn:pulumi:prod::hub::azure-native:network:AzureFirewall::hub-fw
 *
 *     error NetworkError BG201 usage-endpoint-blocked: the firewall denies *.trafficmanager.net:443
 *         endpoint: *.trafficmanager.net:443 (https, usage)
 *         evidence: collection "deny-internet" (priority 100, Deny) rule "all" matches
 *         fix:      Allow *.trafficmanager.net on Https:443 from 203.0.113.0/27 ...
 *         docs:     docs/rules/BG201.md
 *
 *   1 error, 0 warnings, 14 resources checked, 17 endpoints evaluated
 *   catalog 2019.12-azs2301 (bridgeguard 0.1.0)
 */
import type { Finding, Report, Severity } from "../model/finding";
import { describeEndpoint, groupByResource, summaryLine, wrap } from "./common";

export interface TextOptions {
  /** ANSI colour (severity in red/yellow, resource names in bold). Decide with `shouldUseColor`. */
  color: boolean;
  /** Columns to wrap evidence and fixes at; default 100. The headline of a finding is never wrapped. */
  width?: number;
}

const DEFAULT_WIDTH = 100;
/** Labels are padded to one width so that every value starts in the same column. */
const LABEL_WIDTH = "endpoint: ".length;
const FINDING_INDENT = "  ";
const DETAIL_INDENT = "      ";

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

/** C0 controls but newline, DEL, and C1 controls. */
const CONTROL = /[\u0000-\u0009\u000B-\u001F\u007F-\u009F]/g;

/**
 * Input text made safe for a terminal: a resource name or property value from a stack export could
 * carry escape sequences that recolour, retitle or rewrite the operator's terminal. Control characters
 * other than newline are shown as `\xNN`; a tab becomes a space.
 */
export function printable(text: string): string {
  return text.replace(/\r\n/g, "\n").replace(CONTROL, (c) => (c === "\t" ? " " : `\\x${c.charCodeAt(0).toString(16).padStart(2, "0")}`));
}

/** One labelled block: the first line carries the label, the rest align under its value. */
function labelled(label: string, lines: readonly string[], style: Style): string[] {
  const pad = " ".repeat(LABEL_WIDTH);
  return lines.map((line, i) =>
    `${DETAIL_INDENT}${i === 0 ? style(`${label}:`.padEnd(LABEL_WIDTH), "dim") : pad}${line}`.trimEnd(),
  );
}

function renderFinding(finding: Finding, width: number, style: Style): string[] {
  const valueWidth = Math.max(20, width - DETAIL_INDENT.length - LABEL_WIDTH);
  const severity = style(finding.severity, SEVERITY_COLOUR[finding.severity], "bold");
  const lines = [
    `${FINDING_INDENT}${severity} ${finding.code} ${finding.rule.id} ${finding.rule.slug}: ${printable(finding.message).replace(/\n/g, " ")}`,
  ];
  if (finding.endpoint) lines.push(...labelled("endpoint", [printable(describeEndpoint(finding.endpoint))], style));
  if (finding.evidence.length > 0) {
    // A wrapped item's continuation is indented two more, so that items stay apart.
    const evidence = finding.evidence.flatMap((e) => wrap(printable(e), valueWidth - 2).map((line, i) => (i === 0 ? line : `  ${line}`)));
    lines.push(...labelled("evidence", evidence, style));
  }
  if (finding.remediation.trim() !== "") lines.push(...labelled("fix", wrap(printable(finding.remediation), valueWidth), style));
  if (finding.docs !== "") lines.push(...labelled("docs", [printable(finding.docs)], style));
  return lines;
}

/** The text report; ends with a newline. */
export function renderText(report: Report, options: TextOptions): string {
  const style = styler(options.color);
  const width = options.width ?? DEFAULT_WIDTH;
  const out: string[] = [];

  for (const group of groupByResource(report.findings)) {
    const { resource } = group;
    out.push(`${style(printable(resource.name), "bold")} (${printable(resource.type)})`);
    out.push(`${FINDING_INDENT}${printable(resource.urn)}`);
    for (const finding of group.findings) {
      out.push("");
      out.push(...renderFinding(finding, width, style));
    }
    out.push("");
  }

  if (report.findings.length === 0) {
    out.push(`${style("no problems found", "green", "bold")}: nothing checked would stop usage reporting`);
    out.push("");
  }
  const summary = summaryLine(report);
  const verdict = report.summary.errors > 0 ? "red" : report.summary.warnings > 0 ? "yellow" : "green";
  out.push(style(summary, verdict, "bold"));
  out.push(printable(`catalog ${report.catalog.version} (${report.tool.name} ${report.tool.version})`));
  return `${out.join("\n")}\n`;
}
