/**
 * The DNS stage: a name to addresses, with the system resolver (getaddrinfo, as the bridge's own
 * process would: hosts file, search domains) or with the deployment's DNS servers (`--dns-server`,
 * `dnsServers` in the config), asked directly over UDP (TCP on truncation) by c-ares.
 */
import { promises as dns } from "node:dns";
import * as net from "node:net";
import { onAbort } from "./deadline";
import type { SystemResolver } from "./system-resolver";

/** A DNS failure, with a plain reason; `code` is c-ares' or getaddrinfo's (`ENOTFOUND`, `ETIMEOUT`). */
export class DnsError extends Error {
  constructor(
    message: string,
    readonly code: string,
    /** The server gave an answer (NXDOMAIN, no record); false when it could not be asked or was silent. */
    readonly answered: boolean,
  ) {
    super(message);
    this.name = "DnsError";
  }
}

export interface DnsResult {
  addresses: string[];
  /** `system resolver` or `DNS server 10.0.0.53`. */
  resolver: string;
}

/** `10.0.0.53`, `10.0.0.53:5353`, `[fd00::53]:53`, `fd00::53`: what c-ares' `setServers` accepts. */
export function isDnsServer(value: string): boolean {
  if (net.isIP(value)) return true;
  const v4 = /^(\d{1,3}(?:\.\d{1,3}){3}):(\d{1,5})$/.exec(value);
  const v6 = /^\[([0-9a-f:.]+)\]:(\d{1,5})$/i.exec(value);
  const match = v4 ?? v6;
  if (!match) return false;
  const port = Number(match[2]);
  return net.isIP(match[1]!) !== 0 && port >= 1 && port <= 65535;
}

export function describeResolver(servers: readonly string[]): string {
  if (servers.length === 0) return "system resolver";
  return `DNS server${servers.length > 1 ? "s" : ""} ${servers.join(", ")}`;
}

const ANSWERED = new Set(["ENOTFOUND", "ENODATA", "NOTFOUND", "NODATA", "EREFUSED", "REFUSED", "ESERVFAIL", "SERVFAIL", "EFORMERR", "FORMERR"]);

function explain(code: string, name: string, resolver: string): string {
  switch (code.replace(/^E/, "")) {
    case "NOTFOUND":
      return `${resolver} says ${name} does not exist (NXDOMAIN)`;
    case "NODATA":
      return `${resolver} has no address record for ${name}`;
    case "TIMEOUT":
    case "AI_AGAIN":
      return `${resolver} did not answer for ${name}`;
    case "CONNREFUSED":
      return `${resolver} refused the connection (nothing listens on its DNS port)`;
    case "REFUSED":
      return `${resolver} refused to answer for ${name}`;
    case "SERVFAIL":
      return `${resolver} failed to resolve ${name} (SERVFAIL)`;
    default:
      return `${resolver} could not resolve ${name} (${code})`;
  }
}

function toDnsError(error: unknown, name: string, resolver: string): DnsError {
  const code = String((error as NodeJS.ErrnoException).code ?? "EUNKNOWN");
  return new DnsError(explain(code, name, resolver), code, ANSWERED.has(code));
}

async function viaServers(name: string, servers: readonly string[], timeoutMs: number, signal: AbortSignal): Promise<string[]> {
  const resolver = new dns.Resolver({ timeout: Math.max(50, timeoutMs), tries: 1 });
  resolver.setServers([...servers]);
  const stop = onAbort(signal, () => resolver.cancel());
  try {
    try {
      return await resolver.resolve4(name);
    } catch (error) {
      // No A record is not "no name": the endpoint may be IPv6-only.
      if ((error as NodeJS.ErrnoException).code !== "ENODATA") throw error;
      return await resolver.resolve6(name);
    }
  } finally {
    stop();
  }
}

async function viaSystem(name: string, system: SystemResolver | undefined, signal: AbortSignal): Promise<string[]> {
  if (system) return system.lookup(name, signal);
  const results = await dns.lookup(name, { all: true });
  return results.map((r) => r.address);
}

/**
 * Resolves `name`. A literal address resolves to itself (no query). c-ares queries are cancelled on
 * abort; system-resolver lookups go to `system` (a child process the run kills at its end), or, without
 * one, to getaddrinfo in this process, which the caller's deadline bounds but cannot cancel.
 */
export async function resolveName(
  name: string,
  options: { servers: readonly string[]; timeoutMs: number; signal: AbortSignal; system?: SystemResolver },
): Promise<DnsResult> {
  const resolver = describeResolver(options.servers);
  if (net.isIP(name)) return { addresses: [name], resolver: "literal address" };
  try {
    const addresses = options.servers.length ? await viaServers(name, options.servers, options.timeoutMs, options.signal) : await viaSystem(name, options.system, options.signal);
    if (addresses.length === 0) throw Object.assign(new Error("no address"), { code: "ENODATA" });
    // IPv4 first: a stamp's public VIP network egresses over IPv4.
    return { addresses: [...addresses].sort((a, b) => net.isIP(a) - net.isIP(b)), resolver };
  } catch (error) {
    throw toDnsError(error, name, resolver);
  }
}
