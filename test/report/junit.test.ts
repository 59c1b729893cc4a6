import type { Element } from "@oozcitak/dom/lib/dom/interfaces";
import { convert, create } from "xmlbuilder2";
import type { XMLBuilder } from "xmlbuilder2/lib/interfaces";
import { describe, expect, it } from "vitest";
import { renderJunit } from "../../src/report/junit";
import { FIREWALL, cleanReport, sampleFindings, sampleReport } from "./sample";

interface Testcase {
  "@classname": string;
  "@name": string;
  failure?: { "@type": string; "@message": string; "#"?: string };
  "system-out"?: string;
}
interface Suite {
  "@name": string;
  "@tests": string;
  "@failures": string;
  "@errors": string;
  "@skipped": string;
  testcase: Testcase | Testcase[];
}

function parse(xml: string): { root: Record<string, string>; suite: Suite; cases: Testcase[] } {
  const doc = convert(xml, { format: "object" }) as unknown as { testsuites: Record<string, string> & { testsuite: Suite } };
  const suite = doc.testsuites.testsuite;
  const cases = Array.isArray(suite.testcase) ? suite.testcase : [suite.testcase];
  return { root: doc.testsuites, suite, cases };
}

/**
 * The DOM of the document, for text: xmlbuilder2's object format re-escapes `<`, `&` in what it
 * returns, its DOM gives the text a JUnit consumer reads.
 */
function dom(xml: string): { cases: { classname: string; name: string; failure?: { type: string; message: string; text: string }; out?: string }[] } {
  const elements = (scope: XMLBuilder, tag: string): Element[] =>
    scope.filter((n) => n.node.nodeName === tag, false, true).map((n) => n.node as Element);
  const cases = create(xml)
    .root()
    .filter((n) => n.node.nodeName === "testcase", false, true)
    .map((builder) => {
      const tc = builder.node as Element;
      const [failure] = elements(builder, "failure");
      const [out] = elements(builder, "system-out");
      return {
        classname: tc.getAttribute("classname") ?? "",
        name: tc.getAttribute("name") ?? "",
        failure: failure ? { type: failure.getAttribute("type") ?? "", message: failure.getAttribute("message") ?? "", text: failure.textContent ?? "" } : undefined,
        out: out?.textContent ?? undefined,
      };
    });
  return { cases };
}

describe("junit report", () => {
  it("parses as XML with one testsuite and correct counts", () => {
    const xml = renderJunit(sampleReport());
    expect(xml.startsWith('<?xml version="1.0" encoding="UTF-8"?>')).toBe(true);
    const { root, suite, cases } = parse(xml);
    expect(suite["@name"]).toBe("bridgeguard");
    expect(cases).toHaveLength(6);
    expect(suite["@tests"]).toBe("6");
    expect(suite["@failures"]).toBe("4");
    expect(suite["@errors"]).toBe("0");
    expect(suite["@skipped"]).toBe("0");
    expect(cases.filter((c) => c.failure)).toHaveLength(Number(suite["@failures"]));
    expect(root["@tests"]).toBe("6");
    expect(root["@failures"]).toBe("4");
  });

  it("fails a testcase per error finding, with code, evidence and fix", () => {
    const { cases } = dom(renderJunit(sampleReport()));
    const usage = cases.find((c) => c.classname === FIREWALL.urn && c.name === "BG201 usage-endpoint-blocked *.trafficmanager.net:443");
    expect(usage?.failure?.type).toBe("NetworkError");
    expect(usage?.failure?.message).toBe("the firewall denies *.trafficmanager.net:443 from the public VIP range");
    const body = usage?.failure?.text ?? "";
    expect(body).toContain('collection "deny-internet" (priority 100, Deny) rule "all" matches 203.0.113.0/27 -> *:443');
    expect(body).toContain("fix: Add an application rule allowing");
    // Escaped on the way in, intact on the way out.
    const tls = cases.find((c) => c.name.startsWith("BG501"));
    expect(tls?.failure?.message).toBe("rule allow-arm terminates TLS for management.azure.com <inspected> & re-signed");
    expect(tls?.failure?.text).toContain("<script>alert(1)</script> | `tick`");
    // No endpoint: the name is rule id and slug.
    expect(cases.some((c) => c.name === "BG101 registration-missing")).toBe(true);
  });

  it("reports warnings as passing testcases with the details in system-out", () => {
    const { cases } = parse(renderJunit(sampleReport()));
    const warnings = cases.filter((c) => !c.failure);
    expect(warnings.map((c) => c["@name"])).toEqual([
      "BG203 legacy-usage-endpoint-blocked *.microsoftazurestack.com:443",
      "BG301 login-endpoint-blocked login.microsoftonline.com:443",
    ]);
    expect(warnings[1]["system-out"]).toContain("warning LoginError BG301 login-endpoint-blocked");
    const nsg = dom(renderJunit(sampleReport())).cases.find((c) => c.name.startsWith("BG301"));
    expect(nsg?.out).toContain("securityRules[2] deny-all-out: Outbound Deny * -> Internet:*");
  });

  it("shows one passing testcase when there are no findings", () => {
    const { suite, cases } = parse(renderJunit(cleanReport()));
    expect(suite["@tests"]).toBe("1");
    expect(suite["@failures"]).toBe("0");
    expect(cases).toHaveLength(1);
    expect(cases[0]["@name"]).toBe("bridgeguard audit");
    expect(cases[0].failure).toBeUndefined();
  });

  it("survives characters XML cannot carry", () => {
    const findings = sampleFindings();
    findings[1].message = "bell \u0007 and form feed \u000c";
    const { cases } = dom(renderJunit(sampleReport(findings)));
    expect(cases).toHaveLength(6);
    expect(cases.find((c) => c.name.startsWith("BG201"))?.failure?.message).toBe("bell \uFFFD and form feed \uFFFD");
  });
});
