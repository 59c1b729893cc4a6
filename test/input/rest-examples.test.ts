/**
 * Azure's own REST API example bodies (Azure/azure-rest-api-specs, specification/network/resource-manager/
 * Microsoft.Network/stable/2024-05-01/examples/), read as the audit reads ARM JSON. Each body is the
 * example's response body, trimmed of what no check reads (insights, tags, etag); where a test changes a
 * value it says so beside it.
 */
import { describe, expect, it } from "vitest";
import { normalizeArm } from "../../src/input";
import { only } from "./helpers";

const SUB = "/subscriptions/subid/resourceGroups/rg1/providers/Microsoft.Network";

/**
 * AzureFirewallPutWithAdditionalProperties.json (2024-05-01), response 200. The example's
 * `additionalProperties` are `{"key1": "value1", "key2": "value2"}`; here they hold the keys Azure reads,
 * with the values `az network firewall threat-intel-allowlist create` writes in the Azure CLI's own test
 * (`"www.bing.com, *.microsoft.com, *google.com"`) and `--enable-dns-proxy true` ("service side requires
 * lowercase").
 */
export function classicFirewallWithAdditionalProperties(additionalProperties: Record<string, string>) {
  return {
    name: "azurefirewall",
    id: `${SUB}/azureFirewalls/azurefirewall`,
    type: "Microsoft.Network/azureFirewalls",
    location: "West US",
    properties: {
      provisioningState: "Succeeded",
      sku: { name: "AZFW_VNet", tier: "Standard" },
      threatIntelMode: "Alert",
      ipConfigurations: [
        {
          name: "azureFirewallIpConfiguration",
          id: `${SUB}/azureFirewalls/azurefirewall/ipConfigurations/azureFirewallIpConfiguration`,
          properties: {
            privateIPAddress: "10.0.0.0",
            subnet: { id: `${SUB}/virtualNetworks/vnet2/subnets/AzureFirewallSubnet` },
            publicIPAddress: { id: `${SUB}/publicIPAddresses/pipName` },
          },
        },
      ],
      applicationRuleCollections: [
        {
          name: "apprulecoll",
          id: `${SUB}/azureFirewalls/azurefirewall/applicationRuleCollections/apprulecoll`,
          properties: {
            priority: 110,
            action: { type: "Deny" },
            rules: [{ name: "rule1", description: "Deny inbound rule", protocols: [{ protocolType: "Https", port: 443 }], targetFqdns: ["www.test.com"], sourceAddresses: ["216.58.216.164", "10.0.0.0/24"] }],
          },
        },
      ],
      networkRuleCollections: [
        {
          name: "netrulecoll",
          id: `${SUB}/azureFirewalls/azurefirewall/networkRuleCollections/netrulecoll`,
          properties: {
            priority: 112,
            action: { type: "Deny" },
            rules: [
              {
                name: "L4-traffic",
                description: "Block traffic based on source IPs and ports",
                sourceAddresses: ["192.168.1.1-192.168.1.12", "10.1.4.12-10.1.4.255"],
                destinationPorts: ["443-444", "8443"],
                destinationAddresses: ["*"],
                protocols: ["TCP"],
              },
              {
                name: "L4-traffic-with-FQDN",
                description: "Block traffic based on source IPs and ports to amazon",
                sourceAddresses: ["10.2.4.12-10.2.4.255"],
                destinationPorts: ["443-444", "8443"],
                protocols: ["TCP"],
                destinationFqdns: ["www.amazon.com"],
              },
            ],
          },
        },
      ],
      additionalProperties,
    },
  };
}

/** FirewallPolicyPut.json (2024-05-01), response 200 (insights and explicitProxy left out). */
export const FIREWALL_POLICY_PUT = {
  name: "firewallPolicy",
  id: `${SUB}/firewallPolicies/firewallPolicy`,
  type: "Microsoft.Network/firewallPolicies",
  location: "West US",
  properties: {
    provisioningState: "Succeeded",
    threatIntelMode: "Alert",
    threatIntelWhitelist: { ipAddresses: ["20.3.4.5"], fqdns: ["*.microsoft.com"] },
    ruleCollectionGroups: [{ id: `${SUB}/firewallPolicies/firewallPolicy/ruleCollectionGroups/ruleCollectionGroup1` }, { id: `${SUB}/firewallPolicies/firewallPolicy/ruleCollectionGroups/ruleCollectionGroup2` }],
    firewalls: [],
    snat: { privateRanges: ["IANAPrivateRanges"] },
    sql: { allowSqlRedirect: true },
    dnsSettings: { servers: ["30.3.4.5"], enableProxy: true, requireProxyForNetworkRules: false },
    sku: { tier: "Premium" },
    intrusionDetection: {
      mode: "Alert",
      profile: "Balanced",
      configuration: {
        signatureOverrides: [{ id: "2525004", mode: "Deny" }],
        bypassTrafficSettings: [
          { name: "bypassRule1", description: "Rule 1", protocol: "TCP", sourceAddresses: ["1.2.3.4"], destinationAddresses: ["5.6.7.8"], destinationPorts: ["*"] },
        ],
      },
    },
    transportSecurity: { certificateAuthority: { name: "clientcert", keyVaultSecretId: "https://kv/secret" } },
  },
};

describe("REST API examples (Microsoft.Network 2024-05-01)", () => {
  it("a classic firewall's additionalProperties: DNS proxy and the threat-intel allow list (comma-separated)", () => {
    const set = normalizeArm(
      classicFirewallWithAdditionalProperties({
        "Network.DNS.EnableProxy": "true",
        "ThreatIntel.Whitelist.FQDNs": "www.bing.com, *.microsoft.com, *google.com",
        "ThreatIntel.Whitelist.IpAddresses": "10.0.0.0, 10.0.0.1",
      }),
      "fw.json",
    );
    const fw = only(set.resources, "azureFirewall");
    expect(fw.dnsProxyEnabled).toBe(true);
    expect(fw.threatIntelWhitelistFqdns).toEqual(["www.bing.com", "*.microsoft.com", "*google.com"]);
    expect(fw.threatIntelWhitelistIpAddresses).toEqual(["10.0.0.0", "10.0.0.1"]);
    expect(fw.networkRuleCollections[0]?.rules[1]).toMatchObject({ name: "L4-traffic-with-FQDN", destinationFqdns: ["www.amazon.com"] });
  });

  it("the example's own additionalProperties (key1, key2) set neither: DNS proxy off, no allow list", () => {
    const fw = only(normalizeArm(classicFirewallWithAdditionalProperties({ key1: "value1", key2: "value2" }), "fw.json").resources, "azureFirewall");
    expect(fw.dnsProxyEnabled).toBeUndefined();
    expect(fw.threatIntelWhitelistFqdns).toBeUndefined();
  });

  it("a policy's dnsSettings.enableProxy, IDPS bypass entries and signature overrides", () => {
    const policy = only(normalizeArm(FIREWALL_POLICY_PUT, "policy.json").resources, "firewallPolicy");
    expect(policy.dnsProxyEnabled).toBe(true);
    expect(policy.threatIntelWhitelistFqdns).toEqual(["*.microsoft.com"]);
    expect(policy.intrusionDetectionMode).toBe("Alert");
    expect(policy.idpsSignatureOverrides).toEqual([{ id: "2525004", mode: "Deny" }]);
    expect(policy.idpsBypass).toEqual([
      { name: "bypassRule1", protocol: "TCP", sourceAddresses: ["1.2.3.4"], sourceIpGroups: [], destinationAddresses: ["5.6.7.8"], destinationIpGroups: [], destinationPorts: ["*"] },
    ]);
  });
});
