import type { ErrorCode } from "../catalog/codes";
import type { BridgeguardConfig } from "../config/types";
import type { FindingEndpoint, Severity } from "../model/finding";
import type { FindingFix } from "../model/fix";
import type { Resource, ResourceKind, ResourceRef, ResourceSet } from "../model/resource";
import type { ProbeObservations } from "../model/observations";

/** A rule's description as data: the CLI's `rules`, the docs pages and the policy pack are generated from it. */
export interface RuleMeta {
  /** Stable id, `BG` + three digits; the hundreds digit groups by code. Also the policy name in the pack. */
  id: string;
  /** kebab-case; a readable label beside the id (reports, violation text, `rules.<slug>` in the configuration). */
  slug: string;
  code: ErrorCode;
  severity: Severity;
  /** One line, what the rule checks. */
  title: string;
  /** Why it breaks (or may break) usage reporting, with the documented fact behind it. */
  why: string;
  /** What to change, in general terms; each finding adds the concrete change. */
  remediation: string;
  /**
   * `resource`: decided from one resource alone (policy pack: a resource policy).
   * `stack`: needs several resources (policy pack: a stack policy).
   * `probe`: decided from live-network observations (`bridgeguard probe`; no policy).
   * `plan`: decided from a preview's planned operations (`bridgeguard audit` of `pulumi preview --json`; no
   *   policy: Pulumi gives policy packs no planned operations).
   */
  scope: "resource" | "stack" | "probe" | "plan";
  /** The resource kinds the rule reads. */
  appliesTo: ResourceKind[];
  /**
   * How the rule's findings are grouped when that is not "one per resource": the reachability rules share
   * one check and report each cause once across them (`rules/shared/reachability.ts`). On the rule's page.
   */
  grouping?: string;
  /**
   * For a rule whose code follows what the broken flow serves (a route breaks identity, NTP and usage
   * alike): the codes its findings carry besides `code`, and for which flows. Reports, `rules`, `explain`
   * and the rule's docs page list them.
   */
  otherCodes?: { code: ErrorCode; when: string }[];
}

/** What a check found; the engine turns it into a finding with the rule's code, docs and remediation. */
export interface Violation {
  resource: ResourceRef;
  /** Every endpoint the cause breaks (one finding per cause, never one per endpoint). */
  endpoints?: FindingEndpoint[];
  /** Shorthand for a cause that breaks one endpoint; `endpoints` wins when both are set. */
  endpoint?: FindingEndpoint | null;
  /** What decides, as a stable phrase (see `Finding.cause`); part of the fingerprint. */
  cause?: string;
  message: string;
  evidence: string[];
  /**
   * The code when it follows the broken flow rather than the rule (a route that drops identity flows is a
   * `LoginError`; probe-not-tested carries the endpoint's code); absent means the rule's code.
   */
  code?: ErrorCode;
  /** The flow's own level (a legacy endpoint is a warning); absent means the rule's level. */
  severity?: Severity;
  /**
   * The check could not decide (an unknown value, an IP rule against an FQDN, a tie): always a warning,
   * whatever severity the configuration gives the rule, because nothing is known to be broken.
   */
  undetermined?: boolean;
  /**
   * The concrete change for this finding: a sentence, or the change as data (`FindingFix`, whose
   * `description` is the sentence). The rule's and the code's remediation follow it.
   */
  fix?: string | FindingFix;
}

export interface RuleContext {
  config: BridgeguardConfig;
}

interface RuleBase {
  meta: RuleMeta;
}

/** A pure check of one resource; "not applicable" is an empty array. */
export interface ResourceRule extends RuleBase {
  meta: RuleMeta & { scope: "resource" };
  check(resource: Resource, context: RuleContext): Violation[];
}

/** A pure check of a whole resource set. */
export interface StackRule extends RuleBase {
  meta: RuleMeta & { scope: "stack" };
  check(set: ResourceSet, context: RuleContext): Violation[];
}

/** A pure check of a preview's planned operations (`set.plannedOperations`); nothing without a plan. */
export interface PlanRule extends RuleBase {
  meta: RuleMeta & { scope: "plan" };
  check(set: ResourceSet, context: RuleContext): Violation[];
}

export type Rule = ResourceRule | StackRule | PlanRule;

/** A probe check's violation; `code` is set only by rules whose code follows the endpoint (probe-not-tested). */
export type ProbeViolation = Violation;

/** A pure check of one probe run's observations (`appliesTo` is empty: it reads no resource). */
export interface ProbeRule extends RuleBase {
  meta: RuleMeta & { scope: "probe" };
  check(observations: ProbeObservations, context: RuleContext): ProbeViolation[];
}
