import * as fs from "node:fs";
import { afterAll, describe, expect, it } from "vitest";
import { detectInput, loadResourceFile, normalizeArm, normalizeStackExport } from "../../src/input";
import { fixture, inputError, readFixture, tempDir, writeTemp } from "./helpers";

const dir = tempDir();
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe("detectInput", () => {
  it("recognizes stack exports v3 and v4", () => {
    expect(detectInput(readFixture("stack-export-v3.json"), "f")).toEqual({ format: "stack-export", version: 3 });
    expect(detectInput(readFixture("stack-export-v4.json"), "f")).toEqual({ format: "stack-export", version: 4 });
  });

  it("recognizes ARM: one resource, an array, and {value: [...]}", () => {
    const single = detectInput(readFixture("arm/registration-get.json"), "f");
    expect(single.format === "arm" && single.items.map((i) => i.path)).toEqual(["(top level)"]);
    const array = detectInput(readFixture("arm/egress-array.json"), "f");
    expect(array.format === "arm" && array.items.map((i) => i.path).slice(0, 2)).toEqual(["[0]", "[1]"]);
    const list = detectInput(readFixture("arm/registrations-list.json"), "f");
    expect(list.format === "arm" && list.items.map((i) => i.path)).toEqual(["value[0]", "value[1]"]);
  });

  it("reads a body without `type` by the type its id names", () => {
    // The REST example of GET ruleCollectionGroups has no `type`.
    const body = {
      name: "ruleGroup1",
      id: "/subscriptions/subid/resourceGroups/rg1/providers/Microsoft.Network/firewallPolicies/firewallPolicy/ruleCollectionGroups/ruleGroup1",
      properties: { priority: 110, ruleCollections: [] },
    };
    const d = detectInput(body, "f");
    expect(d.format === "arm" && d.items[0]?.type).toBe("Microsoft.Network/firewallPolicies/ruleCollectionGroups");
    expect(normalizeArm(body, "f").resources[0]).toMatchObject({ kind: "ruleCollectionGroup", priority: 110, firewallPolicyName: "firewallPolicy" });
  });

  it("rejects an unsupported stack export version", () => {
    const e = inputError(() => detectInput({ version: 2, deployment: {} }, "old.json"));
    expect(e.message).toBe("old.json: version: unsupported stack export version 2 (supported: 3, 4)");
    expect(inputError(() => detectInput({ version: 5, deployment: {} }, "new.json")).message).toBe(
      "new.json: version: unsupported stack export version 5 (supported: 3, 4)",
    );
    expect(inputError(() => detectInput({ version: "3", deployment: {} }, "s.json")).message).toBe("s.json: version: expected 3 or 4, got a string");
    expect(inputError(() => detectInput({ deployment: {} }, "s.json")).message).toBe(
      "s.json: version: missing, expected the stack export version (3 or 4)",
    );
  });

  it.each([
    ["an object of another kind", { hello: "world" }, "(top level)"],
    ["a string", "just a string", "(top level)"],
    ["null", null, "(top level)"],
    ["a resource with no id or name", { type: "Microsoft.Network/routeTables" }, "(top level)"],
  ])("says which shapes were expected for %s", (_, json, path) => {
    const e = inputError(() => detectInput(json, "x.json"));
    expect(e.path).toBe(path);
    expect(e.message).toContain("expected a Pulumi stack export");
    expect(e.message).toContain('an ARM list ({"value": [...]})');
  });

  it("detects a state backend checkpoint and a preview", () => {
    expect(detectInput({ version: 3, checkpoint: { stack: "s", latest: {} } }, "s.json")).toEqual({ format: "checkpoint", version: 3 });
    expect(detectInput({ steps: [], changeSummary: {} }, "p.json")).toEqual({ format: "preview" });
    expect(inputError(() => detectInput({ version: 2, checkpoint: {} }, "s.json")).message).toBe("s.json: version: unsupported stack export version 2 (supported: 3, 4)");
  });

  it('rejects {"value": "x"}', () => {
    expect(inputError(() => detectInput({ value: "x" }, "list.json")).message).toBe("list.json: value: expected an array of ARM resources, got a string");
  });

  it("rejects an array element that is not an ARM resource", () => {
    const body = readFixture<unknown[]>("arm/egress-array.json");
    body.splice(2, 0, 42);
    expect(inputError(() => detectInput(body, "a.json")).message).toBe(
      'a.json: [2]: expected an ARM resource (an object with "type" and "id" or "name"), got a number',
    );
    expect(inputError(() => detectInput({ value: [{ name: "x" }] }, "a.json")).message).toMatch(/^a\.json: value\[0\]: expected an ARM resource/);
  });

  it("normalizeStackExport and normalizeArm refuse the other shape", () => {
    expect(inputError(() => normalizeStackExport(readFixture("arm/registration-get.json"), "r.json")).message).toBe(
      'r.json: (top level): expected a Pulumi stack export ({"version": 3, "deployment": {...}})',
    );
    expect(inputError(() => normalizeArm(readFixture("stack-export-v3.json"), "s.json")).message).toMatch(/^s\.json: \(top level\): expected ARM JSON/);
  });
});

describe("loadResourceFile", () => {
  it("loads every fixture", () => {
    for (const name of [
      "stack-export-v3.json",
      "stack-export-v4.json",
      "arm/egress-array.json",
      "arm/registration-get.json",
      "arm/registrations-list.json",
      "arm/classic-firewall.json",
    ]) {
      const set = loadResourceFile(fixture(name));
      expect(set.source).toBe(fixture(name));
      expect(set.resources.length).toBeGreaterThan(0);
    }
  });

  it("reports bad files with the file name", () => {
    const missing = `${dir}/missing.json`;
    expect(inputError(() => loadResourceFile(missing)).message).toBe(`${missing}: file not found`);
    const notInput = writeTemp(dir, "package.json", { name: "x", version: "1.0.0" });
    expect(inputError(() => loadResourceFile(notInput)).message).toMatch(/package\.json: \(top level\): expected a Pulumi stack export/);
  });
});
