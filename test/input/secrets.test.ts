import * as fs from "node:fs";
import { afterAll, describe, expect, it } from "vitest";
import { loadResourceFile, normalizePulumiResource, normalizeStackExport, SECRET_SIG, SIG_KEY } from "../../src/input";
import { clone, exportResource, fixture, inputError, only, readFixture, tempDir, writeTemp } from "./helpers";

type Export = { deployment: { resources: Record<string, unknown>[] } };
const dir = tempDir();
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const CANARIES = [
  "Q0FOQVJZLWNpcGhlcnRleHQtcmVnaXN0cmF0aW9uLXRva2Vu", // v3 registrationToken ciphertext
  "CANARY-plaintext-registration-token-7c1e0b", // v4 registrationToken plaintext
  "Q0FOQVJZLWNpcGhlcnRleHQtb2JqZWN0LWlk", // v4 objectId ciphertext
  "CANARY",
];

function expectNoCanary(text: string): void {
  for (const c of CANARIES) expect(text).not.toContain(c);
}

const secret = (payload: Record<string, string>) => ({ [SIG_KEY]: SECRET_SIG, ...payload });

describe("secrets", () => {
  it("the fixtures carry the canaries (so the tests below mean something)", () => {
    expect(fs.readFileSync(fixture("stack-export-v3.json"), "utf8")).toContain(CANARIES[0]);
    expect(fs.readFileSync(fixture("stack-export-v4.json"), "utf8")).toContain(CANARIES[1]);
    expect(fs.readFileSync(fixture("stack-export-v4.json"), "utf8")).toContain(CANARIES[2]);
  });

  it("never appear in the normalized output", () => {
    for (const name of ["stack-export-v3.json", "stack-export-v4.json"]) expectNoCanary(JSON.stringify(loadResourceFile(fixture(name))));
  });

  it("a secret the checks read is recorded as unknown, never opened (plaintext included)", () => {
    const exp = clone(readFixture<Export>("stack-export-v4.json"));
    const reg = exportResource(exp, "lab-registration");
    reg.outputs.cloudId = secret({ plaintext: '"CANARY-plaintext-cloud-id"' });
    reg.outputs.location = secret({ plaintext: "not even JSON CANARY" });
    const r = only(normalizeStackExport(exp, "lab.json").resources, "registration");
    expect(r.cloudId).toBeUndefined();
    expect(r.location).toBeUndefined();
    expect([...r.unknowns].sort()).toEqual(["cloudId", "location", "objectId"]);
    expectNoCanary(JSON.stringify(r));
  });

  it("a secret where the checks need a value in a rule is recorded by its path", () => {
    const exp = clone(readFixture<Export>("stack-export-v3.json"));
    const rcg = exportResource(exp, "rcg-azurestack-bridge");
    const collections = rcg.outputs.ruleCollections as { rules: Record<string, unknown>[] }[];
    collections[1]!.rules[0]!.targetFqdns = secret({ ciphertext: "v1:CANARY" });
    collections[0]!.rules[1]!.destinationAddresses = ["168.63.129.16", secret({ plaintext: '"CANARY-address"' })];
    const g = only(normalizeStackExport(exp, "s.json").resources, "ruleCollectionGroup");
    expect([...g.unknowns].sort()).toEqual(["ruleCollections[0].rules[1].destinationAddresses[1]", "ruleCollections[1].rules[0].targetFqdns"]);
    expect(g.ruleCollections[1]?.rules[0]).toMatchObject({ targetFqdns: [] });
    expectNoCanary(JSON.stringify(g));
  });

  it("a whole secret property (additionalSecretOutputs) is one unknown path", () => {
    const exp = clone(readFixture<Export>("stack-export-v3.json"));
    exportResource(exp, "rt-stamp-egress").outputs.routes = secret({ ciphertext: "v1:CANARY" });
    const table = only(normalizeStackExport(exp, "s.json").resources, "routeTable");
    // Outputs say secret; the inputs are not consulted for a key the outputs have.
    expect(table.unknowns).toEqual(["routes"]);
    expect(table.routes).toEqual([]);
  });

  it("sees through v4 output values: secret, unknown, and plain", () => {
    const OUTPUT = "d0e6a833031e9bbcd3f4e8bde6ca49a4";
    const r = normalizePulumiResource(
      {
        type: "azure-native:azurestack:Registration",
        urn: "urn:pulumi:s::p::azure-native:azurestack:Registration::r",
        name: "r",
        props: {
          cloudId: { [SIG_KEY]: OUTPUT, value: "CANARY-output-secret", secret: true },
          objectId: { [SIG_KEY]: OUTPUT, dependencies: [] },
          location: { [SIG_KEY]: OUTPUT, value: "global", dependencies: [] },
        },
      },
      "policy pack",
    );
    expect(r).toMatchObject({ kind: "registration", location: "global" });
    expect([...r.unknowns].sort()).toEqual(["cloudId", "objectId"]);
    expectNoCanary(JSON.stringify(r));
  });

  it("never appear in error messages: type errors beside secrets, schema errors, JSON errors", () => {
    const v4 = readFixture<Export>("stack-export-v4.json");
    const messages: string[] = [];

    const typeError = clone(v4);
    const reg = exportResource(typeError, "lab-registration");
    reg.outputs.location = 7;
    messages.push(inputError(() => normalizeStackExport(typeError, "lab.json")).message);

    // A secret where the checks want a string is not a type error: it is an unknown.
    const secretWhereString = clone(v4);
    exportResource(secretWhereString, "afw-lab").outputs.threatIntelMode = secret({ plaintext: '"CANARY"' });
    expect(() => normalizeStackExport(secretWhereString, "lab.json")).not.toThrow();

    const schemaError = clone(v4);
    exportResource(schemaError, "lab-registration").protect = "CANARY";
    messages.push(inputError(() => normalizeStackExport(schemaError, "lab.json")).message);

    const wrongType = clone(v4);
    const fw = exportResource(wrongType, "afw-lab");
    ((fw.outputs.networkRuleCollections as { rules: Record<string, unknown>[] }[])[0]!.rules[0]!).destinationPorts = "CANARY-port";
    messages.push(inputError(() => normalizeStackExport(wrongType, "lab.json")).message);

    const enumError = clone(v4);
    ((exportResource(enumError, "afw-lab").outputs.applicationRuleCollections as Record<string, unknown>[])[0]!).action = { type: "CANARY" };
    messages.push(inputError(() => normalizeStackExport(enumError, "lab.json")).message);

    const text = fs.readFileSync(fixture("stack-export-v4.json"), "utf8");
    const at = text.indexOf(CANARIES[1] as string);
    const broken = writeTemp(dir, "broken.json", `${text.slice(0, at + 10)}\u0001${text.slice(at + 10)}`);
    messages.push(inputError(() => loadResourceFile(broken)).message);
    const truncated = writeTemp(dir, "truncated.json", text.slice(0, at + 20));
    messages.push(inputError(() => loadResourceFile(truncated)).message);

    expect(messages).toHaveLength(6);
    for (const m of messages) expectNoCanary(m);
  });
});
