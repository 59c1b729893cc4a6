/**
 * A finding as a policy violation message: the same block the CLI's text report prints for it, so that a
 * failing `pulumi preview` reads like `bridgeguard audit`.
 *
 *   NetworkError BG201 usage-endpoint-blocked: Azure Firewall hub-fw (policy hub-policy) denies ...
 *     resource: urn:pulumi:prod::hub::azure-native:network:AzureFirewall::hub-fw
 *     endpoint: *.trafficmanager.net:443 (https, usage)
 *     evidence: collection "deny-internet" (priority 100, Deny) rule "all" matches
 *     fix:      Add an application rule that allows *.trafficmanager.net (Https:443) from ...
 *     suppressed: Legacy endpoint retired on our stamps (CHG-1234, J. Doe)     (when one accepts it)
 *     docs:     https://.../docs/rules/BG201.md
 */
import type { Finding } from "../model/finding";
import { describeEndpoints, resolveDocs, wrap } from "../report/common";
import { printable } from "../report/text";

const INDENT = "  ";
const LABEL_WIDTH = "endpoint: ".length;
/** Pulumi indents policy messages by a few columns; wrap the long remediation text below a terminal's 100. */
const WIDTH = 90;

function oneLine(text: string): string {
  return printable(text).replace(/\s*\n\s*/g, " ");
}

function labelled(label: string, lines: readonly string[]): string[] {
  const pad = " ".repeat(LABEL_WIDTH);
  const head = `${label}:`.length < LABEL_WIDTH ? `${label}:`.padEnd(LABEL_WIDTH) : `${label}: `;
  return lines.map((line, i) => `${INDENT}${i === 0 ? head : pad}${line}`.trimEnd());
}

/** The finding's docs link: absolute when the pack knows where its docs are published. */
export function findingDocs(finding: Finding, docsBaseUrl: string | undefined): string {
  return resolveDocs(finding.docs, docsBaseUrl);
}

/** One readable block per finding: `<code> <rule id> <slug>: <message>`, then its details indented. */
export function violationMessage(finding: Finding, docsBaseUrl?: string): string {
  const lines = [`${finding.code} ${finding.rule.id} ${finding.rule.slug}: ${oneLine(finding.message)}`];
  lines.push(...labelled("resource", [oneLine(finding.resource.urn)]));
  if (finding.endpoints.length > 0) lines.push(...labelled("endpoint", describeEndpoints(finding.endpoints).map(oneLine)));
  if (finding.evidence.length > 0) lines.push(...labelled("evidence", finding.evidence.map(oneLine)));
  if (finding.remediation.trim() !== "") lines.push(...labelled("fix", wrap(oneLine(finding.remediation), WIDTH - INDENT.length - LABEL_WIDTH)));
  if (finding.suppression) {
    const until = finding.suppression.expires ? ` (until ${finding.suppression.expires})` : "";
    lines.push(...labelled("suppressed", [`${oneLine(finding.suppression.justification)}${until}`]));
  }
  const docs = findingDocs(finding, docsBaseUrl);
  if (docs !== "") lines.push(...labelled("docs", [oneLine(docs)]));
  return lines.join("\n");
}

/** The parts of a violation message a machine needs back (the agreement tests read them). */
export interface ParsedViolation {
  code: string;
  ruleId: string;
  slug: string;
  message: string;
  resource: string;
  /** The `endpoints:` lines, one per host (`describeEndpoints`). */
  endpoints?: string[];
}

/** Reads a block written by `violationMessage` (after any description line the SDK puts first). */
export function parseViolationMessage(text: string): ParsedViolation | undefined {
  const lines = text.split("\n");
  const start = lines.findIndex((line) => /^[A-Za-z]+ BG\d{3} [a-z0-9-]+: /.test(line));
  if (start < 0) return undefined;
  const head = /^([A-Za-z]+) (BG\d{3}) ([a-z0-9-]+): (.*)$/.exec(lines[start]!)!;
  const field = (label: string) =>
    lines
      .slice(start + 1)
      .find((line) => line.startsWith(`${INDENT}${label}:`))
      ?.slice(INDENT.length + LABEL_WIDTH)
      .trim();
  const parsed: ParsedViolation = { code: head[1]!, ruleId: head[2]!, slug: head[3]!, message: head[4]!, resource: field("resource") ?? "" };
  const at = lines.findIndex((line, i) => i > start && line.startsWith(`${INDENT}endpoint:`));
  if (at >= 0) {
    const pad = INDENT + " ".repeat(LABEL_WIDTH);
    const rest = lines.slice(at + 1);
    const more = rest.findIndex((line) => !line.startsWith(pad));
    parsed.endpoints = [lines[at]!, ...rest.slice(0, more < 0 ? rest.length : more)].map((line) => line.slice(INDENT.length + LABEL_WIDTH).trim());
  }
  return parsed;
}
