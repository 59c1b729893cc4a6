/**
 * Runs the verification program under `pulumi.runtime.setMocks`, as testing.md prescribes: mocks and
 * config first, then a fresh import of the program (the caller resets modules per test), then the
 * program's exported function, whose resolution (stack outputs) or rejection (a failed update) the test
 * observes. Also audits the same resources as ARM JSON, the way `bridgeguard audit` does.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { vi } from "vitest";
import { stringify } from "yaml";
import { loadConfig } from "../../src/engine/config";
import { auditResourceSet } from "../../src/engine/run";
import { loadResourceFile } from "../../src/input";
import type { Finding, Report } from "../../src/model/finding";
import type { ProgramOutputs, Verification } from "../../src/program/run";
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
}

export interface RunOptions extends FakeArmOptions {
  config?: Record<string, unknown>;
  /** Other namespaces' config (`azure-native:subscriptionId`), as Pulumi passes it. */
  extraConfig?: Record<string, string>;
  preview?: boolean;
}

export async function runProgram(options: RunOptions): Promise<ProgramRun> {
  const fake = new FakeArm(options);
  await pulumi.runtime.setMocks(fake.mocks(), "bridgeguard", "dev", options.preview ?? false);
  pulumi.runtime.setAllConfig(pulumiConfig(options.config ?? healthyConfig(), options.extraConfig));
  const { default: program } = await import("../../src/program/index");
  const warnings: string[] = [];
  const spy = vi.spyOn(console, "warn").mockImplementation((...args: unknown[]) => void warnings.push(args.map(String).join(" ")));
  try {
    const outputs = await program();
    return { fake, outputs, findings: outputs.findings, warnings };
  } catch (error) {
    const failure = error as Error & { verification?: Verification };
    const report = failure.verification?.report;
    return report ? { fake, error: failure, findings: report.findings, report, warnings } : { fake, error: failure, findings: [], warnings };
  } finally {
    spy.mockRestore();
  }
}

/** `bridgeguard audit arm.json --config bridgeguard.yaml`, in process: the same loaders, the same engine. */
export function auditArm(bodies: readonly ArmBody[], config: Record<string, unknown> = healthyConfig()): Report {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "bridgeguard-program-"));
  try {
    const unique = [...new Map(bodies.map((b) => [b.id.toLowerCase(), b])).values()];
    const armFile = path.join(dir, "live.json");
    const configFile = path.join(dir, "bridgeguard.yaml");
    fs.writeFileSync(armFile, JSON.stringify(unique, null, 2));
    fs.writeFileSync(configFile, stringify(config));
    return toJsonReport(auditResourceSet(loadResourceFile(armFile), loadConfig(configFile)));
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** What "the same finding" means across front ends: code, rule, severity, resource (ARM id), endpoint. */
export function findingKeys(findings: readonly Finding[]): string[] {
  return findings
    .map((f) => `${f.code} ${f.rule.id} ${f.severity} ${f.resource.urn}${f.endpoint ? ` ${f.endpoint.host}:${f.endpoint.port}` : ""}`)
    .sort();
}

/** A finding without its evidence, which may name where the resources came from (`program`, a file). */
export function withoutEvidence(findings: readonly Finding[]): Omit<Finding, "evidence">[] {
  return findings.map(({ evidence: _evidence, ...rest }) => rest);
}
