/**
 * The flows the bridge needs, expanded from the catalog in this one place: the required catalog endpoints
 * of a cloud (`requiredEndpoints`), and the deployment's own time and DNS servers on the catalog's ports
 * (`serverTargets`). The egress analysis evaluates these flows, the allow-list generator allows them, the
 * route checks and the probe test these endpoints, the verification program exports them.
 */
import type { CloudName } from "../catalog/clouds";
import { catalogEndpoints, CONFIGURED_ENDPOINTS, type CatalogEndpoint, type ConfiguredEndpoint, type EndpointProtocol, type EndpointPurpose } from "../catalog/endpoints";
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

/** The catalog endpoints the usage bridge needs in `cloud` (the catalog's `required`, never information only). */
export function requiredEndpoints(cloud: CloudName): (CatalogEndpoint & { severity: Severity })[] {
  return catalogEndpoints(cloud).filter((endpoint): endpoint is CatalogEndpoint & { severity: Severity } => endpoint.required && endpoint.severity !== "info");
}

/** One of the deployment's own servers on one of its catalog ports. */
export interface ServerTarget {
  /** As configured (`10.0.0.10:1123`). */
  server: string;
  host: string;
  port: number;
  protocol: EndpointProtocol;
}

/** The servers of a configured endpoint (time or DNS) on its catalog ports; a server may name its own port. */
export function serverTargets(configured: ConfiguredEndpoint, servers: readonly string[]): ServerTarget[] {
  const targets: ServerTarget[] = [];
  for (const server of servers) {
    for (const port of configured.ports) {
      const target = splitHostPort(server, port.port);
      targets.push({ server, host: target.host, port: target.port, protocol: port.protocol });
    }
  }
  return targets;
}

/** The servers configuration names for a configured endpoint: `timeServer`, or `dnsServers`. */
export function configuredServers(configured: ConfiguredEndpoint, config: { timeServer?: string | undefined; dnsServers?: readonly string[] | undefined }): string[] {
  return configured.configKey === "timeServer" ? (config.timeServer ? [config.timeServer] : []) : [...(config.dnsServers ?? [])];
}

/** The flows the bridge needs for the configured cloud: catalog endpoints, then the time and DNS servers. */
export function bridgeFlows(config: BridgeguardConfig): BridgeFlow[] {
  const sources = config.egress.sourceAddresses;
  const flows: BridgeFlow[] = [];
  // Only what the bridge needs is checked (the catalog's `required`, from the row's requirement).
  // Identity leaves from the public VIP /27 and the Public infrastructure Network: a rule must cover both.
  const infrastructure = config.egress.publicInfrastructureAddresses;
  const identitySources = sources && infrastructure?.length ? [...sources, ...infrastructure] : sources;
  for (const endpoint of requiredEndpoints(config.cloud)) {
    flows.push(...endpointFlows(endpoint, endpoint.purpose === "identity" ? identitySources : sources, endpoint.severity));
  }
  for (const configured of CONFIGURED_ENDPOINTS) {
    for (const target of serverTargets(configured, configuredServers(configured, config))) {
      flows.push({
        endpoint: { host: target.host, port: target.port, protocol: target.protocol, purpose: configured.purpose },
        flow: {
          sources,
          destination: { kind: "address", address: target.host },
          port: target.port,
          transport: target.protocol === "udp" ? "udp" : "tcp",
        },
        code: configured.code,
        severity: configured.severity,
      });
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
