/**
 * `BridgeEgressRules` under `pulumi.runtime.setMocks`: it creates one rule collection group as its child,
 * in the given policy and with the given priority, holding exactly the generator's collections; it exposes
 * them; it refuses a `*` source at construction; and importing the package does not load Pulumi.
 */
import { spawnSync } from "node:child_process";
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { beforeAll, describe, expect, it } from "vitest";
import { buildAllowRuleSet, ruleCollectionsJson, type AllowRuleSet } from "../../src/allowlist";
import type { BridgeEgressRules as BridgeEgressRulesClass } from "../../src/component/bridge-egress-rules";
import { ROOT } from "../cli/run-cli";

interface Registered {
  type: string;
  name: string;
  inputs: Record<string, unknown>;
  custom?: boolean;
}

const registered: Registered[] = [];
let BridgeEgressRules: typeof BridgeEgressRulesClass;

beforeAll(async () => {
  await pulumi.runtime.setMocks(
    {
      newResource: (args: pulumi.runtime.MockResourceArgs) => {
        registered.push({ type: args.type, name: args.name, inputs: args.inputs, custom: args.custom });
        return { id: args.custom === false ? undefined : `${args.name}-id`, state: args.inputs };
      },
      call: (args: pulumi.runtime.MockCallArgs) => args.inputs,
    },
    "bridgeguard-test",
    "dev",
    false,
  );
  // After the mocks (the entry point's lazy getter needs the built file: see "the package entry point").
  ({ BridgeEgressRules } = await import("../../src/component/bridge-egress-rules"));
});

function value<T>(output: pulumi.Output<T>): Promise<T> {
  return new Promise((resolve) => output.apply((v) => resolve(v)));
}

const VIP = "203.0.113.0/27";

describe("BridgeEgressRules", () => {
  it("creates one FirewallPolicyRuleCollectionGroup child in the policy, with the priority and the generator's collections", async () => {
    const component = new BridgeEgressRules("azs-bridge", {
      resourceGroupName: "rg-hub",
      firewallPolicyName: "hub-policy",
      priority: 150,
      cloud: "AzureUSGovernment",
      sourceAddresses: [VIP],
      timeServer: "10.0.0.10",
      dnsServers: ["10.0.0.53"],
    });
    const urn = await value(component.ruleCollectionGroup.urn);
    expect(urn).toContain("bridgeguard:index:BridgeEgressRules$azure-native:network:FirewallPolicyRuleCollectionGroup::azs-bridge");
    expect(await value(component.urn)).toMatch(/bridgeguard:index:BridgeEgressRules::azs-bridge$/);

    const expected = buildAllowRuleSet({ cloud: "AzureUSGovernment", sourceAddresses: [VIP], timeServer: "10.0.0.10", dnsServers: ["10.0.0.53"], priority: 150 });
    expect(await value(component.rules)).toEqual(expected);
    const child = registered.find((r) => r.type === "azure-native:network:FirewallPolicyRuleCollectionGroup" && r.name === "azs-bridge");
    expect(child?.inputs).toEqual({
      resourceGroupName: "rg-hub",
      firewallPolicyName: "hub-policy",
      ruleCollectionGroupName: "azs-bridge-egress",
      priority: 150,
      ruleCollections: ruleCollectionsJson(expected),
    });
    expect(registered.filter((r) => r.type === "bridgeguard:index:BridgeEgressRules").map((r) => r.name)).toContain("azs-bridge");
    // The child's state (what the provider returned) is what the component exposes.
    expect(await value(component.ruleCollectionGroup.ruleCollections)).toEqual(ruleCollectionsJson(expected));
  });

  it("takes Outputs (a policy created in the same program) and a group name; defaults to AzureCloud", async () => {
    const component = new BridgeEgressRules("from-outputs", {
      resourceGroupName: pulumi.output("rg-hub"),
      firewallPolicyName: pulumi.output("hub-policy"),
      priority: pulumi.output(300),
      sourceAddresses: pulumi.output([VIP]),
      dnsServers: [pulumi.output("10.0.0.53")],
      ruleCollectionGroupName: "stamp1-bridge",
    });
    const rules: AllowRuleSet = await value(component.rules);
    expect(rules).toMatchObject({ cloud: "AzureCloud", name: "stamp1-bridge", priority: 300, sourceAddresses: [VIP] });
    expect(rules.notes).toEqual(["no timeServer configured: no NTP rule (set timeServer in bridgeguard.yaml or pass --time-server)"]);
    await value(component.ruleCollectionGroup.urn);
    const child = registered.find((r) => r.name === "from-outputs" && r.custom !== false);
    expect(child?.inputs).toMatchObject({ ruleCollectionGroupName: "stamp1-bridge", priority: 300, firewallPolicyName: "hub-policy" });
    expect(JSON.stringify(child?.inputs.ruleCollections)).toContain("*.trafficmanager.net");
    expect(JSON.stringify(child?.inputs.ruleCollections)).not.toContain('"ntp"');
  });

  it("includeOptionalEndpoints adds the marketplace, patch and Defender endpoints", async () => {
    const component = new BridgeEgressRules("all", { resourceGroupName: "rg", firewallPolicyName: "p", priority: 200, sourceAddresses: [VIP], includeOptionalEndpoints: true });
    const names = (await value(component.rules)).collections.flatMap((c) => c.rules.map((r) => r.name));
    expect(names).toEqual(expect.arrayContaining(["marketplace", "patch", "defender", "diagnostics"]));
  });

  it.each([
    ["a * source", { sourceAddresses: ["*"] }, /would allow every address/],
    ["no source", { sourceAddresses: [] }, /egress range/],
    ["a priority out of range", { priority: 50 }, /priority 50/],
    ["an unknown cloud", { cloud: "AzureGermanCloud" }, /cloud "AzureGermanCloud"/],
  ])("refuses %s when constructed, before registering anything", (_name, change, pattern) => {
    const before = registered.length;
    const args = { resourceGroupName: "rg", firewallPolicyName: "p", priority: 200, sourceAddresses: [VIP], ...change } as never;
    expect(() => new BridgeEgressRules(`bad-${_name.replace(/\W+/g, "-")}`, args)).toThrow(pattern);
    expect(registered.length).toBe(before);
  });
});

describe("the package entry point", () => {
  it('require("bridgeguard") loads neither @pulumi/pulumi nor @pulumi/azure-native until BridgeEgressRules is used', () => {
    const script = [
      `const bg = require(${JSON.stringify(path.join(ROOT, "dist", "index.js"))});`,
      "const pulumi = () => Object.keys(require.cache).filter((k) => k.includes(`${require('path').sep}@pulumi${require('path').sep}`)).length;",
      "const before = pulumi();",
      "const ok = typeof bg.auditResourceSet === 'function' && typeof bg.loadResourceFile === 'function' && typeof bg.buildAllowRuleSet === 'function';",
      "const C = bg.BridgeEgressRules;",
      "const root = Object.keys(require.cache).some((k) => /@pulumi[\\\\/]azure-native[\\\\/]index\\.js$/.test(k));",
      "console.log(JSON.stringify({ before, after: pulumi(), ok, component: typeof C, root }));",
    ].join("\n");
    const result = spawnSync(process.execPath, ["-e", script], { encoding: "utf8" });
    expect(result.status, result.stderr).toBe(0);
    const report = JSON.parse(result.stdout) as { before: number; after: number; ok: boolean; component: string; root: boolean };
    expect(report).toMatchObject({ before: 0, ok: true, component: "function", root: false });
    expect(report.after).toBeGreaterThan(0);
  });

  it('`new (require("bridgeguard").BridgeEgressRules)(...)` under setMocks, from the built package', () => {
    const script = `
      const pulumi = require("@pulumi/pulumi");
      const seen = [];
      pulumi.runtime.setMocks({
        newResource: (a) => { seen.push({ type: a.type, inputs: a.inputs }); return { id: a.name + "-id", state: a.inputs }; },
        call: (a) => a.inputs,
      }, "p", "s", false).then(() => {
        const { BridgeEgressRules } = require(${JSON.stringify(path.join(ROOT, "dist", "index.js"))});
        const c = new BridgeEgressRules("e2e", { resourceGroupName: "rg", firewallPolicyName: "fp", priority: 120, sourceAddresses: ["${VIP}"] });
        c.ruleCollectionGroup.urn.apply(() => {
          const child = seen.find((r) => r.type === "azure-native:network:FirewallPolicyRuleCollectionGroup");
          console.log(JSON.stringify({ types: seen.map((r) => r.type), priority: child.inputs.priority, collections: child.inputs.ruleCollections.length }));
        });
      });`;
    const result = spawnSync(process.execPath, ["-e", script], { encoding: "utf8", cwd: ROOT });
    expect(result.status, result.stderr).toBe(0);
    const out = JSON.parse(result.stdout.trim().split("\n").pop()!) as { types: string[]; priority: number; collections: number };
    expect(out).toEqual({ types: ["bridgeguard:index:BridgeEgressRules", "azure-native:network:FirewallPolicyRuleCollectionGroup"], priority: 120, collections: 1 });
  });
});
