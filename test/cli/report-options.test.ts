/** The audit's options for people reading a report: --quiet, --docs-url, the terminal's width. */
import { describe, expect, it } from "vitest";
import { exampleConfig, misconfigured, runCli } from "./run-cli";

describe("audit report options", () => {
  it("--quiet shows the errors only, counts the rest, and keeps the exit code", () => {
    const full = runCli(["audit", misconfigured, "--config", exampleConfig]);
    const quiet = runCli(["audit", misconfigured, "--config", exampleConfig, "--quiet"]);
    expect(quiet.status).toBe(full.status);
    expect(full.stdout).toMatch(/^ {2}warning /m);
    expect(quiet.stdout).not.toMatch(/^ {2}warning /m);
    expect(quiet.stdout.match(/^ {2}error /gm)?.length).toBe(full.stdout.match(/^ {2}error /gm)?.length);
    expect(quiet.stdout).toMatch(/^\d+ warnings? not shown \(--quiet\)$/m);
  });

  it("wraps at COLUMNS when stdout is no terminal, and at 80 without it", () => {
    for (const env of [{ COLUMNS: "80" }, { COLUMNS: "" }]) {
      const lines = runCli(["audit", misconfigured, "--config", exampleConfig], { env }).stdout.split("\n");
      expect(lines.filter((l) => l.length > 80 && !/^\s*(urn:|\/subscriptions\/)/.test(l.trim()) && !/^\s+\S+$/.test(l))).toEqual([]);
    }
    const wide = runCli(["audit", misconfigured, "--config", exampleConfig], { env: { COLUMNS: "200" } }).stdout;
    expect(wide.split("\n").some((l) => l.length > 100)).toBe(true);
  });

  it("says once, first, what the configuration lacks, instead of in every finding it leaves undecided", () => {
    const bare = runCli(["audit", misconfigured, "--format", "json"], { env: { COLUMNS: "80" } });
    const report = JSON.parse(bare.stdout) as { notices?: { level: string; kind: string; message: string }[] };
    const lacking = (report.notices ?? []).filter((n) => n.kind === "configuration-incomplete");
    expect(lacking).toHaveLength(1);
    expect(lacking[0]!.message).toMatch(/^egress\.sourceAddresses is not configured: .* \d+ warning\(s\) below \("may deny"\) are undecided for that reason\. Set egress\.sourceAddresses/);
    const text = runCli(["audit", misconfigured]).stdout;
    expect(text.startsWith("warning: egress.sourceAddresses is not configured")).toBe(true);
    expect(text.match(/egress\.sourceAddresses is not configured/g)).toHaveLength(1);
    // Configured: no notice.
    expect(runCli(["audit", misconfigured, "--config", exampleConfig]).stdout).not.toContain("is not configured:");
  });

  it("--docs-url takes an absolute http(s) URL and nothing else", () => {
    const bad = runCli(["audit", misconfigured, "--docs-url", "docs/"]);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain("expected an absolute http(s) URL");
    const md = runCli(["audit", misconfigured, "--config", exampleConfig, "--format", "markdown", "--docs-url", "https://git.example.org/ops/bridgeguard/src/v1"]).stdout;
    expect(md).toContain("(https://git.example.org/ops/bridgeguard/src/v1/docs/rules/");
  });
});
