import type { Finding } from "../model/finding";

/** A place to point a reader at: a repository-relative (or absolute) path, a 1-based line, maybe a column. */
export interface ReportLocation {
  path: string;
  line: number;
  column?: number;
}

/**
 * `dir` + a project-relative path: `infra` + `index.ts` is `infra/index.ts`. Pulumi records source positions
 * relative to the project root (the directory of Pulumi.yaml; `parseSourcePosition` in
 * pkg/resource/deploy/source_eval.go of pulumi/pulumi), while code scanning and workflow annotations want
 * paths relative to the repository root: `--source-root` is the project's directory in the repository.
 */
export function underSourceRoot(path: string, sourceRoot: string | undefined): string {
  const root = (sourceRoot ?? "").replace(/\\/g, "/").replace(/^(\.\/)+/, "").replace(/\/+$/, "");
  return root === "" || root === "." ? path : `${root}/${path}`;
}

/** Where the program declared the finding's resource, when the state recorded it (`sourcePosition`). */
export function programLocation(finding: Finding, sourceRoot?: string): ReportLocation | undefined {
  const source = finding.resource.source;
  if (!source) return undefined;
  return { path: underSourceRoot(source.path, sourceRoot), line: source.line, ...(source.column !== undefined ? { column: source.column } : {}) };
}

/**
 * The finding's resource in the audited file: its own line when the loader found it, else the first line
 * (GitHub code scanning rejects a physical location without a line).
 */
export function inputLocation(finding: Finding, file: string | undefined = finding.file): ReportLocation | undefined {
  if (file === undefined || file === "") return undefined;
  return { path: file, line: finding.resource.line ?? 1 };
}

/** The program's line when known, else the resource's line in the audited file. */
export function bestLocation(finding: Finding, sourceRoot?: string): ReportLocation | undefined {
  return programLocation(finding, sourceRoot) ?? inputLocation(finding);
}
