/**
 * Reading an HTTP/1.x response head off a socket: shared by the proxy stage (the CONNECT answer) and the
 * HTTP stage. Only the status line and the headers are read; a body is never needed.
 */
import type { Duplex } from "node:stream";
import { onAbort } from "./deadline";

const MAX_HEAD = 32 * 1024;

export interface ResponseHead {
  status: number;
  statusText: string;
  /** Lower-case names; repeated headers keep every value. */
  headers: Map<string, string[]>;
  /** Bytes that came after the head (the start of a body or of a tunnel). */
  rest: Buffer;
}

/** The peer closed or reset the connection before a whole head arrived. */
export class ClosedError extends Error {
  constructor(
    readonly code: string,
    readonly bytesReceived: number,
  ) {
    super(code === "ECONNRESET" ? "connection reset (RST) before an answer" : "connection closed before an answer");
    this.name = "ClosedError";
  }
}

/** What came back is not HTTP. */
export class ProtocolError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ProtocolError";
  }
}

export function parseHead(head: string): Omit<ResponseHead, "rest"> {
  const lines = head.split("\r\n");
  const status = /^HTTP\/1\.[01] (\d{3})(?: (.*))?$/.exec(lines[0] ?? "");
  if (!status) throw new ProtocolError(`the answer is not HTTP (starts with ${JSON.stringify((lines[0] ?? "").slice(0, 16))})`);
  const headers = new Map<string, string[]>();
  for (const line of lines.slice(1)) {
    const colon = line.indexOf(":");
    if (colon <= 0) continue;
    const name = line.slice(0, colon).trim().toLowerCase();
    headers.set(name, [...(headers.get(name) ?? []), line.slice(colon + 1).trim()]);
  }
  return { status: Number(status[1]), statusText: status[2] ?? "", headers };
}

/** Reads one response head from `socket`. Leaves the socket paused, its listeners as they were. */
export function readResponseHead(socket: Duplex, signal: AbortSignal): Promise<ResponseHead> {
  return new Promise((resolve, reject) => {
    let buffer = Buffer.alloc(0);
    let lastError: string | undefined;
    const stop = onAbort(signal, () => socket.destroy());
    const cleanup = () => {
      stop();
      socket.removeListener("data", onData);
      socket.removeListener("error", onError);
      socket.removeListener("close", onClose);
      socket.removeListener("end", onEnd);
      socket.pause();
    };
    const onData = (chunk: Buffer) => {
      buffer = Buffer.concat([buffer, chunk]);
      const end = buffer.indexOf("\r\n\r\n");
      if (end < 0) {
        if (buffer.length > MAX_HEAD) {
          cleanup();
          reject(new ProtocolError(`no end of the answer's head in ${MAX_HEAD} bytes`));
        } else if (buffer.length >= 5 && !buffer.subarray(0, 5).equals(Buffer.from("HTTP/"))) {
          cleanup();
          reject(new ProtocolError(`the answer is not HTTP (starts with bytes ${buffer.subarray(0, 4).toString("hex")})`));
        }
        return;
      }
      cleanup();
      try {
        resolve({ ...parseHead(buffer.subarray(0, end).toString("latin1")), rest: buffer.subarray(end + 4) });
      } catch (error) {
        reject(error);
      }
    };
    const onError = (error: NodeJS.ErrnoException) => {
      lastError = error.code ?? "ECONNRESET";
    };
    const onEnd = () => {
      cleanup();
      reject(new ClosedError(lastError ?? "closed", buffer.length));
    };
    const onClose = () => {
      cleanup();
      reject(new ClosedError(lastError ?? "closed", buffer.length));
    };
    socket.on("data", onData);
    socket.on("error", onError);
    socket.once("end", onEnd);
    socket.once("close", onClose);
    socket.resume();
  });
}
