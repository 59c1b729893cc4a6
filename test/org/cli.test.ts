/**
 * CI at organization scale, through the built CLI: suppressions, baselines, many stacks at once, the
 * severity gate and per-code overrides.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import Ajv from "ajv";
import type * as Sarif from "sarif";
import { afterAll, describe, expect, it } from "vitest";
import type { Baseline } from "../../src/engine/baseline";
import type { Finding, Report } from "../../src/model/finding";
import reportSchema from "../../src/schemas/report.schema.json";
import { exampleConfig, healthy, misconfigured, runCli } from "../cli/run-cli";

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "bg-org-cli-"));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const EXAMPLE_CONFIG = fs.readFileSync(exampleConfig, "utf8");
const validateReport = new Ajv({ strict: false }).compile(reportSchema);

function write(name: string, text: string): string {
  const file = path.join(dir, name);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, text);
  return file;
}

/** The example configuration plus `extra` YAML (appended: the example ends inside `rules:`). */
function config(name: string, extra: string): string {
  return write(name, `${EXAMPLE_CONFIG.trimEnd()}\n${extra}`);
}

function json(result: { stdout: string }): Report {
  const report = JSON.parse(result.stdout) as Report;
  expect(validateReport(report), JSON.stringify(validateReport.errors)).toBe(true);
  return report;
}

/** The misconfigured example with every error finding suppressed (and BG106, by its code): warnings BG207 and BG401 remain. */
const SUPPRESS_ERRORS = `
suppressions:
  - rule: Unauthorized
    resource: "*"
    justification: Registration moves are tracked in CHG-1001 (J. Doe)
  - rule: login-endpoint-blocked
    resource: "*"
    justification: Entra ID egress goes through the proxy tier, reviewed 2026-05 (A. Smith)
  - rule: BG201
    resource: urn:pulumi:staging::azs-border::azure-native:network:FirewallPolicyRuleCollectionGroup::azure-stack-bridge
    justification: ARM is reached through the private link, CHG-1002
  - rule: BG501
    resource: azure-stack-*
    justification: TLS inspection exempted at the border, CHG-1003
    expires: 2999-12-31
`;

describe("suppressions", () => {
  const suppressAll = config("suppress-all.yaml", SUPPRESS_ERRORS);

  it("a suppressed finding is still reported, with its justification, and does not fail the run", () => {
    const result = runCli(["audit", misconfigured, "--config", suppressAll, "--format", "json"]);
    expect(result.stderr).toBe("");
    expect(result.status).toBe(0);
    const report = json(result);
    const suppressed = report.findings.filter((f) => f.suppression);
    expect(suppressed.length).toBe(report.summary.suppressed);
    expect(suppressed.filter((f) => f.severity === "warning").map((f) => f.rule.id)).toEqual(["BG106"]);
    expect(report.summary).toMatchObject({ errors: 0, warnings: 3 });
    // BG401's route diverts usage and ARM (RequestTimedOut) and identity (LoginError): two causes by code.
    expect(report.findings.filter((f) => !f.suppression).map((f) => `${f.rule.id} ${f.code}`).sort()).toEqual(["BG207 NetworkError", "BG401 LoginError", "BG401 RequestTimedOut"]);
    expect(report.findings.find((f) => f.rule.id === "BG501")?.suppression).toEqual({ justification: "TLS inspection exempted at the border, CHG-1003", expires: "2999-12-31" });
    // Rule "no-portal" denies *.cloudapp.azure.com and management.azure.com: one cause, one BG201 finding.
    expect(report.findings.find((f) => f.rule.id === "BG201")?.suppression?.justification).toBe("ARM is reached through the private link, CHG-1002");
  });

  it("every format shows the suppression", () => {
    const run = (format: string) => runCli(["audit", misconfigured, "--config", suppressAll, "--format", format]).stdout;
    const sarif = JSON.parse(run("sarif")) as Sarif.Log;
    const withSuppression = sarif.runs[0]!.results!.filter((r) => r.suppressions?.length);
    expect(withSuppression.length).toBeGreaterThan(2);
    expect(withSuppression.find((r) => r.ruleId === "BG201")?.suppressions).toEqual([{ kind: "external", status: "accepted", justification: "ARM is reached through the private link, CHG-1002" }]);
    expect(sarif.runs[0]!.results!.every((r) => /^[0-9a-f]{64}$/.test(r.partialFingerprints?.["bridgeguard/v2"] ?? ""))).toBe(true);
    const junit = run("junit");
    // One testcase per rule: BG201's only finding is suppressed, so its test is skipped, saying why.
    expect(junit).toContain('<skipped message="1 suppressed: ARM is reached through the private link, CHG-1002"/>');
    expect(junit).toMatch(/failures="0" errors="0" skipped="[1-9]\d*"/);
    const text = run("text");
    expect(text).toMatch(/suppressed error NetworkError BG201 usage-endpoint-blocked: /);
    expect(text).toMatch(/because: +ARM is reached through the private link, CHG-1002/);
    expect(text).toMatch(/0 errors, 3 warnings, \d+ suppressed, 6 resources checked/);
    const markdown = run("markdown");
    expect(markdown).toMatch(/\| 🔕 error \| \[BG201 usage-endpoint-blocked\]\([^)]+\) \| [^|]+ \| ARM is reached through the private link, CHG-1002 \|/);
  });

  it("an expired suppression stops suppressing and says so (stderr, and the report's notices)", () => {
    const expired = config(
      "expired.yaml",
      `suppressions:\n  - rule: BG501\n    resource: azure-stack-bridge\n    justification: exempted until the new border\n    expires: 2000-01-01\n`,
    );
    const result = runCli(["audit", misconfigured, "--config", expired, "--format", "json"]);
    expect(result.status).toBe(1);
    expect(result.stderr).toBe(
      `bridgeguard: warning: ${expired}: suppressions[0] (rule BG501, resource "azure-stack-bridge") expired on 2000-01-01: the finding it matched is no longer suppressed\n`,
    );
    const report = json(result);
    expect(report.findings.find((f) => f.rule.id === "BG501")?.suppression).toBeUndefined();
    expect(report.summary.suppressed).toBe(0);
    expect(report.notices).toEqual([{ level: "warning", kind: "suppression-expired", message: result.stderr.replace(/^bridgeguard: warning: /, "").trimEnd() }]);
    // A wide terminal: the notice on one line.
    expect(runCli(["audit", misconfigured, "--config", expired], { env: { COLUMNS: "250" } }).stdout).toMatch(/^warning: .*expired on 2000-01-01/m);
  });

  it("a suppression that matches nothing is a stale warning; it does not change the exit code", () => {
    const stale = config("stale.yaml", `suppressions:\n  - rule: dns-blocked\n    resource: "*"\n    justification: DNS goes elsewhere\n`);
    const result = runCli(["audit", misconfigured, "--config", stale, "--fail-on", "none"]);
    expect(result.status).toBe(0);
    expect(result.stderr).toMatch(/^bridgeguard: warning: .*stale\.yaml: suppressions\[0\] \(rule dns-blocked, resource "\*"\) matches no finding \(stale\)/);
  });

  it.each([
    ["no justification", "suppressions:\n  - rule: BG202\n    resource: x\n", /bad-1\.yaml:\d+:\d+: suppressions\[0\]\.justification: is required/],
    ["a blank justification", 'suppressions:\n  - rule: BG202\n    resource: x\n    justification: "  "\n', /bad-2\.yaml: suppressions\[0\]\.justification: expected a justification, not blanks/],
    ["an unknown rule", "suppressions:\n  - rule: BG999\n    resource: x\n    justification: y\n", /bad-3\.yaml: suppressions\[0\]\.rule: unknown rule or code "BG999"/],
    ["an impossible date", "suppressions:\n  - rule: BG202\n    resource: x\n    justification: y\n    expires: 2026-02-30\n", /bad-4\.yaml: suppressions\[0\]\.expires: expected a calendar date/],
  ])("a suppression with %s is a configuration error (exit 2, file and path)", (_name, extra, pattern) => {
    const index = ["no justification", "a blank justification", "an unknown rule", "an impossible date"].indexOf(_name) + 1;
    const result = runCli(["audit", misconfigured, "--config", config(`bad-${index}.yaml`, extra)]);
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(pattern);
    expect(result.stdout).toBe("");
  });
});

/** The misconfigured example, reordered and with its NSG's deny rule renamed and re-prioritised: same findings, other words. */
/** The example, resources reversed and the NSG's deny renumbered (or renamed: another rule, so another cause). */
function reworded(rename?: string): string {
  const stack = JSON.parse(fs.readFileSync(misconfigured, "utf8"));
  stack.deployment.resources.reverse();
  const nsg = stack.deployment.resources.find((r: { type: string }) => r.type.endsWith("NetworkSecurityGroup"));
  for (const props of [nsg.inputs, nsg.outputs]) {
    const rule = props.securityRules.find((r: { name: string }) => r.name === "deny-aad");
    if (rename) rule.name = rename;
    rule.priority = 310;
  }
  return write(rename ? "renamed.json" : "reworded.json", JSON.stringify(stack, null, 1));
}

describe("baselines", () => {
  const baselineFile = path.join(dir, "baseline.json");
  const fingerprints = (report: Report) => report.findings.map((f) => f.fingerprint).sort();

  it("--create-baseline writes every finding's fingerprint, with rule, resource and endpoint beside it", () => {
    const result = runCli(["audit", misconfigured, "--config", exampleConfig, "--create-baseline", baselineFile, "--format", "json"]);
    expect(result.status).toBe(0);
    const baseline = JSON.parse(fs.readFileSync(baselineFile, "utf8")) as Baseline;
    const report = json(result);
    expect(baseline.schemaVersion).toBe(2);
    expect(baseline.fingerprints.map((e) => e.fingerprint).sort()).toEqual([...new Set(fingerprints(report))]);
    expect(baseline.fingerprints.find((e) => e.rule === "BG201 usage-endpoint-blocked")).toMatchObject({ endpoints: ["*.cloudapp.azure.com:443/https", "management.azure.com:443/https"] });
    expect(report.findings.every((f) => f.baselineState === "unchanged")).toBe(true);
  });

  it("--baseline: the same findings do not fail the run", () => {
    const result = runCli(["audit", misconfigured, "--config", exampleConfig, "--baseline", baselineFile, "--format", "json"]);
    expect(result.status).toBe(0);
    const report = json(result);
    expect(report.summary).toMatchObject({ errors: 0, warnings: 0, baselined: report.findings.length });
    expect(runCli(["audit", misconfigured, "--config", exampleConfig, "--baseline", baselineFile]).stdout).toMatch(/0 errors, 0 warnings, \d+ in the baseline/);
  });

  it("survives reordered resources and reworded messages", () => {
    const file = reworded();
    const before = json(runCli(["audit", misconfigured, "--config", exampleConfig, "--format", "json"]));
    const after = json(runCli(["audit", file, "--config", exampleConfig, "--format", "json"]));
    const message = (report: Report) => report.findings.find((f) => f.rule.id === "BG301" && f.resource.name === "stamp-vip-nsg")!.message;
    expect(message(after)).not.toBe(message(before));
    expect(message(after)).toContain("310");
    expect(fingerprints(after)).toEqual(fingerprints(before));
    const result = runCli(["audit", file, "--config", exampleConfig, "--baseline", baselineFile]);
    expect(result.status).toBe(0);
  });

  it("fingerprints follow the cause: another endpoint broken by the same rule is not new", () => {
    // Another time server: BG108's endpoint changes, but the default deny that breaks it is the same cause.
    const moved = write("moved-ntp.yaml", EXAMPLE_CONFIG.replace("timeServer: 10.0.0.10", "timeServer: 10.0.0.11"));
    const result = runCli(["audit", misconfigured, "--config", moved, "--baseline", baselineFile, "--format", "json"]);
    expect(result.status).toBe(0);
    expect(json(result).findings.find((f) => f.rule.id === "BG108")).toMatchObject({ baselineState: "unchanged", endpoints: [{ host: "10.0.0.11" }] });
  });

  it("a new cause fails the run, and only it counts", () => {
    // The NSG's deny renamed: another rule denies the identity endpoints, a new cause (the old one is gone).
    const result = runCli(["audit", reworded("block-entra-id"), "--config", exampleConfig, "--baseline", baselineFile, "--format", "json"]);
    expect(result.status).toBe(1);
    const report = json(result);
    const fresh = report.findings.filter((f) => f.baselineState === "new");
    expect(fresh.length).toBeGreaterThan(0);
    expect(new Set(fresh.map((f) => `${f.rule.id} ${f.resource.name} ${f.cause}`))).toEqual(new Set(['BG301 stamp-vip-nsg rule "block-entra-id"']));
    expect(report.summary.errors + report.summary.warnings).toBe(fresh.length);
    expect(report.summary.errors).toBeGreaterThan(0);
    expect(report.summary.baselined).toBe(report.findings.length - fresh.length);
    const sarif = JSON.parse(runCli(["audit", reworded("block-entra-id"), "--config", exampleConfig, "--baseline", baselineFile, "--format", "sarif"]).stdout) as Sarif.Log;
    expect(new Set(sarif.runs[0]!.results!.filter((r) => r.baselineState === "new").map((r) => r.ruleId))).toEqual(new Set(["BG301"]));
  });

  it("a bad baseline file is an input error naming it", () => {
    const notBaseline = write("not-a-baseline.json", '{"schemaVersion": 1, "tool": {"name": "bridgeguard", "version": "0"}, "fingerprints": [{"fingerprint": "nope"}]}');
    const result = runCli(["audit", misconfigured, "--baseline", notBaseline]);
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/not-a-baseline\.json: fingerprints\[0\]\.rule: is required/);
    expect(runCli(["audit", misconfigured, "--baseline", path.join(dir, "absent.json")]).stderr).toMatch(/absent\.json: file not found/);
  });

  it("--baseline and --create-baseline together are bad usage", () => {
    const result = runCli(["audit", misconfigured, "--baseline", baselineFile, "--create-baseline", path.join(dir, "b2.json")]);
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/cannot be used with/);
  });

  it("no baseline is written when a file could not be audited", () => {
    const target = path.join(dir, "partial-baseline.json");
    const result = runCli(["audit", misconfigured, write("bad-input.json", "{"), "--create-baseline", target]);
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/partial-baseline\.json: baseline not written: 1 input file\(s\) could not be audited/);
    expect(fs.existsSync(target)).toBe(false);
  });
});

describe("many stacks at once", () => {
  const stacks = path.join(dir, "stacks");
  write("stacks/prod/a.json", fs.readFileSync(misconfigured, "utf8"));
  write("stacks/prod/b.json", fs.readFileSync(healthy, "utf8"));
  write("stacks/lab/c.json", fs.readFileSync(misconfigured, "utf8").replaceAll("urn:pulumi:staging::", "urn:pulumi:lab::"));
  write("stacks/lab/notes.txt", "not a stack");
  const broken = write("stacks/lab/broken.json", '{\n  "version": 3,\n  "deployment": {,\n}');

  it("takes files, directories and globs; reports per stack and in total", () => {
    const result = runCli(["audit", path.join(stacks, "prod"), `${stacks}/lab/c*.json`, healthy, "--config", exampleConfig, "--format", "json"]);
    expect(result.status).toBe(1);
    const report = json(result);
    expect(report.stacks?.map((s) => path.relative(dir, s.file))).toEqual(["stacks/prod/a.json", "stacks/prod/b.json", "stacks/lab/c.json", path.relative(dir, healthy)]);
    const [a, b, c] = report.stacks!;
    expect(a!.summary.errors).toBeGreaterThan(0);
    expect(b!.summary).toMatchObject({ errors: 0, warnings: 0, resources: 6 });
    expect(c!.summary.errors).toBe(a!.summary.errors);
    expect(report.summary.errors).toBe(a!.summary.errors + c!.summary.errors);
    expect(report.summary.resources).toBe(24);
    expect(new Set(report.findings.map((f) => f.file))).toEqual(new Set([a!.file, c!.file]));
    // A wide terminal: each summary on one line.
    const text = runCli(["audit", path.join(stacks, "prod"), `${stacks}/lab/c*.json`, "--config", exampleConfig], { env: { COLUMNS: "250" } }).stdout;
    expect(text).toMatch(/^== .*stacks\/prod\/a\.json$/m);
    expect(text).toMatch(/^.*stacks\/prod\/b\.json: 0 errors, 0 warnings, 6 resources checked, 26 endpoints evaluated$/m);
    expect(text).toMatch(/^total: \d+ errors, \d+ warnings, 18 resources checked, 26 endpoints evaluated in 3 stacks$/m);
  });

  it("one unreadable file is an error for that file (exit 2), and the others' findings are still reported", () => {
    const result = runCli(["audit", stacks, "--config", exampleConfig, "--format", "json"]);
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/^bridgeguard: .*stacks\/lab\/broken\.json:3:\d+: invalid JSON/);
    const report = json(result);
    expect(report.stacks?.find((s) => s.file === broken)?.error).toMatch(/broken\.json:3:\d+: invalid JSON/);
    expect(report.stacks?.filter((s) => !s.error)).toHaveLength(3);
    expect(report.findings.length).toBeGreaterThan(10);
    expect(runCli(["audit", stacks, "--config", exampleConfig, "--soft-fail"]).status).toBe(2);
  });

  it("--jobs 1 and --jobs 2 give identical reports", () => {
    for (const format of ["json", "text", "sarif"]) {
      const one = runCli(["audit", stacks, healthy, "--config", exampleConfig, "--format", format, "--jobs", "1"]);
      const two = runCli(["audit", stacks, healthy, "--config", exampleConfig, "--format", format, "--jobs", "2"]);
      expect(two.stdout, format).toBe(one.stdout);
      expect(two.stderr).toBe(one.stderr);
      expect(two.status).toBe(one.status);
    }
  });

  it("a pattern that matches nothing, an empty directory, and a bad --jobs are bad usage", () => {
    const none = runCli(["audit", `${stacks}/*.yaml`]);
    expect(none.status).toBe(2);
    expect(none.stderr).toContain(`${stacks}/*.yaml: the pattern matches no file`);
    expect(none.stdout).toBe("");
    fs.mkdirSync(path.join(dir, "empty"));
    expect(runCli(["audit", path.join(dir, "empty")]).stderr).toMatch(/empty: is a directory with no \.json file in it/);
    for (const jobs of ["0", "two", "1.5"]) expect(runCli(["audit", healthy, "--jobs", jobs]).status).toBe(2);
  });

  it("a configuration error with workers already started still ends at once with exit 2", () => {
    const result = runCli(["audit", stacks, healthy, "--jobs", "2", "--config", write("broken-config.yaml", "clod: x\n")]);
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/broken-config\.yaml:1:1: clod: unknown key/);
    expect(result.stdout).toBe("");
  });

  it("does not audit its baseline or config when they sit in the audited directory, and never overwrites an audited file", () => {
    const own = path.join(dir, "own");
    write("own/a.json", fs.readFileSync(healthy, "utf8"));
    const output = path.join(own, "report.json");
    const first = runCli(["audit", own, "--create-baseline", path.join(own, "baseline.json"), "--format", "json", "--output", output]);
    expect(first.status).toBe(0);
    // The report now sits in the audited directory: it is one of the files the directory reaches, an input.
    const second = runCli(["audit", own, "--baseline", path.join(own, "baseline.json"), "--format", "json", "--output", output]);
    expect(second.stderr).toMatch(/report\.json: --output names an input of this run, the audited file: refusing to overwrite it/);
    expect(second.status).toBe(2);
    fs.rmSync(output);
    const third = runCli(["audit", own, "--baseline", path.join(own, "baseline.json"), "--format", "json", "--output", output]);
    expect(third.stderr).toBe("");
    expect(third.status).toBe(0);
    expect((JSON.parse(fs.readFileSync(output, "utf8")) as Report).stacks?.map((s) => path.basename(s.file))).toEqual(["a.json"]);
  });
});

describe("severity gate and per-code overrides", () => {
  const warningsOnly = config("warnings-only.yaml", SUPPRESS_ERRORS);

  it("--fail-on error (default) | warning | none", () => {
    expect(runCli(["audit", misconfigured, "--config", warningsOnly]).status).toBe(0);
    expect(runCli(["audit", misconfigured, "--config", warningsOnly, "--fail-on", "warning"]).status).toBe(1);
    expect(runCli(["audit", misconfigured, "--config", exampleConfig, "--fail-on", "none"]).status).toBe(0);
    expect(runCli(["audit", misconfigured, "--config", exampleConfig, "--fail-on", "error"]).status).toBe(1);
    expect(runCli(["audit", healthy, "--config", exampleConfig, "--fail-on", "warning"]).status).toBe(0);
    expect(runCli(["audit", healthy, "--fail-on", "sometimes"]).status).toBe(2);
  });

  it("failOn in the config; --fail-on wins", () => {
    const strict = config("strict.yaml", `${SUPPRESS_ERRORS}failOn: warning\n`);
    expect(runCli(["audit", misconfigured, "--config", strict]).status).toBe(1);
    expect(runCli(["audit", misconfigured, "--config", strict, "--fail-on", "error"]).status).toBe(0);
  });

  it("--fail-on warning makes warnings JUnit failures", () => {
    const junit = runCli(["audit", misconfigured, "--config", warningsOnly, "--format", "junit", "--fail-on", "warning"]).stdout;
    expect(junit).toMatch(/<testsuite name="[^"]*misconfigured-stamp\.json" tests="\d+" failures="2"/);
  });

  it("codes.<Code>.severity moves a code's findings; a rule's own setting wins", () => {
    const relaxed = config("relaxed.yaml", "codes:\n  LoginError:\n    severity: warning\n");
    const report = json(runCli(["audit", misconfigured, "--config", relaxed, "--format", "json"]));
    const login = report.findings.filter((f: Finding) => f.code === "LoginError");
    // Two LoginError causes: the firewall's default deny and the NSG's rule "deny-aad".
    expect(login.length).toBeGreaterThanOrEqual(2);
    expect(login.every((f) => f.severity === "warning")).toBe(true);
    expect(report.findings.filter((f) => f.code === "NetworkError" && f.severity === "error").length).toBeGreaterThan(0);
    // The example config ends inside `rules:`: BG301 set back to error by rule wins over its code.
    const ruleWins = config("rule-wins.yaml", "  BG301:\n    severity: error\ncodes:\n  LoginError:\n    severity: warning\n");
    const again = json(runCli(["audit", misconfigured, "--config", ruleWins, "--format", "json"]));
    expect(again.findings.filter((f) => f.rule.id === "BG301").every((f) => f.severity === "error")).toBe(true);
  });
});
