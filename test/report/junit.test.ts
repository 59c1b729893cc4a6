import * as fs from "node:fs";
import * as path from "node:path";
import type { Element } from "@oozcitak/dom/lib/dom/interfaces";
import { create } from "xmlbuilder2";
import type { XMLBuilder } from "xmlbuilder2/lib/interfaces";
import { validateXML } from "xmllint-wasm";
import { describe, expect, it } from "vitest";
import type { Report } from "../../src/model/finding";
import { renderJunit } from "../../src/report/junit";
import { RULES, cleanReport, sampleFindings, sampleReport } from "./sample";

/** Jenkins' schema of the format (see test/fixtures/README.md), checked with libxml2's xmllint (WebAssembly build). */
const JUNIT_XSD = fs.readFileSync(path.join(__dirname, "../fixtures/schemas/junit-10.xsd"), "utf8");

async function schemaErrors(xml: string): Promise<string[]> {
  const result = await validateXML({ xml: [{ fileName: "report.xml", contents: xml }], schema: [{ fileName: "junit-10.xsd", contents: JUNIT_XSD }] });
  return result.errors.map((e) => e.rawMessage);
}

interface Case {
  suite: string;
  classname: string;
  name: string;
  time: string | null;
  failure?: { type: string; message: string; text: string };
  skipped?: string;
  error?: { type: string; message: string };
  out?: string;
}

/** The document as a JUnit consumer reads it: the DOM, with attributes and text unescaped. */
function read(xml: string): { root: Element; suites: Element[]; cases: Case[] } {
  const doc = create(xml).root();
  const all = (scope: XMLBuilder, tag: string): XMLBuilder[] => scope.filter((n) => n.node.nodeName === tag, false, true);
  const suites = all(doc, "testsuite");
  const cases = suites.flatMap((suiteBuilder) => {
    const suite = suiteBuilder.node as Element;
    return all(suiteBuilder, "testcase").map((builder): Case => {
      const tc = builder.node as Element;
      const one = (tag: string) => all(builder, tag)[0]?.node as Element | undefined;
      const failure = one("failure");
      const skipped = one("skipped");
      const error = one("error");
      return {
        suite: suite.getAttribute("name") ?? "",
        classname: tc.getAttribute("classname") ?? "",
        name: tc.getAttribute("name") ?? "",
        time: tc.getAttribute("time"),
        ...(failure ? { failure: { type: failure.getAttribute("type") ?? "", message: failure.getAttribute("message") ?? "", text: failure.textContent ?? "" } } : {}),
        ...(skipped ? { skipped: skipped.getAttribute("message") ?? "" } : {}),
        ...(error ? { error: { type: error.getAttribute("type") ?? "", message: error.getAttribute("message") ?? "" } } : {}),
        ...(one("system-out") ? { out: one("system-out")?.textContent ?? "" } : {}),
      };
    });
  });
  return { root: doc.node as Element, suites: suites.map((s) => s.node as Element), cases };
}

const attrs = (el: Element, ...names: string[]) => Object.fromEntries(names.map((n) => [n, el.getAttribute(n)]));

/** The sample findings split over two stacks, one suppressed, one baselined, and a third stack that failed. */
function multiStackReport(): Report {
  const findings = sampleFindings().map((f, i) => ({ ...f, file: i < 3 ? "stacks/a.json" : "stacks/b.json" }));
  const legacy = findings.find((f) => f.rule.id === "BG203")!;
  legacy.suppression = { justification: "retired on our stamps, CHG-1234" };
  findings.find((f) => f.rule.id === "BG101")!.baselineState = "unchanged";
  const report = sampleReport(findings);
  return {
    ...report,
    summary: { ...report.summary, errors: 3, warnings: 1, suppressed: 1, baselined: 1 },
    stacks: [
      { file: "stacks/a.json", summary: { errors: 1, warnings: 1, resources: 7, endpoints: 17, baselined: 1 } },
      { file: "stacks/b.json", summary: { errors: 2, warnings: 0, resources: 7, endpoints: 17, suppressed: 1 } },
      { file: "stacks/broken.json", summary: { errors: 0, warnings: 0, resources: 0, endpoints: 0 }, error: "stacks/broken.json:3:5: invalid JSON: expected a value" },
    ],
    notices: [{ level: "warning", kind: "suppression-stale", message: "bridgeguard.yaml: suppressions[2] matches no finding (stale)" }],
  };
}

describe("junit report", () => {
  it("is valid against Jenkins' junit-10.xsd: one stack, several, none found, failed stacks", async () => {
    for (const report of [sampleReport(), multiStackReport(), cleanReport()]) {
      for (const rules of [RULES, []]) {
        expect(await schemaErrors(renderJunit(report, { rules }))).toEqual([]);
      }
    }
  });

  it("fails the schema when broken, so the validation above means something", async () => {
    const xml = renderJunit(sampleReport(), { rules: RULES });
    // What the previous version wrote: `skipped` on <testsuites>, which the schema does not allow.
    expect(await schemaErrors(xml.replace(/<testsuites name="bridgeguard"/, '<testsuites name="bridgeguard" skipped="0"'))).not.toEqual([]);
    expect(await schemaErrors(xml.replace(/ time="0"/, ' time="soon"'))).not.toEqual([]);
  });

  it("has one testcase per rule that ran, in the rules' order, passing when the rule found nothing", () => {
    const { cases } = read(renderJunit(sampleReport(), { rules: RULES }));
    expect(cases.map((c) => c.name)).toEqual([
      "BG101 registration-missing",
      "BG201 usage-endpoint-blocked",
      "BG203 legacy-usage-endpoint-blocked",
      "BG301 login-endpoint-blocked",
      "BG501 tls-inspection",
      "BG108 time-sync-blocked",
    ]);
    const clean = cases.find((c) => c.name === "BG108 time-sync-blocked")!;
    expect(clean).toMatchObject({ suite: "bridgeguard", classname: "bridgeguard", time: "0" });
    expect(clean.failure ?? clean.skipped ?? clean.error ?? clean.out).toBeUndefined();
    for (const c of cases) expect(c.time).toBe("0");
  });

  it("a fixed finding turns its rule's test green instead of removing it", () => {
    const before = read(renderJunit(sampleReport(), { rules: RULES })).cases;
    const fixed = read(renderJunit(sampleReport(sampleFindings().filter((f) => f.rule.id !== "BG501")), { rules: RULES })).cases;
    expect(fixed.map((c) => c.name)).toEqual(before.map((c) => c.name));
    expect(before.find((c) => c.name.startsWith("BG501"))?.failure).toBeDefined();
    expect(fixed.find((c) => c.name.startsWith("BG501"))?.failure).toBeUndefined();
  });

  it("fails a rule once, with each of its findings' evidence and fix in the body", () => {
    const { cases, suites } = read(renderJunit(sampleReport(), { rules: RULES }));
    const usage = cases.find((c) => c.name === "BG201 usage-endpoint-blocked")!;
    expect(usage.failure?.type).toBe("NetworkError");
    expect(usage.failure?.message).toMatch(/^2 findings: /);
    const body = usage.failure?.text ?? "";
    expect(body).toContain('collection "deny-internet" (priority 100, Deny) rule "all" matches 203.0.113.0/27 -> *:443');
    expect(body).toContain("fix: Add an application rule allowing");
    expect(body).toContain("no rule of bridge-rules allows *.trafficmanager.net:443");
    // Escaped on the way in, intact on the way out.
    const tls = cases.find((c) => c.name.startsWith("BG501"))!;
    expect(tls.failure?.message).toBe("rule allow-arm terminates TLS for management.azure.com <inspected> & re-signed");
    expect(tls.failure?.text).toContain("<script>alert(1)</script> | `tick`");
    // Counts: 6 rules, 3 failing (BG101, BG201, BG501); the warnings pass.
    expect(attrs(suites[0]!, "tests", "failures", "errors", "skipped", "time")).toEqual({ tests: "6", failures: "3", errors: "0", skipped: "0", time: "0" });
  });

  it("lets warnings pass with their text in system-out, and --fail-on moves the line", () => {
    const { cases } = read(renderJunit(sampleReport(), { rules: RULES }));
    const login = cases.find((c) => c.name.startsWith("BG301"))!;
    expect(login.failure).toBeUndefined();
    expect(login.out).toContain("warning LoginError BG301 login-endpoint-blocked");
    expect(login.out).toContain("securityRules[2] deny-all-out: Outbound Deny * -> Internet:*");
    const strict = read(renderJunit(sampleReport(), { rules: RULES, failOn: "warning" }));
    expect(strict.cases.filter((c) => c.failure).map((c) => c.name.slice(0, 5))).toEqual(["BG101", "BG201", "BG203", "BG301", "BG501"]);
    expect(read(renderJunit(sampleReport(), { rules: RULES, failOn: "none" })).cases.filter((c) => c.failure)).toEqual([]);
  });

  it("has a suite per stack, skips rules whose findings are all accepted, and errors a stack that failed", async () => {
    const xml = renderJunit(multiStackReport(), { rules: RULES });
    const { root, suites, cases } = read(xml);
    expect(suites.map((s) => s.getAttribute("name"))).toEqual(["stacks/a.json", "stacks/b.json", "stacks/broken.json"]);
    expect(cases.filter((c) => c.suite === "stacks/a.json")).toHaveLength(RULES.length);
    const a = (name: string) => cases.find((c) => c.suite === "stacks/a.json" && c.name.startsWith(name))!;
    const b = (name: string) => cases.find((c) => c.suite === "stacks/b.json" && c.name.startsWith(name))!;
    expect(a("BG101").skipped).toBe("1 in the baseline");
    expect(a("BG101").out).toContain("baselined error Unauthorized BG101");
    expect(b("BG203").skipped).toBe("1 suppressed: retired on our stamps, CHG-1234");
    expect(b("BG201").failure?.type).toBe("NetworkError");
    expect(a("BG201").failure?.message).toBe("the firewall denies *.trafficmanager.net:443 from the public VIP range");
    const broken = cases.filter((c) => c.suite === "stacks/broken.json");
    expect(broken).toEqual([
      { suite: "stacks/broken.json", classname: "stacks/broken.json", name: "bridgeguard audit", time: "0", error: { type: "InputError", message: "stacks/broken.json:3:5: invalid JSON: expected a value" } },
    ]);
    expect(suites.map((s) => attrs(s, "tests", "failures", "errors", "skipped"))).toEqual([
      { tests: "6", failures: "1", errors: "0", skipped: "1" },
      { tests: "6", failures: "2", errors: "0", skipped: "1" },
      { tests: "1", failures: "0", errors: "1", skipped: "0" },
    ]);
    expect(attrs(root, "tests", "failures", "errors", "skipped", "time")).toEqual({ tests: "13", failures: "3", errors: "1", skipped: null, time: "0" });
    expect(xml).toMatch(/<system-err>warning: bridgeguard\.yaml: suppressions\[2\] matches no finding/);
  });

  it("without rules listed, shows the rules that found something, or one passing testcase", () => {
    expect(read(renderJunit(sampleReport())).cases.map((c) => c.name.slice(0, 5))).toEqual(["BG101", "BG201", "BG203", "BG301", "BG501"]);
    const { cases, suites } = read(renderJunit(cleanReport()));
    expect(cases).toEqual([{ suite: "bridgeguard", classname: "bridgeguard", name: "bridgeguard audit", time: "0" }]);
    expect(attrs(suites[0]!, "tests", "failures")).toEqual({ tests: "1", failures: "0" });
  });

  it("survives characters XML cannot carry", async () => {
    const findings = sampleFindings();
    findings[2]!.message = "bell \u0007 and form feed \u000c";
    const xml = renderJunit(sampleReport(findings), { rules: RULES });
    expect(await schemaErrors(xml)).toEqual([]);
    expect(read(xml).cases.find((c) => c.name.startsWith("BG101"))?.failure?.message).toBe("bell \uFFFD and form feed \uFFFD");
  });
});
