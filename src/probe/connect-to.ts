/**
 * `--connect-to HOST1:PORT1:HOST2:PORT2`, curl's convention: a connection to HOST1:PORT1 goes to
 * HOST2:PORT2 instead, while the name the probe uses for SNI, certificate checks and `Host` stays
 * HOST1. An empty HOST1 or PORT1 matches any; an empty HOST2 or PORT2 keeps the original. IPv6
 * addresses go in brackets (`[::1]`).
 */
import { UserError } from "../model/errors";

export interface ConnectTo {
  /** Undefined: any host. */
  fromHost?: string;
  /** Undefined: any port. */
  fromPort?: number;
  /** Undefined: the original host. */
  toHost?: string;
  /** Undefined: the original port. */
  toPort?: number;
  /** As given, for messages. */
  text: string;
}

function parsePort(text: string, spec: string): number | undefined {
  if (text === "") return undefined;
  const port = /^\d{1,5}$/.test(text) ? Number(text) : NaN;
  if (!(port >= 1 && port <= 65535)) throw UsageError(spec, `"${text}" is not a port (1-65535)`);
  return port;
}

function UsageError(spec: string, problem: string): UserError {
  return UserError.at(undefined, undefined, `--connect-to ${spec}: ${problem}; expected HOST:PORT:ADDR:PORT (e.g. login.microsoftonline.com:443:10.1.2.3:443)`);
}

/** Splits on the colons that separate fields, not those inside `[...]`. */
function fields(spec: string): string[] {
  const out: string[] = [];
  let current = "";
  let bracket = false;
  for (const ch of spec) {
    if (ch === "[") bracket = true;
    if (ch === "]") bracket = false;
    if (ch === ":" && !bracket) {
      out.push(current);
      current = "";
    } else current += ch;
  }
  out.push(current);
  return out;
}

function unbracket(host: string): string | undefined {
  if (host === "") return undefined;
  return host.startsWith("[") && host.endsWith("]") ? host.slice(1, -1) : host.toLowerCase();
}

export function parseConnectTo(spec: string): ConnectTo {
  const parts = fields(spec.trim());
  if (parts.length !== 4) throw UsageError(spec, `found ${parts.length} field(s)`);
  const [fromHost, fromPort, toHost, toPort] = parts as [string, string, string, string];
  for (const host of [fromHost, toHost]) {
    if (/[\s/@]/.test(host)) throw UsageError(spec, `"${host}" is not a host name or address`);
  }
  return {
    fromHost: unbracket(fromHost),
    fromPort: parsePort(fromPort, spec),
    toHost: unbracket(toHost),
    toPort: parsePort(toPort, spec),
    text: spec,
  };
}

/** Where a connection to `host:port` goes: the first matching `--connect-to`, as curl applies them. */
export function applyConnectTo(rules: readonly ConnectTo[], host: string, port: number): { host: string; port: number; rule: ConnectTo } | undefined {
  const wanted = host.toLowerCase();
  const rule = rules.find((r) => (r.fromHost === undefined || r.fromHost === wanted) && (r.fromPort === undefined || r.fromPort === port));
  if (!rule) return undefined;
  return { host: rule.toHost ?? host, port: rule.toPort ?? port, rule };
}
