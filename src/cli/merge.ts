/**
 * `bridgeguard merge REPORT.json... --format FORMAT[:FILE]`: the JSON reports of a sharded audit's jobs
 * (`audit --shard I/N --format json`) as one report, in any format, with the audit's exit codes. The
 * baseline it creates (`--create-baseline`) holds every shard's findings, so each shard can run against it.
 */
import { Option, type Command } from "commander";
import type { FailOn } from "../config/types";
import { loadConfig } from "../engine/config";
import { FAIL_ON } from "../engine/gate";
import { isRuleEnabled } from "../engine/run";
import { readJsonFile } from "../input/json";
import type { OutputFormat } from "../report";
import { mergeReports, parseReport } from "../report/merge";
import { auditRuleMetas } from "../rules";
import { writeAuditReports, writeCreatedBaseline } from "./audit";
import { resolveConfigFile, type ConfigFlag } from "./config-file";
import { checkOutputsAreNotInputs, type NamedInput, type NamedOutput } from "./file-identity";
import { docsUrlOption, maxInputSizeOption } from "./options";
import { formatTargetsOption, reportTargets, type FormatSpec } from "./output";
import { stderrLine } from "../model/terminal-safe";

const MERGE_FORMATS: readonly OutputFormat[] = ["text", "json", "sarif", "junit", "markdown", "github"];

interface MergeOptions {
  config?: ConfigFlag;
  format?: FormatSpec<OutputFormat>[];
  output?: string;
  failOn?: FailOn;
  softFail?: boolean;
  createBaseline?: string;
  docsUrl?: string;
  sourceRoot?: string;
  quiet?: boolean;
  maxInputSize?: number;
}

export function registerMerge(program: Command, setExitCode: (code: number) => void): void {
  program
    .command("merge")
    .description("combine the JSON reports of a sharded audit (audit --shard I/N --format json) into one report, in any format")
    .argument("<report...>", "JSON reports of bridgeguard audit, one per shard")
    .option("-c, --config <file>", "bridgeguard.yaml the shards ran with: which rules ran (SARIF and JUnit list them) and failOn (default: bridgeguard.yaml in the working directory or a parent up to the repository root)")
    .option("--no-config", "use no configuration file")
    .addOption(formatTargetsOption(MERGE_FORMATS))
    .option("-o, --output <file>", "write the report (the one --format without its own :FILE) to a file instead of stdout; - is stdout")
    .addOption(new Option("--fail-on <severity>", "lowest severity that fails the run (exit 1); overrides failOn in the config (default: error)").choices(FAIL_ON))
    .option("--soft-fail", "report findings but exit 0 (a stack a shard could not audit still exits 2)")
    .option("--create-baseline <file>", "write the fingerprints of every shard's unsuppressed findings as a baseline, for each shard's --baseline")
    .addOption(docsUrlOption())
    .option("--source-root <dir>", "SARIF/github: prefix for program source paths (Pulumi's sourcePosition is relative to the project root)")
    .option("-q, --quiet", "errors only in the text report")
    .addOption(maxInputSizeOption())
    .action((files: string[], options: MergeOptions) => {
      setExitCode(runMerge(files, options));
    });
}

function stderr(line: string): void {
  process.stderr.write(stderrLine(line));
}

function runMerge(files: string[], options: MergeOptions): number {
  const targets = reportTargets(options.format, options.output, "text");
  const configFile = resolveConfigFile(options.config);
  const outputs: NamedOutput[] = targets.flatMap((t) => (t.file === undefined ? [] : [{ file: t.file, flag: t.flag }]));
  if (options.createBaseline) outputs.push({ file: options.createBaseline, flag: "--create-baseline" });
  const inputs: NamedInput[] = files.map((file) => ({ file, role: "merged" }));
  if (configFile) inputs.push({ file: configFile, role: "--config" });
  checkOutputsAreNotInputs(outputs, inputs);

  const config = loadConfig(configFile);
  const read = options.maxInputSize ? { maxBytes: options.maxInputSize } : {};
  const reports = files.map((file) => ({ file, report: parseReport(readJsonFile(file, read), file) }));
  const { report, verdict, failed } = mergeReports(reports, config, {
    createBaseline: options.createBaseline !== undefined,
    ...(options.failOn ? { failOn: options.failOn } : {}),
  });
  for (const stack of failed) stderr(stack.error!);
  if (!options.quiet) for (const notice of report.notices ?? []) stderr(`${notice.level}: ${notice.message}`);

  const baselineError = writeCreatedBaseline(options.createBaseline, verdict);

  const rules = auditRuleMetas().filter((meta) => isRuleEnabled(meta, config));
  writeAuditReports(targets, report, rules, verdict.failOn, options);
  if (baselineError) stderr(baselineError);
  if (failed.length > 0 || baselineError) return 2;
  if (options.softFail) return 0;
  return verdict.fails ? 1 : 0;
}
