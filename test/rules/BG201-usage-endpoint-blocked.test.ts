import { describe, expect, it } from "vitest";
import { collection, networkRule } from "../evaluate/fixtures";
import { assertHasFinding, assertNoFindings, assertRuleMeta, audit, endpointsOf, findingsOf } from "./assert";
import {
  BRIDGE_COLLECTION,
  denyAppCollection,
  FIREWALL,
  GROUP,
  healthyConfig,
  healthyStack,
  NSG,
  nsgRule,
  POLICY,
  policyGroup,
  withAllowFor,
  withCollection,
  withNsgRule,
  withNsgRuleChanged,
  withoutAllowFor,
  withResource,
} from "./fixtures";

const USAGE = "*.trafficmanager.net";
const usage = { host: USAGE, port: 443, protocol: "https" };

describe("BG201 usage-endpoint-blocked", () => {
  it("metadata", () => assertRuleMeta("BG201", { slug: "usage-endpoint-blocked", code: "NetworkError", severity: "error", scope: "stack" }));

  it("compliant: the usage endpoint is allowed by FQDN on HTTPS 443 from the VIP, and the NSG allows AzureCloud", () => {
    assertNoFindings(audit(healthyStack()), "BG201");
  });

  it("compliant: a Deny collection AFTER the allow does not decide", () => {
    assertNoFindings(audit(withCollection(denyAppCollection("deny-usage", 300, [USAGE]))), "BG201");
  });

  describe("non-compliant", () => {
    it("1. an explicit Deny collection before the allow: error on the rule collection group that holds it", () => {
      assertHasFinding(audit(withCollection(denyAppCollection("deny-usage", 150, [USAGE]))), {
        rule: "BG201",
        severity: "error",
        resourceName: GROUP,
        ...usage,
        message: [`Azure Firewall ${FIREWALL} (policy ${POLICY}) denies ${USAGE}:443`],
        evidence: [`rule collection group "${GROUP}" (priority 200) > collection "deny-usage" (priority 150, Deny) > application rule "deny-${USAGE}" matches TCP 443 (Https)`],
        remediation: `(or a collection before "deny-usage" in "${GROUP}")`,
      });
    });

    it("2. the Deny in an earlier rule collection group of its own: error on THAT group, not the one with the allow", () => {
      const denyGroup = policyGroup("block-web", 100, [denyAppCollection("deny-usage", 100, [USAGE])]);
      assertHasFinding(audit(withResource(denyGroup)), {
        rule: "BG201",
        severity: "error",
        resourceName: "block-web",
        resourceUrn: denyGroup.ref.urn,
        ...usage,
        evidence: ['rule collection group "block-web" (priority 100) > collection "deny-usage" (priority 100, Deny)'],
        remediation: "in a rule collection group with a priority below 100",
      });
    });

    it("3. the allow removed: default deny, error on the policy", () => {
      assertHasFinding(audit(withoutAllowFor(USAGE)), {
        rule: "BG201",
        severity: "error",
        resourceName: POLICY,
        ...usage,
        message: "no rule matches; Azure Firewall denies by default",
        evidence: ["Azure Firewall denies by default"],
        remediation: `Add an application rule that allows ${USAGE} (Https:443) from 203.0.113.0/27`,
      });
    });

    it("4. an NSG outbound deny on Internet before the allow: error on the NSG, naming rule and priority", () => {
      assertHasFinding(audit(withNsgRule(nsgRule("deny-web", 150, "Deny", "Internet"))), {
        rule: "BG201",
        severity: "error",
        resourceName: NSG,
        ...usage,
        evidence: [`rule "deny-web" (priority 150, Deny) of NSG "${NSG}" matches TCP 443 (Https)`],
        // The AzureStack service tag covers the usage endpoint (service-tags-overview.md, "Azure Stack Bridge services").
        // The ARM endpoint (AzureResourceManager) is denied by the same rule: the same cause, the same code.
        remediation: `Add an outbound security rule to ${NSG} that allows TCP 443 from 203.0.113.0/27 to AzureStack, AzureResourceManager with a priority below 150`,
      });
      assertHasFinding(audit(withNsgRule(nsgRule("deny-web", 150, "Deny", "Internet"))), { rule: "BG201", severity: "error", resourceName: NSG, host: "management.azure.com", port: 443 });
      assertNoFindings(audit(withNsgRule(nsgRule("deny-web", 150, "Deny", "Internet"))), "BG202");
    });

    it("5. an NSG outbound deny on *: error on the NSG", () => {
      assertHasFinding(audit(withNsgRule(nsgRule("deny-all", 90, "Deny", "*"))), {
        rule: "BG201",
        severity: "error",
        resourceName: NSG,
        ...usage,
        evidence: [`rule "deny-all" (priority 90, Deny)`],
      });
    });

    it("6. the allow covers only part of the VIP (203.0.113.0/28): warning, undetermined, naming the part", () => {
      assertHasFinding(audit(withAllowFor(USAGE, { sourceAddresses: ["203.0.113.0/28"] })), {
        rule: "BG201",
        severity: "warning",
        resourceName: GROUP,
        ...usage,
        message: "may deny",
        evidence: ["rule sources cover only 203.0.113.0/28 of 203.0.113.0/27"],
        remediation: `Make the rules decide ${USAGE} unambiguously`,
      });
    });

    it("7. an NSG allow on AzureTrafficManager is not enough (it holds Traffic Manager's probes, not *.trafficmanager.net)", () => {
      assertHasFinding(audit(withNsgRuleChanged("allow-azure", { destinationAddressPrefixes: ["AzureTrafficManager"] })), {
        rule: "BG201",
        severity: "error",
        resourceName: NSG,
        ...usage,
        evidence: [`rule "deny-internet" (priority 4000, Deny) of NSG "${NSG}" matches TCP 443 (Https)`],
      });
    });

    it("8. a network-rule Deny in a LATER collection still wins: network rules run before application rules", () => {
      const denyTls = collection({
        name: "deny-tls",
        priority: 300,
        action: "Deny",
        rules: [networkRule({ name: "any-443", ipProtocols: ["TCP"], destinationAddresses: ["*"], destinationPorts: ["443"] })],
      });
      assertHasFinding(audit(withCollection(denyTls)), {
        rule: "BG201",
        severity: "error",
        resourceName: GROUP,
        ...usage,
        evidence: ['collection "deny-tls" (priority 300, Deny) > network rule "any-443" matches'],
      });
    });

    it("9. a Deny collection with the same priority as the allow: warning, undetermined (Azure documents no order)", () => {
      assertHasFinding(audit(withCollection(denyAppCollection("deny-usage", 200, [USAGE]))), {
        rule: "BG201",
        severity: "warning",
        ...usage,
        message: "(undetermined)",
        evidence: [`collections "${BRIDGE_COLLECTION}" and "deny-usage" share priority 200`],
      });
    });

    it("10. egress.sourceAddresses not configured: warning per gate, not a silent pass", () => {
      const findings = audit(healthyStack(), healthyConfig({ egress: { sourceAddresses: null } }));
      // Both usage hosts of the newest Usage row, each at each gate.
      const rows = findingsOf(findings, "BG201").flatMap((f) => f.endpoints.map((e) => [f.severity, f.resource.name, e.host]));
      expect(rows.sort((a, b) => a.join(" ").localeCompare(b.join(" ")))).toEqual([
        ["warning", GROUP, "*.cloudapp.azure.com"],
        ["warning", GROUP, "*.trafficmanager.net"],
        ["warning", NSG, "*.cloudapp.azure.com"],
        ["warning", NSG, "*.trafficmanager.net"],
        // The NSG's rule may also deny the ARM endpoint: the same cause, so the same finding.
        ["warning", NSG, "management.azure.com"],
      ]);
    });

    it("11. the stamp registers with another cloud: the AzureCloud allow does not cover its usage endpoint", () => {
      const findings = audit(healthyStack(), healthyConfig({ cloud: "AzureUSGovernment" }));
      assertHasFinding(findings, { rule: "BG201", severity: "error", resourceName: POLICY, host: "*.usgovtrafficmanager.net", port: 443 });
    });

    it("12. a deny on the usage endpoint reports only the usage endpoint", () => {
      expect(endpointsOf(audit(withoutAllowFor(USAGE)), "BG201")).toEqual([`${USAGE}:443`]);
    });
  });

  describe("not applicable", () => {
    it("no firewall, policy or NSG in the stack: nothing to evaluate", () => {
      assertNoFindings(audit(healthyStack({ firewallPolicy: null, ruleCollectionGroup: null, firewall: null, nsg: null })), "BG201");
    });

    it("egress.resources selects only the NSG: the firewall's deny is not evaluated", () => {
      assertNoFindings(audit(withoutAllowFor(USAGE), healthyConfig({ egress: { resources: [NSG] } })), "BG201");
    });
  });
});
