/**
 * The pull-request comment, as a reviewer sees it: rendered with a GitHub-flavoured Markdown library
 * (`marked`, GFM) and read as HTML; its Mermaid diagram parsed for structure.
 */
import { marked } from "marked";
import { describe, expect, it } from "vitest";
import type { Finding, Report } from "../../src/model/finding";
import { MARKDOWN_MARKER, codeSpan, escapeMarkdown, inlineMarkdown, renderMarkdown } from "../../src/report/markdown";
import { NSG, RULES, cleanReport, sampleFindings, sampleReport } from "./sample";
import { parseFlowchart } from "./mermaid";

const BASE = "https://example.org/bridgeguard/blob/main/";

function html(markdown: string): string {
  return marked.parse(markdown, { gfm: true, async: false }) as string;
}

/** The text inside each element `tag` (tags stripped, entities decoded); `p` never matches `<pre>`. */
function texts(page: string, tag: string): string[] {
  return [...page.matchAll(new RegExp(`<${tag}(?:\\s[^>]*)?>([\\s\\S]*?)</${tag}>`, "g"))].map((m) =>
    m[1]!
      .replace(/<[^>]+>/g, "")
      .replace(/&lt;/g, "<")
      .replace(/&gt;/g, ">")
      .replace(/&quot;/g, '"')
      .replace(/&#39;/g, "'")
      .replace(/&amp;/g, "&"),
  );
}

function mermaidOf(page: string): string[] {
  return [...page.matchAll(/<pre><code class="language-mermaid">([\s\S]*?)<\/code><\/pre>/g)].map((m) =>
    m[1]!.replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&amp;/g, "&"),
  );
}

describe("markdown report, rendered", () => {
  const md = renderMarkdown(sampleReport(), { docsBaseUri: BASE });
  const page = html(md);

  it("starts with a marker and a verdict heading, then the counts", () => {
    const lines = md.split("\n");
    expect(lines[0]).toBe(MARKDOWN_MARKER);
    expect(lines[1]).toBe("## ❌ bridgeguard: 4 errors will break usage reporting");
    expect(texts(page, "p")[0]).toBe("4 errors, 2 warnings, 14 resources checked, 17 endpoints evaluated");
    expect(renderMarkdown(cleanReport())).toContain("## ✅ bridgeguard: no problems found");
    expect(renderMarkdown(sampleReport(sampleFindings().filter((f) => f.severity === "warning")))).toContain("## ✅ bridgeguard: no errors, 2 warnings");
  });

  it("has a table of causes, errors first, with absolute links and no literal backticks", () => {
    expect(page).toContain("<table>");
    const cells = texts(page, "td");
    const rows: string[][] = [];
    for (let i = 0; i < cells.length; i += 5) rows.push(cells.slice(i, i + 5));
    // Errors first; among them what stops usage itself, then by code (TLS inspection before the rest).
    expect(rows.map((r) => `${r[2]} on ${r[3]}`)).toEqual([
      "BG201 usage-endpoint-blocked on bridge-rules",
      "BG201 usage-endpoint-blocked on hub-fw",
      "BG501 tls-inspection on bridge-rules",
      "BG101 registration-missing on azurestack-reg",
      "BG203 legacy-usage-endpoint-blocked on hub-fw",
      "BG301 login-endpoint-blocked on vip-nsg",
    ]);
    expect(rows[2]).toEqual(["❌", "CertificateValidationError", "BG501 tls-inspection", "bridge-rules", "management.azure.com:443"]);
    expect(rows.every((r) => r.length === 5)).toBe(true);
    for (const cell of cells) expect(cell).not.toContain("`");
    // Every link is absolute, under the docs base.
    const hrefs = [...page.matchAll(/<a href="([^"]+)"/g)].map((m) => m[1]!);
    expect(hrefs.length).toBeGreaterThanOrEqual(12);
    for (const href of hrefs) expect(href).toMatch(/^https:\/\/example\.org\/bridgeguard\/blob\/main\/docs\/rules\/BG\d{3}\.md$/);
  });

  it("opens each cause with its evidence, fix and concrete change in view, nothing collapsed", () => {
    expect(page).not.toContain("<details>");
    const headings = texts(page, "h4");
    expect(headings[2]).toBe("❌ BG501 tls-inspection on bridge-rules · CertificateValidationError");
    expect(headings).toHaveLength(6);
    // The fix of the usage cause, whole, as a paragraph.
    expect(texts(page, "p").some((p) => p.startsWith("Fix: Add an application rule allowing *.trafficmanager.net") && p.includes("Microsoft publishes no addresses for it."))).toBe(true);
    // Input that looks like HTML stays text.
    expect(page).not.toContain("<script>");
    expect(texts(page, "li")).toContain("<script>alert(1)</script> | `tick`");
  });

  it("shows the concrete change as a diff: the rule to add, or a property's old and new value", () => {
    const findings = sampleFindings();
    const tls = findings.find((f) => f.rule.id === "BG501")!;
    tls.fix = { kind: "change-property", description: "Set terminateTLS: false", resource: tls.resource, path: "ruleCollections[0].rules[1].terminateTLS", value: false, current: true };
    const usage = findings.find((f) => f.rule.id === "BG201" && f.resource.name === "hub-fw")!;
    usage.fix = {
      kind: "add-rule",
      description: "Add an application rule",
      resource: { urn: "urn:pulumi:prod::stamp-egress::azure-native:network:FirewallPolicy::hub-policy", type: "azure-native:network:FirewallPolicy", name: "hub-policy" },
      rules: [{ ruleType: "ApplicationRule", name: "allow-trafficmanager", protocols: [{ protocolType: "Https", port: 443 }], targetFqdns: ["*.trafficmanager.net"], sourceAddresses: ["203.0.113.0/27"], terminateTLS: false }],
    };
    const diffs = [...html(renderMarkdown(sampleReport(findings), { docsBaseUri: BASE })).matchAll(/<pre><code class="language-diff">([\s\S]*?)<\/code><\/pre>/g)].map((m) => m[1]!);
    // In the causes' order: the usage cause on hub-fw comes before the TLS inspection.
    expect(diffs).toEqual([
      '+ in policy hub-policy:\n  ApplicationRule &quot;allow-trafficmanager&quot;: Https:443 from 203.0.113.0/27 to *.trafficmanager.net, terminateTLS: false\n',
      "- bridge-rules ruleCollections[0].rules[1].terminateTLS: true\n+ bridge-rules ruleCollections[0].rules[1].terminateTLS: false\n",
    ]);
  });

  it("draws the egress path as a mermaid flowchart: stamp, gates in order, endpoint groups with verdicts", () => {
    const [diagram] = mermaidOf(page);
    expect(diagram).toBeDefined();
    const chart = parseFlowchart(diagram!);
    expect(chart.errors).toEqual([]);
    expect(chart.direction).toBe("LR");
    const label = (id: string) => chart.nodes.get(id)!;
    // The way out: stamp, the NSG, then the firewall, then the rule collection group.
    expect(chart.chain.map(label)).toEqual(["Azure Stack Hub bridge<br/>public VIP /27", "NSG vip-nsg", "Azure Firewall hub-fw", "rule collection group bridge-rules"]);
    const into = (group: string) => chart.edges.filter((e) => label(e.to) === group).map((e) => `${label(e.from)} ${e.style} ${e.label}`);
    expect(into("usage")).toEqual(["Azure Firewall hub-fw thick ❌ denied: BG201", "rule collection group bridge-rules dotted ❌ denied: BG201"]);
    expect(into("usage (legacy)")).toEqual(["Azure Firewall hub-fw thick ❔ undetermined: BG203"]);
    expect(into("registration (ARM)")).toEqual(["rule collection group bridge-rules thick 🔓 intercepted: BG501"]);
    expect(into("identity (Entra ID)")).toEqual(["NSG vip-nsg thick ❔ undetermined: BG301"]);
    expect(chart.classes.get("denied")).toEqual([chart.idOf("usage")]);
  });

  it("marks a group no gate breaks as allowed, from the last gate", () => {
    const chart = parseFlowchart(mermaidOf(html(renderMarkdown(sampleReport(sampleFindings().filter((f) => f.rule.id !== "BG301")))))[0]!);
    const identity = chart.idOf("identity (Entra ID)");
    expect(chart.edges.filter((e) => e.to === identity)).toEqual([{ from: chart.chain.at(-1), to: identity, style: "solid", label: "✅ allowed" }]);
    expect(chart.classes.get("allowed")).toContain(identity);
  });

  it("keeps the diagram well-formed whatever the input's names", () => {
    const findings = sampleFindings();
    findings[0]!.resource = { ...NSG, urn: `${NSG.urn}-x`, name: 'evil"] --> x[["pwn`|#<b>' };
    const chart = parseFlowchart(mermaidOf(html(renderMarkdown(sampleReport(findings))))[0]!);
    expect(chart.errors).toEqual([]);
    expect([...chart.nodes.values()]).toContain("NSG evil#quot;] --#gt; x[[#quot;pwn#96;#124;#35;#lt;b#gt;");
  });

  it("turns the engine's backticks into code, and escapes the rest", () => {
    expect(inlineMarkdown("Add `{ protect: true }` to the *options*")).toBe("Add `{ protect: true }` to the \\*options\\*");
    expect(html(inlineMarkdown("Add `{ protect: true }` to it"))).toBe("<p>Add <code>{ protect: true }</code> to it</p>\n");
    expect(inlineMarkdown("a ` lone tick | b")).toBe("a \\` lone tick \\| b");
  });

  it("with several stacks, has a section for each stack that needs a look, with its own causes", () => {
    const findings: Finding[] = sampleFindings().map((f, i) => ({ ...f, file: i < 3 ? "stacks/a.json" : "stacks/b.json" }));
    const report: Report = {
      ...sampleReport(findings),
      stacks: [
        { file: "stacks/a.json", summary: { errors: 2, warnings: 1, resources: 7, endpoints: 17 } },
        { file: "stacks/b.json", summary: { errors: 2, warnings: 1, resources: 7, endpoints: 17 } },
        { file: "stacks/clean.json", summary: { errors: 0, warnings: 0, resources: 7, endpoints: 17 } },
        { file: "stacks/broken.json", summary: { errors: 0, warnings: 0, resources: 0, endpoints: 0 }, error: "stacks/broken.json:3:5: invalid JSON" },
      ],
    };
    const page = html(renderMarkdown(report, { docsBaseUri: BASE }));
    expect(texts(page, "h3")).toEqual(["❌ stacks/a.json", "❌ stacks/b.json", "❌ stacks/broken.json"]);
    expect(mermaidOf(page)).toHaveLength(2);
    expect(texts(page, "p")).toContain("Could not be audited: stacks/broken.json:3:5: invalid JSON");
    expect(texts(page, "p")).toContain("4 stacks audited; 1 with no findings.");
    const a = page.slice(page.indexOf("stacks/a.json"), page.indexOf("stacks/b.json"));
    expect(a).toContain("BG301");
    expect(a).not.toContain("BG501");
  });

  it("lists suppressed findings with their justification and counts baselined ones, apart from the causes", () => {
    const findings = sampleFindings();
    findings.find((f) => f.rule.id === "BG203")!.suppression = { justification: "retired <CHG-1>", expires: "2027-01-01" };
    findings.find((f) => f.rule.id === "BG101")!.baselineState = "unchanged";
    const page = html(renderMarkdown(sampleReport(findings), { docsBaseUri: BASE }));
    expect(texts(page, "h3")).toEqual(["Causes", "Where the bridge is stopped", "Documented remediation", "Accepted"]);
    expect(texts(page, "td")).toContain("retired <CHG-1> (until 2027-01-01)");
    expect(texts(page, "p")).toContain("1 baselined finding not shown: in the baseline, they do not fail the run.");
    expect(texts(page, "h4").some((h) => h.includes("BG203") || h.includes("BG101"))).toBe(false);
  });

  it("stays under the comment limit by leaving causes out from the end, and says so", () => {
    const full = renderMarkdown(sampleReport());
    const capped = renderMarkdown(sampleReport(), { maxLength: full.length - 500 });
    expect(capped.length).toBeLessThanOrEqual(full.length - 500);
    expect(capped).toMatch(/_\d+ more causes? left out to fit the comment/);
    expect(capped).toContain("```mermaid");
  });

  it("lists the notices above everything", () => {
    const report: Report = { ...sampleReport(), notices: [{ level: "warning", kind: "suppression-stale", message: "bridgeguard.yaml: suppressions[0] matches no finding" }] };
    const page = html(renderMarkdown(report));
    expect(page.indexOf("<blockquote>")).toBeLessThan(page.indexOf("Where the bridge is stopped"));
    expect(texts(page, "blockquote")[0]).toContain("⚠️ bridgeguard.yaml: suppressions[0] matches no finding");
  });

  void RULES;
});

describe("markdown escaping", () => {
  it("escapes pipes, HTML and emphasis", () => {
    expect(escapeMarkdown("a | b <i>x</i> *.c_d & [e](f)")).toBe("a \\| b &lt;i&gt;x&lt;/i&gt; \\*.c\\_d &amp; \\[e\\](f)");
    expect(escapeMarkdown("# not a heading")).toBe("\\# not a heading");
    expect(escapeMarkdown("1. not a list")).toBe("1\\. not a list");
    expect(escapeMarkdown("two\nlines")).toBe("two<br>lines");
  });

  it("fences code spans past backticks and escapes pipes in them", () => {
    expect(codeSpan("a|b")).toBe("`a\\|b`");
    expect(codeSpan("a`b")).toBe("``a`b``");
    expect(codeSpan("`x")).toBe("`` `x ``");
  });
});
