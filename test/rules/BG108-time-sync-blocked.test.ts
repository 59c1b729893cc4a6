import { describe, expect, it } from "vitest";
import { ref, standaloneSecurityRule } from "../evaluate/fixtures";
import { assertHasFinding, assertNoFindings, assertRuleMeta, audit, endpointsOf } from "./assert";
import {
  healthyConfig,
  healthyStack,
  GROUP,
  INFRA_COLLECTION,
  NSG,
  nsgRule,
  NTP_RULE,
  POLICY,
  TIME_SERVER,
  withCollectionChanged,
  withNetworkRule,
  withNsgRule,
  withNsgRuleChanged,
  withResource,
} from "./fixtures";

const ntp = { host: TIME_SERVER, port: 123, protocol: "udp" };
const denyNtp = nsgRule("deny-ntp", 105, "Deny", TIME_SERVER, { protocol: "Udp", destinationPortRanges: ["123"] });

describe("BG108 time-sync-blocked", () => {
  it("metadata", () => assertRuleMeta("BG108", { slug: "time-sync-blocked", code: "Unauthorized", severity: "error", scope: "stack" }));

  it("compliant: a network rule and an NSG rule allow UDP 123 to the time server", () => {
    assertNoFindings(audit(healthyStack()), "BG108");
  });

  // endpoints.md: "A host name cannot be matched by an IP-based rule: that is undetermined (warning), never a
  // hard error". The rules allow the server's address; the configuration names it.
  it("a time server given by host name: the IP rules cannot be matched to it, undetermined (warning), not a hard Unauthorized", () => {
    const findings = audit(healthyStack(), healthyConfig({ timeServer: "ntp.corp.local" }));
    const found = assertHasFinding(findings, { rule: "BG108", severity: "warning", host: "ntp.corp.local", port: 123 });
    expect(found.message).not.toContain("no rule matches");
    expect(found.evidence.join("\n")).toContain("ntp.corp.local is a host name");
    expect(findings.filter((f) => f.rule.id === "BG108" && f.severity === "error")).toEqual([]);
  });

  it("a time server given by host name that no rule allows at all: still an error (nothing can let it through)", () => {
    assertHasFinding(audit(withNetworkRule(NTP_RULE, null), healthyConfig({ timeServer: "ntp.corp.local" })), {
      rule: "BG108",
      severity: "error",
      host: "ntp.corp.local",
      message: "no rule matches; Azure Firewall denies by default",
    });
  });

  describe("non-compliant", () => {
    it("1. the NTP network rule removed: error on the policy (default deny)", () => {
      assertHasFinding(audit(withNetworkRule(NTP_RULE, null)), {
        rule: "BG108",
        severity: "error",
        resourceName: POLICY,
        ...ntp,
        message: "no rule matches; Azure Firewall denies by default",
        evidence: [`no rule matches UDP 123 from 203.0.113.0/27 to ${TIME_SERVER}; Azure Firewall denies by default`],
        remediation: `Add a network rule that allows UDP 123 from 203.0.113.0/27 to ${TIME_SERVER}.`,
      });
    });

    it("2. the NTP rule allows TCP instead of UDP: error", () => {
      assertHasFinding(audit(withNetworkRule(NTP_RULE, { ipProtocols: ["TCP"] })), { rule: "BG108", severity: "error", resourceName: POLICY, ...ntp });
    });

    it("3. the NTP rule points at another address: error", () => {
      assertHasFinding(audit(withNetworkRule(NTP_RULE, { destinationAddresses: ["10.0.0.11"] })), { rule: "BG108", severity: "error", ...ntp });
    });

    it("4. an NSG deny on UDP 123 before the allow: error on the NSG naming the rule and priority", () => {
      assertHasFinding(audit(withNsgRule(denyNtp)), {
        rule: "BG108",
        severity: "error",
        resourceName: NSG,
        ...ntp,
        evidence: [`rule "deny-ntp" (priority 105, Deny) of NSG "${NSG}" matches UDP 123`],
        remediation: `with a priority below 105, so it takes effect before rule "deny-ntp"`,
      });
    });

    it("5. the same deny as a standalone SecurityRule resource: error on that resource", () => {
      const standalone = standaloneSecurityRule({ ref: ref("SecurityRule", "deny-ntp"), networkSecurityGroupName: NSG, rule: denyNtp });
      assertHasFinding(audit(withResource(standalone)), {
        rule: "BG108",
        severity: "error",
        resourceName: "deny-ntp",
        resourceUrn: standalone.ref.urn,
        ...ntp,
      });
    });

    it("6. the NSG's NTP allow removed: warning, undetermined (AllowVnetOutBound may or may not cover a private server)", () => {
      assertHasFinding(audit(withNsgRuleChanged("allow-ntp", null)), {
        rule: "BG108",
        severity: "warning",
        resourceName: NSG,
        ...ntp,
        message: "(undetermined)",
        evidence: ['default rule "AllowVnetOutBound" (priority 65000, Allow)', "may match"],
      });
    });

    it("7. the collection holding the NTP rule turned into Deny: error on the group, naming collection, rule and priority", () => {
      assertHasFinding(audit(withCollectionChanged(INFRA_COLLECTION, { action: "Deny" })), {
        rule: "BG108",
        severity: "error",
        resourceName: GROUP,
        ...ntp,
        evidence: [`rule collection group "${GROUP}" (priority 200) > collection "${INFRA_COLLECTION}" (priority 100, Deny) > network rule "${NTP_RULE}" matches`],
      });
    });

    it("8. egress.sourceAddresses not configured: warning, the source match cannot be decided", () => {
      assertHasFinding(audit(healthyStack(), healthyConfig({ egress: { sourceAddresses: null } })), {
        rule: "BG108",
        severity: "warning",
        ...ntp,
        evidence: ["egress.sourceAddresses not configured"],
      });
    });

    it("9. a time server with a port: the flow uses that port", () => {
      const findings = audit(healthyStack(), healthyConfig({ timeServer: `${TIME_SERVER}:1123` }));
      expect(endpointsOf(findings, "BG108")).toEqual([`${TIME_SERVER}:1123`, `${TIME_SERVER}:1123`]);
    });
  });

  describe("not applicable", () => {
    it("no time server configured: silent, even with NTP blocked", () => {
      assertNoFindings(audit(withNetworkRule(NTP_RULE, null), healthyConfig({ timeServer: null })), "BG108");
    });

    it("no firewall, policy or NSG in the stack", () => {
      assertNoFindings(audit(healthyStack({ firewallPolicy: null, ruleCollectionGroup: null, firewall: null, nsg: null })), "BG108");
    });
  });
});
