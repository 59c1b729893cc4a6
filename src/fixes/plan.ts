/**
 * What the fixes of one egress analysis share, built once per analysis (itself memoized per resource set
 * and configuration): a stack with thousands of gates and denied flows must not rescan them per finding,
 * and the fixes of one gate must agree (one group priority per policy, distinct NSG priorities).
 */
import { MAX_PRIORITY, MIN_PRIORITY } from "../allowlist/rule-collection-group";
import type { EgressAnalysis, GateVerdict } from "../analysis/egress";
import type { EgressGate } from "../evaluate/gates";
import { append } from "../evaluate/multimap";
import type { DecidingRule } from "../evaluate/types";

/** The denied and undecided results of one analysis by gate, and the placements chosen so far. */
export interface FixPlan {
  /** Denied and undecided results, by gate. */
  blocked: Map<EgressGate, GateVerdict[]>;
  /** Per gate and policy/layer: placements already chosen. */
  memo: Map<string, unknown>;
}

const plans = new WeakMap<EgressAnalysis, FixPlan>();

/** The plan of one analysis: what its verdicts say, nothing joined from the resources again. */
export function fixPlan(analysis: EgressAnalysis): FixPlan {
  let plan = plans.get(analysis);
  if (plan) return plan;
  const blocked = new Map<EgressGate, GateVerdict[]>();
  for (const result of analysis.results) {
    if (result.verdict.verdict !== "denied" && result.verdict.verdict !== "undetermined") continue;
    append(blocked, result.gate, result);
  }
  plan = { blocked, memo: new Map() };
  plans.set(analysis, plan);
  return plan;
}

/** `compute()` once per plan and key. */
export function memoized<T>(plan: FixPlan, key: string, compute: () => T): T {
  if (plan.memo.has(key)) return plan.memo.get(key) as T;
  const value = compute();
  plan.memo.set(key, value);
  return value;
}

/** The non-default deciders of the flows a gate denies or cannot decide (what the fixes must precede). */
export function blockingDeciders(plan: FixPlan, gate: EgressGate): DecidingRule[] {
  return (plan.blocked.get(gate) ?? [])
    .map((r) => r.verdict.decidedBy)
    .filter((d): d is DecidingRule => d !== undefined && !d.isDefault && d.rule !== undefined);
}

/** The lowest of the priorities given, undefined when none is (what a new rule must go below). */
export function lowest(priorities: readonly (number | undefined)[]): number | undefined {
  let min: number | undefined;
  for (const p of priorities) if (p !== undefined && (min === undefined || p < min)) min = p;
  return min;
}

/** The highest priority below `ceiling` (down to `min`) that `used` lacks. */
export function freeBelow(ceiling: number, used: ReadonlySet<number>, min = MIN_PRIORITY): number | undefined {
  for (let p = ceiling - 1; p >= min; p--) if (!used.has(p)) return p;
  return undefined;
}

/** `preferred` when free, else the next free priority above it. */
export function freeFrom(preferred: number, used: ReadonlySet<number>, max = MAX_PRIORITY): number {
  for (let p = preferred; p <= max; p++) if (!used.has(p)) return p;
  return preferred;
}
