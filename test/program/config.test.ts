/**
 * The program's `bridgeguard:` config: the engine's one schema, errors naming the Pulumi config key, and
 * no lookup at all when the config is wrong.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { parse } from "yaml";
import { healthyBodies, healthyConfig, NET_RG, REG_SUB } from "./arm";
import { runProgram } from "./harness";

beforeEach(() => {
  vi.resetModules();
});

const ROOT = path.resolve(__dirname, "../..");

function withEgress(egress: Record<string, unknown>): Record<string, unknown> {
  const config = healthyConfig();
  return { ...config, egress: { ...(config.egress as Record<string, unknown>), ...egress } };
}

describe("bad bridgeguard: config fails the update naming the key, before any lookup", () => {
  const cases: [string, Record<string, unknown>, RegExp][] = [
    ["an unknown top-level key", { ...healthyConfig(), timeserver: "10.0.0.10" }, /^bridgeguard:timeserver: unknown key "timeserver"$/],
    ["an unknown nested key", withEgress({ firewall: [`${NET_RG}/hub-fw`] }), /^bridgeguard:egress\.firewall: unknown key "firewall"$/],
    ["a scalar where a list belongs", withEgress({ firewalls: `${NET_RG}/hub-fw` }), /^bridgeguard:egress\.firewalls: expected array$/],
    ["an id without its resource group", withEgress({ routeTables: ["stamp-vip-rt"] }), /^bridgeguard:egress\.routeTables\[0\]: expected <resourceGroup>\/<name>, such as hub-network\/hub-fw$/],
    ["a bad CIDR", withEgress({ sourceAddresses: ["203.0.113.0/33"] }), /^bridgeguard:egress\.sourceAddresses\[0\]: expected an IP address or CIDR range/],
    ["a bad subscription id", { ...healthyConfig(), registration: { subscriptionId: "not-a-guid", name: "AzureStack-x" } }, /^bridgeguard:registration\.subscriptionId: expected a GUID/],
    ["a missing subscription id", { ...healthyConfig(), registration: { name: "AzureStack-x" } }, /^bridgeguard:registration\.subscriptionId: is required$/],
    ["an unknown cloud", { ...healthyConfig(), cloud: "AzureStackCloud" }, /^bridgeguard:cloud: expected one of "AzureCloud", "AzureUSGovernment", "AzureChinaCloud"$/],
    [
      "a registration with neither name nor cloudId",
      { ...healthyConfig(), registration: { subscriptionId: REG_SUB, objectId: "3a7b9c1d-2e4f-4a6b-8c0d-1e2f3a4b5c6d" } },
      /^bridgeguard:registration: expected name or cloudId: the verification program looks the registration up by name, so it needs bridgeguard:registration\.name \(.*\) or bridgeguard:registration\.cloudId \(the program then looks up AzureStack-<CloudId>\)$/,
    ],
    ["an unknown rule", { ...healthyConfig(), rules: { BG999: { enabled: false } } }, /^bridgeguard:rules\.BG999: unknown rule "BG999"/],
    ["an unknown failOn", { ...healthyConfig(), failOn: "always" }, /^bridgeguard:failOn: expected one of "error", "warning", "none"$/],
    ["a suppression of an unknown rule", { ...healthyConfig(), suppressions: [{ rule: "BG999", resource: "hub-fw", justification: "x" }] }, /^bridgeguard:suppressions\[0\]\.rule: unknown rule or code "BG999"/],
    ["a suppression with a blank justification", { ...healthyConfig(), suppressions: [{ rule: "BG201", resource: "hub-fw", justification: "  " }] }, /^bridgeguard:suppressions\[0\]\.justification: expected a justification, not blanks$/],
    ["a suppression without a justification", { ...healthyConfig(), suppressions: [{ rule: "BG201", resource: "hub-fw" }] }, /^bridgeguard:suppressions\[0\]\.justification: is required$/],
    ["a suppression that expires on no real day", { ...healthyConfig(), suppressions: [{ rule: "BG201", resource: "hub-fw", justification: "x", expires: "2026-02-30" }] }, /^bridgeguard:suppressions\[0\]\.expires: expected a calendar date YYYY-MM-DD$/],
    ["a mapping as text", { ...healthyConfig(), registration: "subscriptionId=8f3c2a51" }, /^bridgeguard:registration: expected object$/],
  ];
  it.each(cases)("%s", async (_name, config, message) => {
    const run = await runProgram({ bodies: healthyBodies(), config });
    expect(run.outputs).toBeUndefined();
    expect(pulumi.RunError.isInstance(run.error)).toBe(true);
    expect(run.error?.message).toMatch(message);
    expect(run.fake.calls).toEqual([]);
    expect(run.fake.resources).toEqual([]);
  });

  it("keys of other namespaces are not the program's concern", async () => {
    const run = await runProgram({ bodies: healthyBodies(), extraConfig: { "azure-native:location": "westeurope", "other:key": "x" } });
    expect(run.error).toBeUndefined();
  });
});

describe("rules config reaches the engine", () => {
  it("a disabled rule does not report", async () => {
    const run = await runProgram({ bodies: healthyBodies().slice(1), config: { ...healthyConfig(), rules: { "registration-missing": { enabled: false } } } });
    expect(run.error).toBeUndefined();
    expect(run.findings).toEqual([]);
  });

  it("a severity override turns an error into a warning that does not fail the update", async () => {
    const run = await runProgram({ bodies: healthyBodies().slice(1), config: { ...healthyConfig(), rules: { BG101: { severity: "warning" } } } });
    expect(run.error).toBeUndefined();
    expect(run.findings.map((f) => `${f.rule.id} ${f.severity}`)).toEqual(["BG101 warning"]);
  });
});

describe("the project files", () => {
  it("Pulumi.yaml runs the compiled program of src/program/index.ts with the nodejs runtime", () => {
    const project = parse(fs.readFileSync(path.join(ROOT, "Pulumi.yaml"), "utf8")) as { name: string; runtime: { name: string; options: Record<string, unknown> }; main: string };
    expect(project.name).toBe("bridgeguard");
    expect(project.runtime).toMatchObject({ name: "nodejs", options: { typescript: false } });
    const build = JSON.parse(fs.readFileSync(path.join(ROOT, "tsconfig.build.json"), "utf8")) as { compilerOptions: { rootDir: string; outDir: string } };
    const entry = path.join(build.compilerOptions.outDir, path.relative(build.compilerOptions.rootDir, "src/program/index.js"));
    expect(path.normalize(project.main)).toBe(entry);
    expect(fs.existsSync(path.join(ROOT, "src/program/index.ts"))).toBe(true);
  });

  it("Pulumi.example.yaml is a valid stack config for the program", async () => {
    const stack = parse(fs.readFileSync(path.join(ROOT, "Pulumi.example.yaml"), "utf8")) as { config: Record<string, unknown> };
    const config: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(stack.config)) config[key.replace(/^bridgeguard:/, "")] = value;
    pulumi.runtime.setAllConfig(Object.fromEntries(Object.entries(config).map(([k, v]) => [`bridgeguard:${k}`, typeof v === "string" ? v : JSON.stringify(v)])));
    const { readProgramConfig } = await import("../../src/program/config");
    const parsed = readProgramConfig();
    expect(parsed.egress.firewalls).toEqual(["hub-network/hub-fw"]);
    expect(parsed.registration?.name).toMatch(/^AzureStack-/);
  });
});
