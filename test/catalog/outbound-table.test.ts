/**
 * The catalog against the newest "Ports and URLs (outbound)" revision (MicrosoftDocs/azure-stack-docs,
 * azure-stack/operator/azure-stack-integrate-endpoints.md: the table with a Requirement column and
 * Microsoft Entra ID wording). Each expectation below is a cell of that table.
 */
import { describe, expect, it } from "vitest";
import type { CloudName } from "../../src/catalog/clouds";
import {
  CATALOG_SOURCE,
  CATALOG_VERSION,
  catalogEndpoints,
  CONFIGURED_ENDPOINTS,
  DEPLOYMENT_ENDPOINTS,
  legacyUsageEndpoint,
  REQUIREMENTS,
} from "../../src/catalog/endpoints";
import { parseConfig } from "../../src/engine/config";
import { bridgeFlows } from "../../src/analysis/flows";
import { planTargets } from "../../src/probe/targets";
import { wildcardHint } from "../../src/cli/probe";
import type { ProbeObservations } from "../../src/model/observations";
import { runCli } from "../cli/run-cli";

const hosts = (cloud: CloudName, purpose: string, all = false) => catalogEndpoints(cloud, { all }).filter((e) => e.purpose === purpose).map((e) => e.host);

describe("catalog: the newest outbound table", () => {
  // Usage row: "Azure `https://*.trafficmanager.net` `https://*.cloudapp.azure.com`, Azure Government
  // `*.usgovtrafficmanager.net` `*.cloudapp.usgovcloudapi.net`, Azure China 21Vianet `*.trafficmanager.cn`
  // `*.cloudapp.chinacloudapi.cn`", HTTPS 443, "Required for Azure Stack Hub consumption based licensing model".
  it.each([
    ["AzureCloud", ["*.trafficmanager.net", "*.cloudapp.azure.com"]],
    ["AzureUSGovernment", ["*.usgovtrafficmanager.net", "*.cloudapp.usgovcloudapi.net"]],
    ["AzureChinaCloud", ["*.trafficmanager.cn", "*.cloudapp.chinacloudapi.cn"]],
  ] as [CloudName, string[]][])("%s: the Usage row's hosts, both checked at error on HTTPS 443", (cloud, expected) => {
    expect(hosts(cloud, "usage")).toEqual(expected);
    for (const e of catalogEndpoints(cloud).filter((x) => x.purpose === "usage")) {
      expect(e).toMatchObject({ required: true, severity: "error", code: "NetworkError", ports: [{ port: 443, protocol: "https" }], serviceTags: ["AzureStack"] });
      expect(e.requirement).toMatchObject({ level: "conditional", condition: "consumption-billing" });
    }
    const flows = bridgeFlows(parseConfig({ cloud, egress: { sourceAddresses: ["203.0.113.0/27"] } }, "test"));
    for (const host of expected) expect(flows.some((f) => f.endpoint.host === host && f.severity === "error")).toBe(true);
  });

  it("the legacy *.microsoftazurestack.com is information only: never checked, listed by --all as legacy", () => {
    for (const cloud of ["AzureCloud", "AzureUSGovernment", "AzureChinaCloud"] as CloudName[]) {
      expect(hosts(cloud, "usage-legacy")).toEqual([]);
      expect(legacyUsageEndpoint(cloud)).toMatchObject({ host: "*.microsoftazurestack.com", required: false, severity: "info", requirement: { level: "legacy" } });
      const flows = bridgeFlows(parseConfig({ cloud }, "test"));
      expect(flows.some((f) => f.endpoint.host === "*.microsoftazurestack.com")).toBe(false);
    }
    expect(hosts("AzureCloud", "usage-legacy", true)).toEqual(["*.microsoftazurestack.com"]);
  });

  it("each row's Requirement column is data, and decides what is checked and how severely", () => {
    expect(REQUIREMENTS.identity).toMatchObject({ level: "mandatory", text: "Mandatory for a connected deployment." });
    expect(REQUIREMENTS.telemetry).toMatchObject({ level: "conditional", condition: "telemetry-enabled" });
    expect(REQUIREMENTS["microsoft-crl"]).toMatchObject({ level: "recommended", text: "Not required. Highly recommended security best practice." });
    expect(CONFIGURED_ENDPOINTS.map((c) => c.requirement.text)).toEqual(["Required", "Required"]);
    const all = catalogEndpoints("AzureCloud", { all: true });
    // Checked by default: exactly the usage bridge's rows.
    expect([...new Set(all.filter((e) => e.required).map((e) => e.purpose))]).toEqual(["usage", "registration", "identity"]);
    expect(all.filter((e) => e.required).every((e) => e.severity === "error")).toBe(true);
    // Listed only: a warning where the source requires or recommends the row somewhere, information otherwise.
    expect(all.find((e) => e.purpose === "telemetry")!.severity).toBe("warning");
    expect(all.find((e) => e.purpose === "microsoft-crl")!.severity).toBe("warning");
    expect(all.find((e) => e.purpose === "remote-support")!.severity).toBe("info");
  });

  it("endpoints --all: the SYSLOG, Microsoft CRL, diagnostic log, remote support and telemetry rows", () => {
    expect(catalogEndpoints("AzureCloud", { all: true }).filter((e) => e.purpose === "microsoft-crl").map((e) => `${e.host}${e.path}`)).toEqual([
      "crl.microsoft.com/pki/crl/products",
      "mscrl.microsoft.com/pki/mscorp",
      "www.microsoft.com/pki/certs",
      "www.microsoft.com/pki/mscorp",
      "www.microsoft.com/pkiops/crl",
      "www.microsoft.com/pkiops/certs",
    ]);
    expect(hosts("AzureCloud", "diagnostics", true)).toEqual([
      "*.blob.core.windows.net",
      "azsdiagprdlocalwestus02.blob.core.windows.net",
      "azsdiagprdwestusfrontend.westus.cloudapp.azure.com",
    ]);
    expect(hosts("AzureCloud", "remote-support", true)).toContain("edgesupprd.trafficmanager.net");
    expect(hosts("AzureCloud", "remote-support", true)).toContain("*.servicebus.windows.net");
    expect(hosts("AzureCloud", "telemetry", true)).toEqual([
      "settings-win.data.microsoft.com",
      "login.live.com",
      "*.events.data.microsoft.com",
      "*.blob.core.windows.net",
      "azsdiagprdwestusfrontend.westus.cloudapp.azure.com",
    ]);
    // The Microsoft CRL URLs moved out of the Windows Defender row.
    expect(hosts("AzureCloud", "defender", true)).not.toContain("crl.microsoft.com");
    expect(DEPLOYMENT_ENDPOINTS.find((e) => e.purpose === "syslog")).toMatchObject({ label: "SYSLOG", requirement: { level: "optional" } });

    const result = runCli(["endpoints", "--all", "--format", "json"]);
    expect(result.status).toBe(0);
    const json = JSON.parse(result.stdout) as { catalog: { version: string; source: string }; endpoints: { purpose: string; host: string; requirement: string }[] };
    expect(json.catalog.version).toBe(CATALOG_VERSION);
    expect(json.catalog.source).toBe(CATALOG_SOURCE);
    for (const purpose of ["syslog", "microsoft-crl", "diagnostics", "remote-support", "telemetry", "usage-legacy"]) {
      expect(json.endpoints.some((r) => r.purpose === purpose), purpose).toBe(true);
    }
    expect(json.endpoints.find((r) => r.purpose === "usage")!.requirement).toBe("Required for Azure Stack Hub consumption based licensing model.");
  });

  it("a new catalog version, with source and revision", () => {
    expect(CATALOG_VERSION).not.toBe("2019.12-azs2301");
    expect(CATALOG_SOURCE).toContain("azure-stack-integrate-endpoints.md");
    expect(CATALOG_SOURCE).toMatch(/Requirement column/);
  });

  it("Azure Germany (still in the Identity row, but retired) is refused with a clear error", () => {
    const result = runCli(["endpoints", "--cloud", "AzureGermanCloud"]);
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/Azure Germany .* was retired; register the stamp with AzureCloud/);
    expect(() => parseConfig({ cloud: "AzureGermanCloud" }, "g.yaml")).toThrow(/retired/);
  });

  it("the probe plans the cloudapp usage host too: the host the table documents under it, marked as a representative", () => {
    const plan = planTargets({ cloud: "AzureCloud", hostFor: [], connectTo: [], proxyFor: () => undefined });
    expect(plan.untested.find((o) => o.target.host === "*.cloudapp.azure.com")).toBeUndefined();
    const cloudapp = plan.targets.find((t) => t.wildcard === "*.cloudapp.azure.com");
    expect(cloudapp).toMatchObject({ host: "azsdiagprdwestusfrontend.westus.cloudapp.azure.com", port: 443, representative: "Diagnostic log collection and Telemetry rows" });
    // A host given for the wildcard wins over the representative.
    const given = planTargets({ cloud: "AzureCloud", hostFor: [{ wildcard: "*.cloudapp.azure.com", host: "usage.westus.cloudapp.azure.com", source: "--host-for" }], connectTo: [], proxyFor: () => undefined });
    const own = given.targets.find((t) => t.wildcard === "*.cloudapp.azure.com");
    expect(own?.host).toBe("usage.westus.cloudapp.azure.com");
    expect(own?.representative).toBeUndefined();
  });

  it("the hint leaves the host to fill in where the table names none under the wildcard (US Government)", () => {
    const plan = planTargets({ cloud: "AzureUSGovernment", hostFor: [], connectTo: [], proxyFor: () => undefined });
    const hint = wildcardHint({ endpoints: plan.untested } as unknown as ProbeObservations);
    expect(hint).toMatch(/--host-for '\*\.usgovtrafficmanager\.net=<host>\.usgovtrafficmanager\.net'/);
    expect(plan.untested.find((o) => o.target.host === "*.usgovtrafficmanager.net")?.outcome.detail).toContain("--host-for '*.usgovtrafficmanager.net=<host>'");
  });

  it("representative hosts are documented hosts under the wildcard, never claimed for clouds whose rows name none", () => {
    const usage = catalogEndpoints("AzureCloud").filter((e) => e.purpose === "usage");
    expect(usage.map((e) => e.representatives)).toEqual([
      [{ host: "edgesupprd.trafficmanager.net", source: "Remote support row" }],
      [{ host: "azsdiagprdwestusfrontend.westus.cloudapp.azure.com", source: "Diagnostic log collection and Telemetry rows" }],
    ]);
    for (const cloud of ["AzureUSGovernment", "AzureChinaCloud"] as CloudName[]) {
      for (const e of catalogEndpoints(cloud).filter((x) => x.purpose === "usage")) expect(e.representatives, e.host).toEqual([]);
    }
    // Every representative is itself a host the page names.
    const named = new Set(catalogEndpoints("AzureCloud", { all: true }).map((e) => e.host));
    for (const e of catalogEndpoints("AzureCloud", { all: true })) for (const r of e.representatives ?? []) expect(named.has(r.host), r.host).toBe(true);
  });
});
