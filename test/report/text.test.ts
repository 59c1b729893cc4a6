import { describe, expect, it } from "vitest";
import { renderText, shouldUseColor } from "../../src/report/text";
import { FIREWALL, NSG, REGISTRATION, RULE_GROUP, cleanReport, sampleFindings, sampleReport, singularReport } from "./sample";

const ANSI = /\u001b\[[0-9;]*m/;

describe("text report", () => {
  const text = renderText(sampleReport(), { color: false });
  const lines = text.split("\n");

  it("groups findings under one header per resource, in URN order", () => {
    const headers = lines.filter((l) => /^\S+ \(/.test(l) && !l.startsWith("catalog"));
    expect(headers).toEqual([
      `${REGISTRATION.name} (${REGISTRATION.type})`,
      `${FIREWALL.name} (${FIREWALL.type})`,
      `${RULE_GROUP.name} (${RULE_GROUP.type})`,
      `${NSG.name} (${NSG.type})`,
    ]);
    // The URN follows its header.
    expect(lines[lines.indexOf(headers[1]) + 1]).toBe(`  ${FIREWALL.urn}`);
    // Both firewall findings sit in the firewall's block, the error before the warning.
    const block = text.slice(text.indexOf(headers[1]), text.indexOf(headers[2]));
    expect(block.indexOf("error NetworkError BG201 usage-endpoint-blocked:")).toBeGreaterThan(0);
    expect(block.indexOf("warning NetworkError BG203")).toBeGreaterThan(block.indexOf("BG201"));
    expect(block).not.toContain("BG501");
  });

  it("groups the summary's counts by thousands, as the path lines do", () => {
    const large = { ...cleanReport(), summary: { ...cleanReport().summary, resources: 9998, endpoints: 26 } };
    expect(renderText(large, { color: false })).toContain("0 errors, 0 warnings, 9,998 resources checked, 26 endpoints evaluated");
  });

  it("writes each finding as a compiler-style headline with indented details", () => {
    // The headline wraps at 80 columns like its body, continuing between the finding and its labels.
    const at = lines.indexOf("  error NetworkError BG201 usage-endpoint-blocked: the firewall denies");
    expect(lines.slice(at, at + 2)).toEqual(["  error NetworkError BG201 usage-endpoint-blocked: the firewall denies", "    *.trafficmanager.net:443 from the public VIP range"]);
    expect(lines).toContain("      endpoint: *.trafficmanager.net 443/https (usage)");
    expect(lines).toContain("      evidence: ruleCollections[0].rules[1].terminateTLS = true");
    expect(lines).toContain("                <script>alert(1)</script> | `tick`");
    expect(lines).toContain("      docs:     docs/rules/BG201.md");
    // A finding without an endpoint has no endpoint line.
    const registration = text.slice(0, text.indexOf(FIREWALL.name));
    expect(registration).not.toContain("endpoint:");
  });

  it("wraps the fix at the width, aligned under its label, without breaking words", () => {
    const fix = lines.findIndex((l) => l.startsWith("      fix:      Add an application rule allowing"));
    expect(fix).toBeGreaterThan(0);
    const continuation = lines.slice(fix + 1, lines.findIndex((l, i) => i > fix && l.startsWith("      docs:")));
    expect(continuation.length).toBeGreaterThan(1);
    for (const line of [lines[fix], ...continuation]) expect(line.length).toBeLessThanOrEqual(80);
    for (const line of continuation) expect(line).toMatch(/^ {16}\S/);
    const rejoined = [lines[fix].slice(16), ...continuation.map((l) => l.trim())].join(" ");
    expect(rejoined).toContain("Microsoft publishes no addresses for it.");
    const narrow = renderText(sampleReport(), { color: false, width: 60 }).split("\n");
    expect(narrow.filter((l) => l.startsWith(" ".repeat(16))).every((l) => l.length <= 60)).toBe(true);
  });

  it("says each code's documented remediation once, in a legend after the findings, not in every fix", () => {
    const codes = [...new Set(sampleFindings().map((f) => f.code))];
    expect(text.match(/Documented remediation for NetworkError/g)).toBeNull();
    const legend = lines.indexOf("Documented remediation, per code:");
    expect(legend).toBeGreaterThan(lines.findIndex((l) => l.startsWith("  error ")));
    for (const code of codes) expect(lines.slice(legend).filter((l) => l.startsWith(`  ${code}: `))).toHaveLength(1);
    // The fix keeps its own change.
    expect(lines.some((l) => l.startsWith("      fix:      Add an application rule allowing"))).toBe(true);
  });

  it("renders the bridge's path once, before the findings: on, off, routes, assumed, within 80 columns", () => {
    const path = {
      onPath: [{ resource: FIREWALL, kind: "azureFirewall" as const, name: FIREWALL.name, basis: "routing" as const, reason: "route default (0.0.0.0/0) leads to its private IP 10.0.1.4" }],
      leftOut: [{ resource: NSG, kind: "networkSecurityGroup" as const, name: NSG.name, basis: "attachment" as const, reason: "attached only to subnet workload, which holds none of the egress sources" }],
      routeTables: [{ resource: RULE_GROUP, name: "vip-routes", basis: "attachment" as const, reason: "attached to subnet vip, which holds the egress sources" }],
      assumptions: ["egress.sourceAddresses not configured"],
    };
    const out = renderText({ ...sampleReport(), path }, { color: false }).split("\n");
    const at = out.findIndex((l) => l.startsWith("bridge path"));
    expect(at).toBeGreaterThanOrEqual(0);
    expect(at).toBeLessThan(out.findIndex((l) => l.startsWith(`${REGISTRATION.name} (`)));
    expect(out.filter((l) => l.startsWith("bridge path"))).toHaveLength(1);
    expect(out.some((l) => l.startsWith(`  on      Azure Firewall ${FIREWALL.name}: route default (0.0.0.0/0)`))).toBe(true);
    expect(out.some((l) => l.startsWith(`  off     NSG ${NSG.name}: attached only to subnet workload`))).toBe(true);
    expect(out.some((l) => l.startsWith("  routes  vip-routes: attached to subnet vip"))).toBe(true);
    expect(out).toContain("  assumed egress.sourceAddresses not configured");
    expect(out.slice(at, at + 8).every((l) => l.length <= 80)).toBe(true);
    // --quiet leaves it out with everything but the errors.
    expect(renderText({ ...sampleReport(), path }, { color: false, quiet: true })).not.toContain("bridge path");
  });

  it("fits 80 columns by default, headlines, notices and summary included; only unbreakable words overflow", () => {
    const findings = sampleFindings();
    findings[2]!.evidence.push("/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/azurestack/providers/Microsoft.AzureStack/registrations/reg");
    const report = { ...sampleReport(findings), notices: [{ level: "warning" as const, kind: "suppression-stale" as const, message: "bridgeguard.yaml: suppressions[2] (rule BG501, resource \"x\") matches no finding (stale): remove it, or correct its rule or resource" }] };
    const out = renderText(report, { color: false }).split("\n");
    const long = out.filter((l) => l.length > 80);
    // The URNs of the resources and the ARM id: a reader must be able to copy them whole.
    expect(long.every((l) => l.trim().startsWith("urn:pulumi:") || l.trim().startsWith("/subscriptions/")), long.join("\n")).toBe(true);
    expect(out.slice(0, 3)).toEqual([
      'warning: bridgeguard.yaml: suppressions[2] (rule BG501, resource "x") matches no',
      "  finding (stale): remove it, or correct its rule or resource",
      "",
    ]);
  });

  it("--quiet shows errors only and counts what it leaves out", () => {
    const findings = sampleFindings();
    findings[3]!.suppression = { justification: "retired" };
    const quiet = renderText({ ...sampleReport(findings), notices: [{ level: "warning", kind: "suppression-stale", message: "stale" }] }, { color: false, quiet: true });
    expect(quiet).not.toMatch(/^ +(warning|suppressed) /m);
    expect(quiet).not.toContain("stale");
    expect(quiet.match(/^ {2}error /gm)).toHaveLength(4);
    expect(quiet).toContain("1 warning not shown (--quiet)\n1 suppressed finding not shown (--quiet)\n");
    expect(quiet).toContain("1 notice not shown (--quiet)");
  });

  it("a baseline run shows what is new and counts the rest", () => {
    const findings = sampleFindings().map((f, i) => ({ ...f, baselineState: i < 4 ? ("unchanged" as const) : ("new" as const) }));
    const report = { ...sampleReport(findings), summary: { errors: 2, warnings: 0, resources: 14, endpoints: 17, baselined: 4 } };
    const text = renderText(report, { color: false });
    expect(text.match(/^ {2}(error|warning) /gm)).toHaveLength(2);
    expect(text).toContain("BG501");
    expect(text).not.toContain("BG301");
    expect(text).toContain("4 baselined findings not shown (in the baseline; --format json lists them)");
    expect(text).toContain("2 errors, 0 warnings, 4 in the baseline, 14 resources checked, 17 endpoints");
  });

  it("ends with the exact summary line and the catalog version", () => {
    expect(lines.slice(-3)).toEqual([
      "4 errors, 2 warnings, 14 resources checked, 17 endpoints evaluated",
      "catalog 2019.12-azs2301 (bridgeguard 0.1.0)",
      "",
    ]);
    const one = renderText(singularReport(), { color: false }).split("\n");
    expect(one).toContain("1 error, 1 warning, 1 resource checked, 1 endpoint evaluated");
  });

  it("says clearly that nothing was found, and still summarises", () => {
    const clean = renderText(cleanReport(), { color: false });
    expect(clean).toMatch(/^no problems found/);
    expect(clean).toContain("0 errors, 0 warnings, 14 resources checked, 17 endpoints evaluated\n");
    expect(clean).toContain("catalog 2019.12-azs2301");
  });

  it("uses no ANSI escapes without colour, and colours severities with it", () => {
    expect(text).not.toMatch(ANSI);
    const coloured = renderText(sampleReport(), { color: true });
    expect(coloured).toMatch(ANSI);
    expect(coloured).toContain("\u001b[31m\u001b[1merror\u001b[0m NetworkError BG201");
    expect(coloured).toContain("\u001b[33m\u001b[1mwarning\u001b[0m LoginError BG301");
    // Stripped of colour, it is the same report.
    expect(coloured.replace(/\u001b\[[0-9;]*m/g, "")).toBe(text);
  });
});

describe("shouldUseColor", () => {
  const tty = { isTTY: true };
  const pipe = { isTTY: false };

  it("colours a TTY and not a pipe", () => {
    expect(shouldUseColor(tty, {})).toBe(true);
    expect(shouldUseColor(pipe, {})).toBe(false);
    expect(shouldUseColor({}, {})).toBe(false);
  });

  it("honours NO_COLOR with any non-empty value, even over FORCE_COLOR", () => {
    expect(shouldUseColor(tty, { NO_COLOR: "1" })).toBe(false);
    expect(shouldUseColor(tty, { NO_COLOR: "false" })).toBe(false);
    expect(shouldUseColor(tty, { NO_COLOR: "" })).toBe(true);
    expect(shouldUseColor(tty, { NO_COLOR: "1", FORCE_COLOR: "1" })).toBe(false);
  });

  it("honours FORCE_COLOR both ways, and a dumb terminal", () => {
    expect(shouldUseColor(pipe, { FORCE_COLOR: "1" })).toBe(true);
    expect(shouldUseColor(pipe, { FORCE_COLOR: "" })).toBe(true);
    expect(shouldUseColor(tty, { FORCE_COLOR: "0" })).toBe(false);
    expect(shouldUseColor(tty, { FORCE_COLOR: "false" })).toBe(false);
    expect(shouldUseColor(tty, { TERM: "dumb" })).toBe(false);
  });
});

describe("text report and hostile input", () => {
  it("shows control characters instead of sending them to the terminal", () => {
    const findings = sampleFindings();
    findings[0].resource = { ...findings[0].resource, name: "evil\u001b]0;owned\u0007\u001b[2J" };
    findings[0].evidence = ["value\u001b[31mred\ttab"];
    const text = renderText(sampleReport(findings), { color: false });
    expect(text).not.toContain("\u001b");
    expect(text).not.toContain("\u0007");
    expect(text).toContain("evil\\x1b]0;owned\\x07\\x1b[2J (");
    expect(text).toContain("value\\x1b[31mred tab");
  });
});
