import * as fs from "node:fs";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { generatedDocs } from "../../src/docs/rule-page";
import { allRuleMetas } from "../../src/rules";
import { ERROR_CODES, ERROR_CODE_INFO } from "../../src/catalog/codes";
import { ROOT, runCli } from "./run-cli";

describe("bridgeguard endpoints", () => {
  it("prints the US Government allow-list as CSV", () => {
    const result = runCli(["endpoints", "--cloud", "AzureUSGovernment", "--format", "csv"]);
    expect(result.status).toBe(0);
    const lines = result.stdout.trim().split("\r\n");
    expect(lines[0]).toBe("purpose,host,path,ports,code,severity,required,note");
    expect(result.stdout).toContain("usage,*.usgovtrafficmanager.net,,HTTPS 443,NetworkError,error,true,");
    expect(result.stdout).toContain("identity,login.microsoftonline.us,,\"HTTP 80, HTTPS 443\",LoginError,error,true,");
    expect(result.stdout).not.toContain("login.microsoftonline.com");
  });

  it("takes the time and DNS servers from the config, and --all adds the optional endpoints", () => {
    const result = runCli(["endpoints", "--config", path.join(ROOT, "examples", "bridgeguard.yaml"), "--all", "--format", "json"]);
    const body = JSON.parse(result.stdout) as { catalog: { version: string; source: string }; endpoints: { host: string; purpose: string; required: boolean }[] };
    expect(body.catalog.source).toMatch(/Ports and URLs/);
    expect(body.endpoints).toContainEqual(expect.objectContaining({ host: "10.0.0.10", purpose: "time" }));
    expect(body.endpoints).toContainEqual(expect.objectContaining({ host: "*.wdcp.microsoft.com", purpose: "defender", required: false }));
  });

  it("prints a table by default, noting that filtering is by FQDN", () => {
    const result = runCli(["endpoints"]);
    expect(result.stdout).toMatch(/^ENDPOINT\s+PORTS\s+CODE\s+SEVERITY/);
    expect(result.stdout).toContain("*.trafficmanager.net");
    expect(result.stdout).toMatch(/filter by FQDN/);
  });

  it("fits 80 columns, the rest of each row wrapped below it; a wide terminal gets one line a row", () => {
    for (const args of [["endpoints"], ["endpoints", "--all"]]) {
      const lines = runCli(args, { env: { COLUMNS: "80" } }).stdout.trimEnd().split("\n");
      for (const line of lines) expect(line.length, line).toBeLessThanOrEqual(80);
    }
    const narrow = runCli(["endpoints"], { env: { COLUMNS: "80" } }).stdout;
    expect(narrow).toMatch(/^\*\.cloudapp\.azure\.com +HTTPS 443 +NetworkError +error\n +purpose: usage; required: yes; documented host under it \(for probe\n +--host-for\): azsdiagprdwestusfrontend\.westus\.cloudapp\.azure\.com$/m);
    const wide = runCli(["endpoints"], { env: { COLUMNS: "250" } }).stdout;
    expect(wide).toMatch(/^\*\.cloudapp\.azure\.com +HTTPS 443 +NetworkError +error +usage +yes +documented host under it \(for probe --host-for\): azsdiagprdwestusfrontend\.westus\.cloudapp\.azure\.com$/m);
    // The CSV keeps every column apart, whatever the width.
    expect(runCli(["endpoints", "--format", "csv"], { env: { COLUMNS: "80" } }).stdout.split("\r\n")[0]).toBe("purpose,host,path,ports,code,severity,required,note");
  });
});

describe("bridgeguard rules and explain", () => {
  it("lists every rule", () => {
    const result = runCli(["rules", "--format", "json"]);
    const rules = JSON.parse(result.stdout) as { id: string; docs: string }[];
    expect(rules.map((r) => r.id)).toEqual(allRuleMetas().map((m) => m.id));
    expect(rules.map((r) => r.id)).toContain("BG604");
    expect(rules.every((r) => r.docs === `docs/rules/${r.id}.md`)).toBe(true);
  });

  it("lists every rule within 80 columns, its title wrapped below it", () => {
    const text = runCli(["rules"], { env: { COLUMNS: "80" } }).stdout;
    const lines = text.trimEnd().split("\n");
    for (const line of lines) expect(line.length, line).toBeLessThanOrEqual(80);
    expect(lines[0]).toMatch(/^ID +SLUG +CODE +SEVERITY$/);
    for (const meta of allRuleMetas()) {
      expect(text).toMatch(new RegExp(`^${meta.id} +${meta.slug} +${meta.code} +${meta.severity}$`, "m"));
    }
    // The title, rejoined from its wrapped lines, follows its rule.
    const bg102 = allRuleMetas().find((m) => m.id === "BG102")!;
    const at = lines.findIndex((l) => l.startsWith("BG102 "));
    const below = lines.slice(at + 1, lines.findIndex((l, i) => i > at && /^BG\d/.test(l))).map((l) => l.trim()).join(" ");
    expect(below).toBe(`scope: ${bg102.scope}; ${bg102.title}`);
  });

  it.each(ERROR_CODES)("explains %s with its documented remediation and its rules", (code) => {
    const result = runCli(["explain", code]);
    expect(result.status).toBe(0);
    expect(result.stdout).toContain(ERROR_CODE_INFO[code].remediation);
    for (const meta of allRuleMetas().filter((m) => m.code === code)) expect(result.stdout).toContain(meta.id);
  });

  it("explains a rule by slug", () => {
    const result = runCli(["explain", "tls-inspection-on-bridge-endpoint"]);
    expect(result.stdout).toMatch(/^BG501 tls-inspection-on-bridge-endpoint/);
  });

  it("rejects an unknown code with exit 2", () => {
    const result = runCli(["explain", "Teapot"]);
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/unknown error code or rule "Teapot"/);
  });

  it("answers --help and --version on every command", () => {
    const version = (JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8")) as { version: string }).version;
    expect(runCli(["--version"]).stdout.trim()).toBe(version);
    for (const command of ["audit", "endpoints", "rules", "explain"]) {
      const result = runCli([command, "--help"]);
      expect(result.status).toBe(0);
      expect(result.stdout).toContain(`Usage: bridgeguard ${command}`);
    }
  });
});

describe("docs/rules", () => {
  it("matches the rules' metadata (run `npm run docs` after changing a rule)", () => {
    for (const [file, content] of generatedDocs(allRuleMetas())) {
      expect(fs.readFileSync(path.join(ROOT, file), "utf8"), file).toBe(content);
    }
  });
});
