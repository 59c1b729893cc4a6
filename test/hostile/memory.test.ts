/**
 * Memory: an export full of empty objects cost about 35 bytes of memory per byte of input (16 MiB: 592 MB,
 * 7 s of garbage collection), and running out of memory aborted the process with V8's fatal heap message
 * and a native stack (exit 134). Now a JSON input may have at most one value (`{`, `[`, `,`) per 8 bytes on
 * average (src/input/value-budget.ts), checked before JSON.parse; and an audit whose worst case could
 * come near the heap limit runs on a worker thread, so that running out of memory is one line naming the
 * file (exit 2), the other files still audited; one that fits the heap many times over runs on the main
 * thread. The memory the worst input under these limits takes is measured by `npm run bench`
 * (docs/hostile-input.md).
 */
import * as fs from "node:fs";
import * as path from "node:path";
import fc from "fast-check";
import { afterAll, describe, expect, it } from "vitest";
import { writePlatformStack, writeWorstExport } from "../../bench/generate";
import { countAll, excessValues, FREE_VALUES, maxValues, MIN_BYTES_PER_VALUE, worstAuditMemory, worstCountedMemory } from "../../src/input/value-budget";
import { expectNoCrash, expectOneLineError, runCli } from "./cli";
import { FUZZ_RUNS, ROOT, tempDir } from "./helpers";

const dir = tempDir();
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const HEALTHY = path.join(ROOT, "examples", "healthy-stamp.json");
const CONFIG = path.join(ROOT, "examples", "bridgeguard.yaml");

/** A byte-at-a-time count of `{`, `[` and `,` outside strings: what the fast counts must agree with. */
function naiveValues(bytes: Uint8Array): number {
  let n = 0;
  let inString = false;
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i];
    if (inString) {
      if (b === 0x5c) i++;
      else if (b === 0x22) inString = false;
    } else if (b === 0x22) inString = true;
    else if (b === 0x7b || b === 0x5b || b === 0x2c) n++;
  }
  return n;
}

describe("values per byte (src/input/value-budget.ts)", () => {
  it("real exports are far inside the limit: the examples and fixtures, pretty and compact", () => {
    const files = [HEALTHY, path.join(ROOT, "examples", "misconfigured-stamp.json"), path.join(ROOT, "test", "fixtures", "stack-export-v3.json")];
    for (const file of files) {
      const pretty = fs.readFileSync(file);
      const compact = Buffer.from(JSON.stringify(JSON.parse(pretty.toString("utf8"))));
      for (const bytes of [pretty, compact]) {
        expect(excessValues(bytes)).toBeUndefined();
        // Real exports have a value every 20 bytes or more: the limit of 8 leaves them a wide margin.
        expect(bytes.length / naiveValues(bytes)).toBeGreaterThan(2 * MIN_BYTES_PER_VALUE);
      }
    }
  });

  it("refuses a file of empty objects beyond the free allowance, and names the count", () => {
    const bytes = Buffer.from(`[${"{},".repeat(200_000)}{}]`);
    expect(excessValues(bytes)).toBe(naiveValues(bytes));
    expect(naiveValues(bytes)).toBeGreaterThan(maxValues(bytes.length));
    // Small files are never refused for density.
    const small = Buffer.from(`[${"{},".repeat(FREE_VALUES / 4)}{}]`);
    expect(excessValues(small)).toBeUndefined();
  });

  it("braces and commas inside strings do not count", () => {
    const text = Buffer.from(JSON.stringify({ description: "{[,".repeat(400_000), escaped: '\\",{'.repeat(100_000) }));
    expect(excessValues(text)).toBeUndefined();
  });

  it("property: the count is exact at any alignment (the word-at-a-time pass and the string-aware one)", () => {
    const alphabet = fc.constantFrom(..."{[,]}\"\\ a:0".split(""));
    fc.assert(
      fc.property(fc.array(alphabet, { minLength: 0, maxLength: 300 }), fc.nat(7), (chars, offset) => {
        // Dense enough to be over the limit, at every offset into a larger buffer.
        const body = Buffer.from("{".repeat(FREE_VALUES + 8) + chars.join(""));
        const backing = Buffer.alloc(body.length + 8);
        body.copy(backing, offset);
        const view = backing.subarray(offset, offset + body.length);
        const naive = naiveValues(view);
        expect(excessValues(view)).toBe(naive > maxValues(view.length) ? naive : undefined);
      }),
      { numRuns: FUZZ_RUNS ? Math.min(FUZZ_RUNS, 5000) : 200, seed: FUZZ_RUNS ? Date.now() : 0x3e3 },
    );
  });
});

describe("through the built CLI", () => {
  it("an export full of empty objects: one line naming the file and the density, exit 2, before JSON.parse", async () => {
    const file = path.join(dir, "empty-objects.json");
    const stack = fs.readFileSync(HEALTHY, "utf8");
    fs.writeFileSync(file, stack.replace('"resources": [', `"resources": [${"{},".repeat(2_000_000)}`));
    const run = await runCli(["audit", file, "--config", CONFIG], { timeoutMs: 30_000 });
    expectOneLineError(run, "empty objects", new RegExp(`^bridgeguard: ${file.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}: expected at most one JSON value per 8 bytes on average.*one per 1\\.\\d bytes`));
  });

  // The worst filler the value limit lets through, 8 MiB of it, under a heap far too small for it.
  const worst = path.join(dir, "worst-objects.json");
  const small = { NODE_OPTIONS: "--max-old-space-size=24" };

  it("out of memory auditing one file: one line naming it and the way out, exit 2, no V8 fatal message", async () => {
    writeWorstExport(worst, "objects", 8 * 2 ** 20, HEALTHY);
    const run = await runCli(["audit", worst, "--config", CONFIG, "--jobs", "1"], { env: small, timeoutMs: 60_000 });
    expectOneLineError(run, "out of memory, one file", /: out of memory: auditing it needs more than the \d+ MB heap limit \(raise it with NODE_OPTIONS=--max-old-space-size=<MB>/);
    expect(run.stderr).toContain(worst);
  });

  it("where an input is audited: the main thread when its counted worst case fits, else a worker (by name, or handed the bytes read)", async () => {
    // Node emits `worker` on the process for every worker thread it starts: a preload records them.
    const log = path.join(dir, "workers.log");
    const preload = path.join(dir, "count-workers.js");
    fs.writeFileSync(preload, `process.on("worker", () => require("node:fs").appendFileSync(${JSON.stringify(log)}, "started\\n"));\n`);
    const audit = async (file: string, nodeOptions: string): Promise<{ workers: number; report: unknown }> => {
      fs.rmSync(log, { force: true });
      const run = await runCli(["audit", file, "--config", CONFIG, "--format", "json", "--jobs", "1"], { env: { NODE_OPTIONS: `--require ${preload} ${nodeOptions}` }, timeoutMs: 60_000 });
      expectNoCrash(run, `${path.basename(file)} ${nodeOptions || "default heap"}`);
      expect(run.status).toBe(0);
      const workers = fs.existsSync(log) ? fs.readFileSync(log, "utf8").split("\n").filter(Boolean).length : 0;
      return { workers, report: JSON.parse(run.stdout) as unknown };
    };
    // A 4 MiB export: a value every 31 bytes, a counted worst case of about 45 MB.
    const medium = path.join(dir, "medium-export.json");
    const bytes = writePlatformStack(medium, 3_000);
    expect(bytes).toBeLessThan(5 * 2 ** 20);
    const counted = worstCountedMemory(bytes, countAll(fs.readFileSync(medium)));
    expect(counted).toBeGreaterThan(40 * 2 ** 20);
    expect(counted).toBeLessThan(worstAuditMemory(bytes));

    // Under the default heap, both on the main thread.
    const healthy = await audit(HEALTHY, "");
    expect(healthy.workers).toBe(0);
    const mediumHere = await audit(medium, "");
    expect(mediumHere.workers).toBe(0);
    // Under --max-old-space-size=24 (a heap of about 72 MB, about 33 MB free for one input's worst case):
    // the example's counted worst case (under 1 MB) fits, and it stays on the main thread; the medium
    // export's does not, so the bytes the main thread read and counted go to a worker; the 8 MiB worst
    // input is larger than any file whose worst case could fit, and goes to a worker unread.
    const healthySmall = await audit(HEALTHY, "--max-old-space-size=24");
    expect(healthySmall.workers).toBe(0);
    expect(healthySmall.report).toEqual(healthy.report);
    const mediumSmall = await audit(medium, "--max-old-space-size=24");
    expect(mediumSmall.workers).toBe(1);
    expect(mediumSmall.report).toEqual(mediumHere.report);
  });

  // A baseline and merge's shard reports are read on the main thread, with no worker to fall back on: one
  // whose worst case the heap left cannot hold is refused in one line (it ended in V8's fatal abort, 134).
  it("a --baseline or a shard report too large for the heap left: one line naming it and the way out, exit 2", async () => {
    const big = path.join(dir, "worst-baseline.json");
    writeWorstExport(big, "keys", 8 * 2 ** 20, HEALTHY);
    const tight = { NODE_OPTIONS: "--max-old-space-size=64" };
    const limit = /: expected at most [\d.]+ (KiB|MiB) here: a JSON file this large could take more than half of what is left of the \d+ MB heap limit \(raise it with NODE_OPTIONS=--max-old-space-size=<MB>/;
    const audit = await runCli(["audit", HEALTHY, "--config", CONFIG, "--baseline", big], { env: tight, timeoutMs: 60_000 });
    expectOneLineError(audit, "--baseline", limit);
    expect(audit.stderr).toContain(big);
    const merge = await runCli(["merge", big], { env: tight, timeoutMs: 60_000 });
    expectOneLineError(merge, "merge", limit);
  });

  it("a real baseline is read under the smallest heap (a small file is never refused for memory)", async () => {
    const baseline = path.join(dir, "real-baseline.json");
    const misconfigured = path.join(ROOT, "examples", "misconfigured-stamp.json");
    expectNoCrash(await runCli(["audit", misconfigured, "--config", CONFIG, "--create-baseline", baseline]), "create the baseline");
    expect(fs.existsSync(baseline)).toBe(true);
    const run = await runCli(["audit", misconfigured, "--config", CONFIG, "--baseline", baseline, "--format", "json"], { env: small, timeoutMs: 60_000 });
    expectNoCrash(run, "small heap, real baseline");
    expect(run.status).toBe(0);
    expect((JSON.parse(run.stdout) as { summary: { baselined: number } }).summary.baselined).toBeGreaterThan(0);
  });

  it("out of memory inside a --jobs worker: that file fails with its line, the others are audited", async () => {
    if (!fs.existsSync(worst)) writeWorstExport(worst, "objects", 8 * 2 ** 20, HEALTHY);
    const run = await runCli(["audit", HEALTHY, worst, path.join(ROOT, "examples", "misconfigured-stamp.json"), "--config", CONFIG, "--jobs", "2", "--format", "json"], {
      env: small,
      timeoutMs: 60_000,
    });
    expectNoCrash(run, "out of memory, --jobs 2");
    expect(run.status).toBe(2);
    expect(run.stderr.trim().split("\n")).toEqual([expect.stringMatching(new RegExp(`^bridgeguard: ${worst.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}: out of memory: `))]);
    const report = JSON.parse(run.stdout) as { stacks?: { file: string; error?: string }[]; summary: { resources: number; errors: number } };
    expect(report.summary.resources).toBe(12);
    expect(report.summary.errors).toBeGreaterThan(0);
  });
});
