/**
 * The explicit-proxy stage: `CONNECT host:port` through an HTTP proxy (`--proxy`, `probe.proxy` in the
 * config, or `HTTPS_PROXY`/`HTTP_PROXY` honouring `NO_PROXY`). The password is kept in a private
 * field: it is written to the proxy and nowhere else, and a `ProxyEndpoint` serializes without it.
 */
import type { Duplex } from "node:stream";
import { getProxyForUrl } from "proxy-from-env";
import { UserError } from "../model/errors";
import { hostPort, type ProxyObservation } from "../model/observations";
import { parseProxyUrl, ProxyUrlError, secretForms, type ParsedProxyUrl } from "./proxy-url";
import { readResponseHead } from "./wire";

export class ProxyEndpoint {
  readonly host: string;
  readonly port: number;
  /** Redacted: `http://***@proxy:3128`. */
  readonly url: string;
  readonly hasCredentials: boolean;
  readonly #authorization: string | undefined;
  readonly #secrets: string[];

  constructor(
    url: string,
    readonly source: ProxyObservation["source"],
  ) {
    const where = source === "--proxy" ? "--proxy" : source === "config" ? "probe.proxy" : "HTTPS_PROXY";
    let parsed: ParsedProxyUrl;
    try {
      parsed = parseProxyUrl(url);
    } catch (error) {
      // The value may hold a password: the problem never quotes it.
      throw UserError.at(undefined, undefined, `${where}: ${error instanceof ProxyUrlError ? error.message : "expected http://[user:password@]host:port"}`);
    }
    this.host = parsed.host;
    this.port = parsed.port;
    this.url = parsed.redacted;
    this.hasCredentials = parsed.hasCredentials;
    const token = Buffer.from(`${parsed.user}:${parsed.password}`, "utf8").toString("base64");
    this.#authorization = this.hasCredentials ? `Basic ${token}` : undefined;
    // Every form a hostile proxy could echo the password in (Latin-1 reading of UTF-8, percent-encoded,
    // the bare Basic token, JSON- and XML-escaped): see `secretForms`.
    this.#secrets = secretForms(parsed.user, parsed.password, parsed.rawPassword);
  }

  /** The `Proxy-Authorization` value, for the CONNECT request only. */
  authorization(): string | undefined {
    return this.#authorization;
  }

  /** The strings that must never appear in output (for a last-line scrub of error texts). */
  secrets(): readonly string[] {
    return this.#secrets;
  }

  toJSON(): object {
    return { url: this.url, source: this.source };
  }

  toString(): string {
    return this.url;
  }
}

/**
 * The proxy the environment names for `https://host:port/` (or `http://` for plain-HTTP endpoints):
 * `HTTPS_PROXY`/`HTTP_PROXY`/`ALL_PROXY`, lower case first, unless `NO_PROXY` exempts the host.
 */
export function proxyFromEnvironment(protocol: "https" | "http", host: string, port: number): ProxyEndpoint | undefined {
  const url = getProxyForUrl(`${protocol}://${hostPort(host, port)}/`);
  return url ? new ProxyEndpoint(url, "environment") : undefined;
}

export class ProxyRefusedError extends Error {
  constructor(
    readonly status: number,
    readonly statusText: string,
    readonly authenticate: string[],
  ) {
    super(`the proxy answered ${status}${statusText ? ` ${statusText}` : ""}`);
    this.name = "ProxyRefusedError";
  }
}

/**
 * Asks `proxy` (already connected on `socket`) for a tunnel to `target`. Resolves with the CONNECT
 * status (200) once the tunnel is up; rejects with `ProxyRefusedError` for any other answer.
 */
export async function connectTunnel(socket: Duplex, proxy: ProxyEndpoint, target: { host: string; port: number }, signal: AbortSignal): Promise<{ status: number; statusText: string }> {
  const authority = hostPort(target.host, target.port);
  const authorization = proxy.authorization();
  const request = [
    `CONNECT ${authority} HTTP/1.1`,
    `Host: ${authority}`,
    ...(authorization ? [`Proxy-Authorization: ${authorization}`] : []),
    "Proxy-Connection: keep-alive",
    "",
    "",
  ].join("\r\n");
  socket.write(request);
  const head = await readResponseHead(socket, signal);
  if (head.status < 200 || head.status > 299) {
    // Only the scheme of each challenge: a realm can name internal hosts, and nothing more is needed.
    const schemes = (head.headers.get("proxy-authenticate") ?? []).map((v) => v.split(/\s/)[0] ?? "").filter(Boolean);
    throw new ProxyRefusedError(head.status, head.statusText, schemes);
  }
  if (head.rest.length) socket.unshift(head.rest);
  return { status: head.status, statusText: head.statusText };
}
