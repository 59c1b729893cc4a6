/**
 * The spec's "other outbound endpoints" whose host is the deployment's own (CRL of your certificates, LDAP,
 * LDAP SSL, GC, GC SSL to your AD forest, AD FS metadata): listed by the catalog and by `endpoints --all`
 * with a note that the host is yours, never required, never probed, never in a generated rule.
 */
import { describe, expect, it } from "vitest";
import { buildAllowRuleSet, renderArm, renderPulumiSnippet, tlsBypassHostsFor } from "../../src/allowlist";
import type { CloudName } from "../../src/catalog/clouds";
import {
  catalogEndpoints,
  DEPLOYMENT_ENDPOINTS,
  deploymentEndpointsNote,
  type DeploymentEndpointPurpose,
} from "../../src/catalog/endpoints";
import { parseConfig } from "../../src/engine/config";
import { bridgeFlows } from "../../src/analysis/flows";
import { planTargets } from "../../src/probe/targets";
import { exampleConfig, misconfigured, runCli } from "../cli/run-cli";

const CLOUDS: CloudName[] = ["AzureCloud", "AzureUSGovernment", "AzureChinaCloud"];
const VIP = "203.0.113.0/27";
const DIRECTORY_PORTS = [389, 636, 3268, 3269];

/** The spec's entries, as the source table gives them: label, protocol/port. */
const EXPECTED: Record<DeploymentEndpointPurpose, { label: string; ports: string[] }> = {
  syslog: { label: "SYSLOG", ports: ["tcp/6514", "udp/514"] },
  crl: { label: "CRL", ports: ["http/80"] },
  ldap: { label: "LDAP", ports: ["tcp/389", "udp/389"] },
  "ldap-ssl": { label: "LDAP SSL", ports: ["tcp/636"] },
  "ldap-gc": { label: "LDAP GC", ports: ["tcp/3268"] },
  "ldap-gc-ssl": { label: "LDAP GC SSL", ports: ["tcp/3269"] },
  "adfs-metadata": { label: "AD FS", ports: ["https/443"] },
};

const placeholders = [...new Set(DEPLOYMENT_ENDPOINTS.map((e) => e.host))];

describe("catalog: deployment-specific outbound endpoints", () => {
  it("lists CRL, LDAP 389 TCP/UDP, LDAP SSL 636, GC 3268, GC SSL 3269 and AD FS metadata 443, once each", () => {
    const got = Object.fromEntries(DEPLOYMENT_ENDPOINTS.map((e) => [e.purpose, { label: e.label, ports: e.ports.map((p) => `${p.protocol}/${p.port}`) }]));
    expect(got).toEqual(EXPECTED);
    expect(DEPLOYMENT_ENDPOINTS).toHaveLength(Object.keys(EXPECTED).length);
  });

  it("marks each as not required, with no error code, and a host that is a description, never a name", () => {
    for (const e of DEPLOYMENT_ENDPOINTS) {
      expect(e.required, e.purpose).toBe(false);
      expect(e.severity, e.purpose).toBe("info");
      expect(e, e.purpose).not.toHaveProperty("code");
      expect(e.host, e.purpose).toMatch(/^<[^<>]+ [^<>]+>$/);
      expect(e.host, e.purpose).toMatch(/your/);
      expect(e.note.length, e.purpose).toBeGreaterThan(20);
    }
    expect(DEPLOYMENT_ENDPOINTS.find((e) => e.purpose === "crl")!.note).toMatch(/CRL Distribution Points/);
    for (const e of DEPLOYMENT_ENDPOINTS.filter((d) => d.purpose.startsWith("ldap"))) expect(e.note).toMatch(/AD forest given for Graph integration/);
    expect(DEPLOYMENT_ENDPOINTS.find((e) => e.purpose === "adfs-metadata")!.note).toMatch(/AD FS metadata endpoint/);
  });

  it.each(CLOUDS)("%s: none of them is a catalog endpoint, so nothing probes, allow-lists or requires a made-up host", (cloud) => {
    const all = catalogEndpoints(cloud, { all: true });
    for (const e of all) {
      expect(e.host, `${e.purpose} ${e.host}`).not.toMatch(/[<>\s]/);
      for (const p of e.ports) expect(DIRECTORY_PORTS, `${e.purpose} ${e.host}`).not.toContain(p.port);
    }
    const set = buildAllowRuleSet({ cloud, sourceAddresses: [VIP], timeServer: "10.0.0.10", dnsServers: ["10.0.0.53"], all: true });
    const rendered = [renderArm(set, "hub-policy"), renderPulumiSnippet(set), tlsBypassHostsFor(cloud, { all: true }).join("\n")];
    for (const text of rendered) {
      for (const host of placeholders) expect(text).not.toContain(host);
      expect(text).not.toMatch(/"(389|636|3268|3269)"/);
    }
    const flows = bridgeFlows(parseConfig({ cloud, egress: { sourceAddresses: [VIP] }, timeServer: "10.0.0.10", dnsServers: ["10.0.0.53"] }, "test config"));
    for (const f of flows) {
      expect(f.endpoint.host).not.toMatch(/[<>]/);
      expect(DIRECTORY_PORTS).not.toContain(f.endpoint.port);
    }
    const plan = planTargets({ cloud, hostFor: [], connectTo: [], proxyFor: () => undefined });
    const probed = [...plan.targets.map((t) => t.host), ...plan.untested.map((o) => o.target.host)];
    for (const host of probed) expect(host).not.toMatch(/[<>]/);
  });

  it("names every one of them, with its ports, in the note the rule formats print", () => {
    const note = deploymentEndpointsNote();
    expect(note).toContain("SYSLOG (TCP 6514, UDP 514)");
    expect(note).toContain("CRL (HTTP 80)");
    expect(note).toContain("LDAP (TCP 389, UDP 389)");
    expect(note).toContain("LDAP SSL (TCP 636)");
    expect(note).toContain("LDAP GC (TCP 3268)");
    expect(note).toContain("LDAP GC SSL (TCP 3269)");
    expect(note).toContain("AD FS (HTTPS 443)");
    expect(note).toMatch(/your deployment's own/);
  });
});

describe("bridgeguard endpoints --all: the deployment-specific endpoints in every format", () => {
  it("json: one row each, not required, no code, flagged deployment-specific, noting the host is yours", () => {
    const result = runCli(["endpoints", "--all", "--format", "json"]);
    expect(result.status).toBe(0);
    const rows = (JSON.parse(result.stdout) as { endpoints: Record<string, unknown>[] }).endpoints;
    for (const e of DEPLOYMENT_ENDPOINTS) {
      const row = rows.find((r) => r.purpose === e.purpose);
      expect(row, e.purpose).toMatchObject({
        host: e.host,
        ports: e.ports.map((p) => `${p.protocol.toUpperCase()} ${p.port}`).join(", "),
        code: "",
        severity: "info",
        required: false,
        deploymentSpecific: true,
      });
      expect(row!.note, e.purpose).toMatch(/^host is yours/);
    }
    expect(rows.filter((r) => r.deploymentSpecific === false).every((r) => !String(r.host).startsWith("<"))).toBe(true);
  });

  it("csv and table: the rows, with the ports and the note", () => {
    const csv = runCli(["endpoints", "--all", "--format", "csv"]);
    expect(csv.status).toBe(0);
    expect(csv.stdout).toContain(`ldap-gc-ssl,${DEPLOYMENT_ENDPOINTS.find((e) => e.purpose === "ldap-gc-ssl")!.host},,TCP 3269,,info,false,`);
    expect(csv.stdout).toContain(`ldap,${DEPLOYMENT_ENDPOINTS.find((e) => e.purpose === "ldap")!.host},,"TCP 389, UDP 389",,info,false,`);
    // A wide terminal: one line a row (on 80 columns, the purpose and note wrap below the row).
    const table = runCli(["endpoints", "--all"], { env: { COLUMNS: "400" } });
    expect(table.status).toBe(0);
    for (const e of DEPLOYMENT_ENDPOINTS) {
      const line = table.stdout.split("\n").find((l) => l.startsWith(`${e.host} `) && l.includes(` ${e.purpose} `));
      expect(line, e.purpose).toBeDefined();
      expect(line).toContain("host is yours");
    }
  });

  it("without --all, none of them", () => {
    const result = runCli(["endpoints", "--format", "json"]);
    for (const host of placeholders) expect(result.stdout).not.toContain(host);
  });

  it.each([
    ["azure-firewall-policy", ["--policy-name", "hub-policy"]],
    ["pulumi", []],
    ["tls-bypass", []],
  ])("%s --all: left out of stdout, named in a note on stderr", (format, extra) => {
    const result = runCli(["endpoints", "-c", exampleConfig, "--all", "--format", format, ...extra]);
    expect(result.status).toBe(0);
    for (const host of placeholders) expect(result.stdout).not.toContain(host);
    expect(result.stderr).toContain(`bridgeguard: note: ${deploymentEndpointsNote()}\n`);
  });

  it("rule formats without --all: no such note", () => {
    const result = runCli(["endpoints", "-c", exampleConfig, "--format", "tls-bypass"]);
    expect(result.stderr).not.toContain("LDAP");
  });
});

describe("audit: no finding is about a deployment-specific endpoint", () => {
  it("the misconfigured example reports nothing on LDAP/GC ports or placeholder hosts", () => {
    const result = runCli(["audit", misconfigured, "-c", exampleConfig, "--format", "json", "--soft-fail"]);
    expect(result.status).toBe(0);
    const report = JSON.parse(result.stdout) as { findings: { endpoints: { host: string; port: number; purpose: string }[] }[] };
    expect(report.findings.length).toBeGreaterThan(0);
    const purposes = new Set<string>(DEPLOYMENT_ENDPOINTS.map((e) => e.purpose));
    for (const e of report.findings.flatMap((f) => f.endpoints)) {
      expect(e.host).not.toMatch(/[<>]/);
      expect(DIRECTORY_PORTS).not.toContain(e.port);
      expect(purposes.has(e.purpose)).toBe(false);
    }
  });
});
