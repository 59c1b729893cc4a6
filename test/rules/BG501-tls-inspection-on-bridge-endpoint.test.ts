import { describe, expect, it } from "vitest";
import type { ResourceSet } from "../../src/model/resource";
import { applicationRule, collection, networkRule } from "../evaluate/fixtures";
import { assertHasFinding, assertNoFindings, assertRuleMeta, audit, endpointsOf } from "./assert";
import {
  allowRuleName,
  BRIDGE_COLLECTION,
  bridgeApplicationRules,
  bridgeCollection,
  GROUP,
  healthyStack,
  infraCollection,
  withAllowFor,
  withCollection,
  type StackOverrides,
} from "./fixtures";

const USAGE = "*.trafficmanager.net";
const USAGE_RULE = allowRuleName({ purpose: "usage", host: USAGE });

/** Azure Firewall Premium with a CA certificate in `transportSecurity`: able to inspect TLS; still compliant. */
const premiumWithCa: StackOverrides = { firewallPolicy: { skuTier: "Premium", hasTlsInspectionCertificate: true } };

/** The Premium stack whose usage allow terminates TLS: the non-compliant case each row below changes once. */
const inspectingUsage: StackOverrides = {
  ...premiumWithCa,
  ruleCollectionGroup: {
    ruleCollections: [
      infraCollection(),
      bridgeCollection({ rules: bridgeApplicationRules().map((r) => (r.targetFqdns.includes(USAGE) ? { ...r, terminateTLS: true } : r)) }),
    ],
  },
};

const https = (name: string, terminateTLS: boolean) =>
  applicationRule({ name, targetFqdns: [USAGE], protocols: [{ protocolType: "Https", port: 443 }], terminateTLS });

describe("BG501 tls-inspection-on-bridge-endpoint", () => {
  it("metadata", () =>
    assertRuleMeta("BG501", { slug: "tls-inspection-on-bridge-endpoint", code: "CertificateValidationError", severity: "error", scope: "stack" }));

  it("compliant: the healthy (Standard) stack", () => {
    assertNoFindings(audit(healthyStack()), "BG501");
  });

  describe("TLS inspection on the usage endpoint's allow", () => {
    it.each<{ name: string; stack: () => ResourceSet; expected: "error" | "none" }>([
      { name: "Premium + CA certificate + terminateTLS", stack: () => healthyStack(inspectingUsage), expected: "error" },
      {
        name: "Standard tier (cannot terminate TLS)",
        stack: () => healthyStack({ ...inspectingUsage, firewallPolicy: { skuTier: "Standard", hasTlsInspectionCertificate: true } }),
        expected: "none",
      },
      {
        name: "Premium without a CA certificate",
        stack: () => healthyStack({ ...inspectingUsage, firewallPolicy: { skuTier: "Premium", hasTlsInspectionCertificate: false } }),
        expected: "none",
      },
      { name: "terminateTLS false", stack: () => withAllowFor(USAGE, { terminateTLS: false }, inspectingUsage), expected: "none" },
      {
        name: "an earlier non-terminating allow decides first",
        stack: () => withCollection(collection({ name: "allow-usage-first", priority: 150, rules: [https("usage-plain", false)] }), inspectingUsage),
        expected: "none",
      },
    ])("$name: $expected", ({ stack, expected }) => {
      const findings = audit(stack());
      if (expected === "none") {
        assertNoFindings(findings, "BG501");
        return;
      }
      assertHasFinding(findings, {
        rule: "BG501",
        severity: "error",
        resourceName: GROUP,
        host: USAGE,
        port: 443,
        protocol: "https",
        message: `inspects TLS on ${USAGE}:443`,
        evidence: [`rule collection group "${GROUP}" (priority 200) > collection "${BRIDGE_COLLECTION}" (priority 200, Allow) > application rule "${USAGE_RULE}" matches TCP 443 (Https)`],
        remediation: `Set terminateTLS: false on rule "${USAGE_RULE}" (collection "${BRIDGE_COLLECTION}", group "${GROUP}").`,
      });
    });
  });

  describe("non-compliant", () => {
    it("1. a terminating allow in an earlier collection, before the healthy plain allow: error naming that rule", () => {
      const inspectFirst = collection({ name: "inspect-usage", priority: 150, rules: [https("usage-inspected", true)] });
      assertHasFinding(audit(withCollection(inspectFirst, premiumWithCa)), {
        rule: "BG501",
        severity: "error",
        resourceName: GROUP,
        host: USAGE,
        port: 443,
        evidence: ['collection "inspect-usage" (priority 150, Allow) > application rule "usage-inspected" matches'],
        remediation: 'Set terminateTLS: false on rule "usage-inspected"',
      });
    });

    it("2. a terminating rule over HTTP and HTTPS (a login endpoint): only HTTPS is reported", () => {
      const findings = audit(withAllowFor("login.microsoftonline.com", { terminateTLS: true }, premiumWithCa));
      expect(endpointsOf(findings, "BG501")).toEqual(["login.microsoftonline.com:443"]);
    });

    it("3. the intercepted flow is this rule's finding, not a blocked endpoint's", () => {
      const findings = audit(healthyStack(inspectingUsage));
      assertNoFindings(findings, "BG201");
      assertHasFinding(findings, { rule: "BG501", severity: "error", host: USAGE, port: 443 });
    });
  });

  describe("not applicable", () => {
    it("a network rule allows the endpoint: network rules run first, so no application rule terminates TLS", () => {
      const networkAllow = collection({
        name: "allow-azure-network",
        priority: 300,
        rules: [networkRule({ name: "azurecloud-443", ipProtocols: ["TCP"], destinationAddresses: ["AzureCloud"], destinationPorts: ["443"] })],
      });
      assertNoFindings(audit(withCollection(networkAllow, inspectingUsage)), "BG501");
    });

    it("no firewall policy in the stack", () => {
      assertNoFindings(audit(healthyStack({ firewallPolicy: null, ruleCollectionGroup: null, firewall: null })), "BG501");
    });
  });
});
