/**
 * Source: "Ports and URLs (outbound)" (azure-stack/operator/azure-stack-integrate-endpoints.md), newest
 * revision: the Usage row lists *.trafficmanager.net and *.cloudapp.azure.com; *.microsoftazurestack.com
 * (in the 05/2019 revision) is gone, so blocking or inspecting it is never a finding.
 */
import { describe, expect, it } from "vitest";
import type { ResourceSet } from "../../src/model/resource";
import { applicationRule, collection } from "../evaluate/fixtures";
import { assertHasFinding, assertNoFindings, assertRuleMeta, audit, findingsOf } from "./assert";
import { GROUP, healthyStack, nsgRule, withCollection, withNsgRule, withoutAllowFor } from "./fixtures";

const LEGACY = "*.microsoftazurestack.com";
const CLOUDAPP = "*.cloudapp.azure.com";

/** An allow-list written from the 05/2019 table: the legacy usage host, HTTPS 443. */
const legacyAllow = collection({
  name: "allow-legacy-usage",
  priority: 150,
  action: "Allow",
  rules: [applicationRule({ name: "usage-2019", targetFqdns: [LEGACY, "*.trafficmanager.net"], protocols: [{ protocolType: "Https", port: 443 }] })],
});

/** The stack with no application rule naming *.cloudapp.azure.com. */
function withoutCloudapp(set: ResourceSet): ResourceSet {
  return {
    ...set,
    resources: set.resources.map((r) =>
      r.kind !== "ruleCollectionGroup"
        ? r
        : {
            ...r,
            ruleCollections: r.ruleCollections.map((c) => ({
              ...c,
              rules: c.rules.filter((rule) => rule.ruleType !== "ApplicationRule" || !rule.targetFqdns.includes(CLOUDAPP)),
            })),
          },
    ),
  };
}

describe("BG203 legacy-usage-allow-list", () => {
  it("metadata", () => assertRuleMeta("BG203", { slug: "legacy-usage-allow-list", code: "NetworkError", severity: "warning", scope: "stack" }));

  it("compliant: the healthy stamp allows exactly the newest table, and nothing warns about the legacy host", () => {
    const findings = audit(healthyStack());
    expect(findings.filter((f) => f.endpoints.some((e) => e.host === LEGACY))).toEqual([]);
    assertNoFindings(findings, "BG203");
  });

  describe("non-compliant", () => {
    it("an allow-list from the 05/2019 table (legacy host, Traffic Manager, no cloudapp): warning naming what replaces it", () => {
      const f = assertHasFinding(audit(withoutCloudapp(withCollection(legacyAllow))), {
        rule: "BG203",
        severity: "warning",
        resourceName: GROUP,
        host: CLOUDAPP,
        message: [LEGACY, CLOUDAPP, "05/2019"],
        evidence: ['rule "usage-2019"'],
      });
      expect(f.remediation).toContain(CLOUDAPP);
    });
  });

  describe("not applicable", () => {
    it("the legacy host blocked (its allow removed, an NSG deny on it): no finding of any rule on it", () => {
      const findings = audit(withNsgRule(nsgRule("deny-web", 150, "Deny", "Internet")));
      expect(findings.filter((f) => f.endpoints.some((e) => e.host === LEGACY))).toEqual([]);
      assertNoFindings(findings, "BG203");
    });

    it("the legacy host TLS-inspected (Premium, CA certificate, terminateTLS): no CertificateValidationError on it", () => {
      const inspecting = collection({
        name: "inspect-legacy",
        priority: 150,
        action: "Allow",
        rules: [applicationRule({ name: "legacy-inspected", targetFqdns: [LEGACY], protocols: [{ protocolType: "Https", port: 443 }], terminateTLS: true })],
      });
      const findings = audit(withCollection(inspecting, { firewallPolicy: { skuTier: "Premium", hasTlsInspectionCertificate: true } }));
      expect(findings.filter((f) => f.endpoints.some((e) => e.host === LEGACY))).toEqual([]);
      assertNoFindings(findings, "BG501");
    });

    it("a current usage host denied without a legacy allow is BG201's alone", () => {
      const findings = audit(withoutAllowFor(CLOUDAPP));
      expect(findingsOf(findings, "BG201").length).toBeGreaterThan(0);
      assertNoFindings(findings, "BG203");
    });
  });
});
