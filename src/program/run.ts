/**
 * The verification program: read the `bridgeguard:` config, look the live registration and egress up,
 * run the engine's rules over what was found, and either export the findings or fail the update.
 *
 * `verify` is the orchestration, returning everything a test (or another caller) needs to assert on;
 * `program` is what `pulumi up` runs (see index.ts). Failing is deliberate and observable: `program`
 * rejects with a `pulumi.RunError`, which the Pulumi runtime prints without a stack trace and turns into
 * a failed update; under mocks the caller awaits the rejection. Nothing is thrown inside an `apply`.
 */
import * as pulumi from "@pulumi/pulumi";
import type { ErrorCode } from "../catalog/codes";
import type { EndpointPurpose } from "../catalog/endpoints";
import type { BridgeguardConfig } from "../config/types";
import { bridgeFlows } from "../engine/flows";
import { auditResourceSet } from "../engine/run";
import { isUserError } from "../model/errors";
import type { Finding, FindingEndpoint, Report, ReportSummary, Severity } from "../model/finding";
import type { Resource, ResourceSet } from "../model/resource";
import { summaryLine } from "../report/common";
import { toJsonReport } from "../report/json";
import { renderText } from "../report/text";
import { ALL_RULES } from "../rules";
import { registrationMissing } from "../rules/BG101-registration-missing";
import { readProgramConfig } from "./config";
import { redact } from "./errors";
import { describeTarget, LOOKUP_FUNCTION, lookUpAll, registrationProvider, type LookupFailure } from "./lookups";
import { normalizeLookup, sortLookups, toResourceSet, unknownRuleCollectionGroup } from "./normalize";

/** One destination the egress must allow from `egress.sourceAddresses`, with what its loss causes. */
export interface AllowListEntry {
  host: string;
  purpose: EndpointPurpose;
  ports: Pick<FindingEndpoint, "port" | "protocol">[];
  code: ErrorCode;
  severity: Severity;
}

/** The stack outputs. */
export interface ProgramOutputs {
  /** The JSON report's findings (the documented contract, stable order). */
  findings: Finding[];
  summary: ReportSummary;
  allowList: AllowListEntry[];
}

export interface Verification {
  config: BridgeguardConfig;
  /** What the rules read: the looked-up resources, normalized. */
  resources: ResourceSet;
  /** The JSON report of the rules over `resources`. */
  report: Report;
  allowList: AllowListEntry[];
  /** Lookups that failed for another reason than "the registration does not exist". */
  failures: LookupFailure[];
  /** Set when the update must fail: error findings remain, or a lookup failed. */
  failure?: string;
}

/** The endpoints the egress must allow for the configured cloud, time and DNS servers: the engine's flows, by host. */
export function allowListOf(config: BridgeguardConfig): AllowListEntry[] {
  const entries = new Map<string, AllowListEntry>();
  for (const { endpoint, code, severity } of bridgeFlows(config)) {
    const key = `${endpoint.purpose}|${endpoint.host.toLowerCase()}`;
    const entry = entries.get(key);
    const port = { port: endpoint.port, protocol: endpoint.protocol };
    if (!entry) entries.set(key, { host: endpoint.host, purpose: endpoint.purpose, ports: [port], code, severity });
    else if (!entry.ports.some((p) => p.port === port.port && p.protocol === port.protocol)) entry.ports.push(port);
  }
  return [...entries.values()];
}

/** What to do about a failed lookup, after Azure's own words. */
function hint(failure: LookupFailure): string {
  if (failure.notFound) {
    return failure.via.startsWith("bridgeguard:")
      ? `no such resource: check the resource group and name in ${failure.via}`
      : `the reference (${failure.via}) leads to no resource the program can see`;
  }
  if (/AuthorizationFailed|Forbidden|\b403\b/i.test(failure.reason)) {
    return "grant the identity Pulumi runs as the Reader role on this resource (or its resource group)";
  }
  if (/TooManyRequests|throttl|\b429\b/i.test(failure.reason)) return "Azure throttled the request: run the update again later";
  return "";
}

/** `getAzureFirewall hub-network/hub-fw (bridgeguard:egress.firewalls[0]): AuthorizationFailed: ...; grant ...`. */
export function describeFailure(failure: LookupFailure): string {
  const advice = hint(failure);
  const reason = failure.reason.replace(/[.\s]+$/, "");
  return `${failure.lookup} ${failure.target} (${failure.via}): ${failure.notFound && !/notfound/i.test(reason) ? `not found, ${reason}` : reason}${advice ? `; ${advice}` : ""}`;
}

/** The one message an update fails with: failed lookups, then every finding as the CLI's text report prints it. */
export function failureMessage(report: Report, failures: readonly LookupFailure[]): string | undefined {
  const errors = report.summary.errors;
  if (errors === 0 && failures.length === 0) return undefined;
  const parts: string[] = [];
  if (failures.length > 0) {
    parts.push(
      `bridgeguard could not look up ${failures.length === 1 ? "1 resource" : `${failures.length} resources`} it was asked to check, so it cannot vouch for the setup:`,
      ...failures.map((f) => `  ${describeFailure(f)}`),
      "",
    );
  }
  parts.push(errors > 0 ? "bridgeguard: the live setup would break usage reporting:" : "bridgeguard: the findings for what it could look up:", "");
  parts.push(renderText(report, { color: false }).trimEnd());
  return redact(parts.join("\n"));
}

/** Looks everything up, runs the rules, and decides whether the update fails. Never rejects for a lookup's sake. */
export async function verify(config: BridgeguardConfig, provider: pulumi.ProviderResource | undefined = registrationProvider(config)): Promise<Verification> {
  const lookups = await lookUpAll(config, provider);
  const failures = [...lookups.failures];
  const resources: Resource[] = [];
  for (const item of sortLookups(lookups.resources)) {
    try {
      resources.push(normalizeLookup(item));
    } catch (error) {
      // A result the engine cannot read is a failed lookup, not a crash (InputError names the path, never a value).
      if (!isUserError(error)) throw error;
      failures.push({
        kind: item.kind,
        lookup: LOOKUP_FUNCTION[item.kind],
        target: describeTarget(item.target),
        via: item.via,
        notFound: false,
        reason: `the result could not be read: ${(error as Error).message}`,
      });
    }
  }
  for (const failure of failures) {
    const placeholder = unknownRuleCollectionGroup(failure);
    if (placeholder) resources.push(placeholder);
  }
  const set = toResourceSet(resources);
  // A registration that could not be looked up is not a missing one: its lookup failure is reported instead.
  const rules = lookups.registration === "failed" ? ALL_RULES.filter((rule) => rule !== registrationMissing) : ALL_RULES;
  const report = toJsonReport(auditResourceSet(set, config, rules));
  const verification: Verification = { config, resources: set, report, allowList: allowListOf(config), failures };
  const failure = failureMessage(report, failures);
  if (failure !== undefined) verification.failure = failure;
  return verification;
}

export function outputsOf(verification: Verification): ProgramOutputs {
  return { findings: verification.report.findings, summary: verification.report.summary, allowList: verification.allowList };
}

/**
 * How the program fails an update: a `pulumi.RunError` (printed without a stack trace) whose message is
 * the whole report, carrying the verification so that a caller (a test under mocks) can assert on it.
 */
export class VerificationFailed extends pulumi.RunError {
  constructor(
    message: string,
    readonly verification: Verification,
  ) {
    super(message);
    this.name = "VerificationFailed";
  }
}

/**
 * The program `pulumi up` runs. Resolves to the stack outputs when no error finding remains (warnings are
 * logged and exported); rejects with a `pulumi.RunError` carrying the whole report otherwise, and for bad
 * config (naming the `bridgeguard:` key).
 */
export async function program(): Promise<ProgramOutputs> {
  let config: BridgeguardConfig;
  let provider: pulumi.ProviderResource | undefined;
  try {
    config = readProgramConfig();
    provider = registrationProvider(config);
  } catch (error) {
    // Bad config is the user's to fix: a RunError prints without a stack trace. (Pulumi's own config
    // errors, from the `azure-native:` settings passed to the registration's provider, are RunErrors already.)
    if (isUserError(error)) throw new pulumi.RunError((error as Error).message);
    throw error;
  }
  const verification = await verify(config, provider);
  if (verification.failure !== undefined) throw new VerificationFailed(verification.failure, verification);
  const { summary } = verification.report;
  if (summary.warnings > 0) {
    // One diagnostic for all of them, in the CLI's words; they are in the `findings` output too.
    await pulumi.log.warn(`bridgeguard: usage reporting may break (${summaryLine(verification.report)}).\n\n${renderText(verification.report, { color: false }).trimEnd()}`);
  }
  return outputsOf(verification);
}
