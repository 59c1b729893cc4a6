/*
 * The validators `npm run build` compiles ahead of time (scripts/precompile-validators.js, into
 * dist/schemas/) must answer exactly as ajv compiling the same schema at run time: the same verdict, the
 * same first error (keyword, path, params, schema) and the same defaults filled in. The built CLI uses the
 * former; the TypeScript sources (and the policy pack's per-policy schemas) the latter.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import Ajv, { type ValidateFunction } from "ajv";
import { parse as parseYaml } from "yaml";
import { describe, expect, it } from "vitest";
import { createAjv } from "../../src/config/validate";
import { CONFIG_SCHEMA } from "../../src/engine/config";
import { STACK_EXPORT_AJV_OPTIONS } from "../../src/input/schema";
import baselineSchema from "../../src/schemas/baseline.schema.json";
import stackExportSchema from "../../src/schemas/stack-export.schema.json";

const ROOT = path.join(__dirname, "..", "..");
const built = (name: string) => path.join(ROOT, "dist", "schemas", `${name}.validate.js`);

function load(name: string): ValidateFunction & { sourceSchema: string } {
  // The build's output, as the CLI loads it (npm test builds first).
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require(built(name)) as ValidateFunction & { sourceSchema: string };
}

/** Runs both validators on their own copy of `value`; returns what each said and what each left in its copy. */
function both(precompiled: ValidateFunction, runtime: ValidateFunction, value: unknown) {
  const a = structuredClone(value);
  const b = structuredClone(value);
  const verdictA = precompiled(a);
  const verdictB = runtime(b);
  return {
    precompiled: { valid: verdictA, errors: precompiled.errors ?? null, data: a },
    runtime: { valid: verdictB, errors: runtime.errors ?? null, data: b },
  };
}

const example = parseYaml(fs.readFileSync(path.join(ROOT, "examples", "bridgeguard.yaml"), "utf8")) as Record<string, unknown>;
const GUID = "7c2a8e2e-3f1d-4b6a-9a7e-2d4c1b9f0a11";

const configs: [string, unknown][] = [
  ["the example", example],
  ["nothing (all defaults)", {}],
  ["an unknown key", { clodu: "AzureCloud" }],
  ["an unknown nested key", { egress: { sources: ["1.2.3.4"] } }],
  ["an unknown cloud", { cloud: "AzureMoon" }],
  ["a wrong type", { dnsServers: "10.0.0.53" }],
  ["a bad CIDR", { egress: { sourceAddresses: ["203.0.113.0/33"] } }],
  ["an empty list", { egress: { sourceAddresses: [] } }],
  ["a bad GUID", { registration: { subscriptionId: "nope" } }],
  ["a missing subscription", { registration: { resourceGroup: "azurestack" } }],
  ["defaults in a block", { registration: { subscriptionId: GUID } }],
  ["an unknown rule", { rules: { BG999: { enabled: false } } }],
  ["a bad severity", { rules: { BG201: { severity: "fatal" } } }],
  ["a rule by slug", { rules: { "registration-name-unconventional": { severity: "warning" } } }],
  ["a bad lookup id", { egress: { firewalls: ["hub-fw"] } }],
  ["a bad time server", { timeServer: "not a host!" }],
  ["a time server with a port", { timeServer: "time.example.com:123" }],
  ["a bad port on the time server", { timeServer: "10.0.0.10:99999" }],
  ["an IPv6 DNS server", { dnsServers: ["2001:db8::53"] }],
  ["a bad DNS server", { dnsServers: ["10.0.0.300"] }],
  ["a suppression", example.suppressions !== undefined ? { suppressions: example.suppressions } : { suppressions: [] }],
  ["a suppression without a reason", { suppressions: [{ rule: "BG201" }] }],
  ["a bad failOn", { failOn: "sometimes" }],
  ["a long resource group", { registration: { subscriptionId: GUID, resourceGroup: "r".repeat(91) } }],
  ["an empty registration name", { registration: { subscriptionId: GUID, name: "" } }],
];

describe("the precompiled configuration validator", () => {
  const precompiled = load("config");
  const runtime = createAjv().compile(CONFIG_SCHEMA);

  it("was compiled from the configuration schema this build has", () => {
    expect(precompiled.sourceSchema).toBe(JSON.stringify(CONFIG_SCHEMA));
  });

  it.each(configs)("answers as a run-time compile for %s", (_name, value) => {
    const { precompiled: a, runtime: b } = both(precompiled, runtime, value);
    expect(a).toEqual(b);
  });

  it("decides some of these cases each way (the cases test something)", () => {
    const verdicts = configs.map(([, value]) => both(precompiled, runtime, value).precompiled.valid);
    expect(verdicts.filter(Boolean).length).toBeGreaterThan(3);
    expect(verdicts.filter((v) => !v).length).toBeGreaterThan(10);
  });
});

describe("the precompiled stack export validator", () => {
  const precompiled = load("stack-export");
  const runtime = new Ajv(STACK_EXPORT_AJV_OPTIONS).compile(stackExportSchema);
  const healthy = JSON.parse(fs.readFileSync(path.join(ROOT, "examples", "healthy-stamp.json"), "utf8")) as { deployment: { resources: Record<string, unknown>[] } };
  const misconfigured = JSON.parse(fs.readFileSync(path.join(ROOT, "examples", "misconfigured-stamp.json"), "utf8")) as unknown;
  const withResource = (change: (r: Record<string, unknown>) => void) => {
    const copy = structuredClone(healthy);
    change(copy.deployment.resources[1]!);
    return copy;
  };
  const exports: [string, unknown][] = [
    ["the healthy example", healthy],
    ["the misconfigured example", misconfigured],
    ["a wrong version", { ...healthy, version: 2 }],
    ["no deployment", { version: 3 }],
    ["resources not a list", { version: 3, deployment: { resources: {} } }],
    ["a resource without a URN", withResource((r) => delete r.urn)],
    ["a numeric type", withResource((r) => (r.type = 7))],
    ["an empty URN", withResource((r) => (r.urn = ""))],
    ["outputs not an object", withResource((r) => (r.outputs = []))],
    ["a bad pending operation", { version: 3, deployment: { resources: [], pending_operations: [{ resource: {}, type: "deleting" }] } }],
  ];

  it("was compiled from the stack export schema", () => {
    expect(precompiled.sourceSchema).toBe(JSON.stringify(stackExportSchema));
  });

  it.each(exports)("answers as a run-time compile for %s", (_name, value) => {
    const { precompiled: a, runtime: b } = both(precompiled, runtime, value);
    expect(a).toEqual(b);
  });

  it("accepts the examples and rejects the broken copies", () => {
    const verdicts = exports.map(([, value]) => both(precompiled, runtime, value).precompiled.valid);
    expect(verdicts.slice(0, 2)).toEqual([true, true]);
    expect(verdicts.slice(2).every((v) => !v)).toBe(true);
  });
});

describe("the precompiled baseline validator", () => {
  const precompiled = load("baseline");
  const runtime = createAjv().compile(baselineSchema);
  const entry = { fingerprint: "a".repeat(64), rule: "BG201 usage-endpoint-blocked", resource: "urn:x", code: "NetworkError", cause: null, endpoints: ["x:443/TCP"] };
  const tool = { name: "bridgeguard", version: "0.1.0" };
  const baselines: [string, unknown][] = [
    ["a version 2 baseline", { schemaVersion: 2, tool, fingerprints: [entry] }],
    ["a version 1 baseline", { schemaVersion: 1, tool, fingerprints: [{ fingerprint: "b".repeat(64), rule: "BG201", resource: "urn:x", endpoint: null }] }],
    ["a version 1 entry in a version 2 baseline", { schemaVersion: 2, tool, fingerprints: [{ fingerprint: "b".repeat(64), rule: "BG201", resource: "urn:x", endpoint: null }] }],
    ["an unknown version", { schemaVersion: 3, tool, fingerprints: [] }],
    ["another tool", { schemaVersion: 2, tool: { name: "other", version: "1" }, fingerprints: [] }],
    ["a short fingerprint", { schemaVersion: 2, tool, fingerprints: [{ ...entry, fingerprint: "abc" }] }],
  ];

  it("was compiled from the baseline schema", () => {
    expect(precompiled.sourceSchema).toBe(JSON.stringify(baselineSchema));
  });

  it.each(baselines)("answers as a run-time compile for %s", (_name, value) => {
    const { precompiled: a, runtime: b } = both(precompiled, runtime, value);
    expect(a).toEqual(b);
  });
});
