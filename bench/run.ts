/**
 * `npm run bench`: audit time and memory against a baseline measured in the same run (reading and
 * JSON.parse-ing the same file), at 1k, 10k and 100k resources. Targets are checked as ratios.
 */
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { writeStackExport } from "./generate";

const ROOT = path.resolve(__dirname, "..", "..");
const RSS_PRELOAD = path.join(__dirname, "rss.js");
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const SIZES = (process.env.BENCH_SIZES ?? "1000,10000,100000").split(",").map(Number);

interface Measurement {
  seconds: number;
  peakRss: number;
}

function measure(args: string[]): Measurement {
  const rssFile = path.join(os.tmpdir(), `bridgeguard-bench-rss-${process.pid}`);
  const times: number[] = [];
  let peakRss = 0;
  for (let run = 0; run < RUNS; run++) {
    const start = process.hrtime.bigint();
    const result = spawnSync(process.execPath, ["--require", RSS_PRELOAD, ...args], {
      cwd: ROOT,
      env: { ...process.env, BENCH_RSS_FILE: rssFile, NO_COLOR: "1" },
      encoding: "utf8",
      maxBuffer: 1 << 30,
    });
    const seconds = Number(process.hrtime.bigint() - start) / 1e9;
    if (result.status !== 0 && result.status !== 1) {
      throw new Error(`${args.join(" ")} exited ${result.status}: ${result.stderr.slice(0, 500)}`);
    }
    times.push(seconds);
    peakRss = Math.max(peakRss, Number(fs.readFileSync(rssFile, "utf8")));
  }
  times.sort((a, b) => a - b);
  return { seconds: times[Math.floor(times.length / 2)]!, peakRss };
}

function main(): void {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "bridgeguard-bench-"));
  const config = path.join(dir, "bridgeguard.yaml");
  fs.writeFileSync(config, "cloud: AzureCloud\negress:\n  sourceAddresses: [203.0.113.0/27]\ntimeServer: 10.0.0.10\ndnsServers: [10.0.0.53]\n");
  const rows: { size: number; bytes: number; baseline: Measurement; audit: Measurement }[] = [];
  try {
    for (const size of SIZES) {
      const file = path.join(dir, `stack-${size}.json`);
      const bytes = writeStackExport(file, size);
      const baseline = measure(["-e", `JSON.parse(require("fs").readFileSync(${JSON.stringify(file)}, "utf8"))`]);
      const audit = measure(["bin/bridgeguard.js", "audit", file, "--config", config, "--format", "json", "--output", path.join(dir, "report.json")]);
      rows.push({ size, bytes, baseline, audit });
      console.log(
        `${String(size).padStart(7)} resources  ${(bytes / 1e6).toFixed(1).padStart(6)} MB  ` +
          `JSON.parse ${baseline.seconds.toFixed(2)} s  audit ${audit.seconds.toFixed(2)} s  ` +
          `ratio ${(audit.seconds / baseline.seconds).toFixed(2)}x  peak RSS ${(audit.peakRss / bytes).toFixed(1)}x file ` +
          `(JSON.parse alone ${(baseline.peakRss / bytes).toFixed(1)}x)`,
      );
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
  const failures: string[] = [];
  const largest = rows.find((r) => r.size === 100000);
  const tenK = rows.find((r) => r.size === 10000);
  if (largest) {
    const ratio = largest.audit.seconds / largest.baseline.seconds;
    console.log(`target: audit at 100k resources <= 3x JSON.parse of the same file: ${ratio.toFixed(2)}x`);
    if (ratio > 3) failures.push("100k audit ratio above 3x");
  }
  if (largest && tenK) {
    const growth = largest.audit.seconds / tenK.audit.seconds;
    console.log(`target: audit time 10k -> 100k grows <= 12x: ${growth.toFixed(2)}x`);
    if (growth > 12) failures.push("10k -> 100k growth above 12x");
  }
  if (failures.length) {
    console.error(`bench: missed targets: ${failures.join("; ")}`);
    process.exitCode = 1;
  }
}

main();
