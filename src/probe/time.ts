/**
 * The time stage: one SNTP (RFC 4330) exchange over UDP with the deployment's time server, giving the
 * offset between its clock and this machine's. The answer must echo our transmit timestamp (so a stray
 * or spoofed datagram is ignored) and carry a transmit timestamp of its own; whether the server says it is
 * synchronised (leap indicator, stratum) is the caller's to judge.
 */
import * as dgram from "node:dgram";
import * as net from "node:net";
import { onAbort } from "./deadline";

/** Seconds from the NTP epoch (1900) to the Unix epoch (1970). */
const NTP_EPOCH_OFFSET = 2_208_988_800;

export interface TimeServer {
  host: string;
  port: number;
  /** As given: `10.0.0.10`, `ntp.contoso.com:1123`. */
  text: string;
}

/** `host`, `host:port`, `[v6]:port` or a bare IPv6 address; undefined when malformed. */
export function parseTimeServer(text: string): TimeServer | undefined {
  const value = text.trim();
  if (net.isIPv6(value)) return { host: value, port: 123, text: value };
  const bracketed = /^\[([0-9a-f:.]+)\](?::(\d{1,5}))?$/i.exec(value);
  const plain = /^([a-z0-9.-]+)(?::(\d{1,5}))?$/i.exec(value);
  const match = bracketed ?? plain;
  if (!match) return undefined;
  const port = match[2] ? Number(match[2]) : 123;
  if (port < 1 || port > 65535) return undefined;
  return { host: match[1]!.toLowerCase(), port, text: value };
}

/** Writes `ms` (Unix epoch) as an NTP 64-bit timestamp at `offset`. */
export function writeNtpTimestamp(buffer: Buffer, offset: number, ms: number): void {
  const seconds = Math.floor(ms / 1000) + NTP_EPOCH_OFFSET;
  const fraction = Math.floor(((ms % 1000) / 1000) * 2 ** 32);
  buffer.writeUInt32BE(seconds >>> 0, offset);
  buffer.writeUInt32BE(fraction >>> 0, offset + 4);
}

/**
 * Reads an NTP 64-bit timestamp at `offset` as ms since the Unix epoch. The seconds wrap in 2036 (NTP era
 * 1): RFC 4330 section 3 reads a timestamp whose most significant bit is set as 1968-2036 and one whose bit
 * is clear as 2036-2104, so a server's clock past 2036 is not read as 1900.
 */
export function readNtpTimestamp(buffer: Buffer, offset: number): number {
  const raw = buffer.readUInt32BE(offset);
  const seconds = raw >= 0x8000_0000 ? raw : raw + 2 ** 32;
  const fraction = buffer.readUInt32BE(offset + 4);
  return (seconds - NTP_EPOCH_OFFSET) * 1000 + (fraction / 2 ** 32) * 1000;
}

export interface SntpAnswer {
  offsetMs: number;
  roundTripMs: number;
  stratum: number;
  referenceId: string;
  /** Leap indicator: 3 is "alarm", the server's clock is not synchronised (RFC 4330 section 4). */
  leap: number;
}

/** Why an answer says the server is not synchronised (RFC 4330 section 5), or undefined when it is. */
export function unsynchronised(answer: Pick<SntpAnswer, "leap" | "stratum" | "referenceId">): string | undefined {
  const why: string[] = [];
  if (answer.leap === 3) why.push("leap indicator 3 (alarm: its clock is not synchronised)");
  if (answer.stratum === 0) why.push(`stratum 0 (a kiss-o'-death${answer.referenceId && answer.referenceId !== "(none)" ? ` ${answer.referenceId}` : ""}: it serves no time)`);
  if (answer.stratum >= 16) why.push(`stratum ${answer.stratum} (unsynchronised)`);
  return why.length ? why.join(", ") : undefined;
}

export class TimeServerSilentError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "TimeServerSilentError";
  }
}

function referenceId(packet: Buffer, stratum: number): string {
  const raw = packet.subarray(12, 16);
  // Stratum 0 (a kiss code such as RATE) and 1 (a source such as GPS) carry ASCII; others an address.
  if (stratum <= 1) return raw.toString("ascii").replace(/\0+$/, "") || "(none)";
  return [...raw].join(".");
}

/**
 * Asks `server` (an address: resolve names first) for the time. Resolves with the offset (server minus
 * local); rejects with `TimeServerSilentError` when the port is unreachable or the answer is unusable.
 * Silence is the caller's deadline.
 */
export function sntpQuery(address: string, port: number, signal: AbortSignal, now: () => number = Date.now): Promise<SntpAnswer> {
  return new Promise((resolve, reject) => {
    const socket = dgram.createSocket(net.isIPv6(address) ? "udp6" : "udp4");
    let t1 = 0;
    let finished = false;
    const originate = Buffer.alloc(8);
    let stop: () => void = () => undefined;
    const finish = (settle: () => void) => {
      if (finished) return;
      finished = true;
      stop();
      try {
        socket.close();
      } catch {
        // already closed
      }
      settle();
    };
    stop = onAbort(signal, () => finish(() => reject(new TimeServerSilentError("aborted"))));
    socket.on("error", (error: NodeJS.ErrnoException) => {
      const why =
        error.code === "ECONNREFUSED" ? "the time server's port is unreachable (ICMP port unreachable)" : `UDP error ${error.code ?? error.message}`;
      finish(() => reject(new TimeServerSilentError(why)));
    });
    socket.on("message", (packet) => {
      const t4 = now();
      if (packet.length < 48) return;
      const mode = packet[0]! & 0x07;
      // Not an answer to our request: keep waiting for one (until the deadline).
      if (mode !== 4 || !packet.subarray(24, 32).equals(originate)) return;
      const stratum = packet[1]!;
      const leap = packet[0]! >> 6;
      // RFC 4330 section 5: an answer whose transmit timestamp is 0 is to be discarded.
      if (packet.readUInt32BE(40) === 0 && packet.readUInt32BE(44) === 0) {
        finish(() => reject(new TimeServerSilentError("the time server answered without a transmit timestamp (0): not a usable answer")));
        return;
      }
      const t2 = readNtpTimestamp(packet, 32);
      const t3 = readNtpTimestamp(packet, 40);
      const offsetMs = (t2 - t1 + (t3 - t4)) / 2;
      const roundTripMs = t4 - t1 - (t3 - t2);
      finish(() => resolve({ offsetMs, roundTripMs: Math.max(0, roundTripMs), stratum, referenceId: referenceId(packet, stratum), leap }));
    });
    // A connected socket hears ICMP port-unreachable as ECONNREFUSED instead of waiting out the deadline.
    socket.connect(port, address, () => {
      if (finished) return;
      const request = Buffer.alloc(48);
      request[0] = (0 << 6) | (4 << 3) | 3; // LI 0, version 4, mode 3 (client)
      t1 = now();
      writeNtpTimestamp(request, 40, t1);
      request.copy(originate, 0, 40, 48);
      socket.send(request, (error) => {
        if (error) finish(() => reject(new TimeServerSilentError(`cannot send to the time server (${(error as NodeJS.ErrnoException).code ?? error.message})`)));
      });
    });
  });
}
