/**
 * `npm run bench` (pack part): the policy pack's cost against a one-policy no-op pack, both started by
 * Pulumi's runner and driven over gRPC as the engine drives them (test/pack/harness.ts), in the same run,
 * in turns: start-up, `configure`, one `analyze` per resource (10,000 resources and the stack: 10,001) and
 * one `analyzeStack`. Target: the pack's wall time <= 1.5x the no-op pack's (goal 1.2x).
 *
 * Environment: `BENCH_RUNS` (default 3): runs per pack, the median counts; `BENCH_PACK_SIZE` (default
 * 10000): resources in the stack, `none` skips this bench.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { policyPackConfig } from "../../src/pack/config";
import { loadConfig } from "../../src/engine/config";
import { analyzeRequest, analyzeStackRequest, PackHarness, type BuiltRequest } from "../../test/pack/harness";
import { stackRequests, type StackRequests } from "../../test/pack/stack-export";
import { generateStackExport } from "../generate";

// Compiled to bench/out/pack/bench/pack/.
const ROOT = path.resolve(__dirname, "..", "..", "..", "..", "..");
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const SIZE = process.env.BENCH_PACK_SIZE ?? "10000";
const TARGET = 1.5;
const GOAL = 1.2;

/** The baseline: one resource policy that does nothing, served by the same SDK. */
function writeNoopPack(dir: string): void {
  fs.mkdirSync(path.join(dir, "node_modules", "@pulumi"), { recursive: true });
  fs.symlinkSync(path.join(ROOT, "node_modules", "@pulumi", "policy"), path.join(dir, "node_modules", "@pulumi", "policy"), "dir");
  fs.writeFileSync(path.join(dir, "package.json"), JSON.stringify({ name: "noop", version: "0.0.1", main: "index.js" }));
  fs.writeFileSync(path.join(dir, "PulumiPolicy.yaml"), "runtime: nodejs\n");
  fs.writeFileSync(
    path.join(dir, "index.js"),
    `const { PolicyPack } = require("@pulumi/policy");\n` +
      `new PolicyPack("noop", { policies: [{ name: "noop", description: "does nothing", enforcementLevel: "advisory", validateResource: () => {} }] });\n`,
  );
}

/** The stack of the main bench, plus the stack resource every program has: `size + 1` resources. */
function stack(size: number): StackRequests {
  const state = generateStackExport(size) as { deployment: { resources: Record<string, unknown>[] } };
  state.deployment.resources.unshift({ urn: "urn:pulumi:bench::azs-border::pulumi:pulumi:Stack::azs-border-bench", custom: false, type: "pulumi:pulumi:Stack", inputs: {}, outputs: {} });
  return stackRequests(state);
}

/** One engine run against a pack: seconds from spawning it to the answer of `analyzeStack`, and its CPU seconds. */
async function drive(packDir: string, config: Record<string, unknown>, requests: readonly BuiltRequest[]): Promise<{ seconds: number; cpu: number; diagnostics: number }> {
  const start = process.hrtime.bigint();
  const pack = await PackHarness.start(packDir, 60_000);
  try {
    await pack.configure(config as Parameters<PackHarness["configure"]>[0]);
    let diagnostics = 0;
    // One at a time, as the engine sends them.
    for (const request of requests) diagnostics += (await pack.send(request)).diagnostics.length;
    const seconds = Number(process.hrtime.bigint() - start) / 1e9;
    return { seconds, cpu: pack.cpuSeconds() ?? Number.NaN, diagnostics };
  } finally {
    await pack.close();
  }
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

async function main(): Promise<void> {
  if (SIZE === "none") return;
  const size = Number(SIZE);
  if (!Number.isInteger(size) || size < 1) throw new Error(`BENCH_PACK_SIZE: expected a resource count such as 10000 (or none), got ${JSON.stringify(SIZE)}`);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "bridgeguard-bench-pack-"));
  try {
    const noop = path.join(dir, "noop");
    writeNoopPack(noop);
    const configFile = path.join(dir, "bridgeguard.yaml");
    fs.writeFileSync(configFile, "cloud: AzureCloud\negress:\n  sourceAddresses: [203.0.113.0/27]\ntimeServer: 10.0.0.10\ndnsServers: [10.0.0.53]\n");
    const config = policyPackConfig(loadConfig(configFile));
    const stackRequests = stack(size);
    // Built once, before any clock runs: the driver's own serialization weighs on neither pack.
    const requests = [...stackRequests.inputs.map(analyzeRequest), analyzeStackRequest(stackRequests.outputs)];
    const runs = { noop: [] as { seconds: number; cpu: number }[], pack: [] as { seconds: number; cpu: number }[] };
    let findings = 0;
    // In turns (no-op, pack, no-op, ...): a change in the machine's load weighs on both alike.
    for (let run = 0; run < RUNS; run++) {
      runs.noop.push(await drive(noop, {}, requests));
      const result = await drive(path.join(ROOT, "policies"), config, requests);
      runs.pack.push(result);
      findings = result.diagnostics;
    }
    const [noopSeconds, packSeconds] = [median(runs.noop.map((r) => r.seconds)), median(runs.pack.map((r) => r.seconds))];
    const [noopCpu, packCpu] = [median(runs.noop.map((r) => r.cpu)), median(runs.pack.map((r) => r.cpu))];
    const ratio = packSeconds / noopSeconds;
    console.log(
      `policy pack over ${stackRequests.inputs.length} analyze + 1 analyzeStack (start-up included): ` +
        `no-op pack ${noopSeconds.toFixed(2)} s (CPU ${noopCpu.toFixed(2)} s)  bridgeguard ${packSeconds.toFixed(2)} s (CPU ${packCpu.toFixed(2)} s, ` +
        `${findings} violations)  ratio ${ratio.toFixed(2)}x (CPU ${(packCpu / noopCpu).toFixed(2)}x)`,
    );
    console.log(`target: the pack <= ${TARGET}x a one-policy no-op pack (goal ${GOAL}x): ${ratio.toFixed(2)}x`);
    if (ratio > TARGET) {
      console.error(`bench: missed targets: pack ratio above ${TARGET}x (${ratio.toFixed(2)}x)`);
      process.exitCode = 1;
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(`bench: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 2;
});
