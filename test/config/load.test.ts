import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { CONFIG_SCHEMA, loadConfig, parseConfig } from "../../src/engine/config";
import { loadConfigFile } from "../../src/config/load";

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "bg-config-"));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

function write(name: string, text: string): string {
  const file = path.join(dir, name);
  fs.writeFileSync(file, text);
  return file;
}

function errorOf(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error("expected an error");
}

describe("bridgeguard.yaml", () => {
  it("loads the bundled example with defaults applied", () => {
    const config = loadConfig(path.join(__dirname, "../../examples/bridgeguard.yaml"));
    expect(config.cloud).toBe("AzureCloud");
    expect(config.registration?.resourceGroup).toBe("azurestack");
    expect(config.egress.sourceAddresses).toEqual(["203.0.113.0/27"]);
    expect(config.egress.resources).toEqual([]);
    expect(config.dnsServers).toEqual(["10.0.0.53"]);
  });

  it("fills defaults for an empty file", () => {
    const config = loadConfigFile(write("empty.yaml", ""), CONFIG_SCHEMA);
    expect(config).toMatchObject({ cloud: "AzureCloud", dnsServers: [], rules: {}, egress: { resources: [] } });
  });

  it("defaults the registration resource group to azurestack", () => {
    const config = parseConfig({ registration: { subscriptionId: "7c2a8e2e-3f1d-4b6a-9a7e-2d4c1b9f0a11" } }, "test");
    expect(config.registration?.resourceGroup).toBe("azurestack");
  });

  it.each([
    ["unknown top-level key", "clodu: AzureCloud\n", /bad\.yaml:1:1: clodu: unknown key "clodu"/],
    ["unknown nested key", "egress:\n  sources: [1.2.3.4]\n", /bad\.yaml:2:3: egress\.sources: unknown key "sources"/],
    ["unknown cloud", "cloud: AzureMoon\n", /bad\.yaml:1:1: cloud: expected one of "AzureCloud", "AzureUSGovernment", "AzureChinaCloud"/],
    ["retired cloud", "cloud: AzureGermanCloud\n", /cloud: Azure Germany .* was retired/],
    ["wrong type", "dnsServers: 10.0.0.53\n", /dnsServers: expected array/],
    ["bad CIDR", "egress:\n  sourceAddresses: [203.0.113.0/33]\n", /bad\.yaml:2:21: egress\.sourceAddresses\[0\]: expected an IP address or CIDR range/],
    ["bad GUID", "registration:\n  subscriptionId: nope\n", /registration\.subscriptionId: expected a GUID/],
    ["missing subscription", "registration:\n  resourceGroup: azurestack\n", /registration\.subscriptionId: is required/],
    ["unknown rule", "rules:\n  BG999: {enabled: false}\n", /rules\.BG999: unknown rule "BG999"/],
    ["bad rule setting", "rules:\n  BG201: {severity: fatal}\n", /rules\.BG201\.severity: expected one of "error", "warning"/],
    ["duplicate key", "cloud: AzureCloud\ncloud: AzureChinaCloud\n", /bad\.yaml:2:1: invalid YAML: Map keys must be unique/],
    ["invalid YAML", "egress: [\n", /bad\.yaml:\d+:\d+: invalid YAML/],
    ["not a mapping", "- a\n- b\n", /\(top level\): expected a mapping/],
  ])("rejects %s with the file, line and path", (_name, text, pattern) => {
    expect(errorOf(() => loadConfigFile(write("bad.yaml", text), CONFIG_SCHEMA))).toMatch(pattern);
  });

  it("rejects an alias bomb instead of expanding it", () => {
    const bomb = ["a: &a [x, x, x, x, x, x, x, x, x, x]"];
    for (let i = 0; i < 8; i++) bomb.push(`${String.fromCharCode(98 + i)}: &${String.fromCharCode(98 + i)} [*${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}]`);
    expect(errorOf(() => loadConfigFile(write("bomb.yaml", `${bomb.join("\n")}\n`), CONFIG_SCHEMA))).toMatch(/bomb\.yaml: invalid YAML: .*alias/i);
  });

  it("names a missing file and a directory", () => {
    expect(errorOf(() => loadConfig(path.join(dir, "nope.yaml")))).toMatch(/nope\.yaml: configuration file not found/);
    expect(errorOf(() => loadConfig(dir))).toMatch(/is a directory/);
  });
});

describe("pattern errors say what the pattern means", () => {
  it("names the expected <resourceGroup>/<name> form", () => {
    expect(() => parseConfig({ egress: { firewalls: ["hub-fw"] } }, "Pulumi config")).toThrow(
      /Pulumi config: egress\.firewalls\[0\]: expected <resourceGroup>\/<name>, such as hub-network\/hub-fw/,
    );
  });
});
