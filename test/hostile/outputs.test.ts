/**
 * What bridgeguard writes, against what it reads (issue: hostile input, round two, items 1 and 2; the CLI
 * conventions of the reports issue): no output may name an input, compared by identity (hard and symbolic
 * links too); reports, baselines and `policy-config` are written whole or not at all (a failed write under
 * `ulimit -f 0`, writers racing, a kill); `audit -` reads stdin, `--output -` is stdout; several reports
 * in one run with `--format FORMAT[:FILE]`; `bridgeguard.yaml` found in the working directory or a parent
 * up to the repository root, and named.
 */
import { spawn, spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { ROOT, tempDir } from "./helpers";

const BIN = path.join(ROOT, "bin", "bridgeguard.js");
const EXPORT = path.join(ROOT, "examples", "misconfigured-stamp.json");
const CONFIG = path.join(ROOT, "examples", "bridgeguard.yaml");
const dir = tempDir("bridgeguard-outputs-");
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

interface Result {
  status: number | null;
  stdout: string;
  stderr: string;
}

function cli(args: string[], options: { cwd?: string; stdin?: number | string; shell?: string } = {}): Result {
  const env = { ...process.env };
  delete env.FORCE_COLOR;
  delete env.NO_COLOR;
  const quoted = [process.execPath, BIN, ...args].map((a) => `'${a.replace(/'/g, "'\\''")}'`).join(" ");
  const result = options.shell
    ? spawnSync("bash", ["-c", `${options.shell}; exec ${quoted}`], { cwd: options.cwd ?? dir, env, encoding: "utf8" })
    : spawnSync(process.execPath, [BIN, ...args], {
        cwd: options.cwd ?? dir,
        env,
        encoding: "utf8",
        ...(typeof options.stdin === "number" ? { stdio: [options.stdin, "pipe", "pipe"] } : { input: options.stdin ?? "" }),
      });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** A fresh directory with the example export `s.json` and configuration `c.yaml`. */
function workspace(name: string): string {
  const ws = path.join(dir, name);
  fs.mkdirSync(ws, { recursive: true });
  fs.copyFileSync(EXPORT, path.join(ws, "s.json"));
  fs.copyFileSync(CONFIG, path.join(ws, "c.yaml"));
  return ws;
}

function expectRefused(result: Result, mentions: RegExp): void {
  expect(result.status, result.stderr).toBe(2);
  expect(result.stdout).toBe("");
  const lines = result.stderr.trimEnd().split("\n");
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatch(mentions);
}

describe("no output names an input (compared by identity, not by name)", () => {
  const ws = workspace("identity");
  const original = fs.readFileSync(path.join(ws, "s.json"));
  const configText = fs.readFileSync(path.join(ws, "c.yaml"));
  fs.linkSync(path.join(ws, "s.json"), path.join(ws, "hard.json"));
  fs.symlinkSync("s.json", path.join(ws, "link.json"));
  fs.mkdirSync(path.join(ws, "stacks"));
  fs.copyFileSync(EXPORT, path.join(ws, "stacks", "a.json"));
  fs.writeFileSync(path.join(ws, "ca.pem"), "-----BEGIN CERTIFICATE-----\nMA==\n-----END CERTIFICATE-----\n");

  afterAll(() => {
    // Whatever was tried, the inputs are as they were.
    expect(fs.readFileSync(path.join(ws, "s.json")).equals(original)).toBe(true);
    expect(fs.readFileSync(path.join(ws, "c.yaml")).equals(configText)).toBe(true);
  });

  it.each([
    ["--output naming the export", ["audit", "s.json", "--output", "s.json"], /^bridgeguard: s\.json: --output names an input of this run, the audited file: refusing to overwrite it/],
    ["--output naming it another way", ["audit", "s.json", "--output", "./stacks/../s.json"], /--output names an input of this run, the audited file \(the same file as s\.json\)/],
    ["--output naming a hard link to it", ["audit", "s.json", "--output", "hard.json"], /hard\.json: --output names an input of this run, the audited file \(the same file as s\.json\)/],
    ["--output naming a symbolic link to it", ["audit", "s.json", "--output", "link.json"], /link\.json: --output names an input/],
    ["--output naming --config", ["audit", "s.json", "--config", "c.yaml", "--output", "c.yaml"], /c\.yaml: --output names an input of this run, the --config file/],
    ["--output naming --baseline", ["audit", "s.json", "--baseline", "s.json", "--output", "hard.json"], /--output names an input of this run/],
    ["--format sarif:FILE naming the export", ["audit", "s.json", "--format", "sarif:link.json"], /link\.json: --format sarif:FILE names an input/],
    ["--create-baseline naming the export", ["audit", "s.json", "--create-baseline", "hard.json"], /hard\.json: --create-baseline names an input/],
    ["--create-baseline naming --config", ["audit", "s.json", "-c", "c.yaml", "--create-baseline", "c.yaml"], /c\.yaml: --create-baseline names an input of this run, the --config file/],
    ["--output naming a file a directory reaches", ["audit", "stacks", "--output", "stacks/a.json"], /stacks\/a\.json: --output names an input of this run, the audited file/],
    ["--output naming a file a glob reaches", ["audit", "stacks/*.json", "--format", "junit:stacks/a.json"], /--format junit:FILE names an input/],
    ["policy-config --output naming its --config", ["policy-config", "--config", "c.yaml", "--output", "./c.yaml"], /c\.yaml: --output names an input of this run, the --config file/],
    ["endpoints --output naming its --config", ["endpoints", "--config", "c.yaml", "--output", "c.yaml"], /--output names an input/],
    ["probe --output naming --ca-file", ["probe", "--ca-file", "ca.pem", "--output", "ca.pem", "--only", "x"], /ca\.pem: --output names an input of this run, the --ca-file file/],
    ["probe --output naming --config", ["probe", "--config", "c.yaml", "--output", "c.yaml"], /c\.yaml: --output names an input of this run, the --config file/],
    ["two reports into one file", ["audit", "s.json", "--format", "json:r.json", "--format", "sarif:./r.json"], /r\.json: --format sarif:FILE names the file --format json:FILE already writes/],
  ])("%s: exit 2, one line, nothing written", (_what, args, message) => {
    expectRefused(cli(args, { cwd: ws }), message);
    expect(fs.existsSync(path.join(ws, "r.json"))).toBe(false);
  });

  it("standard input redirected from a file is an input too", () => {
    const fd = fs.openSync(path.join(ws, "s.json"), "r");
    try {
      expectRefused(cli(["audit", "-", "--output", "hard.json"], { cwd: ws, stdin: fd }), /hard\.json: --output names an input/);
    } finally {
      fs.closeSync(fd);
    }
  });

  it("the configuration or baseline in an audited directory is read, not audited", () => {
    const own = path.join(ws, "own");
    fs.mkdirSync(own);
    fs.copyFileSync(EXPORT, path.join(own, "a.json"));
    // Creating a baseline accepts every finding it writes: exit 0.
    expect(cli(["audit", "own", "--create-baseline", "baseline.json"], { cwd: ws }).status).toBe(0);
    fs.renameSync(path.join(ws, "baseline.json"), path.join(own, "baseline.json"));
    const run = cli(["audit", "own", "--baseline", "own/baseline.json", "--format", "json"], { cwd: ws });
    expect(run.stderr).toBe("");
    expect((JSON.parse(run.stdout) as { stacks: { file: string }[] }).stacks.map((s) => s.file)).toEqual(["own/a.json"]);
  });
});

describe("outputs are written whole or not at all", () => {
  it("a failed write (ulimit -f 0: EFBIG) leaves the previous report, names the file and the cause in words", () => {
    const ws = workspace("efbig");
    const report = path.join(ws, "report.txt");
    fs.writeFileSync(report, "the previous good report\n");
    const run = cli(["audit", "s.json", "--output", "report.txt"], { cwd: ws, shell: "ulimit -f 0" });
    expect(run.status).toBe(2);
    expect(run.stderr).toBe("bridgeguard: report.txt: cannot write the report: file too large (the file size limit, ulimit -f, was reached) (EFBIG)\n");
    expect(fs.readFileSync(report, "utf8")).toBe("the previous good report\n");
    // No temporary file is left beside it.
    expect(fs.readdirSync(ws).sort()).toEqual(["c.yaml", "report.txt", "s.json"]);
  });

  it("the same for --create-baseline and policy-config --output", () => {
    const ws = workspace("efbig-2");
    fs.writeFileSync(path.join(ws, "baseline.json"), "previous baseline\n");
    fs.writeFileSync(path.join(ws, "policy.json"), "previous policy config\n");
    const baseline = cli(["audit", "s.json", "--create-baseline", "baseline.json"], { cwd: ws, shell: "ulimit -f 0" });
    expect(baseline.stderr).toMatch(/^bridgeguard: baseline\.json: cannot write the baseline: file too large .*\(EFBIG\)$/m);
    expect(fs.readFileSync(path.join(ws, "baseline.json"), "utf8")).toBe("previous baseline\n");
    const policy = cli(["policy-config", "-c", "c.yaml", "--output", "policy.json"], { cwd: ws, shell: "ulimit -f 0" });
    expect(policy.status).toBe(2);
    expect(policy.stderr).toMatch(/^bridgeguard: policy\.json: cannot write the policy pack configuration: file too large/);
    expect(fs.readFileSync(path.join(ws, "policy.json"), "utf8")).toBe("previous policy config\n");
  });

  it("a write error names the cause in words, not a bare code", () => {
    const run = cli(["audit", EXPORT, "--output", path.join(dir, "no-such-dir", "r.txt")]);
    expect(run.stderr).toMatch(/r\.txt: cannot write the report: no such file or directory \(its directory does not exist\) \(ENOENT\)\n$/);
  });

  it("five runs writing one --output at once, and runs killed while writing, leave one whole report", async () => {
    const ws = workspace("race");
    const report = path.join(ws, "report.json");
    const expected = cli(["audit", "s.json", "--format", "json", "--output", "report.json"], { cwd: ws });
    expect(expected.status).toBe(1);
    const whole = fs.readFileSync(report, "utf8");
    const start = (): ReturnType<typeof spawn> => spawn(process.execPath, [BIN, "audit", "s.json", "--format", "json", "--output", "report.json"], { cwd: ws, stdio: "ignore" });
    let seen = 0;
    const watcher = setInterval(() => {
      // A reader at any moment sees the whole report, never an empty or mixed one.
      expect(fs.readFileSync(report, "utf8")).toBe(whole);
      seen++;
    }, 2);
    try {
      const racing = Array.from({ length: 5 }, start);
      // Killed at staggered moments, some of them while writing.
      const killed = Array.from({ length: 5 }, (_, i) => {
        const child = start();
        setTimeout(() => child.kill("SIGKILL"), 200 + i * 80);
        return child;
      });
      await Promise.all([...racing, ...killed].map((child) => new Promise((resolve) => child.on("close", resolve))));
    } finally {
      clearInterval(watcher);
    }
    expect(seen).toBeGreaterThan(10);
    expect(fs.readFileSync(report, "utf8")).toBe(whole);
  }, 60_000);

  it("writes through a symbolic link, keeping the link, and keeps the file's permissions", () => {
    const ws = workspace("symlink");
    fs.mkdirSync(path.join(ws, "reports"));
    fs.writeFileSync(path.join(ws, "reports", "real.txt"), "old\n", { mode: 0o640 });
    fs.chmodSync(path.join(ws, "reports", "real.txt"), 0o640);
    fs.symlinkSync("reports/real.txt", path.join(ws, "latest.txt"));
    expect(cli(["audit", "s.json", "--output", "latest.txt"], { cwd: ws }).status).toBe(1);
    expect(fs.lstatSync(path.join(ws, "latest.txt")).isSymbolicLink()).toBe(true);
    expect(fs.readFileSync(path.join(ws, "reports", "real.txt"), "utf8")).toMatch(/errors, \d+ warnings/);
    expect(fs.statSync(path.join(ws, "reports", "real.txt")).mode & 0o777).toBe(0o640);
  });
});

describe("CI conventions: stdin, stdout, several reports, the configuration found", () => {
  it("audit - reads standard input; its findings and errors name it (stdin)", () => {
    const run = cli(["audit", "-", "--format", "json"], { stdin: fs.readFileSync(EXPORT, "utf8") });
    expect(run.status).toBe(1);
    const report = JSON.parse(run.stdout) as { findings: { file?: string }[]; summary: { errors: number } };
    expect(report.summary.errors).toBeGreaterThan(0);
    const bad = cli(["audit", "-"], { stdin: "{" });
    expectRefused(bad, /^bridgeguard: \(stdin\):1:2: invalid JSON/);
  });

  it("--output - is stdout", () => {
    const ws = workspace("dash");
    const run = cli(["audit", "s.json", "--format", "json", "--output", "-"], { cwd: ws });
    expect(run.status).toBe(1);
    expect(JSON.parse(run.stdout)).toHaveProperty("findings");
    expect(fs.existsSync(path.join(ws, "-"))).toBe(false);
    const policy = cli(["policy-config", "--no-config", "--output", "-"], { cwd: ws });
    expect(JSON.parse(policy.stdout)).toHaveProperty("BG201");
    expect(fs.existsSync(path.join(ws, "-"))).toBe(false);
  });

  it("--format text --format sarif:FILE --format junit:FILE: text on stdout, the others in their files", () => {
    const ws = workspace("multi");
    const run = cli(["audit", "s.json", "-c", "c.yaml", "--format", "text", "--format", "sarif:out/bridgeguard.sarif", "--format", "junit:junit.xml"], { cwd: ws });
    // out/ does not exist: nothing is half written, and it says why.
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(/out\/bridgeguard\.sarif: cannot write the report: no such file or directory/);
    fs.mkdirSync(path.join(ws, "out"));
    const ok = cli(["audit", "s.json", "-c", "c.yaml", "--format", "text", "--format", "sarif:out/bridgeguard.sarif", "--format", "junit:junit.xml"], { cwd: ws });
    expect(ok.status).toBe(1);
    expect(ok.stdout).toMatch(/\d+ errors, \d+ warnings/);
    expect((JSON.parse(fs.readFileSync(path.join(ws, "out", "bridgeguard.sarif"), "utf8")) as { version: string }).version).toBe("2.1.0");
    expect(fs.readFileSync(path.join(ws, "junit.xml"), "utf8")).toMatch(/^<\?xml/);
    // A format without a file goes to --output.
    const mixed = cli(["audit", "s.json", "--format", "json", "--format", "markdown:r.md", "--output", "r.json"], { cwd: ws });
    expect(mixed.stdout).toBe("");
    expect(JSON.parse(fs.readFileSync(path.join(ws, "r.json"), "utf8"))).toHaveProperty("findings");
    expect(fs.readFileSync(path.join(ws, "r.md"), "utf8")).toMatch(/^#/m);
  });

  it("bad combinations are usage errors", () => {
    expectRefused(cli(["audit", EXPORT, "--format", "text", "--format", "json"]), /only one report can go to stdout: give the others a file \(--format json:FILE\)/);
    expectRefused(cli(["audit", EXPORT, "--format", "json:a.json", "--output", "b.json"]), /--output b\.json: every --format names its own file/);
    expect(cli(["audit", EXPORT, "--format", "yaml:a.yaml"]).status).toBe(2);
    expect(cli(["audit", EXPORT, "--format", "json:"]).status).toBe(2);
  });

  it("bridgeguard.yaml in the working directory, or a parent up to the repository root, is used and named", () => {
    const repo = path.join(dir, "repo");
    fs.mkdirSync(path.join(repo, ".git"), { recursive: true });
    fs.mkdirSync(path.join(repo, "stacks", "prod"), { recursive: true });
    // A bridgeguard.yaml above the repository root is never used.
    fs.writeFileSync(path.join(dir, "bridgeguard.yaml"), "cloud: nonsense\n");
    fs.copyFileSync(EXPORT, path.join(repo, "stacks", "prod", "s.json"));
    const cwd = path.join(repo, "stacks", "prod");
    const without = cli(["audit", "s.json", "--format", "json"], { cwd });
    expect(without.stderr).toBe("");
    const withoutReport = JSON.parse(without.stdout) as { summary: { errors: number } };

    fs.copyFileSync(CONFIG, path.join(repo, "bridgeguard.yaml"));
    const found = cli(["audit", "s.json", "--format", "json"], { cwd });
    expect(found.stderr).toBe("bridgeguard: using the configuration ../../bridgeguard.yaml (found in a parent directory; --config FILE or --no-config to choose)\n");
    const explicit = cli(["audit", "s.json", "--format", "json", "--config", CONFIG], { cwd });
    expect(found.stdout).toBe(explicit.stdout);
    expect(found.stdout).not.toBe(without.stdout);
    expect((JSON.parse(found.stdout) as { summary: { errors: number } }).summary.errors).not.toBe(withoutReport.summary.errors);

    const skipped = cli(["audit", "s.json", "--format", "json", "--no-config"], { cwd });
    expect(skipped.stderr).toBe("");
    expect(skipped.stdout).toBe(without.stdout);

    fs.copyFileSync(CONFIG, path.join(cwd, "bridgeguard.yaml"));
    expect(cli(["policy-config"], { cwd }).stderr).toMatch(/^bridgeguard: using the configuration bridgeguard\.yaml \(found in the working directory;/);
    // The found file is an input like --config: no output may replace it.
    const refused = cli(["audit", "s.json", "--output", "bridgeguard.yaml"], { cwd });
    expect(refused.status).toBe(2);
    expect(refused.stderr).toMatch(/\nbridgeguard: bridgeguard\.yaml: --output names an input of this run, the --config file: refusing to overwrite it; write to another file\n$/);
  });
});
