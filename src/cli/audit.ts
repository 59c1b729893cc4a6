import { InvalidArgumentError, Option, type Command } from "commander";
import type { CloudName } from "../catalog/clouds";
import type { BridgeguardConfig, FailOn } from "../config/types";
import { loadBaselineFile, renderBaseline, type Baseline } from "../engine/baseline";
import { loadConfig } from "../engine/config";
import { FAIL_ON } from "../engine/gate";
import { judge, type RunInput } from "../engine/pipeline";
import { isRuleEnabled } from "../engine/run";
import { UserError } from "../model/errors";
import { inputName } from "../input/json";
import { renderReport, shouldUseColor, type OutputFormat, type SarifAutomationDetails } from "../report";
import { auditRuleMetas } from "../rules";
import type { RuleMeta } from "../rules/types";
import type { Report } from "../model/finding";
import { defaultJobs, fileSources, startAuditPool, type FileAudit } from "./audit-pool";
import { auditBackend } from "./backend-audit";
import { resolveConfigFile, type ConfigFlag } from "./config-file";
import { checkOutputsAreNotInputs, type NamedInput, type NamedOutput } from "./file-identity";
import { expandInputs } from "./inputs";
import { adoPipeline } from "./ado-pipeline";
import { DEFAULT_COLUMNS, terminalWidth } from "./terminal";
import { cloudOption, docsUrlOption, maxInputSizeOption } from "./options";
import { formatTargetsOption, reportTargets, writeReports, type FormatSpec, type ReportTarget } from "./output";
import { stderrLine } from "../model/terminal-safe";
import { fileShardIdentity, inShard, parseShard, type Shard } from "./shard";
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
  shard?: Shard;
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
    .option("-j, --jobs <n>", `inputs audited at once, on worker threads, at most ${MAX_JOBS} (default: the number of cores)`, parseJobs)
    .addOption(new Option("--fail-on <severity>", "lowest severity that fails the run (exit 1); overrides failOn in the config (default: error)").choices(FAIL_ON))
    .addOption(new Option("--baseline <file>", "fail only on findings not in this baseline (see --create-baseline)").conflicts("createBaseline"))
    .option("--create-baseline <file>", "write the fingerprints of this run's unsuppressed findings as a baseline")
    .option("--soft-fail", "report findings but exit 0 (an input error still exits 2)")
    .addOption(docsUrlOption())
    .option("-q, --quiet", "errors only: the text report counts warnings and suppressed findings instead of showing them, and stderr gets no notices")
    .addOption(maxInputSizeOption())
    .option("--backend <url>", "audit the stacks of a Pulumi state backend, no Pulumi CLI needed: file://DIR, azblob://CONTAINER (with AZURE_STORAGE_ACCOUNT and AZURE_STORAGE_KEY or AZURE_STORAGE_SAS_TOKEN, as pulumi login reads them) or https://api.pulumi.com (with PULUMI_ACCESS_TOKEN)")
    .option("--stack <glob>", "with --backend: audit the stacks this glob selects (project/stack, or a stack name in any project); repeatable", (value: string, previous: string[]) => [...previous, value], [] as string[])
    .option("--shard <I/N>", "audit only share I of N of the inputs (files, or a backend's stacks), chosen by a hash of each input's path or project/stack, the same on every machine; combine the shards' JSON reports with bridgeguard merge", parseShard)
    .option("--state <file>", "the stack's `pulumi stack export` (or backend checkpoint) that a `pulumi preview --json` without --show-sames is laid over")
    .option("--source-root <dir>", "SARIF/github: prefix for program source paths (Pulumi's sourcePosition is relative to the project root, the directory of Pulumi.yaml)")
    .action(async (args: string[], options: AuditOptions) => {
      setExitCode(await runAudit(args, options));
    });
}

function stderr(line: string): void {
  process.stderr.write(stderrLine(line));
}

/** The report options an audit's report is rendered with: the audit's, and merge's of shard reports. */
export interface AuditRenderOptions {
  quiet?: boolean;
  docsUrl?: string;
  sourceRoot?: string;
}

/** Writes an audit report in every format asked for: files first, then standard output (coloured, wrapped to the terminal). */
export function writeAuditReports(targets: readonly ReportTarget<OutputFormat>[], report: Report, rules: readonly RuleMeta[], failOn: FailOn, options: AuditRenderOptions): void {
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
}

/**
 * Writes the baseline `--create-baseline <file>` asked for (atomically), or returns the line that says why
 * it was not written (an input could not be audited); undefined when none was asked for or it was written.
 */
export function writeCreatedBaseline(file: string | undefined, conclusion: { createdBaseline?: Baseline; baselineRefused?: string }): string | undefined {
  if (file === undefined) return undefined;
  if (conclusion.createdBaseline) {
    writeFileAtomic(file, renderBaseline(conclusion.createdBaseline), "the baseline");
    return undefined;
  }
  return `${file}: baseline not written: ${conclusion.baselineRefused ?? "no baseline"}`;
}

/** `automationDetails` of a SARIF report: the Azure DevOps pipeline's identity in one, else `category`. */
export function sarifAutomationDetails(category: string): SarifAutomationDetails {
  const pipeline = adoPipeline(process.env);
  if (pipeline.kind === "pipeline") return pipeline.automationDetails;
  if (pipeline.kind === "partial") {
    stderr(`warning: Azure DevOps pipeline variables incomplete (${pipeline.problem}): the SARIF report's automationDetails.id is ${category}, which Advanced Security for Azure DevOps rejects`);
  }
  return { id: category };
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
  const everyFile = args.length === 0 ? [] : expandInputs(args, { exclude: [options.baseline, configFile, options.state] });
  const files = inShard(everyFile, options.shard, (file) => fileShardIdentity(file));
  checkFiles(files, configFile, options, targets);
  // The workers load the engine while this thread reads the configuration and the baseline.
  const read = { ...(options.maxInputSize ? { maxBytes: options.maxInputSize } : {}), ...(options.state ? { state: options.state } : {}) };
  const jobs = options.jobs ?? defaultJobs();
  const pool = startAuditPool(fileSources(files), { jobs, read });
  let results: FileAudit[];
  let config: BridgeguardConfig;
  let baseline: Baseline | undefined;
  try {
    config = loadConfig(configFile);
    if (options.cloud) config.cloud = options.cloud;
    baseline = options.baseline ? loadBaselineFile(options.baseline, options.maxInputSize ? { maxBytes: options.maxInputSize } : {}) : undefined;
    results = files.length > 0 ? await pool.audit(config) : [];
    if (options.backend) results.push(...(await auditBackend(options.backend, options.stack, config, { read, jobs, ...(options.shard ? { shard: options.shard } : {}) })));
  } finally {
    pool.close();
  }
  // Nothing could be audited: a report would only say "no problems found" about nothing. A shard that
  // holds no input is not that: its report (no stacks, `shard`) says so, and merge counts it.
  const emptyShard = options.shard !== undefined && results.length === 0;
  if (results.every((r) => !r.ok) && !emptyShard) {
    for (const result of results) if (!result.ok) stderr(result.error);
    return EXIT_INPUT;
  }

  // The rules that ran: SARIF lists them, JUnit has a testcase for each (a disabled rule is neither).
  const rules = auditRuleMetas().filter((meta) => isRuleEnabled(meta, config));
  const inputs: RunInput[] = results.map((r) =>
    r.ok
      ? {
          subject: "resources",
          rules,
          file: inputName(r.file),
          findings: r.findings,
          resources: r.resources,
          endpoints: r.endpoints,
          ...(r.notices ? { notices: r.notices } : {}),
          ...(r.path ? { path: r.path } : {}),
        }
      : { file: inputName(r.file), error: r.error },
  );
  const judgement = judge(inputs, config, {
    ...(configFile !== undefined ? { suppressionSource: configFile } : {}),
    ...(baseline ? { baseline } : {}),
    createBaseline: options.createBaseline !== undefined,
    ...(options.failOn ? { failOn: options.failOn } : {}),
  });
  const { report, failOn } = judgement;
  for (const failure of judgement.failed) stderr(failure.error);
  // What an input could not show and what the suppressions say go to stderr as well; what the
  // configuration lacks is part of the report only (it is not a problem with the run).
  if (!options.quiet) for (const notice of report.notices ?? []) if (notice.kind !== "configuration-incomplete") stderr(`${notice.level}: ${notice.message}`);

  const baselineError = writeCreatedBaseline(options.createBaseline, judgement);
  // A sharded report always lists its stacks, none included: merge tells an audit report by them.
  if (options.shard) Object.assign(report, { stacks: report.stacks ?? [], shard: options.shard });
  if (emptyShard && !options.quiet) stderr(`shard ${options.shard!.index}/${options.shard!.count} holds none of the inputs: an empty report`);
  writeAuditReports(targets, report, rules, failOn, options);
  if (baselineError) stderr(baselineError);

  if (judgement.failed.length > 0 || baselineError) return EXIT_INPUT;
  if (options.softFail) return EXIT_OK;
  return judgement.fails ? EXIT_FINDINGS : EXIT_OK;
}
