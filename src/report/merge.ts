/**
 * Merging the JSON reports of one audit's shards (`bridgeguard audit --shard I/N`, see cli/shard.ts) into
 * the report the unsharded audit would have written: every finding and stack once, the counts recomputed,
 * notices said once, then concluded by the pipeline as the audit's run is (`conclude`: the baseline, the
 * summary, the fail verdict). Each input is checked against `schemas/report.schema.json` first; a file that does not
 * fit is an input error naming the file and the path inside it.
 */
import type { BridgeguardConfig } from "../config/types";
import { createAjv, describeAjvError } from "../config/validate";
import { conclude, type Conclusion, type JudgeOptions } from "../engine/pipeline";
import { UserError } from "../model/errors";
import type { Finding, Report, ReportNotice, StackSummary } from "../model/finding";
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

/** The merged run: its report, and the pipeline's verdict on it. */
export interface MergedRun {
  report: Report;
  /** The gate, whether it fails, and the baseline created (or why not). */
  verdict: Omit<Conclusion, "findings" | "summary" | "withBaseline">;
  /** The stacks a shard could not audit. */
  failed: StackSummary[];
}

/**
 * The shards' reports as one, concluded by the pipeline with `options` (a baseline created from every
 * shard's unsuppressed findings, `failOn`). Throws a UserError when they cannot be one run's: another
 * bridgeguard or catalog version, shards of different counts, a shard given twice or missing, a stack in
 * two reports.
 */
export function mergeReports(inputs: readonly ReportFile[], config: BridgeguardConfig, options: Pick<JudgeOptions, "createBaseline" | "failOn"> = {}): MergedRun {
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
  let measured = false;
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
    // Shards that ran with --baseline marked their findings: the merge counts them as the shards did.
    measured ||= report.summary.baselined !== undefined;
  }
  stacks.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
  const failed = stacks.filter((s) => s.error !== undefined);

  const { findings: concluded, summary, withBaseline: _counted, ...verdict } = conclude(findings, config, { ...options, resources, endpoints, failed: failed.length, measured });
  const merged: Report = {
    schemaVersion: first.report.schemaVersion,
    tool: first.report.tool,
    catalog: first.report.catalog,
    findings: concluded,
    summary,
    stacks: stacks.length === 1 ? stacks.map(({ path: _path, ...rest }) => rest) : stacks,
    notices: mergeNotices(inputs.map((i) => i.report)),
  };
  if (stacks.length === 1 && stacks[0]!.path) merged.path = stacks[0]!.path;
  return { report: merged, verdict, failed };
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
