/**
 * SARIF 2.1.0, for code scanning (GitHub, Azure DevOps, any SARIF viewer). One run; the rules that ran
 * are the driver's `rules` (with their why, remediation and docs as help); one result per finding.
 *
 * Where a finding is: a logical location (the resource's URN, name, kind `resource`) always, and a
 * physical location (the audited file) when the caller names one. A stack export has no line numbers
 * for its resources, so the region is the file's first line: GitHub code scanning rejects results whose
 * physical location has no `region.startLine`.
 */
import type * as Sarif from "sarif";
import type { Finding, Report, Severity } from "../model/finding";
import type { RuleMeta } from "../rules/types";
import { describeEndpoint, isAbsoluteUri, resolveDocs, sortedFindings } from "./common";

export const SARIF_SCHEMA_URI = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json";

export interface SarifOptions {
  /** The rules that ran, in the order to list them; rules that produced findings but are absent are added. */
  rules: readonly RuleMeta[];
  /**
   * The audited file, as a path relative to the repository root (preferred: code scanning matches alerts
   * by it) or an absolute path/URI; or, when one report covers several files, a function giving each
   * finding's file. Without it, results carry only the logical location.
   */
  artifactUri?: string | ((finding: Finding) => string | undefined);
  /**
   * A rule's docs page, for rules that produced no finding to take it from (findings carry `docs`);
   * the engine's `docsPath` fits.
   */
  ruleDocs?: (rule: RuleMeta) => string;
  /** Base URI that relative `docs` paths are resolved against; `helpUri` is set only for absolute links. */
  docsBaseUri?: string;
  /** `tool.driver.informationUri`, where the project is published; omitted when not given. */
  informationUri?: string;
}

const LEVEL: Record<Severity, Sarif.ReportingConfiguration.level> = { error: "error", warning: "warning" };

/**
 * A file path as a SARIF URI reference: forward slashes, each segment percent-encoded; absolute paths
 * (POSIX or Windows drive) become `file:` URIs. URIs are kept as they are.
 */
export function toArtifactUri(path: string): string {
  const drive = /^([a-zA-Z]):[\\/]/.exec(path);
  if (!drive && isAbsoluteUri(path)) return path;
  const segments = path.replace(/\\/g, "/").split("/");
  const encoded = segments.map((s, i) => (drive && i === 0 ? s : encodeURIComponent(s))).join("/");
  if (drive) return `file:///${encoded}`;
  if (path.startsWith("/") || path.startsWith("\\")) return `file://${encoded}`;
  return encoded;
}

interface RuleEntry {
  id: string;
  slug: string;
  meta?: RuleMeta;
  docs?: string;
}

/** The help of a rule: why it matters, what to change, where to read more. */
function ruleHelp(meta: RuleMeta, docs: string | undefined): Sarif.MultiformatMessageString {
  const text = [meta.why, `Remediation: ${meta.remediation}`, ...(docs ? [`Docs: ${docs}`] : [])].join("\n\n");
  // A relative path is no link in a code-scanning alert, which is read away from the repository.
  const docsLine = !docs ? [] : isAbsoluteUri(docs) ? [`Docs: [${meta.id} ${meta.slug}](${docs})`] : [`Docs: \`${docs}\``];
  const markdown = [meta.why, `**Remediation:** ${meta.remediation}`, ...docsLine].join("\n\n");
  return { text, markdown };
}

function ruleDescriptor(entry: RuleEntry): Sarif.ReportingDescriptor {
  const helpUri = entry.docs && isAbsoluteUri(entry.docs) ? entry.docs : undefined;
  const meta = entry.meta;
  if (!meta) {
    // A finding of a rule the caller did not list: describe it from the finding alone.
    return { id: entry.id, name: entry.slug, ...(helpUri ? { helpUri } : {}) };
  }
  return {
    id: meta.id,
    name: meta.slug,
    shortDescription: { text: meta.title },
    fullDescription: { text: meta.why },
    help: ruleHelp(meta, entry.docs),
    ...(helpUri ? { helpUri } : {}),
    defaultConfiguration: { level: LEVEL[meta.severity] },
    properties: { tags: [meta.code] },
  };
}

function resultMessage(finding: Finding): string {
  const parts = [finding.message];
  if (finding.endpoint) parts.push(`Endpoint: ${describeEndpoint(finding.endpoint)}`);
  if (finding.evidence.length > 0) parts.push(["Evidence:", ...finding.evidence.map((e) => `- ${e}`)].join("\n"));
  if (finding.remediation.trim() !== "") parts.push(`Remediation: ${finding.remediation}`);
  return parts.join("\n\n");
}

function location(finding: Finding, options: SarifOptions): Sarif.Location {
  const artifact = typeof options.artifactUri === "function" ? options.artifactUri(finding) : options.artifactUri;
  const loc: Sarif.Location = {
    logicalLocations: [{ fullyQualifiedName: finding.resource.urn, name: finding.resource.name, kind: "resource" }],
  };
  if (artifact !== undefined && artifact !== "") {
    loc.physicalLocation = { artifactLocation: { uri: toArtifactUri(artifact) }, region: { startLine: 1 } };
  }
  return loc;
}

/** The SARIF log as an object (typed by `@types/sarif`). */
export function toSarifLog(report: Report, options: SarifOptions): Sarif.Log {
  const findings = sortedFindings(report.findings);
  const docsOf = new Map<string, string>();
  for (const f of findings) {
    if (f.docs !== "" && !docsOf.has(f.rule.id)) docsOf.set(f.rule.id, resolveDocs(f.docs, options.docsBaseUri));
  }

  const entries: RuleEntry[] = [];
  const indexOf = new Map<string, number>();
  const add = (entry: RuleEntry): void => {
    if (indexOf.has(entry.id)) return;
    indexOf.set(entry.id, entries.length);
    entries.push(entry);
  };
  for (const meta of options.rules) {
    const docs = docsOf.get(meta.id) ?? (options.ruleDocs ? resolveDocs(options.ruleDocs(meta), options.docsBaseUri) : undefined);
    add({ id: meta.id, slug: meta.slug, meta, docs });
  }
  for (const f of findings) add({ id: f.rule.id, slug: f.rule.slug, docs: docsOf.get(f.rule.id) });

  const results: Sarif.Result[] = findings.map((finding) => ({
    ruleId: finding.rule.id,
    ruleIndex: indexOf.get(finding.rule.id) as number,
    level: LEVEL[finding.severity],
    message: { text: resultMessage(finding) },
    locations: [location(finding, options)],
    properties: { code: finding.code, endpoint: finding.endpoint },
  }));

  return {
    $schema: SARIF_SCHEMA_URI,
    version: "2.1.0",
    runs: [
      {
        tool: {
          driver: {
            name: report.tool.name,
            version: report.tool.version,
            semanticVersion: report.tool.version,
            ...(options.informationUri ? { informationUri: options.informationUri } : {}),
            rules: entries.map(ruleDescriptor),
          },
        },
        results,
        properties: { catalogVersion: report.catalog.version, summary: { ...report.summary } },
      },
    ],
  };
}

/** SARIF 2.1.0 as pretty JSON, ending with a newline. */
export function renderSarif(report: Report, options: SarifOptions): string {
  return `${JSON.stringify(toSarifLog(report, options), null, 2)}\n`;
}
