import { describe, expect, it } from "vitest";
import { exampleConfig, healthy, runCli } from "../cli/run-cli";
import { fixture } from "../input/helpers";

describe("bridgeguard audit of pulumi preview --json", () => {
  it("with --show-sames: the whole planned state, the planned replace an error (exit 1), no notice", () => {
    const run = runCli(["audit", fixture("preview/replace-registration-sames.json"), "--config", exampleConfig, "--format", "json"]);
    expect(run.status).toBe(1);
    const report = JSON.parse(run.stdout);
    expect(report.findings.map((f: { rule: { id: string } }) => f.rule.id)).toEqual(expect.arrayContaining(["BG109", "BG102"]));
    expect(report.notices).toEqual([]);
    expect(run.stderr).toBe("");
  });

  it("without --show-sames and without --state: only the changes, and a notice saying so in the report and on stderr", () => {
    const run = runCli(["audit", fixture("preview/replace-registration.json"), "--config", exampleConfig, "--format", "json"]);
    expect(run.status).toBe(1);
    const report = JSON.parse(run.stdout);
    expect(report.summary.resources).toBe(1);
    expect(report.notices).toEqual([expect.objectContaining({ level: "warning", kind: "partial-input" })]);
    expect(report.notices[0].message).toContain("not the whole stack");
    expect(run.stderr).toContain("--show-sames");
    // No stack-wide finding was made up from a partial picture (BG102 needs the configuration's expectations and the stack).
    expect(report.findings.map((f: { rule: { id: string } }) => f.rule.id)).not.toContain("BG101");
  });

  it("without --show-sames, with --state: the same findings as with --show-sames", () => {
    const ids = (args: string[]) => JSON.parse(runCli(["audit", ...args, "--config", exampleConfig, "--format", "json"]).stdout).findings.map((f: { fingerprint: string }) => f.fingerprint).sort();
    expect(ids([fixture("preview/replace-registration.json"), "--state", healthy])).toEqual(ids([fixture("preview/replace-registration-sames.json")]));
  });
});
