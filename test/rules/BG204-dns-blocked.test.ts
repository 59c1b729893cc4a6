import { describe, expect, it } from "vitest";
import { assertHasFinding, assertNoFindings, assertRuleMeta, audit, endpointsOf, findingsOf } from "./assert";
import { DNS_RULE, DNS_SERVER, healthyConfig, healthyStack, NSG, nsgRule, POLICY, withNetworkRule, withNsgRule } from "./fixtures";

describe("BG204 dns-blocked", () => {
  // endpoints.md: time and DNS servers may be given as host names; IP rules cannot be matched to a name.
  it("a DNS server given by host name: undetermined (warning), not a hard NetworkError", () => {
    const findings = audit(healthyStack(), healthyConfig({ dnsServers: ["dns1.corp.local"] }));
    const found = assertHasFinding(findings, { rule: "BG204", severity: "warning", host: "dns1.corp.local", port: 53 });
    expect(found.evidence.join("\n")).toContain("dns1.corp.local is a host name");
    expect(findingsOf(findings, "BG204").filter((f) => f.severity === "error")).toEqual([]);
  });

  it("metadata", () => assertRuleMeta("BG204", { slug: "dns-blocked", code: "NetworkError", severity: "error", scope: "stack" }));

  it("compliant: UDP and TCP 53 to the DNS server are allowed", () => {
    assertNoFindings(audit(healthyStack()), "BG204");
  });

  describe("non-compliant", () => {
    it("1. the DNS network rule removed: one error per transport, on the policy", () => {
      const findings = audit(withNetworkRule(DNS_RULE, null));
      expect(findingsOf(findings, "BG204").flatMap((f) => f.endpoints.map((e) => `${e.protocol} ${e.port}`)).sort()).toEqual(["tcp 53", "udp 53"]);
      assertHasFinding(findings, {
        rule: "BG204",
        severity: "error",
        resourceName: POLICY,
        host: DNS_SERVER,
        port: 53,
        protocol: "udp",
        remediation: `Add a network rule that allows UDP and TCP 53 from 203.0.113.0/27 to ${DNS_SERVER}.`,
      });
    });

    it("2. DNS allowed on UDP only: error for TCP 53 (large answers fall back to TCP)", () => {
      const findings = audit(withNetworkRule(DNS_RULE, { ipProtocols: ["UDP"] }));
      assertHasFinding(findings, { rule: "BG204", severity: "error", resourceName: POLICY, host: DNS_SERVER, port: 53, protocol: "tcp" });
      assertNoFindings(findings.filter((f) => f.endpoints.some((e) => e.protocol === "udp")), "BG204");
    });

    it("3. an NSG deny on port 53 before the allow: error on the NSG", () => {
      assertHasFinding(audit(withNsgRule(nsgRule("deny-dns", 90, "Deny", "*", { destinationPortRanges: ["53"] }))), {
        rule: "BG204",
        severity: "error",
        resourceName: NSG,
        host: DNS_SERVER,
        port: 53,
        evidence: ['rule "deny-dns" (priority 90, Deny)'],
      });
    });

    it("4. a second DNS server the rules do not cover: findings for that server only", () => {
      const findings = audit(healthyStack(), healthyConfig({ dnsServers: [DNS_SERVER, "10.0.0.54"] }));
      expect([...new Set(endpointsOf(findings, "BG204"))]).toEqual(["10.0.0.54:53"]);
    });
  });

  describe("not applicable", () => {
    it("no DNS servers configured: silent, even with DNS blocked", () => {
      assertNoFindings(audit(withNetworkRule(DNS_RULE, null), healthyConfig({ dnsServers: [] })), "BG204");
    });
  });
});
