/**
 * The one generator (`buildAllowRuleSet`) and its renderings: ARM JSON, the Pulumi snippet (type-checked
 * against the installed `@pulumi/azure-native` typings), the TLS-bypass list; and what it refuses.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import ts from "typescript";
import { describe, expect, it } from "vitest";
import {
  buildAllowRuleSet,
  renderArm,
  renderPulumiSnippet,
  ruleCollectionsJson,
  ruleNameOf,
  tlsBypassHosts,
  tlsBypassHostsFor,
  toArmRuleCollectionGroup,
  type AllowApplicationRule,
  type AllowNetworkRule,
} from "../../src/allowlist";
import { catalogEndpoints } from "../../src/catalog/endpoints";
import { isUserError } from "../../src/model/errors";
import { ROOT } from "../cli/run-cli";
import { CLOUD_NAMES, DNS_SERVERS, expectNothingBeyondCatalog, POLICY, TIME_SERVER, VIP } from "./helpers";

const base = { cloud: "AzureCloud" as const, sourceAddresses: [VIP], timeServer: TIME_SERVER, dnsServers: DNS_SERVERS };

function rulesOf(set: ReturnType<typeof buildAllowRuleSet>) {
  const rules = set.collections.flatMap((c) => c.rules);
  return {
    app: rules.filter((r): r is AllowApplicationRule => r.ruleType === "ApplicationRule"),
    net: rules.filter((r): r is AllowNetworkRule => r.ruleType === "NetworkRule"),
  };
}

function usageError(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    expect(isUserError(error)).toBe(true);
    return (error as Error).message;
  }
  throw new Error("expected a usage error");
}

describe("buildAllowRuleSet", () => {
  it("one group: NTP and DNS network rules first, then the catalog's HTTP(S) endpoints by FQDN", () => {
    const set = buildAllowRuleSet(base);
    expect(set).toMatchObject({ cloud: "AzureCloud", name: "azs-bridge-egress", priority: 100, sourceAddresses: [VIP], notes: [] });
    expect(set.collections.map((c) => [c.name, c.priority, c.action])).toEqual([
      ["azs-bridge-network", 100, "Allow"],
      ["azs-bridge-application", 200, "Allow"],
    ]);
    const { app, net } = rulesOf(set);
    expect(net.map((r) => [r.name, r.ipProtocols, r.destinationAddresses, r.destinationPorts])).toEqual([
      ["ntp", ["UDP"], [TIME_SERVER], ["123"]],
      ["dns", ["UDP", "TCP"], DNS_SERVERS, ["53"]],
    ]);
    expect(app.map((r) => r.name)).toEqual(["usage", "registration", "identity"]);
    expect(app.find((r) => r.name === "identity")!.protocols).toEqual([
      { protocolType: "Http", port: 80 },
      { protocolType: "Https", port: 443 },
    ]);
    expect(app.every((r) => r.terminateTLS === false)).toBe(true);
  });

  it.each(CLOUD_NAMES)("%s: every required catalog host is a target, on its catalog ports", (cloud) => {
    const set = buildAllowRuleSet({ ...base, cloud });
    const { app } = rulesOf(set);
    for (const endpoint of catalogEndpoints(cloud)) {
      for (const port of endpoint.ports) {
        const type = port.protocol === "https" ? "Https" : "Http";
        expect(
          app.some((r) => r.targetFqdns.includes(endpoint.host) && r.protocols.some((p) => p.protocolType === type && p.port === port.port)),
          `${endpoint.host} ${type}:${port.port}`,
        ).toBe(true);
      }
    }
    expectNothingBeyondCatalog(toArmRuleCollectionGroup(set, POLICY), cloud, { timeServer: TIME_SERVER, dnsServers: DNS_SERVERS });
  });

  it("--all adds the optional endpoints; a purpose with two port sets gets two rules (China's HTTP blob store)", () => {
    const set = buildAllowRuleSet({ ...base, cloud: "AzureChinaCloud", all: true });
    const names = rulesOf(set).app.map((r) => r.name);
    expect(names).toEqual(expect.arrayContaining(["marketplace-https", "marketplace-http", "patch", "defender", "microsoft-crl", "diagnostics", "remote-support", "telemetry"]));
    expect(rulesOf(set).app.find((r) => r.name === "marketplace-http")!.targetFqdns).toEqual(["*.blob.core.chinacloudapi.cn"]);
    expect(set.notes.join("\n")).toMatch(/URL paths for aka\.ms, crl\.microsoft\.com, mscrl\.microsoft\.com, www\.microsoft\.com/);
  });

  it("without time or DNS servers: no such rule, and a note says so", () => {
    const set = buildAllowRuleSet({ cloud: "AzureCloud", sourceAddresses: [VIP] });
    expect(set.collections.map((c) => c.name)).toEqual(["azs-bridge-application"]);
    expect(set.notes).toEqual([
      "no timeServer configured: no NTP rule (set timeServer in bridgeguard.yaml or pass --time-server)",
      "no dnsServers configured: no DNS rule (set dnsServers in bridgeguard.yaml or pass --dns-server)",
    ]);
  });

  it("a time server given by name is a destination FQDN (and a note about DNS proxy); a port is kept", () => {
    const byName = rulesOf(buildAllowRuleSet({ ...base, timeServer: "time.contoso.com" })).net[0]!;
    expect(byName).toMatchObject({ name: "ntp", destinationAddresses: [], destinationFqdns: ["time.contoso.com"], destinationPorts: ["123"] });
    expect(buildAllowRuleSet({ ...base, timeServer: "time.contoso.com" }).notes.join()).toMatch(/DNS proxy/);
    expect(rulesOf(buildAllowRuleSet({ ...base, timeServer: "10.0.0.10:1123" })).net[0]).toMatchObject({ destinationAddresses: ["10.0.0.10"], destinationPorts: ["1123"] });
  });

  it("names, priority and several source ranges are taken as given", () => {
    const set = buildAllowRuleSet({ ...base, sourceAddresses: [VIP, "198.51.100.0/27"], priority: 64999, names: { group: "stamp1-bridge", applicationCollection: "bridge-fqdns" } });
    expect(set).toMatchObject({ name: "stamp1-bridge", priority: 64999 });
    expect(set.collections[1]!.name).toBe("bridge-fqdns");
    expect(rulesOf(set).app.every((r) => r.sourceAddresses.join() === `${VIP},198.51.100.0/27`)).toBe(true);
  });

  it("a DNS server by name: a network rule naming it as an FQDN, with the DNS proxy note", () => {
    const set = buildAllowRuleSet({ ...base, dnsServers: ["dns.contoso.com"] });
    expect(set.notes.join("\n")).toMatch(/dnsServers dns\.contoso\.com is a host name: network rule "dns" names it as an FQDN, which Azure Firewall resolves only with DNS proxy enabled/);
  });

  describe("refuses what would be wrong", () => {
    it.each([
      ["no source range", { sourceAddresses: [] }, /egress range.*--source.*never allow from \*/],
      ["a * source", { sourceAddresses: ["*"] }, /would allow every address/],
      ["a source that is not an address", { sourceAddresses: ["vip-range"] }, /expected an IP address or CIDR/],
      ["priority below 100", { priority: 99 }, /priority 99: expected an integer from 100 to 65000/],
      ["priority above 65000", { priority: 65001 }, /65001/],
      ["a fractional priority", { priority: 150.5 }, /150\.5/],
      ["a bad group name", { names: { group: "bridge egress!" } }, /rule collection group name "bridge egress!"/],
      ["a bad DNS server", { dnsServers: ["not a host"] }, /dnsServers "not a host": expected a host name or IP address/],
      ["a bad time server", { timeServer: "not a host" }, /timeServer "not a host"/],
      ["an unknown cloud", { cloud: "AzureGermanCloud" }, /cloud "AzureGermanCloud"/],
    ])("%s", (_name, change, pattern) => {
      expect(usageError(() => buildAllowRuleSet({ ...base, ...(change as object) }))).toMatch(pattern);
    });

    it("a bad policy name in the ARM rendering", () => {
      expect(usageError(() => renderArm(buildAllowRuleSet(base), "hub policy"))).toMatch(/firewall policy name "hub policy"/);
    });
  });

  it("ruleNameOf makes valid Azure names from hosts", () => {
    expect(ruleNameOf("usage", "*.trafficmanager.net", "https", 443)).toBe("usage-trafficmanager.net-https-443");
    expect(ruleNameOf("x", "a b/c")).toBe("x-a-b-c");
    expect(ruleNameOf("a".repeat(100)).length).toBe(80);
  });
});

describe("renderings of the one model", () => {
  const set = buildAllowRuleSet(base);

  it("ARM JSON: a ruleCollectionGroups resource of the policy, properties nested, collections and rules flat", () => {
    const arm = JSON.parse(renderArm(set, POLICY));
    expect(arm).toMatchObject({ type: "Microsoft.Network/firewallPolicies/ruleCollectionGroups", apiVersion: "2024-05-01", name: `${POLICY}/azs-bridge-egress` });
    expect(Object.keys(arm)).toEqual(["type", "apiVersion", "name", "properties"]);
    expect(arm.properties.priority).toBe(100);
    expect(arm.properties.ruleCollections).toEqual(ruleCollectionsJson(set));
    expect(arm.properties.ruleCollections[0]).toMatchObject({ ruleCollectionType: "FirewallPolicyFilterRuleCollection", action: { type: "Allow" } });
    expect(arm.properties.ruleCollections[1].rules[0]).toEqual({
      ruleType: "ApplicationRule",
      name: "usage",
      description: expect.stringContaining("NetworkError when blocked"),
      sourceAddresses: [VIP],
      protocols: [{ protocolType: "Https", port: 443 }],
      targetFqdns: ["*.trafficmanager.net", "*.cloudapp.azure.com"],
      terminateTLS: false,
    });
  });

  it("TLS bypass: the HTTPS hosts once each; the same list without a source range", () => {
    expect(tlsBypassHosts(set)).toEqual(tlsBypassHostsFor("AzureCloud"));
    expect(tlsBypassHosts(set)).toContain("*.trafficmanager.net");
    expect(new Set(tlsBypassHosts(set)).size).toBe(tlsBypassHosts(set).length);
    // With --all: the hosts of every endpoint with an HTTPS port (China's marketplace blob store is HTTP, its diagnostics HTTPS).
    const https = catalogEndpoints("AzureChinaCloud", { all: true }).filter((e) => e.ports.some((p) => p.protocol === "https"));
    expect(tlsBypassHostsFor("AzureChinaCloud", { all: true })).toEqual([...new Set(https.map((e) => e.host))]);
  });

  it("Pulumi snippet: the same collections, from the network submodule, never the package root", () => {
    const snippet = renderPulumiSnippet(set, { firewallPolicyName: POLICY, resourceGroupName: "rg-hub" });
    expect(snippet).toContain('import * as network from "@pulumi/azure-native/network";');
    expect(snippet).not.toMatch(/from "@pulumi\/azure-native"/);
    expect(snippet).not.toContain("@pulumi/pulumi");
    expect(snippet).toContain('firewallPolicyName: "hub-policy"');
    expect(snippet).toContain('targetFqdns: ["*.trafficmanager.net", "*.cloudapp.azure.com"]');
    const literal = snippet.slice(snippet.indexOf("ruleCollections: ") + "ruleCollections: ".length, snippet.lastIndexOf(",\n});"));
    // The literal is the collections' JSON with bare keys.
    expect(new Function(`return (${literal});`)()).toEqual(ruleCollectionsJson(set));
    const fromConfig = renderPulumiSnippet(set);
    expect(fromConfig).toContain('config.require("firewallPolicyName")');
    expect(fromConfig).toContain('import * as pulumi from "@pulumi/pulumi";');
  });

  it("Pulumi snippet type-checks against the installed @pulumi/azure-native typings", { timeout: 120_000 }, () => {
    // Under node_modules so that module resolution finds the packages; .cache is not part of the repo.
    const dir = fs.mkdtempSync(path.join(ROOT, "node_modules", ".cache-bridgeguard-snippet-"));
    try {
      const files = [
        ["literal.ts", renderPulumiSnippet(set, { firewallPolicyName: POLICY, resourceGroupName: "rg-hub" })],
        ["config.ts", renderPulumiSnippet(buildAllowRuleSet({ ...base, cloud: "AzureChinaCloud", all: true, timeServer: "time.contoso.com" }))],
      ].map(([name, text]) => {
        const file = path.join(dir, name!);
        fs.writeFileSync(file, text!);
        return file;
      });
      const program = ts.createProgram(files, {
        strict: true,
        noEmit: true,
        target: ts.ScriptTarget.ES2022,
        module: ts.ModuleKind.CommonJS,
        moduleResolution: ts.ModuleResolutionKind.Node10,
        esModuleInterop: true,
        skipLibCheck: true,
        types: [],
      });
      const diagnostics = ts.getPreEmitDiagnostics(program).map((d) => ts.flattenDiagnosticMessageText(d.messageText, "\n"));
      expect(diagnostics).toEqual([]);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
