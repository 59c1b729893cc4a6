import type { Command } from "commander";
import type { CloudName } from "../catalog/clouds";
import { loadConfig } from "../engine/config";
import { auditResourceSet, buildReport } from "../engine/run";
import { loadResourceFile } from "../input";
import type { Finding } from "../model/finding";
import { compareFindings } from "../model/finding";
import { renderReport, shouldUseColor, type OutputFormat } from "../report";
import { ruleMetas } from "../rules";
import { writeOutput } from "./io";
import { cloudOption, formatOption } from "./options";

interface AuditOptions {
  config?: string;
  cloud?: CloudName;
  format: OutputFormat;
  output?: string;
  softFail?: boolean;
}

/** `bridgeguard audit <file...>`: stack exports or ARM JSON in, one report out. */
export function registerAudit(program: Command, setExitCode: (code: number) => void): void {
  program
    .command("audit")
    .description("audit `pulumi stack export` JSON or ARM JSON for causes of usage-bridge errors")
    .argument("<file...>", "stack export(s) or ARM resource JSON (one resource, an array, or {\"value\": [...]})")
    .option("-c, --config <file>", "bridgeguard.yaml with the expected registration, egress range, time and DNS servers")
    .addOption(cloudOption())
    .addOption(formatOption(["text", "json", "sarif", "junit", "markdown"]))
    .option("-o, --output <file>", "write the report to a file instead of stdout")
    .option("--soft-fail", "report findings but exit 0")
    .action((files: string[], options: AuditOptions) => {
      const config = loadConfig(options.config);
      if (options.cloud) config.cloud = options.cloud;
      const findings: Finding[] = [];
      const fileOf = new Map<Finding, string>();
      let resources = 0;
      let endpoints = 0;
      for (const file of files) {
        const set = loadResourceFile(file);
        const report = auditResourceSet(set, config);
        for (const finding of report.findings) {
          findings.push(finding);
          fileOf.set(finding, file);
        }
        resources += report.summary.resources;
        endpoints = Math.max(endpoints, report.summary.endpoints);
      }
      const report = buildReport(findings.sort(compareFindings), resources, endpoints);
      const text = renderReport(options.format, report, ruleMetas(), {
        color: !options.output && shouldUseColor(process.stdout, process.env),
        width: process.stdout.columns,
        artifactUri: (finding) => fileOf.get(finding),
      });
      writeOutput(text, options.output);
      setExitCode(report.summary.errors > 0 && !options.softFail ? 1 : 0);
    });
}
