/**
 * Configuring the pack: `bridgeguard policy-config` output, `--policy-pack-config` files that disable a
 * rule or change its level, and configurations that are rejected (by the engine's own validation, or by
 * the pack's, which is the engine schema's).
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { Command } from "commander";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { registerPolicyConfig } from "../../src/cli/policy-config";
import { loadConfig } from "../../src/engine/config";
import { isUserError } from "../../src/model/errors";
import { policyPackConfig, type PolicyPackConfigFile } from "../../src/pack/config";
import { ALL_RULES } from "../../src/rules";
import { EXAMPLE_CONFIG, exampleConfig, healthyWith, ofRule, seen, setProp } from "./fixtures";
import { PackHarness, PolicyConfigError, type PolicyPackConfigFile as EngineConfigFile } from "./harness";

let pack: PackHarness;
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "bg-pack-config-"));
beforeAll(async () => {
  pack = await PackHarness.start();
});
afterAll(async () => {
  fs.rmSync(tmp, { recursive: true, force: true });
  await pack?.close();
});

/** The healthy stamp with an unprotected registration in the west (BG104 error, BG106 warning). */
const twoFindings = () =>
  healthyWith((r) => {
    r("registration").protect = false;
    setProp(r("registration"), "location", "westeurope");
  });

async function levels(config: PolicyPackConfigFile | Record<string, unknown>): Promise<Record<string, string[]>> {
  await pack.configure(config as PolicyPackConfigFile);
  const out: Record<string, string[]> = {};
  for (const v of seen(await pack.analyzeAll(twoFindings()))) (out[v.ruleId] ??= []).push(v.level);
  return out;
}

function policyConfigCli(args: string[]): { stdout: string } {
  const program = new Command("bridgeguard").exitOverride();
  registerPolicyConfig(program);
  let stdout = "";
  const spy = vi.spyOn(process.stdout, "write").mockImplementation((chunk: string | Uint8Array) => {
    stdout += chunk.toString();
    return true;
  });
  try {
    program.parse(["node", "bridgeguard", "policy-config", ...args]);
  } finally {
    spy.mockRestore();
  }
  return { stdout };
}

function writeYaml(name: string, text: string): string {
  const file = path.join(tmp, name);
  fs.writeFileSync(file, text);
  return file;
}

describe("bridgeguard policy-config", () => {
  it("prints one entry per policy: its enforcement level and the shared configuration", () => {
    const { stdout } = policyConfigCli(["--config", EXAMPLE_CONFIG]);
    const json = JSON.parse(stdout) as PolicyPackConfigFile;
    expect(json).toEqual(policyPackConfig(exampleConfig()));
    expect(Object.keys(json)).toEqual(ALL_RULES.map((r) => r.meta.id));
    expect(json["BG201"]).toMatchObject({
      enforcementLevel: "mandatory",
      cloud: "AzureCloud",
      registration: { subscriptionId: "7c2a8e2e-3f1d-4b6a-9a7e-2d4c1b9f0a11", resourceGroup: "azurestack" },
      egress: { sourceAddresses: ["203.0.113.0/27"] },
      timeServer: "10.0.0.10",
      dnsServers: ["10.0.0.53"],
    });
    expect(json["BG106"]!.enforcementLevel).toBe("advisory");
    for (const entry of Object.values(json)) {
      expect(entry).not.toHaveProperty("rules");
      expect(entry).not.toHaveProperty("probe");
    }
  });

  it("maps rules: enabled false to disabled, severity warning to advisory and error to mandatory", () => {
    const file = writeYaml(
      "rules.yaml",
      "rules:\n  BG104: { enabled: false }\n  usage-endpoint-blocked: { severity: warning }\n  registration-unprotected: { severity: error }\n",
    );
    const json = JSON.parse(policyConfigCli(["--config", file]).stdout) as PolicyPackConfigFile;
    expect(json["BG104"]!.enforcementLevel).toBe("disabled");
    expect(json["BG201"]!.enforcementLevel).toBe("advisory");
    expect(json["BG106"]!.enforcementLevel).toBe("mandatory");
    expect(json["BG202"]!.enforcementLevel).toBe("mandatory");
  });

  it("writes the file with --output, and --cloud wins over the file", () => {
    const out = path.join(tmp, "policy-config.json");
    expect(policyConfigCli(["--config", EXAMPLE_CONFIG, "--cloud", "AzureUSGovernment", "--output", out]).stdout).toBe("");
    const json = JSON.parse(fs.readFileSync(out, "utf8")) as PolicyPackConfigFile;
    expect(json["BG204"]!.cloud).toBe("AzureUSGovernment");
  });

  it("never copies the probe's settings (a proxy may carry a password) into the pack's configuration", () => {
    const file = writeYaml("probe.yaml", "probe:\n  proxy: http://user:CANARY-proxy-password@proxy.example:3128\n");
    let config;
    try {
      config = loadConfig(file);
    } catch {
      return; // A schema without `probe` rejects the key: nothing to copy either.
    }
    expect(JSON.stringify(policyPackConfig(config))).not.toContain("CANARY");
  });

  it("rejects a bad bridgeguard.yaml with the file and the path", () => {
    const file = writeYaml("bad.yaml", "egress:\n  sourceAddresses: [not-a-range]\n");
    try {
      policyConfigCli(["--config", file]);
      expect.unreachable();
    } catch (error) {
      expect(isUserError(error)).toBe(true);
      expect((error as Error).message).toMatch(/bad\.yaml:2:\d+: egress\.sourceAddresses\[0\]: expected an IP address or CIDR range/);
    }
  });
});

/** The example configuration plus `extra` YAML (rules, codes, failOn, suppressions), as policy-config writes it. */
function exampleWith(extra: string): PolicyPackConfigFile {
  const text = fs.readFileSync(EXAMPLE_CONFIG, "utf8").replace(/^rules:[\s\S]*$/m, "");
  return policyPackConfig(loadConfig(writeYaml(`with-${Math.random().toString(36).slice(2)}.yaml`, `${text}${extra}`)));
}

describe("the pack under --policy-pack-config", () => {
  it("uses each rule's default level when given policy-config of a file without rule settings", async () => {
    expect(await levels(policyPackConfig(exampleConfig()))).toEqual({ BG104: ["mandatory"], BG106: ["advisory"] });
  });

  it("disables a rule and changes levels as bridgeguard.yaml says (rules, then codes)", async () => {
    expect(await levels(exampleWith("rules:\n  BG104: { enabled: false }\n  registration-unprotected: { severity: error }\n"))).toEqual({ BG106: ["mandatory"] });
    expect(await levels(exampleWith("codes:\n  Unauthorized: { severity: warning }\n"))).toEqual({ BG104: ["advisory"], BG106: ["advisory"] });
    expect(await levels(exampleWith("codes:\n  Unauthorized: { severity: warning }\nrules:\n  BG104: { severity: error }\n"))).toEqual({
      BG104: ["mandatory"],
      BG106: ["advisory"],
    });
  });

  it("moves every level with failOn, as the audit's exit gate moves", async () => {
    expect(await levels(exampleWith("failOn: warning\n"))).toEqual({ BG104: ["mandatory"], BG106: ["mandatory"] });
    expect(await levels(exampleWith("failOn: none\n"))).toEqual({ BG104: ["advisory"], BG106: ["advisory"] });
  });

  it("reports a suppressed finding as advisory, with its justification; an expired suppression no longer applies", async () => {
    const suppress = (expires: string) =>
      exampleWith(`suppressions:\n  - rule: BG104\n    resource: "registr*"\n    justification: "Moved on purpose (CHG-42, J. Doe)"\n    expires: ${expires}\n`);
    await pack.configure(suppress("2999-12-31"));
    const [location] = ofRule(await pack.analyzeAll(twoFindings()), "BG104");
    expect(location!.level).toBe("advisory");
    expect(location!.text).toContain("  suppressed: Moved on purpose (CHG-42, J. Doe) (until 2999-12-31)");
    expect(await levels(suppress("2000-01-01"))).toEqual({ BG104: ["mandatory"], BG106: ["advisory"] });
  });

  it("honours Pulumi's own forms on top: a bare level per policy, and `all`", async () => {
    const base = policyPackConfig(exampleConfig()) as Record<string, Record<string, unknown>>;
    const withLevel = (name: string, level: string) => ({ ...base, [name]: { ...base[name], enforcementLevel: level } });
    expect(await levels(withLevel("BG104", "advisory"))).toEqual({ BG104: ["advisory"], BG106: ["advisory"] });
    // `all` first, then the policies: a policy's own level wins over `all`.
    const unleveled = Object.fromEntries(Object.entries(base).map(([name, entry]) => [name, { ...entry, enforcementLevel: undefined }]));
    const withoutLevels = JSON.parse(JSON.stringify(unleveled)) as Record<string, Record<string, unknown>>;
    expect(await levels({ ...withoutLevels, all: "mandatory", BG104: { ...withoutLevels["BG104"], enforcementLevel: "disabled" } })).toEqual({
      BG106: ["mandatory"],
    });
    expect(await levels({ ...withoutLevels, all: "advisory" })).toEqual({ BG104: ["advisory"], BG106: ["advisory"] });
  });

  it("is rejected by the engine's validation when a value breaks a policy's schema or a level is not one", () => {
    const attempt = (file: Record<string, unknown>) => () => pack.reconcileConfig(file as PolicyPackConfigFile);
    expect(attempt({ BG201: { cloud: "AzureMars" } })).toThrow(PolicyConfigError);
    expect(attempt({ BG201: { cloud: "AzureMars" } })).toThrow(/bridgeguard 0\.\d+\.\d+: BG201: \/cloud must be equal to one of the allowed values/);
    expect(attempt({ BG204: { dnsServers: "10.0.0.53" } })).toThrow(/BG204: \/dnsServers must be array/);
    expect(attempt({ BG101: { registration: { resourceGroup: "azurestack" } } })).toThrow(/registration must have required property 'subscriptionId'/);
    expect(attempt({ BG204: { suppressions: [{ rule: "BG204" }] } })).toThrow(/suppressions\/0 must have required property 'resource'/);
    expect(attempt({ BG204: { enforcementLevel: "fatal" } })).toThrow(/parsing enforcement level for "BG204": "fatal" is not a valid enforcement level/);
    expect(attempt({ BG204: "fatal" })).toThrow(/"fatal" is not a valid enforcement level/);
  });

  it("lets a key that names no policy through, as the engine does (pkg/resource/analyzer/config.go)", () => {
    const reconciled = pack.reconcileConfig({ "no-such-policy": "mandatory", all: "advisory" });
    expect(reconciled["no-such-policy"]).toEqual({ enforcementLevel: "mandatory", properties: {} });
    expect(reconciled["all"]).toEqual({ enforcementLevel: "advisory", properties: {} });
    expect(reconciled["BG201"]!.enforcementLevel).toBe("advisory");
  });

  it("fails in the engine's configure when a key that names no policy has settings but no level", async () => {
    await expect(pack.configure({ "no-such-policy": { cloud: "AzureCloud" } })).rejects.toThrow(
      'configuring policy pack "bridgeguard": invalid enforcement level ""',
    );
  });

  it("refuses in configure a file keyed by slug (written before the policies were named by rule id), naming the key and the fix", async () => {
    const byId = policyPackConfig(exampleConfig());
    const bySlug = Object.fromEntries(ALL_RULES.map((r) => [r.meta.slug, byId[r.meta.id]!]));
    const refusal = await pack.configure(bySlug).then(
      () => undefined,
      (error: Error) => error,
    );
    expect(refusal).toBeInstanceOf(PolicyConfigError);
    expect(refusal!.message).toBe(
      'configuring policy pack "bridgeguard": the policy pack config names no policy of bridgeguard: "arm-endpoint-blocked" (now BG202), ' +
        '"default-route-black-hole" (now BG205), "dns-blocked" (now BG204) and 17 more; the policies are named by rule id (BG101 to BG501). ' +
        "Write the file again with `bridgeguard policy-config --config bridgeguard.yaml --output policy-config.json`",
    );
    expect(refusal!.message).not.toContain("\n");
    // A foreign key, with a level so that the engine itself lets it through, is refused the same way.
    await expect(pack.configure({ ...byId, "require-tags": "mandatory" } as EngineConfigFile)).rejects.toThrow(
      /names no policy of bridgeguard: "require-tags"; the policies are named by rule id \(BG101 to BG501\)/,
    );
    // `all` is the engine's own key, not a stale one.
    await pack.configure({ ...byId, all: "advisory" } as EngineConfigFile);
    await pack.configure(byId);
  });

  it("reports what only bridgeguard's schema rejects (formats, unknown keys, rules) as a violation naming the path, and checks nothing", async () => {
    // Pulumi ignores the schema's custom formats and additional keys; the pack's own validation does not.
    const base = policyPackConfig(exampleConfig());
    const config = structuredClone(base) as Record<string, Record<string, unknown>>;
    (config["BG201"]!.egress as Record<string, unknown>).sourceAddresses = ["203.0.113.0/33"];
    config["BG104"]!.timeServers = ["10.0.0.10"];
    config["BG106"]!.suppressions = [{ rule: "BG999", resource: "*", justification: "x" }];
    await pack.configure(config as PolicyPackConfigFile);
    const diagnostics = await pack.analyzeAll(twoFindings());
    const invalid = diagnostics.filter((d) => /invalid bridgeguard configuration/.test(d.message));
    const byPolicy = new Map(invalid.map((d) => [d.policyName, d]));
    expect(byPolicy.get("BG201")!.message).toMatch(
      /NetworkError BG201 usage-endpoint-blocked: invalid bridgeguard configuration, the rule did not run\n {2}config: {3}policy pack config of BG201: egress\.sourceAddresses\[0\]: expected an IP address or CIDR range/,
    );
    expect(byPolicy.get("BG201")!.enforcementLevel).toBe("mandatory");
    expect(byPolicy.get("BG104")!.message).toMatch(/timeServers: unknown key "timeServers"/);
    expect(byPolicy.get("BG106")!.message).toMatch(/suppressions\[0\]\.rule: unknown rule or code "BG999"/);
    // The misconfigured policies did not run; the others did.
    const valid = diagnostics.filter((d) => !invalid.includes(d));
    expect(ofRule(valid, "BG104")).toEqual([]);
    expect(ofRule(valid, "BG106")).toEqual([]);
    expect(invalid.map((d) => d.policyName).sort()).toEqual(["BG104", "BG106", "BG201"]);
    await pack.configure(base);
  });
});
