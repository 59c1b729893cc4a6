/**
 * What used to pass and must not, each against a real server on 127.0.0.1: a middlebox answering port 80
 * (407, a captive portal's 511, a proxy's 403), TLS that never starts (a cleartext answer on 443, a
 * 100 KB certificate, a 10,000-certificate chain), time servers that say they are unsynchronised (leap
 * indicator 3, stratum 0 or 16) or send no transmit timestamp, a clock past the NTP era rollover of 2036,
 * a `100 Continue` followed by silence, and a DNS answer with 4,000 addresses (the evidence stays small).
 */
import * as dgram from "node:dgram";
import * as net from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import type { Finding } from "../../src/model/finding";
import { jsonReport, probeCli, type ProbeRun } from "./helpers/cli";
import { issueLeaf } from "./helpers/pki";
import { useFilePki } from "./helpers/file-pki";
import { closeAll, closedPort, listen, startHttpServer, startSntp, startTlsServer } from "./helpers/servers";

const LOGIN = "login.microsoftonline.com";
const USAGE = "usage.trafficmanager.net";

const pki = useFilePki("Wrong Passes", USAGE);

afterEach(async () => {
  await closeAll();
});

function base(...extra: string[]): string[] {
  return ["--ca-file", pki.caFile, "--stage-timeout", "1500ms", "--timeout", "10s", "--format", "json", ...extra];
}

const usageAt = (port: number) => ["--host-for", `*.trafficmanager.net=${USAGE}`, "--only", `${USAGE}:443`, "--connect-to", `${USAGE}:443:127.0.0.1:${port}`];

function theFinding(run: ProbeRun): Finding {
  const findings = jsonReport(run).findings;
  expect(findings, run.stdout).toHaveLength(1);
  return findings[0]!;
}

describe("a middlebox on port 80 is not the service", () => {
  it.each([
    [407, /a transparent proxy asks for authentication/],
    [511, /a captive portal asks for a sign-in/],
    [403, /a filtering proxy or firewall denies the request/],
  ])("HTTP %i on a port-80 login endpoint -> LoginError BG607, exit 1", async (status, words) => {
    const server = await startHttpServer(status);
    const run = await probeCli(base("--only", `${LOGIN}:80`, "--connect-to", `${LOGIN}:80:127.0.0.1:${server.port}`));
    const finding = theFinding(run);
    expect(finding).toMatchObject({ code: "LoginError", rule: { id: "BG607" }, severity: "error" });
    expect(finding.message).toMatch(new RegExp(`a middlebox answered on cleartext HTTP \\(${status}\\)`));
    expect(finding.evidence.join("\n")).toMatch(words);
    expect(server.hits()).toBe(1);
    expect(run.code).toBe(1);
  });

  it("a redirect on port 80 is still the service answering", async () => {
    const server = await startHttpServer(301);
    const run = await probeCli(base("--only", `${LOGIN}:80`, "--connect-to", `${LOGIN}:80:127.0.0.1:${server.port}`));
    expect(jsonReport(run).findings).toEqual([]);
    expect(run.code).toBe(0);
  });
});

describe("TLS that never starts is a definite failure, not a BG606 warning", () => {
  it("a cleartext HTTP 403 on port 443 -> NetworkError BG602 error", async () => {
    const server = net.createServer((socket) => socket.once("data", () => socket.end("HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")));
    const port = await listen(server);
    const run = await probeCli(base(...usageAt(port)));
    const finding = theFinding(run);
    expect(finding).toMatchObject({ code: "NetworkError", rule: { id: "BG602" }, severity: "error" });
    expect(finding.message).toMatch(/TLS never started: the answer on the TLS port is not TLS/);
    expect(run.code).toBe(1);
  });

  it("a 100 KB certificate -> CertificateValidationError BG605 error", async () => {
    const names = [USAGE, ...Array.from({ length: 4500 }, (_, i) => `pad-${String(i).padStart(5, "0")}.example.invalid`)];
    const big = await issueLeaf(pki.ca, names);
    expect(big.certPem.length).toBeGreaterThan(100_000);
    const server = await startTlsServer({ leaf: big });
    const run = await probeCli(base(...usageAt(server.port)));
    const finding = theFinding(run);
    expect(finding).toMatchObject({ code: "CertificateValidationError", rule: { id: "BG605" }, severity: "error" });
    expect(finding.evidence.join("\n")).toMatch(/ERR_SSL_EXCESSIVE_MESSAGE_SIZE/);
    expect(run.code).toBe(1);
  });

  // 1,000 certificates (about 500 KB) fail as 10,000 do (over OpenSSL's 100 KiB): 10,000 cost the server
  // 10 s of setup on a 2-core machine, too much for every run of the suite.
  it("a 1,000-certificate chain -> CertificateValidationError BG605 error", async () => {
    const chain = { ...pki.leaf, certPem: pki.leaf.certPem + pki.ca.certPem.repeat(1_000) };
    const server = await startTlsServer({ leaf: chain });
    const run = await probeCli(base(...usageAt(server.port)));
    const finding = theFinding(run);
    expect(finding).toMatchObject({ code: "CertificateValidationError", rule: { id: "BG605" }, severity: "error" });
    expect(run.code).toBe(1);
  }, 60_000);
});

describe("an interim HTTP answer is not an answer", () => {
  it("100 Continue, then silence -> RequestTimedOut BG604 at the http stage", async () => {
    const server = await startTlsServer({ leaf: pki.leaf, behaviour: "continue-then-silent" });
    const run = await probeCli(base(...usageAt(server.port)));
    const finding = theFinding(run);
    expect(finding).toMatchObject({ code: "RequestTimedOut", rule: { id: "BG604" }, severity: "error" });
    expect(finding.evidence.join("\n")).toMatch(/http timeout/);
    expect(server.hits()).toBe(1);
  });
});

describe("SNTP: an unsynchronised or unusable answer is a finding, and 2036 is not 1900", () => {
  const timeOnly = (port: number) => ["--purpose", "time", "--time-server", `127.0.0.1:${port}`];

  it.each([
    [{ leap: 3 }, /leap indicator 3/],
    [{ stratum: 16 }, /stratum 16/],
    [{ stratum: 0, referenceId: "RATE" }, /stratum 0 \(a kiss-o'-death RATE/],
  ])("%j -> Unauthorized warning BG609, not a pass", async (options, words) => {
    const sntp = await startSntp(0, options);
    const run = await probeCli(base(...timeOnly(sntp.port)));
    const finding = theFinding(run);
    expect(finding).toMatchObject({ code: "Unauthorized", rule: { id: "BG609" }, severity: "warning" });
    expect(finding.message).toMatch(/says it is not synchronised/);
    expect(finding.evidence.join("\n")).toMatch(words);
    expect(sntp.hits()).toBe(1);
  });

  it("a transmit timestamp of 0 -> an unusable answer (BG609), not a round trip of 4x10^12 ms", async () => {
    const sntp = await startSntp(0, { zeroTransmit: true });
    const run = await probeCli(base(...timeOnly(sntp.port)));
    const finding = theFinding(run);
    expect(finding).toMatchObject({ code: "Unauthorized", rule: { id: "BG609" } });
    expect(finding.evidence.join("\n")).toMatch(/without a transmit timestamp/);
  });

  it("a server clock past 2036 (NTP era 1) is read as the future, not as 1900", async () => {
    const ahead = Date.parse("2041-06-01T00:00:00Z") - Date.now();
    const sntp = await startSntp(ahead);
    const run = await probeCli(base(...timeOnly(sntp.port)));
    const finding = theFinding(run);
    expect(finding).toMatchObject({ code: "Unauthorized", rule: { id: "BG608" }, severity: "error" });
    const offset = Number(/SNTP offset \(time server minus this machine\): ([+-]\d+) s/.exec(finding.evidence.join("\n"))![1]);
    expect(Math.abs(offset - ahead / 1000)).toBeLessThan(10);
  });
});

describe("a DNS answer with 4,000 addresses", () => {
  it("keeps the first 16 and the count in the evidence", async () => {
    // A raw UDP responder: 4,000 A records (127.0.0.1, then 127.1.x.y) in one 64 KB datagram, which c-ares accepts.
    const socket = dgram.createSocket("udp4");
    socket.on("message", (query, peer) => {
      let end = 12;
      while (query[end] !== 0) end += query[end]! + 1;
      const question = query.subarray(12, end + 5);
      const count = question.readUInt16BE(end - 12 + 1) === 1 ? 4000 : 0;
      const header = Buffer.alloc(12);
      query.copy(header, 0, 0, 2);
      header.writeUInt16BE(0x8180, 2); // a response, recursion desired and available, no error
      header.writeUInt16BE(1, 4);
      header.writeUInt16BE(count, 6);
      const answers = Buffer.alloc(16 * count);
      for (let k = 0; k < count; k++) {
        const o = 16 * k;
        answers.writeUInt16BE(0xc00c, o); // the name: a pointer to the question's
        answers.writeUInt16BE(1, o + 2); // A
        answers.writeUInt16BE(1, o + 4); // IN
        answers.writeUInt32BE(60, o + 6);
        answers.writeUInt16BE(4, o + 10);
        Buffer.from(k === 0 ? [127, 0, 0, 1] : [127, 1, k >> 8, k & 255]).copy(answers, o + 12);
      }
      socket.send(Buffer.concat([header, question, answers]), peer.port, peer.address);
    });
    await new Promise<void>((resolve) => socket.bind(0, "127.0.0.1", () => resolve()));
    try {
      const refused = await closedPort();
      const run = await probeCli(
        base("--host-for", `*.trafficmanager.net=${USAGE}`, "--only", `${USAGE}:443`, "--connect-to", `${USAGE}:443::${refused}`, "--dns-server", `127.0.0.1:${socket.address().port}`),
      );
      const finding = theFinding(run);
      expect(finding).toMatchObject({ rule: { id: "BG602" } });
      const line = finding.evidence.find((e) => e.startsWith("dns:"))!;
      expect(line).toMatch(/^dns: usage\.trafficmanager\.net -> 127\.0\.0\.1, 127\.1\.0\.1, .*\(4000 addresses, the first 16 shown\)/);
      expect(line.length).toBeLessThan(600);
      expect(run.stdout.length).toBeLessThan(20_000);
    } finally {
      socket.close();
    }
  });
});
