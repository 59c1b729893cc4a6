/**
 * The verification program: read the `bridgeguard:` config, look the live registration and egress up,
 * run the engine's rules over what was found, apply the config's suppressions and `failOn` gate the way
 * `bridgeguard audit` does, and either export the findings or fail the update.
 *
 * `verify` is the orchestration, returning everything a test (or another caller) needs to assert on;
 * `program` is what `pulumi up` runs (see index.ts). Failing is deliberate and observable: `program`
 * rejects with a `pulumi.RunError`, which the Pulumi runtime prints without a stack trace and turns into
 * a failed update; under mocks the caller awaits the rejection. Nothing is thrown inside an `apply`.
 */
import * as pulumi from "@pulumi/pulumi";
import type { ErrorCode } from "../catalog/codes";
import type { EndpointPurpose } from "../catalog/endpoints";
import type { BridgeguardConfig, FailOn } from "../config/types";
import { bridgeFlows } from "../analysis/flows";
import { gateFails } from "../engine/gate";
import { runPipeline } from "../engine/pipeline";
import { isUserError } from "../model/errors";
import type { Finding, FindingEndpoint, Report, ReportNotice, ReportSummary, Severity } from "../model/finding";
import type { BridgePath } from "../model/path";
import type { Resource, ResourceSet } from "../model/resource";
import { summaryLine } from "../report/common";
import { toJsonReport } from "../report/json";
import { renderText } from "../report/text";
import { ALL_RULES } from "../rules";
import { registrationMissing } from "../rules/BG101-registration-missing";
import { CONFIG_NAMESPACE, readProgramConfig } from "./config";
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
  /** The JSON report's findings (the documented contract, stable order); suppressed ones carry `suppression`. */
  findings: Finding[];
  /** As the audit's: active errors and warnings, and `suppressed`. */
  summary: ReportSummary;
  /** What the configuration lacks, expired and stale suppressions, in the audit's words (empty when there are none). */
  notices: ReportNotice[];
  allowList: AllowListEntry[];
  /** The bridge's path through the looked-up resources: the gates evaluated and why, those left out and why. */
  path?: BridgePath;
}

export interface Verification {
  config: BridgeguardConfig;
  /** What the rules read: the looked-up resources, normalized. */
  resources: ResourceSet;
  /**
   * The engine pipeline's report over `resources` (suppressions applied, `summary.suppressed`, `notices`), as
   * the JSON contract: the same as the audit's report of the same resources and configuration.
   */
  report: Report;
  /** `failOn` of the config, default `error`: which active findings fail the update. */
  failOn: FailOn;
  allowList: AllowListEntry[];
  /** Lookups that failed for another reason than "the registration does not exist". */
  failures: LookupFailure[];
  /** Set when the update must fail: active findings at or above `failOn` remain, or a lookup failed. */
  failure?: string;
}

export interface VerifyOptions {
  /** `YYYY-MM-DD`: what suppressions' `expires` is compared with (default: today in UTC). */
  today?: string;
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

/**
 * The one message an update fails with: failed lookups, then every finding (suppressed ones marked, with
 * their justification) and every notice, as the CLI's text report prints them. Undefined when no lookup
 * failed and `failOn` passes the report.
 */
export function failureMessage(report: Report, failures: readonly LookupFailure[], failOn: FailOn = "error"): string | undefined {
  const { errors, warnings } = report.summary;
  const gate = gateFails(report.summary, failOn);
  if (!gate && failures.length === 0) return undefined;
  const parts: string[] = [];
  if (failures.length > 0) {
    parts.push(
      `bridgeguard could not look up ${failures.length === 1 ? "1 resource" : `${failures.length} resources`} it was asked to check, so it cannot vouch for the setup:`,
      ...failures.map((f) => `  ${describeFailure(f)}`),
      "",
    );
  }
  const verdict =
    errors > 0
      ? "bridgeguard: the live setup would break usage reporting:"
      : gate && warnings > 0
        ? `bridgeguard: the live setup may break usage reporting, and ${CONFIG_NAMESPACE}:failOn is ${failOn}:`
        : "bridgeguard: the findings for what it could look up:";
  parts.push(verdict, "");
  parts.push(renderText(report, { color: false }).trimEnd());
  return redact(parts.join("\n"));
}

/** How notices name where the suppressions were written (`Pulumi config: suppressions[0] (rule ...) ...`). */
const PROGRAM_CONFIG = "Pulumi config";

/** Looks everything up, runs the rules, applies suppressions, and decides whether the update fails. Never rejects for a lookup's sake. */
export async function verify(
  config: BridgeguardConfig,
  provider: pulumi.ProviderResource | undefined = registrationProvider(config),
  options: VerifyOptions = {},
): Promise<Verification> {
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
  // The engine's one pipeline, as the audit runs it: rules, suppressions, the configuration's notice, the
  // summary and the fail verdict. Stale suppressions are not reported when a lookup failed: what one was
  // written for may be in what could not be looked up. The outputs are its report as the JSON contract, built once.
  const judgement = runPipeline({ kind: "resources", set, rules }, config, {
    ...(options.today !== undefined ? { today: options.today } : {}),
    suppressionSource: PROGRAM_CONFIG,
    reportStale: failures.length === 0,
  });
  const report = toJsonReport(judgement.report);
  const failOn = judgement.failOn;
  const verification: Verification = { config, resources: set, report, failOn, allowList: allowListOf(config), failures };
  const failure = failureMessage(report, failures, failOn);
  if (failure !== undefined) verification.failure = failure;
  return verification;
}

export function outputsOf(verification: Verification): ProgramOutputs {
  const { report } = verification;
  return { findings: report.findings, summary: report.summary, notices: report.notices ?? [], allowList: verification.allowList, ...(report.path ? { path: report.path } : {}) };
}

/**
 * The diagnostic of an update that goes on: its level and text, the CLI's text report under one line that
 * says why it does not fail. Undefined when there is nothing to say (no findings, no notices).
 */
export function passingDiagnostic(verification: Verification): { level: "warn" | "info"; message: string } | undefined {
  const { report, failOn } = verification;
  const { errors, warnings } = report.summary;
  const notices = report.notices ?? [];
  if (report.findings.length === 0 && notices.length === 0) return undefined;
  const counts = summaryLine(report);
  const headline =
    errors > 0
      ? `bridgeguard: the live setup would break usage reporting (${counts}); ${CONFIG_NAMESPACE}:failOn is ${failOn}, so the update goes on.`
      : warnings > 0
        ? `bridgeguard: usage reporting may break (${counts}).`
        : notices.length > 0
          ? `bridgeguard: suppressions need attention (${counts}).`
          : `bridgeguard: only suppressed findings (${counts}).`;
  const level = errors + warnings + notices.length > 0 ? "warn" : "info";
  return { level, message: redact(`${headline}\n\n${renderText(report, { color: false }).trimEnd()}`) };
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
 * The program `pulumi up` runs. Resolves to the stack outputs when no active finding at or above `failOn`
 * remains and every lookup succeeded (other findings and notices are logged once and exported); rejects
 * with a `pulumi.RunError` carrying the whole report otherwise, and for bad config (naming the
 * `bridgeguard:` key).
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
  // One diagnostic for all of them, in the CLI's words; they are in the `findings` and `notices` outputs too.
  const diagnostic = passingDiagnostic(verification);
  if (diagnostic) await pulumi.log[diagnostic.level](diagnostic.message);
  return outputsOf(verification);
}
