/**
 * Markdown for a pull-request comment (GitHub / Azure DevOps flavoured): a heading with the verdict, a
 * summary table, a table of findings, then one collapsed `<details>` per finding with its evidence and
 * fix. Every value that came from input is escaped for where it lands (table cell, paragraph, HTML),
 * so a `|` in a message cannot break the table and a `<` in a property value cannot inject HTML.
 * A hidden marker lets a CI job find and update its previous comment.
 * Suppressed and baselined findings are marked in the table and explained in their details; a report of
 * several stacks lists the ones that need a look; notices (expired, stale suppressions) get a section.
 */
import type { Finding, Report } from "../model/finding";
import { countOf, hostPort, isAbsoluteUri, resolveDocs, sortedFindings, summaryLine } from "./common";

export interface MarkdownOptions {
  /** Base URI that relative `docs` paths are resolved against (a PR comment is read away from the repo). */
  docsBaseUri?: string;
  /** Most characters the comment may have; GitHub's limit is 65,536. Details, then rows, are dropped past it. */
  maxLength?: number;
}

export const MARKDOWN_MARKER = "<!-- bridgeguard-report -->";
const DEFAULT_MAX_LENGTH = 65_536;

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

/** A link target that cannot end the link early: spaces, parentheses and angle brackets percent-encoded. */
function linkTarget(uri: string): string {
  return uri.replace(/[\s()<>]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, "0")}`);
}

/**
 * The rule, linked to its docs page when the link works where the comment is read: an absolute URI (or
 * a relative path made absolute by `docsBaseUri`). A relative path in a PR comment resolves against the
 * PR's own URL and leads nowhere, so it is shown, not linked.
 */
function ruleCell(finding: Finding, docsBaseUri: string | undefined): string {
  const label = escapeMarkdown(`${finding.rule.id} ${finding.rule.slug}`);
  const docs = resolveDocs(finding.docs, docsBaseUri);
  return isAbsoluteUri(docs) ? `[${label}](${linkTarget(docs)})` : label;
}

function docsLine(finding: Finding, docsBaseUri: string | undefined): string {
  const docs = resolveDocs(finding.docs, docsBaseUri);
  return isAbsoluteUri(docs) ? `Docs: [${escapeMarkdown(`${finding.rule.id} ${finding.rule.slug}`)}](${linkTarget(docs)})` : `Docs: ${codeSpan(docs)}`;
}

const SEVERITY_LABEL = { error: "❌ error", warning: "⚠️ warning" } as const;

/** The severity cell: a suppressed or baselined finding says so instead of alarming. */
function severityCell(finding: Finding): string {
  if (finding.suppression) return `🔕 suppressed ${finding.severity}`;
  if (finding.baselineState === "unchanged") return `baselined ${finding.severity}`;
  return SEVERITY_LABEL[finding.severity];
}

function findingRow(finding: Finding, docsBaseUri: string | undefined): string {
  const cells = [
    severityCell(finding),
    codeSpan(finding.code),
    ruleCell(finding, docsBaseUri),
    escapeMarkdown(finding.resource.name),
    finding.endpoint ? codeSpan(hostPort(finding.endpoint)) : "—",
    escapeMarkdown(finding.message),
  ];
  return `| ${cells.join(" | ")} |`;
}

function findingDetails(finding: Finding, docsBaseUri: string | undefined): string {
  const summary = escapeHtml(`${finding.severity} ${finding.code} ${finding.rule.id} ${finding.rule.slug} on ${finding.resource.name}`);
  const body: string[] = [`<details>`, `<summary>${summary}</summary>`, ""];
  body.push(escapeMarkdown(finding.message), "");
  body.push(`- resource: ${codeSpan(finding.resource.urn)} (${escapeMarkdown(finding.resource.type)})`);
  if (finding.endpoint) {
    const { protocol, purpose } = finding.endpoint;
    body.push(`- endpoint: ${codeSpan(hostPort(finding.endpoint))} (${escapeMarkdown(`${protocol}, ${purpose}`)})`);
  }
  body.push("");
  if (finding.suppression) {
    const { justification, expires } = finding.suppression;
    body.push(`**Suppressed:** ${escapeMarkdown(justification)}${expires ? ` (suppression expires ${escapeMarkdown(expires)})` : ""}`, "");
  } else if (finding.baselineState === "unchanged") {
    body.push("**In the baseline:** accepted when the baseline was created; it does not fail the run.", "");
  }
  if (finding.evidence.length > 0) {
    body.push("**Evidence**", "", ...finding.evidence.map((e) => `- ${escapeMarkdown(e)}`), "");
  }
  if (finding.remediation.trim() !== "") body.push(`**Fix:** ${escapeMarkdown(finding.remediation)}`, "");
  if (finding.docs !== "") body.push(docsLine(finding, docsBaseUri), "");
  body.push(`</details>`);
  return body.join("\n");
}

/**
 * Several stacks: a table of the ones that need a look (errors, warnings, or could not be audited); the
 * clean ones are counted, not listed, so that 200 stacks do not drown the comment.
 */
function stacksSection(report: Report): string[] {
  const stacks = report.stacks ?? [];
  if (stacks.length <= 1) return [];
  const notable = stacks.filter((s) => s.error !== undefined || s.summary.errors > 0 || s.summary.warnings > 0);
  const lines = ["### Stacks", ""];
  if (notable.length > 0) {
    lines.push("| stack | errors | warnings | resources checked | status |", "| --- | ---: | ---: | ---: | --- |");
    for (const s of notable) {
      const status = s.error !== undefined ? `❗ could not be audited: ${escapeMarkdown(s.error)}` : s.summary.errors > 0 ? "❌" : "⚠️";
      lines.push(`| ${codeSpan(s.file)} | ${s.summary.errors} | ${s.summary.warnings} | ${s.summary.resources} | ${status} |`);
    }
    lines.push("");
  }
  const clean = stacks.length - notable.length;
  lines.push(`${countOf(stacks.length, "stack")} audited${clean > 0 ? `; ${clean} with no errors or warnings` : ""}.`, "");
  return lines;
}

/** Expired and stale suppressions. */
function noticesSection(report: Report): string[] {
  const notices = report.notices ?? [];
  if (notices.length === 0) return [];
  return ["### Notices", "", ...notices.map((n) => `- ${n.level === "warning" ? "⚠️" : "ℹ️"} ${escapeMarkdown(n.message)}`), ""];
}

/** The pull-request comment, ending with a newline. */
export function renderMarkdown(report: Report, options: MarkdownOptions = {}): string {
  const { summary } = report;
  const findings = sortedFindings(report.findings);
  const maxLength = options.maxLength ?? DEFAULT_MAX_LENGTH;

  const failedFiles = (report.stacks ?? []).filter((stack) => stack.error !== undefined);
  const verdict =
    summary.errors > 0
      ? `❌ bridgeguard: ${countOf(summary.errors, "error")} will break usage reporting`
      : failedFiles.length > 0
        ? `❌ bridgeguard: ${countOf(failedFiles.length, "file")} could not be audited`
      : findings.length > 0
        ? `✅ bridgeguard: no errors, ${countOf(summary.warnings, "warning")}`
        : "✅ bridgeguard: no problems found";

  // Suppressed and baselined counts get a column only when there are some.
  const extra: [string, number][] = [];
  if (summary.suppressed) extra.push(["suppressed", summary.suppressed]);
  if (summary.baselined) extra.push(["in the baseline", summary.baselined]);
  const head = [
    MARKDOWN_MARKER,
    `## ${verdict}`,
    "",
    `| errors | warnings | ${extra.map(([name]) => `${name} | `).join("")}resources checked | endpoints evaluated |`,
    `| ---: | ---: | ${extra.map(() => "---: | ").join("")}---: | ---: |`,
    `| ${summary.errors} | ${summary.warnings} | ${extra.map(([, n]) => `${n} | `).join("")}${summary.resources} | ${summary.endpoints} |`,
    "",
    ...stacksSection(report),
    ...noticesSection(report),
  ];
  const foot = [`<sub>${escapeHtml(summaryLine(report))} · bridgeguard ${escapeHtml(report.tool.version)} · catalog ${escapeHtml(report.catalog.version)}</sub>`];

  if (findings.length === 0) return `${[...head, ...foot].join("\n")}\n`;

  const rows = findings.map((f) => findingRow(f, options.docsBaseUri));
  const details = findings.map((f) => findingDetails(f, options.docsBaseUri));
  const tableHead = ["### Findings", "", "| severity | code | rule | resource | endpoint | message |", "| --- | --- | --- | --- | --- | --- |"];

  // Fit the comment under the limit: drop details from the end first, then table rows.
  const size = (parts: string[]): number => parts.reduce((n, p) => n + p.length + 1, 0);
  let shownRows = rows.length;
  let shownDetails = details.length;
  const build = (): string[] => {
    const notes: string[] = [];
    if (shownRows < rows.length) notes.push(`${countOf(rows.length - shownRows, "finding")} left out of the table`);
    if (shownDetails < details.length) notes.push(`details of ${countOf(details.length - shownDetails, "finding")} left out`);
    return [
      ...head,
      ...tableHead,
      ...rows.slice(0, shownRows),
      ...(notes.length > 0 ? ["", `_${notes.join("; ")} to fit the comment: see the full report (\`--format json\`)._`] : []),
      "",
      ...details.slice(0, shownDetails).flatMap((d) => [d, ""]),
      ...foot,
    ];
  };
  let lines = build();
  while (size(lines) > maxLength && (shownDetails > 0 || shownRows > 0)) {
    if (shownDetails > 0) shownDetails--;
    else shownRows--;
    lines = build();
  }
  return `${lines.join("\n")}\n`;
}
