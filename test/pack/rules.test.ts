/**
 * Each rule's violation through the pack, the way the engine asks: `analyze` with each resource's inputs,
 * then `analyzeStack` with the outputs. Every case is the healthy stamp changed in one place.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ALL_RULES } from "../../src/rules";
import { policyPackConfig } from "../../src/pack/config";
import { change, exampleConfig, healthyWith, ofRule, seen, setProp, type StateResource } from "./fixtures";
import { PackHarness, type Diagnostic } from "./harness";
import type { StackRequests } from "./stack-export";

let pack: PackHarness;
beforeAll(async () => {
  pack = await PackHarness.start();
  await pack.configure(policyPackConfig(exampleConfig()));
});
afterAll(async () => pack?.close());

const STACK = "urn:pulumi:prod::azs-border";
const URN = {
  registration: `${STACK}::azure-native:azurestack:Registration::registration`,
  policy: `${STACK}::azure-native:network:FirewallPolicy::hub-policy`,
  group: `${STACK}::azure-native:network:FirewallPolicyRuleCollectionGroup::azure-stack-bridge`,
  firewall: `${STACK}::azure-native:network:AzureFirewall::hub-fw`,
  nsg: `${STACK}::azure-native:network:NetworkSecurityGroup::stamp-vip-nsg`,
  routes: `${STACK}::azure-native:network:RouteTable::stamp-vip-routes`,
};

/** Both phases, kept apart. */
async function run(stack: StackRequests): Promise<{ analyze: Diagnostic[]; stack: Diagnostic[]; all: Diagnostic[] }> {
  const analyze: Diagnostic[] = [];
  for (const r of stack.inputs) analyze.push(...(await pack.analyze(r)).diagnostics);
  const stackPhase = (await pack.analyzeStack(stack.outputs)).diagnostics;
  return { analyze, stack: stackPhase, all: [...analyze, ...stackPhase] };
}

type Collection = { name: string; priority: number; action: { type: string }; rules: Record<string, unknown>[]; ruleCollectionType: string };

function collections(group: StateResource, edit: (c: Collection[]) => void): void {
  change(group, (props) => edit(props.ruleCollections as Collection[]));
}

function appRule(group: StateResource, name: string, edit: (rule: Record<string, unknown>) => void): void {
  collections(group, (cs) => {
    for (const c of cs) for (const r of c.rules) if (r.name === name) edit(r);
  });
}

function nsgRule(nsg: StateResource, rule: Record<string, unknown>): void {
  change(nsg, (props) => (props.securityRules as Record<string, unknown>[]).unshift({ sourceAddressPrefix: "203.0.113.0/27", sourcePortRange: "*", direction: "Outbound", ...rule }));
}

interface Case {
  id: string;
  /** What changes in the healthy stamp. */
  edit: Parameters<typeof healthyWith>[0];
  phase: "analyze" | "stack";
  level: "mandatory" | "advisory";
  /** The resource the violation names (a URN, or the ARM id of a resource that is not there). */
  resource: string;
}

const CASES: Case[] = [
  {
    id: "BG101",
    edit: (_, state) => (state.deployment.resources = state.deployment.resources.filter((r) => !r.type.includes("Registration"))),
    phase: "stack",
    level: "mandatory",
    // The example configuration knows the cloud id, so the missing registration is named after it.
    resource: "/subscriptions/7c2a8e2e-3f1d-4b6a-9a7e-2d4c1b9f0a11/resourceGroups/azurestack/providers/Microsoft.AzureStack/registrations/AzureStack-5b4f0a0e-9e1d-4c8a-8f4e-6a2b7d1c3e59",
  },
  {
    id: "BG102",
    edit: (r) => {
      const reg = r("registration");
      setProp(reg, "resourceGroup", "azurestack-old");
      const id = String(reg.outputs!.id).replace("/azurestack/", "/azurestack-old/");
      reg.outputs!.id = id;
      reg.id = id;
    },
    phase: "stack",
    level: "mandatory",
    resource: URN.registration,
  },
  { id: "BG103", edit: (r) => (r("registration").outputs!.cloudId = "11111111-2222-4333-8444-555555555555"), phase: "stack", level: "mandatory", resource: URN.registration },
  { id: "BG104", edit: (r) => setProp(r("registration"), "location", "westeurope"), phase: "analyze", level: "mandatory", resource: URN.registration },
  { id: "BG106", edit: (r) => (r("registration").protect = false), phase: "analyze", level: "advisory", resource: URN.registration },
  {
    id: "BG107",
    edit: (r) => {
      const reg = r("registration");
      setProp(reg, "registrationName", "hub-registration");
      reg.outputs!.id = String(reg.outputs!.id).replace(/registrations\/.*$/, "registrations/hub-registration");
    },
    phase: "analyze",
    // Not the registration.name of examples/bridgeguard.yaml (an error, which that file lowers to a warning).
    level: "advisory",
    resource: URN.registration,
  },
  {
    id: "BG108",
    edit: (r) => nsgRule(r("stamp-vip-nsg"), { name: "deny-ntp", priority: 100, access: "Deny", protocol: "Udp", destinationAddressPrefix: "*", destinationPortRange: "123" }),
    phase: "stack",
    level: "mandatory",
    resource: URN.nsg,
  },
  { id: "BG201", edit: (r) => appRule(r("azure-stack-bridge"), "usage", (rule) => (rule.targetFqdns = ["*.example.com"])), phase: "stack", level: "mandatory", resource: URN.policy },
  {
    id: "BG202",
    edit: (r) =>
      collections(r("azure-stack-bridge"), (cs) =>
        cs.unshift({
          ruleCollectionType: "FirewallPolicyFilterRuleCollection",
          name: "no-arm",
          priority: 50,
          action: { type: "Deny" },
          rules: [{ ruleType: "ApplicationRule", name: "no-arm", sourceAddresses: ["*"], protocols: [{ protocolType: "Https", port: 443 }], targetFqdns: ["management.azure.com"] }],
        }),
      ),
    phase: "stack",
    level: "mandatory",
    resource: URN.group,
  },
  { id: "BG203", edit: (r) => appRule(r("azure-stack-bridge"), "usage-cloudapp", (rule) => (rule.targetFqdns = ["*.microsoftazurestack.com"])), phase: "stack", level: "advisory", resource: URN.group },
  {
    id: "BG204",
    edit: (r) => nsgRule(r("stamp-vip-nsg"), { name: "deny-dns", priority: 100, access: "Deny", protocol: "*", destinationAddressPrefix: "*", destinationPortRange: "53" }),
    phase: "stack",
    level: "mandatory",
    resource: URN.nsg,
  },
  {
    id: "BG205",
    edit: (r) => setProp(r("stamp-vip-routes"), "routes", [{ name: "default-egress", addressPrefix: "0.0.0.0/0", nextHopType: "None" }]),
    phase: "analyze",
    level: "mandatory",
    resource: URN.routes,
  },
  {
    id: "BG209",
    edit: (r) => appRule(r("azure-stack-bridge"), "usage-cloudapp", (rule) => (rule.targetFqdns = [...(rule.targetFqdns as string[]), "login.*.com"])),
    phase: "stack",
    level: "advisory",
    resource: URN.group,
  },
  {
    id: "BG206",
    edit: (r) => {
      setProp(r("hub-policy"), "explicitProxy", { enableExplicitProxy: true, httpPort: 8080, httpsPort: 8443 });
      appRule(r("azure-stack-bridge"), "usage", (rule) => (rule.targetFqdns = ["*.example.com"]));
    },
    phase: "stack",
    level: "mandatory",
    resource: URN.policy,
  },
  { id: "BG207", edit: (r) => setProp(r("hub-policy"), "threatIntelMode", "Deny"), phase: "stack", level: "advisory", resource: URN.policy },
  { id: "BG208", edit: (r) => setProp(r("hub-policy"), "intrusionDetection", { mode: "Deny" }), phase: "stack", level: "advisory", resource: URN.policy },
  {
    id: "BG301",
    edit: (r) => nsgRule(r("stamp-vip-nsg"), { name: "deny-aad", priority: 100, access: "Deny", protocol: "Tcp", destinationAddressPrefix: "AzureActiveDirectory", destinationPortRange: "*" }),
    phase: "stack",
    level: "mandatory",
    resource: URN.nsg,
  },
  {
    id: "BG401",
    edit: (r) => setProp(r("stamp-vip-routes"), "routes", [{ name: "default-egress", addressPrefix: "0.0.0.0/0", nextHopType: "VirtualNetworkGateway" }]),
    phase: "stack",
    level: "advisory",
    resource: URN.routes,
  },
  {
    id: "BG501",
    edit: (r) => {
      setProp(r("hub-policy"), "sku", { tier: "Premium" });
      setProp(r("hub-policy"), "transportSecurity", { certificateAuthority: { name: "inspection-ca", keyVaultSecretId: "https://kv.vault.azure.net/secrets/ca" } });
      appRule(r("azure-stack-bridge"), "usage", (rule) => (rule.terminateTLS = true));
    },
    phase: "stack",
    level: "mandatory",
    resource: URN.group,
  },
];

describe("each rule's violation through the pack", () => {
  it("the healthy stamp passes every policy", async () => {
    const { all } = await run(healthyWith());
    expect(seen(all)).toEqual([]);
  });

  it("covers every rule that can fire in a policy pack", () => {
    const covered = new Set(CASES.map((c) => c.id));
    const policyRules = ALL_RULES.filter((r) => r.meta.scope === "resource" || r.meta.scope === "stack").map((r) => r.meta.id);
    // BG105 reads the state's pending operations, which Pulumi never hands a policy; in a preview, a
    // registration on its way out is a registration missing from the final stack: BG101 (below).
    expect(policyRules.filter((id) => !covered.has(id))).toEqual(["BG105"]);
  });

  for (const c of CASES) {
    const meta = ALL_RULES.find((r) => r.meta.id === c.id)!.meta;
    it(`${c.id} ${meta.slug}: ${c.level} in ${c.phase === "analyze" ? "analyze (inputs)" : "analyzeStack (outputs)"}`, async () => {
      const result = await run(healthyWith(c.edit));
      const found = ofRule(result[c.phase], c.id);
      expect(found.length, `no ${c.id} violation; got ${JSON.stringify(seen(result.all).map((s) => s.ruleId))}`).toBeGreaterThan(0);
      for (const v of found) {
        expect(v.policyName).toBe(meta.id);
        // The rule's code, or one of the codes it gives the flows it breaks (a route's LoginError).
        expect([meta.code, ...(meta.otherCodes ?? []).map((o) => o.code)]).toContain(v.code);
        expect(v.level).toBe(c.level);
        expect(v.resource).toBe(c.resource);
        // A violation names the Pulumi URN it is about; a resource that is not in the stack has none.
        expect(v.urn).toBe(c.resource.startsWith("urn:pulumi:") ? c.resource : "");
        expect(v.text).toContain(`  docs:     docs/rules/${c.id}.md`);
        expect(v.text).toMatch(/\n {2}fix: {6}\S/);
      }
      // A violation found from the inputs is not reported a second time from the outputs (what the inputs
      // left undetermined, the outputs may still report).
      if (c.phase === "analyze") expect(ofRule(result.stack, c.id).filter((s) => found.some((f) => f.message === s.message))).toEqual([]);
    });
  }

  it("reads like the CLI's text report: code, rule, message, then the details indented", async () => {
    const { stack } = await run(healthyWith(CASES.find((c) => c.id === "BG201")!.edit));
    const usage = ofRule(stack, "BG201")[0]!;
    const lines = usage.text.split("\n");
    expect(lines[0]).toBe("The usage endpoint is allowed on HTTPS 443 from the public VIP range");
    expect(lines[1]).toMatch(/^NetworkError BG201 usage-endpoint-blocked: Azure Firewall hub-fw \(policy hub-policy\) denies \*\.trafficmanager\.net:443/);
    // The policy's default deny decided it: the policy is the resource at fault.
    expect(lines[2]).toBe(`  resource: ${URN.policy}`);
    expect(lines[3]).toBe("  endpoint: *.trafficmanager.net 443/https (usage)");
    expect(lines[4]).toMatch(/^ {2}evidence: /);
    expect(usage.text).toMatch(/fix: {6}Add an application rule that allows \*\.trafficmanager\.net/);
  });

  it("reports a registration missing from the stack against the expected ARM id, as a stack-level violation", async () => {
    const { stack } = await run(healthyWith(CASES[0]!.edit));
    const [missing] = ofRule(stack, "BG101");
    expect(missing!.message).toBe("no registration resource in subscription 7c2a8e2e-3f1d-4b6a-9a7e-2d4c1b9f0a11, resource group azurestack, name AzureStack-5b4f0a0e-9e1d-4c8a-8f4e-6a2b7d1c3e59");
    expect(missing!.text).toContain("found in the stack: no registration resource");
  });
});
