/**
 * Runs the verification program under `pulumi.runtime.setMocks`, as testing.md prescribes: mocks and
 * config first, then a fresh import of the program (the caller resets modules per test), then the
 * program's exported function, whose resolution (stack outputs) or rejection (a failed update) the test
 * observes. Also audits the same resources as ARM JSON, the way `bridgeguard audit` does (suppressions
 * included).
 */
import * as fs from "node:fs";
import { createRequire } from "node:module";
import * as os from "node:os";
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { vi } from "vitest";
import { stringify } from "yaml";
import { loadConfig } from "../../src/engine/config";
import { runPipeline } from "../../src/engine/pipeline";
import { todayUtc } from "../../src/engine/suppressions";
import { loadResourceFile } from "../../src/input";
import type { Finding, Report } from "../../src/model/finding";
import type { ProgramOutputs, Verification, VerifyOptions } from "../../src/program/run";
import { toJsonReport } from "../../src/report/json";
import { FakeArm, healthyConfig, pulumiConfig, type ArmBody, type FakeArmOptions } from "./arm";

export interface ProgramRun {
  fake: FakeArm;
  /** Set when the program resolved: the stack outputs. */
  outputs?: ProgramOutputs;
  /** Set when the program rejected: the update fails. */
  error?: Error & { verification?: Verification };
  /** The findings, from the outputs or from the failure. */
  findings: Finding[];
  report?: Report;
  /** What the program logged as warnings (`pulumi.log.warn` prints them when no engine is attached). */
  warnings: string[];
  /** What the program logged as information (`pulumi.log.info`). */
  infos: string[];
}

export interface RunOptions extends FakeArmOptions {
  config?: Record<string, unknown>;
  /** Other namespaces' config (`azure-native:subscriptionId`), as Pulumi passes it. */
  extraConfig?: Record<string, string>;
  preview?: boolean;
  /**
   * The program module to run: the TypeScript source by default, or a compiled file (`dist/program/index.js`,
   * what Pulumi.yaml's `main` runs), loaded fresh with Node's own `require`.
   */
  entry?: string;
}

async function setUp(options: RunOptions): Promise<FakeArm> {
  const fake = new FakeArm(options);
  await pulumi.runtime.setMocks(fake.mocks(), "bridgeguard", "dev", options.preview ?? false);
  pulumi.runtime.setAllConfig(pulumiConfig(options.config ?? healthyConfig(), options.extraConfig));
  return fake;
}

/** A compiled program entry through Node's `require`, its own modules loaded afresh (as the reset of the TypeScript ones). */
function compiledProgram(entry: string): () => Promise<ProgramOutputs> {
  const dir = path.dirname(path.dirname(entry));
  for (const key of Object.keys(require.cache)) if (key.startsWith(dir + path.sep)) delete require.cache[key];
  const nodeRequire = createRequire(__filename);
  return nodeRequire(entry) as () => Promise<ProgramOutputs>;
}

export async function runProgram(options: RunOptions): Promise<ProgramRun> {
  const fake = await setUp(options);
  const program = options.entry ? compiledProgram(options.entry) : (await import("../../src/program/index")).default;
  const warnings: string[] = [];
  const infos: string[] = [];
  const warn = vi.spyOn(console, "warn").mockImplementation((...args: unknown[]) => void warnings.push(args.map(String).join(" ")));
  const log = vi.spyOn(console, "log").mockImplementation((...args: unknown[]) => void infos.push(args.map(String).join(" ")));
  try {
    const outputs = await program();
    return { fake, outputs, findings: outputs.findings, warnings, infos };
  } catch (error) {
    const failure = error as Error & { verification?: Verification };
    const report = failure.verification?.report;
    return report ? { fake, error: failure, findings: report.findings, report, warnings, infos } : { fake, error: failure, findings: [], warnings, infos };
  } finally {
    warn.mockRestore();
    log.mockRestore();
  }
}

/** `verify` itself (what `program` runs), with the program's own config reading: for pinning `today`. */
export async function runVerify(options: RunOptions, verifyOptions: VerifyOptions): Promise<{ fake: FakeArm; verification: Verification }> {
  const fake = await setUp(options);
  const { readProgramConfig } = await import("../../src/program/config");
  const { verify } = await import("../../src/program/run");
  const config = readProgramConfig();
  return { fake, verification: await verify(config, undefined, verifyOptions) };
}

/** Where `auditArm` says suppressions were written, in notices (`bridgeguard.yaml: suppressions[0] ...`). */
export const AUDIT_CONFIG_NAME = "bridgeguard.yaml";

/**
 * `bridgeguard audit arm.json --config bridgeguard.yaml`, in process: the same loaders and the engine's one
 * pipeline, as the CLI's audit runs it (suppressions checked on loading, applied with `today`, counted as
 * `summary.suppressed`, notices in the report).
 */
export function auditArm(bodies: readonly ArmBody[], config: Record<string, unknown> = healthyConfig(), today: string = todayUtc()): Report {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "bridgeguard-program-"));
  try {
    const unique = [...new Map(bodies.map((b) => [b.id.toLowerCase(), b])).values()];
    const armFile = path.join(dir, "live.json");
    const configFile = path.join(dir, "bridgeguard.yaml");
    fs.writeFileSync(armFile, JSON.stringify(unique, null, 2));
    fs.writeFileSync(configFile, stringify(config));
    const loaded = loadConfig(configFile);
    const { report } = runPipeline({ kind: "resources", set: loadResourceFile(armFile) }, loaded, { today, suppressionSource: AUDIT_CONFIG_NAME });
    return toJsonReport(report);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** What "the same finding" means across front ends: code, rule, severity, resource (ARM id), endpoint. */
export function findingKeys(findings: readonly Finding[]): string[] {
  return findings
    .map((f) => `${f.code} ${f.rule.id} ${f.severity} ${f.resource.urn}${f.endpoints.map((e) => ` ${e.host}:${e.port}`).join("")}`)
    .sort();
}

/** A finding without its evidence, which may name where the resources came from (`program`, a file). */
export function withoutEvidence(findings: readonly Finding[]): Omit<Finding, "evidence">[] {
  return findings.map(({ evidence: _evidence, ...rest }) => rest);
}
