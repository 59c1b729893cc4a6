/**
 * The formatters: one pure function per output format, `Report` in, string out. They only render; what
 * a finding says is decided by the engine. Every format orders findings the same stable way
 * (`compareFindings`), so reports diff cleanly between runs.
 */
import type { FailOn } from "../config/types";
import type { Finding, Report } from "../model/finding";
import { DOCS_URL, PROJECT_URL, docsPath } from "../project";
import type { RuleMeta } from "../rules/types";
import { renderJson } from "./json";
import { renderJunit } from "./junit";
import { renderMarkdown } from "./markdown";
import { renderSarif, type SarifAutomationDetails } from "./sarif";
import { renderText } from "./text";
import { renderGithub } from "./github";

export type OutputFormat = "text" | "json" | "sarif" | "junit" | "markdown" | "github";

/** Every output format, the default (`text`) first. */
export const FORMATS: readonly OutputFormat[] = ["text", "json", "sarif", "junit", "markdown", "github"];

export function isOutputFormat(value: string): value is OutputFormat {
  return (FORMATS as readonly string[]).includes(value);
}

/** Options of all formats; each format reads only its own. */
export interface RenderOptions {
  /** text: ANSI colour; decide it with `shouldUseColor(process.stdout, process.env)`. Default false. */
  color?: boolean;
  /** text: columns to wrap at (e.g. the terminal's width); default 80. */
  width?: number;
  /** text: errors only (`--quiet`); the rest is counted. */
  quiet?: boolean;
  /** sarif: the audited file (repository-relative path preferred), or each finding's file. */
  artifactUri?: string | ((finding: Finding) => string | undefined);
  /** sarif, github: the Pulumi project's directory in the repository, prefixed to program source paths. */
  sourceRoot?: string;
  /** sarif, markdown: base URI that relative `docs` paths resolve against; default `DOCS_URL`. */
  docsBaseUri?: string;
  /** sarif: a rule's docs page when no finding of it gives one (the engine's `docsPath`). */
  ruleDocs?: (rule: RuleMeta) => string;
  /** sarif: `tool.driver.informationUri`; default the project's repository (`PROJECT_URL`). */
  informationUri?: string;
  /** sarif: `run.automationDetails` (the analysis' category `bridgeguard/audit/`, or the Azure DevOps pipeline's identity). */
  automationDetails?: SarifAutomationDetails;
  /** junit: the gate (`--fail-on`); findings at or above it are failures. Default `error`. */
  failOn?: FailOn;
}

/** Render `report` in `format`. `rules` are the rules that ran (SARIF lists them with their help). */
export function renderReport(format: OutputFormat, report: Report, rules: readonly RuleMeta[], options: RenderOptions = {}): string {
  // Links must work where the report is read (a PR comment, a code-scanning alert), away from a checkout.
  const docsBaseUri = options.docsBaseUri ?? DOCS_URL;
  switch (format) {
    case "text":
      return renderText(report, { color: options.color ?? false, width: options.width, quiet: options.quiet });
    case "json":
      return renderJson(report);
    case "sarif":
      return renderSarif(report, {
        rules,
        artifactUri: options.artifactUri,
        sourceRoot: options.sourceRoot,
        ruleDocs: options.ruleDocs ?? docsPath,
        docsBaseUri,
        informationUri: options.informationUri ?? PROJECT_URL,
        automationDetails: options.automationDetails,
      });
    case "junit":
      return renderJunit(report, { failOn: options.failOn, rules });
    case "markdown":
      return renderMarkdown(report, { docsBaseUri });
    case "github":
      return renderGithub(report, { sourceRoot: options.sourceRoot });
  }
}

export { renderText, shouldUseColor } from "./text";
export type { TextOptions } from "./text";
export { renderJson, toJsonReport } from "./json";
export { renderSarif, toSarifLog, toArtifactUri, SARIF_SCHEMA_URI, SECURITY_SEVERITY } from "./sarif";
export type { SarifAutomationDetails, SarifLocation, SarifLog, SarifOptions, SarifResult, SarifRun } from "./sarif";
export { renderJunit } from "./junit";
export type { JunitOptions } from "./junit";
export { renderMarkdown, MARKDOWN_MARKER } from "./markdown";
export type { MarkdownOptions } from "./markdown";
export { summaryLine } from "./common";
export { renderGithub, escapeData, escapeProperty } from "./github";
export type { GithubOptions } from "./github";
