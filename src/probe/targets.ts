/**
 * From the catalog to what the probe connects to: each catalog endpoint and port becomes a concrete
 * `host:port` target (a wildcard through `--host-for` or `probe.hosts`), filtered by `--only` and
 * `--purpose`, aimed by `--connect-to`, routed through a proxy when one applies. A wildcard with no host
 * given takes the host Microsoft's outbound table names under it in another row, marked as such; one with
 * none is kept as "not tested, and why": it is never silently dropped, and never a pass.
 */
import type { CloudName } from "../catalog/clouds";
import { requiredEndpoints } from "../analysis/flows";
import { isWildcardHost, type CatalogEndpoint, type EndpointPurpose } from "../catalog/endpoints";
import { UserError } from "../model/errors";
import { applyConnectTo, type ConnectTo } from "./connect-to";
import { hostPort, type EndpointObservation, type ProbeTargetInfo } from "../model/observations";
import type { ProxyEndpoint } from "./proxy";

export interface PlannedTarget extends ProbeTargetInfo {
  /** The explicit proxy this target goes through, if any. */
  proxy?: ProxyEndpoint;
}

export interface HostFor {
  wildcard: string;
  host: string;
  /** `--host-for`, or `probe.hosts` in the config file. */
  source: string;
}

export interface TargetOptions {
  cloud: CloudName;
  hostFor: readonly HostFor[];
  /** `--only`: hosts (catalog names, wildcards or concrete hosts), each optionally `:port`. */
  only?: readonly string[];
  /** `--purpose`: catalog purposes to keep. */
  purposes?: readonly EndpointPurpose[];
  connectTo: readonly ConnectTo[];
  /** The proxy for one target, or undefined for a direct connection. */
  proxyFor: (protocol: "https" | "http", host: string, port: number) => ProxyEndpoint | undefined;
}

export interface TargetPlan {
  targets: PlannedTarget[];
  /** Catalog endpoints that will not be tested, with the reason (wildcard without a concrete host). */
  untested: EndpointObservation[];
}

/** `*.trafficmanager.net` covers `x.trafficmanager.net` and `a.b.trafficmanager.net`, not the bare domain. */
export function wildcardCovers(wildcard: string, host: string): boolean {
  const suffix = wildcard.slice(1).toLowerCase();
  const name = host.toLowerCase();
  return name.endsWith(suffix) && name.length > suffix.length;
}

const HOST_NAME = /^(?=.{1,253}$)[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)+$/i;

/** `--host-for '*.trafficmanager.net=host'`: parsed, not yet checked against the catalog. */
export function parseHostFor(text: string, source = "--host-for"): HostFor {
  const eq = text.indexOf("=");
  if (eq < 0) throw UserError.at(undefined, undefined, `${source} ${text}: expected '<wildcard>=<concrete host>' (e.g. '*.trafficmanager.net=<host>')`);
  return { wildcard: text.slice(0, eq).trim().toLowerCase(), host: text.slice(eq + 1).trim().toLowerCase(), source };
}

function checkHostFor(entries: readonly HostFor[], wildcards: ReadonlySet<string>): void {
  for (const entry of entries) {
    const where = entry.source === "--host-for" ? `--host-for ${entry.wildcard}=${entry.host}` : `${entry.source}: probe.hosts.${entry.wildcard}`;
    if (!wildcards.has(entry.wildcard)) {
      throw UserError.at(undefined, undefined, `${where}: "${entry.wildcard}" is not a wildcard endpoint of this cloud (wildcards: ${[...wildcards].join(", ")})`);
    }
    if (!HOST_NAME.test(entry.host) || !wildcardCovers(entry.wildcard, entry.host)) {
      throw UserError.at(undefined, undefined, `${where}: "${entry.host}" is not a host name under ${entry.wildcard}`);
    }
  }
}

interface OnlyEntry {
  host: string;
  port?: number;
  text: string;
  used: boolean;
}

function parseOnly(entries: readonly string[]): OnlyEntry[] {
  return entries.map((text) => {
    const match = /^(.*?)(?::(\d{1,5}))?$/.exec(text.trim().toLowerCase())!;
    const host = match[1]!.replace(/^\[|\]$/g, "");
    if (!host) throw UserError.at(undefined, undefined, `--only ${text}: expected a host, optionally with :port`);
    return { host, port: match[2] ? Number(match[2]) : undefined, text, used: false };
  });
}

function selected(only: OnlyEntry[] | undefined, names: readonly string[], port: number): boolean {
  if (!only) return true;
  let hit = false;
  for (const entry of only) {
    if (names.includes(entry.host) && (entry.port === undefined || entry.port === port)) {
      entry.used = true;
      hit = true;
    }
  }
  return hit;
}

export function notTestedWildcard(endpoint: CatalogEndpoint, port: number, protocol: "https" | "http"): EndpointObservation {
  return {
    target: { host: endpoint.host, port, protocol, path: endpoint.path ?? "/", endpoints: [endpoint], wildcard: endpoint.host },
    outcome: {
      kind: "not-tested",
      reason: "wildcard-without-host",
      detail: `${endpoint.host} is a wildcard: the probe needs a concrete host name under it (--host-for '${endpoint.host}=<host>' or probe.hosts in the config)`,
    },
    stages: [],
    ms: 0,
  };
}

/** The probe's targets for one cloud and the user's options. */
export function planTargets(options: TargetOptions): TargetPlan {
  const all = requiredEndpoints(options.cloud);
  const wildcards = new Set(all.filter((e) => isWildcardHost(e.host)).map((e) => e.host));
  checkHostFor(options.hostFor, wildcards);
  const only = options.only && options.only.length ? parseOnly(options.only) : undefined;
  const endpoints = options.purposes && options.purposes.length ? all.filter((e) => options.purposes!.includes(e.purpose)) : all;

  const byKey = new Map<string, PlannedTarget>();
  const untested = new Map<string, EndpointObservation>();
  for (const endpoint of endpoints) {
    for (const port of endpoint.ports) {
      if (port.protocol !== "https" && port.protocol !== "http") continue;
      const protocol = port.protocol;
      const given = isWildcardHost(endpoint.host) ? options.hostFor.filter((h) => h.wildcard === endpoint.host).map((h) => h.host) : [endpoint.host];
      // No host given for a wildcard: the host Microsoft's table documents under it, where there is one.
      const representative = given.length === 0 ? endpoint.representatives?.[0] : undefined;
      const concrete = representative ? [representative.host] : given;
      if (concrete.length === 0) {
        if (!selected(only, [endpoint.host], port.port)) continue;
        const key = hostPort(endpoint.host, port.port);
        const existing = untested.get(key);
        if (existing) existing.target.endpoints.push(endpoint);
        else untested.set(key, notTestedWildcard(endpoint, port.port, protocol));
        continue;
      }
      for (const host of new Set(concrete)) {
        if (!selected(only, [host, endpoint.host], port.port)) continue;
        const key = hostPort(host, port.port);
        const existing = byKey.get(key);
        if (existing) {
          existing.endpoints.push(endpoint);
          continue;
        }
        const aimed = applyConnectTo(options.connectTo, host, port.port);
        byKey.set(key, {
          host,
          port: port.port,
          protocol,
          path: endpoint.path ?? "/",
          endpoints: [endpoint],
          ...(isWildcardHost(endpoint.host) ? { wildcard: endpoint.host } : {}),
          ...(representative ? { representative: representative.source } : {}),
          ...(aimed ? { connectTo: { host: aimed.host, port: aimed.port } } : {}),
          proxy: options.proxyFor(protocol, host, port.port),
        });
      }
    }
  }
  const unused = only?.filter((entry) => !entry.used) ?? [];
  if (unused.length) {
    const names = [...new Set(endpoints.flatMap((e) => [e.host, ...options.hostFor.filter((h) => h.wildcard === e.host).map((h) => h.host)]))];
    throw UserError.at(
      undefined,
      undefined,
      `--only ${unused.map((u) => u.text).join(",")}: no ${options.cloud} endpoint${options.purposes?.length ? ` with purpose ${options.purposes.join(",")}` : ""} matches (endpoints: ${names.join(", ")})`,
    );
  }
  return { targets: [...byKey.values()], untested: [...untested.values()] };
}
