/**
 * Audits of Azure's own REST API example bodies (Azure/azure-rest-api-specs, specification/network/
 * resource-manager/Microsoft.Network/stable/2024-05-01/examples/), read as the CLI reads ARM JSON. Where a
 * test changes the example (a configuration value, an added collection), it says so beside the change.
 */
import { describe, expect, it } from "vitest";
import { normalizeArm } from "../../src/input";
import { assertHasFinding, audit, findingsOf } from "./assert";
import { healthyConfig } from "./fixtures";

/** FirewallPolicyRuleCollectionGroupList.json (2024-05-01), response 200: what `az network firewall policy rule-collection-group list` returns. */
function ruleCollectionGroupList(extraCollections: object[] = []) {
  return {
    value: [
      {
        name: "ruleCollectionGroup1",
        id: "/subscriptions/subid/resourceGroups/rg1/providers/Microsoft.Network/firewallPolicies/firewallPolicy/ruleCollectionGroups/ruleCollectionGroup1",
        etag: 'W/"72090554-7e3b-43f2-80ad-99a9020dcb11"',
        properties: {
          provisioningState: "Succeeded",
          priority: 110,
          ruleCollections: [
            {
              name: "Example-Filter-Rule-Collection",
              ruleCollectionType: "FirewallPolicyFilterRuleCollection",
              priority: 120,
              action: { type: "Deny" },
              rules: [
                {
                  name: "network-rule-1",
                  ruleType: "NetworkRule",
                  description: "Network rule",
                  destinationAddresses: ["*"],
                  sourceAddresses: ["10.1.25.0/24"],
                  ipProtocols: ["TCP"],
                  destinationPorts: ["*"],
                },
              ],
            },
            ...extraCollections,
          ],
        },
      },
    ],
  };
}

/** The example's sources, 10.1.25.0/24, as the stamp's egress range (a configuration choice, not the body's). */
const config = healthyConfig({ egress: { sourceAddresses: ["10.1.25.0/24"] } });

/**
 * NetworkSecurityGroupCreateWithRule.json (2024-05-01), response 200, without its defaultSecurityRules
 * (bridgeguard adds Azure's defaults itself). The example holds one inbound rule; the two outbound rules are
 * added here: allow the AzureStack service tag on 443, then deny the Internet.
 */
function nsgWithAzureStackRule() {
  const rule = (name: string, properties: Record<string, unknown>) => ({
    name,
    id: `/subscriptions/subid/resourceGroups/rg1/providers/Microsoft.Network/networkSecurityGroups/testnsg/securityRules/${name}`,
    properties: { provisioningState: "Succeeded", sourcePortRange: "*", ...properties },
  });
  return {
    name: "testnsg",
    id: "/subscriptions/subid/resourceGroups/rg1/providers/Microsoft.Network/networkSecurityGroups/testnsg",
    type: "Microsoft.Network/networkSecurityGroups",
    location: "eastus",
    properties: {
      provisioningState: "Succeeded",
      securityRules: [
        rule("rule1", { protocol: "*", destinationPortRange: "80", sourceAddressPrefix: "*", destinationAddressPrefix: "*", access: "Allow", priority: 130, direction: "Inbound" }),
        rule("allow-bridge-tag", { protocol: "Tcp", destinationPortRange: "443", sourceAddressPrefix: "*", destinationAddressPrefix: "AzureStack", access: "Allow", priority: 200, direction: "Outbound" }),
        rule("deny-internet", { protocol: "*", destinationPortRange: "*", sourceAddressPrefix: "*", destinationAddressPrefix: "Internet", access: "Deny", priority: 4000, direction: "Outbound" }),
      ],
    },
  };
}

describe("REST API examples, audited (Microsoft.Network 2024-05-01)", () => {
  // service-tags-overview.md: AzureStack, "Azure Stack Bridge services ... the Azure Stack Bridge service endpoint per region".
  it("NetworkSecurityGroupCreateWithRule with an allow of AzureStack: the usage endpoints pass; ARM and identity are denied, not undetermined", () => {
    const findings = audit(normalizeArm(nsgWithAzureStackRule(), "nsg.json"));
    expect(findingsOf(findings, "BG201")).toEqual([]);
    assertHasFinding(findings, { rule: "BG202", severity: "error", resourceName: "testnsg", host: "management.azure.com", message: "deny-internet" });
    assertHasFinding(findings, { rule: "BG301", severity: "error", resourceName: "testnsg", host: "login.microsoftonline.com" });
    expect(findingsOf(findings, "BG202").every((f) => f.severity === "error")).toBe(true);
  });

  it("FirewallPolicyRuleCollectionGroupList: a group denying all TCP first, its policy not in the input, does not pass silently", () => {
    const findings = audit(normalizeArm(ruleCollectionGroupList(), "rcg-list.json"), config);
    const usage = assertHasFinding(findings, {
      rule: "BG201",
      severity: "warning",
      resourceName: "ruleCollectionGroup1",
      host: "*.trafficmanager.net",
      message: "may deny",
      evidence: ['firewall policy firewallPolicy is not in the input (only its rule collection groups "ruleCollectionGroup1" are)'],
    });
    expect(usage.message).toContain("network-rule-1");
    expect(usage.endpoints.map((e) => e.host)).toContain("management.azure.com");
    assertHasFinding(findings, { rule: "BG301", severity: "warning", host: "login.microsoftonline.com" });
  });

  it("the same list with an Allow collection that carries no priority (added here): the finding says it has none, and that its place changes nothing here", () => {
    const allowWithoutPriority = {
      name: "allow-bridge",
      ruleCollectionType: "FirewallPolicyFilterRuleCollection",
      action: { type: "Allow" },
      rules: [{ name: "arm", ruleType: "ApplicationRule", sourceAddresses: ["10.1.25.0/24"], protocols: [{ protocolType: "Https", port: 443 }], targetFqdns: ["management.azure.com"] }],
    };
    const findings = audit(normalizeArm(ruleCollectionGroupList([allowWithoutPriority]), "rcg-list.json"), config);
    // Network rules come before application rules whatever the priorities: the TCP deny still decides ARM.
    const arm = findings.filter((f) => f.endpoints.some((e) => e.host === "management.azure.com" && e.port === 443));
    expect(arm.length).toBeGreaterThan(0);
    expect(arm.every((f) => f.severity === "warning" && f.evidence.join("\n").includes('collection "allow-bridge" has no priority, so where Azure places it is not known; first or last, the verdict is the same'))).toBe(true);
  });
});
