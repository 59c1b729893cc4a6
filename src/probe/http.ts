/**
 * The HTTP stage: one `GET` over the established connection. Any answer from the service (404, 401,
 * 5xx included) proves the path works; only the status line and the `Date` header are kept. No header
 * of the request or answer is ever logged.
 */
import type { Duplex } from "node:stream";
import { TOOL_VERSION } from "../version";
import { hostPort, type HttpObservation } from "../model/observations";
import { readResponseHead } from "./wire";

export function requestHead(host: string, port: number, protocol: "https" | "http", path: string): string {
  const defaultPort = protocol === "https" ? 443 : 80;
  const authority = port === defaultPort ? (host.includes(":") ? `[${host}]` : host) : hostPort(host, port);
  return [
    `GET ${path || "/"} HTTP/1.1`,
    `Host: ${authority}`,
    `User-Agent: bridgeguard-probe/${TOOL_VERSION}`,
    "Accept: */*",
    "Connection: close",
    "",
    "",
  ].join("\r\n");
}

/** Sends one GET and reads the answer's head. */
export async function httpGet(
  socket: Duplex,
  request: { host: string; port: number; protocol: "https" | "http"; path: string },
  signal: AbortSignal,
  now: () => number = Date.now,
): Promise<HttpObservation> {
  socket.write(requestHead(request.host, request.port, request.protocol, request.path));
  let head = await readResponseHead(socket, signal);
  // An interim answer (100 Continue, 102, 103) is not the answer: the final one must follow (RFC 9110
  // section 15.2), within the same deadline. 101 would switch protocols, which a GET never asked for.
  while (head.status >= 100 && head.status < 200 && head.status !== 101) {
    if (head.rest.length) socket.unshift(head.rest);
    head = await readResponseHead(socket, signal);
  }
  return {
    status: head.status,
    statusText: head.statusText,
    date: head.headers.get("date")?.[0],
    receivedAt: now(),
  };
}

