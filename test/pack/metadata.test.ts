/**
 * The pack as data: what `getAnalyzerInfo` says (one policy per rule, names, levels, schemas), and the
 * pack's files (installable and publishable as Pulumi expects, starting from compiled JavaScript).
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { parse as parseYaml } from "yaml";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CONFIG_SCHEMA, loadConfig } from "../../src/engine/config";
import { PACK_CONFIG_KEYS, policyPackConfig } from "../../src/pack/config";
import { ALL_RULES } from "../../src/rules";
import { readVersion, TOOL_VERSION } from "../../src/version";
import { PACK_DIR, PackHarness, ROOT } from "./harness";

const POLICY_RULES = ALL_RULES.filter((r) => r.meta.scope === "resource" || r.meta.scope === "stack").map((r) => r.meta);
const rootManifest = JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8")) as { version: string; dependencies: Record<string, string>; peerDependencies?: Record<string, string> };
const packManifest = JSON.parse(fs.readFileSync(path.join(PACK_DIR, "package.json"), "utf8")) as {
  name: string;
  version: string;
  main: string;
  files: string[];
  dependencies: Record<string, string>;
  scripts?: Record<string, string>;
};

let pack: PackHarness;
beforeAll(async () => {
  pack = await PackHarness.start();
});
afterAll(async () => pack?.close());

describe("getAnalyzerInfo", () => {
  it("names the pack and carries the tool's version", () => {
    expect(pack.info.name).toBe("bridgeguard");
    expect(pack.info.version).toBe(rootManifest.version);
    expect(pack.info.version).toBe(TOOL_VERSION);
    expect(pack.info.supportsConfig).toBe(true);
    expect(pack.info.description).toMatch(/Azure Stack Hub usage reporting/);
  });

  it("has one policy per rule, named by the rule's id, in rule order", () => {
    expect(pack.info.policies.map((p) => p.name)).toEqual(POLICY_RULES.map((m) => m.id));
    for (const p of pack.info.policies) {
      expect(p.name).toMatch(/^[a-zA-Z0-9-_.]{1,100}$/);
      expect(p.name).not.toBe("all");
    }
    // `bridgeguard policy-config` keys its file by the same names, or the engine would reject it.
    expect(Object.keys(policyPackConfig(loadConfig()))).toEqual(pack.info.policies.map((p) => p.name));
  });

  it("takes type, level, severity, description, remediation and docs from the rule's metadata", () => {
    for (const meta of POLICY_RULES) {
      const p = pack.info.policies.find((x) => x.name === meta.id)!;
      expect(p.policyType, meta.id).toBe(meta.scope);
      expect(p.enforcementLevel, meta.id).toBe(meta.severity === "error" ? "mandatory" : "advisory");
      expect(p.severity, meta.id).toBe(meta.severity === "error" ? "high" : "medium");
      expect(p.description).toBe(meta.title);
      expect(p.displayName).toBe(`${meta.id}: ${meta.title}`);
      expect(p.remediationSteps.startsWith(meta.remediation)).toBe(true);
      expect(p.remediationSteps).toContain(`Documented remediation for ${meta.code}`);
      expect(p.url).toMatch(new RegExp(`docs/rules/${meta.id}\\.md$`));
      expect(fs.existsSync(path.join(ROOT, "docs", "rules", `${meta.id}.md`))).toBe(true);
      expect(p.tags).toEqual(expect.arrayContaining([meta.id, meta.code]));
    }
  });

  it("derives every policy's config schema from the engine's configuration schema", () => {
    // A tripwire, not a copy: a new key in the engine's schema must be decided on here (shared, or not).
    expect([...PACK_CONFIG_KEYS].sort()).toEqual(["cloud", "dnsServers", "egress", "failOn", "registration", "suppressions", "timeServer"]);
    for (const p of pack.info.policies) {
      const schema = p.configSchema!;
      expect(Object.keys(schema.properties).sort()).toEqual([...PACK_CONFIG_KEYS].sort());
      for (const key of PACK_CONFIG_KEYS) expect(schema.properties[key], `${p.name}.${key}`).toEqual((CONFIG_SCHEMA.properties as Record<string, unknown>)[key]);
      // Pulumi's own keys and the ones the pack must not carry.
      expect(schema.properties).not.toHaveProperty("enforcementLevel");
      expect(schema.properties).not.toHaveProperty("rules");
      expect(schema.properties).not.toHaveProperty("codes");
      expect(schema.properties).not.toHaveProperty("probe");
      expect(schema.required).toEqual([]);
    }
  });
});

describe("the pack's files", () => {
  it("PulumiPolicy.yaml declares the Node.js runtime and a description", () => {
    const manifest = parseYaml(fs.readFileSync(path.join(PACK_DIR, "PulumiPolicy.yaml"), "utf8")) as Record<string, unknown>;
    expect(manifest.runtime).toBe("nodejs");
    expect(String(manifest.description)).toMatch(/bridgeguard/);
  });

  it("package.json has its own name, the tool's version, and main pointing at compiled JavaScript", () => {
    expect(packManifest.name).toBe("bridgeguard-policies");
    expect(packManifest.version).toBe(rootManifest.version);
    expect(packManifest.main).toBe("bin/policies/index.js");
    expect(fs.existsSync(path.join(PACK_DIR, packManifest.main))).toBe(true);
    // npm pack (what `pulumi policy publish` uploads) must carry the build and the manifest.
    expect(packManifest.files).toEqual(expect.arrayContaining(["bin/", "PulumiPolicy.yaml"]));
    // A `prepare` script would run on `npm install` where the pack is installed, without the sources.
    expect(packManifest.scripts?.prepare).toBeUndefined();
  });

  it("depends on every package its compiled code requires, at the root's versions", () => {
    const required = new Set<string>();
    const walk = (dir: string) => {
      for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
        const file = path.join(dir, entry.name);
        if (entry.isDirectory()) walk(file);
        else if (entry.name.endsWith(".js")) {
          for (const m of fs.readFileSync(file, "utf8").matchAll(/require\("([^".][^"]*)"\)/g)) {
            const spec = m[1]!;
            if (spec.startsWith("node:")) continue;
            required.add(spec.startsWith("@") ? spec.split("/").slice(0, 2).join("/") : spec.split("/")[0]!);
          }
        }
      }
    };
    walk(path.join(PACK_DIR, "bin"));
    expect(required.size).toBeGreaterThan(0);
    for (const name of required) {
      expect(packManifest.dependencies[name], `policies/package.json lacks ${name}`).toBeDefined();
      // The Pulumi SDKs are optional peers of the root package (a CLI install does without them).
      expect(packManifest.dependencies[name], name).toBe(rootManifest.dependencies[name] ?? rootManifest.peerDependencies?.[name]);
    }
    // The compiled pack reaches nothing outside policies/: the engine sources are compiled into bin/src.
    expect(fs.existsSync(path.join(PACK_DIR, "bin", "src", "engine", "run.js"))).toBe(true);
  });

  it("reads its version from its own package.json wherever the engine code is compiled to", () => {
    expect(readVersion(path.join(PACK_DIR, "bin", "src"))).toBe(packManifest.version);
    expect(readVersion(path.join(ROOT, "dist"))).toBe(rootManifest.version);
    expect(readVersion(path.join(ROOT, "src"))).toBe(rootManifest.version);
  });
});

describe("the pack's documentation and CI examples", () => {
  const doc = fs.readFileSync(path.join(ROOT, "docs", "policy-pack.md"), "utf8");

  it("lists every policy with its rule, code, type and default level", () => {
    for (const meta of POLICY_RULES) {
      const level = meta.severity === "error" ? "mandatory" : "advisory";
      expect(doc, meta.id).toContain(`| \`${meta.id}\` | \`${meta.slug}\` | \`${meta.code}\` | ${meta.scope} | ${level} |`);
    }
  });

  it("has a GitHub Actions workflow and an Azure Pipelines job that preview with the pack and upload the audit's SARIF", () => {
    for (const name of ["github-actions.yml", "azure-pipelines.yml"]) {
      const text = fs.readFileSync(path.join(ROOT, "examples", "ci", name), "utf8");
      const parsed = parseYaml(text) as Record<string, unknown>;
      expect(parsed, name).toBeTypeOf("object");
      expect(parsed.pr ?? (parsed.on as Record<string, unknown>)?.pull_request, name).toBeDefined();
      expect(text).toMatch(/bridgeguard policy-config --config bridgeguard\.yaml --output policy-config\.json/);
      expect(text).toMatch(/pulumi preview [^\n]*(\\\n[^\n]*)*--policy-pack [^\n]*/);
      expect(text).toContain("--policy-pack-config");
      // The audit's SARIF: from the merge of the sharded audit's reports (test/ci/examples.test.ts has the rest).
      expect(text).toMatch(/bridgeguard merge [^\n]*(\\\n[^\n]*)*--format "?sarif:\S+/);
    }
    expect(fs.readFileSync(path.join(ROOT, "examples", "ci", "github-actions.yml"), "utf8")).toContain("github/codeql-action/upload-sarif");
    expect(fs.readFileSync(path.join(ROOT, "examples", "ci", "azure-pipelines.yml"), "utf8")).toContain("ArtifactName: CodeAnalysisLogs");
  });
});

