/**
 * The bridge's path, end to end through the CLI: a platform stack whose unrelated gates the stack shows
 * to be off the path, and a stack whose default route goes to a gateway.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import Ajv from "ajv";
import addFormats from "ajv-formats";
import { afterAll, describe, expect, it } from "vitest";
import { generatePlatformStack } from "../../bench/generate";
import type { Report } from "../../src/model/finding";
import reportSchema from "../../src/schemas/report.schema.json";
import { exampleConfig, healthy, runCli } from "./run-cli";

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "bg-path-"));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

/** The platform stack at 1,000 resources: the healthy path, one unattached policy, 100 workload NSGs. */
const platform = path.join(dir, "platform.json");
fs.writeFileSync(platform, JSON.stringify(generatePlatformStack(1000)));

function audit(file: string, format = "json", extra: string[] = []) {
  return runCli(["audit", file, "--config", exampleConfig, "--format", format, ...extra]);
}

describe("the platform stack: a healthy bridge path among unrelated gates", () => {
  const result = audit(platform);
  const report = JSON.parse(result.stdout) as Report;

  it("exits 0 with no finding", () => {
    expect(result.status).toBe(0);
    expect(report.findings).toEqual([]);
  });

  it("puts the stamp's NSG and the firewall on the path, each with its reason", () => {
    expect(report.path?.onPath.map((g) => [g.kind, g.name, g.basis])).toEqual([
      ["networkSecurityGroup", "stamp-vip-nsg", "attachment"],
      ["azureFirewall", "hub-fw", "routing"],
    ]);
    expect(report.path?.routeTables.map((t) => [t.name, t.basis])).toEqual([["stamp-vip-routes", "attachment"]]);
  });

  it("names the unrelated policy and every workload NSG once as left out", () => {
    const leftOut = report.path?.leftOut ?? [];
    expect(leftOut.filter((g) => g.kind === "firewallPolicy").map((g) => g.name)).toEqual(["app-policy-0"]);
    const nsgs = leftOut.filter((g) => g.kind === "networkSecurityGroup").map((g) => g.name);
    expect(nsgs).toHaveLength(100);
    expect(new Set(nsgs).size).toBe(100);
    expect(leftOut.find((g) => g.name === "workload-nsg-7")?.reason).toBe(
      "attached only to subnet spoke-0/workload-7 (10.16.7.0/24), which does not contain the egress sources 203.0.113.0/27",
    );
  });

  it("text and markdown say the 100 workload NSGs in one line, the few gates on the path each with its reason", () => {
    const text = audit(platform, "text").stdout;
    expect(text).toContain("on      NSG stamp-vip-nsg: attached to subnet stamp-border/stamp-vip");
    expect(text.replace(/\s+/g, " ")).toContain(
      "off 100 NSGs: attached only to subnets or network interfaces that do not contain the egress sources: workload-nsg-0, workload-nsg-1, workload-nsg-2 and 97 more (the JSON report gives each its reason)",
    );
    // A group of one is said as itself, with its own reason.
    expect(text.replace(/\s+/g, " ")).toContain("off firewall policy app-policy-0: attached to no firewall of the stack, which has 1 firewall(s)");
    expect(text).not.toContain("workload-nsg-7");
    const markdown = audit(platform, "markdown").stdout;
    expect(markdown).toContain("- left out: 100 NSGs: attached only to subnets or network interfaces that do not contain the egress sources: workload-nsg-0, workload-nsg-1, workload-nsg-2 and 97 more");
    expect(markdown.split("\n").filter((line) => line.startsWith("- left out:"))).toHaveLength(2);
  });

  it("validates against the report schema", () => {
    const ajv = new Ajv({ allErrors: true, strict: false });
    addFormats(ajv);
    const validate = ajv.compile(reportSchema);
    expect(validate(report), JSON.stringify(validate.errors)).toBe(true);
  });

  it("carries the path once in SARIF run properties and JUnit properties", () => {
    const sarif = JSON.parse(audit(platform, "sarif").stdout) as { runs: { properties: { path: Report["path"] } }[] };
    expect(sarif.runs[0]!.properties.path?.leftOut).toHaveLength(101);
    const junit = audit(platform, "junit").stdout;
    expect(junit.match(/name="path\.leftOut"/g)).toHaveLength(101);
    expect(junit).toContain('name="path.onPath" value="Azure Firewall hub-fw: in stamp-vip-routes, route &quot;default-egress&quot; (0.0.0.0/0 -&gt; VirtualAppliance 10.1.0.4) leads to it"');
  });

  it("egress.resources overrides the path: the gates it names are evaluated, whatever the stack shows", () => {
    const config = path.join(dir, "all-gates.yaml");
    fs.writeFileSync(config, `${fs.readFileSync(exampleConfig, "utf8").replace("resources: []", "resources: [app-policy-0]")}`);
    const selected = JSON.parse(runCli(["audit", platform, "--config", config, "--format", "json"]).stdout) as Report;
    expect(selected.path?.onPath.map((g) => [g.name, g.basis])).toEqual([["app-policy-0", "selected"]]);
    // The application policy allows none of the bridge's endpoints: evaluated, it denies them.
    expect(selected.summary.errors).toBeGreaterThan(0);
  });
});

describe("a default route to a virtual network gateway", () => {
  const text = fs.readFileSync(healthy, "utf8").replaceAll('"nextHopType": "VirtualAppliance",\n                            "nextHopIpAddress": "10.1.0.4"', '"nextHopType": "VirtualNetworkGateway"');
  const file = path.join(dir, "gateway.json");
  fs.writeFileSync(file, text);

  it("does not blame the firewall: the route is the finding", () => {
    expect(text).toContain('"nextHopType": "VirtualNetworkGateway"');
    const report = JSON.parse(audit(file).stdout) as Report;
    // One finding per code the route breaks: usage and ARM time out, identity fails to log in.
    expect(report.findings.map((f) => [f.rule.id, f.resource.name, f.code]).sort()).toEqual([
      ["BG401", "stamp-vip-routes", "LoginError"],
      ["BG401", "stamp-vip-routes", "RequestTimedOut"],
    ]);
    const firewall = report.path?.onPath.find((g) => g.kind === "azureFirewall");
    // Only the private DNS and time servers may still reach it (a system route the stack does not show may win).
    expect(firewall?.bypassed?.flows).toContain("*.trafficmanager.net:443/tcp");
    expect(firewall?.bypassed?.reason).toBe('route "default-egress" (0.0.0.0/0 -> VirtualNetworkGateway) sends the flows to a virtual network gateway');
  });
});
