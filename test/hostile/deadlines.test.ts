/**
 * Deadlines against servers that misbehave slowly, on 127.0.0.1. test/probe/probe.test.ts covers a TLS
 * service that never answers the request, a TCP server silent after the ClientHello, dropped SYNs, a
 * silent DNS server for a whole-catalog run and a silent time server; this adds what keeps a probe busy
 * without ever failing it: answers one byte a second (HTTP, TLS handshake, CONNECT), a handshake that
 * stalls after its first bytes, a proxy that never answers CONNECT, and, with their timing, a DNS server
 * and an SNTP server that never answer. Each run must finish within its deadline plus a small slack
 * (a stage deadline bounds a whole stage, not the time between two bytes) and classify what it saw.
 */
import { afterEach, describe, expect, it } from "vitest";
import type { Finding } from "../../src/model/finding";
import { jsonReport, probeCli, type ProbeRun } from "../probe/helpers/cli";
import { useFilePki } from "../probe/helpers/file-pki";
import { closeAll, startSilentUdp } from "../probe/helpers/servers";
import { closeHostile, startDripHandshake, startDripHttps, startDripProxy, startSilentProxy, startStalledHandshake } from "./servers";

const USAGE_WILDCARD = "*.trafficmanager.net";
const USAGE = "usage.trafficmanager.net";
const LOGIN = "login.microsoftonline.com";

/** A stage's deadline, and what a run may take beyond its deadline (process scheduling, teardown). */
const STAGE_MS = 700;
const SLACK_MS = 2000;

const pki = useFilePki("Deadline", USAGE);

afterEach(async () => {
  await closeHostile();
  await closeAll();
});

function base(...extra: string[]): string[] {
  return ["--ca-file", pki.caFile, "--stage-timeout", `${STAGE_MS}ms`, "--timeout", "8s", "--format", "json", ...extra];
}

const usageAt = (port: number) => ["--host-for", `${USAGE_WILDCARD}=${USAGE}`, "--only", `${USAGE}:443`, "--connect-to", `${USAGE}:443:127.0.0.1:${port}`];

/** The one finding besides BG611 (an explicit proxy was used, which the bridge cannot do). */
function theFinding(run: ProbeRun): Finding {
  const findings = jsonReport(run).findings.filter((f) => f.rule.id !== "BG611");
  expect(findings, run.stdout).toHaveLength(1);
  return findings[0]!;
}

/** Within `stages` stage deadlines plus slack: a slow server costs its deadline, never more. */
function expectWithin(run: ProbeRun, stages = 1): void {
  expect(run.ms).toBeLessThan(stages * STAGE_MS + SLACK_MS);
}

describe("a server that answers one byte a second costs one stage deadline", () => {
  it("HTTP answer dripped after a good handshake -> RequestTimedOut BG604 at the http stage", async () => {
    const server = await startDripHttps(pki.leaf);
    const run = await probeCli(base(...usageAt(server.port)));
    expectWithin(run);
    const finding = theFinding(run);
    expect(finding).toMatchObject({ code: "RequestTimedOut", rule: { id: "BG604" }, severity: "error" });
    expect(finding.message).toMatch(/the request was sent and no HTTP answer came/);
    expect(finding.evidence.join("\n")).toMatch(/http timeout/);
    expect(server.hits()).toBe(1);
    expect(run.code).toBe(1);
  });

  it("TLS handshake dripped (a ServerHello, one byte a second) -> RequestTimedOut BG604 at the tls stage", async () => {
    const server = await startDripHandshake();
    const run = await probeCli(base(...usageAt(server.port)));
    expectWithin(run);
    const finding = theFinding(run);
    expect(finding).toMatchObject({ code: "RequestTimedOut", rule: { id: "BG604" } });
    expect(finding.message).toMatch(/tls stage/);
  });

  it("CONNECT answered one byte a second -> RequestTimedOut BG604 at the proxy stage", async () => {
    const proxy = await startDripProxy();
    const run = await probeCli(base(...usageAt(9), "--proxy", `http://127.0.0.1:${proxy.port}`));
    expectWithin(run);
    const finding = theFinding(run);
    expect(finding).toMatchObject({ code: "RequestTimedOut", rule: { id: "BG604" } });
    expect(finding.message).toMatch(/proxy stage/);
    expect(proxy.hits()).toBe(1);
  });
});

describe("a server that stops half-way costs one stage deadline", () => {
  it("TLS handshake that stalls after the first bytes of the ServerHello -> RequestTimedOut BG604 at the tls stage", async () => {
    const server = await startStalledHandshake();
    const run = await probeCli(base(...usageAt(server.port)));
    expectWithin(run);
    const finding = theFinding(run);
    expect(finding).toMatchObject({ code: "RequestTimedOut", rule: { id: "BG604" } });
    expect(finding.message).toMatch(/tls stage/);
    expect(server.hits()).toBe(1);
  });

  it("a proxy that accepts and never answers CONNECT -> RequestTimedOut BG604 at the proxy stage", async () => {
    const proxy = await startSilentProxy();
    const run = await probeCli(base(...usageAt(9), "--proxy", `http://127.0.0.1:${proxy.port}`));
    expectWithin(run);
    const finding = theFinding(run);
    expect(finding).toMatchObject({ code: "RequestTimedOut", rule: { id: "BG604" }, severity: "error" });
    expect(finding.message).toMatch(/proxy stage/);
    expect(proxy.hits()).toBe(1);
  });

  it("a login endpoint behind a silent proxy is a LoginError, still in one deadline", async () => {
    const proxy = await startSilentProxy();
    const run = await probeCli(base("--only", `${LOGIN}:443`, "--connect-to", `${LOGIN}:443:127.0.0.1:9`, "--proxy", `http://127.0.0.1:${proxy.port}`));
    expectWithin(run);
    expect(theFinding(run)).toMatchObject({ code: "LoginError", rule: { id: "BG607" } });
  });
});

describe("silent UDP servers cost one stage deadline", () => {
  it("a DNS server that never answers -> NetworkError BG601 (no answer), and the probe could not run (exit 3)", async () => {
    const dns = await startSilentUdp();
    const run = await probeCli(base("--host-for", `${USAGE_WILDCARD}=${USAGE}`, "--only", `${USAGE}:443`, "--dns-server", `127.0.0.1:${dns.port}`));
    expectWithin(run);
    const finding = theFinding(run);
    expect(finding).toMatchObject({ code: "NetworkError", rule: { id: "BG601" }, severity: "error" });
    expect(finding.evidence.join("\n")).toMatch(/no DNS answer for the name within 700 ms|did not answer/);
    expect(dns.hits()).toBeGreaterThan(0);
    expect(run.code, run.stderr).toBe(3);
    expect(run.stderr).toMatch(/probe could not run: none of the DNS servers answered/);
  });

  it("an SNTP server that never answers -> Unauthorized warning BG609, in one deadline", async () => {
    const sntp = await startSilentUdp();
    const run = await probeCli(base("--purpose", "time", "--time-server", `127.0.0.1:${sntp.port}`));
    expectWithin(run);
    expect(theFinding(run)).toMatchObject({ code: "Unauthorized", rule: { id: "BG609" }, severity: "warning" });
    expect(sntp.hits()).toBeGreaterThan(0);
  });
});

describe("everything misbehaving at once", () => {
  it("all endpoints probed concurrently: the whole run ends at --timeout plus slack, each endpoint classified", async () => {
    const dripHttps = await startDripHttps(pki.leaf);
    const dripHandshake = await startDripHandshake();
    const stalled = await startStalledHandshake();
    const dns = await startSilentUdp();
    const sntp = await startSilentUdp();
    const started = Date.now();
    const run = await probeCli([
      "--ca-file",
      pki.caFile,
      "--format",
      "json",
      // Stage deadlines longer than the run: the whole-run deadline must cut every one of them.
      "--stage-timeout",
      "30s",
      "--timeout",
      "1500ms",
      "--time-server",
      `127.0.0.1:${sntp.port}`,
      "--host-for",
      `${USAGE_WILDCARD}=${USAGE}`,
      "--connect-to",
      `${USAGE}:443:127.0.0.1:${dripHttps.port}`,
      "--connect-to",
      `management.azure.com:443:127.0.0.1:${dripHandshake.port}`,
      "--connect-to",
      `${LOGIN}:443:127.0.0.1:${stalled.port}`,
      "--dns-server",
      `127.0.0.1:${dns.port}`,
      "--only",
      `${USAGE}:443,management.azure.com:443,${LOGIN}:443,login.windows.net:443`,
      "--purpose",
      "usage,registration,identity,time",
    ]);
    expect(Date.now() - started).toBeLessThan(1500 + SLACK_MS);
    const findings = jsonReport(run).findings;
    // Every endpoint is reported (not tested: whole-run deadline), none passes, the time server too.
    const tested = findings.filter((f) => f.rule.id === "BG610");
    expect(tested.length).toBeGreaterThanOrEqual(4);
    for (const f of tested) expect(f.message).toMatch(/whole-run deadline|did not answer|not tested/);
    expect(findings.some((f) => f.endpoints.some((e) => e.purpose === "time"))).toBe(true);
  });
});
