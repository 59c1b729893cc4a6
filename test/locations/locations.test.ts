import * as fs from "node:fs";
import { describe, expect, it } from "vitest";
import { parseSourcePosition } from "../../src/input";
import type { Finding, Report } from "../../src/model/finding";
import { escapeData, escapeProperty, renderGithub, toSarifLog } from "../../src/report";
import { auditRuleMetas } from "../../src/rules";
import { exampleConfig, misconfigured, runCli } from "../cli/run-cli";
import { fixture } from "../input/helpers";

const PREVIEW = fixture("preview/replace-registration-sames.json");

function auditJson(args: string[]): Report {
  const run = runCli(["audit", ...args, "--config", exampleConfig, "--format", "json", "--soft-fail"]);
  expect(run.status, run.stderr).toBe(0);
  return JSON.parse(run.stdout) as Report;
}

describe("Pulumi's sourcePosition", () => {
  it("reads project:///<path>#<line>[,<column>] (pkg/resource/deploy/source_eval.go)", () => {
    expect(parseSourcePosition("project:///infra/egress.ts#42,7")).toEqual({ path: "infra/egress.ts", line: 42, column: 7 });
    expect(parseSourcePosition("project:///index.ts#12")).toEqual({ path: "index.ts", line: 12 });
    expect(parseSourcePosition("project:///my%20dir/index.ts#3,1")).toEqual({ path: "my dir/index.ts", line: 3, column: 1 });
  });

  it("gives no position rather than a wrong one", () => {
    for (const bad of ["file:///abs/index.ts#1,1", "project:///index.ts", "project:///../outside.ts#1", "project:///a/./b.ts#1", "project:///index.ts#0", "project://host/index.ts#1", 42, undefined]) {
      expect(parseSourcePosition(bad), String(bad)).toBeUndefined();
    }
  });
});

describe("each finding's line in the audited file", () => {
  it("is the resource's own line: the line that holds its urn, different resources on different lines", () => {
    const report = auditJson([misconfigured]);
    const lines = fs.readFileSync(misconfigured, "utf8").split("\n");
    expect(report.findings.length).toBeGreaterThan(3);
    for (const f of report.findings) {
      expect(f.resource.line, f.resource.urn).toBeGreaterThan(1);
      expect(lines[f.resource.line! - 1]).toContain(`"urn": ${JSON.stringify(f.resource.urn)}`);
    }
    expect(new Set(report.findings.map((f) => f.resource.line)).size).toBeGreaterThan(2);
  });

  it("in a preview, the line of the resource's step", () => {
    const report = auditJson([PREVIEW]);
    const lines = fs.readFileSync(PREVIEW, "utf8").split("\n");
    const registration = report.findings.find((f) => f.rule.id === "BG109")!;
    expect(lines[registration.resource.line! - 1]).toContain(`"urn": ${JSON.stringify(registration.resource.urn)}`);
    expect(lines[registration.resource.line! - 2]).toContain('"op": "replace"');
  });
});

describe("SARIF locations", () => {
  it("point at the program line when the state recorded one (under --source-root), the audited file as a related location", () => {
    const report = auditJson([PREVIEW]);
    const log = toSarifLog(report, { rules: auditRuleMetas(), sourceRoot: "infra/" });
    const result = log.runs[0]!.results!.find((r) => r.ruleId === "BG109")!;
    expect(result.locations![0]!.physicalLocation).toEqual({ artifactLocation: { uri: "infra/index.ts" }, region: { startLine: 24, startColumn: 22 } });
    expect(result.locations![0]!.logicalLocations![0]!.fullyQualifiedName).toContain("Registration::registration");
    const related = result.relatedLocations![0]!.physicalLocation!;
    expect(related.artifactLocation!.uri).toContain("replace-registration-sames.json");
    expect(related.region!.startLine).toBe(report.findings.find((f) => f.rule.id === "BG109")!.resource.line);
  });

  it("without a source position, at the resource's line in the audited file, never line 1 for everything", () => {
    const report = auditJson([misconfigured]);
    const log = toSarifLog(report, { rules: auditRuleMetas() });
    const starts = log.runs[0]!.results!.map((r) => r.locations![0]!.physicalLocation!.region!.startLine);
    expect(starts).not.toContain(1);
    expect(new Set(starts).size).toBeGreaterThan(2);
  });
});

describe("--format github: workflow annotations", () => {
  it("escapes as the runner unescapes: % CR LF in the message; also : and , in properties", () => {
    expect(escapeData("100% done\r\nnext")).toBe("100%25 done%0D%0Anext");
    expect(escapeProperty("a:b,c%\n")).toBe("a%3Ab%2Cc%25%0A");
  });

  it("a hostile message or file name cannot end the command or start another", () => {
    const finding: Finding = {
      code: "NetworkError",
      rule: { id: "BG201", slug: "usage-endpoint-blocked" },
      severity: "error",
      resource: { urn: "urn:x\n::warning::fake", type: "t", name: "n", line: 3 },
      endpoints: [],
      message: "blocked\n::add-mask::x",
      evidence: [],
      remediation: "r",
      docs: "",
      file: "stacks/a,b:c.json",
    };
    const report = { schemaVersion: 2, tool: { name: "bridgeguard", version: "0" }, catalog: { version: "0" }, findings: [finding], summary: { errors: 1, warnings: 0, resources: 1, endpoints: 0 } } as Report;
    const out = renderGithub(report).split("\n");
    expect(out[0]).toBe("::error file=stacks/a%2Cb%3Ac.json,line=3,title=BG201 usage-endpoint-blocked (NetworkError)::blocked%0A::add-mask::x%0AResource: urn:x%0A::warning::fake%0AFix: r");
    expect(out.filter((line) => line.startsWith("::"))).toHaveLength(1);
  });

  it("from the CLI: one annotation per finding at the program line, the summary last, the gate's exit code", () => {
    const run = runCli(["audit", PREVIEW, "--config", exampleConfig, "--format", "github", "--source-root", "infra"]);
    expect(run.status).toBe(1);
    const lines = run.stdout.trimEnd().split("\n");
    expect(lines.find((l) => l.includes("BG109"))).toMatch(/^::error file=infra\/index\.ts,line=24,col=22,title=BG109 registration-planned-removal \(Unauthorized\)::the preview plans to replace/);
    expect(lines.at(-1)).toMatch(/^bridgeguard: 2 errors, 2 warnings/);
  });
});
