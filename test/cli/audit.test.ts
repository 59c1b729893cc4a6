import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import Ajv from "ajv";
import { afterAll, describe, expect, it } from "vitest";
import reportSchema from "../../src/schemas/report.schema.json";
import type { Report } from "../../src/model/finding";
import { exampleConfig, healthy, misconfigured, runCli } from "./run-cli";

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "bg-cli-"));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

function jsonAudit(file: string): Report {
  const result = runCli(["audit", file, "--config", exampleConfig, "--format", "json"]);
  expect(result.stderr).toBe("");
  return JSON.parse(result.stdout) as Report;
}

describe("bridgeguard audit on the bundled examples", () => {
  it("finds nothing on the healthy stamp and exits 0", () => {
    const result = runCli(["audit", healthy, "--config", exampleConfig]);
    expect(result.status).toBe(0);
    expect(result.stdout).toContain("no problems found");
    expect(result.stdout).not.toMatch(/\u001b\[/);
    expect(result.stdout).toMatch(/0 errors, 0 warnings, 6 resources checked, 26 endpoints evaluated/);
  });

  it("finds at least four of the five codes on the misconfigured stamp and exits 1", () => {
    const result = runCli(["audit", misconfigured, "--config", exampleConfig]);
    expect(result.status).toBe(1);
    const report = jsonAudit(misconfigured);
    const codes = new Set(report.findings.map((f) => f.code));
    expect([...codes].sort()).toEqual(["CertificateValidationError", "LoginError", "NetworkError", "RequestTimedOut", "Unauthorized"]);
    const rules = new Set(report.findings.map((f) => f.rule.id));
    for (const id of ["BG102", "BG106", "BG108", "BG201", "BG207", "BG301", "BG401", "BG501"]) expect(rules).toContain(id);
    // One finding per cause and code: the bar, and no cause reported twice.
    expect(report.findings.length).toBeLessThanOrEqual(12);
    const keys = report.findings.map((f) => `${f.rule.id}|${f.resource.urn}|${f.code}|${f.severity}`);
    expect(new Set(keys).size).toBe(keys.length);
    const causes = report.findings.filter((f) => f.cause !== undefined).map((f) => `${f.resource.urn}|${f.code}|${f.cause}`);
    expect(new Set(causes).size).toBe(causes.length);
    // Each endpoint a cause breaks (a deny or a route) is reported once for that cause, whatever purposes
    // the catalog lists it for.
    for (const cause of new Set(report.findings.map((f) => `${f.resource.urn}|${f.cause ?? f.rule.id}`))) {
      const endpoints = report.findings
        .filter((f) => `${f.resource.urn}|${f.cause ?? f.rule.id}` === cause)
        .flatMap((f) => f.endpoints.map((e) => `${e.host}:${e.port}`));
      expect(new Set(endpoints).size, cause).toBe(endpoints.length);
    }
    // A route's evidence names each route once, with the hosts it applies to, not once per host.
    for (const f of report.findings.filter((x) => x.rule.id === "BG401")) {
      const routes = f.evidence.map((line) => /^route "([^"]+)"/.exec(line)?.[1]).filter((r) => r !== undefined);
      expect(new Set(routes).size, f.code).toBe(routes.length);
    }
  });

  it("the pull-request comment for the misconfigured stamp fits in 200 lines", () => {
    const result = runCli(["audit", misconfigured, "--config", exampleConfig, "--format", "markdown"]);
    expect(result.status).toBe(1);
    const lines = result.stdout.trimEnd().split("\n");
    expect(lines.length).toBeLessThanOrEqual(200);
    expect(result.stdout).toContain("### Causes");
  });

  it("the comment for a healthy stamp heads its diagram as the bridge's path, not as where it is stopped", () => {
    const result = runCli(["audit", healthy, "--config", exampleConfig, "--format", "markdown"]);
    expect(result.status).toBe(0);
    expect(result.stdout).toContain("### The bridge's path\n");
    expect(result.stdout).not.toContain("Where the bridge is stopped");
    expect(runCli(["audit", misconfigured, "--config", exampleConfig, "--format", "markdown"]).stdout).toContain("### Where the bridge is stopped\n");
  });

  it("names the rule that decided a denial and the resource that holds it", () => {
    const report = jsonAudit(misconfigured);
    // Rule "no-portal" denies the usage host and the ARM endpoint: one NetworkError cause, under BG201.
    const arm = report.findings.find((f) => f.rule.id === "BG201" && f.severity === "error");
    expect(arm?.resource.name).toBe("azure-stack-bridge");
    expect(arm?.endpoints).toContainEqual({ host: "management.azure.com", port: 443, protocol: "https", purpose: "registration" });
    expect(report.findings.filter((f) => f.severity === "error" && f.endpoints.some((e) => e.host === "management.azure.com" && e.port === 443))).toHaveLength(1);
    expect(arm?.evidence.join("\n")).toMatch(/block-management.*150/);
    const tls = report.findings.find((f) => f.rule.id === "BG501");
    expect(tls?.code).toBe("CertificateValidationError");
    expect(tls?.remediation).toMatch(/terminateTLS: false on rule "usage-inspected"/);
  });

  it("colours only when asked, and NO_COLOR wins over FORCE_COLOR", () => {
    expect(runCli(["audit", misconfigured, "--config", exampleConfig], { env: { FORCE_COLOR: "1" } }).stdout).toMatch(/\u001b\[/);
    expect(runCli(["audit", misconfigured, "--config", exampleConfig], { env: { FORCE_COLOR: "1", NO_COLOR: "1" } }).stdout).not.toMatch(/\u001b\[/);
  });

  it("--soft-fail reports but exits 0 (the demo)", () => {
    const result = runCli(["audit", healthy, misconfigured, "--config", exampleConfig, "--soft-fail"]);
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/\d+ errors, \d+ warnings, 12 resources checked/);
  });

  it("writes a valid JSON report", () => {
    const report = jsonAudit(misconfigured);
    const validate = new Ajv({ strict: false }).compile(reportSchema);
    expect(validate(report), JSON.stringify(validate.errors)).toBe(true);
    expect(report.summary.errors).toBe(report.findings.filter((f) => f.severity === "error").length);
  });

  it.each(["sarif", "junit", "markdown", "json", "text"])("--format %s --output writes the file and nothing to stdout", (format) => {
    const out = path.join(dir, `report.${format}`);
    const result = runCli(["audit", misconfigured, "--config", exampleConfig, "--format", format, "--output", out]);
    expect(result.status).toBe(1);
    expect(result.stdout).toBe("");
    const text = fs.readFileSync(out, "utf8");
    expect(text).toContain("BG501");
    expect(text).not.toMatch(/\u001b\[/);
  });

  it("SARIF points each result at the file it came from", () => {
    const result = runCli(["audit", healthy, misconfigured, "--config", exampleConfig, "--format", "sarif"]);
    const sarif = JSON.parse(result.stdout) as { runs: { results: { locations: { physicalLocation?: { artifactLocation: { uri: string } } }[] }[] }[] };
    const uris = new Set(sarif.runs[0]!.results.flatMap((r) => r.locations.map((l) => l.physicalLocation?.artifactLocation.uri)));
    expect([...uris].every((u) => u?.endsWith("misconfigured-stamp.json"))).toBe(true);
  });

  it("--cloud wins over the config file", () => {
    const result = runCli(["audit", healthy, "--config", exampleConfig, "--cloud", "AzureUSGovernment", "--format", "json"]);
    const report = JSON.parse(result.stdout) as Report;
    expect(report.findings.some((f) => f.endpoints.some((e) => e.host === "login.microsoftonline.us"))).toBe(true);
  });
});

describe("bad input: one line on stderr, exit 2, no stack trace", () => {
  const cases: [string, () => string[], RegExp][] = [
    ["missing file", () => ["audit", path.join(dir, "missing.json")], /missing\.json/],
    // A directory means the *.json files in it (docs/ci-at-scale.md); one with none is bad usage.
    ["a directory without .json files", () => ["audit", fs.mkdtempSync(path.join(dir, "empty-"))], /is a directory with no \.json file/],
    ["empty file", () => ["audit", write("empty.json", "")], /empty\.json: .*empty/],
    ["invalid JSON", () => ["audit", write("broken.json", '{\n  "version": 3,\n  "deployment": {,\n}')], /broken\.json:3:\d+: /],
    ["neither stack export nor ARM", () => ["audit", write("other.json", '{"hello": "world"}')], /other\.json: .*(stack export|ARM)/],
    ["unsupported version", () => ["audit", write("v9.json", '{"version": 9, "deployment": {"resources": []}}')], /unsupported stack export version 9/],
    ["bad config", () => ["audit", healthy, "--config", write("bad.yaml", "clod: x\n")], /bad\.yaml:1:1: clod: unknown key/],
    ["unknown cloud flag", () => ["audit", healthy, "--cloud", "AzureMoon"], /AzureMoon/],
    ["unknown format", () => ["audit", healthy, "--format", "pdf"], /pdf/],
    ["no file", () => ["audit"], /give the files to audit, or a state backend with --backend/],
    ["unknown command", () => ["frobnicate"], /unknown command/],
  ];
  it.each(cases)("%s", (_name, args, pattern) => {
    const result = runCli(args());
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(pattern);
    expect(result.stderr).not.toMatch(/\n\s+at /);
    expect(result.stdout).toBe("");
  });

  it("names the resource and property path of a wrongly typed property", () => {
    const stack = JSON.parse(fs.readFileSync(healthy, "utf8"));
    const group = stack.deployment.resources.find((r: { type: string }) => r.type.endsWith("FirewallPolicyRuleCollectionGroup"));
    group.outputs.priority = "high";
    const result = runCli(["audit", write("typed.json", JSON.stringify(stack))]);
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/typed\.json: .*priority.*expected/);
    expect(result.stderr).toContain("azure-stack-bridge");
  });

  it("never prints a secret value, even a plaintext one", () => {
    const canary = "CANARY-s3cr3t-7f4e2a";
    const stack = JSON.parse(fs.readFileSync(misconfigured, "utf8"));
    const registration = stack.deployment.resources.find((r: { type: string }) => r.type === "azure-native:azurestack:Registration");
    const secret = { "4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270", plaintext: JSON.stringify(canary) };
    registration.inputs.registrationToken = secret;
    registration.outputs.registrationToken = secret;
    registration.outputs.cloudId = secret;
    const file = write("secret.json", JSON.stringify(stack));
    for (const format of ["text", "json", "sarif", "junit", "markdown"]) {
      const result = runCli(["audit", file, "--config", exampleConfig, "--format", format]);
      expect(result.stdout + result.stderr).not.toContain(canary);
      expect(result.stdout.length).toBeGreaterThan(0);
    }
  });

  function write(name: string, text: string): string {
    const file = path.join(dir, name);
    fs.writeFileSync(file, text);
    return file;
  }
});
