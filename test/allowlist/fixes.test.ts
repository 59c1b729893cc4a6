/**
 * Concrete fixes (`Finding.fix`), checked the only way that proves them: apply the fix to the stack and
 * audit again. An add-rule fix must take effect before the rule that denies today (group or collection
 * priority), and the fixes of one stack must agree (same group, distinct NSG priorities), so that
 * applying every fix clears every reachability finding.
 */
import { describe, expect, it } from "vitest";
import { azureName } from "../../src/evaluate/names";
import type { Finding } from "../../src/model/finding";
import type { AddRuleFix, ChangePropertyFix, FindingFix, FixRule } from "../../src/model/fix";
import type { AppProtocol, FirewallRule, Resource, ResourceSet, RuleCollection, SecurityRule } from "../../src/model/resource";
import { applicationRule, azureFirewall, collection, firewallPolicy, networkRule, ref, ruleCollectionGroup, securityRule } from "../evaluate/fixtures";
import { audit } from "../rules/assert";
import {
  BRIDGE_COLLECTION,
  denyAppCollection,
  GROUP,
  healthyConfig,
  healthyStack,
  NSG,
  nsgRule,
  POLICY,
  policyGroup,
  ROUTE_TABLE,
  withAllowFor,
  withCollection,
  withDefaultRoute,
  withNetworkRule,
  withNsgRule,
  withoutAllowFor,
  withResource,
} from "../rules/fixtures";

const USAGE = "*.trafficmanager.net";

// ---- applying a fix to a resource set ---------------------------------------------------------------

function modelRule(rule: FixRule): FirewallRule | SecurityRule {
  if (rule.ruleType === "ApplicationRule") {
    return applicationRule({ name: rule.name, sourceAddresses: rule.sourceAddresses ?? ["*"], protocols: rule.protocols as AppProtocol[], targetFqdns: rule.targetFqdns, terminateTLS: false });
  }
  if (rule.ruleType === "NetworkRule") {
    return networkRule({
      name: rule.name,
      sourceAddresses: rule.sourceAddresses ?? ["*"],
      ipProtocols: rule.ipProtocols,
      destinationAddresses: rule.destinationAddresses ?? [],
      destinationFqdns: rule.destinationFqdns ?? [],
      destinationPorts: rule.destinationPorts,
    });
  }
  const { ruleType: _type, ...security } = rule;
  return securityRule({ ...security, sourceAddressPrefixes: rule.sourceAddressPrefixes ?? ["*"] });
}

/** Fixes computed from one audit and applied one after another: what an earlier fix created counts as there. */
let created = new Set<string>();

function addToCollections(collections: RuleCollection[], fix: AddRuleFix, kind: RuleCollection["collectionKind"]): RuleCollection[] {
  const c = fix.collection!;
  const existing = collections.find((x) => x.name === c.name);
  const fresh = (have: readonly FirewallRule[]) => fix.rules.filter((r) => !have.some((h) => h.name === r.name)).map((r) => modelRule(r) as FirewallRule);
  if (existing) {
    if (!created.has(`collection ${c.name}`)) expect(c.exists, `collection ${c.name} exists`).toBe(true);
    expect(existing.priority).toBe(c.priority);
    return collections.map((x) => (x === existing ? { ...x, rules: [...x.rules, ...fresh(x.rules)] } : x));
  }
  expect(c.exists).toBe(false);
  created.add(`collection ${c.name}`);
  return [...collections, collection({ name: c.name, priority: c.priority, action: "Allow", collectionKind: kind, rules: fresh([]) })];
}

function addRule(set: ResourceSet, fix: AddRuleFix): Resource[] {
  const target = set.resources.find((r) => r.ref.urn === fix.resource.urn);
  expect(target, `fix target ${fix.resource.urn}`).toBeDefined();
  if (target!.kind === "networkSecurityGroup") {
    expect(fix.rules).toHaveLength(1);
    const rule = modelRule(fix.rules[0]!) as SecurityRule;
    let existing = target!.securityRules;
    if (fix.move) {
      // No free priority precedes the deny: it moves to a free one after it first, the new rule takes its place.
      expect(fix.move.resource.urn).toBe(target!.ref.urn);
      const moved = existing.find((r) => r.name === fix.move!.rule)!;
      expect(moved.priority).toBe(fix.move.from);
      expect(existing.some((r) => r.direction === "Outbound" && r.priority === fix.move!.to), `priority ${fix.move.to} is free`).toBe(false);
      existing = existing.map((r) => (r === moved ? { ...r, priority: fix.move!.to } : r));
    }
    expect(rule.priority).toBeGreaterThanOrEqual(100);
    expect(rule.priority).toBeLessThanOrEqual(4096);
    expect(existing.some((r) => r.direction === "Outbound" && r.priority === rule.priority && r.name !== rule.name), `priority ${rule.priority} is free`).toBe(false);
    if (existing.some((r) => r.name === rule.name)) return set.resources; // the same rule, from another finding
    return set.resources.map((r) => (r === target ? { ...target!, securityRules: [...existing, rule] } : r));
  }
  if (target!.kind === "azureFirewall") {
    const key = fix.rules[0]!.ruleType === "ApplicationRule" ? "applicationRuleCollections" : "networkRuleCollections";
    const kind = fix.rules[0]!.ruleType === "ApplicationRule" ? "application" : "network";
    return set.resources.map((r) => (r === target ? { ...target!, [key]: addToCollections(target![key], fix, kind) } : r));
  }
  expect(target!.kind).toBe("firewallPolicy");
  const policyName = azureName(target!);
  const g = fix.ruleCollectionGroup!;
  // A group of THIS policy: by its policy id, or by name in the policy's resource group (as Azure joins them).
  const ofTarget = (r: Resource) =>
    r.kind === "ruleCollectionGroup" &&
    (r.firewallPolicyId !== undefined ? r.firewallPolicyId.toLowerCase() === target!.armId?.toLowerCase() : r.firewallPolicyName === policyName && r.resourceGroup === target!.resourceGroup);
  const group = set.resources.find((r) => ofTarget(r) && azureName(r) === g.name);
  const createdKey = `group ${target!.ref.urn} ${g.name}`;
  if (group && group.kind === "ruleCollectionGroup") {
    if (!created.has(createdKey)) expect(g.exists, `group ${g.name} exists`).toBe(true);
    expect(group.priority).toBe(g.priority);
    return set.resources.map((r) => (r === group ? { ...group, ruleCollections: addToCollections(group.ruleCollections, fix, "filter") } : r));
  }
  expect(g.exists).toBe(false);
  created.add(createdKey);
  const added = ruleCollectionGroup({
    ref: ref("FirewallPolicyRuleCollectionGroup", `${g.name}${target!.resourceGroup === "hub" ? "" : `-${target!.resourceGroup}`}`),
    ...(target!.armId !== undefined ? { firewallPolicyName: undefined, firewallPolicyId: target!.armId } : { firewallPolicyName: policyName }),
    resourceGroup: target!.resourceGroup,
    priority: g.priority,
    ruleCollections: [],
  });
  return [...set.resources, { ...added, ruleCollections: addToCollections([], fix, "filter") }];
}

/** `a.b[1].c` into keys. */
function pathKeys(path: string): (string | number)[] {
  return path.split(/\.|\[(\d+)\]/).filter((k) => k !== undefined && k !== "").map((k) => (/^\d+$/.test(k) ? Number(k) : k));
}

function changeProperty(set: ResourceSet, fix: ChangePropertyFix): Resource[] {
  const target = set.resources.find((r) => r.ref.urn === fix.resource.urn);
  expect(target, fix.resource.urn).toBeDefined();
  const copy = structuredClone(target!) as unknown as Record<string | number, unknown>;
  // The model keeps some properties under other names; the fix uses Azure's.
  const keys = pathKeys(fix.path);
  const model = copy.kind === "route" ? (copy.route as Record<string, unknown>) : copy;
  const alias: Record<string, string> = { "threatIntelWhitelist.fqdns": "threatIntelWhitelistFqdns" };
  if (alias[fix.path]) {
    model[alias[fix.path]!] = fix.value;
  } else {
    let node = model as Record<string | number, unknown>;
    for (const key of keys.slice(0, -1)) node = node[key] as Record<string | number, unknown>;
    expect(node[keys[keys.length - 1]!], `current value at ${fix.path}`).toEqual(fix.current);
    node[keys[keys.length - 1]!] = fix.value;
  }
  return set.resources.map((r) => (r === target ? (copy as unknown as Resource) : r));
}

function apply(set: ResourceSet, fix: FindingFix, batch = false): ResourceSet {
  if (!batch) created = new Set();
  return { ...set, resources: fix.kind === "add-rule" ? addRule(set, fix) : changeProperty(set, fix) };
}

function key(f: Finding): string {
  return `${f.rule.id} ${f.resource.name} ${f.endpoints.map((e) => `${e.host}:${e.port}/${e.protocol}`).join(",")}`;
}

/** Applies the finding's fix and audits again: that finding is gone. */
function expectFixClears(set: ResourceSet, finding: Finding): ResourceSet {
  expect(finding.fix, `${key(finding)} carries a fix`).toBeDefined();
  const fixed = apply(set, finding.fix!);
  // No finding of the rule still breaks any endpoint of the cause.
  const broken = new Set(finding.endpoints.map((e) => `${e.host}:${e.port}/${e.protocol}`));
  const after = audit(fixed).filter((f) => f.rule.id === finding.rule.id && (broken.size === 0 ? f.resource.urn === finding.resource.urn : f.endpoints.some((e) => broken.has(`${e.host}:${e.port}/${e.protocol}`))));
  expect(after.map(key), `after applying the fix of ${key(finding)}`).toEqual([]);
  return fixed;
}

function only(findings: Finding[], rule: string, host?: string, port?: number): Finding {
  const matching = findings.filter((f) => f.rule.id === rule && f.endpoints.some((e) => (host === undefined || e.host === host) && (port === undefined || e.port === port)) || (f.rule.id === rule && host === undefined && port === undefined && f.endpoints.length === 0));
  expect(matching.length, `${rule} ${host ?? ""}:${port ?? ""} in ${findings.map(key).join("; ")}`).toBe(1);
  return matching[0]!;
}

// ---- the cases --------------------------------------------------------------------------------------

describe("add-rule fixes take effect before the rule that decides today", () => {
  it("a Deny collection (priority 150) in group 200: a new group at priority 199, with the generator's rule", () => {
    const set = withCollection(denyAppCollection("deny-usage", 150, [USAGE]));
    const finding = only(audit(set), "BG201", USAGE, 443);
    expect(finding.fix).toEqual({
      kind: "add-rule",
      description: expect.stringContaining(`Add an application rule that allows ${USAGE} (Https:443)`),
      resource: expect.objectContaining({ name: POLICY }),
      armId: expect.stringMatching(/\/resourceGroups\/hub\/providers\/Microsoft\.Network\/firewallPolicies\/hub-policy$/),
      ruleCollectionGroup: { name: "azs-bridge-egress", priority: 199, exists: false },
      collection: { name: "azs-bridge-application", priority: 200, action: "Allow", exists: false },
      before: `rule "deny-${USAGE}" in collection "deny-usage" (priority 150) in rule collection group "${GROUP}" (priority 200)`,
      rules: [
        {
          ruleType: "ApplicationRule",
          name: "allow-trafficmanager.net-https-443",
          sourceAddresses: ["203.0.113.0/27"],
          protocols: [{ protocolType: "Https", port: 443 }],
          targetFqdns: [USAGE],
          terminateTLS: false,
        },
      ],
    });
    expect(finding.remediation.startsWith(finding.fix!.description)).toBe(true);
    expectFixClears(set, finding);
  });

  it("the default deny: the bridge group at the generator's default priority", () => {
    const set = withoutAllowFor(USAGE);
    const finding = only(audit(set), "BG201", USAGE, 443);
    expect(finding.fix).toMatchObject({ ruleCollectionGroup: { name: "azs-bridge-egress", priority: 100, exists: false } });
    expect((finding.fix as AddRuleFix).before).toBeUndefined();
    expectFixClears(set, finding);
  });

  it("the bridge group already there (e.g. from `endpoints --format azure-firewall-policy`): added to it when it comes first, else a new one below the deny", () => {
    const ours = policyGroup("azs-bridge-egress", 120, [collection({ name: "azs-bridge-application", priority: 200, action: "Allow", rules: [applicationRule({ name: "other", targetFqdns: ["example.invalid"] })] })]);
    const set = withoutAllowFor(USAGE, { extra: [ours] });
    const finding = only(audit(set), "BG201", USAGE, 443);
    expect(finding.fix).toMatchObject({
      ruleCollectionGroup: { name: "azs-bridge-egress", priority: 120, exists: true },
      collection: { name: "azs-bridge-application", priority: 200, exists: true },
    });
    expectFixClears(set, finding);

    const late = policyGroup("azs-bridge-egress", 300, []);
    const behind = withCollection(denyAppCollection("deny-usage", 150, [USAGE]), { extra: [late] });
    const behindFinding = only(audit(behind), "BG201", USAGE, 443);
    expect(behindFinding.fix).toMatchObject({ ruleCollectionGroup: { name: "azs-bridge-egress-199", priority: 199, exists: false } });
    expectFixClears(behind, behindFinding);
  });

  it("a Deny group at priority 100 (none lower): a collection before the deny inside that group, with a note when none is free", () => {
    const deny = policyGroup("block-web", 100, [denyAppCollection("deny-usage", 120, [USAGE])]);
    const set = withResource(deny);
    const finding = only(audit(set), "BG201", USAGE, 443);
    expect(finding.fix).toMatchObject({
      ruleCollectionGroup: { name: "block-web", priority: 100, exists: true },
      collection: { name: "azs-bridge-application", priority: 119, exists: false },
    });
    expectFixClears(set, finding);

    const tight = only(audit(withResource(policyGroup("block-web", 100, [denyAppCollection("deny-usage", 100, [USAGE])]))), "BG201", USAGE, 443);
    expect(tight.fix!.description).toMatch(/No priority is free before collection "deny-usage" \(priority 100\).*raise that collection's priority number first/);
  });

  it("a network rule denies TCP 443: a network rule to the endpoint's service tag (no application rule is reached)", () => {
    const denyTls = collection({ name: "deny-tls", priority: 300, action: "Deny", rules: [networkRule({ name: "any-443", ipProtocols: ["TCP"], destinationAddresses: ["*"], destinationPorts: ["443"] })] });
    const set = withCollection(denyTls);
    // One cause (rule "any-443") and one code: the usage hosts and the ARM endpoint are one BG201 finding.
    const arm = only(audit(set), "BG201", "management.azure.com", 443);
    expect(arm.fix).toMatchObject({
      ruleCollectionGroup: { name: "azs-bridge-egress", priority: 199 },
      collection: { name: "azs-bridge-network" },
      rules: [{ ruleType: "NetworkRule", ipProtocols: ["TCP"], destinationAddresses: expect.arrayContaining(["AzureResourceManager"]), destinationPorts: ["443"] }],
    });
    expect(arm.fix!.description).toMatch(/network rules are evaluated before application rules/);
    expectFixClears(set, arm);
  });

  it("NTP denied by default: a network rule to the configured server on UDP 123", () => {
    const set = withNetworkRule("ntp", null);
    const finding = only(audit(set), "BG108");
    expect((finding.fix as AddRuleFix).rules).toEqual([
      {
        ruleType: "NetworkRule",
        name: "allow-10.0.0.10-udp-123",
        sourceAddresses: ["203.0.113.0/27"],
        ipProtocols: ["UDP"],
        destinationAddresses: ["10.0.0.10"],
        destinationPorts: ["123"],
      },
    ]);
    expectFixClears(set, finding);
  });

  it("NSG: one security rule per cause, with every port of its endpoints, below the deny, a distinct priority each", () => {
    const set = withNsgRule(nsgRule("deny-web", 150, "Deny", "Internet"));
    const findings = audit(set).filter((f) => f.resource.name === NSG);
    const fixes = findings.map((f) => f.fix as AddRuleFix);
    expect(fixes.every((f) => f.kind === "add-rule" && f.resource.name === NSG && f.rules.length === 1 && f.rules[0]!.ruleType === "SecurityRule")).toBe(true);
    const priorities = fixes.map((f) => (f.rules[0] as { priority: number }).priority);
    expect(new Set(priorities).size).toBe(priorities.length);
    expect(priorities.every((p) => p < 150 && p >= 100)).toBe(true);
    // Usage and the ARM endpoint (registration, and identity on 443): one NetworkError cause, one rule.
    expect(only(findings, "BG201").fix).toMatchObject({
      rules: [{ name: "allow-bridge-usage-registration", protocol: "Tcp", destinationAddressPrefixes: ["AzureStack", "AzureResourceManager"], destinationPortRanges: ["443"] }],
    });
    // Identity: the other endpoints on two ports, one finding, one rule with both ports.
    const login = only(findings, "BG301");
    expect(login.endpoints.length).toBeGreaterThan(10);
    expect(login.fix).toMatchObject({ rules: [{ name: "allow-bridge-identity", destinationAddressPrefixes: expect.arrayContaining(["AzureActiveDirectory"]), destinationPortRanges: ["443", "80"] }] });
    let fixed = set;
    created = new Set();
    for (const f of findings) fixed = apply(fixed, f.fix!, true);
    expect(audit(fixed).filter((f) => f.resource.name === NSG).map(key)).toEqual([]);
  });

  it("NSG deny at priority 100: nothing can precede it, so it moves to 101 and the allow takes 100 (Azure accepts 100-4096, unique)", () => {
    const set = healthyStack({ nsg: { securityRules: [nsgRule("deny-aad", 100, "Deny", "AzureActiveDirectory")] } });
    const finding = only(audit(set).filter((f) => f.resource.name === NSG), "BG301");
    expect(finding.fix).toMatchObject({ move: { rule: "deny-aad", from: 100, to: 101, path: expect.stringMatching(/^securityRules\[\d+\]\.priority$/) }, rules: [{ priority: 100 }] });
    expect(finding.fix!.description).toMatch(/No free priority precedes rule "deny-aad" \(priority 100; NSG priorities run 100-4096/);
    expectFixClears(set, finding);
  });

  it("NSG deny at 100 with 101 taken: no rule Azure would accept can precede it: change or narrow that rule, in words", () => {
    const taken = healthyStack({ nsg: { securityRules: [nsgRule("deny-aad", 100, "Deny", "AzureActiveDirectory"), nsgRule("allow-other", 101, "Allow", "10.9.9.9")] } });
    const finding = only(audit(taken).filter((f) => f.resource.name === NSG), "BG301");
    expect(finding.fix).toBeUndefined();
    expect(finding.remediation).toMatch(/No free priority precedes rule "deny-aad" \(priority 100\).*change or narrow that rule/);
  });

  it("classic firewall: a collection of the right kind below the denying one", () => {
    const fw = azureFirewall({
      ref: ref("AzureFirewall", "classic-fw"),
      armId: undefined,
      firewallPolicyId: undefined,
      applicationRuleCollections: [
        collection({ name: "deny-usage", priority: 150, action: "Deny", collectionKind: "application", rules: [applicationRule({ name: "deny", targetFqdns: [USAGE] })] }),
        collection({ name: "allow-rest", priority: 300, action: "Allow", collectionKind: "application", rules: [applicationRule({ name: "usage", targetFqdns: [USAGE] })] }),
      ],
    });
    const set = healthyStack({ firewall: null, firewallPolicy: null, ruleCollectionGroup: null, routeTable: null, nsg: null, extra: [fw] });
    const finding = only(audit(set), "BG201", USAGE, 443);
    expect(finding.fix).toMatchObject({ resource: { name: "classic-fw" }, collection: { name: "azs-bridge-application", priority: 149, exists: false } });
    expect((finding.fix as AddRuleFix).ruleCollectionGroup).toBeUndefined();
    expect((finding.fix as AddRuleFix).rules[0]).not.toHaveProperty("terminateTLS");
    expectFixClears(set, finding);
  });

  it("undetermined (the allow covers part of the VIP): the fix says so, and clears it", () => {
    const set = withAllowFor(USAGE, { sourceAddresses: ["203.0.113.0/28"] });
    const finding = audit(set).find((f) => f.rule.id === "BG201" && f.resource.name === GROUP)!;
    expect(finding.fix!.description).toMatch(/^Make the rules decide \*\.trafficmanager\.net unambiguously: Add an application rule/);
    expectFixClears(set, finding);
  });
});

describe("fixes aim at the resource the verdict came from, by ARM id", () => {
  it("two policies named hub-policy in two resource groups: the fix goes in the one the firewall runs", () => {
    // The healthy policy stays in resource group hub (attached to nothing now); the firewall runs the
    // same-named policy of resource group spoke, which has no rules: its default deny decides every flow.
    const spokeId = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/spoke/providers/Microsoft.Network/firewallPolicies/hub-policy";
    const spoke = firewallPolicy({ ref: ref("FirewallPolicy", "spoke-policy"), armId: spokeId, resourceGroup: "spoke", threatIntelMode: "Alert" });
    const set = healthyStack({ firewall: { firewallPolicyId: spokeId }, extra: [spoke] });
    const findings = audit(set).filter((f) => f.fix?.kind === "add-rule" && f.resource.urn === spoke.ref.urn);
    expect(findings.map((f) => f.rule.id).sort()).toEqual(["BG108", "BG201", "BG301"]);
    for (const finding of findings) {
      const fix = finding.fix as AddRuleFix;
      expect(fix.resource.urn, key(finding)).toBe(spoke.ref.urn);
      expect(fix.armId, key(finding)).toBe(spokeId);
      // Placed among the spoke policy's groups (it has none): a new group, not one of the hub policy's.
      expect(fix.ruleCollectionGroup, key(finding)).toMatchObject({ exists: false });
    }
    // Applying the fixes to the policy they name clears them.
    let fixed = set;
    created = new Set();
    for (const f of findings) fixed = apply(fixed, f.fix!, true);
    expect(audit(fixed).filter((f) => f.resource.urn === spoke.ref.urn && f.severity === "error").map(key)).toEqual([]);
  });
});

describe("change-property fixes", () => {
  it("BG501: terminateTLS: false at the rule's path in its group", () => {
    const set = withAllowFor(USAGE, { terminateTLS: true }, { firewallPolicy: { skuTier: "Premium", hasTlsInspectionCertificate: true } });
    const finding = only(audit(set), "BG501", USAGE, 443);
    expect(finding.fix).toEqual({
      kind: "change-property",
      description: `Set terminateTLS: false on rule "usage-${USAGE}" (collection "${BRIDGE_COLLECTION}", group "${GROUP}").`,
      resource: expect.objectContaining({ name: GROUP }),
      path: "ruleCollections[1].rules[0].terminateTLS",
      value: false,
      current: true,
    });
    expectFixClears(set, finding);
  });

  it("BG205: the black-hole route's next hop", () => {
    const set = withDefaultRoute({ nextHopType: "None" });
    // The same route also drops identity (a LoginError) and the servers' traffic: take the usage finding.
    const finding = only(audit(set).filter((f) => f.endpoints.some((e) => e.purpose === "usage")), "BG205");
    expect(finding.fix).toMatchObject({ kind: "change-property", resource: { name: ROUTE_TABLE }, path: "routes[0].nextHopType", value: "Internet", current: "None" });
    expectFixClears(set, finding);
  });

  it("BG207: the policy's threat-intelligence allow list", () => {
    const set = healthyStack({ firewallPolicy: { threatIntelMode: "Deny", threatIntelWhitelistFqdns: ["*.contoso.com"] } });
    const finding = only(audit(set), "BG207");
    expect(finding.fix).toMatchObject({ kind: "change-property", resource: { name: POLICY }, path: "threatIntelWhitelist.fqdns", current: ["*.contoso.com"] });
    expect((finding.fix as ChangePropertyFix).value).toEqual(expect.arrayContaining(["*.contoso.com", USAGE, "login.microsoftonline.com"]));
    expectFixClears(set, finding);
  });

  it("BG104: location global", () => {
    const set = healthyStack({ registration: { location: "westeurope" } });
    const finding = only(audit(set), "BG104");
    expect(finding.fix).toMatchObject({ kind: "change-property", path: "location", value: "global", current: "westeurope" });
    expectFixClears(set, finding);
  });
});

describe("the fixes of one stack agree", () => {
  it("applying every fix of a badly broken stack clears every finding that has one", () => {
    let set = withCollection(denyAppCollection("deny-web", 150, [USAGE, "management.azure.com", "login.microsoftonline.com"]), {
      nsg: null,
      ruleCollectionGroup: policyGroup(GROUP, 200, []),
    });
    const before = audit(set, healthyConfig());
    // One finding per cause and rule: the deny collection and the default deny, not one per endpoint.
    expect(before.length).toBeGreaterThan(3);
    expect(before.length).toBeLessThan(12);
    created = new Set();
    for (const finding of before) if (finding.fix) set = apply(set, finding.fix, true);
    const after = audit(set, healthyConfig());
    expect(after.filter((f) => f.fix).map(key)).toEqual([]);
    // One bridge group, at one priority, below the denying group.
    const groups = set.resources.filter((r) => r.kind === "ruleCollectionGroup" && azureName(r) === "azs-bridge-egress");
    expect(groups.map((g) => (g as { priority: number }).priority)).toEqual([199]);
  });
});
