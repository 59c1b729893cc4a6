import { InvalidArgumentError, Option, type Command } from "commander";
import type { CloudName } from "../catalog/clouds";
import type { BridgeguardConfig, FailOn } from "../config/types";
import { applyBaseline, createBaseline, loadBaselineFile, renderBaseline, type Baseline } from "../engine/baseline";
import { loadConfig } from "../engine/config";
import { FAIL_ON, gateFails } from "../engine/gate";
import { buildReport, isRuleEnabled } from "../engine/run";
import { applySuppressions, checkSuppressions, todayUtc } from "../engine/suppressions";
import { UserError } from "../model/errors";
import type { Finding, Report, ReportNotice, ReportSummary, StackSummary } from "../model/finding";
import { compareFindings, summarize } from "../model/finding";
import { inputName } from "../input/json";
import { renderReport, shouldUseColor, type OutputFormat, type SarifAutomationDetails } from "../report";
import { auditRuleMetas } from "../rules";
import { defaultJobs, startAuditPool, type FileAudit } from "./audit-pool";
import { auditBackend } from "./backend-audit";
import { resolveConfigFile, type ConfigFlag } from "./config-file";
import { checkOutputsAreNotInputs, type NamedInput, type NamedOutput } from "./file-identity";
import { expandInputs } from "./inputs";
import { adoPipeline } from "./ado-pipeline";
import { DEFAULT_COLUMNS, terminalWidth } from "./terminal";
import { cloudOption, docsUrlOption, maxInputSizeOption } from "./options";
import { formatTargetsOption, reportTargets, writeReports, type FormatSpec } from "./output";
import { stderrLine } from "../model/terminal-safe";
import { writeFileAtomic } from "./write-file";

/** The audit's exit codes (see `EXIT` in main.ts): findings at the gate 1, bad usage or input 2. */
const EXIT_OK = 0;
const EXIT_FINDINGS = 1;
const EXIT_INPUT = 2;

/** The audit's report formats, `text` (the default) first. */
const AUDIT_FORMATS: readonly OutputFormat[] = ["text", "json", "sarif", "junit", "markdown", "github"];

/**
 * The most worker threads `--jobs` starts: each holds a whole file and its working set (docs/hostile-input.md),
 * and beyond the cores they only compete; a typo such as `--jobs 10000` is an error, not 10,000 threads.
 */
export const MAX_JOBS = 64;

interface AuditOptions {
  config?: ConfigFlag;
  cloud?: CloudName;
  format?: FormatSpec<OutputFormat>[];
  output?: string;
  softFail?: boolean;
  jobs?: number;
  baseline?: string;
  createBaseline?: string;
  failOn?: FailOn;
  maxInputSize?: number;
  docsUrl?: string;
  state?: string;
  sourceRoot?: string;
  quiet?: boolean;
  backend?: string;
  stack: string[];
}

function parseJobs(value: string): number {
  const jobs = Number(value);
  if (!/^\d+$/.test(value) || !Number.isSafeInteger(jobs) || jobs < 1 || jobs > MAX_JOBS) throw new InvalidArgumentError(`expected a whole number from 1 to ${MAX_JOBS}`);
  return jobs;
}

/** `bridgeguard audit <file|dir|glob...>`: stack exports or ARM JSON in, one report out. */
export function registerAudit(program: Command, setExitCode: (code: number) => void): void {
  program
    .command("audit")
    .description("audit `pulumi stack export` JSON or ARM JSON for causes of usage-bridge errors")
    .argument(
      "[file...]",
      'stack export(s) or ARM resource JSON (one resource, an array, or {"value": [...]}); a directory means every *.json below it, a glob (quoted) the files it matches, - standard input',
    )
    .option("-c, --config <file>", "bridgeguard.yaml with the expected registration, egress range, time and DNS servers, suppressions (default: bridgeguard.yaml in the working directory or a parent up to the repository root)")
    .option("--no-config", "use no configuration file, not even a bridgeguard.yaml found in the working directory")
    .addOption(cloudOption())
    .addOption(formatTargetsOption(AUDIT_FORMATS))
    .option("-o, --output <file>", "write the report (the one --format without its own :FILE) to a file instead of stdout; - is stdout")
    .option("-j, --jobs <n>", `files audited at once, each on a worker thread, at most ${MAX_JOBS} (default: the number of cores)`, parseJobs)
    .addOption(new Option("--fail-on <severity>", "lowest severity that fails the run (exit 1); overrides failOn in the config (default: error)").choices(FAIL_ON))
    .addOption(new Option("--baseline <file>", "fail only on findings not in this baseline (see --create-baseline)").conflicts("createBaseline"))
    .option("--create-baseline <file>", "write the fingerprints of this run's unsuppressed findings as a baseline")
    .option("--soft-fail", "report findings but exit 0 (an input error still exits 2)")
    .addOption(docsUrlOption())
    .option("-q, --quiet", "errors only: the text report counts warnings and suppressed findings instead of showing them, and stderr gets no notices")
    .addOption(maxInputSizeOption())
    .option("--backend <url>", "audit the stacks of a Pulumi state backend, no Pulumi CLI needed: file://DIR, azblob://CONTAINER (with AZURE_STORAGE_ACCOUNT and AZURE_STORAGE_KEY or AZURE_STORAGE_SAS_TOKEN, as pulumi login reads them) or https://api.pulumi.com (with PULUMI_ACCESS_TOKEN)")
    .option("--stack <glob>", "with --backend: audit the stacks this glob selects (project/stack, or a stack name in any project); repeatable", (value: string, previous: string[]) => [...previous, value], [] as string[])
    .option("--state <file>", "the stack's `pulumi stack export` (or backend checkpoint) that a `pulumi preview --json` without --show-sames is laid over")
    .option("--source-root <dir>", "SARIF/github: prefix for program source paths (Pulumi's sourcePosition is relative to the project root, the directory of Pulumi.yaml)")
    .action(async (args: string[], options: AuditOptions) => {
      setExitCode(await runAudit(args, options));
    });
}

function stderr(line: string): void {
  process.stderr.write(stderrLine(line));
}

/** `automationDetails` of a SARIF report: the Azure DevOps pipeline's identity in one, else `category`. */
function sarifAutomationDetails(category: string): SarifAutomationDetails {
  const pipeline = adoPipeline(process.env);
  if (pipeline.kind === "pipeline") return pipeline.automationDetails;
  if (pipeline.kind === "partial") {
    stderr(`warning: Azure DevOps pipeline variables incomplete (${pipeline.problem}): the SARIF report's automationDetails.id is ${category}, which Advanced Security for Azure DevOps rejects`);
  }
  return { id: category };
}

/**
 * One notice when `egress.sourceAddresses` is not set: without the stamp's public VIP range, a rule that
 * matches on source addresses cannot be decided, and each flow it covers is an "undetermined" warning.
 */
function configurationNotice(config: BridgeguardConfig, findings: readonly Finding[], endpoints: number): ReportNotice | undefined {
  if (config.egress.sourceAddresses !== undefined || endpoints === 0) return undefined;
  // The evaluator says so in the evidence of each flow it could not decide (evaluate/addresses.ts).
  const undecided = findings.filter((f) => f.severity === "warning" && [f.message, ...f.evidence].some((line) => line.includes("egress.sourceAddresses not configured"))).length;
  const effect =
    undecided > 0
      ? `a rule that matches on source addresses cannot be decided: ${undecided} warning(s) below ("may deny") are undecided for that reason`
      : "a rule that matches on source addresses cannot be decided";
  return {
    level: "warning",
    kind: "configuration-incomplete",
    message: `egress.sourceAddresses is not configured: the stamp's public VIP range is unknown, so ${effect}. Set egress.sourceAddresses in bridgeguard.yaml to the public VIP /27.`,
  };
}

/** Suppressed and baselined findings, which count neither as errors nor as warnings. */
function acceptedCounts(findings: readonly Finding[], withBaseline: boolean): Pick<ReportSummary, "suppressed" | "baselined"> {
  let suppressed = 0;
  let baselined = 0;
  for (const f of findings) {
    if (f.suppression) suppressed++;
    else if (f.baselineState === "unchanged") baselined++;
  }
  return withBaseline ? { suppressed, baselined } : { suppressed };
}

function stackSummaries(results: readonly FileAudit[], findings: readonly Finding[], withBaseline: boolean): StackSummary[] {
  const byFile = new Map<string, Finding[]>();
  for (const f of findings) {
    const list = byFile.get(f.file ?? "");
    if (list) list.push(f);
    else byFile.set(f.file ?? "", [f]);
  }
  return results.map((result): StackSummary => {
    if (!result.ok) {
      return { file: inputName(result.file), summary: { ...summarize([], 0, 0), ...acceptedCounts([], withBaseline) }, error: result.error };
    }
    const own = byFile.get(inputName(result.file)) ?? [];
    return {
      file: inputName(result.file),
      summary: { ...summarize(own, result.resources, result.endpoints), ...acceptedCounts(own, withBaseline) },
      // With one stack the path is the report's own (`report.path`): said once.
      ...(result.path && results.length > 1 ? { path: result.path } : {}),
    };
  });
}

/** Every file this run writes, and every file it reads: no output may be one of the inputs. */
function checkFiles(files: readonly string[], configFile: string | undefined, options: AuditOptions, targets: readonly { file?: string; flag: string }[]): void {
  const outputs: NamedOutput[] = targets.flatMap((t) => (t.file === undefined ? [] : [{ file: t.file, flag: t.flag }]));
  if (options.createBaseline) outputs.push({ file: options.createBaseline, flag: "--create-baseline" });
  const inputs: NamedInput[] = files.map((file) => ({ file, role: "audited" }));
  if (configFile) inputs.push({ file: configFile, role: "--config" });
  if (options.baseline) inputs.push({ file: options.baseline, role: "--baseline" });
  if (options.state) inputs.push({ file: options.state, role: "--state" });
  checkOutputsAreNotInputs(outputs, inputs);
}

async function runAudit(args: string[], options: AuditOptions): Promise<number> {
  if (args.length === 0 && !options.backend) throw new UserError("give the files to audit, or a state backend with --backend");
  if (options.stack.length > 0 && !options.backend) throw new UserError("--stack selects stacks of a --backend");
  const targets = reportTargets(options.format, options.output, "text");
  const configFile = resolveConfigFile(options.config);
  // The configuration and the baseline are read, not audited, when a directory or glob reaches them.
  const files = args.length === 0 ? [] : expandInputs(args, { exclude: [options.baseline, configFile, options.state] });
  checkFiles(files, configFile, options, targets);
  // The workers load the engine while this thread reads the configuration and the baseline.
  const read = { ...(options.maxInputSize ? { maxBytes: options.maxInputSize } : {}), ...(options.state ? { state: options.state } : {}) };
  const pool = startAuditPool(files, { jobs: options.jobs ?? defaultJobs(), read });
  let results: FileAudit[];
  let config: BridgeguardConfig;
  let baseline: Baseline | undefined;
  try {
    config = loadConfig(configFile);
    if (options.cloud) config.cloud = options.cloud;
    checkSuppressions(config.suppressions, configFile ?? "(defaults)", auditRuleMetas());
    baseline = options.baseline ? loadBaselineFile(options.baseline, options.maxInputSize ? { maxBytes: options.maxInputSize } : {}) : undefined;
    results = files.length > 0 ? await pool.audit(config) : [];
    if (options.backend) results.push(...(await auditBackend(options.backend, options.stack, config, read)));
  } finally {
    pool.close();
  }
  const failOn: FailOn = options.failOn ?? config.failOn ?? "error";
  const failed = results.filter((r): r is Extract<FileAudit, { ok: false }> => !r.ok);
  for (const result of failed) stderr(result.error);
  // Nothing could be audited: a report would only say "no problems found" about nothing.
  if (failed.length === results.length) return EXIT_INPUT;

  let findings: Finding[] = [];
  let resources = 0;
  let endpoints = 0;
  for (const result of results) {
    if (!result.ok) continue;
    // The findings are this run's own (fresh from the worker or the engine): tag them in place.
    for (const finding of result.findings) {
      finding.file = inputName(result.file);
      findings.push(finding);
    }
    resources += result.resources;
    endpoints = Math.max(endpoints, result.endpoints);
  }

  const suppressed = applySuppressions(findings, config.suppressions, {
    today: todayUtc(),
    source: configFile,
    reportStale: failed.length === 0,
  });
  findings = suppressed.findings;
  // What an input could not show (a preview's unchanged resources), then what the suppressions say.
  const notices = [...results.flatMap((r) => (r.ok ? (r.notices ?? []) : [])), ...suppressed.notices];
  if (!options.quiet) for (const notice of notices) stderr(`${notice.level}: ${notice.message}`);
  // What the configuration lacks: said once, at the top of the report, instead of in every finding it
  // leaves undecided (on stdout only: it is part of the report, not a problem with the run).
  const lacking = configurationNotice(config, findings, endpoints);
  if (lacking) notices.unshift(lacking);

  let baselineError: string | undefined;
  if (options.createBaseline) {
    if (failed.length > 0) {
      baselineError = `${options.createBaseline}: baseline not written: ${failed.length} input file(s) could not be audited, and their findings would be missing from it`;
    } else {
      const created = createBaseline(findings.filter((f) => !f.suppression));
      baseline = created;
      writeFileAtomic(options.createBaseline, renderBaseline(created), "the baseline");
    }
  }
  if (baseline) findings = applyBaseline(findings, baseline);

  findings.sort(compareFindings);
  const base = buildReport(findings, resources, endpoints);
  const report: Report = {
    ...base,
    summary: { ...base.summary, ...acceptedCounts(findings, baseline !== undefined) },
    stacks: stackSummaries(results, findings, baseline !== undefined),
    notices,
  };
  // One stack: its path is the report's (a multi-file audit keeps one per stack, in `stacks`).
  const only = results.length === 1 ? results[0] : undefined;
  if (only?.ok && only.path) report.path = only.path;
  // The rules that ran: SARIF lists them, JUnit has a testcase for each (a disabled rule is neither).
  const rules = auditRuleMetas().filter((meta) => isRuleEnabled(meta, config));
  writeReports(targets, (format, toStdout) =>
    renderReport(format, report, rules, {
      color: toStdout && shouldUseColor(process.stdout, process.env),
      width: toStdout ? terminalWidth(process.stdout, process.env) : DEFAULT_COLUMNS,
      quiet: options.quiet,
      failOn,
      docsBaseUri: options.docsUrl,
      ...(options.sourceRoot !== undefined ? { sourceRoot: options.sourceRoot } : {}),
      ...(format === "sarif" ? { automationDetails: sarifAutomationDetails("bridgeguard/audit/") } : {}),
    }),
  );
  if (baselineError) stderr(baselineError);

  if (failed.length > 0 || baselineError) return EXIT_INPUT;
  if (options.softFail) return EXIT_OK;
  return gateFails(report.summary, failOn) ? EXIT_FINDINGS : EXIT_OK;
}
