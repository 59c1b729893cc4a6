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

  it("--docs-url takes an absolute http(s) URL and nothing else", () => {
    const bad = runCli(["audit", misconfigured, "--docs-url", "docs/"]);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain("expected an absolute http(s) URL");
    const md = runCli(["audit", misconfigured, "--config", exampleConfig, "--format", "markdown", "--docs-url", "https://git.example.org/ops/bridgeguard/src/v1"]).stdout;
    expect(md).toContain("(https://git.example.org/ops/bridgeguard/src/v1/docs/rules/");
  });
});
