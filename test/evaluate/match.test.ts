import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { equalsIgnoreCase } from "../../src/evaluate/case";
import { allOf, anyOf, anyOfEach } from "../../src/evaluate/match";
import { maybe, NO, YES, type Match } from "../../src/evaluate/types";

// The allocation-free forms the evaluator's hot paths use must answer exactly as the plain ones.

const keyword = fc.oneof(
  fc.constantFrom("Tcp", "TCP", "tcp", "Udp", "Any", "ANY", "*", "Internet", "VirtualNetwork", "virtualnetwork", "@", "`", "[", "{"),
  fc.string({ maxLength: 6 }),
  fc.string({ unit: "grapheme", maxLength: 4 }),
);

describe("equalsIgnoreCase", () => {
  it("agrees with toLowerCase() === toLowerCase() on any pair, ASCII or not", () => {
    fc.assert(
      fc.property(keyword, keyword, (a, b) => {
        expect(equalsIgnoreCase(a, b)).toBe(a.toLowerCase() === b.toLowerCase());
      }),
      { numRuns: 2000, seed: 0xca5e },
    );
  });

  it("tells apart characters that differ in the 0x20 bit but are not letters", () => {
    expect(equalsIgnoreCase("@", "`")).toBe(false);
    expect(equalsIgnoreCase("[", "{")).toBe(false);
    expect(equalsIgnoreCase("Https", "HTTPS")).toBe(true);
    // Lower-casing changes the length of some non-ASCII text: the comparison must not shortcut on length.
    expect(equalsIgnoreCase("İ", "i\u0307")).toBe(true);
  });
});

const match: fc.Arbitrary<Match> = fc.oneof(
  fc.constant(YES),
  fc.constant(NO),
  fc.constantFrom("tag", "sources").map((why) => maybe(why)),
  fc.record({ result: fc.constantFrom("yes" as const, "no" as const), notes: fc.array(fc.constantFrom("bad port", "bad fqdn"), { minLength: 1, maxLength: 2 }) }),
);

describe("anyOfEach and the shortcuts in allOf/anyOf", () => {
  it("anyOfEach(items, f, arg) equals anyOf(items.map(f))", () => {
    fc.assert(
      fc.property(fc.array(match, { maxLength: 5 }), (matches) => {
        const indexes = matches.map((_, i) => i);
        expect(anyOfEach(indexes, (i: number, list: Match[]) => list[i]!, matches)).toEqual(anyOf(matches));
      }),
      { numRuns: 1000, seed: 0xa11 },
    );
  });

  it("one doubtful condition without notes is that condition's own maybe; several are joined once each", () => {
    const doubt = maybe("source tag cannot be resolved");
    expect(allOf([YES, doubt, YES])).toBe(doubt);
    expect(anyOf([NO, doubt])).toBe(doubt);
    expect(allOf([doubt, maybe("other"), doubt])).toEqual(maybe("source tag cannot be resolved; other"));
    expect(allOf([doubt, { result: "yes", notes: ["bad port"] }])).toEqual({ result: "maybe", why: "source tag cannot be resolved", notes: ["bad port"] });
  });
});
