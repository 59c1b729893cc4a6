/**
 * Many stacks: which files an `audit` argument means (files, directories, globs), and the worker pool that
 * audits them: same results as the main thread, in input order, one bad file not hiding the others.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { auditFiles, auditOneFile, auditInputBytes, defaultJobs, startAuditPool, type AuditSource, type FileAudit } from "../../src/cli/audit-pool";
import { MIN_BYTES_PER_VALUE, worstAuditMemory, worstCountedMemory, WORST_MEMORY_PER_BYTE } from "../../src/input/value-budget";
import { selectStacks } from "../../src/cli/backend-audit";
import { expandInputs, inputGlob, splitGlob, walk } from "../../src/cli/inputs";
import { loadConfig } from "../../src/engine/config";
import { exampleConfig, healthy, misconfigured, ROOT } from "../cli/run-cli";
import { checkpointOf } from "../backends/helpers";
import { errorOf } from "./helpers";

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "bg-org-inputs-"));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

function put(relative: string, text = "{}"): string {
  const file = path.join(dir, relative);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, text);
  return file;
}


describe("expandInputs", () => {
  const tree = path.join(dir, "tree");
  for (const file of ["b.json", "a.json", "sub/c.json", "sub/deeper/d.JSON", "notes.txt", ".hidden.json", ".git/e.json", "node_modules/f.json"]) put(`tree/${file}`);

  it("a directory: every *.json below it, recursively, in name order; hidden entries and node_modules skipped", () => {
    expect(expandInputs([tree])).toEqual(["a.json", "b.json", "sub/c.json", "sub/deeper/d.JSON"].map((f) => `${tree}/${f}`));
  });

  it("a glob: the files it matches below its base; * stays in one directory, ** goes down", () => {
    expect(expandInputs([`${tree}/*.json`])).toEqual([`${tree}/a.json`, `${tree}/b.json`]);
    expect(expandInputs([`${tree}/**/*.json`])).toEqual([`${tree}/a.json`, `${tree}/b.json`, `${tree}/sub/c.json`]);
    expect(expandInputs([`${tree}/{a,sub/c}.json`])).toEqual([`${tree}/a.json`, `${tree}/sub/c.json`]);
    expect(expandInputs([`${tree}/su?/*.json`])).toEqual([`${tree}/sub/c.json`]);
  });

  it("a glob's base directory is the path up to its first segment with a glob character", () => {
    expect(splitGlob("./stacks/**/*.json")).toEqual({ base: "./stacks", glob: "**/*.json" });
    expect(splitGlob("/abs/eu/prod-*.json")).toEqual({ base: "/abs/eu", glob: "prod-*.json" });
    expect(splitGlob("/*.json")).toEqual({ base: "/", glob: "*.json" });
    expect(splitGlob("*.json")).toEqual({ base: "", glob: "*.json" });
    expect(splitGlob("a/{b/c,d}/*.json")).toEqual({ base: "a", glob: "{b/c,d}/*.json" });
    // Relative to the working directory: the pattern's own first segment.
    expect(expandInputs(["*.json"], {}).every((f) => !f.includes("/"))).toBe(true);
  });

  it("hidden names: a wildcard never matches a leading dot; `.x` in the pattern does", () => {
    expect(inputGlob("*.json").match(".hidden.json")).toBe(false);
    expect(inputGlob("**/*.json").match(".git/e.json")).toBe(false);
    expect(inputGlob(".hidden.json").match(".hidden.json")).toBe(true);
  });

  it("a hostile file name cannot make a glob backtrack: `*-*-*-*-*-legacy.json` against 600 characters, and a real file", () => {
    const name = `${"a-".repeat(299)}bb`;
    expect(name).toHaveLength(600);
    expect(inputGlob("*-*-*-*-*-legacy.json").match(name)).toBe(false);
    expect(inputGlob("*-*-*-*-*-legacy.json").match(`${name}-legacy.json`)).toBe(true);
    // On disk a name is at most 255 bytes: picomatch took 3 s on this one (241 characters), and minutes on longer names.
    const hostile = path.join(dir, "hostile");
    put(`hostile/${"a-".repeat(120)}b.json`);
    put("hostile/prod-eu-west-1-b-legacy.json");
    expect(expandInputs([`${hostile}/*-*-*-*-*-legacy.json`])).toEqual([`${hostile}/prod-eu-west-1-b-legacy.json`]);
  });

  it("--stack globs: the same matcher over project/stack, and a 600-character stack name", () => {
    const name = `${"a-".repeat(299)}bb`;
    const stacks = [`azs-border/${name}`, "azs-border/prod-eu-west-1-b-legacy", name].map((n) => ({ name: n, read: () => Promise.resolve(Buffer.alloc(0)) }));
    expect(selectStacks(stacks, ["*-*-*-*-*-legacy"]).map((s) => s.name)).toEqual(["azs-border/prod-eu-west-1-b-legacy"]);
    expect(selectStacks(stacks, ["azs-*/*-*-*-*-*-legacy"]).map((s) => s.name)).toEqual(["azs-border/prod-eu-west-1-b-legacy"]);
    // `*` stays within the project or the stack name.
    expect(selectStacks(stacks, ["*"]).map((s) => s.name)).toEqual(stacks.map((s) => s.name));
    expect(selectStacks(stacks, ["*-legacy/*"])).toEqual([]);
    expect(errorOf(() => selectStacks(stacks, [`${"{a,".repeat(40)}b${"}".repeat(40)}`]))).toMatch(/^--stack \{a,.*: expected a glob .*braces nested more than 32 deep$/);
  });

  it("files, directories and globs mix; a file named twice is audited once, in first-seen order", () => {
    expect(expandInputs([`${tree}/b.json`, `${tree}/sub`, `${tree}/*.json`])).toEqual([`${tree}/b.json`, `${tree}/sub/c.json`, `${tree}/sub/deeper/d.JSON`, `${tree}/a.json`]);
  });

  it("a file is taken as it is, whatever its name; a missing one is left to the audit to report", () => {
    expect(expandInputs([`${tree}/notes.txt`, `${tree}/missing.json`])).toEqual([`${tree}/notes.txt`, `${tree}/missing.json`]);
  });

  it("skips the files the command itself writes or reads when they sit in a directory or match a glob", () => {
    expect(expandInputs([tree], { exclude: [`${tree}/a.json`, undefined] })).not.toContain(`${tree}/a.json`);
    expect(expandInputs([`${tree}/*.json`], { exclude: [`${tree}/b.json`] })).toEqual([`${tree}/a.json`]);
    // Named explicitly, it is audited.
    expect(expandInputs([`${tree}/a.json`], { exclude: [`${tree}/a.json`] })).toEqual([`${tree}/a.json`]);
  });

  it("a directory without .json files and a glob that matches nothing are errors naming them", () => {
    const empty = path.join(dir, "empty");
    fs.mkdirSync(empty);
    expect(errorOf(() => expandInputs([empty]))).toBe(`${empty}: is a directory with no .json file in it (expected stack exports or ARM JSON)`);
    expect(errorOf(() => expandInputs([`${tree}/*.yaml`]))).toBe(`${tree}/*.yaml: the pattern matches no file`);
  });

  it("walk: bounded depth, no symlinked directories", () => {
    expect(walk(tree, 1)).toEqual(["a.json", "b.json", "notes.txt"]);
    fs.symlinkSync(path.join(tree, "sub"), path.join(tree, "loop"));
    fs.symlinkSync(path.join(tree, "a.json"), path.join(tree, "link.json"));
    expect(walk(tree)).toContain("link.json");
    expect(walk(tree).some((f) => f.startsWith("loop/"))).toBe(false);
  });
});

describe("the audit pool", () => {
  const config = loadConfig(exampleConfig);
  const workerScript = path.join(ROOT, "dist", "cli", "audit-worker.js");
  const broken = put("pool/broken.json", '{\n  "version": 3,\n  "deployment": {,\n}');
  const files = [healthy, misconfigured, broken, misconfigured, path.join(dir, "pool", "missing.json")];
  const strip = (results: FileAudit[]) => JSON.parse(JSON.stringify(results)) as FileAudit[];

  it("runs on worker threads (the built worker) with the same results as the main thread, in input order", async () => {
    expect(fs.existsSync(workerScript)).toBe(true);
    const inline = await auditFiles(files, config, { jobs: 1 });
    const pooled = await auditFiles(files, config, { jobs: 2, workerScript });
    expect(strip(pooled)).toEqual(strip(inline));
    expect(inline.map((r) => r.ok)).toEqual([true, true, false, true, false]);
    expect(inline.map((r) => r.file)).toEqual(files);
  });

  it("a bad file is an error entry naming it; the others still have their findings", async () => {
    const results = await auditFiles(files, config, { jobs: 3, workerScript });
    const bad = results[2]!;
    expect(bad.ok).toBe(false);
    expect(!bad.ok && bad.error).toMatch(/broken\.json:3:\d+: invalid JSON/);
    expect(!results[4]!.ok && results[4]!.error).toMatch(/missing\.json: file not found/);
    const good = results[1]!;
    expect(good.ok && good.findings.length).toBeGreaterThan(5);
    expect(good.ok && good.resources).toBe(6);
  });

  it("without a built worker (TypeScript sources), audits on the main thread", async () => {
    const results = await auditFiles([healthy], config, { jobs: 4, workerScript: path.join(dir, "no-such-worker.js") });
    expect(results).toEqual([auditOneFile(healthy, config)]);
  });

  it("a worker that dies takes down only the file it was on; the pool replaces it", async () => {
    const script = put(
      "pool/crashing-worker.js",
      `const { parentPort } = require("node:worker_threads");
       parentPort.on("message", (task) => {
         if (task.kind !== "task") return;
         if (task.input.file.includes("boom")) process.exit(7);
         setTimeout(() => parentPort.postMessage({ index: task.index, result: { file: task.input.file, ok: true, findings: [], resources: 1, endpoints: 0 } }), 5);
       });`,
    );
    const names = ["a", "b", "boom", "c", "d", "e", "f"].map((n) => `${n}.json`);
    const results = await auditFiles(names, config, { jobs: 2, workerScript: script });
    expect(results.map((r) => r.file)).toEqual(names);
    expect(results.filter((r) => !r.ok).map((r) => r.file)).toEqual(["boom.json"]);
    expect(!results[2]!.ok && results[2]!.error).toBe("boom.json: internal error: worker exited with code 7");
  });

  it("backend stacks: a few fetched ahead at most, their bytes transferred (not copied) to the workers, results in listing order", async () => {
    const bodies = Array.from({ length: 30 }, (_, i) => Buffer.from(checkpointOf(i % 3 === 0 ? misconfigured : healthy, `s${i}`)));
    const handed: Buffer[] = [];
    const waiting: (() => void)[] = [];
    const sources: AuditSource[] = bodies.map((body, i) => ({
      kind: "stack",
      name: `azs-border/s${i}`,
      // Each fetch ends when the test says so: a copy the pool may keep or hand over.
      read: () =>
        new Promise<Buffer>((resolve) => {
          const bytes = Buffer.from(body);
          handed.push(bytes);
          waiting.push(() => resolve(bytes));
        }),
    }));
    const pool = startAuditPool(sources, { jobs: 2, workerScript });
    try {
      const results = pool.audit(config);
      await new Promise((resolve) => setTimeout(resolve, 50));
      // Nothing fetched has been audited yet: the pool holds a few stacks, not all 30.
      expect(handed.length).toBeGreaterThan(1);
      expect(handed.length).toBeLessThanOrEqual(8);
      // Fetches end in reverse order, a batch at a time, until every stack has been fetched.
      while (handed.length < bodies.length || waiting.length > 0) {
        for (const end of waiting.splice(0).reverse()) end();
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      const audited = await results;
      expect(audited.map((r) => r.file)).toEqual(sources.map((s) => (s.kind === "stack" ? s.name : s.file)));
      expect(strip(audited)).toEqual(strip(bodies.map((body, i) => auditInputBytes(`azs-border/s${i}`, body, config))));
      // Each stack's memory went to a worker: the buffers the backend handed over are detached.
      expect(pool.workersStarted).toBe(2);
      expect(handed.every((bytes) => bytes.byteLength === 0)).toBe(true);
    } finally {
      pool.close();
    }
  });

  it("the counted worst case: never below the per-byte worst at the density limit, far below it for a real export", () => {
    // At the density limit (one value per MIN_BYTES_PER_VALUE bytes), the measured per-byte worst case still holds.
    for (const bytes of [1e6, 64 * 2 ** 20, 256 * 2 ** 20]) {
      expect(worstCountedMemory(bytes, bytes / MIN_BYTES_PER_VALUE)).toBeGreaterThanOrEqual(WORST_MEMORY_PER_BYTE * bytes);
    }
    // A real export (the 100,000-resource platform stack has a value every 31 bytes): about 11 bytes per byte.
    const real = worstCountedMemory(146e6, 146e6 / 31);
    expect(real / 146e6).toBeLessThan(11);
    expect(real).toBeLessThan(worstAuditMemory(146e6));
  });

  it("defaults to the machine's cores", () => {
    expect(defaultJobs()).toBe(os.availableParallelism());
  });
});
