/**
 * The verification program under mocks: the live setups of issue "look the live registration and egress
 * up with azure-native invokes", each asserting the findings, that the program fails (rejects with a
 * RunError, so the update fails) or passes (resolves to the stack outputs), and for each that
 * `bridgeguard audit` of the same resources as ARM JSON reports the same findings.
 */
import * as pulumi from "@pulumi/pulumi";
import { beforeEach, describe, expect, it, vi } from "vitest";
import {
  applicationRule,
  baseDenyGroupBody,
  basePolicyBody,
  bridgeGroupBody,
  CLOUD_ID,
  filterCollection,
  healthyBodies,
  healthyConfig,
  healthyWith,
  IDS,
  invokeError,
  NET_RG,
  OBJECT_ID,
  REG_SUB,
  registrationBody,
  routeTableBody,
  type ArmBody,
} from "./arm";
import { auditArm, findingKeys, runProgram, withoutEvidence, type ProgramRun, type RunOptions } from "./harness";

beforeEach(() => {
  vi.resetModules();
});

const OTHER_GUID = "0e1d2c3b-4a59-4687-9a8b-7c6d5e4f3a2b";

/** The program's findings equal the audit's for the same resources, and so does the summary. */
function expectAuditAgrees(run: ProgramRun, config: Record<string, unknown> = healthyConfig()): void {
  const audit = auditArm(run.fake.served, config);
  expect(findingKeys(run.findings)).toEqual(findingKeys(audit.findings));
  expect(withoutEvidence(run.findings)).toEqual(withoutEvidence(audit.findings));
  const summary = run.outputs?.summary ?? run.report?.summary;
  expect(summary).toEqual(audit.summary);
}

function expectFails(run: ProgramRun): Error {
  expect(run.outputs).toBeUndefined();
  expect(run.error).toBeDefined();
  expect(pulumi.RunError.isInstance(run.error)).toBe(true);
  return run.error as Error;
}

async function scenario(options: RunOptions): Promise<ProgramRun> {
  return runProgram(options);
}

describe("verification program: healthy setup", () => {
  it("looks everything up once, finds nothing, and exports findings, summary and allow-list", async () => {
    const run = await scenario({ bodies: healthyBodies() });
    expect(run.error).toBeUndefined();
    expect(run.outputs?.findings).toEqual([]);
    expect(run.outputs?.summary).toEqual({ errors: 0, warnings: 0, resources: 9, endpoints: expect.any(Number), suppressed: 0 });
    expect(run.outputs?.summary.endpoints).toBeGreaterThan(0);

    const counts = Object.fromEntries(
      [
        "azurestack:getRegistration",
        "network:getAzureFirewall",
        "network:getFirewallPolicy",
        "network:getFirewallPolicyRuleCollectionGroup",
        "network:getNetworkSecurityGroup",
        "network:getRouteTable",
      ].map((t) => [t, run.fake.callsTo(`azure-native:${t}`).length]),
    );
    expect(counts).toEqual({
      "azurestack:getRegistration": 1,
      "network:getAzureFirewall": 1,
      // the firewall's policy, then its basePolicy (the root)
      "network:getFirewallPolicy": 2,
      // every group of both policies
      "network:getFirewallPolicyRuleCollectionGroup": 3,
      "network:getNetworkSecurityGroup": 1,
      "network:getRouteTable": 1,
    });
    expect(run.fake.callsTo("azure-native:network:getFirewallPolicyRuleCollectionGroup").map((c) => c.inputs)).toEqual(
      expect.arrayContaining([
        { resourceGroupName: NET_RG, firewallPolicyName: "stamp-egress", ruleCollectionGroupName: "bridge-egress" },
        { resourceGroupName: NET_RG, firewallPolicyName: "org-baseline", ruleCollectionGroupName: "org-network" },
        { resourceGroupName: NET_RG, firewallPolicyName: "org-baseline", ruleCollectionGroupName: "org-deny" },
      ]),
    );
    expect(run.fake.served).toHaveLength(healthyBodies().length);
    expectAuditAgrees(run);
  });

  it("exports the allow-list from the catalog and the configured time and DNS servers", async () => {
    const run = await scenario({ bodies: healthyBodies() });
    const allowList = run.outputs?.allowList ?? [];
    const usage = allowList.find((e) => e.purpose === "usage");
    expect(usage).toEqual({ host: "*.trafficmanager.net", purpose: "usage", ports: [{ port: 443, protocol: "https" }], code: "NetworkError", severity: "error" });
    expect(allowList.find((e) => e.host === "login.microsoftonline.com")?.ports).toEqual([
      { port: 80, protocol: "http" },
      { port: 443, protocol: "https" },
    ]);
    expect(allowList).toContainEqual({ host: "10.0.0.10", purpose: "time", ports: [{ port: 123, protocol: "udp" }], code: "Unauthorized", severity: "error" });
    expect(allowList.find((e) => e.purpose === "dns")?.ports).toEqual([
      { port: 53, protocol: "udp" },
      { port: 53, protocol: "tcp" },
    ]);
  });

  it("looks the registration up through a provider for registration.subscriptionId, the egress through the default one", async () => {
    const run = await scenario({ bodies: healthyBodies() });
    const providers = run.fake.resources.filter((r) => r.type === "pulumi:providers:azure-native");
    expect(providers).toHaveLength(1);
    expect(providers[0]).toMatchObject({ name: "bridgeguard-registration", inputs: { subscriptionId: REG_SUB, environment: "public" } });
    const [registrationCall] = run.fake.callsTo("azure-native:azurestack:getRegistration");
    expect(registrationCall?.inputs).toEqual({ resourceGroup: "azurestack", registrationName: `AzureStack-${CLOUD_ID}` });
    expect(registrationCall?.provider).toMatch(/::pulumi:providers:azure-native::bridgeguard-registration::/);
    for (const call of run.fake.callsTo("azure-native:network:getAzureFirewall")) expect(call.provider ?? "").not.toMatch(/bridgeguard-registration/);
  });

  it("uses the default provider when azure-native:subscriptionId already is the registration's subscription", async () => {
    const config = { ...healthyConfig(), egress: { sourceAddresses: ["203.0.113.0/27"] } };
    const run = await scenario({ bodies: healthyBodies(), config, defaultSubscription: REG_SUB, extraConfig: { "azure-native:subscriptionId": REG_SUB } });
    expect(run.error).toBeUndefined();
    expect(run.fake.resources.filter((r) => r.type === "pulumi:providers:azure-native")).toEqual([]);
    expect(run.fake.callsTo("azure-native:azurestack:getRegistration")).toHaveLength(1);
  });

  it("targets the configured cloud's environment and passes the default provider's settings on", async () => {
    const config = { ...healthyConfig(), cloud: "AzureUSGovernment", egress: { sourceAddresses: ["203.0.113.0/27"] } };
    const run = await scenario({
      bodies: healthyBodies(),
      config,
      extraConfig: { "azure-native:tenantId": "72f988bf-86f1-41af-91ab-2d7cd011db47", "azure-native:useOidc": "true" },
    });
    const provider = run.fake.resources.find((r) => r.type === "pulumi:providers:azure-native");
    expect(provider?.inputs).toMatchObject({ subscriptionId: REG_SUB, environment: "usgovernment", tenantId: "72f988bf-86f1-41af-91ab-2d7cd011db47", useOidc: "true" });
  });

  it("passes in a preview too (invokes run during preview)", async () => {
    const run = await scenario({ bodies: healthyBodies(), preview: true });
    expect(run.error).toBeUndefined();
    expect(run.outputs?.findings).toEqual([]);
  });
});

describe("verification program: broken setups fail the update", () => {
  it("no registration: the invoke fails with ResourceNotFound, BG101 Unauthorized, re-register", async () => {
    const run = await scenario({ bodies: healthyWith({ [IDS.registration]: null }) });
    const error = expectFails(run);
    expect(findingKeys(run.findings)).toEqual([`Unauthorized BG101 error ${IDS.registration}`]);
    expect(run.findings[0]?.remediation).toMatch(/Re-register the stamp/);
    // The text report wraps its headlines at 80 columns: read it as one line.
    expect(error.message.replace(/\s+/g, " ")).toMatch(/error Unauthorized BG101 registration-missing: no registration resource in subscription 8f3c2a51/);
    expect(error.message).toContain(IDS.registration);
    expect(error.message).toMatch(/fix:\s+Re-register the stamp/);
    // a not-found registration is a finding, not a failed lookup
    expect(error.message).not.toMatch(/could not look up/);
    expectAuditAgrees(run);
  });

  it("registration in the wrong resource group: BG102", async () => {
    const movedId = IDS.registration.replace("/resourceGroups/azurestack/", "/resourceGroups/azurestack-old/");
    const run = await scenario({ bodies: healthyBodies(), answers: { [IDS.registration]: registrationBody({ id: movedId }) } });
    const error = expectFails(run);
    expect(findingKeys(run.findings)).toEqual([`Unauthorized BG102 error ${movedId}`]);
    expect(error.message.replace(/\s+/g, " ")).toMatch(/BG102 registration-misplaced: registration is in subscription .*resource group azurestack-old/);
    expectAuditAgrees(run);
  });

  it("cloudId and objectId mismatch: BG103 for each", async () => {
    const body = registrationBody({ properties: { cloudId: OTHER_GUID, objectId: "9e9704ab-561a-4498-ac60-64b2314456ee" } });
    const run = await scenario({ bodies: healthyWith({ [IDS.registration]: body }) });
    const error = expectFails(run);
    expect(findingKeys(run.findings)).toEqual([`Unauthorized BG103 error ${IDS.registration}`, `Unauthorized BG103 error ${IDS.registration}`]);
    expect(run.findings.map((f) => f.message).sort()).toEqual([`cloudId is ${OTHER_GUID}, expected ${CLOUD_ID}`, `objectId is 9e9704ab-561a-4498-ac60-64b2314456ee, expected ${OBJECT_ID}`]);
    expect(error.message).toMatch(/BG103 registration-identity-mismatch: cloudId is/);
    expectAuditAgrees(run);
  });

  it("a firewall rule that denies Azure AD login: BG301 LoginError on the firewall", async () => {
    const deny = filterCollection({
      name: "deny-consumer-logins",
      priority: 100,
      action: "Deny",
      rules: [applicationRule("deny-aad-login", ["login.microsoftonline.com"], [{ protocolType: "Https", port: 443 }, { protocolType: "Http", port: 80 }])],
    });
    const run = await scenario({ bodies: healthyWith({ [IDS.bridgeGroup]: bridgeGroupBody([deny]) }) });
    const error = expectFails(run);
    expect(findingKeys(run.findings)).toEqual([
      // on the group whose rule decides, where the fix goes: one cause, both ports
      `LoginError BG301 error ${IDS.bridgeGroup} login.microsoftonline.com:80 login.microsoftonline.com:443`,
    ]);
    expect(run.findings[0]?.evidence.join("\n")).toMatch(/deny-consumer-logins/);
    expect(error.message).toMatch(/error LoginError BG301 login-endpoint-blocked/);
    expectAuditAgrees(run);
  });

  it("TLS inspection on the usage endpoint: BG501 CertificateValidationError", async () => {
    const inspecting = bridgeGroupBody([], (host, rule) => (host === "*.trafficmanager.net" ? { ...rule, terminateTLS: true } : rule));
    const run = await scenario({ bodies: healthyWith({ [IDS.bridgeGroup]: inspecting }) });
    const error = expectFails(run);
    expect(findingKeys(run.findings)).toEqual([`CertificateValidationError BG501 error ${IDS.bridgeGroup} *.trafficmanager.net:443`]);
    expect(error.message).toMatch(/CertificateValidationError BG501/);
    expectAuditAgrees(run);
  });

  it("a parent policy that denies what the child allows: BG201 NetworkError", async () => {
    const run = await scenario({ bodies: healthyWith({ [IDS.baseDenyGroup]: baseDenyGroupBody(["*.trafficmanager.net"]) }) });
    const error = expectFails(run);
    expect(findingKeys(run.findings)).toEqual([`NetworkError BG201 error ${IDS.baseDenyGroup} *.trafficmanager.net:443`]);
    expect(run.findings[0]?.evidence.join("\n")).toMatch(/deny-unsanctioned/);
    expect(error.message).toMatch(/NetworkError BG201 usage-endpoint-blocked/);
    expectAuditAgrees(run);
  });

  it("forced tunnelling to an appliance that is not a looked-up firewall: a BG401 warning, the update passes", async () => {
    const run = await scenario({ bodies: healthyWith({ [IDS.routeTable]: routeTableBody({ nextHopType: "VirtualAppliance", nextHopIpAddress: "10.50.0.4" }) }) });
    expect(run.error).toBeUndefined();
    // The code follows the diverted flows: identity a LoginError, usage and ARM a RequestTimedOut.
    expect(findingKeys(run.findings).map((k) => k.split(" ").slice(0, 4).join(" ")).sort()).toEqual([`LoginError BG401 warning ${IDS.routeTable}`, `RequestTimedOut BG401 warning ${IDS.routeTable}`]);
    expect(run.outputs?.summary).toMatchObject({ errors: 0, warnings: 2 });
    expect(run.findings[0]?.message).toMatch(/appliance 10\.50\.0\.4/);
    // warnings do not fail the update: they are logged once, in the CLI's words, and exported
    expect(run.warnings).toHaveLength(1);
    expect(run.warnings[0]).toMatch(/usage reporting may break \(0 errors, 2 warnings/);
    expect(run.warnings[0]).toMatch(/warning RequestTimedOut BG401 forced-tunnel-unverifiable/);
    expectAuditAgrees(run);
  });
});

describe("verification program: lookups that fail", () => {
  it("a lookup refused (AuthorizationFailed) fails the update naming the lookup, without any token", async () => {
    const token = "eyJ0eXAiOiJKV1QiLCJhbGciOiJSUzI1NiJ9.eyJhdWQiOiJodHRwczovL21hbmFnZW1lbnQuYXp1cmUuY29tIn0.c2lnbmF0dXJlLWNhbmFyeQ";
    const refused = invokeError(
      "azure-native:network:getNetworkSecurityGroup",
      IDS.nsg,
      403,
      "AuthorizationFailed",
      `The client 'c0ffee00-1234-4abc-9def-0123456789ab' with object id 'c0ffee00-1234-4abc-9def-0123456789ab' does not have authorization to perform action 'Microsoft.Network/networkSecurityGroups/read' over scope '${IDS.nsg}' or the scope is invalid. If access was recently granted, please refresh your credentials.`,
    );
    refused.message += `\nAuthorization: Bearer ${token}`;
    (refused as Error & { details: string }).details = refused.message;
    const run = await scenario({ bodies: healthyBodies(), answers: { [IDS.nsg]: refused } });
    const error = expectFails(run);
    expect(error.message).toMatch(
      /getNetworkSecurityGroup hub-network\/stamp-vip-nsg \(bridgeguard:egress\.networkSecurityGroups\[0\]\): AuthorizationFailed: The client .* does not have authorization .*; grant the identity Pulumi runs as the Reader role/,
    );
    expect(error.message).not.toContain(token);
    expect(error.message).not.toContain("eyJ");
    // what could be looked up was still checked
    expect(run.findings).toEqual([]);
    expect(run.error?.verification?.failures).toHaveLength(1);
  });

  it("a rule collection group that cannot be read makes its policy's verdicts undetermined, not denied", async () => {
    const refused = invokeError("azure-native:network:getFirewallPolicyRuleCollectionGroup", IDS.bridgeGroup, 403, "AuthorizationFailed", "The client does not have authorization to perform action 'Microsoft.Network/firewallPolicies/ruleCollectionGroups/read'.");
    const run = await scenario({ bodies: healthyBodies(), answers: { [IDS.bridgeGroup]: refused } });
    const error = expectFails(run);
    expect(error.message).toMatch(/getFirewallPolicyRuleCollectionGroup hub-network\/stamp-egress\/bridge-egress \(ruleCollectionGroups of getFirewallPolicy hub-network\/stamp-egress\): AuthorizationFailed/);
    // without its rules the firewall would deny everything by default: that must not be reported as fact
    expect(run.findings.filter((f) => f.severity === "error")).toEqual([]);
    expect(run.findings.some((f) => f.evidence.join(" ").includes("bridge-egress.ruleCollections"))).toBe(true);
  });

  it("a throttled registration lookup is a failed lookup, not a missing registration", async () => {
    const throttled = invokeError("azure-native:azurestack:getRegistration", IDS.registration, 429, "TooManyRequests", "Number of 'read' requests for subscription actor exceeded. Please try again after '17' seconds.");
    const run = await scenario({ bodies: healthyBodies(), answers: { [IDS.registration]: throttled } });
    const error = expectFails(run);
    expect(error.message).toMatch(/getRegistration azurestack\/AzureStack-5f1c9a7e-3b2d-4e8f-a6c0-9d7e1b2a4c68 \(bridgeguard:registration\): TooManyRequests: .*; Azure throttled the request/);
    expect(run.findings.map((f) => f.rule.id)).not.toContain("BG101");
  });

  it("a configured egress resource that does not exist fails the update naming the config key", async () => {
    const config = healthyConfig();
    (config.egress as Record<string, unknown>).firewalls = [`${NET_RG}/hub-fw-typo`];
    const run = await scenario({ bodies: healthyBodies(), config });
    const error = expectFails(run);
    expect(error.message).toMatch(/getAzureFirewall hub-network\/hub-fw-typo \(bridgeguard:egress\.firewalls\[0\]\): ResourceNotFound: .*; no such resource: check the resource group and name in bridgeguard:egress\.firewalls\[0\]/);
  });

  it("a basePolicy chain that loops is looked up once per policy and reported as undetermined", async () => {
    const looping: ArmBody = basePolicyBody({ basePolicy: { id: IDS.childPolicy } });
    const run = await scenario({ bodies: healthyWith({ [IDS.basePolicy]: looping }) });
    expect(run.fake.callsTo("azure-native:network:getFirewallPolicy")).toHaveLength(2);
    expect(run.findings.length).toBeGreaterThan(0);
    expect(run.findings.every((f) => f.severity === "warning")).toBe(true);
    expect(run.findings.some((f) => f.evidence.join(" ").includes("loops"))).toBe(true);
    expect(run.error).toBeUndefined();
    expectAuditAgrees(run);
  });

  it("a policy configured directly and reached through the firewall is looked up once", async () => {
    const config = healthyConfig();
    (config.egress as Record<string, unknown>).firewallPolicies = [`${NET_RG}/stamp-egress`, `${NET_RG.toUpperCase()}/Stamp-Egress`];
    const run = await scenario({ bodies: healthyBodies(), config });
    expect(run.error).toBeUndefined();
    expect(run.fake.callsTo("azure-native:network:getFirewallPolicy")).toHaveLength(2);
  });

  it("without a registration expectation, only the egress is looked up", async () => {
    const { registration: _registration, ...config } = healthyConfig();
    const run = await scenario({ bodies: healthyBodies(), config });
    expect(run.error).toBeUndefined();
    expect(run.fake.callsTo("azure-native:azurestack:getRegistration")).toEqual([]);
    expect(run.fake.resources).toEqual([]);
    expect(run.outputs?.summary.resources).toBe(8);
  });
});

describe("verification program: the registration by name or by cloud id", () => {
  /** The healthy config with the registration expectation's `name` left out. */
  function byCloudId(): Record<string, unknown> {
    const config = healthyConfig();
    const { name: _name, ...registration } = config.registration as Record<string, unknown>;
    return { ...config, registration };
  }

  it("with only cloudId, looks up AzureStack-<CloudId> and finds the healthy registration", async () => {
    const config = byCloudId();
    const run = await scenario({ bodies: healthyBodies(), config });
    expect(run.error).toBeUndefined();
    expect(run.fake.callsTo("azure-native:azurestack:getRegistration").map((c) => c.inputs)).toEqual([{ resourceGroup: "azurestack", registrationName: `AzureStack-${CLOUD_ID}` }]);
    expect(run.outputs?.findings).toEqual([]);
    expect(run.outputs?.summary.resources).toBe(9);
    expectAuditAgrees(run, config);
  });

  it("with only cloudId and no such registration: BG101 against the ARM id AzureStack-<CloudId> would have", async () => {
    const run = await scenario({ bodies: healthyWith({ [IDS.registration]: null }), config: byCloudId() });
    const error = expectFails(run);
    expect(findingKeys(run.findings)).toEqual([`Unauthorized BG101 error ${IDS.registration}`]);
    expect(run.findings[0]?.message).toBe(`no registration resource in subscription ${REG_SUB}, resource group azurestack, name AzureStack-${CLOUD_ID}`);
    expect(error.message).toContain(IDS.registration);
    // the same as the audit told the name registration derives from the cloud id
    expectAuditAgrees(run, healthyConfig());
  });

  it("a name that is given wins over the one the cloud id implies", async () => {
    const config = healthyConfig();
    (config.registration as Record<string, unknown>).name = "stamp-registration";
    const run = await scenario({ bodies: healthyBodies(), config });
    expectFails(run);
    expect(run.fake.callsTo("azure-native:azurestack:getRegistration").map((c) => c.inputs)).toEqual([{ resourceGroup: "azurestack", registrationName: "stamp-registration" }]);
    expect(findingKeys(run.findings)).toEqual([`Unauthorized BG101 error ${IDS.registration.replace(`AzureStack-${CLOUD_ID}`, "stamp-registration")}`]);
  });

  it("the program's config carries the derived name, so the rules check the registration that was looked up", async () => {
    const { parseProgramConfig, expectedRegistrationName } = await import("../../src/program/config");
    const config = parseProgramConfig(byCloudId());
    expect(config.registration).toMatchObject({ subscriptionId: REG_SUB, resourceGroup: "azurestack", cloudId: CLOUD_ID, name: `AzureStack-${CLOUD_ID}` });
    expect(expectedRegistrationName({ cloudId: CLOUD_ID })).toBe(`AzureStack-${CLOUD_ID}`);
    expect(expectedRegistrationName({ name: "x", cloudId: CLOUD_ID })).toBe("x");
    expect(expectedRegistrationName({})).toBeUndefined();
  });
});
