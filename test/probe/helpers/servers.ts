/**
 * Real servers on 127.0.0.1 for the probe tests: TLS services, silent and closing TCP servers, HTTP
 * CONNECT proxies (the `proxy` package, a denying one, an intercepting one with its own CA), a dns2
 * DNS server and an SNTP server with a configurable clock offset. Every server is closed by `closeAll`.
 */
import { spawn, type ChildProcess } from "node:child_process";
import * as dgram from "node:dgram";
import * as http from "node:http";
import * as net from "node:net";
import * as tls from "node:tls";
import dns2 from "dns2";
import { createProxy } from "proxy";
import { issueLeaf, type TestCa, type TestLeaf } from "./pki";

const closers: (() => Promise<void>)[] = [];

export async function closeAll(): Promise<void> {
  const all = closers.splice(0);
  await Promise.all(all.map((close) => close().catch(() => undefined)));
}

/** Listens on 127.0.0.1:0, tracks sockets so that closing never waits on a client; `closeAll` closes it. */
export async function listen(server: net.Server): Promise<number> {
  const sockets = new Set<net.Socket>();
  server.on("connection", (socket: net.Socket) => {
    sockets.add(socket);
    socket.on("error", () => undefined);
    socket.on("close", () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  closers.push(
    () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  );
  return (server.address() as net.AddressInfo).port;
}

export type TlsBehaviour = "answer" | "silent" | "reset-on-request" | "continue-then-silent";

export interface TlsServerOptions {
  leaf: TestLeaf;
  behaviour?: TlsBehaviour;
  status?: number;
  /** Added to the real clock in the `Date` header of the answer. */
  dateOffsetMs?: number;
}

export interface RunningServer {
  port: number;
  /** Requests (TLS servers), connections (TCP), CONNECTs (proxies), queries (DNS, SNTP). */
  hits: () => number;
  /** SNI names seen (TLS servers). */
  names?: string[];
}

function answer(status: number, dateOffsetMs: number): string {
  return [`HTTP/1.1 ${status} ${http.STATUS_CODES[status] ?? ""}`, `Date: ${new Date(Date.now() + dateOffsetMs).toUTCString()}`, "Content-Length: 0", "Connection: close", "", ""].join("\r\n");
}

/** A TLS service: answers one GET (or stays silent, or resets the connection when the request arrives). */
export async function startTlsServer(options: TlsServerOptions): Promise<RunningServer> {
  let hits = 0;
  const names: string[] = [];
  const secureContext = tls.createSecureContext({ cert: options.leaf.certPem, key: options.leaf.keyPem });
  const raw = net.createServer((socket) => {
    const tlsSocket = new tls.TLSSocket(socket, { isServer: true, secureContext });
    tlsSocket.on("error", () => undefined);
    tlsSocket.once("secure", () => names.push((tlsSocket as tls.TLSSocket & { servername?: string | false }).servername || ""));
    let head = "";
    tlsSocket.on("data", (chunk: Buffer) => {
      head += chunk.toString("latin1");
      if (!head.includes("\r\n\r\n")) return;
      hits++;
      const behaviour = options.behaviour ?? "answer";
      if (behaviour === "answer") tlsSocket.end(answer(options.status ?? 404, options.dateOffsetMs ?? 0));
      else if (behaviour === "reset-on-request") socket.resetAndDestroy();
      else if (behaviour === "continue-then-silent") tlsSocket.write("HTTP/1.1 100 Continue\r\n\r\n");
    });
  });
  const port = await listen(raw);
  return { port, hits: () => hits, names };
}

/** A plain HTTP service (for port-80 endpoints). */
export async function startHttpServer(status = 301): Promise<RunningServer> {
  let hits = 0;
  const server = http.createServer((_req, res) => {
    hits++;
    res.writeHead(status, { Location: "https://example.invalid/" });
    res.end();
  });
  const port = await listen(server);
  return { port, hits: () => hits };
}

/** Accepts connections and never sends a byte. */
export async function startSilentTcp(): Promise<RunningServer> {
  let hits = 0;
  const server = net.createServer((socket) => {
    hits++;
    socket.on("data", () => undefined);
  });
  return { port: await listen(server), hits: () => hits };
}

/** Reads the ClientHello, then closes the connection (FIN), as an IPS acting on the SNI would. */
export async function startHandshakeCloser(): Promise<RunningServer> {
  let hits = 0;
  const server = net.createServer((socket) => {
    socket.once("data", () => {
      hits++;
      socket.end();
    });
  });
  return { port: await listen(server), hits: () => hits };
}

/** A port where nothing listens (connections are refused). */
export async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/**
 * A listening socket whose accept queue is full and never drained: a child Node process listens with a
 * backlog of 1 and then blocks its event loop, and the test fills the queue. Further SYNs are dropped by
 * the kernel (Linux), so a connect gets no answer at all, as with a silent-drop firewall.
 */
export async function startFullBacklog(): Promise<RunningServer> {
  const script = `
    const net = require("node:net");
    const server = net.createServer();
    server.listen({ port: 0, host: "127.0.0.1", backlog: 1 }, () => {
      process.stdout.write(String(server.address().port) + "\\n");
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 60000);
    });`;
  const child: ChildProcess = spawn(process.execPath, ["-e", script], { stdio: ["ignore", "pipe", "ignore"] });
  closers.push(async () => {
    child.kill("SIGKILL");
  });
  const port = await new Promise<number>((resolve, reject) => {
    let out = "";
    child.stdout!.on("data", (chunk: Buffer) => {
      out += chunk.toString();
      if (out.includes("\n")) resolve(Number(out.trim()));
    });
    child.once("exit", () => reject(new Error("backlog child exited")));
  });
  // Fill the queue: with a backlog of 1 the kernel completes at most two handshakes nobody accepts.
  const fillers: net.Socket[] = [];
  for (let i = 0; i < 4; i++) {
    const s = net.connect(port, "127.0.0.1");
    s.on("error", () => undefined);
    fillers.push(s);
  }
  closers.push(async () => {
    for (const s of fillers) s.destroy();
  });
  await new Promise((resolve) => setTimeout(resolve, 200));
  return { port, hits: () => 0 };
}

export interface ProxyOptions {
  user?: string;
  password?: string;
}

/** The `proxy` package: a real CONNECT proxy, with Basic authentication when credentials are given. */
export async function startProxy(options: ProxyOptions = {}): Promise<RunningServer & { authorizations: string[] }> {
  let hits = 0;
  const authorizations: string[] = [];
  const server = createProxy(http.createServer());
  server.on("connect", () => {
    hits++;
  });
  if (options.user !== undefined) {
    const expected = `Basic ${Buffer.from(`${options.user}:${options.password ?? ""}`).toString("base64")}`;
    server.authenticate = (req) => {
      const given = req.headers["proxy-authorization"];
      if (given) authorizations.push(given);
      return given === expected;
    };
  }
  return { port: await listen(server), hits: () => hits, authorizations };
}

/** A proxy whose policy denies every CONNECT with 403. */
export async function startDenyingProxy(): Promise<RunningServer> {
  let hits = 0;
  const server = http.createServer();
  server.on("connect", (_req: http.IncomingMessage, socket: net.Socket) => {
    hits++;
    socket.end("HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
  });
  return { port: await listen(server), hits: () => hits };
}

/**
 * A TLS-intercepting proxy: it accepts CONNECT, then terminates TLS itself with a certificate for the
 * requested name issued by its own CA, and answers the request itself.
 */
export async function startInterceptingProxy(ca: TestCa): Promise<RunningServer & { issued: Map<string, TestLeaf> }> {
  let hits = 0;
  const issued = new Map<string, TestLeaf>();
  const server = http.createServer();
  server.on("connect", (_req: http.IncomingMessage, socket: net.Socket) => {
    hits++;
    socket.on("error", () => undefined);
    socket.write("HTTP/1.1 200 Connection established\r\n\r\n");
    const intercepted = new tls.TLSSocket(socket, {
      isServer: true,
      SNICallback: (name, cb) => {
        const known = issued.get(name);
        const ready = known ? Promise.resolve(known) : issueLeaf(ca, [name]).then((leaf) => (issued.set(name, leaf), leaf));
        ready.then(
          (leaf) => cb(null, tls.createSecureContext({ cert: leaf.certPem, key: leaf.keyPem })),
          (error: Error) => cb(error),
        );
      },
    });
    intercepted.on("error", () => undefined);
    intercepted.on("data", () => intercepted.end(answer(200, 0)));
  });
  return { port: await listen(server), hits: () => hits, issued };
}

/** A dns2 DNS server over UDP: A records for `records`, NXDOMAIN for every other name. */
export async function startDns(records: Record<string, string>): Promise<RunningServer & { queries: string[] }> {
  const queries: string[] = [];
  const server = dns2.createServer({
    udp: true,
    handle: (request, send) => {
      const response = dns2.Packet.createResponseFromRequest(request);
      for (const question of request.questions) {
        queries.push(question.name);
        const address = records[question.name.toLowerCase()];
        if (address && question.type === dns2.Packet.TYPE.A) {
          response.answers.push({ name: question.name, type: dns2.Packet.TYPE.A, class: dns2.Packet.CLASS.IN, ttl: 60, address } as dns2.Packet.Resource);
        } else if (!address) {
          response.header.rcode = 3; // NXDOMAIN
        }
      }
      void send(response);
    },
  });
  const addresses = await server.listen({ udp: { port: 0, address: "127.0.0.1" } });
  closers.push(() => server.close());
  return { port: addresses.udp!.port, hits: () => queries.length, queries };
}

/** A UDP socket that takes datagrams and never answers (a DNS or time server that is silent). */
export async function startSilentUdp(): Promise<RunningServer> {
  let hits = 0;
  const socket = dgram.createSocket("udp4");
  socket.on("message", () => {
    hits++;
  });
  await new Promise<void>((resolve) => socket.bind(0, "127.0.0.1", () => resolve()));
  closers.push(() => new Promise<void>((resolve) => socket.close(() => resolve())));
  return { port: socket.address().port, hits: () => hits };
}

const NTP_EPOCH_OFFSET = 2_208_988_800;

function writeTimestamp(buffer: Buffer, offset: number, ms: number): void {
  // Modulo 2^32: past 2036 the seconds wrap (NTP era 1), as a real server's do.
  buffer.writeUInt32BE((Math.floor(ms / 1000) + NTP_EPOCH_OFFSET) % 2 ** 32, offset);
  buffer.writeUInt32BE(Math.floor(((ms % 1000) / 1000) * 2 ** 32), offset + 4);
}

export interface SntpOptions {
  /** Leap indicator (3: alarm, not synchronised). Default 0. */
  leap?: number;
  /** Default 2; 0 is a kiss-o'-death, 16 unsynchronised. */
  stratum?: number;
  /** Four ASCII characters for the reference id (a kiss code such as RATE with stratum 0). */
  referenceId?: string;
  /** Sends a transmit timestamp of 0. */
  zeroTransmit?: boolean;
}

/** An SNTP server (RFC 4330) whose clock runs `offsetMs` ahead of the real one. */
export async function startSntp(offsetMs: number, options: SntpOptions = {}): Promise<RunningServer> {
  let hits = 0;
  const socket = dgram.createSocket("udp4");
  socket.on("message", (request, rinfo) => {
    if (request.length < 48) return;
    hits++;
    const receive = Date.now() + offsetMs;
    const reply = Buffer.alloc(48);
    reply[0] = ((options.leap ?? 0) << 6) | (4 << 3) | 4; // LI, version 4, mode 4 (server)
    reply[1] = options.stratum ?? 2;
    reply[2] = request[2]!;
    reply[3] = 0xec; // precision
    (options.referenceId ? Buffer.from(options.referenceId.padEnd(4, "\0").slice(0, 4), "ascii") : Buffer.from([127, 0, 0, 1])).copy(reply, 12); // reference id
    writeTimestamp(reply, 16, receive - 60_000); // reference timestamp
    request.copy(reply, 24, 40, 48); // originate = the client's transmit timestamp
    writeTimestamp(reply, 32, receive);
    if (!options.zeroTransmit) writeTimestamp(reply, 40, Date.now() + offsetMs);
    socket.send(reply, rinfo.port, rinfo.address);
  });
  await new Promise<void>((resolve) => socket.bind(0, "127.0.0.1", () => resolve()));
  closers.push(() => new Promise<void>((resolve) => socket.close(() => resolve())));
  return { port: socket.address().port, hits: () => hits };
}
