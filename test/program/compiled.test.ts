/**
 * The compiled entry that Pulumi.yaml's `main` runs (`dist/program/index.js`, built by `npm run build`),
 * under the same mocks as the TypeScript sources: it loads, resolves to the stack outputs for a healthy
 * setup and fails the update for a broken one.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { parse } from "yaml";
import { describe, expect, it } from "vitest";
import { healthyBodies, healthyWith, IDS } from "./arm";
import { runProgram } from "./harness";

const ROOT = path.resolve(__dirname, "..", "..");
const ENTRY = path.join(ROOT, (parse(fs.readFileSync(path.join(ROOT, "Pulumi.yaml"), "utf8")) as { main: string }).main);

describe("the compiled program entry of Pulumi.yaml", () => {
  it("is built, and passes a healthy setup with the stack outputs", async () => {
    expect(ENTRY).toMatch(/dist[/\\]program[/\\]index\.js$/);
    expect(fs.existsSync(ENTRY)).toBe(true);
    const run = await runProgram({ bodies: healthyBodies(), entry: ENTRY });
    expect(run.error).toBeUndefined();
    expect(run.outputs?.findings).toEqual([]);
    expect(run.outputs?.summary).toMatchObject({ errors: 0, warnings: 0 });
  });

  it("fails the update (a RunError) when the registration is missing", async () => {
    const run = await runProgram({ bodies: healthyWith({ [IDS.registration]: null }), entry: ENTRY });
    expect(run.outputs).toBeUndefined();
    expect(pulumi.RunError.isInstance(run.error)).toBe(true);
    expect(run.findings.map((f) => f.rule.id)).toContain("BG101");
  });
});
