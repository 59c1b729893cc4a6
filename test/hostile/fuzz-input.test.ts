/**
 * Property-based fuzzing of the resource loaders (`loadResourceFile`: stack export v3/v4 and ARM JSON), in
 * process. Each case starts from a real file (examples/*.json, test/fixtures/**) with the canary secret
 * planted in every secret-bearing place, and mutates it where the checks read: a value of another type,
 * a deleted key, a duplicated key in the raw text, a list repeated thousands of times, 100k levels of
 * nesting, a 10 MB string; then, on the bytes, a truncation, a BOM, invalid UTF-8, UTF-16.
 *
 * Property: the loader returns a resource set or throws one `UserError` whose message is one line naming
 * the file, with no stack and no canary; the engine then audits any set that loaded without throwing,
 * every formatter renders its report, and the canary is in none of them.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import fc from "fast-check";
import { afterAll, describe, expect, it } from "vitest";
import { loadConfig } from "../../src/engine/config";
import { auditResourceSet } from "../../src/engine/run";
import { loadResourceFile, normalizeArm, normalizeStackExport } from "../../src/input";
import { FORMATS, renderReport, type OutputFormat } from "../../src/report";
import { ruleMetas } from "../../src/rules";
import {
  ARM_SEEDS,
  cleanly,
  count,
  describeCase,
  expectNoCanary,
  FUZZ_TIMEOUT,
  fuzzParameters,
  jsonCase,
  LONG_RUN,
  mutateBytes,
  mutatedText,
  reportCounts,
  ROOT,
  seed,
  STACK_EXPORT_SEEDS,
  guarded,
  tempDir,
  within,
  type Json,
  type JsonCase,
  type JsonPath,
} from "./helpers";

const dir = tempDir();
afterAll(() => {
  fs.rmSync(dir, { recursive: true, force: true });
  reportCounts();
});

const config = loadConfig(path.join(ROOT, "examples", "bridgeguard.yaml"));
const metas = ruleMetas();

/** Audits and renders a loaded set: nothing may throw, the canary may not come out. */
function auditAndRender(set: ReturnType<typeof loadResourceFile>, context: string, formats: readonly OutputFormat[] = FORMATS): void {
  expectNoCanary(JSON.stringify(set), `${context}: the normalized resources`);
  const report = auditResourceSet(set, config);
  for (const format of formats) expectNoCanary(renderReport(format, report, metas, { failOn: "error" }), `${context}: the ${format} report`);
}

/** One case: write the mutated bytes, load them as the CLI does, audit what loads. */
function runCase(seeds: readonly string[], c: JsonCase, counter: string): void {
  count(counter);
  const s = seed(seeds[c.seed]!);
  const bytes = mutateBytes(mutatedText(s, c.values), c.bytes);
  const file = path.join(dir, `case-${path.basename(s.name)}`);
  fs.writeFileSync(file, bytes);
  const context = describeCase(c, seeds);
  try {
    // A 10 MB string or 100k levels cost a few hundred ms; a hang or a quadratic path costs far more.
    guarded(`${counter}: ${context}`, () =>
      within(LONG_RUN ? 30_000 : 15_000, context, () => {
        const set = cleanly(() => loadResourceFile(file), file, context);
        if (set) auditAndRender(set, context);
      }),
    );
  } catch (error) {
    if (error instanceof Error && !error.message.startsWith(context.slice(0, 40))) error.message = `${context}\n${error.message}`;
    throw error;
  }
}

describe("fuzzing the resource loaders", () => {
  it(
    "stack exports (v3, v4) mutated at the paths the checks read: a report or one clean error",
    () => {
      fc.assert(
        fc.property(jsonCase(STACK_EXPORT_SEEDS.length), (c) => runCase(STACK_EXPORT_SEEDS, c, "stack export (loadResourceFile)")),
        fuzzParameters(300, 0.5),
      );
    },
    FUZZ_TIMEOUT,
  );

  it(
    "ARM JSON (one body, an array, {value: [...]}, az output) mutated: a report or one clean error",
    () => {
      fc.assert(fc.property(jsonCase(ARM_SEEDS.length), (c) => runCase(ARM_SEEDS, c, "ARM JSON (loadResourceFile)")), fuzzParameters(200, 0.3));
    },
    FUZZ_TIMEOUT,
  );
});

/** Every value type a check could be handed where it expects another. */
const WRONG: Json[] = [null, true, 0, -1.5, "", "not-what-you-think", [], [null], {}, { a: [1] }];

/** The paths of the resources the checks read (not `other` resources, which are never looked into). */
function checkedPaths(file: string): JsonPath[] {
  const s = seed(file);
  return s.paths;
}

/** Sets the value at `at`; returns the undo (the loaders never change what they read, so one copy serves every case). */
function setAt(root: Json, at: JsonPath, value: Json): () => void {
  let cur = root as Record<string | number, Json>;
  for (const key of at.slice(0, -1)) cur = cur[key] as Record<string | number, Json>;
  const key = at[at.length - 1]!;
  const before = cur[key]!;
  cur[key] = value;
  return () => {
    cur[key] = before;
  };
}

describe("wrong types at every path", () => {
  // Deterministic sweep: every path of every seed gets one wrong value (a different type at each path,
  // all of them in a fuzz run). In process, without files: the normalizer and the engine are the subject.
  for (const file of [...STACK_EXPORT_SEEDS, ...ARM_SEEDS]) {
    it(
      `${file}: each path with a value of another type`,
      () => {
        const s = seed(file);
        const paths = checkedPaths(file);
        const root = structuredClone(s.value);
        const normalize = STACK_EXPORT_SEEDS.includes(file) ? normalizeStackExport : normalizeArm;
        let cases = 0;
        paths.forEach((at, i) => {
          const values = LONG_RUN ? WRONG : [WRONG[i % WRONG.length]!];
          for (const value of values) {
            cases++;
            count("wrong type at a path (normalize + audit)");
            const undo = setAt(root, at, value);
            const context = `${file} ${JSON.stringify(at)} = ${JSON.stringify(value)}`;
            try {
              guarded(context, () => {
                const set = cleanly(() => normalize(root, file), file, context);
                // Rendering every format of every sweep case is for a fuzz run; npm test renders one, in turn.
                if (set) auditAndRender(set, context, LONG_RUN ? FORMATS : [FORMATS[i % FORMATS.length]!]);
              });
            } finally {
              undo();
            }
          }
        });
        expect(cases).toBeGreaterThan(0);
      },
      FUZZ_TIMEOUT,
    );
  }
});

/** Cases the fuzzers found (each was a crash or a hang before its fix), kept as plain regressions. */
describe("regressions found by fuzzing", () => {
  type Exported = { deployment: { resources: { urn: string; type: string; id?: string; outputs: Record<string, unknown> }[] } };
  const exported = (): Exported => structuredClone(seed("examples/misconfigured-stamp.json").value) as unknown as Exported;
  const expectCleanError = (fn: () => unknown, file: string, message: RegExp) => {
    let caught: unknown;
    const started = performance.now();
    try {
      fn();
    } catch (error) {
      caught = error;
    }
    expect(performance.now() - started).toBeLessThan(5000);
    expect(caught, "expected an error").toBeDefined();
    expect(() => cleanly(() => {
      throw caught;
    }, file, "regression")).not.toThrow();
    expect((caught as Error).message).toMatch(message);
  };

  it("a priority beyond 2^53 (a 39-digit integer): an endless loop looking for a free priority, now one clean error", () => {
    const exp = exported();
    const group = exp.deployment.resources.find((r) => r.type.endsWith(":FirewallPolicyRuleCollectionGroup"))!;
    delete group.id;
    group.outputs.priority = 1.2345678901234568e38;
    expectCleanError(() => normalizeStackExport(exp, "x.json"), "x.json", /outputs\.priority: expected an integer below 2\^53/);
  });

  it("every resource listed 900 times (one URN each): quadratic evaluation for minutes, now one clean error", () => {
    const exp = exported();
    exp.deployment.resources = Array.from({ length: 900 }, () => exp.deployment.resources).flat();
    expectCleanError(() => normalizeStackExport(exp, "x.json"), "x.json", /resources\[\d+\]\.urn: the same URN as deployment\.resources\[\d+\]/);
  });

  it("ARM bodies listed twice (one id each): one clean error", () => {
    const body = seed("test/fixtures/arm/classic-firewall.json").value;
    expectCleanError(() => normalizeArm([body, structuredClone(body)], "x.json"), "x.json", /^x\.json: \[1\]\.id: the same resource id as \[0\]/);
  });

  it("names that are Object.prototype's (an ARM type, an FQDN tag, a next hop named \"__proto__\"): a TypeError, now read as unknown", () => {
    const registration = structuredClone(seed("test/fixtures/arm/registration-get.json").value) as Record<string, unknown>;
    for (const type of ["__proto__", "constructor", "toString"]) {
      const set = normalizeArm({ ...registration, type }, "x.json");
      expect(set.resources[0]!.kind).toBe("other");
      auditAndRender(set, `ARM type ${type}`);
    }
    const exp = exported();
    for (const r of exp.deployment.resources) {
      const collections = r.outputs.ruleCollections as { rules?: Record<string, unknown>[] }[] | undefined;
      for (const rule of collections?.flatMap((c) => c.rules ?? []) ?? []) if (rule.ruleType === "ApplicationRule") rule.fqdnTags = ["__proto__", "constructor", "hasOwnProperty"];
      const routes = r.outputs.routes as Record<string, unknown>[] | undefined;
      for (const route of routes ?? []) route.nextHopType = "__proto__";
    }
    auditAndRender(normalizeStackExport(exp, "x.json"), "FQDN tags and next hops named after Object.prototype's keys");
  });

  it("a 10 MB URN (quoted in every finding, every format: a report too long to be a string), now one clean error", () => {
    const exp = exported();
    exp.deployment.resources.find((r) => r.type.endsWith(":AzureFirewall"))!.urn = `urn:pulumi:a::b::azure-native:network:AzureFirewall::${"n".repeat(10 * 1024 * 1024)}`;
    expectCleanError(() => normalizeStackExport(exp, "x.json"), "x.json", /urn: expected at most 8192 characters/);
  });
});
