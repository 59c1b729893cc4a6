import { describe, it } from "vitest";
import { assertHasFinding, assertNoFindings, assertRuleMeta, audit } from "./assert";
import { DNS_RULE, healthyStack, nsgRule, POLICY, withNetworkRule, withNsgRule, withoutAllowFor, type StackOverrides } from "./fixtures";

/** The healthy stack with the explicit proxy on: still compliant, since transparent rules allow the bridge. */
const proxyOn: StackOverrides = { firewallPolicy: { explicitProxyEnabled: true } };

describe("BG206 explicit-proxy-only", () => {
  it("metadata", () => assertRuleMeta("BG206", { slug: "explicit-proxy-only", code: "NetworkError", severity: "error", scope: "stack" }));

  it("compliant: no explicit proxy", () => {
    assertNoFindings(audit(healthyStack()), "BG206");
  });

  it("compliant: the explicit proxy is on, and transparent rules still allow the bridge", () => {
    assertNoFindings(audit(healthyStack(proxyOn)), "BG206");
  });

  describe("non-compliant", () => {
    it("1. explicit proxy on and the usage endpoint denied transparently: error on the policy", () => {
      assertHasFinding(audit(withoutAllowFor("*.trafficmanager.net", proxyOn)), {
        rule: "BG206",
        severity: "error",
        resourceName: POLICY,
        message: "explicit proxy is enabled, but transparent rules deny 1 bridge endpoint(s)",
        evidence: ["explicitProxy.enableExplicitProxy: true", "denied transparently: *.trafficmanager.net:443"],
      });
    });

    it("2. explicit proxy on and the login endpoint denied transparently: both ports named", () => {
      assertHasFinding(audit(withoutAllowFor("login.microsoftonline.com", proxyOn)), {
        rule: "BG206",
        severity: "error",
        resourceName: POLICY,
        evidence: ["denied transparently: login.microsoftonline.com:80, login.microsoftonline.com:443"],
      });
    });
  });

  describe("not applicable", () => {
    it("the endpoint denied, but no explicit proxy: only the reachability rule reports", () => {
      assertNoFindings(audit(withoutAllowFor("*.trafficmanager.net")), "BG206");
    });

    it("an NSG denies, not the proxy's policy: the NSG has no explicit proxy", () => {
      assertNoFindings(audit(withNsgRule(nsgRule("deny-web", 150, "Deny", "Internet"), proxyOn)), "BG206");
    });

    it("DNS denied with the proxy on: a proxy never carries DNS, so this is dns-blocked's finding", () => {
      assertNoFindings(audit(withNetworkRule(DNS_RULE, null, proxyOn)), "BG206");
    });

    it("only the legacy usage endpoint denied with the proxy on: not one the bridge needs on current releases", () => {
      assertNoFindings(audit(withoutAllowFor("*.microsoftazurestack.com", proxyOn)), "BG206");
    });
  });
});
