/**
 * The program reads `suppressions` and `failOn` from its `bridgeguard:` config the way `bridgeguard audit`
 * reads them from `bridgeguard.yaml`: a suppressed finding is reported (with its justification) but does
 * not fail the update, an expired suppression stops suppressing and says so, a stale one is a warning,
 * and `failOn` decides which active findings fail the update. Each scenario is also audited as ARM JSON
 * with the same config, and the two must agree.
 */
import * as pulumi from "@pulumi/pulumi";
import { beforeEach, describe, expect, it, vi } from "vitest";
import {
  applicationRule,
  bridgeGroupBody,
  filterCollection,
  healthyBodies,
  healthyConfig,
  healthyWith,
  IDS,
  invokeError,
  routeTableBody,
} from "./arm";
import { auditArm, findingKeys, runProgram, runVerify, withoutEvidence, type ProgramRun } from "./harness";

beforeEach(() => {
  vi.resetModules();
});

const JUSTIFICATION = "Registration is re-created by the stamp rebuild on Friday (CHG-4711, J. Doe)";

function withConfig(extra: Record<string, unknown>): Record<string, unknown> {
  return { ...healthyConfig(), ...extra };
}

/** No registration: one BG101 error on the ARM id the registration should have. */
const NO_REGISTRATION = () => healthyWith({ [IDS.registration]: null });

/** A firewall rule that denies Azure AD login: two BG301 errors on the group `bridge-egress`. */
function loginDenied() {
  const deny = filterCollection({
    name: "deny-consumer-logins",
    priority: 100,
    action: "Deny",
    rules: [applicationRule("deny-aad-login", ["login.microsoftonline.com"], [{ protocolType: "Https", port: 443 }, { protocolType: "Http", port: 80 }])],
  });
  return healthyWith({ [IDS.bridgeGroup]: bridgeGroupBody([deny]) });
}

/** Forced tunnelling to an unknown appliance: BG401 warnings (RequestTimedOut for usage and ARM, LoginError for identity). */
const TUNNELLED = () => healthyWith({ [IDS.routeTable]: routeTableBody({ nextHopType: "VirtualAppliance", nextHopIpAddress: "10.50.0.4" }) });

/** A notice without where it was written: the program says `Pulumi config`, the audit the file. */
function noticeBodies(notices: readonly { kind: string; level: string; message: string }[] | undefined): string[] {
  return (notices ?? []).map((n) => `${n.level} ${n.kind} ${n.message.replace(/^(Pulumi config|bridgeguard\.yaml): /, "")}`);
}

/** The program's findings, summary and notices equal the audit's for the same resources and config. */
function expectAuditAgrees(run: ProgramRun, config: Record<string, unknown>): void {
  const audit = auditArm(run.fake.served, config);
  expect(findingKeys(run.findings)).toEqual(findingKeys(audit.findings));
  expect(withoutEvidence(run.findings)).toEqual(withoutEvidence(audit.findings));
  expect(run.outputs?.summary ?? run.report?.summary).toEqual(audit.summary);
  expect(noticeBodies(run.outputs?.notices ?? run.report?.notices)).toEqual(noticeBodies(audit.notices));
}

function expectFails(run: ProgramRun): Error & { verification?: { failOn: string } } {
  expect(run.outputs).toBeUndefined();
  expect(pulumi.RunError.isInstance(run.error)).toBe(true);
  return run.error as Error & { verification?: { failOn: string } };
}


/** The text report wraps at 80 columns; a wrapped line read back as the one line it was. */
const flat = (text: string): string => text.replace(/\s*\n\s*/g, " ");

describe("verification program: suppressions", () => {
  it("a suppressed error is reported with its justification and does not fail the update", async () => {
    const config = withConfig({ suppressions: [{ rule: "BG101", resource: IDS.registration, justification: JUSTIFICATION }] });
    const run = await runProgram({ bodies: NO_REGISTRATION(), config });
    expect(run.error).toBeUndefined();
    expect(findingKeys(run.findings)).toEqual([`Unauthorized BG101 error ${IDS.registration}`]);
    expect(run.findings[0]?.suppression).toEqual({ justification: JUSTIFICATION });
    expect(run.outputs?.summary).toMatchObject({ errors: 0, warnings: 0, suppressed: 1 });
    expect(run.outputs?.notices).toEqual([]);
    // visible in the update's diagnostics, in the audit's words, as information (nothing needs doing)
    expect(run.warnings).toEqual([]);
    expect(run.infos).toHaveLength(1);
    expect(run.infos[0]).toMatch(/only suppressed findings \(0 errors, 0 warnings, 1 suppressed, 8 resources checked/);
    expect(flat(run.infos[0]!)).toMatch(/suppressed error Unauthorized BG101 registration-missing: no registration resource/);
    expect(run.infos[0]).toMatch(/because:\s+Registration is re-created by the stamp rebuild on Friday/);
    expectAuditAgrees(run, config);
  });

  it("builds its outputs once: one pipeline run, suppressions applied once, the JSON contract shaped once", async () => {
    // Spies on the modules the program imports (loaded afresh after vi.resetModules, before the program).
    const pipeline = await import("../../src/engine/pipeline");
    const suppressions = await import("../../src/engine/suppressions");
    const json = await import("../../src/report/json");
    const run$ = vi.spyOn(pipeline, "runPipeline");
    const apply = vi.spyOn(suppressions, "applySuppressions");
    const shape = vi.spyOn(json, "toJsonReport");
    const config = withConfig({ suppressions: [{ rule: "BG101", resource: IDS.registration, justification: JUSTIFICATION }] });
    const run = await runProgram({ bodies: NO_REGISTRATION(), config });
    expect(run.error).toBeUndefined();
    expect(run$).toHaveBeenCalledTimes(1);
    expect(apply).toHaveBeenCalledTimes(1);
    expect(shape).toHaveBeenCalledTimes(1);
    // The outputs are that one report's parts, not a copy rebuilt from it.
    const built = shape.mock.results[0]!.value as ReturnType<typeof json.toJsonReport>;
    expect(run.outputs!.findings).toBe(built.findings);
    expect(run.outputs!.summary).toBe(built.summary);
    expect(built.summary).toMatchObject({ errors: 0, suppressed: 1 });
    expectAuditAgrees(run, config);
  });

  it("matches by rule slug and a glob over the resource name, as the audit does", async () => {
    const config = withConfig({ suppressions: [{ rule: "login-endpoint-blocked", resource: "bridge-*", justification: "CHG-1, proxy handles login", expires: "2999-01-01" }] });
    const run = await runProgram({ bodies: loginDenied(), config });
    expect(run.error).toBeUndefined();
    expect(run.findings.map((f) => `${f.rule.id} ${f.suppression?.justification} ${f.suppression?.expires}`)).toEqual([
      "BG301 CHG-1, proxy handles login 2999-01-01",
    ]);
    expect(run.outputs?.summary).toMatchObject({ errors: 0, warnings: 0, suppressed: 1 });
    expect(run.infos[0]).toMatch(/because:\s+CHG-1, proxy handles login \(suppression expires 2999-01-01\)/);
    expectAuditAgrees(run, config);
  });

  it("a suppression that does not match the finding's resource leaves it failing, and is stale", async () => {
    const config = withConfig({ suppressions: [{ rule: "BG301", resource: "hub-fw", justification: "wrong resource" }] });
    const run = await runProgram({ bodies: loginDenied(), config });
    const error = expectFails(run);
    expect(run.findings.every((f) => f.suppression === undefined)).toBe(true);
    expect(error.message).toMatch(/^bridgeguard: the live setup would break usage reporting:/m);
    expect(flat(error.message)).toContain('warning: Pulumi config: suppressions[0] (rule BG301, resource "hub-fw") matches no finding (stale): remove it, or correct its rule or resource');
    expectAuditAgrees(run, config);
  });

  it("an expired suppression stops suppressing, and the failure says so", async () => {
    const config = withConfig({ suppressions: [{ rule: "BG101", resource: "AzureStack-*", justification: JUSTIFICATION, expires: "2020-01-01" }] });
    const run = await runProgram({ bodies: NO_REGISTRATION(), config });
    const error = expectFails(run);
    expect(run.findings[0]?.suppression).toBeUndefined();
    expect(run.report?.summary).toMatchObject({ errors: 1, suppressed: 0 });
    const expired = 'Pulumi config: suppressions[0] (rule BG101, resource "AzureStack-*") expired on 2020-01-01: the finding it matched is no longer suppressed';
    expect(run.report?.notices).toEqual([{ level: "warning", kind: "suppression-expired", message: expired }]);
    expect(error.message).toMatch(/^ {2}error Unauthorized BG101 registration-missing/m);
    expect(flat(error.message)).toContain(`warning: ${expired}`);
    expect(error.message).toMatch(/1 error, 0 warnings, 8 resources checked/);
    expectAuditAgrees(run, config);
  });

  it("expires is the first day the suppression no longer applies (UTC), as in the audit", async () => {
    const suppressions = [{ rule: "BG101", resource: IDS.registration, justification: JUSTIFICATION, expires: "2026-03-01" }];
    const before = await runVerify({ bodies: NO_REGISTRATION(), config: withConfig({ suppressions }) }, { today: "2026-02-28" });
    expect(before.verification.failure).toBeUndefined();
    expect(before.verification.report.findings[0]?.suppression).toEqual({ justification: JUSTIFICATION, expires: "2026-03-01" });
    expect(auditArm(before.fake.served, withConfig({ suppressions }), "2026-02-28").summary).toEqual(before.verification.report.summary);

    vi.resetModules();
    const on = await runVerify({ bodies: NO_REGISTRATION(), config: withConfig({ suppressions }) }, { today: "2026-03-01" });
    expect(on.verification.failure).toMatch(/expired on 2026-03-01: the finding it matched is no longer suppressed/);
    expect(on.verification.report.summary).toMatchObject({ errors: 1, suppressed: 0 });
    expect(auditArm(on.fake.served, withConfig({ suppressions }), "2026-03-01").summary).toEqual(on.verification.report.summary);
  });

  it("a stale suppression on a healthy setup is a warning, and the update goes on", async () => {
    const config = withConfig({ suppressions: [{ rule: "NetworkError", resource: "old-fw", justification: "retired" }] });
    const run = await runProgram({ bodies: healthyBodies(), config });
    expect(run.error).toBeUndefined();
    const stale = 'Pulumi config: suppressions[0] (rule NetworkError, resource "old-fw") matches no finding (stale): remove it, or correct its rule or resource';
    expect(run.outputs?.notices).toEqual([{ level: "warning", kind: "suppression-stale", message: stale }]);
    expect(run.outputs?.summary).toMatchObject({ errors: 0, warnings: 0, suppressed: 0 });
    expect(run.warnings).toHaveLength(1);
    expect(run.warnings[0]).toMatch(/suppressions need attention/);
    expect(flat(run.warnings[0]!)).toContain(`warning: ${stale}`);
    expectAuditAgrees(run, config);
  });

  it("stale suppressions are not reported when a lookup failed: their findings may be in what could not be looked up", async () => {
    const refused = invokeError("azure-native:network:getRouteTable", IDS.routeTable, 403, "AuthorizationFailed", "The client does not have authorization to perform action 'Microsoft.Network/routeTables/read'.");
    const config = withConfig({ suppressions: [{ rule: "BG401", resource: "stamp-vip-rt", justification: "appliance is the firewall's twin" }] });
    const run = await runProgram({ bodies: healthyBodies(), answers: { [IDS.routeTable]: refused }, config });
    const error = expectFails(run);
    expect(error.message).toMatch(/getRouteTable hub-network\/stamp-vip-rt \(bridgeguard:egress\.routeTables\[0\]\): AuthorizationFailed/);
    expect(error.message).not.toMatch(/stale/);
    expect(run.report?.notices).toEqual([]);
  });

  it("without suppressions, the outputs count none suppressed (as the audit's summary does) and carry no notices", async () => {
    const run = await runProgram({ bodies: healthyBodies() });
    expect(run.outputs?.summary.suppressed).toBe(0);
    expect(run.outputs?.notices).toEqual([]);
    expect(run.infos).toEqual([]);
    expect(run.warnings).toEqual([]);
  });
});

describe("verification program: failOn", () => {
  it("failOn: warning fails the update on a warning, and says why", async () => {
    const config = withConfig({ failOn: "warning" });
    const run = await runProgram({ bodies: TUNNELLED(), config });
    const error = expectFails(run);
    expect(findingKeys(run.findings).map((k) => k.split(" ").slice(0, 4).join(" ")).sort()).toEqual([`LoginError BG401 warning ${IDS.routeTable}`, `RequestTimedOut BG401 warning ${IDS.routeTable}`]);
    expect(error.message).toMatch(/^bridgeguard: the live setup may break usage reporting, and bridgeguard:failOn is warning:/m);
    expect(error.message).toMatch(/warning RequestTimedOut BG401 forced-tunnel-unverifiable/);
    expect(error.verification?.failOn).toBe("warning");
    expectAuditAgrees(run, config);
  });

  it("failOn: warning does not fail on a suppressed warning", async () => {
    const config = withConfig({ failOn: "warning", suppressions: [{ rule: "BG401", resource: "stamp-vip-rt", justification: "the appliance is the firewall's twin" }] });
    const run = await runProgram({ bodies: TUNNELLED(), config });
    expect(run.error).toBeUndefined();
    // The suppression names the rule and the route table: both of BG401's causes (LoginError, RequestTimedOut).
    expect(run.outputs?.summary).toMatchObject({ errors: 0, warnings: 0, suppressed: 2 });
    expectAuditAgrees(run, config);
  });

  it("failOn: error (the default) lets warnings through", async () => {
    const run = await runProgram({ bodies: TUNNELLED(), config: withConfig({ failOn: "error" }) });
    expect(run.error).toBeUndefined();
    expect(run.warnings[0]).toMatch(/usage reporting may break \(0 errors, 2 warnings/);
  });

  it("failOn: none reports errors without failing the update", async () => {
    const config = withConfig({ failOn: "none" });
    const run = await runProgram({ bodies: NO_REGISTRATION(), config });
    expect(run.error).toBeUndefined();
    expect(findingKeys(run.outputs?.findings ?? [])).toEqual([`Unauthorized BG101 error ${IDS.registration}`]);
    expect(run.outputs?.summary).toMatchObject({ errors: 1, warnings: 0 });
    expect(run.warnings).toHaveLength(1);
    expect(run.warnings[0]).toMatch(/the live setup would break usage reporting \(1 error, 0 warnings, .*\); bridgeguard:failOn is none, so the update goes on/);
    expect(run.warnings[0]).toMatch(/error Unauthorized BG101 registration-missing/);
    expectAuditAgrees(run, config);
  });

  it("failOn: none still fails on a lookup that failed: the program cannot vouch for what it could not see", async () => {
    const refused = invokeError("azure-native:network:getNetworkSecurityGroup", IDS.nsg, 403, "AuthorizationFailed", "The client does not have authorization to perform action 'Microsoft.Network/networkSecurityGroups/read'.");
    const run = await runProgram({ bodies: healthyBodies(), answers: { [IDS.nsg]: refused }, config: withConfig({ failOn: "none" }) });
    const error = expectFails(run);
    expect(error.message).toMatch(/could not look up 1 resource/);
  });
});
