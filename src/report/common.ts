import { ERROR_CODE_INFO, type ErrorCode } from "../catalog/codes";
import type { Finding, FindingEndpoint, Report } from "../model/finding";
import { compareFindings } from "../model/finding";
import type { ResourceRef } from "../model/resource";

/** `1 error`, `2 errors`, `10,100 gates`; `plural` for words whose plural is not just an `s`. */
export function countOf(n: number, singular: string, plural = `${singular}s`): string {
  return `${n.toLocaleString("en-US")} ${n === 1 ? singular : plural}`;
}

/**
 * `2 errors, 3 warnings, 14 resources checked, 17 endpoints evaluated`: the same words in every format.
 * Suppressed and baselined findings, which count as neither, are added when there are any:
 * `0 errors, 1 warning, 2 suppressed, 5 in the baseline, ...`. A probe checks no resource: what it counts
 * there is the `host:port` targets (and the time server) it measured, `17 targets probed`.
 */
export function summaryLine(report: Pick<Report, "summary" | "probe">): string {
  const s = report.summary;
  return [
    countOf(s.errors, "error"),
    countOf(s.warnings, "warning"),
    ...(s.suppressed ? [`${s.suppressed} suppressed`] : []),
    ...(s.baselined ? [`${s.baselined} in the baseline`] : []),
    report.probe ? `${countOf(s.resources, "target")} probed` : `${countOf(s.resources, "resource")} checked`,
    `${countOf(s.endpoints, "endpoint")} evaluated`,
  ].join(", ");
}

/** `host:port`, with an IPv6 address in brackets so that the port stays readable. */
export function hostPort(endpoint: Pick<FindingEndpoint, "host" | "port">): string {
  const host = endpoint.host.includes(":") ? `[${endpoint.host}]` : endpoint.host;
  return `${host}:${endpoint.port}`;
}

/**
 * A cause's endpoints, one line per host and purpose with its ports: `*.msauth.net 443/https, 80/http (identity)`.
 * Catalog order; a cause that breaks 16 endpoints on 9 hosts reads as 9 short lines.
 */
export function describeEndpoints(endpoints: readonly FindingEndpoint[]): string[] {
  const byHost = new Map<string, { host: string; purpose: string; ports: string[] }>();
  for (const e of endpoints) {
    const key = `${e.host}|${e.purpose}`;
    const entry = byHost.get(key) ?? { host: e.host.includes(":") ? `[${e.host}]` : e.host, purpose: e.purpose, ports: [] };
    entry.ports.push(`${e.port}/${e.protocol}`);
    byHost.set(key, entry);
  }
  return [...byHost.values()].map((e) => `${e.host} ${e.ports.join(", ")} (${e.purpose})`);
}

/** The first endpoint as `host:port`, and how many more: `*.msauth.net:80 +15`. */
export function endpointsShort(endpoints: readonly FindingEndpoint[]): string | undefined {
  const first = endpoints[0];
  if (!first) return undefined;
  return endpoints.length > 1 ? `${hostPort(first)} +${endpoints.length - 1}` : hostPort(first);
}

/** `*.trafficmanager.net:443 (https, usage)`. */
export function describeEndpoint(endpoint: FindingEndpoint): string {
  return `${hostPort(endpoint)} (${endpoint.protocol}, ${endpoint.purpose})`;
}

export interface ResourceGroup {
  resource: ResourceRef;
  findings: Finding[];
}

/**
 * The findings in the report's stable order (resource, severity, rule, endpoint), grouped by resource URN.
 * Formatters never trust the caller's order, so that the same findings always render the same bytes.
 */
export function groupByResource(findings: readonly Finding[]): ResourceGroup[] {
  const groups = new Map<string, ResourceGroup>();
  for (const finding of [...findings].sort(compareFindings)) {
    const group = groups.get(finding.resource.urn);
    if (group) group.findings.push(finding);
    else groups.set(finding.resource.urn, { resource: finding.resource, findings: [finding] });
  }
  return [...groups.values()];
}

/** The findings in the report's stable order. */
export function sortedFindings(findings: readonly Finding[]): Finding[] {
  return [...findings].sort(compareFindings);
}

const HAS_SCHEME = /^[a-z][a-z0-9+.-]*:/i;

/** True for `https://...`, `file:///...`: links that work outside the repository. */
export function isAbsoluteUri(value: string): boolean {
  if (!HAS_SCHEME.test(value)) return false;
  try {
    new URL(value);
    return true;
  } catch {
    return false;
  }
}

/**
 * A finding's `docs` as a link: absolute links are kept; a relative path (`docs/rules/BG201.md`) is
 * resolved against `base` when one is given (a PR comment or a code-scanning alert is read away from
 * the repository, where a relative path leads nowhere), and kept as it is otherwise.
 */
export function resolveDocs(docs: string, base?: string): string {
  if (docs === "" || isAbsoluteUri(docs) || base === undefined) return docs;
  try {
    return new URL(docs.replace(/\\/g, "/").replace(/^\.\//, ""), base.endsWith("/") ? base : `${base}/`).href;
  } catch {
    return docs;
  }
}

/**
 * Greedy word wrap to `width` columns. Words longer than the width (URLs, ARM ids) are never broken:
 * a reader must be able to copy them. Existing line breaks are kept.
 */
export function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  for (const paragraph of text.split(/\r?\n/)) {
    const words = paragraph.split(/\s+/).filter((w) => w !== "");
    if (words.length === 0) {
      lines.push("");
      continue;
    }
    let line = "";
    for (const word of words) {
      if (line === "") line = word;
      else if (line.length + 1 + word.length <= width) line += ` ${word}`;
      else {
        lines.push(line);
        line = word;
      }
    }
    lines.push(line);
  }
  return lines;
}

/** `Documented remediation for NetworkError: ...`: the sentence the engine closes every finding's remediation with. */
export function documentedRemediation(code: ErrorCode): string {
  return `Documented remediation for ${code}: ${ERROR_CODE_INFO[code].remediation}`;
}

/**
 * A finding's own fix: its remediation without the code's documented remediation, which the reports say
 * once per code (`codeLegend`) instead of after every finding. The JSON report keeps the whole sentence.
 */
export function ownRemediation(finding: Pick<Finding, "code" | "remediation">): string {
  const closing = documentedRemediation(finding.code);
  const text = finding.remediation.trimEnd();
  return text.endsWith(closing) ? text.slice(0, text.length - closing.length).trimEnd() : text;
}

/** The codes of `findings`, each once, in the order the five codes are documented; each with its remediation. */
export function codeLegend(findings: readonly Pick<Finding, "code">[]): { code: ErrorCode; remediation: string }[] {
  const present = new Set(findings.map((f) => f.code));
  return (Object.keys(ERROR_CODE_INFO) as ErrorCode[]).filter((code) => present.has(code)).map((code) => ({ code, remediation: ERROR_CODE_INFO[code].remediation }));
}
