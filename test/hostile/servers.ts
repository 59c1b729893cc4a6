/**
 * Misbehaving servers on 127.0.0.1 that test/probe/helpers/servers.ts does not have: ones that answer one
 * byte a second (an HTTP answer, a TLS handshake, a proxy's CONNECT answer), a TLS handshake that stalls
 * after the first bytes of the ServerHello, and a proxy that accepts and never answers CONNECT. Every
 * server and socket is closed by `closeHostile`.
 */
import * as net from "node:net";
import * as tls from "node:tls";
import type { TestLeaf } from "../probe/helpers/pki";
import { closeAll, listen } from "../probe/helpers/servers";

const timers = new Set<NodeJS.Timeout>();

export async function closeHostile(): Promise<void> {
  for (const t of timers) clearInterval(t);
  timers.clear();
  await closeAll();
}

export interface Misbehaving {
  port: number;
  /** Connections accepted. */
  hits: () => number;
}

/** Writes `text` to `socket` one byte per `everyMs`, until it is written or the socket closes. */
function drip(socket: net.Socket | tls.TLSSocket, text: Buffer, everyMs = 1000): void {
  let i = 0;
  const timer = setInterval(() => {
    if (socket.destroyed || i >= text.length) {
      clearInterval(timer);
      timers.delete(timer);
      return;
    }
    socket.write(text.subarray(i, i + 1));
    i++;
  }, everyMs);
  timers.add(timer);
  socket.on("close", () => {
    clearInterval(timer);
    timers.delete(timer);
  });
}

const HTTP_ANSWER = Buffer.from("HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");

/** A TLS service whose handshake is fine, and whose HTTP answer comes one byte a second. */
export async function startDripHttps(leaf: TestLeaf): Promise<Misbehaving> {
  let hits = 0;
  const secureContext = tls.createSecureContext({ cert: leaf.certPem, key: leaf.keyPem });
  const server = net.createServer((socket) => {
    hits++;
    const t = new tls.TLSSocket(socket, { isServer: true, secureContext });
    t.on("error", () => undefined);
    let head = "";
    t.on("data", (chunk: Buffer) => {
      head += chunk.toString("latin1");
      if (head.includes("\r\n\r\n")) drip(t, HTTP_ANSWER);
    });
  });
  return { port: await listen(server), hits: () => hits };
}

/**
 * A TLS handshake answered one byte a second: a well-formed start of a ServerHello record, dripped.
 * Every byte resets an idle timer; only a deadline on the whole stage ends it.
 */
export async function startDripHandshake(): Promise<Misbehaving> {
  let hits = 0;
  // Handshake record (0x16), TLS 1.2, length 0x007a; ServerHello (0x02), length 0x000076; version 3.3; random...
  const serverHelloStart = Buffer.concat([Buffer.from([0x16, 0x03, 0x03, 0x00, 0x7a, 0x02, 0x00, 0x00, 0x76, 0x03, 0x03]), Buffer.alloc(32, 0x42)]);
  const server = net.createServer((socket) => {
    hits++;
    socket.once("data", () => drip(socket, serverHelloStart));
  });
  return { port: await listen(server), hits: () => hits };
}

/** Reads the ClientHello, sends the first bytes of a ServerHello record, then nothing: a stalled handshake. */
export async function startStalledHandshake(): Promise<Misbehaving> {
  let hits = 0;
  const server = net.createServer((socket) => {
    hits++;
    socket.once("data", () => socket.write(Buffer.from([0x16, 0x03, 0x03, 0x00, 0x7a, 0x02, 0x00])));
  });
  return { port: await listen(server), hits: () => hits };
}

/** An HTTP proxy that accepts, reads the CONNECT request, and never answers it. */
export async function startSilentProxy(): Promise<Misbehaving> {
  let hits = 0;
  const server = net.createServer((socket) => {
    hits++;
    socket.on("data", () => undefined);
  });
  return { port: await listen(server), hits: () => hits };
}

/** An HTTP proxy that answers CONNECT one byte a second. */
export async function startDripProxy(): Promise<Misbehaving> {
  let hits = 0;
  const server = net.createServer((socket) => {
    hits++;
    socket.once("data", () => drip(socket, Buffer.from("HTTP/1.1 200 Connection established\r\n\r\n")));
  });
  return { port: await listen(server), hits: () => hits };
}

/**
 * A hostile proxy that answers 407 and reflects the credentials it was sent: the decoded user:password in
 * the status text, the base64 token in a challenge. A probe that quotes what the proxy said must not
 * quote these.
 */
export async function startReflectingProxy(): Promise<Misbehaving & { seen: string[] }> {
  let hits = 0;
  const seen: string[] = [];
  const server = net.createServer((socket) => {
    hits++;
    let head = "";
    socket.on("data", (chunk: Buffer) => {
      head += chunk.toString("latin1");
      if (!head.includes("\r\n\r\n")) return;
      const auth = /proxy-authorization:\s*basic\s+(\S+)/i.exec(head)?.[1] ?? "";
      seen.push(auth);
      const decoded = Buffer.from(auth, "base64").toString("utf8");
      socket.end(
        `HTTP/1.1 407 Denied for ${decoded} (${auth})\r\n` +
          `Proxy-Authenticate: ${auth} realm="${decoded}"\r\n` +
          `Proxy-Authenticate: Basic realm="${decoded}"\r\n` +
          "Content-Length: 0\r\nConnection: close\r\n\r\n",
      );
    });
  });
  return { port: await listen(server), hits: () => hits, seen };
}
