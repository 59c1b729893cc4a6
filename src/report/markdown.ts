/**
 * Markdown for a pull-request comment (GitHub / Azure DevOps flavoured), read by a reviewer who wants to
 * know in ten seconds what is broken and what one change fixes it:
 *
 *   ## ❌ bridgeguard: 3 causes will break usage reporting
 *   one line of counts
 *   > notices (what the configuration lacks, suppressions that expired or match nothing)
 *   ### Causes                            one row per cause: severity, code, rule (linked), resource, endpoints
 *   #### ❌ BG501 tls-inspection on azure-stack-bridge
 *   what is wrong, the endpoints it breaks, the evidence, **Fix:** and the concrete change as a code block
 *   ### Where the bridge is stopped      a ```mermaid flowchart: stamp -> gates -> endpoint groups, and the
 *                                        gates on the path and left out, with why ("The bridge's path" when
 *                                        nothing stops it)
 *   ### Documented remediation           each code's documented remediation, once
 *   ### Accepted                          suppressed findings with their justification; baselined ones counted
 *
 * Causes come first, errors before warnings, the ones that stop usage before the rest; nothing a reviewer
 * must act on is collapsed. A cause is one finding (the engine reports one per cause); findings of the same
 * rule, resource, code and severity are shown together. With several stacks, each stack that needs a look
 * gets its own section (its diagram and causes); clean stacks are counted. Docs links are absolute (from
 * `docsBaseUri`). Every value that came from input is escaped for where it lands (table cell, paragraph,
 * Mermaid label, code block); code the engine marks with backticks stays code. A hidden marker lets a CI job
 * find and update its previous comment. Past `maxLength` (GitHub's 65,536), causes are left out from the
 * end, and the comment says how many.
 */
import type { Finding, FindingFix, FixValue, Report, ReportNotice, ReportSummary, Severity } from "../model/finding";
import type { ErrorCode } from "../catalog/codes";
import { codeLegend, countOf, hostPort, isAbsoluteUri, ownRemediation, resolveDocs, sortedFindings, summaryLine } from "./common";
import type { BridgePath, PathGate } from "../model/path";
import { append } from "../evaluate/multimap";
import { describePathGates } from "./path";
import { egressDiagram, endpointsOf, type DiagramPath } from "./egress-diagram";
import { fixLines } from "./fix";

export interface MarkdownOptions {
  /** Base URI that relative `docs` paths are resolved against (a PR comment is read away from the repo). */
  docsBaseUri?: string;
  /** Most characters the comment may have; GitHub's limit is 65,536. Causes are left out from the end past it. */
  maxLength?: number;
}

export const MARKDOWN_MARKER = "<!-- bridgeguard-report -->";
const DEFAULT_MAX_LENGTH = 65_536;
/** Endpoints listed by name in a cause; past this, the rest are counted. */
const ENDPOINTS_SHOWN = 8;

/** `<`, `>`, `&` as entities: for text inside HTML (`<summary>`) and as part of Markdown escaping. */
export function escapeHtml(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

/**
 * Text that renders literally in a paragraph, a list item or a table cell: HTML-ish characters as
 * entities, inline Markdown punctuation (`*` of `*.trafficmanager.net`, `_`, `[`, `` ` ``, `|`, `~`)
 * backslash-escaped, a leading block marker (`#`, `-`, `+`, `=`, `1.`) escaped, line breaks as `<br>`
 * (a newline would end a table row).
 */
export function escapeMarkdown(text: string): string {
  return escapeHtml(text)
    .replace(/[\\`*_[\]|~]/g, (c) => `\\${c}`)
    .replace(/^([#+=-])/, "\\$1")
    .replace(/^(\d+)([.)])/, "$1\\$2")
    .replace(/\r?\n/g, "<br>");
}

/**
 * A code span that survives a table cell: a fence longer than any backtick run inside, and `|` escaped
 * (GitHub splits cells on `|` before it parses code spans).
 */
export function codeSpan(text: string): string {
  const longest = Math.max(0, ...(text.match(/`+/g) ?? []).map((run) => run.length));
  const fence = "`".repeat(longest + 1);
  const inner = text.replace(/\|/g, "\\|").replace(/\r?\n/g, " ");
  const pad = inner.startsWith("`") || inner.endsWith("`") ? " " : "";
  return `${fence}${pad}${inner}${pad}${fence}`;
}

/**
 * Engine text (a remediation, a message) as Markdown: what it wraps in backticks (`` `{ protect: true }` ``)
 * becomes a code span, everything else is escaped. Escaping the backticks instead would show them,
 * literally, around code that then reads as broken.
 */
export function inlineMarkdown(text: string): string {
  const out: string[] = [];
  let last = 0;
  for (const match of text.matchAll(/`([^`\r\n]+)`/g)) {
    out.push(escapeMarkdown(text.slice(last, match.index)), codeSpan(match[1]!));
    last = match.index! + match[0].length;
  }
  out.push(escapeMarkdown(text.slice(last)));
  return out.join("");
}

/** A fenced code block whose fence no line of `lines` can close. */
function codeBlock(info: string, lines: readonly string[]): string[] {
  const longest = Math.max(2, ...lines.flatMap((l) => (l.match(/`+/g) ?? []).map((run) => run.length)));
  const fence = "`".repeat(longest + 1);
  return [`${fence}${info}`, ...lines, fence];
}

/** A link target that cannot end the link early: spaces, parentheses and angle brackets percent-encoded. */
function linkTarget(uri: string): string {
  return uri.replace(/[\s()<>]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, "0")}`);
}

/** `BG201 usage-endpoint-blocked`, linked to its docs page when the link works where the comment is read. */
function ruleLink(finding: Finding, docsBaseUri: string | undefined): string {
  const label = escapeMarkdown(`${finding.rule.id} ${finding.rule.slug}`);
  const docs = resolveDocs(finding.docs, docsBaseUri);
  // A relative path resolves against the PR's own URL and leads nowhere: shown, not linked.
  return isAbsoluteUri(docs) ? `[${label}](${linkTarget(docs)})` : label;
}

/** One cause as the comment shows it: the findings of one rule, resource, code, severity and acceptance. */
interface Cause {
  findings: Finding[];
  head: Finding;
}

const CODE_ORDER: readonly ErrorCode[] = ["CertificateValidationError", "NetworkError", "Unauthorized", "LoginError", "RequestTimedOut"];
const SEVERITY_ORDER: Record<Severity, number> = { error: 0, warning: 1 };

function causeKey(f: Finding): string {
  const cause = (f as { cause?: string }).cause ?? "";
  return [f.rule.id, f.resource.urn, f.code, f.severity, cause, f.suppression ? "s" : "", f.baselineState ?? "", f.file ?? ""].join("\u0000");
}

function stopsUsage(cause: Cause): boolean {
  return cause.findings.some((f) => endpointsOf(f).some((e) => e.purpose === "usage"));
}

/** The causes, most urgent first: errors, then what stops usage itself, then by code, breadth and rule. */
function causesOf(findings: readonly Finding[]): Cause[] {
  const groups = new Map<string, Finding[]>();
  for (const f of sortedFindings(findings)) {
    append(groups, causeKey(f), f);
  }
  const causes = [...groups.values()].map((list) => ({ findings: list, head: list[0]! }));
  const breadth = (c: Cause) => c.findings.reduce((n, f) => n + endpointsOf(f).length, 0);
  return causes.sort(
    (a, b) =>
      SEVERITY_ORDER[a.head.severity] - SEVERITY_ORDER[b.head.severity] ||
      Number(stopsUsage(b)) - Number(stopsUsage(a)) ||
      CODE_ORDER.indexOf(a.head.code) - CODE_ORDER.indexOf(b.head.code) ||
      breadth(b) - breadth(a) ||
      a.head.rule.id.localeCompare(b.head.rule.id) ||
      a.head.resource.name.localeCompare(b.head.resource.name),
  );
}

const SEVERITY_MARK: Record<Severity, string> = { error: "❌", warning: "⚠️" };

/** A cause's endpoints, deduplicated, in the order found. */
function causeEndpoints(cause: Cause): string[] {
  return [...new Set(cause.findings.flatMap((f) => endpointsOf(f).map((e) => hostPort(e))))];
}

function endpointsCell(cause: Cause): string {
  const endpoints = causeEndpoints(cause);
  if (endpoints.length === 0) return "—";
  return endpoints.length === 1 ? codeSpan(endpoints[0]!) : `${codeSpan(endpoints[0]!)} +${endpoints.length - 1}`;
}

function indexTable(causes: readonly Cause[], docsBaseUri: string | undefined): string[] {
  const rows = causes.map((c) => {
    const f = c.head;
    return `| ${SEVERITY_MARK[f.severity]} | ${codeSpan(f.code)} | ${ruleLink(f, docsBaseUri)} | ${escapeMarkdown(f.resource.name)} | ${endpointsCell(c)} |`;
  });
  return ["| | code | cause | resource | breaks |", "| --- | --- | --- | --- | --- |", ...rows];
}

/** The section of one cause: what is wrong, what it breaks, the evidence, the fix and the change, all open. */
function causeSection(cause: Cause, docsBaseUri: string | undefined, level: string): string[] {
  const f = cause.head;
  const lines = [`${level} ${SEVERITY_MARK[f.severity]} ${ruleLink(f, docsBaseUri)} on ${escapeMarkdown(f.resource.name)} · ${codeSpan(f.code)}`, ""];
  lines.push(inlineMarkdown(cause.findings.length === 1 ? f.message : `${f.message} (and ${countOf(cause.findings.length - 1, "more finding")} like it)`), "");
  const endpoints = causeEndpoints(cause);
  if (endpoints.length > 0) {
    const shown = endpoints.slice(0, ENDPOINTS_SHOWN).map(codeSpan).join(", ");
    const more = endpoints.length > ENDPOINTS_SHOWN ? ` and ${endpoints.length - ENDPOINTS_SHOWN} more` : "";
    lines.push(`**Breaks** ${countOf(endpoints.length, "endpoint")}: ${shown}${more}`, "");
  }
  if (f.evidence.length > 0) lines.push(...f.evidence.map((e) => `- ${escapeMarkdown(e)}`), "");
  const fix = ownRemediation(f);
  if (fix !== "") lines.push(`**Fix:** ${inlineMarkdown(fix)}`, "");
  const fixes = cause.findings.flatMap((x) => (x.fix ? [x.fix] : []));
  if (fixes.length > 0) {
    const change = diffLines(fixes[0]!);
    if (fixes.length > 1) change.push(`(and ${countOf(fixes.length - 1, "more change")} like it: see the full report)`);
    lines.push(...codeBlock("diff", change), "");
  }
  return lines;
}

function valueText(value: FixValue): string {
  return Array.isArray(value) ? `[${value.join(", ")}]` : String(value);
}

/**
 * The concrete change as a diff a reviewer reads at a glance: `+` the rule to add (with where and what,
 * indented), or a property's `-` current and `+` new value.
 */
function diffLines(fix: FindingFix): string[] {
  if (fix.kind === "change-property" && fix.current !== undefined) {
    const at = `${fix.resource.name} ${fix.path}`;
    return [`- ${at}: ${valueText(fix.current)}`, `+ ${at}: ${valueText(fix.value)}`];
  }
  return fixLines(fix);
}

/** Suppressed findings with their justification; baselined ones counted: accepted, not failing. */
function acceptedSection(findings: readonly Finding[], docsBaseUri: string | undefined): string[] {
  const suppressed = causesOf(findings.filter((f) => f.suppression));
  const baselined = findings.filter((f) => !f.suppression && f.baselineState === "unchanged").length;
  if (suppressed.length === 0 && baselined === 0) return [];
  const lines = ["### Accepted", ""];
  if (suppressed.length > 0) {
    lines.push("| | cause | resource | suppressed because |", "| --- | --- | --- | --- |");
    for (const c of suppressed) {
      const s = c.head.suppression!;
      const why = `${escapeMarkdown(s.justification)}${s.expires ? ` (until ${escapeMarkdown(s.expires)})` : ""}`;
      lines.push(`| 🔕 ${c.head.severity} | ${ruleLink(c.head, docsBaseUri)} | ${escapeMarkdown(c.head.resource.name)} | ${why} |`);
    }
    lines.push("");
  }
  if (baselined > 0) lines.push(`${countOf(baselined, "baselined finding")} not shown: in the baseline, they do not fail the run.`, "");
  return lines;
}

function noticesBlock(notices: readonly ReportNotice[]): string[] {
  if (notices.length === 0) return [];
  return [...notices.map((n) => `> ${n.level === "warning" ? "⚠️" : "ℹ️"} ${inlineMarkdown(n.message)}`).join("\n>\n").split("\n"), ""];
}

/** The bridge's path of a stack, when the report carries one (`report.path`, `stacks[].path`). */
function pathOf(value: unknown): DiagramPath | undefined {
  const path = (value as { path?: DiagramPath }).path;
  return path && Array.isArray(path.onPath) ? path : undefined;
}

/** The body for one stack's findings: the diagram, the causes' index, each cause, what is accepted. */
/** Why each gate is on the path or left out, once: what the diagram cannot say. */
function pathList(path: DiagramPath): string[] {
  // A report's path has every field; a hand-built one may carry only what the diagram needs.
  const full = path as Partial<BridgePath>;
  const explained = (g: PathGate) => typeof g.reason === "string" && typeof g.kind === "string";
  return [
    ...describePathGates((full.onPath ?? []).filter(explained), "on").map((line) => `- on the path: ${escapeMarkdown(line)}`),
    ...describePathGates((full.leftOut ?? []).filter(explained), "off").map((line) => `- left out: ${escapeMarkdown(line)}`),
    ...(full.routeTables ?? []).filter((t) => typeof t.reason === "string").map((t) => `- routes: ${escapeMarkdown(`${t.name}: ${t.reason}`)}`),
    ...(full.assumptions ?? []).map((a) => `- assumed: ${escapeMarkdown(a)}`),
  ];
}

function stackBody(findings: readonly Finding[], path: DiagramPath | undefined, level: string, docsBaseUri: string | undefined, limit: number): { lines: string[]; omitted: number } {
  const active = findings.filter((f) => !f.suppression && f.baselineState !== "unchanged");
  const causes = causesOf(active);
  const lines: string[] = [];
  // Causes first: a reviewer reads what to change before the picture of where the bridge is stopped.
  if (causes.length > 0) lines.push(`${level} Causes`, "", ...indexTable(causes, docsBaseUri), "");
  let omitted = 0;
  const size = (parts: readonly string[]) => parts.reduce((n, p) => n + p.length + 1, 0);
  // The path and each code's documented remediation (once, not after every fix) fit in the budget too.
  const pathLines =
    causes.length > 0 || path
      ? [`${level} ${causes.length > 0 ? "Where the bridge is stopped" : "The bridge's path"}`, "", ...codeBlock("mermaid", egressDiagram(findings, path)), "", ...(path ? [...pathList(path), ""] : [])]
      : [];
  const legend = codeLegend(active);
  const legendLines = legend.length > 0 ? [`${level} Documented remediation`, "", ...legend.map(({ code, remediation }) => `- \`${code}\`: ${inlineMarkdown(remediation)}`), ""] : [];
  for (const [i, cause] of causes.entries()) {
    const section = causeSection(cause, docsBaseUri, `${level}#`);
    if (size(lines) + size(section) + size(pathLines) + size(legendLines) > limit) {
      omitted = causes.length - i;
      break;
    }
    lines.push(...section);
  }
  if (omitted > 0) lines.push(`_${countOf(omitted, "more cause")} left out to fit the comment: see the full report (\`--format json\`)._`, "");
  lines.push(...pathLines);
  lines.push(...legendLines);
  lines.push(...acceptedSection(findings, docsBaseUri));
  return { lines, omitted };
}

function verdictOf(summary: ReportSummary, failed: number): string {
  if (summary.errors > 0) return `❌ bridgeguard: ${countOf(summary.errors, "error")} will break usage reporting`;
  if (failed > 0) return `❌ bridgeguard: ${countOf(failed, "file")} could not be audited`;
  if (summary.warnings > 0) return `✅ bridgeguard: no errors, ${countOf(summary.warnings, "warning")}`;
  return "✅ bridgeguard: no problems found";
}

/** The pull-request comment, ending with a newline. */
export function renderMarkdown(report: Report, options: MarkdownOptions = {}): string {
  const maxLength = options.maxLength ?? DEFAULT_MAX_LENGTH;
  const docs = options.docsBaseUri;
  const stacks = report.stacks ?? [];
  const failed = stacks.filter((s) => s.error !== undefined);
  const head = [MARKDOWN_MARKER, `## ${verdictOf(report.summary, failed.length)}`, "", escapeMarkdown(summaryLine(report)), "", ...noticesBlock(report.notices ?? [])];
  const foot = [`<sub>bridgeguard ${escapeHtml(report.tool.version)} · catalog ${escapeHtml(report.catalog.version)}</sub>`];
  const budget = maxLength - [...head, ...foot].reduce((n, p) => n + p.length + 1, 0) - 400;

  const body: string[] = [];
  if (stacks.length > 1) {
    // A section per stack that needs a look; the clean ones are counted, so that 200 stacks do not drown it.
    const notable = stacks.filter((s) => s.error !== undefined || s.summary.errors > 0 || s.summary.warnings > 0 || report.findings.some((f) => f.file === s.file));
    let left = budget;
    for (const stack of notable) {
      const mark = stack.error !== undefined || stack.summary.errors > 0 ? "❌" : stack.summary.warnings > 0 ? "⚠️" : "✅";
      const section = [`### ${mark} ${escapeMarkdown(stack.file)}`, ""];
      if (stack.error !== undefined) section.push(`Could not be audited: ${escapeMarkdown(stack.error)}`, "");
      else {
        section.push(escapeMarkdown(summaryLine(stack)), "");
        section.push(...stackBody(report.findings.filter((f) => f.file === stack.file), pathOf(stack), "####", docs, Math.max(0, left - 200)).lines);
      }
      if (section.join("\n").length > left) {
        body.push(`_${countOf(notable.length - notable.indexOf(stack), "more stack")} left out to fit the comment: see the full report (\`--format json\`)._`, "");
        break;
      }
      left -= section.join("\n").length;
      body.push(...section);
    }
    const clean = stacks.length - notable.length;
    body.push(`${countOf(stacks.length, "stack")} audited${clean > 0 ? `; ${clean} with no findings` : ""}.`, "");
  } else {
    body.push(...stackBody(report.findings, pathOf(report), "###", docs, budget).lines);
  }
  return `${[...head, ...body, ...foot].join("\n")}\n`;
}
