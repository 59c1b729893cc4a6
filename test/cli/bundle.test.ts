/**
 * The CLI as bin/bridgeguard.js runs it: the bundle the build makes (dist/bundle/cli.js), compiled from its
 * code cache (src/cli/load-bundle.ts). The bundle must say exactly what the modules of dist/cli say, and
 * the cache must be one a plain `node` of this version takes, or start-up is as slow as before.
 */
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { exampleConfig, healthy, misconfigured, ROOT } from "./run-cli";

const loader = path.join(ROOT, "dist", "cli", "load-bundle.js");
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "bridgeguard-bundle-"));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

/** Runs `main` from `from` ("bundle" or "modules") in a child `node`, with `args`; its exit code and stdout. */
function run(from: "bundle" | "modules", args: readonly string[], env: NodeJS.ProcessEnv = process.env): { status: number | null; stdout: string } {
  const load =
    from === "bundle" ? `require(${JSON.stringify(loader)}).runBundle(require(${JSON.stringify(loader)}).CLI_BUNDLE).exports.main` : `require(${JSON.stringify(path.join(ROOT, "dist", "cli", "main.js"))}).main`;
  const result = spawnSync(process.execPath, ["-e", `${load}(process.argv).then((code) => { process.exitCode = code; })`, "--", "bridgeguard", ...args], {
    cwd: ROOT,
    encoding: "utf8",
    env,
  });
  return { status: result.status, stdout: result.stdout };
}

describe("the bundled CLI", () => {
  it("is what bin/bridgeguard.js loads, and a plain node takes its code cache", () => {
    const probe = `const l = require(${JSON.stringify(loader)}); const b = l.runBundle(l.CLI_BUNDLE); console.log(JSON.stringify({ cached: b.cached, main: typeof b.exports.main }))`;
    const result = spawnSync(process.execPath, ["-e", probe], { encoding: "utf8" });
    expect(JSON.parse(result.stdout)).toEqual({ cached: true, main: "function" });
  });

  it("reports the examples exactly as the modules of dist/cli do, in every format, with the same exit code", () => {
    for (const format of ["json", "text", "markdown", "sarif", "junit", "github"]) {
      const outputs = (["bundle", "modules"] as const).map((from) => {
        const file = path.join(tmp, `${from}.${format}`);
        const { status } = run(from, ["audit", healthy, misconfigured, "--config", exampleConfig, "--format", format, "--output", file, "--jobs", "1"]);
        return { status, report: fs.readFileSync(file, "utf8") };
      });
      expect(outputs[0]!.status, format).toBe(1);
      expect(outputs[0], format).toEqual(outputs[1]);
    }
  }, 60_000);

  it("loads only the command it runs: an audit loads none of the probe's modules (Node's TLS and DNS)", () => {
    const builtins = (args: readonly string[]): string[] => {
      const preload = path.join(tmp, "builtins.js");
      fs.writeFileSync(preload, `process.on("exit", () => require("node:fs").writeSync(2, "@@" + JSON.stringify(process.moduleLoadList)));\n`);
      const result = spawnSync(process.execPath, ["--require", preload, path.join(ROOT, "bin", "bridgeguard.js"), ...args], { cwd: ROOT, encoding: "utf8" });
      return JSON.parse(result.stderr.slice(result.stderr.lastIndexOf("@@") + 2)) as string[];
    };
    const audit = builtins(["audit", healthy, "--config", exampleConfig, "--format", "json", "--output", path.join(tmp, "only.json")]);
    expect(audit).toContain("NativeModule worker_threads");
    expect(audit).not.toContain("NativeModule tls");
    expect(audit).not.toContain("NativeModule dns");
    // The help lists every command, so it loads them all.
    expect(builtins(["--help"])).toContain("NativeModule tls");
  });

  it("still runs when V8 rejects the cache (other flags): compiled from source, the same report", () => {
    const env = { ...process.env, NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ""} --max-old-space-size=512`.trim() };
    const rejected = spawnSync(process.execPath, ["-e", `const l = require(${JSON.stringify(loader)}); console.log(l.runBundle(l.CLI_BUNDLE).cached)`], { encoding: "utf8", env });
    expect(rejected.stdout.trim()).toBe("false");
    const bundled = run("bundle", ["audit", misconfigured, "--config", exampleConfig, "--format", "json"], env);
    const modules = run("modules", ["audit", misconfigured, "--config", exampleConfig, "--format", "json"]);
    expect(bundled.status).toBe(1);
    expect(bundled.stdout).toBe(modules.stdout);
  }, 30_000);
});
