/**
 * `bridgeguard probe` end to end against real servers on 127.0.0.1: TLS services signed by a test CA,
 * refused, silent, resetting and handshake-closing servers, real CONNECT proxies (open, with Basic
 * authentication, denying, intercepting TLS with their own CA), a dns2 DNS server and an SNTP server.
 * Every catalog name is aimed at loopback with --connect-to, or resolved by the loopback dns2 server:
 * no test asks the real resolver about a real Azure name, and nothing leaves loopback.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import Ajv from "ajv";
import addFormats from "ajv-formats";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import reportSchema from "../../src/schemas/report.schema.json";
import type { Finding } from "../../src/model/finding";
import { renderText } from "../../src/report/text";
import { jsonReport, probeCli } from "./helpers/cli";
import { cleanupPki, createCa, issueLeaf, type TestCa, type TestLeaf } from "./helpers/pki";
import {
  closeAll,
  closedPort,
  startDenyingProxy,
  startDns,
  startFullBacklog,
  startHandshakeCloser,
  startHttpServer,
  startInterceptingProxy,
  startProxy,
  startSilentTcp,
  startSilentUdp,
  startSntp,
  startTlsServer,
} from "./helpers/servers";

const LOGIN = "login.microsoftonline.com";
const USAGE_WILDCARD = "*.trafficmanager.net";
const USAGE = "usage.trafficmanager.net";
const ARM = "management.azure.com";

let dir: string;
let ca: TestCa;
let caFile: string;
let leaves: Record<string, TestLeaf>;
let interceptorCa: TestCa;

/** Fast deadlines; the test CA as the only trust anchor. */
function base(...extra: string[]): string[] {
  return ["--ca-file", caFile, "--stage-timeout", "800ms", "--timeout", "6s", "--format", "json", ...extra];
}

const usage = (connectTo: string) => ["--host-for", `${USAGE_WILDCARD}=${USAGE}`, "--only", `${USAGE}:443`, "--connect-to", connectTo];

function only(findings: Finding[], ruleId: string): Finding[] {
  return findings.filter((f) => f.rule.id === ruleId);
}

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "bridgeguard-probe-"));
  ca = await createCa("bridgeguard Test Root CA");
  caFile = path.join(dir, "ca.pem");
  fs.writeFileSync(caFile, ca.certPem);
  leaves = {
    [LOGIN]: await issueLeaf(ca, [LOGIN]),
    [USAGE]: await issueLeaf(ca, [USAGE]),
    [ARM]: await issueLeaf(ca, [ARM]),
    "login.windows.net": await issueLeaf(ca, ["login.windows.net"]),
    other: await issueLeaf(ca, ["other.example.test"]),
  };
  interceptorCa = await createCa("Contoso TLS Inspection CA", "Contoso Security Appliance");
});

afterEach(async () => {
  await closeAll();
});

afterAll(() => {
  fs.rmSync(dir, { recursive: true, force: true });
  cleanupPki();
});

describe("bridgeguard probe: healthy path", () => {
  it("reports no finding when the endpoint answers over a chain that verifies (404 counts as reachable)", async () => {
    const server = await startTlsServer({ leaf: leaves[LOGIN]!, status: 404 });
    const run = await probeCli(base("--only", `${LOGIN}:443`, "--connect-to", `${LOGIN}:443:127.0.0.1:${server.port}`));
    const report = jsonReport(run);
    expect(run.code, run.stderr).toBe(0);
    expect(report.findings).toEqual([]);
    expect(report.summary).toMatchObject({ errors: 0, warnings: 0, resources: 1, endpoints: 1 });
    // In words, a probe counts the targets it measured, not resources.
    expect(renderText(report, { color: false })).toContain("0 errors, 0 warnings, 1 target probed, 1 endpoint evaluated");
    expect(server.hits()).toBe(1);
    // SNI carries the endpoint's name, not the address it was aimed at.
    expect(server.names).toEqual([LOGIN]);
  });

  it("resolves a --connect-to name through the loopback dns2 server", async () => {
    const server = await startTlsServer({ leaf: leaves[USAGE]! });
    const dns = await startDns({ "svc.probe.test": "127.0.0.1" });
    const run = await probeCli(base(...usage(`${USAGE}:443:svc.probe.test:${server.port}`), "--dns-server", `127.0.0.1:${dns.port}`));
    expect(jsonReport(run).findings).toEqual([]);
    expect(run.code).toBe(0);
    expect(dns.queries).toContain("svc.probe.test");
    expect(server.hits()).toBe(1);
  });

  it("shows each endpoint's stages and verdict on a terminal, on stderr only", async () => {
    const server = await startTlsServer({ leaf: leaves[LOGIN]! });
    const run = await probeCli(base("--only", `${LOGIN}:443`, "--connect-to", `${LOGIN}:443:127.0.0.1:${server.port}`), { tty: true });
    expect(run.stderr).toMatch(/ok\s+login\.microsoftonline\.com:443\s+tcp \d+ ms\s+tls \d+ ms\s+http \d+ ms\s+answered HTTP 404/);
    expect(() => JSON.parse(run.stdout)).not.toThrow();
  });

  it("plain HTTP on port 80: any answer (a redirect) is reachable", async () => {
    const server = await startHttpServer(301);
    const run = await probeCli(base("--only", `${LOGIN}:80`, "--connect-to", `${LOGIN}:80:127.0.0.1:${server.port}`));
    expect(jsonReport(run).findings).toEqual([]);
    expect(server.hits()).toBe(1);
  });

  it("reads cloud, DNS servers, probe.hosts and probe.timeout from the config file", async () => {
    const server = await startTlsServer({ leaf: leaves[USAGE]! });
    const dns = await startDns({ [USAGE]: "127.0.0.1" });
    const config = path.join(dir, "bridgeguard.yaml");
    fs.writeFileSync(config, [`probe:`, `  hosts:`, `    "${USAGE_WILDCARD}": ${USAGE}`, `  timeout: 5s`, `  concurrency: 2`, ""].join("\n"));
    // The name resolves through dns2 to 127.0.0.1; only the port is re-aimed.
    const run = await probeCli(["--config", config, "--ca-file", caFile, "--format", "json", "--stage-timeout", "800ms", "--dns-server", `127.0.0.1:${dns.port}`, "--only", `${USAGE}:443`, "--connect-to", `${USAGE}:443::${server.port}`]);
    expect(jsonReport(run).findings).toEqual([]);
    expect(dns.queries).toContain(USAGE);
    expect(server.hits()).toBe(1);
  });

  it("prints no progress when stderr is not a terminal", async () => {
    const server = await startTlsServer({ leaf: leaves[LOGIN]! });
    const run = await probeCli(base("--only", `${LOGIN}:443`, "--connect-to", `${LOGIN}:443:127.0.0.1:${server.port}`));
    expect(run.stderr).toBe("");
  });
});

describe("bridgeguard probe: network failures", () => {
  it("refused port -> NetworkError BG602", async () => {
    const port = await closedPort();
    const run = await probeCli(base(...usage(`${USAGE}:443:127.0.0.1:${port}`)));
    const [finding, ...rest] = jsonReport(run).findings;
    expect(rest).toEqual([]);
    expect(finding).toMatchObject({ code: "NetworkError", severity: "error", rule: { id: "BG602", slug: "probe-connection-failed" } });
    expect(finding!.resource).toEqual({ urn: `${USAGE}:443`, type: "probe", name: USAGE });
    expect(finding!.endpoints).toEqual([{ host: USAGE_WILDCARD, port: 443, protocol: "https", purpose: "usage" }]);
    expect(finding!.message).toMatch(/refused at the tcp stage/);
    expect(finding!.evidence.join("\n")).toMatch(/ECONNREFUSED|connection refused/);
    expect(finding!.remediation).toMatch(/Documented remediation for NetworkError/);
    expect(run.code).toBe(1);
  });

  it("connection reset after the request was sent -> NetworkError BG602 at the http stage", async () => {
    const server = await startTlsServer({ leaf: leaves[USAGE]!, behaviour: "reset-on-request" });
    const run = await probeCli(base(...usage(`${USAGE}:443:127.0.0.1:${server.port}`)));
    const findings = jsonReport(run).findings;
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({ code: "NetworkError", rule: { id: "BG602" }, severity: "error" });
    expect(findings[0]!.message).toMatch(/reset or closed at the http stage/);
    expect(findings[0]!.evidence.join("\n")).toMatch(/reset \(RST\)/);
  });

  it("server that accepts and never answers the request -> RequestTimedOut at the http stage, in one deadline", async () => {
    const server = await startTlsServer({ leaf: leaves[USAGE]!, behaviour: "silent" });
    const run = await probeCli(base(...usage(`${USAGE}:443:127.0.0.1:${server.port}`)));
    const findings = jsonReport(run).findings;
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({ code: "RequestTimedOut", rule: { id: "BG604", slug: "probe-no-answer" }, severity: "error" });
    expect(findings[0]!.message).toMatch(/request was sent and no HTTP answer came/);
    expect(findings[0]!.evidence.join("\n")).toMatch(/http timeout/);
    expect(run.ms).toBeLessThan(800 + 1500);
    expect(server.hits()).toBe(1);
  });

  it("TCP server that accepts and never answers the ClientHello -> RequestTimedOut at the tls stage", async () => {
    const server = await startSilentTcp();
    const run = await probeCli(base(...usage(`${USAGE}:443:127.0.0.1:${server.port}`)));
    const findings = jsonReport(run).findings;
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({ code: "RequestTimedOut", rule: { id: "BG604" } });
    expect(findings[0]!.message).toMatch(/no answer at the tls stage/);
  });

  it.skipIf(process.platform !== "linux")("connect that is never answered (full accept queue: SYNs dropped) -> RequestTimedOut, silent drop at the tcp stage", async () => {
    const server = await startFullBacklog();
    const run = await probeCli(base(...usage(`${USAGE}:443:127.0.0.1:${server.port}`)));
    const findings = jsonReport(run).findings;
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({ code: "RequestTimedOut", rule: { id: "BG604" } });
    expect(findings[0]!.message).toMatch(/silent drop/);
    expect(findings[0]!.evidence.join("\n")).toMatch(/tcp timeout/);
  });

  it("NXDOMAIN from the DNS server -> NetworkError BG601", async () => {
    const dns = await startDns({});
    const run = await probeCli(base("--host-for", `${USAGE_WILDCARD}=nosuch.trafficmanager.net`, "--only", "nosuch.trafficmanager.net:443", "--dns-server", `127.0.0.1:${dns.port}`));
    const findings = jsonReport(run).findings;
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({ code: "NetworkError", rule: { id: "BG601", slug: "probe-name-not-resolved" }, severity: "error" });
    expect(findings[0]!.evidence.join("\n")).toMatch(/does not exist \(NXDOMAIN\)/);
    expect(dns.queries).toContain("nosuch.trafficmanager.net");
    expect(run.code).toBe(1);
  });

  it("a failure on an Azure AD login endpoint -> LoginError BG607", async () => {
    const port = await closedPort();
    const run = await probeCli(base("--only", `${LOGIN}:443`, "--connect-to", `${LOGIN}:443:127.0.0.1:${port}`));
    const findings = jsonReport(run).findings;
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({ code: "LoginError", rule: { id: "BG607", slug: "probe-login-failed" }, severity: "error" });
    expect(findings[0]!.message).toMatch(/Azure AD login endpoint login\.microsoftonline\.com:443: the connection is refused/);
    expect(findings[0]!.remediation).toMatch(/Documented remediation for LoginError/);
  });

  it("a host that is both ARM and login reports each code", async () => {
    const port = await closedPort();
    const run = await probeCli(base("--only", `${ARM}:443`, "--connect-to", `${ARM}:443:127.0.0.1:${port}`));
    const findings = jsonReport(run).findings;
    expect(findings.map((f) => `${f.code} ${f.rule.id} ${f.endpoints[0]?.purpose}`).sort()).toEqual(["LoginError BG607 identity", "NetworkError BG602 registration"]);
  });
});

describe("bridgeguard probe: TLS", () => {
  it("name mismatch -> CertificateValidationError BG605 with the certificate seen", async () => {
    const server = await startTlsServer({ leaf: leaves.other! });
    const run = await probeCli(base(...usage(`${USAGE}:443:127.0.0.1:${server.port}`)));
    const findings = jsonReport(run).findings;
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({ code: "CertificateValidationError", rule: { id: "BG605" }, severity: "error" });
    expect(findings[0]!.message).toMatch(/does not name usage\.trafficmanager\.net/);
    const evidence = findings[0]!.evidence.join("\n");
    expect(evidence).toContain("certificate subject: CN=other.example.test");
    expect(evidence).toContain(`certificate SHA-256: ${leaves.other!.sha256}`);
    expect(server.hits()).toBe(0); // nothing is sent over a connection that failed verification
  });

  it("a login endpoint with a certificate that does not verify stays CertificateValidationError (interception), not LoginError", async () => {
    const server = await startTlsServer({ leaf: leaves[LOGIN]! });
    // The public roots (no --ca-file) do not trust the test CA.
    const run = await probeCli(["--stage-timeout", "800ms", "--timeout", "6s", "--format", "json", "--only", `${LOGIN}:443`, "--connect-to", `${LOGIN}:443:127.0.0.1:${server.port}`]);
    const findings = jsonReport(run).findings;
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({ code: "CertificateValidationError", rule: { id: "BG605" } });
    expect(findings[0]!.evidence.join("\n")).toMatch(/verified against: Node\.js public roots/);
  });

  it("handshake closed mid-way by the network -> CertificateValidationError warning BG606", async () => {
    const server = await startHandshakeCloser();
    const run = await probeCli(base(...usage(`${USAGE}:443:127.0.0.1:${server.port}`)));
    const findings = jsonReport(run).findings;
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({ code: "CertificateValidationError", rule: { id: "BG606", slug: "probe-handshake-closed" }, severity: "warning" });
    expect(server.hits()).toBe(1);
    expect(run.code).toBe(0); // a warning alone does not fail the run
  });
});

describe("bridgeguard probe: suppressions and failOn, through the engine's pipeline as in audit", () => {
  /** A bridgeguard.yaml in the test directory. */
  function configFile(name: string, lines: string[]): string {
    const file = path.join(dir, name);
    fs.writeFileSync(file, [...lines, ""].join("\n"));
    return file;
  }

  it("a suppression in the config accepts a probe finding: reported with its justification, exit 0", async () => {
    const port = await closedPort();
    const config = configFile("suppress-bg602.yaml", [
      "suppressions:",
      "  - rule: probe-connection-failed",
      `    resource: "${USAGE}:*"`,
      '    justification: "usage host blocked on this jump box only (CHG-9)"',
      "  - rule: BG605",
      '    resource: "nowhere:443"',
      '    justification: "a suppression that matches nothing"',
    ]);
    const run = await probeCli(["--config", config, ...base(...usage(`${USAGE}:443:127.0.0.1:${port}`))]);
    const report = jsonReport(run);
    expect(report.findings.map((f) => [f.rule.id, f.suppression?.justification])).toEqual([["BG602", "usage host blocked on this jump box only (CHG-9)"]]);
    expect(report.summary).toMatchObject({ errors: 0, suppressed: 1 });
    // The one that matches nothing is stale, in the report and on stderr, as in audit.
    expect(report.notices?.map((n) => n.kind)).toEqual(["suppression-stale"]);
    expect(run.stderr).toContain(`warning: ${config}: suppressions[1] (rule BG605, resource "nowhere:443") matches no finding (stale)`);
    expect(run.code).toBe(0);
  });

  it("failOn decides the exit code: none passes an error, warning fails on a warning (config or --fail-on)", async () => {
    const port = await closedPort();
    const none = configFile("fail-on-none.yaml", ["failOn: none"]);
    const refused = await probeCli(["--config", none, ...base(...usage(`${USAGE}:443:127.0.0.1:${port}`))]);
    expect(jsonReport(refused).summary).toMatchObject({ errors: 1 });
    expect(refused.code).toBe(0);

    const server = await startHandshakeCloser();
    const closed = usage(`${USAGE}:443:127.0.0.1:${server.port}`);
    const warning = configFile("fail-on-warning.yaml", ["failOn: warning"]);
    const byConfig = await probeCli(["--config", warning, ...base(...closed)]);
    expect(jsonReport(byConfig).findings.map((f) => [f.rule.id, f.severity])).toEqual([["BG606", "warning"]]);
    expect(byConfig.code).toBe(1);
    const byFlag = await probeCli(["--no-config", "--fail-on", "warning", ...base(...closed)]);
    expect(byFlag.code).toBe(1);
    // The flag overrides the config, as in audit.
    const overridden = await probeCli(["--config", warning, "--fail-on", "error", ...base(...closed)]);
    expect(overridden.code).toBe(0);
  });
});

describe("bridgeguard probe: explicit proxies", () => {
  it("open proxy: tunnels, and the report says the bridge cannot use an explicit proxy (BG611)", async () => {
    const server = await startTlsServer({ leaf: leaves[USAGE]! });
    const proxy = await startProxy();
    const run = await probeCli(base(...usage(`${USAGE}:443:127.0.0.1:${server.port}`), "--proxy", `http://127.0.0.1:${proxy.port}`));
    const findings = jsonReport(run).findings;
    expect(proxy.hits()).toBe(1);
    expect(server.hits()).toBe(1);
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({ code: "NetworkError", rule: { id: "BG611", slug: "probe-explicit-proxy" }, severity: "warning" });
    expect(findings[0]!.message).toMatch(/the bridge itself cannot use an explicit proxy/);
    expect(findings[0]!.evidence.join("\n")).toContain(`answered through the proxy: ${USAGE}:443`);
  });

  it("proxy with authentication, correct credentials -> tunnel up", async () => {
    const server = await startTlsServer({ leaf: leaves[USAGE]! });
    const proxy = await startProxy({ user: "probe", password: "s3cret-Canary" });
    const run = await probeCli(base(...usage(`${USAGE}:443:127.0.0.1:${server.port}`), "--proxy", `http://probe:s3cret-Canary@127.0.0.1:${proxy.port}`));
    const findings = jsonReport(run).findings;
    expect(findings.map((f) => f.rule.id)).toEqual(["BG611"]);
    expect(server.hits()).toBe(1);
  });

  it("proxy 407 without credentials -> NetworkError BG603, proxy authentication", async () => {
    const server = await startTlsServer({ leaf: leaves[USAGE]! });
    const proxy = await startProxy({ user: "probe", password: "right" });
    const run = await probeCli(base(...usage(`${USAGE}:443:127.0.0.1:${server.port}`), "--proxy", `http://127.0.0.1:${proxy.port}`));
    const bg603 = only(jsonReport(run).findings, "BG603");
    expect(bg603).toHaveLength(1);
    expect(bg603[0]).toMatchObject({ code: "NetworkError", severity: "error" });
    expect(bg603[0]!.message).toMatch(/the proxy requires authentication \(407\): no credentials were given/);
    expect(bg603[0]!.evidence.join("\n")).toMatch(/asks for Basic authentication/);
    expect(server.hits()).toBe(0);
    expect(run.code).toBe(1);
  });

  it("proxy 407 with wrong credentials -> says the credentials were rejected", async () => {
    const server = await startTlsServer({ leaf: leaves[USAGE]! });
    const proxy = await startProxy({ user: "probe", password: "right" });
    const run = await probeCli(base(...usage(`${USAGE}:443:127.0.0.1:${server.port}`), "--proxy", `http://probe:wrong@127.0.0.1:${proxy.port}`));
    const bg603 = only(jsonReport(run).findings, "BG603");
    expect(bg603[0]!.message).toMatch(/407\): the credentials given were rejected/);
    expect(proxy.authorizations).toEqual([`Basic ${Buffer.from("probe:wrong").toString("base64")}`]);
  });

  it("proxy 403 -> NetworkError BG603, proxy denies", async () => {
    const proxy = await startDenyingProxy();
    const run = await probeCli(base(...usage(`${USAGE}:443:127.0.0.1:9`), "--proxy", `http://127.0.0.1:${proxy.port}`));
    const bg603 = only(jsonReport(run).findings, "BG603");
    expect(bg603).toHaveLength(1);
    expect(bg603[0]!.message).toMatch(/the proxy denies the destination \(403\)/);
    expect(proxy.hits()).toBe(1);
  });

  it("intercepting proxy -> CertificateValidationError with the interceptor's issuer, subject and SHA-256", async () => {
    const proxy = await startInterceptingProxy(interceptorCa);
    const server = await startTlsServer({ leaf: leaves[USAGE]! });
    const run = await probeCli(base(...usage(`${USAGE}:443:127.0.0.1:${server.port}`), "--proxy", `http://127.0.0.1:${proxy.port}`));
    const bg605 = only(jsonReport(run).findings, "BG605");
    expect(bg605).toHaveLength(1);
    expect(bg605[0]).toMatchObject({ code: "CertificateValidationError", severity: "error" });
    const forged = proxy.issued.get(USAGE)!;
    const evidence = bg605[0]!.evidence.join("\n");
    expect(bg605[0]!.message).toContain("issued by CN=Contoso TLS Inspection CA, O=Contoso Security Appliance");
    expect(evidence).toContain("certificate issuer: CN=Contoso TLS Inspection CA, O=Contoso Security Appliance");
    expect(evidence).toContain(`certificate subject: CN=${USAGE}`);
    expect(evidence).toContain(`certificate SHA-256: ${forged.sha256}`);
    expect(server.hits()).toBe(0);
  });

  it("HTTPS_PROXY is used and NO_PROXY exempts the hosts it names", async () => {
    const server = await startTlsServer({ leaf: leaves[LOGIN]! });
    const other = await startTlsServer({ leaf: leaves["login.windows.net"]! });
    const proxy = await startProxy();
    const saved = { HTTPS_PROXY: process.env.HTTPS_PROXY, https_proxy: process.env.https_proxy, NO_PROXY: process.env.NO_PROXY, no_proxy: process.env.no_proxy };
    delete process.env.https_proxy;
    delete process.env.no_proxy;
    process.env.HTTPS_PROXY = `http://127.0.0.1:${proxy.port}`;
    process.env.NO_PROXY = "login.windows.net";
    try {
      const run = await probeCli(
        base("--only", `${LOGIN}:443,login.windows.net:443`, "--connect-to", `${LOGIN}:443:127.0.0.1:${server.port}`, "--connect-to", `login.windows.net:443:127.0.0.1:${other.port}`),
      );
      const findings = jsonReport(run).findings;
      expect(proxy.hits()).toBe(1);
      expect(server.hits()).toBe(1);
      expect(other.hits()).toBe(1);
      expect(findings.map((f) => f.rule.id)).toEqual(["BG611"]);
      expect(findings[0]!.evidence.join("\n")).toContain(`answered through the proxy: ${LOGIN}:443`);
      expect(findings[0]!.evidence.join("\n")).toContain("from environment");
    } finally {
      for (const [key, value] of Object.entries(saved)) {
        if (value === undefined) delete process.env[key];
        else process.env[key] = value;
      }
    }
  });

  it("never prints the proxy password, in any format, the progress lines or errors", async () => {
    const canary = "Canary-P4ss-7f3a";
    const proxy = await startProxy({ user: "probe", password: "other" });
    const server = await startTlsServer({ leaf: leaves[USAGE]! });
    for (const format of ["text", "json", "sarif", "junit", "markdown"]) {
      const run = await probeCli(
        ["--ca-file", caFile, "--stage-timeout", "800ms", "--timeout", "6s", "--format", format, ...usage(`${USAGE}:443:127.0.0.1:${server.port}`), "--proxy", `http://probe:${canary}@127.0.0.1:${proxy.port}`],
        { tty: true },
      );
      const everything = run.stdout + run.stderr;
      expect(everything, format).not.toContain(canary);
      expect(everything, format).not.toContain(Buffer.from(`probe:${canary}`).toString("base64"));
      expect(everything, format).toContain("***@127.0.0.1");
    }
    // A malformed proxy URL is rejected without echoing it.
    const bad = await probeCli(base(...usage(`${USAGE}:443:127.0.0.1:9`), "--proxy", `http://probe:${canary}@[bad`));
    expect(bad.code).toBe(2);
    expect(bad.stdout + bad.stderr).not.toContain(canary);
  });
});

describe("bridgeguard probe: time", () => {
  const timeOnly = (port: number) => ["--purpose", "time", "--time-server", `127.0.0.1:${port}`];

  it("skew of 400 s -> Unauthorized error BG608", async () => {
    const sntp = await startSntp(400_000);
    const run = await probeCli(base(...timeOnly(sntp.port)));
    const findings = jsonReport(run).findings;
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({ code: "Unauthorized", rule: { id: "BG608", slug: "probe-clock-skew" }, severity: "error" });
    expect(findings[0]!.message).toMatch(/disagree by \+400 s/);
    expect(findings[0]!.resource.urn).toBe(`127.0.0.1:${sntp.port}`);
    expect(run.code).toBe(1);
  });

  it("skew of 90 s -> Unauthorized warning", async () => {
    const sntp = await startSntp(-90_000);
    const run = await probeCli(base(...timeOnly(sntp.port)));
    const findings = jsonReport(run).findings;
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({ code: "Unauthorized", rule: { id: "BG608" }, severity: "warning" });
    expect(findings[0]!.message).toMatch(/-90 s/);
    expect(run.code).toBe(0);
  });

  it("skew within 60 s -> no finding", async () => {
    const sntp = await startSntp(5_000);
    const run = await probeCli(base(...timeOnly(sntp.port)));
    expect(jsonReport(run).findings).toEqual([]);
    expect(sntp.hits()).toBe(1);
  });

  it("silent time server -> Unauthorized warning BG609", async () => {
    const silent = await startSilentUdp();
    const run = await probeCli(base(...timeOnly(silent.port)));
    const findings = jsonReport(run).findings;
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({ code: "Unauthorized", rule: { id: "BG609", slug: "probe-time-server-silent" }, severity: "warning" });
    expect(silent.hits()).toBe(1);
  });

  it("skew in the Date header of an Azure answer -> Unauthorized", async () => {
    const server = await startTlsServer({ leaf: leaves[LOGIN]!, dateOffsetMs: 400_000 });
    const run = await probeCli(base("--only", `${LOGIN}:443`, "--connect-to", `${LOGIN}:443:127.0.0.1:${server.port}`));
    const findings = jsonReport(run).findings;
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({ code: "Unauthorized", rule: { id: "BG608" }, severity: "error" });
    expect(findings[0]!.message).toMatch(/Date header of login\.microsoftonline\.com:443/);
  });
});

describe("bridgeguard probe: not tested is never a pass", () => {
  it("a wildcard without --host-for is reported as not tested, and why, with the endpoint's code", async () => {
    // US Government: Microsoft's table names no host under its usage wildcard, so there is no representative.
    const run = await probeCli(base("--cloud", "AzureUSGovernment", "--only", "*.usgovtrafficmanager.net"));
    const findings = jsonReport(run).findings;
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({ code: "NetworkError", rule: { id: "BG610", slug: "probe-not-tested" }, severity: "warning" });
    expect(findings[0]!.message).toMatch(/was not tested: \*\.usgovtrafficmanager\.net is a wildcard/);
    expect(findings[0]!.remediation).toMatch(/--host-for/);
    expect(jsonReport(run).summary.endpoints).toBe(0);
  });

  it("a wildcard with no host given is probed at the host Microsoft's table documents under it, named as a representative", async () => {
    const refused = await closedPort();
    const run = await probeCli(base("--only", USAGE_WILDCARD, "--connect-to", `edgesupprd.trafficmanager.net:443:127.0.0.1:${refused}`));
    const report = jsonReport(run);
    expect(report.findings.map((f) => f.rule.id)).toEqual(["BG602"]);
    expect(report.findings[0]!.evidence.join("\n")).toContain(
      "representative host tested for *.trafficmanager.net: edgesupprd.trafficmanager.net (Microsoft's outbound table names it, Remote support row; not the usage service itself",
    );
    const probed = (report as unknown as { probe: { endpoints: { host: string; wildcard?: string; representative?: string }[] } }).probe.endpoints;
    expect(probed).toEqual([expect.objectContaining({ host: "edgesupprd.trafficmanager.net", wildcard: USAGE_WILDCARD, representative: "Remote support row" })]);
  });

  it("wildcard login endpoints carry LoginError when not tested", async () => {
    const run = await probeCli(base("--only", "*.msauth.net:443"));
    const findings = jsonReport(run).findings;
    expect(findings.map((f) => [f.code, f.rule.id])).toEqual([["LoginError", "BG610"]]);
  });

  it("no time server: time is reported as not tested when the whole catalog is probed", async () => {
    const silentDns = await startSilentUdp();
    // Every name goes to a silent loopback DNS server (nothing reaches the real resolver); short deadline.
    const run = await probeCli(["--ca-file", caFile, "--format", "json", "--stage-timeout", "300ms", "--timeout", "3s", "--dns-server", `127.0.0.1:${silentDns.port}`]);
    const findings = jsonReport(run).findings;
    const time = findings.filter((f) => f.endpoints[0]?.purpose === "time");
    expect(time).toHaveLength(1);
    expect(time[0]).toMatchObject({ code: "Unauthorized", rule: { id: "BG610" } });
    const ajv = new Ajv({ allErrors: true, strict: true });
    addFormats(ajv);
    const validate = ajv.compile(reportSchema);
    expect(validate(JSON.parse(run.stdout)), ajv.errorsText(validate.errors)).toBe(true);
    // ... and a DNS server that never answers means the probe could not run.
    expect(run.code).toBe(3);
    expect(run.stderr).toMatch(/probe could not run: none of the DNS servers answered/);
  });
});

describe("bridgeguard probe: deadlines and Ctrl-C", () => {
  it("respects the whole-run --timeout: endpoints still in flight are not tested, and why", async () => {
    const silent = await startSilentTcp();
    const run = await probeCli([
      "--ca-file",
      caFile,
      "--format",
      "json",
      "--timeout",
      "1s",
      "--stage-timeout",
      "10s",
      "--purpose",
      "identity",
      "--connect-to",
      `::127.0.0.1:${silent.port}`,
    ]);
    expect(run.ms).toBeLessThan(1000 + 2000);
    const findings = jsonReport(run).findings;
    expect(findings.length).toBeGreaterThan(0);
    const tested = findings.filter((f) => f.rule.id === "BG610" && !f.endpoints[0]!.host.startsWith("*"));
    expect(tested.length).toBeGreaterThan(0);
    for (const f of tested) expect(f.message).toMatch(/whole-run deadline/);
  });

  it("Ctrl-C stops cleanly, prints what was measured, exits 130", async () => {
    const silent = await startSilentTcp();
    const server = await startTlsServer({ leaf: leaves[LOGIN]!, status: 200 });
    const run = await probeCli(
      [
        "--ca-file",
        caFile,
        "--format",
        "json",
        "--stage-timeout",
        "20s",
        "--timeout",
        "30s",
        "--only",
        `${LOGIN}:443,${USAGE}:443`,
        "--host-for",
        `${USAGE_WILDCARD}=${USAGE}`,
        "--connect-to",
        `${LOGIN}:443:127.0.0.1:${server.port}`,
        "--connect-to",
        `${USAGE}:443:127.0.0.1:${silent.port}`,
      ],
      { interruptAfterMs: 400 },
    );
    expect(run.ms).toBeLessThan(2000);
    expect(run.code).toBe(130);
    const findings = jsonReport(run).findings;
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({ rule: { id: "BG610" }, code: "NetworkError" });
    expect(findings[0]!.message).toMatch(/interrupted \(Ctrl-C\) during the tls stage/);
    expect(jsonReport(run).summary.resources).toBe(1); // the login endpoint was measured
    expect(server.hits()).toBe(1);
  });
});

describe("bridgeguard probe: usage errors exit 2", () => {
  it.each([
    [["--timeout", "soon"], /--timeout soon: expected a duration/],
    // Node's timers overflow above 2^31-1 ms and fire at once: a limit, named, instead.
    [["--timeout", "36000m"], /--timeout 36000m: at most 35791\.4 min \(2147483647 ms/],
    [["--stage-timeout", "25000h"], /--stage-timeout 25000h: expected a duration/],
    [["--stage-timeout", "40000m"], /--stage-timeout 40000m: at most/],
    [["--proxy", "http://u:50%off@proxy.example.com:1"], /^bridgeguard: --proxy: the password holds a "%" that does not start a %XX escape[^\n]*\n$/],
    [["--ca-file", "/nonexistent/ca.pem"], /--ca-file: cannot read it/],
    [["--connect-to", "a:1:b"], /--connect-to a:1:b: found 3 field/],
    [["--host-for", "*.example.com=x.example.com"], /not a wildcard endpoint of this cloud/],
    [["--host-for", `${USAGE_WILDCARD}=evil.example.com`], /not a host name under \*\.trafficmanager\.net/],
    [["--only", "nothing.example.com"], /--only nothing\.example\.com: no AzureCloud endpoint matches/],
    [["--dns-server", "dns.example.com"], /--dns-server dns\.example\.com: expected an IP address/],
    [["--proxy", "https://proxy.example.com:3128"], /only http:\/\/ proxies are supported/],
    [["--concurrency", "0"], /--concurrency 0/],
    [["--purpose", "billing"], /--purpose billing: expected one of/],
  ])("%j", async (args, message) => {
    const run = await probeCli(args as string[]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(message);
    expect(run.stdout).toBe("");
  });
});
