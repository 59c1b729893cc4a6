import { describe, expect, it } from "vitest";
import { evaluateNsgOutbound, NSG_DEFAULT_OUTBOUND_RULES } from "../../src/evaluate/nsg";
import type { Flow, VerdictKind } from "../../src/evaluate/types";
import type { SecurityRule } from "../../src/model/resource";
import { dnsFlow, httpsFlow, loginFlow, ntpFlow, nsg, securityRule } from "./fixtures";

const usage = httpsFlow();
const deny = (overrides: Partial<SecurityRule>) => securityRule({ name: "deny", access: "Deny", ...overrides });

interface NsgCase {
  name: string;
  rules: SecurityRule[];
  flow?: Flow;
  verdict: VerdictKind;
  rule?: string;
  isDefault?: boolean;
  says?: string;
}

const cases: NsgCase[] = [
  { name: "allow AzureCloud 443 from the VIP", rules: [securityRule()], verdict: "allowed", rule: "allow-bridge" },
  { name: "no rules: AllowInternetOutBound", rules: [], verdict: "allowed", rule: "AllowInternetOutBound", isDefault: true },
  { name: "deny Internet", rules: [deny({ destinationAddressPrefixes: ["Internet"] })], verdict: "denied", rule: "deny" },
  { name: "deny AzureCloud", rules: [deny({ destinationAddressPrefixes: ["AzureCloud"] })], verdict: "denied", rule: "deny" },
  { name: "deny *", rules: [deny({ destinationAddressPrefixes: ["*"], destinationPortRanges: ["*"], protocol: "*" })], verdict: "denied", rule: "deny" },
  { name: "deny AzureActiveDirectory denies login", rules: [deny({ destinationAddressPrefixes: ["AzureActiveDirectory"] })], flow: loginFlow(), verdict: "denied", rule: "deny" },
  {
    name: "deny to a public CIDR cannot be matched to an FQDN",
    rules: [deny({ destinationAddressPrefixes: ["20.0.0.0/8"] })],
    verdict: "undetermined",
    rule: "deny",
    says: "IP rule cannot be matched to an FQDN statically",
  },
  { name: "deny to a private CIDR does not touch Azure endpoints", rules: [deny({ destinationAddressPrefixes: ["10.0.0.0/8"] })], verdict: "allowed", isDefault: true },
  { name: "AzureTrafficManager does not cover *.trafficmanager.net", rules: [deny({ destinationAddressPrefixes: ["AzureTrafficManager"] })], verdict: "allowed", isDefault: true },
  {
    name: "ascending priority: allow 100 before deny * 4096",
    rules: [deny({ priority: 4096, destinationAddressPrefixes: ["*"] }), securityRule({ priority: 100 })],
    verdict: "allowed",
    rule: "allow-bridge",
  },
  { name: "deny port range 400-500", rules: [deny({ destinationAddressPrefixes: ["*"], destinationPortRanges: ["400-500"] })], verdict: "denied" },
  { name: "deny port 80 does not touch 443", rules: [deny({ destinationAddressPrefixes: ["*"], destinationPortRanges: ["80"] })], verdict: "allowed", isDefault: true },
  { name: "deny Udp does not touch TCP", rules: [deny({ protocol: "Udp", destinationAddressPrefixes: ["*"] })], verdict: "allowed", isDefault: true },
  { name: "inbound rules are ignored", rules: [deny({ direction: "Inbound", destinationAddressPrefixes: ["*"] })], verdict: "allowed", isDefault: true },
  { name: "source VirtualNetwork covers the egress traffic", rules: [deny({ sourceAddressPrefixes: ["VirtualNetwork"], destinationAddressPrefixes: ["Internet"] })], verdict: "denied" },
  {
    name: "source covering part of the VIP",
    rules: [deny({ sourceAddressPrefixes: ["203.0.113.16/28"], destinationAddressPrefixes: ["Internet"] })],
    verdict: "undetermined",
    says: "cover only 203.0.113.16/28 of 203.0.113.0/27",
  },
  { name: "deny UDP 123 to the time server's address", rules: [deny({ protocol: "Udp", destinationAddressPrefixes: ["20.101.57.9/32"], destinationPortRanges: ["123"] })], flow: ntpFlow(), verdict: "denied" },
  { name: "public DNS server, no rules: AllowInternetOutBound", rules: [], flow: dnsFlow("8.8.8.8"), verdict: "allowed", rule: "AllowInternetOutBound" },
  {
    name: "private DNS server, no rules: depends on the VirtualNetwork tag",
    rules: [],
    flow: dnsFlow("10.50.0.53"),
    verdict: "undetermined",
    rule: "AllowVnetOutBound",
    says: "VirtualNetwork tag",
  },
  // service-tags-overview.md: AzureStack is "Azure Stack Bridge services ... the Azure Stack Bridge service endpoint per
  // region"; the catalog gives it to the usage hosts (endpoints.md), not to ARM or identity.
  {
    name: "allow AzureStack before a deny of the Internet allows the usage endpoint",
    rules: [securityRule({ name: "allow-bridge-tag", destinationAddressPrefixes: ["AzureStack"] }), deny({ priority: 4000, destinationAddressPrefixes: ["Internet"] })],
    flow: httpsFlow("*.cloudapp.azure.com", { destination: { kind: "fqdn", host: "*.cloudapp.azure.com", serviceTags: ["AzureStack"] } }),
    verdict: "allowed",
    rule: "allow-bridge-tag",
  },
  {
    name: "AzureStack does not hold ARM: the deny of the Internet decides (denied, not undetermined)",
    rules: [securityRule({ name: "allow-bridge-tag", destinationAddressPrefixes: ["AzureStack"] }), deny({ priority: 4000, destinationAddressPrefixes: ["Internet"] })],
    flow: httpsFlow("management.azure.com", { destination: { kind: "fqdn", host: "management.azure.com", serviceTags: ["AzureResourceManager"] } }),
    verdict: "denied",
    rule: "deny",
  },
  {
    name: "AzureStack does not hold the identity endpoints",
    rules: [securityRule({ name: "allow-bridge-tag", destinationAddressPrefixes: ["AzureStack"] }), deny({ priority: 4000, destinationAddressPrefixes: ["Internet"] })],
    flow: loginFlow(),
    verdict: "denied",
    rule: "deny",
  },
  { name: "private DNS server allowed by its CIDR", rules: [securityRule({ protocol: "*", destinationAddressPrefixes: ["10.50.0.0/16"], destinationPortRanges: ["53"] })], flow: dnsFlow(), verdict: "allowed" },
];

describe("evaluateNsgOutbound", () => {
  it.each(cases)("$name", (c) => {
    const group = nsg({ securityRules: c.rules });
    const verdict = evaluateNsgOutbound(group.ref, group.securityRules, c.flow ?? usage);
    expect(verdict.verdict, verdict.reason).toBe(c.verdict);
    if (c.rule) expect(verdict.decidedBy?.rule).toBe(c.rule);
    if (c.isDefault !== undefined) expect(verdict.decidedBy?.isDefault ?? false).toBe(c.isDefault);
    if (c.says) expect([verdict.reason, ...verdict.evidence].join("\n")).toContain(c.says);
  });

  it("exports Azure's default outbound rules as data", () => {
    expect(NSG_DEFAULT_OUTBOUND_RULES.map((r) => [r.name, r.priority, r.access, r.destinationAddressPrefixes[0]])).toEqual([
      ["AllowVnetOutBound", 65000, "Allow", "VirtualNetwork"],
      ["AllowInternetOutBound", 65001, "Allow", "Internet"],
      ["DenyAllOutBound", 65500, "Deny", "*"],
    ]);
  });

  it("places a deciding rule of the NSG's own by its index there; a standalone rule and the defaults have no path", () => {
    const group = nsg({ securityRules: [securityRule({ name: "allow-vnet", priority: 200, destinationAddressPrefixes: ["VirtualNetwork"] }), deny({ priority: 100, destinationAddressPrefixes: ["Internet"] })] });
    expect(evaluateNsgOutbound(group.ref, group.securityRules, usage).decidedBy).toMatchObject({ rule: "deny", path: "securityRules[1]" });
    const standalone = deny({ priority: 100, destinationAddressPrefixes: ["Internet"] });
    const owner = { urn: "urn:standalone-rule", type: "azure-native:network:SecurityRule", name: "deny" };
    const byStandalone = evaluateNsgOutbound(group.ref, [standalone], usage, () => owner).decidedBy;
    expect(byStandalone).toMatchObject({ resource: owner, rule: "deny" });
    expect(byStandalone).not.toHaveProperty("path");
    expect(evaluateNsgOutbound(group.ref, [], usage).decidedBy).not.toHaveProperty("path");
  });

  it("ignores copies of the default rules in the input (ARM defaultSecurityRules)", () => {
    const copy = { ...NSG_DEFAULT_OUTBOUND_RULES[2]!, priority: 100 };
    expect(evaluateNsgOutbound(nsg().ref, [copy], usage).verdict).toBe("allowed");
  });
});
