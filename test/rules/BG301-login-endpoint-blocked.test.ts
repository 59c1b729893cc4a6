import { describe, expect, it } from "vitest";
import { assertHasFinding, assertNoFindings, assertRuleMeta, audit, endpointsOf } from "./assert";
import { catalogHosts, denyAppCollection, GROUP, healthyConfig, healthyStack, NSG, nsgRule, POLICY, withAllowFor, withCollection, withNsgRule, withoutAllowFor } from "./fixtures";

const LOGIN = "login.microsoftonline.com";
const IDENTITY_HOSTS = catalogHosts("identity");
/** Identity hosts the AzureActiveDirectory tag holds (management.* belong to AzureResourceManager). */
const AAD_HOSTS = IDENTITY_HOSTS.filter((h) => !h.startsWith("management."));

describe("BG301 login-endpoint-blocked", () => {
  it("metadata", () => assertRuleMeta("BG301", { slug: "login-endpoint-blocked", code: "LoginError", severity: "error", scope: "stack" }));

  it("compliant: every Azure AD endpoint is allowed on HTTPS 443 and HTTP 80", () => {
    assertNoFindings(audit(healthyStack()), "BG301");
  });

  // endpoints.md: identity also leaves from the "Public infrastructure Network"; a rule that covers only the
  // public VIP /27 may still block it.
  it("egress.publicInfrastructureAddresses: a rule that covers only the VIP /27 may not let identity out of the infrastructure network", () => {
    const config = healthyConfig({ egress: { publicInfrastructureAddresses: ["198.51.100.0/26"] } });
    const findings = audit(healthyStack(), config);
    const found = assertHasFinding(findings, { rule: "BG301", severity: "warning", host: "login.microsoftonline.com" });
    expect(found.evidence.join("\n")).toContain("198.51.100.0/26");
    // Usage and ARM leave from the VIP /27 only: unaffected.
    assertNoFindings(findings, "BG201");
    assertNoFindings(findings, "BG202");
  });

  it("egress.publicInfrastructureAddresses covered by the rules too: compliant", () => {
    const config = healthyConfig({ egress: { publicInfrastructureAddresses: ["203.0.113.0/28"] } });
    assertNoFindings(audit(healthyStack(), config), "BG301");
  });

  describe("non-compliant", () => {
    it("1. the login endpoint's allow removed: LoginError on the policy for 80 and 443", () => {
      const findings = audit(withoutAllowFor(LOGIN));
      expect(endpointsOf(findings, "BG301")).toEqual([`${LOGIN}:443`, `${LOGIN}:80`]);
      assertHasFinding(findings, {
        rule: "BG301",
        code: "LoginError",
        severity: "error",
        resourceName: POLICY,
        host: LOGIN,
        port: 443,
        protocol: "https",
        evidence: ["Azure Firewall denies by default"],
      });
    });

    it("2. the login rule allows HTTPS only: error for HTTP 80", () => {
      const findings = audit(withAllowFor(LOGIN, { protocols: [{ protocolType: "Https", port: 443 }] }));
      expect(endpointsOf(findings, "BG301")).toEqual([`${LOGIN}:80`]);
      assertHasFinding(findings, { rule: "BG301", severity: "error", resourceName: POLICY, host: LOGIN, port: 80, protocol: "http", remediation: `allows ${LOGIN} (Http:80)` });
    });

    it("3. an explicit Deny collection before the allow: error on the group", () => {
      assertHasFinding(audit(withCollection(denyAppCollection("deny-login", 150, [LOGIN]))), {
        rule: "BG301",
        severity: "error",
        resourceName: GROUP,
        host: LOGIN,
        port: 443,
        evidence: ['collection "deny-login" (priority 150, Deny)'],
      });
    });

    it("4. an NSG deny on AzureActiveDirectory: errors for the Azure AD hosts only, on the NSG", () => {
      const findings = audit(withNsgRule(nsgRule("deny-aad", 150, "Deny", "AzureActiveDirectory")));
      expect([...new Set(endpointsOf(findings, "BG301").map((e) => e.replace(/:\d+$/, "")))].sort()).toEqual([...AAD_HOSTS].sort());
      assertHasFinding(findings, { rule: "BG301", severity: "error", resourceName: NSG, host: LOGIN, port: 443, evidence: ['rule "deny-aad" (priority 150, Deny)'] });
      assertNoFindings(findings, "BG301", { host: "management.azure.com" });
    });

    it.each(["AzureCloud", "Internet", "*"])("5. an NSG deny on %s: every identity endpoint", (destination) => {
      const findings = audit(withNsgRule(nsgRule("deny-out", 90, "Deny", destination)));
      // management.azure.com:443 is the ARM endpoint too: its deny is reported once, under BG201 (NetworkError).
      expect(endpointsOf(findings, "BG301")).toHaveLength(IDENTITY_HOSTS.length * 2 - 1);
      expect(endpointsOf(findings, "BG301")).not.toContain("management.azure.com:443");
      assertHasFinding(findings, { rule: "BG201", severity: "error", resourceName: NSG, host: "management.azure.com", port: 443 });
      assertHasFinding(findings, { rule: "BG301", severity: "error", resourceName: NSG, host: LOGIN, port: 80 });
    });
  });

  describe("not applicable", () => {
    it("no firewall, policy or NSG in the stack", () => {
      assertNoFindings(audit(healthyStack({ firewallPolicy: null, ruleCollectionGroup: null, firewall: null, nsg: null })), "BG301");
    });

    it("the usage endpoint's denial is not a login failure", () => {
      assertNoFindings(audit(withoutAllowFor("*.trafficmanager.net")), "BG301");
    });
  });
});
