import * as fs from "node:fs";
import * as path from "node:path";
import * as zlib from "node:zlib";
import { beforeAll, describe, expect, it } from "vitest";
import { selectStacks } from "../../src/cli/backend-audit";
import { fileBackend } from "../../src/input/backends/file";
import { writeWorstExport } from "../../bench/generate";
import { exampleConfig, healthy, misconfigured, runCli } from "../cli/run-cli";
import { expectNoCrash, runCli as runCliAsync } from "../hostile/cli";
import { tempDir } from "../input/helpers";
import { checkpointOf } from "./helpers";

/*
 * A self-managed backend directory as `pulumi login file://DIR` leaves it (pkg/backend/diy/store.go): the
 * project layout with a plain and a gzipped stack, the files Pulumi itself skips (.bak, gocloud's .attrs,
 * history and backups), an older project-less stack, and one corrupt stack.
 */
let dir: string;
beforeAll(() => {
  dir = tempDir();
  const stacks = path.join(dir, ".pulumi", "stacks");
  fs.mkdirSync(path.join(stacks, "azs-border"), { recursive: true });
  fs.writeFileSync(path.join(stacks, "azs-border", "prod.json"), checkpointOf(healthy, "prod"));
  fs.writeFileSync(path.join(stacks, "azs-border", "lab.json.gz"), zlib.gzipSync(checkpointOf(misconfigured, "lab")));
  fs.writeFileSync(path.join(stacks, "azs-border", "prod.json.bak"), "not json");
  fs.writeFileSync(path.join(stacks, "azs-border", "prod.json.attrs"), "{}");
  fs.writeFileSync(path.join(stacks, "old.json"), checkpointOf(healthy, "old"));
  fs.mkdirSync(path.join(dir, ".pulumi", "history", "azs-border", "prod"), { recursive: true });
  fs.writeFileSync(path.join(dir, ".pulumi", "history", "azs-border", "prod", "prod-1.checkpoint.json"), checkpointOf(misconfigured, "prod"));
  fs.mkdirSync(path.join(stacks, "broken"), { recursive: true });
  fs.writeFileSync(path.join(stacks, "broken", "dev.json"), "{ \"version\": 3, ");
});

describe("file:// backend", () => {
  it("lists project/stack for the project layout, stack for the older one; skips .bak, .attrs and history", async () => {
    const names = (await fileBackend(`file://${dir}`).list()).map((s) => s.name);
    expect(names).toEqual(["azs-border/lab", "azs-border/prod", "broken/dev", "old"]);
  });

  it("--stack globs select by project/stack, or by stack name in any project", async () => {
    const stacks = await fileBackend(`file://${dir}`).list();
    expect(selectStacks(stacks, ["azs-border/*"]).map((s) => s.name)).toEqual(["azs-border/lab", "azs-border/prod"]);
    expect(selectStacks(stacks, ["prod", "old"]).map((s) => s.name)).toEqual(["azs-border/prod", "old"]);
  });

  it("audits each stack as project/stack; a corrupt stack is an error of that stack only (exit 2)", () => {
    const run = runCli(["audit", "--backend", `file://${dir}`, "--config", exampleConfig, "--format", "json"]);
    expect(run.status).toBe(2);
    const report = JSON.parse(run.stdout);
    expect(report.stacks.map((s: { file: string }) => s.file)).toEqual(["azs-border/lab", "azs-border/prod", "broken/dev", "old"]);
    const broken = report.stacks.find((s: { file: string }) => s.file === "broken/dev");
    expect(broken.error).toMatch(/^broken\/dev:1:\d+: invalid JSON/);
    expect(run.stderr).toContain("broken/dev");
    // The gzipped misconfigured stack has findings, the healthy ones none.
    const files = new Set(report.findings.map((f: { file: string }) => f.file));
    expect(files).toEqual(new Set(["azs-border/lab"]));
    // The same findings as the export it came from.
    const direct = JSON.parse(runCli(["audit", misconfigured, "--config", exampleConfig, "--format", "json", "--soft-fail"]).stdout);
    expect(report.findings.filter((f: { file: string }) => f.file === "azs-border/lab").map((f: { fingerprint: string }) => f.fingerprint).sort()).toEqual(
      direct.findings.map((f: { fingerprint: string }) => f.fingerprint).sort(),
    );
  });

  it("with --stack: only the selected stacks; a glob that selects nothing is bad usage", () => {
    const run = runCli(["audit", "--backend", `file://${dir}`, "--stack", "azs-border/prod", "--config", exampleConfig, "--format", "json"]);
    expect(run.status).toBe(0);
    expect(JSON.parse(run.stdout).stacks.map((s: { file: string }) => s.file)).toEqual(["azs-border/prod"]);
    const none = runCli(["audit", "--backend", `file://${dir}`, "--stack", "nope-*"]);
    expect(none.status).toBe(2);
    expect(none.stderr).toContain("no stack matches --stack nope-*");
  });

  it("a directory with no Pulumi state: one line, exit 2", () => {
    const run = runCli(["audit", "--backend", `file://${tempDir()}`]);
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(/no Pulumi state here/);
    expect(run.stderr.trim().split("\n")).toHaveLength(1);
  });

  it("a stack too large for the heap: one line naming project/stack, exit 2; the other stacks are audited", async () => {
    // The worst filler the value limit lets through (test/hostile/memory.test.ts), 8 MiB of it as a
    // checkpoint, next to a healthy stack, under a heap far too small for it.
    const backend = tempDir();
    const stacks = path.join(backend, ".pulumi", "stacks", "azs-border");
    fs.mkdirSync(stacks, { recursive: true });
    writeWorstExport(path.join(stacks, "big.json"), "objects", 8 * 2 ** 20, healthy, { stack: "big" });
    fs.writeFileSync(path.join(stacks, "prod.json"), checkpointOf(healthy, "prod"));
    const run = await runCliAsync(["audit", "--backend", `file://${backend}`, "--config", exampleConfig, "--format", "json"], {
      env: { NODE_OPTIONS: "--max-old-space-size=24" },
      timeoutMs: 60_000,
    });
    expectNoCrash(run, "backend stack out of memory");
    expect(run.status).toBe(2);
    expect(run.stderr.trim().split("\n")).toEqual([expect.stringMatching(/^bridgeguard: azs-border\/big: out of memory: auditing it needs more than the \d+ MB heap limit/)]);
    const report = JSON.parse(run.stdout) as { stacks: { file: string; error?: string }[]; summary: { resources: number } };
    expect(report.stacks.map((s) => s.file)).toEqual(["azs-border/big", "azs-border/prod"]);
    expect(report.stacks[0]!.error).toMatch(/out of memory/);
    expect(report.stacks[1]!.error).toBeUndefined();
    expect(report.summary.resources).toBe(6);
    fs.rmSync(backend, { recursive: true, force: true });
  });
});
