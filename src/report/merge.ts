/**
 * Merging the JSON reports of one audit's shards (`bridgeguard audit --shard I/N`, see cli/shard.ts) into
 * the report the unsharded audit would have written: every finding and stack once, the counts recomputed,
 * notices said once. Each input is checked against `schemas/report.schema.json` first; a file that does not
 * fit is an input error naming the file and the path inside it.
 */
import { createAjv, describeAjvError } from "../config/validate";
import { applyBaseline, type Baseline } from "../engine/baseline";
import { UserError } from "../model/errors";
import { compareFindings, summarize, type Finding, type Report, type ReportNotice, type ReportSummary, type StackSummary } from "../model/finding";
import reportSchema from "../schemas/report.schema.json";

/** One report to merge and the file it came from (for messages). */
export interface ReportFile {
  file: string;
  report: Report;
}

let validator: ReturnType<ReturnType<typeof createAjv>["compile"]> | undefined;

/** Checks a parsed JSON report against its schema, and that it is an audit's (not the probe's). */
export function parseReport(value: unknown, file: string): Report {
  // `$schema` is the report's pointer to its own schema, not a property the schema lists.
  const { $schema: _schema, ...rest } = (value !== null && typeof value === "object" && !Array.isArray(value) ? value : { value }) as Record<string, unknown>;
  validator ??= createAjv().compile(reportSchema);
  if (!validator(rest)) {
    const first = validator.errors?.[0];
    const { path, problem } = first ? describeAjvError(first) : { path: "(top level)", problem: "is invalid" };
    throw UserError.at(file, path, `${problem} (expected a bridgeguard JSON report: audit --format json)`);
  }
  const report = rest as unknown as Report;
  if (report.probe || !report.stacks) throw UserError.at(file, undefined, "not an audit report (expected the JSON report of bridgeguard audit, which lists its stacks)");
  return report;
}

/**
 * The shards' reports as one. Throws a UserError when they cannot be one run's: another bridgeguard or
 * catalog version, shards of different counts, a shard given twice or missing, a stack in two reports.
 */
export function mergeReports(inputs: readonly ReportFile[]): Report {
  if (inputs.length === 0) throw new UserError("give the JSON reports to merge");
  const [first] = inputs as [ReportFile, ...ReportFile[]];
  for (const { file, report } of inputs) {
    if (report.tool.version !== first.report.tool.version || report.catalog.version !== first.report.catalog.version) {
      throw UserError.at(file, "tool.version", `bridgeguard ${report.tool.version} (catalog ${report.catalog.version}), but ${first.file} is from ${first.report.tool.version} (catalog ${first.report.catalog.version}): merge the reports of one run`);
    }
  }
  checkShards(inputs);

  const stacks: StackSummary[] = [];
  const seen = new Map<string, string>();
  const findings: Finding[] = [];
  let resources = 0;
  let endpoints = 0;
  let withBaseline = false;
  let withSuppressed = false;
  for (const { file, report } of inputs) {
    const own = report.stacks ?? [];
    for (const stack of own) {
      const earlier = seen.get(stack.file);
      if (earlier !== undefined) throw UserError.at(file, "stacks", `${stack.file} is also in ${earlier}: each stack must be in one report only`);
      seen.set(stack.file, file);
      // A one-stack report keeps its path at the top (`report.path`); in a merge each stack carries its own.
      stacks.push(own.length === 1 && report.path && !stack.path ? { ...stack, path: report.path } : stack);
    }
    findings.push(...report.findings);
    resources += report.summary.resources;
    endpoints = Math.max(endpoints, report.summary.endpoints);
    withBaseline ||= report.summary.baselined !== undefined;
    withSuppressed ||= report.summary.suppressed !== undefined;
  }
  stacks.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
  findings.sort(compareFindings);

  const merged: Report = {
    schemaVersion: first.report.schemaVersion,
    tool: first.report.tool,
    catalog: first.report.catalog,
    findings,
    summary: summaryOf(findings, resources, endpoints, withSuppressed, withBaseline),
    stacks: stacks.length === 1 ? stacks.map(({ path: _path, ...rest }) => rest) : stacks,
    notices: mergeNotices(inputs.map((i) => i.report)),
  };
  if (stacks.length === 1 && stacks[0]!.path) merged.path = stacks[0]!.path;
  return merged;
}

/** The counts of merged findings; `suppressed` and `baselined` when some shard counted them. */
function summaryOf(findings: readonly Finding[], resources: number, endpoints: number, withSuppressed: boolean, withBaseline: boolean): ReportSummary {
  let suppressed = 0;
  let baselined = 0;
  for (const f of findings) {
    if (f.suppression) suppressed++;
    else if (f.baselineState === "unchanged") baselined++;
  }
  return { ...summarize(findings, resources, endpoints), ...(withSuppressed ? { suppressed } : {}), ...(withBaseline ? { baselined } : {}) };
}

/**
 * The merged report measured against a baseline, as `audit --create-baseline` reports the run that
 * creates one: each finding `new` or `unchanged`, the counts again.
 */
export function withBaseline(report: Report, baseline: Baseline): Report {
  const findings = applyBaseline(report.findings, baseline);
  return { ...report, findings, summary: summaryOf(findings, report.summary.resources, report.summary.endpoints, report.summary.suppressed !== undefined, true) };
}

/** Sharded reports: one count, each share once, none missing. Unsharded reports merge as they are. */
function checkShards(inputs: readonly ReportFile[]): void {
  const sharded = inputs.filter((i) => i.report.shard);
  if (sharded.length === 0) return;
  const count = sharded[0]!.report.shard!.count;
  const byIndex = new Map<number, string>();
  for (const { file, report } of inputs) {
    if (!report.shard) throw UserError.at(file, "shard", `expected a shard of ${count} like ${sharded[0]!.file}, found an unsharded report`);
    if (report.shard.count !== count) throw UserError.at(file, "shard.count", `shard ${report.shard.index}/${report.shard.count}, but ${sharded[0]!.file} is of ${count} shards: merge the shards of one run`);
    const earlier = byIndex.get(report.shard.index);
    if (earlier !== undefined) throw UserError.at(file, "shard.index", `shard ${report.shard.index}/${count} is also ${earlier}`);
    byIndex.set(report.shard.index, file);
  }
  const missing = Array.from({ length: count }, (_, i) => i + 1).filter((i) => !byIndex.has(i));
  if (missing.length > 0) {
    // A merge without them would report a partial picture as the whole.
    throw new UserError(`shard${missing.length > 1 ? "s" : ""} ${missing.map((i) => `${i}/${count}`).join(", ")} missing: give the JSON report of every shard`);
  }
}

/**
 * Each notice once. A stale suppression (one that matched no finding) is stale for the whole run only when
 * every report that audited a stack says so: a shard that did not see the finding it matches calls it stale
 * on its own, and a shard without stacks says nothing about suppressions.
 */
function mergeNotices(reports: readonly Report[]): ReportNotice[] {
  const seen = new Map<string, { notice: ReportNotice; reports: number }>();
  for (const report of reports) {
    const own = new Set<string>();
    for (const notice of report.notices ?? []) {
      const key = `${notice.kind}\u0000${notice.message}`;
      if (own.has(key)) continue;
      own.add(key);
      const entry = seen.get(key);
      if (entry) entry.reports++;
      else seen.set(key, { notice, reports: 1 });
    }
  }
  const speaking = reports.filter((r) => (r.stacks ?? []).length > 0).length;
  return [...seen.values()].filter((e) => e.notice.kind !== "suppression-stale" || e.reports === speaking).map((e) => e.notice);
}
