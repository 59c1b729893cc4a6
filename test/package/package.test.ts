/**
 * The npm package as a user gets it: `npm pack` (after the build), unpacked as
 * `node_modules/bridgeguard` of an empty project outside the repository, its dependencies (and the
 * optional peers a Pulumi user installs) linked from the repository's `node_modules`. Then the CLI
 * answers `--version`, a strict TypeScript consumer (no `skipLibCheck`) type-checks
 * `import { BridgeEgressRules } from "bridgeguard"`, and the pack starts from `node_modules/bridgeguard/policies`.
 */
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PackHarness, ROOT } from "../pack/harness";
import { linkDependencies } from "../pack/links";

const manifest = JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8")) as {
  version: string;
  dependencies: Record<string, string>;
  peerDependencies: Record<string, string>;
};
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "bg-package-"));
const project = path.join(tmp, "project");
const installed = path.join(project, "node_modules", "bridgeguard");
// A CLI user's install: the package with its dependencies and none of the optional peers.
const cliProject = path.join(tmp, "cli-only");
const cliInstalled = path.join(cliProject, "node_modules", "bridgeguard");

beforeAll(() => {
  const out = execFileSync("npm", ["pack", "--ignore-scripts", "--json", "--pack-destination", tmp], { cwd: ROOT, encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] });
  const tarball = path.join(tmp, (JSON.parse(out) as { filename: string }[])[0]!.filename);
  fs.mkdirSync(installed, { recursive: true });
  execFileSync("tar", ["-xzf", tarball, "-C", installed, "--strip-components=1"]);
  fs.writeFileSync(path.join(project, "package.json"), JSON.stringify({ name: "consumer", version: "1.0.0", private: true }));
  linkDependencies(project, [...Object.keys(manifest.dependencies), ...Object.keys(manifest.peerDependencies), "@types/node", "typescript"]);
  fs.mkdirSync(cliInstalled, { recursive: true });
  execFileSync("tar", ["-xzf", tarball, "-C", cliInstalled, "--strip-components=1"]);
  fs.writeFileSync(path.join(cliProject, "package.json"), JSON.stringify({ name: "cli-user", version: "1.0.0", private: true }));
  linkDependencies(cliProject, Object.keys(manifest.dependencies));
}, 120_000);

afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

describe("the npm package installed in an empty project", () => {
  it("holds the CLI, the pack, Pulumi.yaml, the report schema and the LICENSE, and no tsconfig in the pack", () => {
    for (const file of ["bin/bridgeguard.js", "dist/index.d.ts", "policies/bin/policies/index.js", "policies/PulumiPolicy.yaml", "Pulumi.yaml", "src/schemas/report.schema.json", "LICENSE"]) {
      expect(fs.existsSync(path.join(installed, file)), file).toBe(true);
    }
    expect(fs.existsSync(path.join(installed, "policies", "tsconfig.json"))).toBe(false);
  });

  it("runs bridgeguard --version", () => {
    const out = execFileSync(process.execPath, [path.join(installed, "bin", "bridgeguard.js"), "--version"], { cwd: project, encoding: "utf8" });
    expect(out.trim()).toContain(manifest.version);
  });

  it("type-checks import { BridgeEgressRules } from \"bridgeguard\" under strict, without skipLibCheck", () => {
    fs.writeFileSync(path.join(project, "index.ts"), 'import { BridgeEgressRules } from "bridgeguard";\nexport const component: typeof BridgeEgressRules = BridgeEgressRules;\n');
    const tsconfig = { compilerOptions: { strict: true, skipLibCheck: false, noEmit: true, module: "commonjs", moduleResolution: "node", target: "ES2022", types: ["node"] }, files: ["index.ts"] };
    fs.writeFileSync(path.join(project, "tsconfig.json"), JSON.stringify(tsconfig));
    const tsc = path.join(project, "node_modules", "typescript", "bin", "tsc");
    let output = "";
    try {
      execFileSync(process.execPath, [tsc, "-p", "tsconfig.json"], { cwd: project, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
    } catch (error) {
      output = String((error as { stdout?: string }).stdout ?? error);
    }
    expect(output).toBe("");
  }, 120_000);

  it("starts the pack from node_modules/bridgeguard/policies", async () => {
    const pack = await PackHarness.start(path.join(installed, "policies"), 60_000);
    try {
      expect(pack.info.name).toBe("bridgeguard");
      expect(pack.info.version).toBe(manifest.version);
      expect(pack.stderr()).toBe("");
    } finally {
      await pack.close();
    }
  }, 90_000);
});

describe("the npm package without its optional peers (a CLI-only install)", () => {
  it("runs bridgeguard --version", () => {
    const out = execFileSync(process.execPath, [path.join(cliInstalled, "bin", "bridgeguard.js"), "--version"], { cwd: cliProject, encoding: "utf8" });
    expect(out.trim()).toBe(manifest.version);
  });

  it("the verification program says in one line which peers to install", () => {
    // What Pulumi's Node language host does first: require the program's main (Pulumi.yaml -> dist/program).
    const script = `try { require(${JSON.stringify(path.join(cliInstalled, "dist", "program"))}); console.log("loaded"); } catch (e) { console.log(e.message); }`;
    const out = execFileSync(process.execPath, ["-e", script], { cwd: cliProject, encoding: "utf8" }).trim();
    expect(out).toBe(
      "bridgeguard: the verification program needs @pulumi/pulumi and @pulumi/azure-native, which a bridgeguard install does not bring: npm install @pulumi/pulumi @pulumi/azure-native",
    );
  });
});
