/**
 * The JSON report keeps what the probe measured for every endpoint, passing ones too: stages and timings,
 * the address connected to, what DNS answered, the certificate's issuer and SHA-256, the answer. Against a
 * real TLS service and a dns2 DNS server on 127.0.0.1; the report is checked against the published schema.
 */
import Ajv from "ajv";
import addFormats from "ajv-formats";
import { afterEach, describe, expect, it } from "vitest";
import reportSchema from "../../src/schemas/report.schema.json";
import { jsonReport, probeCli } from "./helpers/cli";
import { useFilePki } from "./helpers/file-pki";
import { closeAll, startDns, startSntp, startTlsServer } from "./helpers/servers";

const USAGE = "usage.trafficmanager.net";

const pki = useFilePki("Results", USAGE);

afterEach(async () => {
  await closeAll();
});

describe("per-endpoint results in the JSON report", () => {
  it("a run where everything passes still carries stages, timings, addresses and the certificate", async () => {
    const server = await startTlsServer({ leaf: pki.leaf, status: 200 });
    const dns = await startDns({ [USAGE]: "127.0.0.1" });
    const sntp = await startSntp(1500);
    const run = await probeCli([
      "--ca-file",
      pki.caFile,
      "--format",
      "json",
      "--stage-timeout",
      "2s",
      "--timeout",
      "8s",
      "--host-for",
      `*.trafficmanager.net=${USAGE}`,
      "--only",
      `${USAGE}:443`,
      "--connect-to",
      `${USAGE}:443::${server.port}`,
      "--dns-server",
      `127.0.0.1:${dns.port}`,
      "--time-server",
      `127.0.0.1:${sntp.port}`,
    ]);
    expect(run.code, run.stderr).toBe(0);
    const report = jsonReport(run);
    expect(report.findings).toEqual([]);
    const ajv = new Ajv({ allErrors: true, strict: true });
    addFormats(ajv);
    const validate = ajv.compile(reportSchema);
    expect(validate(report), ajv.errorsText(validate.errors)).toBe(true);

    const [endpoint] = report.probe!.endpoints;
    expect(report.probe!.endpoints).toHaveLength(1);
    expect(endpoint).toMatchObject({
      host: USAGE,
      port: 443,
      protocol: "https",
      wildcard: "*.trafficmanager.net",
      for: [{ host: "*.trafficmanager.net", purpose: "usage" }],
      outcome: "reachable",
      address: `127.0.0.1:${server.port}`,
      dns: { name: USAGE, addresses: ["127.0.0.1"], total: 1 },
      tls: { chainVerified: true, nameMatches: true, issuer: pki.ca.name, sha256: pki.leaf.sha256, subject: `CN=${USAGE}` },
      http: { status: 200 },
    });
    expect(endpoint!.stages.map((s) => `${s.stage} ${s.status}`)).toEqual(["dns ok", "tcp ok", "tls ok", "http ok"]);
    for (const stage of endpoint!.stages) expect(stage.ms).toBeGreaterThanOrEqual(0);
    expect(report.probe!.time).toMatchObject({ server: `127.0.0.1:${sntp.port}`, outcome: "answered", stratum: 2 });
    expect(Math.abs(report.probe!.time!.offsetMs! - 1500)).toBeLessThan(1000);
  });
});
