/**
 * What the allow-list tests share: the configured range and servers, a firewall policy to put the
 * generated group into (Premium with a TLS-inspection CA, so that a rule with TLS termination on would
 * show as intercepted), and the "nothing beyond the catalog" check.
 */
import { expect } from "vitest";
import type { ArmRuleCollectionGroup } from "../../src/allowlist/arm";
import type { CloudName } from "../../src/catalog/clouds";
import { catalogEndpoints, CONFIGURED_ENDPOINTS } from "../../src/catalog/endpoints";
import type { BridgeguardConfig } from "../../src/config/types";
import { parseConfig } from "../../src/engine/config";

export const CLOUD_NAMES: CloudName[] = ["AzureCloud", "AzureUSGovernment", "AzureChinaCloud"];
export const VIP = "203.0.113.0/27";
export const TIME_SERVER = "10.0.0.10";
export const DNS_SERVERS = ["10.0.0.53", "10.0.0.54"];
export const POLICY = "hub-policy";
export const POLICY_ID = `/subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/rg-hub/providers/Microsoft.Network/firewallPolicies/${POLICY}`;

/** The firewall policy as `az network firewall policy show` / the REST GET returns it. */
export function armPolicy(overrides: { tier?: string; tlsInspection?: boolean } = {}): Record<string, unknown> {
  const tls = overrides.tlsInspection ?? true;
  return {
    id: POLICY_ID,
    name: POLICY,
    type: "Microsoft.Network/firewallPolicies",
    location: "westeurope",
    properties: {
      sku: { tier: overrides.tier ?? "Premium" },
      threatIntelMode: "Alert",
      ...(tls ? { transportSecurity: { certificateAuthority: { name: "inspection-ca", keyVaultSecretId: "https://kv-hub.vault.azure.net/secrets/inspection-ca" } } } : {}),
    },
  };
}

/** `bridgeguard.yaml` for the round trip, validated like a user's file. */
export function configFor(cloud: CloudName, overrides: Record<string, unknown> = {}): BridgeguardConfig {
  return parseConfig({ cloud, egress: { sourceAddresses: [VIP] }, timeServer: TIME_SERVER, dnsServers: DNS_SERVERS, ...overrides }, "test config");
}

/** The YAML of `configFor`, for the CLI. */
export function configYaml(cloud: CloudName): string {
  return [`cloud: ${cloud}`, "egress:", `  sourceAddresses: [${VIP}]`, `timeServer: ${TIME_SERVER}`, `dnsServers: [${DNS_SERVERS.join(", ")}]`, ""].join("\n");
}

interface AnyRule {
  ruleType: string;
  name: string;
  sourceAddresses: string[];
  protocols?: { protocolType: string; port: number }[];
  targetFqdns?: string[];
  terminateTLS?: boolean;
  ipProtocols?: string[];
  destinationAddresses?: string[];
  destinationFqdns?: string[];
  destinationPorts?: string[];
  [key: string]: unknown;
}

/**
 * Nothing beyond the catalog: sources exactly the configured range; every FQDN a catalog host of the cloud
 * (required, or all with `all`), never `*`; every port among that host's catalog ports; TLS termination
 * off; network rules only to the configured servers on their catalog ports.
 */
export function expectNothingBeyondCatalog(group: ArmRuleCollectionGroup, cloud: CloudName, options: { all?: boolean; timeServer?: string; dnsServers?: string[] } = {}): void {
  const endpoints = catalogEndpoints(cloud, { all: options.all });
  const portsOf = new Map<string, Set<string>>();
  for (const e of endpoints) {
    const set = portsOf.get(e.host) ?? new Set<string>();
    for (const p of e.ports) set.add(`${p.protocol === "https" ? "Https" : "Http"}:${p.port}`);
    portsOf.set(e.host, set);
  }
  const servers = new Map<string, { protocols: Set<string>; ports: Set<string> }>();
  for (const configured of CONFIGURED_ENDPOINTS) {
    const hosts = configured.configKey === "timeServer" ? (options.timeServer ? [options.timeServer] : []) : (options.dnsServers ?? []);
    for (const host of hosts) {
      const entry = servers.get(host) ?? { protocols: new Set<string>(), ports: new Set<string>() };
      for (const p of configured.ports) {
        entry.protocols.add(p.protocol.toUpperCase());
        entry.ports.add(String(p.port));
      }
      servers.set(host, entry);
    }
  }
  const json = JSON.stringify(group);
  expect(json).not.toMatch(/"\*"/);
  for (const collection of group.properties.ruleCollections) {
    expect(collection.action.type).toBe("Allow");
    for (const rule of collection.rules as unknown as AnyRule[]) {
      expect(rule.sourceAddresses, rule.name).toEqual([VIP]);
      if (rule.ruleType === "ApplicationRule") {
        expect(rule.terminateTLS, rule.name).toBe(false);
        for (const fqdn of rule.targetFqdns ?? []) {
          const allowed = portsOf.get(fqdn);
          expect(allowed, `${rule.name}: ${fqdn} is not a catalog host of ${cloud}`).toBeDefined();
          for (const p of rule.protocols ?? []) expect(allowed!.has(`${p.protocolType}:${p.port}`), `${rule.name}: ${fqdn} on ${p.protocolType}:${p.port}`).toBe(true);
        }
        for (const key of ["targetUrls", "fqdnTags", "webCategories"]) expect(rule[key], `${rule.name}.${key}`).toBeUndefined();
      } else {
        expect(rule.ruleType).toBe("NetworkRule");
        for (const destination of [...(rule.destinationAddresses ?? []), ...(rule.destinationFqdns ?? [])]) {
          const server = servers.get(destination);
          expect(server, `${rule.name}: ${destination} is not a configured server`).toBeDefined();
          for (const p of rule.ipProtocols ?? []) expect(server!.protocols.has(p), `${rule.name}: ${p}`).toBe(true);
          for (const p of rule.destinationPorts ?? []) expect(server!.ports.has(p), `${rule.name}: port ${p}`).toBe(true);
        }
      }
    }
  }
}
