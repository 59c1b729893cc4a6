/**
 * The round trip, for each cloud: the generated rule collection group (ARM JSON), fed back through the
 * engine (ARM normalization, the firewall-policy evaluator, the rules, and `bridgeguard audit` itself),
 * allows every flow the bridge needs, intercepts none, and allows nothing beyond the catalog.
 */
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { buildAllowRuleSet, toArmRuleCollectionGroup, tlsBypassHosts, type ArmRuleCollectionGroup } from "../../src/allowlist";
import { catalogEndpoints } from "../../src/catalog/endpoints";
import { bridgeFlows } from "../../src/analysis/flows";
import { auditResourceSet } from "../../src/engine/run";
import { egressGates } from "../../src/evaluate";
import { normalizeArm } from "../../src/input";
import type { Report } from "../../src/model/finding";
import { ROOT, runCli } from "../cli/run-cli";
import { armPolicy, CLOUD_NAMES, configFor, configYaml, DNS_SERVERS, expectNothingBeyondCatalog, POLICY, TIME_SERVER, VIP } from "./helpers";

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "bridgeguard-allowlist-"));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

function generated(cloud: (typeof CLOUD_NAMES)[number], options: { all?: boolean } = {}): ArmRuleCollectionGroup {
  const set = buildAllowRuleSet({ cloud, sourceAddresses: [VIP], timeServer: TIME_SERVER, dnsServers: DNS_SERVERS, priority: 200, all: options.all });
  return toArmRuleCollectionGroup(set, POLICY);
}

/** A deep copy through JSON, as the file a user saves and hands back. */
function asFile<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}

describe.each(CLOUD_NAMES)("%s: the generated rules, fed back through the engine", (cloud) => {
  const config = configFor(cloud);
  const group = generated(cloud);

  it("normalize to one policy gate that allows every flow the bridge needs and intercepts none", () => {
    const set = normalizeArm(asFile([armPolicy(), group]), "generated.json");
    const gates = egressGates(set, []);
    expect(gates.map((g) => g.kind)).toEqual(["firewallPolicy"]);
    const flows = bridgeFlows(config);
    // Every catalog endpoint port, plus NTP to one server and DNS (UDP, TCP) to two.
    const catalogFlows = catalogEndpoints(cloud).reduce((n, e) => n + e.ports.length, 0);
    expect(flows).toHaveLength(catalogFlows + 1 + 2 * DNS_SERVERS.length);
    for (const { flow, endpoint } of flows) {
      const verdict = gates[0]!.evaluate(flow);
      expect(verdict.verdict, `${endpoint.host}:${endpoint.port}/${endpoint.protocol}: ${verdict.reason}`).toBe("allowed");
      expect(verdict.decidedBy?.group).toBe(`${POLICY}/azs-bridge-egress`);
    }
  });

  it("the same with the flattened (azure-native) shape: ruleCollections of the group are the same objects", () => {
    const flattened = { id: `${armPolicy().id as string}/ruleCollectionGroups/azs-bridge-egress`, name: "azs-bridge-egress", type: group.type, ...group.properties };
    const set = normalizeArm(asFile([armPolicy(), flattened]), "az-show.json");
    const gate = egressGates(set, [])[0]!;
    for (const { flow, endpoint } of bridgeFlows(config)) expect(gate.evaluate(flow).verdict, endpoint.host).toBe("allowed");
  });

  it("audits clean in process: no finding of any rule", () => {
    const set = normalizeArm(asFile([armPolicy(), group]), "generated.json");
    const report = auditResourceSet(set, config);
    expect(report.findings).toEqual([]);
    expect(report.summary.endpoints).toBe(bridgeFlows(config).length);
  });

  it("allows nothing beyond the catalog (required endpoints; and with --all, all of them)", () => {
    expectNothingBeyondCatalog(group, cloud, { timeServer: TIME_SERVER, dnsServers: DNS_SERVERS });
    expectNothingBeyondCatalog(generated(cloud, { all: true }), cloud, { all: true, timeServer: TIME_SERVER, dnsServers: DNS_SERVERS });
  });

  it("holds no rule for nothing: removing a rule makes the audit fail, unless other rules allow all it allows", () => {
    const pairs = (rule: { targetFqdns?: string[]; protocols?: { protocolType: string; port: number }[] }) =>
      (rule.targetFqdns ?? []).flatMap((host) => (rule.protocols ?? []).map((p) => `${host}|${p.protocolType}:${p.port}`));
    const rules = group.properties.ruleCollections.flatMap((c, i) => c.rules.map((_r, j) => [i, j] as const));
    for (const [i, j] of rules) {
      const rule = group.properties.ruleCollections[i]!.rules[j]!;
      const cut = asFile(group);
      cut.properties.ruleCollections[i]!.rules.splice(j, 1);
      const report = auditResourceSet(normalizeArm([armPolicy(), cut], "cut.json"), config);
      const elsewhere = new Set(cut.properties.ruleCollections.flatMap((c) => c.rules.flatMap((r) => pairs(r as never))));
      // AzureCloud's management.azure.com is both the registration endpoint and an identity endpoint.
      const redundant = rule.ruleType === "ApplicationRule" && pairs(rule).every((p) => elsewhere.has(p));
      if (!redundant) expect(report.summary.errors + report.summary.warnings, `without ${rule.name}`).toBeGreaterThan(0);
      else expect(report.findings, `without ${rule.name}`).toEqual([]);
    }
  });

  it("the TLS-bypass list is the HTTPS hosts of the rules", () => {
    const hosts = tlsBypassHosts(buildAllowRuleSet({ cloud, sourceAddresses: [VIP] }));
    const https = [...new Set(catalogEndpoints(cloud).filter((e) => e.ports.some((p) => p.protocol === "https")).map((e) => e.host))];
    expect(hosts).toEqual(https);
  });

  it("`bridgeguard endpoints --format azure-firewall-policy`, then `bridgeguard audit` on it: exit 0, zero findings", () => {
    const configFile = path.join(dir, `${cloud}.yaml`);
    fs.writeFileSync(configFile, configYaml(cloud));
    const out = runCli(["endpoints", "--config", configFile, "--format", "azure-firewall-policy", "--policy-name", POLICY, "--priority", "200"]);
    expect(out.status, out.stderr).toBe(0);
    expect(out.stderr).toBe("");
    const emitted = JSON.parse(out.stdout) as ArmRuleCollectionGroup;
    expect(emitted).toEqual(group);

    const egressFile = path.join(dir, `${cloud}-egress.json`);
    fs.writeFileSync(egressFile, JSON.stringify([armPolicy(), emitted], null, 2));
    const audit = runCli(["audit", egressFile, "--config", configFile, "--format", "json"]);
    expect(audit.status, audit.stderr).toBe(0);
    const report = JSON.parse(audit.stdout) as Report;
    expect(report.findings).toEqual([]);
    expect(report.summary).toMatchObject({ errors: 0, warnings: 0, resources: 2, endpoints: bridgeFlows(config).length });
  });
});

describe("the round trip is not vacuous", () => {
  it("the audit of a generated group without its NTP rule reports BG108 on the policy", () => {
    const config = configFor("AzureCloud");
    const group = asFile(generated("AzureCloud"));
    group.properties.ruleCollections[0]!.rules = group.properties.ruleCollections[0]!.rules.filter((r) => r.name !== "ntp");
    const report = auditResourceSet(normalizeArm([armPolicy(), group], "cut.json"), config);
    expect(report.findings.map((f) => [f.rule.id, f.endpoints[0]?.host])).toEqual([["BG108", TIME_SERVER]]);
  });

  it("terminateTLS: true on the usage rule of a Premium policy with a CA is intercepted (BG501)", () => {
    const config = configFor("AzureCloud");
    const group = asFile(generated("AzureCloud"));
    const usage = group.properties.ruleCollections[1]!.rules.find((r) => r.name === "usage") as { terminateTLS: boolean };
    usage.terminateTLS = true;
    const report = auditResourceSet(normalizeArm([armPolicy(), group], "inspected.json"), config);
    // Both usage hosts of the newest Usage row are intercepted: one finding each.
    expect(report.findings.flatMap((f) => f.endpoints.map((e) => `${f.rule.id} ${e.host}`)).sort()).toEqual(["BG501 *.cloudapp.azure.com", "BG501 *.trafficmanager.net"]);
  });

  it("built by the CLI from the repository root as well (examples/bridgeguard.yaml)", () => {
    const result = spawnSync(process.execPath, [path.join(ROOT, "bin", "bridgeguard.js"), "endpoints", "-c", path.join(ROOT, "examples", "bridgeguard.yaml"), "--format", "azure-firewall-policy", "--policy-name", POLICY], { encoding: "utf8" });
    expect(result.status, result.stderr).toBe(0);
    expectNothingBeyondCatalog(JSON.parse(result.stdout) as ArmRuleCollectionGroup, "AzureCloud", { timeServer: "10.0.0.10", dnsServers: ["10.0.0.53"] });
  });
});
