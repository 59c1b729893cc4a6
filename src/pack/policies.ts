/**
 * The policy pack's policies, generated from the rules' metadata: one policy per rule, named by its id
 * (`BG201`); the slug stays a readable label in each violation's first line.
 *
 * - A rule of scope `stack` is a `StackValidationPolicy`: every resource of `analyzeStack` (outputs) is
 *   normalized into one resource set and the rule's check runs on it.
 * - A rule of scope `resource` is a `ResourceValidationPolicy`: `analyze` normalizes the resource's
 *   inputs and runs the check, so a bad value blocks the resource before it is created or updated. The
 *   same policy also checks the resource's final state in `analyzeStack`, for what inputs cannot decide
 *   (output-only properties such as a registration's `cloudId`, values unknown until apply); a violation
 *   already reported from the inputs is not reported twice.
 *
 * In both phases the pack reads a resource the way the audit reads a stack export: outputs first, the
 * inputs `analyze` saw for what the outputs lack (path parameters like `resourceGroupName` exist only as
 * inputs). Unknown values and secrets reach the engine as unknown and opaque (./props.ts, ./secrets.ts),
 * so a rule that depends on one reports "undetermined" and no rule ever sees (or prints) a secret.
 *
 * Enforcement: a rule's default is `mandatory` for error rules and `advisory` for warning rules, and the
 * user's `--policy-pack-config` may change it per policy (`bridgeguard policy-config` maps `rules`, `codes`
 * and `failOn` onto it). Per violation the pack only ever lowers that level: a finding that would not fail
 * the audit is reported `advisory` even under a mandatory policy (undetermined, below its rule's level,
 * suppressed, `failOn: none`). So a value unknown until apply does not block every preview of a new stack,
 * and the pack fails a deployment exactly where `bridgeguard audit` would exit 1.
 */
import type {
  EnforcementLevel,
  PolicyProviderResource,
  PolicyResource,
  ReportViolation,
  ResourceValidationArgs,
  ResourceValidationPolicy,
  StackValidationArgs,
  StackValidationPolicy,
} from "@pulumi/policy";
import type { BridgeguardConfig } from "../config/types";
import { ERROR_CODE_INFO } from "../catalog/codes";
import { parseConfig } from "../engine/config";
import { acceptViolations } from "../engine/pipeline";
import { docsPath } from "../engine/run";
import { kindOfPulumiType, normalizePulumiResource, type PulumiProviderInput, type PulumiResourceInput } from "../input";
import { isUserError } from "../model/errors";
import type { Finding } from "../model/finding";
import type { Resource, ResourceKind, ResourceSet } from "../model/resource";
import { resolveDocs } from "../report/common";
import { ALL_RULES } from "../rules";
import type { ResourceRule, Rule, RuleMeta, StackRule, Violation } from "../rules/types";
import { enforcementLevelOf, policyConfigSchema } from "./config";
import { violationMessage } from "./message";
import { outputsOverInputs, plainProps } from "./props";
import { deserializationEpoch } from "./secrets";

export interface PackOptions {
  /** Where `docs/rules/*.md` are published (a URL ending in `/`); policy `url`s and `docs:` lines resolve against it. */
  docsBaseUrl?: string;
  /** The rules to serve; all of them by default. */
  rules?: readonly Rule[];
}

export type BridgeguardPolicy = ResourceValidationPolicy | StackValidationPolicy;

/** Names the input in normalization errors: `policy pack: routes[0].nextHopType: expected ...`. */
const SOURCE = "policy pack";
/** The resource set's source, as stack rules quote it in evidence ("found in the stack: ..."). */
const STACK_SOURCE = "the stack";

/** Pulumi's policy severity for a rule: error rules break usage reporting, warning rules may. */
function policySeverity(meta: RuleMeta): "high" | "medium" {
  return meta.severity === "error" ? "high" : "medium";
}

/** What the SDK's reportViolation also accepts (server.js, `makeReportViolationFun`): a per-violation level. */
interface ViolationObject {
  message: string;
  urn?: string;
  enforcementLevel?: EnforcementLevel;
}

/** A resource as `analyze` saw it: kept for the stack phase, read only when needed. */
interface SeenInputs {
  props: unknown;
  protect: boolean;
  secretKeys: readonly string[];
  provider?: PolicyProviderResource;
}

/**
 * What the pack remembers between `analyze` and `analyzeStack` of one deployment (one process serves
 * one engine run): the inputs of each resource the rules read, by URN. A later `analyze` of the same URN
 * replaces them; `analyzeStack` only looks up the URNs it is given.
 */
class SeenResources {
  private readonly inputs = new Map<string, SeenInputs>();
  remember(urn: string, inputs: SeenInputs): void {
    this.inputs.set(urn, inputs);
  }
  inputsOf(urn: string): SeenInputs | undefined {
    return this.inputs.get(urn);
  }
}

function providerInput(provider: PolicyProviderResource | undefined): PulumiProviderInput | undefined {
  return provider ? { urn: provider.urn, props: plainProps(provider.props) } : undefined;
}

function isPulumiUrn(value: string): boolean {
  return value.startsWith("urn:pulumi:");
}

/**
 * A violation the audit reports as a warning under an error rule: one the check could not decide
 * (`undetermined`), or one whose own level (a flow's) is below the rule's.
 */
function isBelowRule(meta: RuleMeta, violation: Violation): boolean {
  return violation.undetermined === true || (violation.severity === "warning" && meta.severity === "error");
}

/**
 * A violation whose code follows the broken flow (BG401's LoginError) under a policy whose level stands for
 * the rule's own code (`codes.RequestTimedOut: error` makes BG401 mandatory): the pack does not see
 * `codes`, so such a violation keeps its default level, advisory for a warning; it never raises it.
 */
function isOtherCodeWarning(meta: RuleMeta, violation: Violation): boolean {
  return violation.code !== undefined && violation.code !== meta.code && (violation.severity ?? meta.severity) === "warning";
}

/**
 * Whether a finding is reported `advisory` whatever the policy's level, because it would not fail the
 * audit: a suppression accepts it, `failOn: none`, or (under the default `failOn: error`) it is a warning
 * below its rule's level. Everything else takes the policy's own level: the pack lowers, never raises,
 * what the user set in Pulumi.
 */
function isAdvisoryOnly(meta: RuleMeta, violation: Violation, finding: Finding, config: BridgeguardConfig): boolean {
  if (finding.suppression) return true;
  const failOn = config.failOn ?? "error";
  if (failOn === "none") return true;
  if (failOn === "warning") return false;
  return isBelowRule(meta, violation) || isOtherCodeWarning(meta, violation);
}

/**
 * The SDK's `notApplicable`, which throws an error the SDK catches (server.js, `throwNotApplicable`): for
 * most resources of a stack and every resource policy, so the error is made without a stack trace, which
 * nobody reads and which was most of its cost.
 */
function notApplicable(args: ResourceValidationArgs, reason: string): never {
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = 0;
  try {
    args.notApplicable(reason);
  } finally {
    Error.stackTraceLimit = limit;
  }
}

interface ConfigResult {
  config?: BridgeguardConfig;
  error?: string;
}

export function bridgeguardPolicies(options: PackOptions = {}): BridgeguardPolicy[] {
  const seen = new SeenResources();
  const configs = new Map<string, { json: string; result: ConfigResult }>();
  /**
   * One configuration object per distinct configuration: every policy usually gets the same one (from
   * `policy-config`), and the engine's analyses are kept per resource set and configuration object
   * (`analyzeEgress`), so policies that share both share the egress analysis instead of repeating it.
   */
  const shared = new Map<string, BridgeguardConfig>();

  /** The policy's config through the engine's own validation (ajv, defaults); cached per policy. */
  function configOf(meta: RuleMeta, raw: object): ConfigResult {
    // A config too deep to serialize (100k levels) is not cached: the validation below names the problem.
    let json: string | undefined;
    try {
      json = JSON.stringify(raw);
    } catch {
      json = undefined;
    }
    const cached = configs.get(meta.id);
    if (json !== undefined && cached?.json === json) return cached.result;
    let result: ConfigResult;
    try {
      const where = `policy pack config of ${meta.id}`;
      const config = parseConfig(raw, where);
      const same = json === undefined ? undefined : shared.get(json);
      if (json !== undefined && !same) shared.set(json, config);
      result = { config: same ?? config };
    } catch (error) {
      if (!isUserError(error)) throw error;
      result = { error: (error as Error).message };
    }
    if (json !== undefined) configs.set(meta.id, { json, result });
    return result;
  }

  /** One finding as one violation: the policy's level, or advisory when it would not fail the audit. */
  function report(reportViolation: ReportViolation, meta: RuleMeta, violation: Violation, config: BridgeguardConfig): void {
    // The engine pipeline's share for one policy: the finding, suppressions marked (Pulumi gates the rest).
    const [finding] = acceptViolations(meta, [violation], config);
    const body = violationMessage(finding!, options.docsBaseUrl);
    const urn = isPulumiUrn(finding!.resource.urn) ? finding!.resource.urn : undefined;
    if (!isAdvisoryOnly(meta, violation, finding!, config)) {
      reportViolation(body, urn);
      return;
    }
    // The SDK puts the policy's description first for a string; do the same for the object form.
    const advisory: ViolationObject = { message: `${meta.title}\n${body}`, enforcementLevel: "advisory" };
    if (urn) advisory.urn = urn;
    (reportViolation as unknown as (v: ViolationObject) => void)(advisory);
  }

  function reportConfigError(reportViolation: ReportViolation, meta: RuleMeta, error: string): void {
    reportViolation(`${meta.code} ${meta.id} ${meta.slug}: invalid bridgeguard configuration, the rule did not run\n  config:   ${error}`);
  }

  /** A resource the normalizer could not read: the rule cannot decide, which is a doubt, not a pass. */
  function reportUnreadable(reportViolation: ReportViolation, meta: RuleMeta, urn: string, error: string, config: BridgeguardConfig): void {
    const violation: Violation = {
      resource: { urn, type: "", name: "" },
      undetermined: true,
      severity: "warning",
      message: `cannot read the resource (undetermined): ${error}`,
      evidence: [],
      fix: "Correct the property named above.",
    };
    report(reportViolation, meta, violation, config);
  }

  function normalize(input: PulumiResourceInput): { resource?: Resource; error?: string } {
    try {
      return { resource: normalizePulumiResource(input, SOURCE) };
    } catch (error) {
      if (!isUserError(error)) throw error;
      return { error: (error as Error).message };
    }
  }

  /** The resource as `analyze` saw it (inputs only). */
  function fromInputs(type: string, urn: string, name: string, inputs: SeenInputs): { resource?: Resource; error?: string } {
    const input: PulumiResourceInput = { type, urn, name, props: plainProps(inputs.props, inputs.secretKeys), protect: inputs.protect };
    const provider = providerInput(inputs.provider);
    if (provider) input.provider = provider;
    return normalize(input);
  }

  /** Every resource of `analyzeStack`, outputs over the inputs `analyze` saw; unreadable ones apart. */
  function stackSet(resources: readonly PolicyResource[]): { set: ResourceSet; unreadable: { urn: string; kind: ResourceKind; error: string }[] } {
    const set: ResourceSet = { source: STACK_SOURCE, resources: [] };
    const unreadable: { urn: string; kind: ResourceKind; error: string }[] = [];
    for (const r of resources) {
      const kind = kindOfPulumiType(r.type);
      // A resource no rule reads is counted, never looked into (its properties may be large).
      let props: Record<string, unknown> = {};
      if (kind !== "other") {
        const inputs = seen.inputsOf(r.urn);
        props = outputsOverInputs(
          plainProps(r.props, r.opts.additionalSecretOutputs ?? []),
          inputs ? plainProps(inputs.props, inputs.secretKeys) : undefined,
        );
      }
      const input: PulumiResourceInput = { type: r.type, urn: r.urn, name: r.name, props, protect: r.opts.protect };
      const provider = kind === "other" ? undefined : providerInput(r.provider);
      if (provider) input.provider = provider;
      const { resource, error } = normalize(input);
      if (resource) set.resources.push(resource);
      else unreadable.push({ urn: r.urn, kind, error: error ?? "unreadable" });
    }
    return { set, unreadable };
  }

  /**
   * `stackSet` of every resource of `analyzeStack`, computed once per request and shared by every policy
   * (the rules only read a resource set, as in the audit): the SDK hands each policy the same resources,
   * deserialized once (./secrets.ts), and a request's policies run one after the other.
   */
  let stackCache: { epoch: number; urns: string[]; value: ReturnType<typeof stackSet> } | undefined;
  function normalizedStack(resources: readonly PolicyResource[]): ReturnType<typeof stackSet> {
    const epoch = deserializationEpoch();
    const cached = stackCache;
    if (epoch !== undefined && cached && cached.epoch === epoch && cached.urns.length === resources.length && resources.every((r, i) => r.urn === cached.urns[i])) {
      return cached.value;
    }
    const value = stackSet(resources);
    stackCache = epoch === undefined ? undefined : { epoch, urns: resources.map((r) => r.urn), value };
    return value;
  }

  function base(meta: RuleMeta) {
    return {
      name: meta.id,
      displayName: `${meta.id}: ${meta.title}`,
      description: meta.title,
      enforcementLevel: enforcementLevelOf(meta.severity),
      severity: policySeverity(meta),
      remediationSteps: `${meta.remediation} Documented remediation for ${meta.code}: ${ERROR_CODE_INFO[meta.code].remediation}`,
      url: resolveDocs(docsPath(meta), options.docsBaseUrl),
      tags: [meta.id, meta.code, ...meta.appliesTo],
      configSchema: policyConfigSchema(),
    };
  }

  function stackPolicy(rule: StackRule): StackValidationPolicy {
    const { meta } = rule;
    return {
      ...base(meta),
      validateStack: (args: StackValidationArgs, reportViolation: ReportViolation) => {
        const { config, error } = configOf(meta, args.getConfig());
        if (!config) return reportConfigError(reportViolation, meta, error ?? "invalid");
        const { set, unreadable } = normalizedStack(args.resources);
        for (const u of unreadable) if (meta.appliesTo.includes(u.kind)) reportUnreadable(reportViolation, meta, u.urn, u.error, config);
        for (const violation of rule.check(set, { config })) report(reportViolation, meta, violation, config);
      },
    };
  }

  function resourcePolicy(rule: ResourceRule): ResourceValidationPolicy & StackValidationPolicy {
    const { meta } = rule;
    // The same observation (resource, endpoint, first evidence line: "location: westeurope", "protect: false")
    // from inputs and from the final state is one violation, even when the final state words it better.
    const key = (v: Violation) => {
      const endpoints = v.endpoints ?? (v.endpoint ? [v.endpoint] : []);
      return `${v.resource.urn}\u0000${endpoints.map((e) => `${e.host}:${e.port}`).join(",")}\u0000${v.evidence[0] ?? v.message}`;
    };
    return {
      ...base(meta),
      validateResource: (args: ResourceValidationArgs, reportViolation: ReportViolation) => {
        const kind = kindOfPulumiType(args.type);
        if (kind === "other") notApplicable(args, "not a resource bridgeguard reads");
        const inputs: SeenInputs = { props: args.props, protect: args.opts.protect, secretKeys: args.opts.additionalSecretOutputs ?? [] };
        if (args.provider) inputs.provider = args.provider;
        seen.remember(args.urn, inputs);
        if (!meta.appliesTo.includes(kind)) notApplicable(args, `applies to ${meta.appliesTo.join(", ")}`);
        const { config, error } = configOf(meta, args.getConfig());
        if (!config) return reportConfigError(reportViolation, meta, error ?? "invalid");
        const { resource, error: unreadable } = fromInputs(args.type, args.urn, args.name, inputs);
        if (!resource) return reportUnreadable(reportViolation, meta, args.urn, unreadable ?? "unreadable", config);
        for (const violation of rule.check(resource, { config })) {
          // Undetermined from the inputs alone: the final state decides it, in analyzeStack.
          if (isBelowRule(meta, violation)) continue;
          report(reportViolation, meta, violation, config);
        }
      },
      validateStack: (args: StackValidationArgs, reportViolation: ReportViolation) => {
        const { config } = configOf(meta, args.getConfig());
        // A bad configuration was reported by validateResource, once per resource it applies to.
        if (!config) return;
        const applicable = args.resources.filter((r) => meta.appliesTo.includes(kindOfPulumiType(r.type)));
        if (applicable.length === 0) return;
        const stack = normalizedStack(args.resources);
        const set = stack.set.resources.filter((r) => meta.appliesTo.includes(r.kind));
        const unreadable = stack.unreadable.filter((u) => meta.appliesTo.includes(u.kind));
        for (const u of unreadable) {
          // validateResource reported the same error when the inputs alone were already unreadable.
          const inputs = seen.inputsOf(u.urn);
          const r = applicable.find((a) => a.urn === u.urn)!;
          if (inputs && fromInputs(r.type, r.urn, r.name, inputs).error === u.error) continue;
          reportUnreadable(reportViolation, meta, u.urn, u.error, config);
        }
        for (const resource of set) {
          const inputs = seen.inputsOf(resource.ref.urn);
          const policyResource = applicable.find((r) => r.urn === resource.ref.urn)!;
          const reported = new Set<string>();
          if (inputs) {
            const { resource: asInput } = fromInputs(policyResource.type, policyResource.urn, policyResource.name, inputs);
            if (asInput) for (const v of rule.check(asInput, { config })) if (!isBelowRule(meta, v)) reported.add(key(v));
          }
          for (const violation of rule.check(resource, { config })) {
            if (reported.has(key(violation))) continue;
            report(reportViolation, meta, violation, config);
          }
        }
      },
    };
  }

  // Rules of other scopes (live-probe observations) have no resource to check: no policy.
  return (options.rules ?? ALL_RULES)
    .filter((rule) => rule.meta.scope === "stack" || rule.meta.scope === "resource")
    .map((rule) => (rule.meta.scope === "stack" ? stackPolicy(rule as StackRule) : resourcePolicy(rule as ResourceRule)));
}
