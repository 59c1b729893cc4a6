/**
 * SARIF 2.1.0, for code scanning (GitHub, Azure DevOps, any SARIF viewer). One run; the rules that ran
 * are the driver's `rules` (with their why, remediation and docs as help); one result per finding.
 *
 * Where a finding is: a logical location (the resource's URN, name, kind `resource`) always, and a
 * physical location: the program line that declared the resource when Pulumi's state recorded it
 * (`sourcePosition`, under `sourceRoot`), else the resource's own line in the audited file (line 1 only when
 * it could not be found: GitHub code scanning rejects a physical location without `region.startLine`).
 *
 * Every result carries `partialFingerprints["bridgeguard/v2"]` (rule, resource, code, cause: see
 * `engine/fingerprint.ts`), so code scanning follows an alert across runs whatever its message says. A
 * suppressed finding has an `external`, `accepted` suppression with its justification; after a `--baseline`
 * run, results have `baselineState`. Files that could not be audited and expired or stale suppressions
 * are notifications on the run's invocation.
 */
import type * as Sarif from "sarif";
import { FINGERPRINT_KEY, fingerprintFor } from "../engine/fingerprint";
import type { ErrorCode } from "../catalog/codes";
import type { Finding, FindingSuppression, Report, Severity } from "../model/finding";
import { pathOf } from "./json";
import { reportPaths } from "./path";
import type { RuleMeta } from "../rules/types";
import { describeEndpoints, documentedRemediation, isAbsoluteUri, ownRemediation, resolveDocs, sortedFindings } from "./common";
import { fixJson, fixLines } from "./fix";
import { inputLocation, programLocation, type ReportLocation } from "./locations";

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
   * The Pulumi project's directory in the repository: prefixed to program source paths (`sourcePosition` is
   * relative to the project root). Default: none (the project is the repository root).
   */
  sourceRoot?: string;
  /**
   * A rule's docs page, for rules that produced no finding to take it from (findings carry `docs`);
   * the engine's `docsPath` fits.
   */
  ruleDocs?: (rule: RuleMeta) => string;
  /** Base URI that relative `docs` paths are resolved against; `helpUri` is set only for absolute links. */
  docsBaseUri?: string;
  /** `tool.driver.informationUri`, where the project is published; omitted when not given. */
  informationUri?: string;
  /**
   * `run.automationDetails`. Its `id` is the category of the analysis (`bridgeguard/audit/`), ending in
   * `/` so that each upload of the same category replaces the previous one (GitHub: everything up to the
   * last `/` is the category, after it the run); default `bridgeguard/`. Azure DevOps Advanced Security
   * wants its pipeline's identity here instead (`cli/ado-pipeline.ts`), `properties` included.
   */
  automationDetails?: SarifAutomationDetails;
}

/** `run.automationDetails`: the analysis' id and, for Azure DevOps, the pipeline's properties. */
export interface SarifAutomationDetails {
  id: string;
  properties?: Record<string, string>;
}

const LEVEL: Record<Severity, Sarif.ReportingConfiguration.level> = { error: "error", warning: "warning" };

/**
 * `properties.security-severity` of each rule, by its code and default severity: the score GitHub code
 * scanning turns into critical (9.0 and over), high (7.0-8.9), medium (4.0-6.9) or low (0.1-3.9), for rules
 * tagged `security` ("SARIF support for code scanning", reportingDescriptor object). An error stops usage
 * reporting, and so billing: high. A warning may, or could not be decided: medium. Within a band, what the
 * cause also exposes: TLS inspection hands the bridge's tokens to the inspecting proxy (highest); a
 * registration fault stops the stamp's identity (above the network); a timeout may clear by itself (lowest).
 * The README's Outputs section lists the same table.
 */
export const SECURITY_SEVERITY: Readonly<Record<ErrorCode, Record<Severity, string>>> = {
  CertificateValidationError: { error: "8.5", warning: "6.0" },
  Unauthorized: { error: "8.0", warning: "5.5" },
  LoginError: { error: "7.5", warning: "5.0" },
  NetworkError: { error: "7.5", warning: "5.0" },
  RequestTimedOut: { error: "7.0", warning: "4.5" },
};

const DEFAULT_AUTOMATION_ID = "bridgeguard/";

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
  /** For a rule known only from its findings: the first one's code and severity. */
  code?: ErrorCode;
  severity?: Severity;
}

/** The help of a rule: why it matters, what to change, where to read more. */
function ruleHelp(meta: RuleMeta, docs: string | undefined): Sarif.MultiformatMessageString {
  // The code's documented remediation is said here, once per rule, not in every result's message.
  const documented = documentedRemediation(meta.code);
  const text = [meta.why, `Remediation: ${meta.remediation}`, documented, ...(docs ? [`Docs: ${docs}`] : [])].join("\n\n");
  // A relative path is no link in a code-scanning alert, which is read away from the repository.
  const docsLine = !docs ? [] : isAbsoluteUri(docs) ? [`Docs: [${meta.id} ${meta.slug}](${docs})`] : [`Docs: \`${docs}\``];
  const markdown = [meta.why, `**Remediation:** ${meta.remediation}`, documented, ...docsLine].join("\n\n");
  return { text, markdown };
}

function ruleDescriptor(entry: RuleEntry): Sarif.ReportingDescriptor {
  const helpUri = entry.docs && isAbsoluteUri(entry.docs) ? entry.docs : undefined;
  const meta = entry.meta;
  if (!meta) {
    // A finding of a rule the caller did not list: describe it from the finding alone.
    const code = entry.code ?? "NetworkError";
    const severity = entry.severity ?? "warning";
    return {
      id: entry.id,
      name: entry.slug,
      ...(helpUri ? { helpUri } : {}),
      properties: { tags: [code, "security"], "security-severity": SECURITY_SEVERITY[code][severity] },
    };
  }
  return {
    id: meta.id,
    name: meta.slug,
    shortDescription: { text: meta.title },
    fullDescription: { text: meta.why },
    help: ruleHelp(meta, entry.docs),
    ...(helpUri ? { helpUri } : {}),
    defaultConfiguration: { level: LEVEL[meta.severity] },
    // `security` makes GitHub read `security-severity` (and list the alerts under security).
    properties: { tags: [meta.code, "security"], "security-severity": SECURITY_SEVERITY[meta.code][meta.severity] },
  };
}

function resultMessage(finding: Finding, ruleKnown: boolean): string {
  const parts = [finding.message];
  if (finding.endpoints.length > 0) parts.push(["Endpoints:", ...describeEndpoints(finding.endpoints).map((e) => `- ${e}`)].join("\n"));
  if (finding.evidence.length > 0) parts.push(["Evidence:", ...finding.evidence.map((e) => `- ${e}`)].join("\n"));
  // The code's documented remediation is in the rule's help; a rule the caller did not list keeps it here.
  const remediation = ruleKnown ? ownRemediation(finding) : finding.remediation.trim();
  if (remediation !== "") parts.push(`Remediation: ${remediation}`);
  if (finding.fix) parts.push(["Change:", ...fixLines(finding.fix)].join("\n"));
  return parts.join("\n\n");
}

/**
 * Where a result is: the line of the program that declared the resource (Pulumi's `sourcePosition`, under
 * `sourceRoot`), so that code scanning annotates the pull request that changed it; else the resource's own
 * line in the audited file. The audited file stays a related location when the program's line leads.
 */
function location(finding: Finding, options: SarifOptions): { location: Sarif.Location; related?: Sarif.Location } {
  const artifact = typeof options.artifactUri === "function" ? options.artifactUri(finding) : (options.artifactUri ?? finding.file);
  const logicalLocations: Sarif.LogicalLocation[] = [{ fullyQualifiedName: finding.resource.urn, name: finding.resource.name, kind: "resource" }];
  const program = programLocation(finding, options.sourceRoot);
  const input = inputLocation(finding, artifact);
  const physical = (at: ReportLocation): Sarif.PhysicalLocation => ({
    artifactLocation: { uri: toArtifactUri(at.path) },
    region: { startLine: at.line, ...(at.column !== undefined ? { startColumn: at.column } : {}) },
  });
  if (program) {
    return {
      location: { physicalLocation: physical(program), logicalLocations },
      ...(input ? { related: { id: 1, physicalLocation: physical(input), message: { text: "the resource in the audited state" } } } : {}),
    };
  }
  return { location: { ...(input ? { physicalLocation: physical(input) } : {}), logicalLocations } };
}

function locationsOf(finding: Finding, options: SarifOptions): Pick<Sarif.Result, "locations" | "relatedLocations"> {
  const { location: loc, related } = location(finding, options);
  return { locations: [loc], ...(related ? { relatedLocations: [related] } : {}) };
}

/** A suppression from the configuration file: `external` to the audited file, accepted by a person. */
function suppressionOf(suppression: FindingSuppression): Sarif.Suppression {
  return {
    kind: "external",
    status: "accepted",
    justification: suppression.justification,
    ...(suppression.expires !== undefined ? { properties: { expires: suppression.expires } } : {}),
  };
}

/**
 * How the run went, when the report says (CLI audit): files that could not be audited are error
 * `toolExecutionNotifications` (and the run did not succeed); expired or stale suppressions are warning
 * `toolConfigurationNotifications`.
 */
function invocationOf(report: Report): Sarif.Invocation | undefined {
  if (report.stacks === undefined && report.notices === undefined) return undefined;
  const failed = (report.stacks ?? []).filter((stack) => stack.error !== undefined);
  const execution: Sarif.Notification[] = failed.map((stack) => ({
    level: "error",
    message: { text: stack.error as string },
    locations: [{ physicalLocation: { artifactLocation: { uri: toArtifactUri(stack.file) } } }],
    descriptor: { id: "input-error" },
  }));
  const configuration: Sarif.Notification[] = (report.notices ?? []).map((notice) => ({
    level: notice.level,
    message: { text: notice.message },
    descriptor: { id: notice.kind },
  }));
  return {
    executionSuccessful: failed.length === 0,
    ...(execution.length > 0 ? { toolExecutionNotifications: execution } : {}),
    ...(configuration.length > 0 ? { toolConfigurationNotifications: configuration } : {}),
  };
}

function automationDetailsOf(details: SarifAutomationDetails | undefined): Sarif.RunAutomationDetails {
  if (!details) return { id: DEFAULT_AUTOMATION_ID };
  return { id: details.id, ...(details.properties ? { properties: { ...details.properties } } : {}) };
}

/**
 * A SARIF 2.1.0 log (https://docs.oasis-open.org/sarif/sarif/v2.1.0/sarif-v2.1.0.html), as far as a
 * caller of `toSarifLog` reads it. Declared here rather than taken from `@types/sarif` (which builds it,
 * below): the published declarations must not need a development dependency.
 */
export interface SarifLog {
  $schema?: string;
  version: "2.1.0";
  runs: SarifRun[];
}

/** One run of a `SarifLog`: the tool, with its rules, and the results. */
export interface SarifRun {
  tool: { driver: { name: string; version?: string; rules?: { id: string; name?: string; [key: string]: unknown }[]; [key: string]: unknown } };
  results?: SarifResult[];
  [key: string]: unknown;
}

/** Where a `SarifResult` is: the file and line, and the resource (its URN). */
export interface SarifLocation {
  physicalLocation?: {
    artifactLocation?: { uri?: string; [key: string]: unknown };
    region?: { startLine?: number; startColumn?: number; [key: string]: unknown };
    [key: string]: unknown;
  };
  logicalLocations?: { fullyQualifiedName?: string; name?: string; kind?: string; [key: string]: unknown }[];
  [key: string]: unknown;
}

/** One result of a `SarifRun`: a finding. */
export interface SarifResult {
  ruleId?: string;
  ruleIndex?: number;
  level?: "none" | "note" | "warning" | "error";
  message: { text?: string; markdown?: string };
  locations?: SarifLocation[];
  relatedLocations?: SarifLocation[];
  fixes?: unknown[];
  properties?: Record<string, unknown>;
  [key: string]: unknown;
}

/** The SARIF log as an object (built with `@types/sarif`'s types, returned as the self-contained `SarifLog`). */
export function toSarifLog(report: Report, options: SarifOptions): SarifLog {
  return sarifLog(report, options) as SarifLog;
}

function sarifLog(report: Report, options: SarifOptions): Sarif.Log {
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
  for (const f of findings) add({ id: f.rule.id, slug: f.rule.slug, docs: docsOf.get(f.rule.id), code: f.code, severity: f.severity });

  const results: Sarif.Result[] = findings.map((finding) => ({
    ruleId: finding.rule.id,
    ruleIndex: indexOf.get(finding.rule.id) as number,
    level: LEVEL[finding.severity],
    message: { text: resultMessage(finding, entries[indexOf.get(finding.rule.id) as number]?.meta !== undefined) },
    ...locationsOf(finding, options),
    partialFingerprints: { [FINGERPRINT_KEY]: fingerprintFor(finding) },
    ...(finding.suppression ? { suppressions: [suppressionOf(finding.suppression)] } : {}),
    ...(finding.baselineState ? { baselineState: finding.baselineState } : {}),
    // The concrete fix as data. Not in `result.fixes`: SARIF fixes are byte or line replacements in the
    // artifact (`artifactChanges[].replacements[].deletedRegion`), which a resource model cannot give.
    properties: { code: finding.code, endpoints: finding.endpoints, ...(finding.cause !== undefined ? { cause: finding.cause } : {}), ...(finding.fix ? { fix: fixJson(finding.fix) } : {}) },
  }));
  const invocation = invocationOf(report);

  return {
    $schema: SARIF_SCHEMA_URI,
    version: "2.1.0",
    runs: [
      {
        tool: {
          driver: {
            name: report.tool.name,
            fullName: `${report.tool.name} ${report.tool.version} (catalog ${report.catalog.version})`,
            version: report.tool.version,
            semanticVersion: report.tool.version,
            ...(options.informationUri ? { informationUri: options.informationUri } : {}),
            rules: entries.map(ruleDescriptor),
          },
        },
        automationDetails: automationDetailsOf(options.automationDetails),
        results,
        ...(invocation ? { invocations: [invocation] } : {}),
        properties: {
          catalogVersion: report.catalog.version,
          summary: { ...report.summary },
          // The bridge's path, once per run (per stack for a multi-file audit): which gates were evaluated and why.
          ...(report.path ? { path: pathOf(report.path) } : {}),
          ...(!report.path && report.stacks?.some((s) => s.path) ? { paths: reportPaths(report).map(({ file, path }) => ({ file, path: pathOf(path) })) } : {}),
        },
      },
    ],
  };
}

/** SARIF 2.1.0 as pretty JSON, ending with a newline. */
export function renderSarif(report: Report, options: SarifOptions): string {
  return `${JSON.stringify(toSarifLog(report, options), null, 2)}\n`;
}
