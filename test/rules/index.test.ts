/** The rule list as data: ids, slugs and codes are a contract (config keys, docs pages, policy names). */
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { ERROR_CODES, type ErrorCode } from "../../src/catalog/codes";
import { ALL_RULES, findRule, ruleMetas } from "../../src/rules";

const ROOT = path.resolve(__dirname, "../..");
/** The static rules (decided from configuration); probe rules, if listed, live and are tested elsewhere. */
const metas = ruleMetas().filter((m) => m.scope === "resource" || m.scope === "stack");
const STATIC_RULE_IDS = [
  ...["BG101", "BG102", "BG103", "BG104", "BG105", "BG106", "BG107", "BG108"],
  ...["BG201", "BG202", "BG203", "BG204", "BG205", "BG206", "BG207", "BG208", "BG209"],
  ...["BG301", "BG401", "BG501"],
];

/** The hundreds digit of an id groups rules by the code they raise. */
const CODE_BY_HUNDRED: Readonly<Record<string, ErrorCode>> = {
  "1": "Unauthorized",
  "2": "NetworkError",
  "3": "LoginError",
  "4": "RequestTimedOut",
  "5": "CertificateValidationError",
};

describe("ALL_RULES", () => {
  it("lists the twenty static rules in id order; ids and slugs unique", () => {
    expect(metas.map((m) => m.id)).toEqual(STATIC_RULE_IDS);
    const all = ruleMetas();
    expect(new Set(all.map((m) => m.id)).size).toBe(all.length);
    expect(new Set(all.map((m) => m.slug)).size).toBe(all.length);
  });

  it("covers every documented error code", () => {
    expect([...new Set(metas.map((m) => m.code))].sort()).toEqual([...ERROR_CODES].sort());
  });

  it.each(metas)("$id $slug: well-formed metadata", (meta) => {
    expect(meta.id).toMatch(/^BG\d{3}$/);
    expect(meta.slug).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
    expect(CODE_BY_HUNDRED[meta.id.charAt(2)]).toBe(meta.code);
    expect(["error", "warning"]).toContain(meta.severity);
    for (const text of [meta.title, meta.why, meta.remediation]) expect(text.trim().length).toBeGreaterThan(10);
    expect(meta.appliesTo.length).toBeGreaterThan(0);
  });

  it.each(metas)("$id: found by id (any case) and by slug", (meta) => {
    const rule = ALL_RULES.find((r) => r.meta.id === meta.id);
    expect(findRule(meta.id)).toBe(rule);
    expect(findRule(meta.id.toLowerCase())).toBe(rule);
    expect(findRule(meta.slug)).toBe(rule);
  });

  it.each(metas)("$id: one source file, one test file, one docs page", (meta) => {
    expect(fs.readdirSync(path.join(ROOT, "src/rules")).filter((f) => f.startsWith(`${meta.id}-`))).toHaveLength(1);
    expect(fs.existsSync(path.join(ROOT, "test/rules", `${meta.id}-${meta.slug}.test.ts`))).toBe(true);
    expect(fs.existsSync(path.join(ROOT, "docs/rules", `${meta.id}.md`))).toBe(true);
  });
});
