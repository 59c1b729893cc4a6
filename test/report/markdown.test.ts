import { describe, expect, it } from "vitest";
import { MARKDOWN_MARKER, codeSpan, escapeMarkdown, renderMarkdown } from "../../src/report/markdown";
import { cleanReport, sampleFindings, sampleReport } from "./sample";

/** Split a GFM table row into cells the way GitHub does: on `|` not preceded by a backslash. */
function cells(row: string): string[] {
  return row
    .trim()
    .replace(/^\|/, "")
    .replace(/\|$/, "")
    .split(/(?<!\\)\|/)
    .map((c) => c.trim());
}

describe("markdown report", () => {
  const md = renderMarkdown(sampleReport(), { docsBaseUri: "https://example.org/bridgeguard/" });
  const lines = md.split("\n");

  it("starts with a marker and a verdict heading", () => {
    expect(lines[0]).toBe(MARKDOWN_MARKER);
    expect(lines[1]).toBe("## ❌ bridgeguard: 4 errors will break usage reporting");
    expect(renderMarkdown(cleanReport())).toContain("## ✅ bridgeguard: no problems found");
    const warningsOnly = sampleReport(sampleFindings().filter((f) => f.severity === "warning"));
    expect(renderMarkdown(warningsOnly)).toContain("## ✅ bridgeguard: no errors, 2 warnings");
  });

  it("has a summary table", () => {
    const header = lines.indexOf("| errors | warnings | resources checked | endpoints evaluated |");
    expect(header).toBeGreaterThan(0);
    expect(lines[header + 2]).toBe("| 4 | 2 | 14 | 17 |");
  });

  it("has a findings table with six cells a row, whatever the message contains", () => {
    const header = lines.indexOf("| severity | code | rule | resource | endpoint | message |");
    const rows = lines.slice(header + 2, lines.indexOf("", header));
    expect(rows).toHaveLength(6);
    for (const row of rows) expect(cells(row)).toHaveLength(6);
    const nsg = cells(rows[5]);
    expect(nsg.slice(0, 5)).toEqual([
      "⚠️ warning",
      "`LoginError`",
      "[BG301 login-endpoint-blocked](https://example.org/bridgeguard/docs/rules/BG301.md)",
      "vip-nsg",
      "`login.microsoftonline.com:443`",
    ]);
    expect(nsg[5]).toContain("login.microsoftonline.com:443 \\| the source range");
    const tls = cells(rows[4]);
    expect(tls[5]).toBe("rule allow-arm terminates TLS for management.azure.com &lt;inspected&gt; &amp; re-signed");
    expect(cells(rows[0])[4]).toBe("—");
    expect(cells(rows[1])[5]).toContain("\\*.trafficmanager.net");
  });

  it("puts evidence and fix in a details block per finding, escaped", () => {
    expect(md.match(/<details>/g)).toHaveLength(6);
    expect(md.match(/<\/details>/g)).toHaveLength(6);
    expect(md).toContain("<summary>error CertificateValidationError BG501 tls-inspection on bridge-rules</summary>");
    expect(md).toContain("- &lt;script&gt;alert(1)&lt;/script&gt; \\| \\`tick\\`");
    expect(md).not.toContain("<script>");
    expect(md).toContain("**Fix:** Set terminateTLS: false on allow-arm.");
    expect(md).toContain("- endpoint: `management.azure.com:443` (https, registration)");
  });

  it("does not link relative docs paths, which lead nowhere from a PR comment", () => {
    const plain = renderMarkdown(sampleReport());
    expect(plain).not.toContain("](docs/");
    expect(plain).toContain("Docs: `docs/rules/BG201.md`");
  });

  it("stays under the comment limit by dropping details first", () => {
    const full = renderMarkdown(sampleReport());
    const capped = renderMarkdown(sampleReport(), { maxLength: full.length - 100 });
    expect(capped.length).toBeLessThanOrEqual(full.length - 100);
    expect(capped.match(/<details>/g)?.length).toBeLessThan(6);
    expect(capped).toContain("left out");
    expect(capped).toContain("| severity | code | rule | resource | endpoint | message |");
  });
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
