import * as fs from "node:fs";
import * as path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { fileShardIdentity, inShard, parseShard, shardOf } from "../../src/cli/shard";
import { checkpointOf } from "../backends/helpers";
import { tempDir } from "../input/helpers";
import { exampleConfig, healthy, misconfigured, ROOT, runCli } from "./run-cli";

/*
 * `audit --shard I/N` and `merge`: 13 stack exports (6 healthy, 6 misconfigured, and one whose findings are
 * on other resources, so other fingerprints) under stacks/, audited in
 * 3 shards, each shard's JSON report merged back. The merge must be the unsharded audit's report, and a
 * baseline created from the merge must hold for each shard.
 */
const SHARDS = 3;
let dir: string;
let out: string;
const json = (file: string): Record<string, unknown> & { stacks: { file: string }[]; findings: { fingerprint: string; baselineState?: string }[] } =>
  JSON.parse(fs.readFileSync(file, "utf8"));
const cwd = (): { cwd: string } => ({ cwd: dir });

// Each CLI run takes one to three seconds on a loaded 2-core machine: the tests that run several get time.
beforeAll(() => {
  dir = tempDir();
  out = tempDir();
  fs.mkdirSync(path.join(dir, "stacks", "east"), { recursive: true });
  for (let i = 1; i <= 6; i++) {
    fs.copyFileSync(healthy, path.join(dir, "stacks", `healthy-${i}.json`));
    fs.copyFileSync(misconfigured, path.join(dir, "stacks", "east", `misconfigured-${i}.json`));
  }
  fs.mkdirSync(path.join(dir, "stacks", "west"));
  fs.copyFileSync(path.join(ROOT, "test", "fixtures", "stack-export-v3.json"), path.join(dir, "stacks", "west", "v3.json"));
  for (let i = 1; i <= SHARDS; i++) {
    const run = runCli(["audit", "stacks", "--config", exampleConfig, "--shard", `${i}/${SHARDS}`, "--format", `json:${path.join(out, `shard-${i}.json`)}`], cwd());
    expect(run.status === 0 || run.status === 1, run.stderr).toBe(true);
  }
});

const shardFiles = (): string[] => Array.from({ length: SHARDS }, (_, i) => path.join(out, `shard-${i + 1}.json`));

describe("--shard I/N", () => {
  it("parses I/N and refuses anything else", () => {
    expect(parseShard("2/4")).toEqual({ index: 2, count: 4 });
    expect(parseShard("1/1")).toEqual({ index: 1, count: 1 });
    for (const bad of ["0/4", "5/4", "1/0", "-1/4", "1.5/4", "x", "1/", "/4", "1/10001"]) expect(() => parseShard(bad), bad).toThrow(/expected I\/N/);
  });

  it("a bad value: one line naming the option and what was expected, exit 2, nothing audited", () => {
    const run = runCli(["audit", "stacks", "--config", exampleConfig, "--shard", "4/3"], cwd());
    expect(run.status).toBe(2);
    expect(run.stdout).toBe("");
    expect(run.stderr.split("\n")[0]).toBe("error: option '--shard <I/N>' argument '4/3' is invalid. expected I/N, this run's share I of N shards, with 1 <= I <= N <= 10000 (such as 1/4)");
  });

  it("every input falls in exactly one shard, whatever the order of the inputs", () => {
    const names = Array.from({ length: 500 }, (_, i) => `project-${i % 7}/stack-${i}`);
    const shards = Array.from({ length: 5 }, (_, i) => inShard(names, { index: i + 1, count: 5 }, (n) => n));
    expect(shards.flat().sort()).toEqual([...names].sort());
    expect(shards.every((s) => s.length > 50)).toBe(true);
    const reversed = inShard([...names].reverse(), { index: 2, count: 5 }, (n) => n);
    expect(new Set(reversed)).toEqual(new Set(shards[1]));
  });

  it("a file's share comes from its path relative to the working directory, so any checkout agrees", () => {
    expect(fileShardIdentity(path.join(dir, "stacks", "east", "a.json"), dir)).toBe("stacks/east/a.json");
    expect(fileShardIdentity("./stacks/../stacks/a.json", dir)).toBe("stacks/a.json");
    // The same tree elsewhere (another machine's checkout), given as an absolute path: the same shares.
    const copy = tempDir();
    fs.cpSync(path.join(dir, "stacks"), path.join(copy, "stacks"), { recursive: true });
    const run = runCli(["audit", path.join(copy, "stacks"), "--config", exampleConfig, "--shard", `2/${SHARDS}`, "--format", "json"], { cwd: copy });
    const here = json(shardFiles()[1]!).stacks.map((s) => s.file);
    expect(JSON.parse(run.stdout).stacks.map((s: { file: string }) => path.relative(copy, s.file))).toEqual(here);
    expect(shardOf("stacks/east/misconfigured-1.json", SHARDS)).toBe(shardOf("stacks/east/misconfigured-1.json", SHARDS));
  });

  it("the shards' reports together hold every stack once, each marked with its shard", () => {
    const reports = shardFiles().map(json);
    expect(reports.map((r) => r.shard)).toEqual([1, 2, 3].map((index) => ({ index, count: SHARDS })));
    const files = reports.flatMap((r) => r.stacks.map((s) => s.file)).sort();
    expect(files).toHaveLength(13);
    expect(new Set(files).size).toBe(13);
  });

  it("a shard that holds no input reports no stack and exits 0", () => {
    const one = tempDir();
    fs.copyFileSync(misconfigured, path.join(one, "only.json"));
    const own = shardOf("only.json", 2);
    const empty = runCli(["audit", "only.json", "--config", exampleConfig, "--shard", `${3 - own}/2`, "--format", "json"], { cwd: one });
    expect(empty.status).toBe(0);
    expect(JSON.parse(empty.stdout)).toMatchObject({ stacks: [], findings: [], shard: { index: 3 - own, count: 2 } });
    expect(empty.stderr).toContain(`shard ${3 - own}/2 holds none of the inputs`);
    const full = runCli(["audit", "only.json", "--config", exampleConfig, "--shard", `${own}/2`, "--format", "json"], { cwd: one });
    expect(full.status).toBe(1);
    expect(JSON.parse(full.stdout).stacks.map((s: { file: string }) => s.file)).toEqual(["only.json"]);
  });

  it("shards a state backend's stacks by project/stack", () => {
    const state = tempDir();
    for (let i = 1; i <= 8; i++) {
      fs.mkdirSync(path.join(state, ".pulumi", "stacks", `p${i % 3}`), { recursive: true });
      fs.writeFileSync(path.join(state, ".pulumi", "stacks", `p${i % 3}`, `s${i}.json`), checkpointOf(healthy, `s${i}`));
    }
    const names = [1, 2].flatMap((i) => {
      const run = runCli(["audit", "--backend", `file://${state}`, "--config", exampleConfig, "--shard", `${i}/2`, "--format", "json"]);
      expect(run.status).toBe(0);
      const stacks = JSON.parse(run.stdout).stacks.map((s: { file: string }) => s.file) as string[];
      for (const name of stacks) expect(shardOf(name, 2)).toBe(i);
      return stacks;
    });
    expect(names.sort()).toEqual(Array.from({ length: 8 }, (_, i) => `p${(i + 1) % 3}/s${i + 1}`).sort());
  });
});

describe("bridgeguard merge", () => {
  it("the merged JSON report is the unsharded audit's (stacks in name order)", () => {
    const merged = runCli(["merge", ...shardFiles(), "--config", exampleConfig, "--format", "json"], cwd());
    expect(merged.status).toBe(1);
    const whole = runCli(["audit", "stacks", "--config", exampleConfig, "--format", "json"], cwd());
    const sortStacks = (r: { stacks: { file: string }[] }) => ({ ...r, stacks: [...r.stacks].sort((a, b) => a.file.localeCompare(b.file)) });
    expect(sortStacks(JSON.parse(merged.stdout))).toEqual(sortStacks(JSON.parse(whole.stdout)));
  });

  it("renders any format, each to its own file: SARIF with every shard's results, JUnit with a suite per stack", () => {
    const sarif = path.join(out, "merged.sarif");
    const junit = path.join(out, "merged.xml");
    const run = runCli(["merge", ...shardFiles(), "--config", exampleConfig, "--format", `sarif:${sarif}`, "--format", `junit:${junit}`, "--format", "text"], cwd());
    expect(run.status).toBe(1);
    expect(run.stdout).toMatch(/13\s+stacks/);
    const whole = JSON.parse(runCli(["audit", "stacks", "--config", exampleConfig, "--format", "sarif"], cwd()).stdout);
    const results = JSON.parse(fs.readFileSync(sarif, "utf8")).runs[0].results;
    expect(results.length).toBe(whole.runs[0].results.length);
    expect(results.map((r: { partialFingerprints: unknown }) => r.partialFingerprints)).toEqual(whole.runs[0].results.map((r: { partialFingerprints: unknown }) => r.partialFingerprints));
    expect(fs.readFileSync(junit, "utf8").match(/<testsuite /g)).toHaveLength(13);
  });

  it("a baseline created from the merged reports holds for each shard, and equals the unsharded audit's", () => {
    const fromMerge = path.join(out, "merged-baseline.json");
    const created = runCli(["merge", ...shardFiles(), "--config", exampleConfig, "--create-baseline", fromMerge, "--format", "json"], cwd());
    expect(created.status).toBe(0);
    expect(JSON.parse(created.stdout).findings.every((f: { baselineState: string }) => f.baselineState === "unchanged")).toBe(true);
    const fromAudit = path.join(out, "audit-baseline.json");
    expect(runCli(["audit", "stacks", "--config", exampleConfig, "--create-baseline", fromAudit, "--format", "json"], cwd()).status).toBe(0);
    expect(fs.readFileSync(fromMerge, "utf8")).toBe(fs.readFileSync(fromAudit, "utf8"));
    for (let i = 1; i <= SHARDS; i++) {
      const run = runCli(["audit", "stacks", "--config", exampleConfig, "--shard", `${i}/${SHARDS}`, "--baseline", fromMerge, "--format", "json"], cwd());
      expect(run.status, `shard ${i}`).toBe(0);
      const report = JSON.parse(run.stdout);
      expect(report.summary.errors).toBe(0);
      expect(report.findings.every((f: { baselineState: string }) => f.baselineState === "unchanged")).toBe(true);
    }
    // A baseline from the other shards does not hold for the shard of west/v3.json: its causes are new.
    const own = shardOf("stacks/west/v3.json", SHARDS);
    const others = [1, 2, 3].filter((i) => i !== own);
    const partial = path.join(out, "partial-baseline.json");
    const created2 = runCli(["audit", "stacks", "--config", exampleConfig, "--shard", `${others[0]}/${SHARDS}`, "--create-baseline", partial, "--format", "json"], cwd());
    expect(created2.status).toBe(0);
    const v3 = runCli(["audit", "stacks", "--config", exampleConfig, "--shard", `${own}/${SHARDS}`, "--baseline", partial, "--format", "json"], cwd());
    expect(v3.status).toBe(1);
    const fresh = JSON.parse(v3.stdout).findings.filter((f: { baselineState: string; file: string }) => f.baselineState === "new");
    expect(fresh.length).toBeGreaterThan(0);
    expect(new Set(fresh.map((f: { file: string }) => f.file))).toEqual(new Set(["stacks/west/v3.json"]));
  }, 120_000);

  it("a stack a shard could not audit: the merge writes no baseline, says why as the audit does, exit 2", () => {
    const partial = tempDir();
    fs.copyFileSync(misconfigured, path.join(partial, "good.json"));
    fs.writeFileSync(path.join(partial, "broken.json"), "{ not json");
    const report = path.join(out, "with-broken.json");
    const audit = runCli(["audit", "good.json", "broken.json", "--config", exampleConfig, "--format", `json:${report}`], { cwd: partial });
    expect(audit.status).toBe(2);
    const baseline = path.join(out, "never-written.json");
    const run = runCli(["merge", report, "--config", exampleConfig, "--create-baseline", baseline, "--format", "json"], { cwd: partial });
    expect(run.status).toBe(2);
    expect(run.stderr).toContain(`${baseline}: baseline not written: 1 input file(s) could not be audited, and their findings would be missing from it`);
    expect(fs.existsSync(baseline)).toBe(false);
    const merged = JSON.parse(run.stdout);
    expect(merged.summary).toEqual(json(report).summary);
  }, 60_000);

  it("shards that ran with --baseline: the merge counts what they accepted, and gates as the audit does", () => {
    const accepted = path.join(out, "accept-all.json");
    expect(runCli(["audit", "stacks", "--config", exampleConfig, "--create-baseline", accepted, "--format", "json"], cwd()).status).toBe(0);
    const measured = [1, 2, 3].map((i) => {
      const file = path.join(out, `measured-${i}.json`);
      runCli(["audit", "stacks", "--config", exampleConfig, "--shard", `${i}/${SHARDS}`, "--baseline", accepted, "--format", `json:${file}`], cwd());
      return file;
    });
    const merged = runCli(["merge", ...measured, "--config", exampleConfig, "--format", "json"], cwd());
    expect(merged.status).toBe(0);
    const whole = JSON.parse(runCli(["audit", "stacks", "--config", exampleConfig, "--baseline", accepted, "--format", "json"], cwd()).stdout);
    expect(JSON.parse(merged.stdout).summary).toEqual(whole.summary);
    expect(whole.summary.baselined).toBeGreaterThan(0);
    // The same findings, gated on warnings with none active: still exit 0; without the baseline, exit 1.
    expect(runCli(["merge", ...measured, "--config", exampleConfig, "--fail-on", "warning", "--format", "json"], cwd()).status).toBe(0);
    expect(runCli(["merge", ...shardFiles(), "--config", exampleConfig, "--fail-on", "warning", "--format", "json"], cwd()).status).toBe(1);
  }, 120_000);

  it("a missing shard, a shard given twice, shards of another count: one line each, exit 2", () => {
    const [one, two, three] = shardFiles() as [string, string, string];
    const missing = runCli(["merge", one, three, "--config", exampleConfig]);
    expect(missing.status).toBe(2);
    expect(missing.stderr).toBe("bridgeguard: shard 2/3 missing: give the JSON report of every shard\n");
    const twice = runCli(["merge", one, two, three, one, "--config", exampleConfig]);
    expect(twice.status).toBe(2);
    expect(twice.stderr).toContain("shard.index: shard 1/3 is also");
    const other = path.join(out, "other-count.json");
    runCli(["audit", "stacks", "--config", exampleConfig, "--shard", "1/2", "--format", `json:${other}`], cwd());
    const mixed = runCli(["merge", one, two, three, other, "--config", exampleConfig]);
    expect(mixed.status).toBe(2);
    expect(mixed.stderr).toMatch(/other-count\.json: shard\.count: shard 1\/2, but .*shard-1\.json is of 3 shards/);
  }, 60_000);

  it("a file that is not a bridgeguard audit report: one line naming the file and the path inside it, exit 2", () => {
    const bad = path.join(out, "bad.json");
    const report = json(shardFiles()[0]!);
    fs.writeFileSync(bad, JSON.stringify({ ...report, summary: { ...(report.summary as object), errors: "many" } }));
    const run = runCli(["merge", bad, "--no-config"]);
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(/^bridgeguard: .*bad\.json: summary\.errors: .*expected a bridgeguard JSON report/);
    expect(run.stderr.trim().split("\n")).toHaveLength(1);
    const stack = runCli(["merge", misconfigured, "--no-config"]);
    expect(stack.status).toBe(2);
    expect(stack.stderr).toMatch(/misconfigured-stamp\.json: .*expected a bridgeguard JSON report/);
    const output = runCli(["merge", bad, "--no-config", "--format", `json:${bad}`]);
    expect(output.status).toBe(2);
    expect(fs.readFileSync(bad, "utf8")).toContain('"many"');
  });
});
