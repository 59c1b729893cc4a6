/**
 * GitHub Actions workflow annotations: one `::error` or `::warning` command per finding that counts
 * (suppressed and baselined findings are left out), at the program line that declared the resource when the
 * state recorded it (`sourcePosition`, under `--source-root`), else at the resource's line in the audited
 * file. GitHub shows them on the run and on the pull request's changed lines.
 *
 * Escaping follows the runner's rules (`escapeData`/`escapeProperty` in packages/core/src/command.ts of
 * actions/toolkit): in the message `%`, CR and LF are percent-encoded; in property values also `:` and `,`.
 * So no text from a state file can end a command early or start another one.
 */
import { isActive, type Finding, type Report } from "../model/finding";
import { sortedFindings, summaryLine } from "./common";
import { bestLocation } from "./locations";

export interface GithubOptions {
  /** The Pulumi project's directory in the repository, prefixed to program source paths. */
  sourceRoot?: string;
}

/** `escapeData` of @actions/core. */
export function escapeData(text: string): string {
  return text.replace(/%/g, "%25").replace(/\r/g, "%0D").replace(/\n/g, "%0A");
}

/** `escapeProperty` of @actions/core. */
export function escapeProperty(text: string): string {
  return escapeData(text).replace(/:/g, "%3A").replace(/,/g, "%2C");
}

function command(name: "error" | "warning" | "notice", properties: Record<string, string | number | undefined>, message: string): string {
  const props = Object.entries(properties)
    .filter((entry): entry is [string, string | number] => entry[1] !== undefined && entry[1] !== "")
    .map(([key, value]) => `${key}=${escapeProperty(String(value))}`)
    .join(",");
  return `::${name}${props ? ` ${props}` : ""}::${escapeData(message)}`;
}

function annotation(finding: Finding, options: GithubOptions): string {
  const at = bestLocation(finding, options.sourceRoot);
  const message = [finding.message, `Resource: ${finding.resource.urn}`, ...(finding.file && at?.path !== finding.file ? [`In: ${finding.file}`] : []), `Fix: ${finding.remediation}`].join("\n");
  return command(
    finding.severity,
    { file: at?.path, line: at?.line, col: at?.column, title: `${finding.rule.id} ${finding.rule.slug} (${finding.code})` },
    message,
  );
}

/** The annotations, then the summary line; one command per line. */
export function renderGithub(report: Report, options: GithubOptions = {}): string {
  const lines = sortedFindings(report.findings)
    .filter(isActive)
    .map((finding) => annotation(finding, options));
  for (const stack of report.stacks ?? []) {
    if (stack.error !== undefined) lines.push(command("error", { file: stack.file, title: "bridgeguard: input not audited" }, stack.error));
  }
  for (const notice of report.notices ?? []) lines.push(command(notice.level === "warning" ? "warning" : "notice", { title: `bridgeguard: ${notice.kind}` }, notice.message));
  lines.push(`bridgeguard: ${summaryLine(report)}`);
  return `${lines.join("\n")}\n`;
}
