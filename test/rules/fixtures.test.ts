/** The healthy stack is what the rule tests stand on: check that it is what it says, and that the helpers change one thing. */
import { describe, expect, it } from "vitest";
import { catalogEndpoints } from "../../src/catalog/endpoints";
import { CLOUDS } from "../../src/catalog/clouds";
import { evaluateFirewallPolicy } from "../../src/evaluate/firewall";
import type { Resource, ResourceSet } from "../../src/model/resource";
import { ofKind } from "../../src/model/resource";
import { assertHasFinding, assertNoFindings, audit } from "./assert";
import {
  bridgeApplicationRules,
  bridgeCollection,
  denyAppCollection,
  DNS_SERVER,
  FIREWALL_IP,
  GROUP,
  healthyConfig,
  healthyStack,
  infraCollection,
  NSG,
  nsgRule,
  policyGroup,
  ROUTE_TABLE,
  TIME_SERVER,
  VIP,
  withAllowFor,
  withCollection,
  withDefaultRoute,
  withNetworkRule,
  withNsgRule,
  withNsgRuleChanged,
  withoutAllowFor,
  withResource,
} from "./fixtures";

/** The names of the resources that differ between two stacks (matched by URN). */
function changed(a: ResourceSet, b: ResourceSet): string[] {
  const byUrn = (set: ResourceSet) => new Map(set.resources.map((r): [string, Resource] => [r.ref.urn, r]));
  const left = byUrn(a);
  const right = byUrn(b);
  const urns = new Set([...left.keys(), ...right.keys()]);
  return [...urns].filter((urn) => JSON.stringify(left.get(urn)) !== JSON.stringify(right.get(urn))).map((urn) => (left.get(urn) ?? right.get(urn))!.ref.name);
}

describe("healthyConfig()", () => {
  it("is valid configuration with the stamp's expectations", () => {
    expect(healthyConfig()).toMatchObject({
      cloud: "AzureCloud",
      registration: { resourceGroup: "azurestack", subscriptionId: expect.any(String), cloudId: expect.any(String), objectId: expect.any(String) },
      egress: { sourceAddresses: [VIP], resources: [] },
      timeServer: TIME_SERVER,
      dnsServers: [DNS_SERVER],
      rules: {},
    });
  });

  it("null means not configured", () => {
    const config = healthyConfig({ registration: null, timeServer: null, egress: { sourceAddresses: null } });
    expect(config.registration).toBeUndefined();
    expect(config.timeServer).toBeUndefined();
    expect(config.egress.sourceAddresses).toBeUndefined();
  });

  it("rejects what bridgeguard.yaml would reject (an unknown rule)", () => {
    expect(() => healthyConfig({ rules: { BG999: { enabled: false } } })).toThrow(/BG999/);
  });
});

describe("healthyStack()", () => {
  it("passes every rule", () => {
    expect(audit(healthyStack())).toEqual([]);
  });

  it("holds one resource of each part, the route pointing at the firewall", () => {
    const set = healthyStack();
    expect(set.resources.map((r) => r.kind)).toEqual(["registration", "firewallPolicy", "ruleCollectionGroup", "azureFirewall", "routeTable", "networkSecurityGroup"]);
    expect(ofKind(set, "routeTable")[0]?.routes).toEqual([{ name: "default-to-firewall", addressPrefix: "0.0.0.0/0", nextHopType: "VirtualAppliance", nextHopIpAddress: FIREWALL_IP }]);
    expect(ofKind(set, "azureFirewall")[0]?.privateIpAddresses).toEqual([FIREWALL_IP]);
  });

  it.each(CLOUDS)("allow rules come from the %s catalog: one per endpoint, on its ports", (cloud) => {
    const rules = bridgeApplicationRules(cloud);
    const endpoints = catalogEndpoints(cloud);
    expect(rules).toHaveLength(endpoints.length);
    for (const endpoint of endpoints) {
      const rule = rules.find((r) => r.name === `${endpoint.purpose}-${endpoint.host}`);
      expect(rule?.targetFqdns).toEqual([endpoint.host]);
      expect(rule?.protocols.map((p) => p.port).sort()).toEqual(endpoint.ports.map((p) => p.port).sort());
    }
  });

  it.each(CLOUDS)("a stack with the %s rules passes that cloud's reachability rules", (cloud) => {
    const set = healthyStack({ ruleCollectionGroup: { ruleCollections: [infraCollection(), bridgeCollection({ rules: bridgeApplicationRules(cloud) })] } });
    const findings = audit(set, healthyConfig({ cloud }));
    for (const rule of ["BG201", "BG202", "BG203", "BG204", "BG108", "BG301"]) assertNoFindings(findings, rule);
  });

  it("its firewall policy allows the usage flow by the application rule built for it", () => {
    const set = healthyStack();
    const verdict = evaluateFirewallPolicy([{ policy: ofKind(set, "firewallPolicy")[0]!, groups: ofKind(set, "ruleCollectionGroup") }], {
      sources: [VIP],
      destination: { kind: "fqdn", host: "*.trafficmanager.net", serviceTags: [] },
      port: 443,
      transport: "tcp",
      appProtocol: "Https",
    });
    expect(verdict).toMatchObject({ verdict: "allowed", decidedBy: { rule: "usage-*.trafficmanager.net" } });
  });
});

describe("the one-change helpers", () => {
  it.each([
    ["withoutAllowFor", () => withoutAllowFor("*.trafficmanager.net"), [GROUP]],
    ["withAllowFor", () => withAllowFor("*.trafficmanager.net", { terminateTLS: true }), [GROUP]],
    ["withNetworkRule", () => withNetworkRule("ntp", null), [GROUP]],
    ["withCollection", () => withCollection(denyAppCollection("deny-usage", 150, ["*.trafficmanager.net"])), [GROUP]],
    ["withNsgRule", () => withNsgRule(nsgRule("deny-web", 150, "Deny", "Internet")), [NSG]],
    ["withNsgRuleChanged", () => withNsgRuleChanged("allow-ntp", null), [NSG]],
    ["withDefaultRoute", () => withDefaultRoute({ nextHopType: "None" }), [ROUTE_TABLE]],
    ["healthyStack overrides", () => healthyStack({ registration: { protect: false } }), ["registration"]],
    ["withResource", () => withResource(policyGroup("block-web", 100, [])), ["block-web"]],
  ])("%s changes one resource", (_name, build, expected) => {
    expect(changed(healthyStack(), build())).toEqual(expected);
  });

  it("withoutAllowFor drops the rule whose only FQDN it was, and nothing else", () => {
    const before = ofKind(healthyStack(), "ruleCollectionGroup")[0]!.ruleCollections[1]!.rules.map((r) => r.name);
    const after = ofKind(withoutAllowFor("*.trafficmanager.net"), "ruleCollectionGroup")[0]!.ruleCollections[1]!.rules.map((r) => r.name);
    expect(before.filter((n) => !after.includes(n))).toEqual(["usage-*.trafficmanager.net"]);
  });
});

describe("the assertions fail when they should", () => {
  const findings = audit(withoutAllowFor("*.trafficmanager.net"));

  it("assertHasFinding: wrong severity, resource, port or evidence", () => {
    const base = { rule: "BG201", severity: "error" as const, resourceName: "hub-policy", host: "*.trafficmanager.net", port: 443 };
    expect(assertHasFinding(findings, base).rule.id).toBe("BG201");
    expect(() => assertHasFinding(findings, { ...base, severity: "warning" })).toThrow(/severity: error \(wanted warning\)/);
    expect(() => assertHasFinding(findings, { ...base, resourceName: "bridge-egress" })).toThrow(/resource name/);
    expect(() => assertHasFinding(findings, { ...base, port: 80 })).toThrow(/port/);
    expect(() => assertHasFinding(findings, { ...base, evidence: ["no such line"] })).toThrow(/evidence lacks/);
    expect(() => assertHasFinding(findings, { rule: "BG301", severity: "error" })).toThrow(/no BG301 finding at all/);
  });

  it("assertNoFindings: any finding of the rule, or of the endpoint", () => {
    expect(() => assertNoFindings(findings, "BG201")).toThrow(/unexpected BG201/);
    expect(() => assertNoFindings(findings, "BG201", { host: "*.trafficmanager.net", port: 443 })).toThrow();
    assertNoFindings(findings, "BG201", { port: 80 });
    assertNoFindings(findings, "BG301");
  });
});
