/**
 * The one pipeline every front end runs: the CLI's `audit` and `probe`, the policy pack, the verification
 * program. A front end loads its input (files, a state backend, Pulumi's analyzer, Azure lookups, the live
 * network) and renders what comes out; everything between is here, in two stages:
 *
 * 1. `evaluate`: the enabled rules on one subject, a resource set or one probe run's observations, give
 *    findings, with what was looked at (resources, endpoints, the bridge's path). Pure; the audit runs it on
 *    worker threads, one input file each.
 * 2. `judge`: over the evaluations of one run, the configuration's suppressions (with notices for expired
 *    and stale ones), the notice of what the configuration lacks, then (`conclude`) the baseline (read, or
 *    created from this run), the summary, and the fail verdict of `failOn`. It returns the report model the
 *    renderers read. `merge` concludes the findings of a sharded audit's reports, whose shards applied the
 *    suppressions, with the same `conclude`.
 *
 * `runPipeline` is both stages on one subject. The policy pack reports each policy's violations to Pulumi,
 * which aggregates and gates them itself: it runs stage 1 per rule and the suppressions of stage 2
 * (`acceptViolations`), nothing else.
 */
import type { BridgeguardConfig, FailOn } from "../config/types";
import type { Finding, Report, ReportNotice, ReportSummary, StackSummary } from "../model/finding";
import { compareFindings, summarize } from "../model/finding";
import type { ProbeObservations } from "../model/observations";
import type { BridgePath } from "../model/path";
import type { ResourceSet } from "../model/resource";
import { AUDIT_RULES, PROBE_RULES } from "../rules";
import type { ProbeRule, Rule, RuleMeta, Violation } from "../rules/types";
import { applyBaseline, createBaseline, type Baseline } from "./baseline";
import { gateFails } from "./gate";
import { buildReport, endpointsEvaluated, isRuleEnabled, runRules, toFinding } from "./run";
import { analyzeEgress } from "../analysis/egress";
import { applySuppressions, todayUtc } from "./suppressions";

/** What the rules run on. */
export type Subject =
  /** Resources (a stack export, ARM JSON, a preview, Pulumi's analyzer, Azure lookups); AUDIT_RULES by default. */
  | { kind: "resources"; set: ResourceSet; rules?: readonly Rule[] }
  /** One probe run's observations; PROBE_RULES by default. */
  | { kind: "observations"; observations: ProbeObservations; rules?: readonly ProbeRule[] };

/** The rules' findings on one subject (stage 1), with what was looked at. */
export interface Evaluation {
  /** Which kind of subject: only resources are checked against egress gates. */
  subject: Subject["kind"];
  /** The rules that ran (enabled ones): a suppression naming another rule is not stale here. */
  rules: RuleMeta[];
  /** Fresh objects, sorted (`compareFindings`): a front end may tag them (`file`) before judging. */
  findings: Finding[];
  /** Resources read, or for observations the `host:port`s tested (and the time server). */
  resources: number;
  /** Bridge endpoints evaluated against at least one egress gate, or for observations the catalog endpoints tested. */
  endpoints: number;
  /** The bridge's path through the resources (resource subjects). */
  path?: BridgePath;
}

/** The rules of one probe run over its observations: each enabled probe rule, its violations as findings. */
function probeFindings(observations: ProbeObservations, config: BridgeguardConfig, rules: readonly ProbeRule[]): Finding[] {
  const findings: Finding[] = [];
  for (const rule of rules) {
    if (!isRuleEnabled(rule.meta, config)) continue;
    for (const violation of rule.check(observations, { config })) {
      // probe-not-tested carries the endpoint's own code (`violation.code`): toFinding uses it.
      findings.push(toFinding(rule.meta, violation, config));
    }
  }
  return findings.sort(compareFindings);
}

/** Stage 1: the enabled rules on one subject. */
export function evaluate(subject: Subject, config: BridgeguardConfig): Evaluation {
  if (subject.kind === "observations") {
    const rules = subject.rules ?? PROBE_RULES;
    const { observations } = subject;
    const tested = observations.endpoints.filter((o) => o.outcome.kind !== "not-tested");
    const timeTested = observations.time !== undefined && observations.time.outcome.kind !== "not-tested";
    const endpoints = new Set(tested.flatMap((o) => o.target.endpoints.map((e) => `${e.host}|${e.purpose}|${o.target.port}`)));
    return {
      subject: "observations",
      rules: rules.map((r) => r.meta).filter((meta) => isRuleEnabled(meta, config)),
      findings: probeFindings(observations, config, rules),
      resources: tested.length + (timeTested ? 1 : 0),
      endpoints: endpoints.size + (timeTested ? 1 : 0),
    };
  }
  const rules = subject.rules ?? AUDIT_RULES;
  const findings = runRules(subject.set, config, rules);
  return {
    subject: "resources",
    rules: rules.map((r) => r.meta).filter((meta) => isRuleEnabled(meta, config)),
    findings,
    resources: subject.set.resources.length,
    endpoints: endpointsEvaluated(subject.set, config),
    path: analyzeEgress(subject.set, config).path,
  };
}

/** One input of a run: its evaluation, or why it could not be evaluated. */
export type RunInput =
  | (Evaluation & {
      /** The input's name (`audit`: one `stacks[]` entry per input when named). */
      file?: string;
      /** What the input could not show (a preview's unchanged resources). */
      notices?: ReportNotice[];
    })
  | { file: string; error: string };

/** How stage 2 judges a run. */
export interface JudgeOptions {
  /** `YYYY-MM-DD`, what suppressions' `expires` is compared with; default today in UTC. */
  today?: string;
  /** Where the suppressions were written (`bridgeguard.yaml`, `Pulumi config`), named in notices. */
  suppressionSource?: string;
  /**
   * Report suppressions that match nothing (default: when every input was evaluated). Off when part of
   * the input is missing: a suppression may have been written for what is not there.
   */
  reportStale?: boolean;
  /** Findings listed in it are `unchanged` (reported, not counted); the others `new`. */
  baseline?: Baseline;
  /** Create a baseline of this run's unsuppressed findings, and judge against it (`--create-baseline`). */
  createBaseline?: boolean;
  /** Overrides `config.failOn` (`--fail-on`). */
  failOn?: FailOn;
}

/** What stage 2 gives a front end to render. */
export interface Judgement {
  report: Report;
  /** The gate the verdict used: `options.failOn`, else `config.failOn`, else `error`. */
  failOn: FailOn;
  /** Active findings at or above `failOn` remain. */
  fails: boolean;
  /** The inputs that could not be evaluated, in input order. */
  failed: { file: string; error: string }[];
  /** The baseline `createBaseline` asked for; absent when an input failed (see `baselineRefused`). */
  createdBaseline?: Baseline;
  /** Why the baseline was not created. */
  baselineRefused?: string;
}

function isFailed(input: RunInput): input is { file: string; error: string } {
  return "error" in input;
}

/**
 * One notice when `egress.sourceAddresses` is not set and egress gates were evaluated: without the stamp's
 * public VIP range a rule that matches on source addresses cannot be decided, and each flow it covers is an
 * "undetermined" warning. Said once, at the top of the report, instead of in every finding it leaves open.
 */
function configurationNotice(config: BridgeguardConfig, findings: readonly Finding[], endpoints: number): ReportNotice | undefined {
  if (config.egress.sourceAddresses !== undefined || endpoints === 0) return undefined;
  // The evaluator says so in the evidence of each flow it could not decide (evaluate/addresses.ts).
  const undecided = findings.filter((f) => f.severity === "warning" && [f.message, ...f.evidence].some((line) => line.includes("egress.sourceAddresses not configured"))).length;
  const effect =
    undecided > 0
      ? `a rule that matches on source addresses cannot be decided: ${undecided} warning(s) below ("may deny") are undecided for that reason`
      : "a rule that matches on source addresses cannot be decided";
  return {
    level: "warning",
    kind: "configuration-incomplete",
    message: `egress.sourceAddresses is not configured: the stamp's public VIP range is unknown, so ${effect}. Set egress.sourceAddresses in bridgeguard.yaml to the public VIP /27.`,
  };
}

/** How `conclude` measures a run's findings against a baseline and gates them. */
export interface ConcludeOptions extends Pick<JudgeOptions, "baseline" | "createBaseline" | "failOn"> {
  /** Resources read, over every input. */
  resources: number;
  /** Bridge endpoints evaluated. */
  endpoints: number;
  /** How many inputs could not be evaluated: a baseline is not created without their findings. */
  failed: number;
  /**
   * The findings were measured against a baseline already (the shards of a merge ran with `--baseline`):
   * the summary counts `baselined` although no baseline is given here.
   */
  measured?: boolean;
}

/** What `conclude` gives: the findings in their order, counted and gated. */
export interface Conclusion {
  /** Marked `new` or `unchanged` when measured against a baseline, sorted (`compareFindings`). */
  findings: Finding[];
  summary: ReportSummary;
  /** Whether the summaries count `baselined`. */
  withBaseline: boolean;
  /** The gate the verdict used: `options.failOn`, else `config.failOn`, else `error`. */
  failOn: FailOn;
  /** Active findings at or above `failOn` remain. */
  fails: boolean;
  /** The baseline `createBaseline` asked for; absent when an input failed (see `baselineRefused`). */
  createdBaseline?: Baseline;
  /** Why the baseline was not created. */
  baselineRefused?: string;
}

/**
 * The last steps of stage 2, over findings whose suppressions are applied (by `judge`, or by the shards
 * whose reports `merge` combines): the baseline (read, or created from the unsuppressed findings when every
 * input was evaluated), the order, the summary, and the fail verdict of `failOn`.
 */
export function conclude(findings: readonly Finding[], config: BridgeguardConfig, options: ConcludeOptions): Conclusion {
  let baseline = options.baseline;
  let created: Pick<Conclusion, "createdBaseline" | "baselineRefused"> = {};
  if (options.createBaseline) {
    if (options.failed > 0) {
      created = { baselineRefused: `${options.failed} input file(s) could not be audited, and their findings would be missing from it` };
    } else {
      baseline = createBaseline(findings.filter((f) => !f.suppression));
      created = { createdBaseline: baseline };
    }
  }
  const measured = baseline ? applyBaseline(findings, baseline) : [...findings];
  measured.sort(compareFindings);
  const withBaseline = baseline !== undefined || options.measured === true;
  const summary = summaryOf(measured, options.resources, options.endpoints, withBaseline);
  const failOn = options.failOn ?? config.failOn ?? "error";
  return { findings: measured, summary, withBaseline, failOn, fails: gateFails(summary, failOn), ...created };
}

/** The summary of `findings`: active errors and warnings, and the accepted ones (`baselined` only with a baseline). */
function summaryOf(findings: readonly Finding[], resources: number, endpoints: number, withBaseline: boolean): ReportSummary {
  let suppressed = 0;
  let baselined = 0;
  for (const f of findings) {
    if (f.suppression) suppressed++;
    else if (f.baselineState === "unchanged") baselined++;
  }
  return { ...summarize(findings, resources, endpoints), suppressed, ...(withBaseline ? { baselined } : {}) };
}

/** Stage 2: suppressions, baseline, notices, summary and the fail verdict over the inputs of one run. */
export function judge(inputs: readonly RunInput[], config: BridgeguardConfig, options: JudgeOptions = {}): Judgement {
  const failed = inputs.filter(isFailed).map(({ file, error }) => ({ file, error }));
  const evaluated = inputs.filter((i): i is Exclude<RunInput, { error: string }> => !isFailed(i));
  let findings: Finding[] = [];
  let resources = 0;
  let endpoints = 0;
  let gated = 0;
  for (const input of evaluated) {
    for (const finding of input.findings) {
      if (input.file !== undefined) finding.file = input.file;
      findings.push(finding);
    }
    resources += input.resources;
    endpoints = Math.max(endpoints, input.endpoints);
    if (input.subject === "resources") gated = Math.max(gated, input.endpoints);
  }

  const ran = [...new Map(evaluated.flatMap((i) => i.rules).map((meta) => [meta.id, meta])).values()];
  const suppressed = applySuppressions(findings, config.suppressions, {
    today: options.today ?? todayUtc(),
    ...(options.suppressionSource !== undefined ? { source: options.suppressionSource } : {}),
    reportStale: options.reportStale ?? failed.length === 0,
    rules: ran,
  });
  findings = suppressed.findings;
  // What an input could not show, what the suppressions say, and first what the configuration lacks.
  const notices = [...evaluated.flatMap((i) => i.notices ?? []), ...suppressed.notices];
  const lacking = configurationNotice(config, findings, gated);
  if (lacking) notices.unshift(lacking);

  const { findings: concluded, summary, withBaseline, ...verdict } = conclude(findings, config, { ...options, resources, endpoints, failed: failed.length });
  const report: Report = { ...buildReport(concluded, resources, endpoints), summary, notices };
  if (inputs.some((i) => i.file !== undefined)) report.stacks = stackSummaries(inputs, concluded, withBaseline);
  // One input: its path is the report's (several keep one each, in `stacks`).
  const only = inputs.length === 1 ? inputs[0]! : undefined;
  if (only && !isFailed(only) && only.path) report.path = only.path;
  return { ...verdict, failed, report };
}

function stackSummaries(inputs: readonly RunInput[], findings: readonly Finding[], withBaseline: boolean): StackSummary[] {
  const byFile = new Map<string, Finding[]>();
  for (const f of findings) {
    const list = byFile.get(f.file ?? "");
    if (list) list.push(f);
    else byFile.set(f.file ?? "", [f]);
  }
  return inputs.map((input): StackSummary => {
    const file = input.file ?? "";
    if (isFailed(input)) return { file, summary: summaryOf([], 0, 0, withBaseline), error: input.error };
    return {
      file,
      summary: summaryOf(byFile.get(file) ?? [], input.resources, input.endpoints, withBaseline),
      // With one input the path is the report's own (`report.path`): said once.
      ...(input.path && inputs.length > 1 ? { path: input.path } : {}),
    };
  });
}

/** Both stages on one subject: what the program and the probe run. */
export function runPipeline(subject: Subject, config: BridgeguardConfig, options: JudgeOptions = {}): Judgement {
  return judge([evaluate(subject, config)], config, options);
}

/**
 * One rule's violations as findings with the configuration's suppressions marked: the policy pack's share
 * of the pipeline (Pulumi aggregates a pack's violations and gates on their enforcement levels itself).
 * Stale suppressions are not reported: one policy sees only its own rule's findings.
 */
export function acceptViolations(meta: RuleMeta, violations: readonly Violation[], config: BridgeguardConfig, options: { today?: string } = {}): Finding[] {
  const findings = violations.map((violation) => toFinding(meta, violation, config));
  return applySuppressions(findings, config.suppressions, { today: options.today ?? todayUtc(), reportStale: false }).findings;
}
