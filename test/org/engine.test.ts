/**
 * CI at scale, the engine's half: fingerprints, suppressions, baselines, the severity gate and per-code
 * severity overrides. Pure functions; the CLI's half is in cli.test.ts.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import type { BridgeguardConfig, SuppressionConfig } from "../../src/config/types";
import { applyBaseline, createBaseline, loadBaselineFile, parseBaseline, renderBaseline } from "../../src/engine/baseline";
import { CONFIG_SCHEMA } from "../../src/engine/config";
import { endpointKey, fingerprintFor, fingerprintOf, v1Fingerprints } from "../../src/engine/fingerprint";
import { createHash } from "node:crypto";
import { findingFails, gateFails } from "../../src/engine/gate";
import { severityOverride, toFinding } from "../../src/engine/run";
import { applySuppressions, checkSuppressions, isIsoDate, todayUtc } from "../../src/engine/suppressions";
import { loadConfigFile } from "../../src/config/load";
import { summarize, type Finding } from "../../src/model/finding";
import { findRule, ruleMetas } from "../../src/rules";
import { FIREWALL, NSG, REGISTRATION, RULE_GROUP, sampleFindings } from "../report/sample";
import { audit, findingsOf } from "../rules/assert";
import { healthyConfig, withoutAllowFor } from "../rules/fixtures";
import { errorOf } from "./helpers";

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "bg-org-engine-"));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));


function shuffled<T>(items: readonly T[]): T[] {
  // A fixed permutation: reversed, then every other one first.
  const reversed = [...items].reverse();
  return [...reversed.filter((_, i) => i % 2 === 0), ...reversed.filter((_, i) => i % 2 === 1)];
}

describe("fingerprint", () => {
  const finding = sampleFindings().find((f) => f.rule.id === "BG201")!;

  it("is 64 hex digits of sha-256 over rule id, resource URN, code and cause", () => {
    expect(fingerprintOf(finding)).toMatch(/^[0-9a-f]{64}$/);
    expect(endpointKey(finding.endpoints[0]!)).toBe("*.trafficmanager.net:443/https");
  });

  it("does not change with the message, evidence, remediation, severity, docs or the endpoints the cause breaks", () => {
    const reworded: Finding = {
      ...finding,
      message: "a different sentence entirely",
      evidence: ["other evidence"],
      remediation: "do something else",
      severity: "warning",
      docs: "https://example.org/x",
      endpoints: [...finding.endpoints, { host: "management.azure.com", port: 443, protocol: "https", purpose: "registration" }],
    };
    expect(fingerprintOf(reworded)).toBe(fingerprintOf(finding));
  });

  it("changes with the rule, the resource, the code or the cause", () => {
    const base = fingerprintOf(finding);
    expect(fingerprintOf({ ...finding, rule: { id: "BG202", slug: finding.rule.slug } })).not.toBe(base);
    expect(fingerprintOf({ ...finding, resource: { ...finding.resource, urn: `${finding.resource.urn}-2` } })).not.toBe(base);
    expect(fingerprintOf({ ...finding, code: "LoginError" })).not.toBe(base);
    expect(fingerprintOf({ ...finding, cause: 'rule "other"' })).not.toBe(base);
  });

  it("v1Fingerprints: the version 1 fingerprint of each endpoint (rule, URN, host:port/protocol)", () => {
    const v1 = (endpoint: string) => createHash("sha256").update(["bridgeguard/v1", finding.rule.id, finding.resource.urn, endpoint].join("\u0000"), "utf8").digest("hex");
    expect(v1Fingerprints(finding)).toEqual(finding.endpoints.map((e) => v1(`${e.host}:${e.port}/${e.protocol}`)));
    expect(v1Fingerprints({ ...finding, endpoints: [] })).toEqual([v1("")]);
  });

  it("is set on every finding the engine makes, and does not depend on where the resource sits in the stack", () => {
    const findings = audit(withoutAllowFor("*.trafficmanager.net"));
    expect(findings.length).toBeGreaterThan(0);
    for (const f of findings) expect(f.fingerprint).toBe(fingerprintOf(f));
    const stack = withoutAllowFor("*.trafficmanager.net");
    const reordered = audit({ ...stack, resources: [...stack.resources].reverse() });
    expect(reordered.map((f) => f.fingerprint).sort()).toEqual(findings.map((f) => f.fingerprint).sort());
  });

  it("fingerprintFor prefers the finding's own", () => {
    expect(fingerprintFor({ ...finding, fingerprint: "f".repeat(64) })).toBe("f".repeat(64));
    expect(fingerprintFor({ ...finding, fingerprint: undefined })).toBe(fingerprintOf(finding));
  });
});

describe("suppressions: matching", () => {
  const findings = sampleFindings();
  const today = "2026-06-15";
  const suppress = (s: Partial<SuppressionConfig>, at = today) =>
    applySuppressions(findings, [{ rule: "BG201", resource: FIREWALL.urn, justification: "accepted by J. Doe (CHG-1)", ...s }], { today: at });
  const suppressedIds = (s: Partial<SuppressionConfig>, at?: string) =>
    suppress(s, at)
      .findings.filter((f) => f.suppression)
      .map((f) => `${f.rule.id} ${f.resource.name}`);

  it("by rule id, slug or code (any case), and resource URN", () => {
    expect(suppressedIds({ rule: "BG201" })).toEqual(["BG201 hub-fw"]);
    expect(suppressedIds({ rule: "bg201" })).toEqual(["BG201 hub-fw"]);
    expect(suppressedIds({ rule: "usage-endpoint-blocked" })).toEqual(["BG201 hub-fw"]);
    expect(suppressedIds({ rule: "NetworkError" }).sort()).toEqual(["BG201 hub-fw", "BG203 hub-fw"]);
    expect(suppressedIds({ rule: "LoginError" })).toEqual([]);
  });

  it("by resource name, or a glob over URN or name (`*` crosses `:` and `/`)", () => {
    expect(suppressedIds({ resource: "hub-fw" })).toEqual(["BG201 hub-fw"]);
    expect(suppressedIds({ resource: "hub-*" })).toEqual(["BG201 hub-fw"]);
    expect(suppressedIds({ resource: "urn:pulumi:prod::stamp-egress::*::hub-fw" })).toEqual(["BG201 hub-fw"]);
    expect(suppressedIds({ rule: "BG201", resource: "*" }).sort()).toEqual(["BG201 bridge-rules", "BG201 hub-fw"]);
    expect(suppressedIds({ resource: "{hub-fw,bridge-rules}" }).sort()).toEqual(["BG201 bridge-rules", "BG201 hub-fw"]);
    expect(suppressedIds({ resource: "hub" })).toEqual([]);
  });

  it("keeps the finding, marks it with the justification, and takes it out of the counts", () => {
    const { findings: out } = suppress({ expires: "2026-12-31" });
    expect(out).toHaveLength(findings.length);
    const marked = out.find((f) => f.suppression)!;
    expect(marked.suppression).toEqual({ justification: "accepted by J. Doe (CHG-1)", expires: "2026-12-31" });
    expect(marked.message).toBe(findings.find((f) => f.rule.id === "BG201" && f.resource.urn === FIREWALL.urn)!.message);
    const before = summarize(findings, 1, 1);
    expect(summarize(out, 1, 1)).toEqual({ ...before, errors: before.errors - 1 });
    // The input is not changed.
    expect(findings.some((f) => f.suppression)).toBe(false);
  });

  it("an expired suppression stops suppressing and a notice says so", () => {
    // expires is the first day it no longer applies.
    expect(suppressedIds({ expires: "2026-06-16" })).toEqual(["BG201 hub-fw"]);
    expect(suppressedIds({ expires: "2026-06-15" })).toEqual([]);
    const { notices } = suppress({ expires: "2026-01-31" });
    expect(notices).toEqual([
      {
        level: "warning",
        kind: "suppression-expired",
        message: `suppressions[0] (rule BG201, resource ${JSON.stringify(FIREWALL.urn)}) expired on 2026-01-31: the finding it matched is no longer suppressed`,
      },
    ]);
  });

  it("a suppression that matches nothing is stale: a warning notice, naming the config file", () => {
    const { findings: out, notices } = applySuppressions(findings, [{ rule: "BG501", resource: "nowhere-*", justification: "x" }], {
      today,
      source: "bridgeguard.yaml",
    });
    expect(out.some((f) => f.suppression)).toBe(false);
    expect(notices).toEqual([
      {
        level: "warning",
        kind: "suppression-stale",
        message: 'bridgeguard.yaml: suppressions[0] (rule BG501, resource "nowhere-*") matches no finding (stale): remove it, or correct its rule or resource',
      },
    ]);
    expect(applySuppressions(findings, [{ rule: "BG501", resource: "nowhere", justification: "x" }], { today, reportStale: false }).notices).toEqual([]);
  });

  it("the first unexpired matching suppression gives the justification; an overlapping one is not stale", () => {
    const { findings: out, notices } = applySuppressions(
      findings,
      [
        { rule: "BG201", resource: "hub-fw", justification: "old", expires: "2020-01-01" },
        { rule: "NetworkError", resource: "hub-*", justification: "broad" },
        { rule: "BG201", resource: "hub-fw", justification: "narrow" },
      ],
      { today },
    );
    expect(out.find((f) => f.rule.id === "BG201" && f.resource.urn === FIREWALL.urn)?.suppression?.justification).toBe("broad");
    expect(notices.map((n) => n.kind)).toEqual(["suppression-expired"]);
  });

  it("todayUtc and isIsoDate", () => {
    expect(todayUtc(new Date("2026-03-01T23:30:00-05:00"))).toBe("2026-03-02");
    expect(isIsoDate("2026-02-28")).toBe(true);
    expect(isIsoDate("2026-02-30")).toBe(false);
    expect(isIsoDate("2026-2-3")).toBe(false);
  });
});

describe("suppressions: configuration", () => {
  function write(name: string, text: string): string {
    const file = path.join(dir, name);
    fs.writeFileSync(file, text);
    return file;
  }

  it("loads rule, resource, justification and expires", () => {
    const config = loadConfigFile(
      write("ok.yaml", 'suppressions:\n  - rule: BG203\n    resource: "hub-*"\n    justification: retired on our stamps\n    expires: 2026-12-31\n'),
      CONFIG_SCHEMA,
    );
    expect(config.suppressions).toEqual([{ rule: "BG203", resource: "hub-*", justification: "retired on our stamps", expires: "2026-12-31" }]);
  });

  it.each([
    ["a missing justification", "suppressions:\n  - rule: BG203\n    resource: x\n", /j\.yaml:2:\d+: suppressions\[0\]\.justification: is required/],
    ["an empty justification", 'suppressions:\n  - rule: BG203\n    resource: x\n    justification: ""\n', /suppressions\[0\]\.justification: expected a non-empty string/],
    ["an unknown key", "suppressions:\n  - rule: BG203\n    resource: x\n    justification: y\n    until: 2026-01-01\n", /suppressions\[0\]\.until: unknown key/],
    ["a malformed date", "suppressions:\n  - rule: BG203\n    resource: x\n    justification: y\n    expires: 31/12/2026\n", /suppressions\[0\]\.expires/],
    ["failOn", "failOn: sometimes\n", /failOn: expected one of "error", "warning", "none"/],
    ["an unknown code", "codes:\n  NetworkFailure:\n    severity: warning\n", /codes\.NetworkFailure: unknown key/],
    ["a code severity", "codes:\n  NetworkError:\n    severity: info\n", /codes\.NetworkError\.severity: expected one of/],
  ])("rejects %s, naming the file and path", (_name, text, pattern) => {
    expect(errorOf(() => loadConfigFile(write("j.yaml", text), CONFIG_SCHEMA))).toMatch(pattern);
  });

  it("checkSuppressions: an unknown rule, a blank justification, an impossible date", () => {
    const rules = ruleMetas();
    const check = (s: Partial<SuppressionConfig>) => () => checkSuppressions([{ rule: "BG201", resource: "x", justification: "y", ...s }], "c.yaml", rules);
    expect(check({})).not.toThrow();
    expect(check({ rule: "registration-missing" })).not.toThrow();
    expect(check({ rule: "unauthorized" })).not.toThrow();
    expect(errorOf(check({ rule: "BG999" }))).toBe('c.yaml: suppressions[0].rule: unknown rule or code "BG999" (a rule id, slug or error code: see `bridgeguard rules`)');
    expect(errorOf(check({ justification: "   " }))).toBe("c.yaml: suppressions[0].justification: expected a justification, not blanks");
    expect(errorOf(check({ expires: "2026-02-30" }))).toBe("c.yaml: suppressions[0].expires: expected a calendar date YYYY-MM-DD");
  });
});

describe("baseline", () => {
  const findings = sampleFindings();

  it("lists each fingerprint once, with rule, resource, code, cause and endpoints for people, sorted", () => {
    const baseline = createBaseline([...findings, findings[1]!]);
    expect(baseline.schemaVersion).toBe(2);
    expect(baseline.tool.name).toBe("bridgeguard");
    expect(baseline.fingerprints).toHaveLength(findings.length);
    expect(baseline.fingerprints.map((e) => e.resource)).toEqual([...baseline.fingerprints.map((e) => e.resource)].sort());
    const entry = baseline.fingerprints.find((e) => e.resource === FIREWALL.urn && e.rule.startsWith("BG201"))!;
    const bg201 = findings.find((f) => f.rule.id === "BG201" && f.resource.urn === FIREWALL.urn)!;
    expect(entry).toEqual({
      fingerprint: fingerprintOf(bg201),
      rule: "BG201 usage-endpoint-blocked",
      resource: FIREWALL.urn,
      code: "NetworkError",
      cause: bg201.cause ?? null,
      endpoints: ["*.trafficmanager.net:443/https"],
    });
    expect(baseline.fingerprints.find((e) => e.resource === REGISTRATION.urn)).toMatchObject({ endpoints: [] });
  });

  it("is the same file whatever the order of findings", () => {
    expect(renderBaseline(createBaseline(shuffled(findings)))).toBe(renderBaseline(createBaseline(findings)));
  });

  it("marks findings in it unchanged and others new, surviving reordering and reworded messages", () => {
    const baseline = parseBaseline(JSON.parse(renderBaseline(createBaseline(findings.filter((f) => f.resource.urn !== NSG.urn)))), "b.json");
    const later = shuffled(findings).map((f) => ({ ...f, message: `${f.message} (reworded)`, evidence: [] }));
    const marked = applyBaseline(later, baseline);
    expect(marked.filter((f) => f.baselineState === "new").map((f) => f.resource.name)).toEqual(["vip-nsg"]);
    expect(marked.filter((f) => f.baselineState === "unchanged")).toHaveLength(findings.length - 1);
    const summary = summarize(marked, 1, 1);
    expect(summary).toMatchObject({ errors: 0, warnings: 1 });
    expect(gateFails(summary, "error")).toBe(false);
    expect(gateFails(summary, "warning")).toBe(true);
  });

  it("a version 1 baseline (one entry per endpoint) still loads: a cause is unchanged when each of its endpoints is listed", () => {
    const v1Entries = (fs: readonly Finding[]) =>
      fs.flatMap((f) => v1Fingerprints(f).map((fingerprint) => ({ fingerprint, rule: `${f.rule.id} ${f.rule.slug}`, resource: f.resource.urn, endpoint: null })));
    const wide: Finding = { ...findings.find((f) => f.rule.id === "BG201")!, endpoints: [
      { host: "*.trafficmanager.net", port: 443, protocol: "https", purpose: "usage" },
      { host: "*.cloudapp.azure.com", port: 443, protocol: "https", purpose: "usage" },
    ] };
    const narrow: Finding = { ...wide, endpoints: [wide.endpoints[0]!] };
    const v1 = parseBaseline({ schemaVersion: 1, tool: { name: "bridgeguard", version: "0.1.0" }, fingerprints: v1Entries([narrow]) }, "old.json");
    // Every endpoint of the cause was accepted then: unchanged. One more endpoint broken since: new.
    expect(applyBaseline([narrow], v1)[0]!.baselineState).toBe("unchanged");
    expect(applyBaseline([wide], v1)[0]!.baselineState).toBe("new");
    const all = parseBaseline({ schemaVersion: 1, tool: { name: "bridgeguard", version: "0.1.0" }, fingerprints: v1Entries([wide]) }, "old.json");
    expect(applyBaseline([wide], all)[0]!.baselineState).toBe("unchanged");
  });

  it("rejects a file that is not a baseline, naming the file and the path", () => {
    const good = JSON.parse(renderBaseline(createBaseline(findings)));
    expect(errorOf(() => parseBaseline({ ...good, schemaVersion: 3 }, "b.json"))).toMatch(/^b\.json: schemaVersion: expected 1 or 2 \(a baseline of another bridgeguard version: recreate it with --create-baseline\)/);
    expect(errorOf(() => parseBaseline({ ...good, schemaVersion: 1 }, "b.json"))).toMatch(/^b\.json: fingerprints\[0\]/);
    expect(errorOf(() => parseBaseline({ ...good, fingerprints: [{ ...good.fingerprints[0], fingerprint: "abc" }] }, "b.json"))).toMatch(
      /^b\.json: fingerprints\[0\]\.fingerprint: expected 64 lowercase hex digits/,
    );
    expect(errorOf(() => parseBaseline({ schemaVersion: 2, tool: good.tool }, "b.json"))).toMatch(/^b\.json: fingerprints: is required/);
    expect(errorOf(() => parseBaseline([], "b.json"))).toMatch(/^b\.json: \(top level\): expected object/);
    const report = path.join(dir, "report.json");
    fs.writeFileSync(report, '{"schemaVersion": 1, "tool": {"name": "bridgeguard", "version": "1"}, "findings": []}');
    expect(errorOf(() => loadBaselineFile(report))).toMatch(/report\.json: fingerprints: is required \(not a bridgeguard baseline\? create one with --create-baseline\)/);
    const broken = path.join(dir, "broken.json");
    fs.writeFileSync(broken, "{\n  nope");
    expect(errorOf(() => loadBaselineFile(broken))).toMatch(/broken\.json:2:\d+: invalid JSON/);
    expect(errorOf(() => loadBaselineFile(path.join(dir, "absent.json")))).toMatch(/absent\.json: file not found/);
  });
});

describe("severity gate", () => {
  it("error fails on errors, warning on either, none never", () => {
    expect(gateFails({ errors: 1, warnings: 0 }, "error")).toBe(true);
    expect(gateFails({ errors: 0, warnings: 3 }, "error")).toBe(false);
    expect(gateFails({ errors: 0, warnings: 3 }, "warning")).toBe(true);
    expect(gateFails({ errors: 0, warnings: 0 }, "warning")).toBe(false);
    expect(gateFails({ errors: 5, warnings: 5 }, "none")).toBe(false);
  });

  it("findingFails: only active findings at or above the gate", () => {
    const [error, warning] = [sampleFindings().find((f) => f.severity === "error")!, sampleFindings().find((f) => f.severity === "warning")!];
    expect(findingFails(error, "error")).toBe(true);
    expect(findingFails(warning, "error")).toBe(false);
    expect(findingFails(warning, "warning")).toBe(true);
    expect(findingFails(error, "none")).toBe(false);
    expect(findingFails({ ...error, suppression: { justification: "x" } }, "error")).toBe(false);
    expect(findingFails({ ...error, baselineState: "unchanged" }, "warning")).toBe(false);
    expect(findingFails({ ...error, baselineState: "new" }, "error")).toBe(true);
  });
});

describe("per-code severity overrides: codes.<Code>.severity", () => {
  const withCodes = (codes: BridgeguardConfig["codes"], rules: BridgeguardConfig["rules"] = {}): BridgeguardConfig => ({ ...healthyConfig({ rules }), codes });
  const usageDenied = () => withoutAllowFor("*.trafficmanager.net");

  it("moves every rule of the code", () => {
    const findings = audit(usageDenied(), withCodes({ NetworkError: { severity: "warning" } }));
    const bg201 = findingsOf(findings, "BG201");
    expect(bg201.length).toBeGreaterThan(0);
    expect(bg201.every((f) => f.severity === "warning")).toBe(true);
  });

  it("leaves other codes alone", () => {
    const findings = audit(usageDenied(), withCodes({ LoginError: { severity: "warning" } }));
    expect(findingsOf(findings, "BG201").some((f) => f.severity === "error")).toBe(true);
  });

  it("a rule's own severity (by id or slug) wins over its code's", () => {
    const meta = findRule("BG201")!.meta;
    expect(severityOverride(meta, withCodes({ NetworkError: { severity: "warning" } }))).toBe("warning");
    expect(severityOverride(meta, withCodes({ NetworkError: { severity: "warning" } }, { BG201: { severity: "error" } }))).toBe("error");
    expect(severityOverride(meta, withCodes({ NetworkError: { severity: "warning" } }, { "usage-endpoint-blocked": { severity: "error" } }))).toBe("error");
    expect(severityOverride(meta, withCodes(undefined))).toBeUndefined();
    const violation = { resource: RULE_GROUP, message: "m", evidence: [] };
    expect(toFinding(meta, violation, withCodes({ NetworkError: { severity: "warning" } })).severity).toBe("warning");
    // What the check could not decide stays a warning, whatever the code says.
    expect(toFinding(meta, { ...violation, undetermined: true }, withCodes({ NetworkError: { severity: "error" } })).severity).toBe("warning");
  });
});
