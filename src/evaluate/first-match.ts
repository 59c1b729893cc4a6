/**
 * The three-valued first-match walk shared by Azure Firewall and NSG evaluation. Both process rules in a
 * fixed order and stop at the first match; statically some rules only "maybe" match, so the walk keeps the
 * doubtful rules it passed and decides only when none of them could change the outcome.
 */
import { describeFlow } from "./flow";
import { notesOf } from "./match";
import type { DecidingRule, Flow, Match, Verdict, VerdictKind } from "./types";

/** What a rule does to a flow when it matches. */
export type Effect = Exclude<VerdictKind, "undetermined">;

/**
 * Membership in a set of equally prioritised units (collections or rule collection groups) whose relative
 * order Azure does not document. Two candidates tie when they share a `key` but sit in different `unit`s.
 */
export interface Tie {
  key: string;
  /** `rule collection group`, `collection`. */
  what: string;
  unit: string;
  priority: number;
}

export interface Candidate {
  /** Where the rule is, e.g. `rule collection group "egress" (priority 200) > collection "web" (priority 100, Allow) > rule "arm"`. */
  label: string;
  effect: Effect;
  match: Match;
  decidedBy: DecidingRule;
  ties?: Tie[];
}

/** What decides when no rule matches (Azure Firewall's default deny, NSG's DenyAllOutBound). */
export interface Fallback {
  effect: Effect;
  decidedBy: DecidingRule;
  /** What the default does, e.g. `Azure Firewall denies by default`. */
  reason: string;
}

const VERB: Readonly<Record<Effect, string>> = { allowed: "allow", denied: "deny", intercepted: "intercept it (TLS inspection)" };
const OUTCOME: Readonly<Record<Effect, string>> = { allowed: "allows it", denied: "denies it", intercepted: "intercepts it (TLS inspection)" };

/** `rule "x"` for reasons (the full label stays in the evidence). */
function nameOf(c: Candidate): string {
  return c.decidedBy.rule ? `rule "${c.decidedBy.rule}"` : c.label;
}

function whyOf(match: Match): string {
  return match.result === "maybe" ? match.why : "";
}

/** The tie between two candidates, if Azure documents no order between them. */
function tieBetween(a: Candidate, b: Candidate): { mine: Tie; theirs: Tie } | undefined {
  for (const mine of a.ties ?? []) {
    const theirs = (b.ties ?? []).find((t) => t.key === mine.key && t.unit !== mine.unit);
    if (theirs) return { mine, theirs };
  }
  return undefined;
}

function undetermined(reason: string, decidedBy: DecidingRule, evidence: string[], effects: Effect[]): Verdict {
  return { verdict: "undetermined", decidedBy, reason, evidence, possible: [...new Set(effects)] };
}

/** The distinct notes of the candidates a walk passed and its decider; usually none, so no allocation beyond the array. */
function notesOfAll(passed: readonly Candidate[], decider: Candidate | undefined): string[] {
  let notes: Set<string> | undefined;
  for (const c of passed) for (const note of notesOf(c.match)) (notes ??= new Set()).add(note);
  if (decider) for (const note of notesOf(decider.match)) (notes ??= new Set()).add(note);
  return notes ? [...notes] : [];
}

/**
 * Walk ordered candidates: the first `yes` decides. Earlier `maybe`s with another effect, or an equally
 * prioritised unit holding a possibly matching rule with another effect, leave the verdict undetermined.
 * No `yes` at all: the fallback decides, unless a passed `maybe` would have done otherwise.
 */
export function firstMatch(candidates: readonly Candidate[], fallback: Fallback, flow: Flow): Verdict {
  const flowText = describeFlow(flow);
  const deciderIndex = candidates.findIndex((c) => c.match.result === "yes");
  const decider = deciderIndex >= 0 ? candidates[deciderIndex] : undefined;
  const passed = decider ? candidates.slice(0, deciderIndex) : candidates;
  const doubtful = passed.filter((c) => c.match.result === "maybe");
  const effect = decider?.effect ?? fallback.effect;

  const evidence = notesOfAll(passed, decider);
  for (const c of doubtful) {
    const same = c.effect === effect;
    evidence.push(`${c.label} may match: ${whyOf(c.match)}; it would ${VERB[c.effect]}${same ? " too" : ""}`);
  }
  evidence.push(decider ? `${decider.label} matches ${flowText}` : `no rule ${doubtful.length > 0 ? "surely " : ""}matches ${flowText}; ${fallback.reason}`);

  if (decider) {
    const ties = candidates
      .filter((c) => c !== decider && c.match.result !== "no")
      .flatMap((c) => {
        const tie = tieBetween(decider, c);
        return tie ? [{ other: c, ...tie }] : [];
      });
    for (const { other, mine, theirs } of ties) {
      evidence.push(
        `${mine.what}s "${mine.unit}" and "${theirs.unit}" share priority ${mine.priority}, and Azure documents no order between them: ${other.label} ${other.match.result === "yes" ? "matches" : "may match"} and would ${VERB[other.effect]}${other.effect === effect ? " too" : ""}`,
      );
    }
    const conflict = ties.find((t) => t.other.effect !== effect);
    if (conflict) {
      return undetermined(
        `tie: ${conflict.mine.what}s "${conflict.mine.unit}" and "${conflict.theirs.unit}" share priority ${conflict.mine.priority}; one would ${VERB[effect]}, the other ${VERB[conflict.other.effect]}`,
        decider.decidedBy,
        evidence,
        [effect, conflict.other.effect],
      );
    }
  }

  const conflict = doubtful.find((c) => c.effect !== effect);
  if (conflict) {
    const otherwise = decider ? `${nameOf(decider)} would ${VERB[effect]}` : fallback.reason;
    return undetermined(
      `${nameOf(conflict)} may match first and would ${VERB[conflict.effect]} (${whyOf(conflict.match)}); otherwise ${otherwise}`,
      conflict.decidedBy,
      evidence,
      [effect, ...doubtful.map((c) => c.effect)],
    );
  }

  if (!decider) return { verdict: fallback.effect, decidedBy: fallback.decidedBy, reason: `no rule matches; ${fallback.reason}`, evidence };
  return { verdict: decider.effect, decidedBy: decider.decidedBy, reason: `${decider.label} matches ${flowText} and ${OUTCOME[decider.effect]}`, evidence };
}
