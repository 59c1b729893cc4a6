import { catalogEndpoints, CONFIGURED_ENDPOINTS, type CatalogEndpoint, type EndpointPurpose } from "../catalog/endpoints";
import type { BridgeguardConfig } from "../config/types";
import type { Flow } from "../evaluate/types";
import type { FindingEndpoint } from "../model/finding";
import type { Severity } from "../model/finding";
import type { ErrorCode } from "../catalog/codes";

/** One outbound flow the bridge needs, with what its loss means. */
export interface BridgeFlow {
  endpoint: FindingEndpoint;
  flow: Flow;
  code: ErrorCode;
  severity: Severity;
}

/** Splits `host[:port]` (the time server may name a port; IPv6 addresses stay whole). */
export function splitHostPort(value: string, defaultPort: number): { host: string; port: number } {
  const match = /^(\[?[^\]]*?\]?)(?::(\d{1,5}))?$/.exec(value);
  if (!match || value.split(":").length > 2) return { host: value.replace(/^\[|\]$/g, ""), port: defaultPort };
  return { host: match[1]!.replace(/^\[|\]$/g, ""), port: match[2] ? Number(match[2]) : defaultPort };
}

/** The flows to one catalog endpoint from the given sources, one per port. */
export function endpointFlows(endpoint: CatalogEndpoint, sources: string[] | undefined, severity: Severity): BridgeFlow[] {
  return endpoint.ports.map((port) => ({
    endpoint: { host: endpoint.host, port: port.port, protocol: port.protocol, purpose: endpoint.purpose },
    flow: {
      sources,
      destination: { kind: "fqdn", host: endpoint.host.toLowerCase(), serviceTags: endpoint.serviceTags },
      port: port.port,
      transport: "tcp",
      appProtocol: port.protocol === "https" ? "Https" : "Http",
    },
    code: endpoint.code,
    severity,
  }));
}

/** The flows the bridge needs for the configured cloud: catalog endpoints, then the time and DNS servers. */
export function bridgeFlows(config: BridgeguardConfig): BridgeFlow[] {
  const sources = config.egress.sourceAddresses;
  const flows: BridgeFlow[] = [];
  for (const endpoint of catalogEndpoints(config.cloud)) {
    // Only what the bridge needs is checked (the catalog's `required`, from the row's requirement).
    if (!endpoint.required || endpoint.severity === "info") continue;
    flows.push(...endpointFlows(endpoint, sources, endpoint.severity));
  }
  for (const configured of CONFIGURED_ENDPOINTS) {
    const servers = configured.configKey === "timeServer" ? (config.timeServer ? [config.timeServer] : []) : config.dnsServers;
    for (const server of servers) {
      for (const port of configured.ports) {
        const target = splitHostPort(server, port.port);
        flows.push({
          endpoint: { host: target.host, port: target.port, protocol: port.protocol, purpose: configured.purpose },
          flow: {
            sources,
            destination: { kind: "address", address: target.host },
            port: target.port,
            transport: port.protocol === "udp" ? "udp" : "tcp",
          },
          code: configured.code,
          severity: configured.severity,
        });
      }
    }
  }
  return flows;
}

export function flowsFor(flows: readonly BridgeFlow[], purposes: readonly EndpointPurpose[]): BridgeFlow[] {
  return flows.filter((f) => purposes.includes(f.endpoint.purpose));
}

export function describeEndpoint(endpoint: FindingEndpoint): string {
  return `${endpoint.host}:${endpoint.port} (${endpoint.protocol}, ${endpoint.purpose})`;
}
