import { describe, expect, it } from "vitest";
import { firstMatch, type Candidate, type Effect, type Fallback } from "../../src/evaluate/first-match";
import { maybe, NO, YES, type Match, type VerdictKind } from "../../src/evaluate/types";
import { httpsFlow, ref } from "./fixtures";

const resource = ref("NetworkSecurityGroup", "walk");
const fallback: Fallback = { effect: "denied", decidedBy: { resource, isDefault: true }, reason: "denied by default" };

function rule(name: string, effect: Effect, match: Match, tie?: string): Candidate {
  return {
    label: `rule "${name}"`,
    effect,
    match,
    decidedBy: { resource, rule: name },
    ties: tie ? [{ key: tie, what: "collection", unit: name, priority: 100 }] : undefined,
  };
}

describe("firstMatch", () => {
  it.each([
    { name: "first yes decides", rules: [rule("a", "allowed", NO), rule("b", "denied", YES), rule("c", "allowed", YES)], verdict: "denied", by: "b" },
    { name: "no yes: the fallback decides", rules: [rule("a", "allowed", NO)], verdict: "denied", by: undefined },
    { name: "earlier maybe with the same effect: decision stands", rules: [rule("a", "denied", maybe("?")), rule("b", "denied", YES)], verdict: "denied", by: "b" },
    { name: "earlier maybe with another effect: undetermined, naming it", rules: [rule("a", "allowed", maybe("?")), rule("b", "denied", YES)], verdict: "undetermined", by: "a" },
    { name: "maybe allow, then the default deny: undetermined", rules: [rule("a", "allowed", maybe("?"))], verdict: "undetermined", by: "a" },
    { name: "maybe deny, then the default deny: denied", rules: [rule("a", "denied", maybe("?"))], verdict: "denied", by: undefined },
    { name: "a later maybe does not matter", rules: [rule("a", "allowed", YES), rule("b", "denied", maybe("?"))], verdict: "allowed", by: "a" },
    { name: "a tied later yes with another effect: undetermined", rules: [rule("a", "allowed", YES, "k"), rule("b", "denied", YES, "k")], verdict: "undetermined", by: "a" },
    { name: "a tied later maybe with another effect: undetermined", rules: [rule("a", "allowed", YES, "k"), rule("b", "denied", maybe("?"), "k")], verdict: "undetermined", by: "a" },
    { name: "a tie with the same effect: decided", rules: [rule("a", "allowed", YES, "k"), rule("b", "allowed", YES, "k")], verdict: "allowed", by: "a" },
    { name: "different tie keys do not tie", rules: [rule("a", "allowed", YES, "k"), rule("b", "denied", YES, "other")], verdict: "allowed", by: "a" },
  ] as { name: string; rules: Candidate[]; verdict: VerdictKind; by?: string }[])("$name", ({ rules, verdict, by }) => {
    const result = firstMatch(rules, fallback, httpsFlow());
    expect(result.verdict, result.reason).toBe(verdict);
    expect(result.decidedBy?.rule).toBe(by);
  });

  it("carries notes of the rules it passed into the evidence", () => {
    const result = firstMatch([rule("a", "denied", { result: "no", notes: ['port "x" is invalid'] })], fallback, httpsFlow());
    expect(result.evidence).toContain('port "x" is invalid');
  });
});
