/**
 * Property-based fuzzing of the configuration loaders, in process:
 * - `bridgeguard.yaml` (`loadConfigFile` + `checkSuppressions`, as the CLI reads it), mutated as a value
 *   (wrong types, deleted and duplicated keys, 100k levels, a 10 MB string), as YAML text (alias bombs,
 *   merge keys, tags, tabs, several documents, deep block nesting, CRLF) and as bytes (truncated, BOM,
 *   invalid UTF-8, UTF-16);
 * - the policy pack's config (what `getConfig()` hands each policy), through the pack's own policies;
 * - the verification program's `bridgeguard:` Pulumi config (JSON text per key), through `readProgramConfig`.
 *
 * Property: a configuration, or one `UserError` whose message is one line naming the file (or the config
 * key), with no stack and no canary (planted in `probe.proxy`); whatever loads, the engine and the pack's
 * config translation then take without throwing.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import fc from "fast-check";
import { afterAll, describe, expect, it } from "vitest";
import { parse, stringify } from "yaml";
import { loadConfigFile } from "../../src/config/load";
import type { BridgeguardConfig } from "../../src/config/types";
import { CONFIG_SCHEMA, parseConfig } from "../../src/engine/config";
import { auditResourceSet } from "../../src/engine/run";
import { checkSuppressions } from "../../src/engine/suppressions";
import { loadResourceFile } from "../../src/input";
import { isUserError } from "../../src/model/errors";
import { policyPackConfig, sharedConfig } from "../../src/pack/config";
import { bridgeguardPolicies } from "../../src/pack/policies";
import { readProgramConfig } from "../../src/program/config";
import { FORMATS, renderReport } from "../../src/report";
import { allRuleMetas } from "../../src/rules";
import {
  byteMutation,
  CANARY,
  cleanly,
  collectPaths,
  count,
  DUPLICATE_MARKER,
  expandTokens,
  expectCleanUserError,
  expectNoCanary,
  FUZZ_TIMEOUT,
  fuzzParameters,
  guarded,
  mutateBytes,
  mutatedValue,
  reportCounts,
  ROOT,
  tempDir,
  valueMutation,
  within,
  type ByteMutation,
  type Json,
  type Seed,
  type ValueMutation,
} from "./helpers";

const dir = tempDir();
afterAll(() => {
  fs.rmSync(dir, { recursive: true, force: true });
  reportCounts();
});

const PROXY_WITH_PASSWORD = `http://probe:${CANARY}@proxy.example.test:3128`;

/** Every key of the schema, with the canary in the one secret-bearing place (`probe.proxy`). */
const FULL_CONFIG: Json = {
  cloud: "AzureCloud",
  registration: {
    subscriptionId: "7c2a8e2e-3f1d-4b6a-9a7e-2d4c1b9f0a11",
    resourceGroup: "azurestack",
    name: "AzureStack-5b4f0a0e-9e1d-4c8a-8f4e-6a2b7d1c3e59",
    cloudId: "5b4f0a0e-9e1d-4c8a-8f4e-6a2b7d1c3e59",
    objectId: "0d8f6c2b-7a4e-4b19-bc3d-9e1f2a6b8c47",
  },
  egress: {
    sourceAddresses: ["203.0.113.0/27"],
    resources: [],
    firewalls: ["hub-network/hub-fw"],
    firewallPolicies: ["hub-network/hub-policy"],
    networkSecurityGroups: ["hub-network/stamp-vip-nsg"],
    routeTables: ["hub-network/stamp-vip-rt"],
  },
  timeServer: "10.0.0.10",
  dnsServers: ["10.0.0.53"],
  probe: { hosts: { "*.trafficmanager.net": "usage.trafficmanager.net" }, proxy: PROXY_WITH_PASSWORD, timeout: "20s", concurrency: 8 },
  rules: { "registration-name-unconventional": { severity: "warning" }, BG203: { enabled: false } },
  codes: { NetworkError: { severity: "error" } },
  failOn: "error",
  suppressions: [{ rule: "BG201", resource: "urn:pulumi:*::hub-fw", justification: "CHG-1234, J. Doe", expires: "2099-01-01" }],
};

function seedOf(name: string, value: Json): Seed {
  return { name, value, paths: collectPaths(value) };
}

const YAML_SEEDS: Seed[] = [
  seedOf("examples/bridgeguard.yaml", parse(fs.readFileSync(path.join(ROOT, "examples", "bridgeguard.yaml"), "utf8")) as Json),
  seedOf("full", FULL_CONFIG),
];

const healthySet = loadResourceFile(path.join(ROOT, "examples", "healthy-stamp.json"));
const misconfiguredSet = loadResourceFile(path.join(ROOT, "examples", "misconfigured-stamp.json"));
const metas = allRuleMetas();

/** What every front end then does with a configuration: audit with it, report in every format, translate it for the pack. */
function useConfig(config: BridgeguardConfig, context: string): void {
  auditResourceSet(healthySet, config);
  const report = auditResourceSet(misconfiguredSet, config);
  for (const format of FORMATS) expectNoCanary(renderReport(format, report, metas, { failOn: config.failOn ?? "error" }), `${context}: ${format} report`);
  const forPack = JSON.stringify(policyPackConfig(config));
  expectNoCanary(forPack, `${context}: policy-config output`);
}

// ---------------------------------------------------------------------------------------------------
// bridgeguard.yaml

type YamlMutation =
  | { kind: "alias-bomb"; levels: number }
  | { kind: "merge-key" }
  | { kind: "tag"; tag: string }
  | { kind: "tab-indent"; line: number }
  | { kind: "documents" }
  | { kind: "directive" }
  | { kind: "deep-block"; levels: number }
  | { kind: "crlf" }
  | { kind: "undefined-alias" }
  | { kind: "huge-key" }
  | { kind: "complex-key" }
  | { kind: "nul" };

const yamlMutation: fc.Arbitrary<YamlMutation> = fc.oneof(
  fc.record({ kind: fc.constant("alias-bomb" as const), levels: fc.integer({ min: 3, max: 12 }) }),
  fc.record({ kind: fc.constant("merge-key" as const) }),
  fc.record({ kind: fc.constant("tag" as const), tag: fc.constantFrom("!!binary", "!!js/function", "!foo", "!!set", "!!omap", "!!timestamp", "!!int", "!<tag:yaml.org,2002:str>") }),
  fc.record({ kind: fc.constant("tab-indent" as const), line: fc.nat() }),
  fc.record({ kind: fc.constant("documents" as const) }),
  fc.record({ kind: fc.constant("directive" as const) }),
  fc.record({ kind: fc.constant("deep-block" as const), levels: fc.constantFrom(50, 500, 3000) }),
  fc.record({ kind: fc.constant("crlf" as const) }),
  fc.record({ kind: fc.constant("undefined-alias" as const) }),
  fc.record({ kind: fc.constant("huge-key" as const) }),
  fc.record({ kind: fc.constant("complex-key" as const) }),
  fc.record({ kind: fc.constant("nul" as const) }),
);

interface YamlCase {
  seed: number;
  flow: boolean;
  values: ValueMutation[];
  yaml: YamlMutation | undefined;
  bytes: ByteMutation | undefined;
}

const yamlCase: fc.Arbitrary<YamlCase> = fc.record({
  seed: fc.nat({ max: YAML_SEEDS.length - 1 }),
  flow: fc.boolean(),
  values: fc.array(valueMutation(), { maxLength: 3 }),
  yaml: fc.oneof({ weight: 2, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary: yamlMutation }),
  bytes: fc.oneof({ weight: 4, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary: byteMutation() }),
});

function aliasBomb(levels: number): string {
  const lines = ['bomb0: &b0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]'];
  for (let i = 1; i < levels; i++) lines.push(`bomb${i}: &b${i} [${Array.from({ length: 10 }, () => `*b${i - 1}`).join(", ")}]`);
  return lines.join("\n");
}

function yamlText(c: YamlCase): string {
  const s = YAML_SEEDS[c.seed]!;
  const { root, duplicateKey } = mutatedValue(s, c.values);
  let text = c.flow ? JSON.stringify(root) : stringify(root, { lineWidth: 0 });
  if (duplicateKey !== undefined) text = text.replace(c.flow ? JSON.stringify(DUPLICATE_MARKER) : DUPLICATE_MARKER, JSON.stringify(duplicateKey));
  text = expandTokens(text);
  const m = c.yaml;
  if (!m) return text;
  const block = c.flow ? `root: ${text}` : text;
  switch (m.kind) {
    case "alias-bomb":
      return `${block}\n${aliasBomb(m.levels)}\n`;
    case "merge-key":
      return `base: &base {cloud: AzureCloud}\nmerged:\n  <<: *base\n${block}\n`;
    case "tag":
      return `${block}\ntimeServer: ${m.tag} "10.0.0.10"\n`;
    case "tab-indent": {
      const lines = block.split("\n");
      const i = m.line % lines.length;
      lines[i] = lines[i]!.replace(/^ +/, "\t");
      return lines.join("\n");
    }
    case "documents":
      return `---\n${block}\n---\n${block}\n...\n`;
    case "directive":
      return `%YAML 1.1\n%TAG ! tag:example.com,2000:\n---\n${block}\n`;
    case "deep-block": {
      const lines = ["egress:"];
      for (let i = 1; i <= m.levels; i++) lines.push(`${" ".repeat(i)}k${i}:`);
      return `${lines.join("\n")} 1\n`;
    }
    case "crlf":
      return block.replace(/\n/g, "\r\n");
    case "undefined-alias":
      return `${block}\ntimeServer: *nowhere\n`;
    case "huge-key":
      return `${"k".repeat(10 * 1024 * 1024)}: 1\n${block}\n`;
    case "complex-key":
      return `? [a, b]\n: c\n? {x: 1}\n: d\n${block}\n`;
    case "nul":
      return `${block.slice(0, block.length >> 1)}\u0000${block.slice(block.length >> 1)}`;
  }
}

describe("fuzzing bridgeguard.yaml", () => {
  it(
    "mutated values, YAML text and bytes: a configuration or one clean error naming the file",
    () => {
      const file = path.join(dir, "bridgeguard.yaml");
      fc.assert(
        fc.property(yamlCase, (c) => {
          count("bridgeguard.yaml (loadConfigFile + checkSuppressions)");
          fs.writeFileSync(file, mutateBytes(yamlText(c), c.bytes));
          const context = JSON.stringify(c, (_k, v: unknown) => (typeof v === "string" && v.length > 80 ? `${v.slice(0, 80)}…` : v));
          guarded(`bridgeguard.yaml: ${context}`, () => within(15_000, context, () => {
            const config = cleanly(
              () => {
                const loaded = loadConfigFile(file, CONFIG_SCHEMA);
                checkSuppressions(loaded.suppressions, file, metas);
                return loaded;
              },
              file,
              context,
            );
            if (config) useConfig(config, context);
          }));
        }),
        fuzzParameters(150, 0.3),
      );
    },
    FUZZ_TIMEOUT,
  );

  it("a config 100k levels deep, as a value (program, pack) and as YAML flow: one clean error", () => {
    let deep: unknown = [];
    for (let i = 0; i < 100_000; i++) deep = [deep];
    for (const key of ["egress", "probe", "rules", "zzz"]) {
      expectCleanUserError(captured(() => parseConfig({ [key]: deep }, "Pulumi config")), "Pulumi config", key);
    }
    const file = path.join(dir, "deep.yaml");
    fs.writeFileSync(file, `egress: ${"[".repeat(100_000)}${"]".repeat(100_000)}\n`);
    const error = captured(() => loadConfigFile(file, CONFIG_SCHEMA));
    expectCleanUserError(error, file, "deep YAML");
    expect((error as Error).message).toMatch(/nested too deeply/);
  });

  it("1400 levels of block mappings (as deep as 1 MiB allows) with a bad byte near the end (found by `npm run fuzz` at 3000): one clean error, not a stack overflow", () => {
    // The yaml parser recursed once per level while recovering from the bad byte: a RangeError out of
    // parseDocument, which loadConfigFile did not catch.
    const c: YamlCase = { seed: 1, flow: true, values: [], yaml: { kind: "deep-block", levels: 1400 }, bytes: { kind: "invalid-utf8", fraction: 0.9988, bytes: [244] } };
    const file = path.join(dir, "deep-block.yaml");
    fs.writeFileSync(file, mutateBytes(yamlText(c), c.bytes));
    const error = captured(() => loadConfigFile(file, CONFIG_SCHEMA));
    expectCleanUserError(error, file, "deep block YAML with a bad byte");
    // Whether the parser's recursion runs out of stack at this depth depends on the stack the thread has
    // left: either way it is one invalid-YAML line (the case above always overflows and names it).
    expect((error as Error).message).toMatch(/invalid YAML: (nested too deeply|The : indicator must be at most 1024 chars)/);
  });
});

describe("every place a configuration error could quote what it found", () => {
  const cases: [string, string][] = [
    ["suppression rule", 'suppressions:\n  - {rule: "BG\\n999", resource: x, justification: y}\n'],
    ["unknown key", '"clo\\r\\nud": AzureCloud\n'],
    ["unknown rule key", 'rules:\n  "BG\\n201": {enabled: false}\n'],
    ["probe.hosts key", 'probe:\n  hosts:\n    "*.trafficmanager.net\\n": ""\n'],
    ["a 9000-character key", `${"k".repeat(9000).replace(/^/, '"')}": 1\n`],
    ["a 9000-character rule name", `rules:\n  "${"r".repeat(9000)}": {}\n`],
    // RETIRED_CLOUDS["toString"] was Object.prototype's function: its source became the message.
    ["a cloud named after Object.prototype's keys", "cloud: toString\n"],
    ["a cloud named __proto__", "cloud: __proto__\n"],
    // Found by `npm run fuzz`: a flipped byte where a flow mapping's quote was made the proxy URL part of
    // an unknown key, and the key (password and all) was quoted in the error.
    ["a key that swallowed a proxy URL with a password", `{"probe": {\u00c5proxy":"http://probe:${CANARY}@proxy.example.test:3128"}}\n`],
    ["a plain key that is a URL with a password", `probe:\n  http://probe:${CANARY}@proxy.example.test:3128: 1\n`],
    // Found by `npm run fuzz`: "{" flipped to "|" made the whole document a block scalar header, and the
    // yaml library's message quoted it, proxy password and all.
    ["a YAML message that quotes the source", `|"cloud":"AzureCloud","probe":{"proxy":"http://probe:${CANARY}@proxy.example.test:3128"}}\n`],
  ];
  it.each(cases)("%s: one line, bounded", (_name, text) => {
    const file = path.join(dir, "quoted.yaml");
    fs.writeFileSync(file, text);
    const error = captured(() => checkSuppressions(loadConfigFile(file, CONFIG_SCHEMA).suppressions, file, metas));
    expectCleanUserError(error, file, _name);
    expect((error as Error).message).not.toMatch(/\[object Object\]|\[native code\]/);
  });
});

function captured(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  throw new Error("expected an error");
}

// ---------------------------------------------------------------------------------------------------
// Policy pack config

/** What `getConfig()` returns for a policy: the shared keys of bridgeguard.yaml (as `policy-config` writes them). */
const PACK_SEED = seedOf("pack config", { ...(sharedConfig(parseConfig(structuredClone(FULL_CONFIG), "seed")) as Json & object), probe: { proxy: PROXY_WITH_PASSWORD } });

interface Violation {
  message: string;
}

describe("fuzzing the policy pack's config", () => {
  const policies = bridgeguardPolicies() as unknown as {
    name: string;
    validateStack?: (args: unknown, report: never) => void;
    validateResource?: (args: unknown, report: never) => void;
  }[];
  /** The SDK's `notApplicable` throws to leave the policy; it catches that itself. */
  class NotApplicable extends Error {}
  const firewall = {
    type: "azure-native:network:AzureFirewall",
    urn: "urn:pulumi:dev::hub::azure-native:network:AzureFirewall::hub-fw",
    name: "hub-fw",
    props: { firewallPolicy: { id: "/subscriptions/x/resourceGroups/y/providers/Microsoft.Network/firewallPolicies/p" } },
    opts: { protect: false, additionalSecretOutputs: [] },
  };

  it(
    "every policy takes any config: a verdict or one violation naming the path, never a throw or a canary",
    () => {
      fc.assert(
        fc.property(fc.array(valueMutation(), { maxLength: 3 }), (values) => {
          count("policy pack config (getConfig through every policy)");
          const { root } = mutatedValue(PACK_SEED, values);
          // The engine hands the pack JSON (a protobuf Struct): the deep and huge tokens become real values.
          const raw = JSON.parse(expandTokens(JSON.stringify(root))) as unknown;
          const violations: Violation[] = [];
          const report = ((message: string | Violation) => violations.push(typeof message === "string" ? { message } : message)) as never;
          const context = JSON.stringify(values).slice(0, 400);
          for (const policy of policies) {
            try {
              policy.validateResource?.(
                {
                  ...firewall,
                  getConfig: () => raw,
                  notApplicable: (reason: string) => {
                    throw new NotApplicable(reason);
                  },
                },
                report,
              );
            } catch (error) {
              if (!(error instanceof NotApplicable)) throw error;
            }
            policy.validateStack?.({ getConfig: () => raw, resources: [] }, report);
          }
          for (const v of violations) {
            expectNoCanary(v.message, context);
            expect(v.message, context).not.toMatch(/\n\s+at .+:\d+:\d+/);
            const configLine = v.message.split("\n").find((line) => line.trim().startsWith("config:"));
            if (configLine) expect(configLine.length, context).toBeLessThan(2000);
          }
        }),
        fuzzParameters(100, 0.1),
      );
    },
    FUZZ_TIMEOUT,
  );
});

// ---------------------------------------------------------------------------------------------------
// Verification program config

const PROGRAM_SEED = seedOf("program config", { ...(FULL_CONFIG as Record<string, Json>), probe: { proxy: PROXY_WITH_PASSWORD } });

describe("fuzzing the verification program's config", () => {
  it(
    "any bridgeguard: keys (JSON text per key, as Pulumi hands them over): a config or one clean error naming the key",
    () => {
      fc.assert(
        fc.property(fc.array(valueMutation(), { maxLength: 3 }), fc.option(fc.nat(), { nil: undefined }), (values, truncateKey) => {
          count("program config (readProgramConfig)");
          const { root } = mutatedValue(PROGRAM_SEED, values);
          const all: Record<string, string> = {};
          if (root !== null && typeof root === "object" && !Array.isArray(root)) {
            for (const [key, value] of Object.entries(root)) {
              const text = typeof value === "string" ? value : expandTokens(JSON.stringify(value));
              all[`bridgeguard:${key}`] = text;
            }
          }
          // A hand-edited JSON value cut short.
          const keys = Object.keys(all);
          if (truncateKey !== undefined && keys.length) {
            const key = keys[truncateKey % keys.length]!;
            all[key] = all[key]!.slice(0, all[key]!.length >> 1);
          }
          pulumi.runtime.setAllConfig(all);
          const context = JSON.stringify(values).slice(0, 400);
          let config: BridgeguardConfig | undefined;
          try {
            config = readProgramConfig();
          } catch (error) {
            if (!isUserError(error)) throw error;
            expectCleanUserError(error, "bridgeguard", context);
          }
          if (config) auditResourceSet(healthySet, config);
        }),
        fuzzParameters(200, 0.2),
      );
      pulumi.runtime.setAllConfig({});
    },
    FUZZ_TIMEOUT,
  );
});
