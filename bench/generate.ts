/**
 * Synthetic `pulumi stack export` files for the benchmark: realistic azure-native shapes, with
 * firewall policies holding thousands of rules, NSGs, route tables, and a bulk of other resources.
 */
import * as fs from "node:fs";

const SUB = "7c2a8e2e-3f1d-4b6a-9a7e-2d4c1b9f0a11";
const VIP = "203.0.113.0/27";

function urn(type: string, name: string): string {
  return `urn:pulumi:bench::azs-border::${type}::${name}`;
}

function armId(rg: string, kind: string, name: string): string {
  return `/subscriptions/${SUB}/resourceGroups/${rg}/providers/Microsoft.Network/${kind}/${name}`;
}

function resource(type: string, name: string, id: string, props: Record<string, unknown>): Record<string, unknown> {
  return {
    urn: urn(type, name),
    custom: true,
    id,
    type,
    inputs: props,
    outputs: { ...props, id, name, provisioningState: "Succeeded" },
    parent: urn("pulumi:pulumi:Stack", "azs-border-bench"),
    protect: false,
    provider: `${urn("pulumi:providers:azure-native", "default")}::0f1e2d3c-4b5a-4968-8776-655443322110`,
    dependencies: [],
    propertyDependencies: {},
  };
}

function policyWithRules(index: number, rulesPerPolicy: number): Record<string, unknown>[] {
  const policy = `policy-${index}`;
  const policyId = armId("hub", "firewallPolicies", policy);
  const collections = [];
  const perCollection = 40;
  for (let c = 0; c * perCollection < rulesPerPolicy; c++) {
    const rules = [];
    for (let r = 0; r < perCollection; r++) {
      const n = c * perCollection + r;
      rules.push(
        n % 2 === 0
          ? { ruleType: "ApplicationRule", name: `app-${n}`, sourceAddresses: [`10.${n % 250}.0.0/16`], protocols: [{ protocolType: "Https", port: 443 }], targetFqdns: [`app${n}.contoso.com`], terminateTLS: false }
          : { ruleType: "NetworkRule", name: `net-${n}`, ipProtocols: ["TCP"], sourceAddresses: [`10.${n % 250}.0.0/16`], destinationAddresses: [`192.168.${n % 250}.0/24`], destinationPorts: [`${1000 + (n % 5000)}`] },
      );
    }
    collections.push({ ruleCollectionType: "FirewallPolicyFilterRuleCollection", name: `coll-${c}`, priority: 1000 + c, action: { type: c % 7 === 6 ? "Deny" : "Allow" }, rules });
  }
  collections.push({
    ruleCollectionType: "FirewallPolicyFilterRuleCollection",
    name: "bridge",
    priority: 60000,
    action: { type: "Allow" },
    rules: [{ ruleType: "ApplicationRule", name: "bridge", sourceAddresses: [VIP], protocols: [{ protocolType: "Https", port: 443 }, { protocolType: "Http", port: 80 }], targetFqdns: ["*"], terminateTLS: false }],
  });
  return [
    resource("azure-native:network:FirewallPolicy", policy, policyId, { firewallPolicyName: policy, resourceGroupName: "hub", sku: { tier: "Standard" }, threatIntelMode: "Alert" }),
    resource("azure-native:network:FirewallPolicyRuleCollectionGroup", `${policy}-rcg`, `${policyId}/ruleCollectionGroups/main`, {
      firewallPolicyName: policy,
      resourceGroupName: "hub",
      priority: 100,
      ruleCollections: collections,
    }),
  ];
}

function nsg(index: number): Record<string, unknown> {
  const name = `nsg-${index}`;
  const securityRules = Array.from({ length: 20 }, (_, r) => ({
    name: `rule-${r}`,
    priority: 100 + r * 10,
    direction: r % 2 ? "Inbound" : "Outbound",
    access: "Allow",
    protocol: "Tcp",
    sourceAddressPrefix: `10.${r}.0.0/16`,
    sourcePortRange: "*",
    destinationAddressPrefix: `172.16.${r}.0/24`,
    destinationPortRange: `${8000 + r}`,
  }));
  return resource("azure-native:network:NetworkSecurityGroup", name, armId("spokes", "networkSecurityGroups", name), { networkSecurityGroupName: name, resourceGroupName: "spokes", securityRules });
}

function other(index: number): Record<string, unknown> {
  const name = `pip-${index}`;
  return resource("azure-native:network:PublicIPAddress", name, armId("spokes", "publicIPAddresses", name), {
    publicIpAddressName: name,
    resourceGroupName: "spokes",
    location: "westeurope",
    sku: { name: "Standard", tier: "Regional" },
    publicIPAllocationMethod: "Static",
    ipAddress: `198.51.${Math.floor(index / 250) % 250}.${index % 250}`,
    tags: { owner: "platform-network", costCenter: "4711", environment: "bench" },
  });
}

/** A stack export of `count` resources: per 1,000, one policy with 2,000 rules, 20 NSGs, the rest bulk. */
export function generateStackExport(count: number): unknown {
  const resources: Record<string, unknown>[] = [];
  for (let i = 0; resources.length < count; i++) {
    if (i % 1000 === 0) resources.push(...policyWithRules(i / 1000, 2000));
    else if (i % 50 === 0) resources.push(nsg(i));
    else resources.push(other(i));
  }
  return { version: 3, deployment: { manifest: { time: "2026-11-24T00:00:00Z", magic: "", version: "v3.248.0" }, resources: resources.slice(0, count) } };
}

export function writeStackExport(file: string, count: number): number {
  const text = JSON.stringify(generateStackExport(count));
  fs.writeFileSync(file, text);
  return Buffer.byteLength(text);
}
