/**
 * `npm run bench`: audit time and memory against a baseline measured in the same run (reading and
 * JSON.parse-ing the same file), at 1k, 10k and 100k resources; and many stacks at once: 200 exports of
 * 2,000 resources audited with `--jobs 2` against `--jobs 1`, in the same run. Targets are checked as ratios:
 * of CPU time (user + system, every thread, read by the measured process at exit) for one process against
 * its baseline, since other work on the machine inflates wall-clock time; of wall-clock time for `--jobs`,
 * whose point is to finish sooner. Both are printed.
 *
 * Environment, for quick runs:
 * - `BENCH_RUNS` (default 3): runs per measurement; the median counts.
 * - `BENCH_SIZES` (default `1000,10000,100000`): single-file sizes; `none` skips them.
 * - `BENCH_STACKS` (default `200x2000`): the many-stacks case as `<files>x<resources each>`; `none` skips it.
 * - `BENCH_PLATFORM` (default `10000,100000`): sizes of the platform stack (a healthy bridge path among
 *   many gates the stack shows off the path); `none` skips it.
 * - `BENCH_STARTUP` (default `1`): `0` skips the start-up measurement.
 * - `BENCH_BACKEND` (default `200x200`): the state backend case as `<stacks>x<resources each>`: the same
 *   stacks audited through `--backend azblob://` (a real Azurite on 127.0.0.1) and `--backend file://`, in
 *   turns; `none` skips it.
 * - `BENCH_WORST` (default `64`): MiB of each worst input for memory (`writeWorstExport`: the fillers that
 *   cost the most heap per byte the input's value limit lets through); `none` skips them. Their peak RSS
 *   per byte is compared with a real export's of the same size, measured in the same run.
 */
import { spawn, spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { BlobServiceClient, StorageSharedKeyCredential } from "@azure/storage-blob";
import { AZURITE_ACCOUNT, AZURITE_KEY, startAzurite } from "./azurite";
import { generateStackExport, WORST_FILLERS, writePlatformStack, writeStackExport, writeWorstExport } from "./generate";

const ROOT = path.resolve(__dirname, "..", "..");
const RSS_PRELOAD = path.join(__dirname, "rss.js");
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const SIZES = parseSizes(process.env.BENCH_SIZES ?? "1000,10000,100000");
const STACKS = parseStacks(process.env.BENCH_STACKS ?? "200x2000");
const PLATFORM = parseSizes(process.env.BENCH_PLATFORM ?? "10000,100000");
const STARTUP = process.env.BENCH_STARTUP !== "0";
const BACKEND = parseStacks(process.env.BENCH_BACKEND ?? "200x200");
const WORST_MIB = process.env.BENCH_WORST === "none" ? 0 : Number(process.env.BENCH_WORST ?? 64);
const EXAMPLE_CONFIG = path.join(ROOT, "examples", "bridgeguard.yaml");

function parseSizes(value: string): number[] {
  if (value.trim() === "" || value.trim() === "none") return [];
  return value.split(",").map((part) => {
    const n = Number(part.trim());
    if (!Number.isInteger(n) || n < 1) throw new Error(`BENCH_SIZES: expected resource counts such as 1000,10000 (or none), got ${JSON.stringify(value)}`);
    return n;
  });
}

function parseStacks(value: string): { files: number; size: number } | undefined {
  if (value.trim() === "" || value.trim() === "none") return undefined;
  const m = /^\s*(\d+)\s*x\s*(\d+)\s*$/.exec(value);
  if (!m || Number(m[1]) < 1 || Number(m[2]) < 1) throw new Error(`BENCH_STACKS: expected <files>x<resources>, such as 200x2000 (or none), got ${JSON.stringify(value)}`);
  return { files: Number(m[1]), size: Number(m[2]) };
}

interface Measurement {
  /** Wall-clock seconds. */
  seconds: number;
  /**
   * CPU seconds (user + system, every thread of the process), from `process.resourceUsage()` at exit. The
   * targets are ratios of these: on a machine other work loads, wall-clock time measures the load too.
   */
  cpuSeconds: number;
  peakRss: number;
}

/** What the preload (rss.ts) wrote. */
function usageOf(file: string): { peakRss: number; cpuSeconds: number } {
  return JSON.parse(fs.readFileSync(file, "utf8")) as { peakRss: number; cpuSeconds: number };
}

/** Where a measured process writes its peak RSS and CPU time (removed when the bench ends). */
const rssFile = path.join(os.tmpdir(), `bridgeguard-bench-rss-${process.pid}`);

/** One timed run of `node <args>`: wall-clock and CPU seconds, and the process's peak RSS. */
function runOnce(args: string[], env: Record<string, string> = {}): Measurement {
  const start = process.hrtime.bigint();
  const result = spawnSync(process.execPath, ["--require", RSS_PRELOAD, ...args], {
    cwd: ROOT,
    env: { ...process.env, ...env, BENCH_RSS_FILE: rssFile, NO_COLOR: "1" },
    encoding: "utf8",
    maxBuffer: 1 << 30,
  });
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  if (result.status !== 0 && result.status !== 1) {
    throw new Error(`${args.join(" ")} exited ${result.status}: ${result.stderr.slice(0, 500)}`);
  }
  return { seconds, ...usageOf(rssFile) };
}

/** `1.23 s CPU (2.34 s wall)`. */
function times(m: Measurement): string {
  return `${m.cpuSeconds.toFixed(2)} s CPU (${m.seconds.toFixed(2)} s wall)`;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

function measure(args: string[]): Measurement {
  const runs = Array.from({ length: RUNS }, () => runOnce(args));
  return summarizeRuns(runs);
}

/** The median wall-clock and CPU time of several runs, and their largest peak RSS. */
function summarizeRuns(runs: readonly Measurement[]): Measurement {
  return { seconds: median(runs.map((r) => r.seconds)), cpuSeconds: median(runs.map((r) => r.cpuSeconds)), peakRss: Math.max(...runs.map((r) => r.peakRss)) };
}

/** Several `node <args>` processes at once: wall-clock seconds until the last ends, their summed CPU time and peak RSS. */
async function runTogether(commands: string[][]): Promise<Measurement> {
  const files = commands.map((_, i) => `${rssFile}-${i}`);
  const start = process.hrtime.bigint();
  await Promise.all(
    commands.map(
      (args, i) =>
        new Promise<void>((resolve, reject) => {
          const child = spawn(process.execPath, ["--require", RSS_PRELOAD, ...args], {
            cwd: ROOT,
            env: { ...process.env, BENCH_RSS_FILE: files[i], NO_COLOR: "1" },
            stdio: ["ignore", "ignore", "pipe"],
          });
          let stderr = "";
          child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
          child.on("error", reject);
          child.on("close", (code) => (code === 0 || code === 1 ? resolve() : reject(new Error(`${args.slice(0, 3).join(" ")} ... exited ${code}: ${stderr.slice(0, 500)}`))));
        }),
    ),
  );
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  const usages = files.map(usageOf);
  for (const file of files) fs.rmSync(file, { force: true });
  return { seconds, cpuSeconds: usages.reduce((sum, u) => sum + u.cpuSeconds, 0), peakRss: usages.reduce((sum, u) => sum + u.peakRss, 0) };
}

/**
 * Several measurements taken in turns (a, b, a, b, ...) rather than one after the other, so that a change in
 * the machine's load during the run weighs on each alike; the median of each.
 */
async function measureInTurns(measurements: (() => Measurement | Promise<Measurement>)[]): Promise<Measurement[]> {
  const runs: Measurement[][] = measurements.map(() => []);
  for (let run = 0; run < RUNS; run++) for (const [i, take] of measurements.entries()) runs[i]!.push(await take());
  return runs.map(summarizeRuns);
}

/**
 * Many stacks at once: `files` exports of `size` resources each (the same generated export under a
 * different stack name each), audited as one directory with `--jobs 1` and with `--jobs 2`.
 * Target: `--jobs 2` takes at most 0.65x the time of `--jobs 1`; both reports must be identical.
 *
 * Also measured, for scale: two independent `--jobs 1` processes, each auditing half of the files at the
 * same time. No thread pool is involved, so their ratio is what this machine gives this work when it is
 * split in two; the pool's ratio can be read against it.
 */
async function benchStacks(dir: string, config: string, stacks: { files: number; size: number }, failures: string[]): Promise<void> {
  const exports = path.join(dir, "stacks");
  fs.mkdirSync(exports);
  const text = JSON.stringify(generateStackExport(stacks.size));
  for (let i = 0; i < stacks.files; i++) {
    fs.writeFileSync(path.join(exports, `stack-${String(i).padStart(4, "0")}.json`), text.replaceAll("urn:pulumi:bench::", `urn:pulumi:bench-${i}::`));
  }
  const bytes = Buffer.byteLength(text) * stacks.files;
  const outputs = [1, 2].map((jobs) => path.join(dir, `stacks-jobs${jobs}.json`));
  const command = (jobs: number, output: string): string[] => ["bin/bridgeguard.js", "audit", exports, "--config", config, "--format", "json", "--output", output, "--jobs", String(jobs)];
  const names = fs.readdirSync(exports).sort().map((name) => path.join(exports, name));
  const halves = [names.filter((_, i) => i % 2 === 0), names.filter((_, i) => i % 2 === 1)];
  const halfCommand = (files: string[], i: number): string[] => ["bin/bridgeguard.js", "audit", ...files, "--config", config, "--format", "json", "--output", path.join(dir, `half-${i}.json`), "--jobs", "1"];
  const [one, two, split] = (await measureInTurns([
    () => runOnce(command(1, outputs[0]!)),
    () => runOnce(command(2, outputs[1]!)),
    () => runTogether(halves.map(halfCommand)),
  ])) as [Measurement, Measurement, Measurement];
  const ratio = two.seconds / one.seconds;
  console.log(
    `${stacks.files} stacks x ${stacks.size} resources  ${(bytes / 1e6).toFixed(0)} MB  ` +
      `--jobs 1 ${one.seconds.toFixed(2)} s  --jobs 2 ${two.seconds.toFixed(2)} s  ratio ${ratio.toFixed(2)}x  ` +
      `peak RSS ${(one.peakRss / 1e6).toFixed(0)} MB / ${(two.peakRss / 1e6).toFixed(0)} MB (${os.availableParallelism()} cores)`,
  );
  console.log(
    `for scale: two --jobs 1 processes, half of the files each, at the same time: ${split.seconds.toFixed(2)} s, ` +
      `${(split.seconds / one.seconds).toFixed(2)}x the time of --jobs 1 (this machine's split of the same work, no pool)`,
  );
  console.log(`target: ${stacks.files} stacks with --jobs 2 <= 0.65x the time of --jobs 1: ${ratio.toFixed(2)}x`);
  if (ratio > 0.65) failures.push(`--jobs 2 ratio above 0.65x (${ratio.toFixed(2)}x)`);
  if (fs.readFileSync(outputs[0]!, "utf8") !== fs.readFileSync(outputs[1]!, "utf8")) failures.push("--jobs 1 and --jobs 2 reports differ");
}

/**
 * A state backend's stacks (`audit --backend`): `stacks` checkpoints of `size` resources, laid out as
 * `pulumi login` leaves them (`.pulumi/stacks/<project>/<stack>.json`), once in a directory and once in a
 * container of a real Azure Blob storage emulator (Azurite, on 127.0.0.1), audited through `file://` and
 * `azblob://` in turns. Both reports must be identical. No target: the figure says what listing and
 * fetching each stack over HTTP costs against reading local files (Azurite on the same 2 cores as the
 * audit; a real storage account adds the network's latency, a few stacks fetched ahead of the audits).
 */
async function benchBackend(dir: string, config: string, stacks: { files: number; size: number }, failures: string[]): Promise<void> {
  const root = path.join(dir, "state");
  const text = JSON.stringify(generateStackExport(stacks.size));
  const blobs: { key: string; body: string }[] = [];
  for (let i = 0; i < stacks.files; i++) {
    const project = `azs-${i % 10}`;
    const stack = `stamp-${String(i).padStart(4, "0")}`;
    const exported = JSON.parse(text.replaceAll("urn:pulumi:bench::", `urn:pulumi:${stack}::`)) as { version: number; deployment: unknown };
    // The checkpoint envelope a diy backend stores (apitype.VersionedCheckpoint).
    const body = JSON.stringify({ version: exported.version, checkpoint: { stack, latest: exported.deployment } });
    blobs.push({ key: `.pulumi/stacks/${project}/${stack}.json`, body });
    fs.mkdirSync(path.join(root, ".pulumi", "stacks", project), { recursive: true });
    fs.writeFileSync(path.join(root, ".pulumi", "stacks", project, `${stack}.json`), body);
  }
  const bytes = blobs.reduce((sum, b) => sum + Buffer.byteLength(b.body), 0);
  const azurite = await startAzurite();
  try {
    const container = new BlobServiceClient(azurite.serviceUrl, new StorageSharedKeyCredential(AZURITE_ACCOUNT, AZURITE_KEY)).getContainerClient("state");
    await container.create();
    for (let i = 0; i < blobs.length; i += 16) {
      await Promise.all(blobs.slice(i, i + 16).map((b) => container.getBlockBlobClient(b.key).uploadData(Buffer.from(b.body))));
    }
    const outputs = ["file", "azblob"].map((kind) => path.join(dir, `backend-${kind}.json`));
    const command = (url: string, output: string): string[] => ["bin/bridgeguard.js", "audit", "--backend", url, "--config", config, "--format", "json", "--output", output];
    const [local, blob] = (await measureInTurns([
      () => runOnce(command(`file://${root}`, outputs[0]!)),
      () => runOnce(command("azblob://state", outputs[1]!), azurite.env),
    ])) as [Measurement, Measurement];
    const ratio = blob.seconds / local.seconds;
    console.log(
      `backend: ${stacks.files} stacks x ${stacks.size} resources  ${(bytes / 1e6).toFixed(0)} MB  ` +
        `file:// ${times(local)}  azblob:// (Azurite) ${times(blob)}  ratio ${ratio.toFixed(2)}x wall (${(blob.cpuSeconds / local.cpuSeconds).toFixed(2)}x CPU)`,
    );
    const report = (file: string): unknown => JSON.parse(fs.readFileSync(file, "utf8"));
    if (JSON.stringify(report(outputs[0]!)) !== JSON.stringify(report(outputs[1]!))) failures.push("backend: the file:// and azblob:// reports differ");
  } finally {
    await azurite.stop();
  }
}

/**
 * The platform stack (bench/generate.ts): the healthy bridge path plus, per 1,000 resources, an application
 * firewall policy no firewall of the stack runs and 100 workload NSGs on their own subnets. With path
 * selection only the path's gates are evaluated. Targets: the audit at most 1.5x `JSON.parse` of the same
 * file at each size, exit 0, and its time growing at most linearly (10x for 10k -> 100k).
 */
async function benchPlatform(dir: string, sizes: readonly number[], failures: string[]): Promise<void> {
  const rows: { size: number; audit: Measurement }[] = [];
  for (const size of sizes) {
    const file = path.join(dir, `platform-${size}.json`);
    const bytes = writePlatformStack(file, size);
    const output = path.join(dir, `platform-${size}-report.json`);
    const [baseline, audit] = (await measureInTurns([
      () => runOnce(["-e", `JSON.parse(require("fs").readFileSync(${JSON.stringify(file)}, "utf8"))`]),
      () => runOnce(["bin/bridgeguard.js", "audit", file, "--config", EXAMPLE_CONFIG, "--format", "json", "--output", output]),
    ])) as [Measurement, Measurement];
    const report = JSON.parse(fs.readFileSync(output, "utf8")) as { summary: { errors: number; warnings: number }; path?: { leftOut: unknown[] } };
    const ratio = audit.cpuSeconds / baseline.cpuSeconds;
    rows.push({ size, audit });
    console.log(
      `platform stack ${String(size).padStart(7)} resources  ${(bytes / 1e6).toFixed(1).padStart(6)} MB  ` +
        `JSON.parse ${times(baseline)}  audit ${times(audit)}  ratio ${ratio.toFixed(2)}x CPU (${(audit.seconds / baseline.seconds).toFixed(2)}x wall)  ` +
        `(${report.summary.errors} errors, ${report.summary.warnings} warnings, ${report.path?.leftOut.length ?? 0} gates left out)`,
    );
    console.log(`target: platform stack at ${size} resources <= 1.5x JSON.parse of the same file (CPU time): ${ratio.toFixed(2)}x`);
    if (ratio > 1.5) failures.push(`platform stack ${size}: ratio above 1.5x (${ratio.toFixed(2)}x)`);
    if (report.summary.errors + report.summary.warnings > 0) failures.push(`platform stack ${size}: findings on a healthy path`);
  }
  const small = rows.find((r) => r.size === 10000);
  const large = rows.find((r) => r.size === 100000);
  if (small && large) {
    const growth = large.audit.cpuSeconds / small.audit.cpuSeconds;
    console.log(`target: platform stack audit CPU time 10k -> 100k grows <= 10x (linear): ${growth.toFixed(2)}x`);
    if (growth > 10) failures.push(`platform stack 10k -> 100k growth above 10x (${growth.toFixed(2)}x)`);
  }
}

/** Start-up: `bridgeguard --version` against `node -e 0`, in turns. Target: at most 1.5x. */
async function benchStartup(failures: string[]): Promise<void> {
  const [node, version] = (await measureInTurns([() => runOnce(["-e", "0"]), () => runOnce(["bin/bridgeguard.js", "--version"])])) as [Measurement, Measurement];
  const ratio = version.cpuSeconds / node.cpuSeconds;
  console.log(
    `start-up: node -e 0 ${(node.cpuSeconds * 1000).toFixed(0)} ms CPU (${(node.seconds * 1000).toFixed(0)} ms wall)  ` +
      `bridgeguard --version ${(version.cpuSeconds * 1000).toFixed(0)} ms CPU (${(version.seconds * 1000).toFixed(0)} ms wall)  ` +
      `ratio ${ratio.toFixed(2)}x CPU (${(version.seconds / node.seconds).toFixed(2)}x wall)`,
  );
  console.log(`target: bridgeguard --version <= 1.5x node -e 0 (CPU time): ${ratio.toFixed(2)}x`);
  if (ratio > 1.5) failures.push(`start-up ratio above 1.5x (${ratio.toFixed(2)}x)`);
}

/**
 * Peak RSS per byte of the worst inputs (docs/hostile-input.md's worst-case memory figure), against a real
 * export of the same size (the generator's, about 2.2 KB per resource) measured in the same run: the value
 * limit keeps the worst within a few times a real export.
 */
function benchWorst(dir: string, config: string, failures: string[]): void {
  const example = path.join(ROOT, "examples", "healthy-stamp.json");
  const audit = (file: string): Measurement =>
    runOnce(["bin/bridgeguard.js", "audit", file, "--config", config, "--format", "json", "--output", path.join(dir, "worst-report.json"), "--jobs", "1"]);
  const realFile = path.join(dir, "worst-baseline.json");
  const realBytes = writeStackExport(realFile, Math.round((WORST_MIB * 2 ** 20) / 2200));
  const real = audit(realFile);
  const realPerByte = real.peakRss / realBytes;
  console.log(`real export     ${(realBytes / 2 ** 20).toFixed(0)} MiB  audit ${times(real)}  peak RSS ${(real.peakRss / 1e6).toFixed(0)} MB = ${realPerByte.toFixed(1)}x file`);
  fs.rmSync(realFile, { force: true });
  let worst = 0;
  for (const kind of WORST_FILLERS) {
    const file = path.join(dir, `worst-${kind}.json`);
    const bytes = writeWorstExport(file, kind, WORST_MIB * 2 ** 20, example);
    const measured = audit(file);
    const perByte = measured.peakRss / bytes;
    worst = Math.max(worst, perByte);
    console.log(`worst input ${kind.padEnd(8)} ${(bytes / 2 ** 20).toFixed(0)} MiB  audit ${times(measured)}  peak RSS ${(measured.peakRss / 1e6).toFixed(0)} MB = ${perByte.toFixed(1)}x file`);
    fs.rmSync(file, { force: true });
  }
  const ratio = worst / realPerByte;
  console.log(`target: the worst input's peak RSS per byte <= 5x a real export's of the same size: ${ratio.toFixed(2)}x (${worst.toFixed(1)}x file)`);
  if (ratio > 5) failures.push(`worst input's memory per byte above 5x a real export's (${ratio.toFixed(2)}x)`);
}

async function main(): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "bridgeguard-bench-"));
  const config = path.join(dir, "bridgeguard.yaml");
  fs.writeFileSync(config, "cloud: AzureCloud\negress:\n  sourceAddresses: [203.0.113.0/27]\ntimeServer: 10.0.0.10\ndnsServers: [10.0.0.53]\n");
  const rows: { size: number; bytes: number; baseline: Measurement; audit: Measurement }[] = [];
  const failures: string[] = [];
  try {
    for (const size of SIZES) {
      const file = path.join(dir, `stack-${size}.json`);
      const bytes = writeStackExport(file, size);
      const baseline = measure(["-e", `JSON.parse(require("fs").readFileSync(${JSON.stringify(file)}, "utf8"))`]);
      const audit = measure(["bin/bridgeguard.js", "audit", file, "--config", config, "--format", "json", "--output", path.join(dir, "report.json")]);
      rows.push({ size, bytes, baseline, audit });
      console.log(
        `${String(size).padStart(7)} resources  ${(bytes / 1e6).toFixed(1).padStart(6)} MB  ` +
          `JSON.parse ${times(baseline)}  audit ${times(audit)}  ` +
          `ratio ${(audit.cpuSeconds / baseline.cpuSeconds).toFixed(2)}x CPU (${(audit.seconds / baseline.seconds).toFixed(2)}x wall)  peak RSS ${(audit.peakRss / bytes).toFixed(1)}x file ` +
          `(JSON.parse alone ${(baseline.peakRss / bytes).toFixed(1)}x)`,
      );
    }
    if (WORST_MIB > 0) benchWorst(dir, config, failures);
    if (STARTUP) await benchStartup(failures);
    if (PLATFORM.length > 0) await benchPlatform(dir, PLATFORM, failures);
    if (STACKS) await benchStacks(dir, config, STACKS, failures);
    if (BACKEND) await benchBackend(dir, config, BACKEND, failures);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
    fs.rmSync(rssFile, { force: true });
  }
  const largest = rows.find((r) => r.size === 100000);
  const tenK = rows.find((r) => r.size === 10000);
  if (largest) {
    const ratio = largest.audit.cpuSeconds / largest.baseline.cpuSeconds;
    console.log(`target: audit at 100k resources <= 3x JSON.parse of the same file (CPU time): ${ratio.toFixed(2)}x`);
    if (ratio > 3) failures.push("100k audit ratio above 3x");
  }
  if (largest && tenK) {
    const growth = largest.audit.cpuSeconds / tenK.audit.cpuSeconds;
    console.log(`target: audit CPU time 10k -> 100k grows <= 12x: ${growth.toFixed(2)}x`);
    if (growth > 12) failures.push("10k -> 100k growth above 12x");
  }
  if (failures.length) {
    console.error(`bench: missed targets: ${failures.join("; ")}`);
    process.exitCode = 1;
  }
}

main().catch((error: unknown) => {
  console.error(`bench: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 2;
});
