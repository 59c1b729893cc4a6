/**
 * The TCP stage: one connection to one address. A refusal (RST to the SYN) and an unreachable network
 * (ICMP) come back as errors; silence is the caller's deadline (a silent drop).
 */
import * as net from "node:net";
import { onAbort } from "./deadline";

export class TcpError extends Error {
  constructor(
    message: string,
    readonly code: string,
  ) {
    super(message);
    this.name = "TcpError";
  }
}

/** Errors that say this machine cannot open connections at all, rather than anything about the path. */
export const LOCAL_ERRORS = new Set(["EADDRNOTAVAIL", "ENETDOWN", "EMFILE", "ENFILE", "EACCES", "EPERM", "ENOBUFS", "EAFNOSUPPORT"]);

function ignore(): void {}

/** Connects to `address:port`; resolves with the connected socket, destroyed again if `signal` aborts first. */
export function connectTcp(address: string, port: number, signal: AbortSignal): Promise<net.Socket> {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host: address, port, noDelay: true });
    const stop = onAbort(signal, () => socket.destroy());
    const done = () => {
      stop();
      socket.removeListener("error", onError);
      socket.removeListener("connect", onConnect);
    };
    const onError = (error: NodeJS.ErrnoException) => {
      done();
      socket.destroy();
      const code = error.code ?? "EUNKNOWN";
      reject(new TcpError(describeSocketError(code), code));
    };
    const onConnect = () => {
      done();
      // Later errors (a reset mid-stage) are read by the stage that owns the socket; none may go unhandled.
      socket.on("error", ignore);
      resolve(socket);
    };
    socket.once("error", onError);
    socket.once("connect", onConnect);
  });
}

/** A socket error code in words. */
export function describeSocketError(code: string): string {
  switch (code) {
    case "ECONNREFUSED":
      return "connection refused (RST: nothing listens, or a firewall rejects)";
    case "ECONNRESET":
      return "connection reset (RST)";
    case "EPIPE":
      return "connection closed while sending";
    case "EHOSTUNREACH":
      return "host unreachable (ICMP)";
    case "ENETUNREACH":
      return "network unreachable (no route)";
    case "ETIMEDOUT":
      return "connection timed out";
    default:
      return `socket error ${code}`;
  }
}
