/**
 * The suppression glob (src/engine/glob.ts): the documented language, agreement with picomatch (which it
 * replaced, with `{ bash: true, dot: true }`) on small inputs wherever the documented semantics agree, and
 * the inputs that made picomatch backtrack for minutes, matched in a number of steps linear in the text.
 * `npm run fuzz` (FUZZ_RUNS) runs the properties longer, with a random seed.
 */
import fc from "fast-check";
import picomatch from "picomatch";
import { describe, expect, it } from "vitest";
import { applySuppressions, checkSuppressions } from "../../src/engine/suppressions";
import { compileGlob, isGlob, MAX_BRACE_DEPTH } from "../../src/engine/glob";
import { allRuleMetas } from "../../src/rules";
import type { Finding } from "../../src/model/finding";
import { FUZZ_RUNS } from "./helpers";

const matches = (pattern: string, text: string): boolean => compileGlob(pattern).match(text);

describe("the documented language", () => {
  it.each([
    // `*` and `**`: any characters, none included, `/` and `:` included
    ["hub-fw-*", "hub-fw-", true],
    ["hub-fw-*", "hub-fw-west/1", true],
    ["urn:pulumi:prod::*::hub-fw", "urn:pulumi:prod::stamp::azure-native:network:AzureFirewall::hub-fw", true],
    ["**", "/a/b", true],
    ["a/**/b", "a/x/y/b", true],
    ["a/**/b", "a/b", false], // `**` is `*`: no path semantics
    ["*fw", "hub-fw-west", false],
    // `?`: exactly one character, `/` included
    ["a?b", "a/b", true],
    ["a?b", "ab", false],
    ["a?b", "a::b", false],
    // classes
    ["[abc]x", "bx", true],
    ["[a-c]x", "dx", false],
    ["[!a-c]x", "dx", true],
    ["[^a-c]x", "ax", false],
    ["[]a]", "]", true],
    ["[a-]", "-", true],
    ["[[:digit:]][[:alpha:]]", "1a", true],
    ["[[:digit:]]", "a", false],
    ["[abc", "[abc", true], // unclosed: itself
    // braces
    ["hub-{fw,rules}", "hub-rules", true],
    ["hub-{fw,rules}", "hub-other", false],
    ["{a,{b,c}}d", "cd", true],
    ["a{,b}", "a", true],
    ["{a}", "{a}", true], // no comma: itself, as in bash
    ["{a,b", "{a,b", true],
    ["{a,{b},c}", "{b}", true],
    // escapes
    ["\\*", "*", true],
    ["\\*", "a", false],
    ["a\\b", "a\\b", true], // a backslash before an ordinary character is itself
    ["a\\", "a\\", true],
    // no extglobs, no negation: these characters are themselves
    ["!hub-fw", "other", false],
    ["!hub-fw", "!hub-fw", true],
    ["+(a|b)", "ab", false],
    ["+(a|b)", "+(a|b)", true],
    ["@(a)", "@(a)", true],
    // case-sensitive, whole text, code points
    ["Hub-*", "hub-fw", false],
    ["hub", "hub-fw", false],
    ["?", "😀", true],
    ["[😀]x", "😀x", true],
  ])("%j against %j: %s", (pattern, text, expected) => {
    expect(matches(pattern, text)).toBe(expected);
  });

  it("refuses braces nested deeper than the documented limit, and the suppressions check says where", () => {
    const deep = `${"{a,".repeat(MAX_BRACE_DEPTH + 1)}b${"}".repeat(MAX_BRACE_DEPTH + 1)}`;
    expect(() => compileGlob(deep)).toThrow(/nested more than 32 deep/);
    const ok = `${"{a,".repeat(MAX_BRACE_DEPTH)}b${"}".repeat(MAX_BRACE_DEPTH)}`;
    expect(matches(ok, "b")).toBe(true);
    expect(() => checkSuppressions([{ rule: "BG201", resource: deep, justification: "x" }], "bridgeguard.yaml", allRuleMetas())).toThrow(
      /^bridgeguard\.yaml: suppressions\[0\]\.resource: expected a glob .*nested more than 32 deep/,
    );
  });

  it("a pattern without glob characters is compared as it is", () => {
    expect(isGlob("hub-fw")).toBe(false);
    expect(isGlob("hub-(fw)|!x+@")).toBe(false);
    for (const glob of ["a*", "a?", "[a]", "{a,b}", "a\\*"]) expect(isGlob(glob)).toBe(true);
  });
});

/**
 * Small patterns and texts over a few characters, built from the parts whose meaning the documentation
 * gives: literals, `*`, `?`, classes, brace groups with a comma, escapes of the special characters.
 */
const CHARS = ["a", "b", "-", ":", "/", "."];
const literal = fc.constantFrom(...CHARS);
const part: fc.Arbitrary<string> = fc.letrec<{ part: string; seq: string }>((tie) => ({
  part: fc.oneof(
    { weight: 6, arbitrary: literal },
    { weight: 3, arbitrary: fc.constant("*") },
    { weight: 2, arbitrary: fc.constant("?") },
    { weight: 1, arbitrary: fc.constantFrom("\\*", "\\?", "\\[", "\\{") },
    {
      weight: 2,
      arbitrary: fc
        .tuple(fc.boolean(), fc.uniqueArray(fc.constantFrom("a", "b", ":", "-", "a-b"), { minLength: 1, maxLength: 3 }))
        .map(([negated, members]) => `[${negated ? "^" : ""}${members.filter((m, i) => !(m === "-" && i > 0)).join("")}]`),
    },
    { weight: 1, arbitrary: fc.array(tie("seq"), { minLength: 2, maxLength: 3 }).map((options) => `{${options.join(",")}}`) },
  ),
  seq: fc.array(tie("part"), { minLength: 0, maxLength: 3 }).map((parts) => parts.join("")),
})).part;
const pattern = fc.array(part, { minLength: 1, maxLength: 6 }).map((parts) => parts.join(""));
const text = fc.array(fc.constantFrom(...CHARS, "*", "?", "[", "{"), { minLength: 1, maxLength: 10 }).map((cs) => cs.join(""));

// Where picomatch departs from the documented language, on these alphabets, the property skips the case
// (the table above pins our behaviour there):
// - `?` and a negated class do not match `/`;
// - a `**` next to `/` is a globstar over path segments;
// - `.` and `..` segments, a leading `./`, empty segments and a trailing `/` are path syntax (`[a]` matches
//   `a/`, and `*/*` does not match `/`);
// - a pattern starting `*.` takes a fast path for file extensions (`*.*` does not match `a.`, though `x*.*`
//   matches `xa.`);
// - `..` in braces is a range (`{1..3}`), which the language leaves out;
// - it never matches an empty text.
function picomatchAgrees(p: string, t: string): boolean {
  if ((p.includes("?") || p.includes("[^")) && t.includes("/")) return false;
  if (p.startsWith("*.") || (p.includes("{") && p.includes(".."))) return false;
  if (/\*\*/.test(p) && p.includes("/")) return false;
  if (t.startsWith("/") || t.endsWith("/") || t.includes("//")) return false;
  if (/(^|\/)\.\.?(\/|$)/.test(t) || p.startsWith("./") || /(^|\/)\.\.?(\/|$)/.test(p)) return false;
  return t !== "";
}

describe("agrees with picomatch where the documented semantics agree", () => {
  it("on small patterns and texts", () => {
    fc.assert(
      fc.property(pattern, text, (p, t) => {
        fc.pre(picomatchAgrees(p, t));
        const theirs = picomatch(p, { bash: true, dot: true })(t);
        expect(matches(p, t), `${JSON.stringify(p)} against ${JSON.stringify(t)}`).toBe(theirs);
      }),
      { numRuns: FUZZ_RUNS || 3000, seed: FUZZ_RUNS ? Date.now() : 0x61ab },
    );
  });

  it("on texts the pattern was made to match (most random pairs do not match)", () => {
    // A text built from the pattern by replacing each wildcard with a choice of characters matches it.
    const matching = fc.array(fc.oneof(literal, fc.constant("*"), fc.constant("?")), { minLength: 1, maxLength: 8 }).chain((parts) =>
      fc
        .tuple(...parts.map((p) => (p === "*" ? fc.array(literal, { maxLength: 3 }).map((cs) => cs.join("")) : p === "?" ? literal : fc.constant(p))))
        .map((filled) => ({ p: parts.join(""), t: filled.join("") })),
    );
    fc.assert(
      fc.property(matching, ({ p, t }) => {
        fc.pre(picomatchAgrees(p, t));
        expect(matches(p, t)).toBe(true);
        expect(picomatch(p, { bash: true, dot: true })(t)).toBe(true);
      }),
      { numRuns: FUZZ_RUNS || 1000, seed: FUZZ_RUNS ? Date.now() : 0x61ac },
    );
  });
});

describe("no backtracking: inputs that took picomatch minutes", () => {
  /** The bound the matcher guarantees: states x (characters + 1) state visits. */
  function expectLinear(p: string, t: string, expected: boolean): number {
    const glob = compileGlob(p);
    const { matched, steps } = glob.matchCounting(t);
    expect(matched).toBe(expected);
    expect(steps).toBeLessThanOrEqual(glob.states * (Array.from(t).length + 1));
    return steps;
  }

  it("`*-*-*-*-*-legacy` against a 603-character name (over 60 s with picomatch)", () => {
    const name = `${"a-".repeat(301)}b`;
    expect(name).toHaveLength(603);
    expectLinear("*-*-*-*-*-legacy", name, false);
    expectLinear("*-*-*-*-*-legacy", `${name}-legacy`, true);
  });

  it("three stars against an 8,000-character name (hung with picomatch), and many stars against the longest string", () => {
    expectLinear("*a*a*a*b", "a".repeat(8000), false);
    expectLinear("*-*-*-*-*-*-*-*-*-*-*-*-*-*-*-*-legacy", "x-".repeat(4096), false);
    expectLinear(`${"{a,*}".repeat(64)}b`, "a".repeat(8192), false);
  });

  it("the cost grows linearly with the text: twice the text, at most about twice the steps", () => {
    const p = "*-*-*-*-*-legacy";
    const short = compileGlob(p).matchCounting("a-".repeat(2000)).steps;
    const long = compileGlob(p).matchCounting("a-".repeat(4000)).steps;
    expect(long / short).toBeLessThan(2.1);
  });

  it("through applySuppressions, with a 603-character URN and name", () => {
    const name = `${"a-".repeat(301)}b`;
    const finding = {
      rule: { id: "BG201", slug: "usage-endpoint-blocked" },
      code: "NetworkError",
      resource: { urn: `urn:pulumi:prod::stamp::azure-native:network:AzureFirewall::${name}`, name },
    } as unknown as Finding;
    const { findings, notices } = applySuppressions([finding], [{ rule: "BG201", resource: "*-*-*-*-*-legacy", justification: "x" }], { today: "2026-01-01" });
    expect(findings[0]!.suppression).toBeUndefined();
    expect(notices.map((n) => n.kind)).toEqual(["suppression-stale"]);
  });
});

describe("paths: file globs of audit and --stack globs (compileGlob with path)", () => {
  const inPath = (p: string, t: string, dot = false): boolean => compileGlob(p, { path: true, dot }).match(t);

  it.each([
    // `*`, `?` and classes stay within a segment
    ["*.json", "a.json", true],
    ["*.json", "eu/a.json", false],
    ["a?b", "a/b", false],
    ["a[!x]b", "a/b", false],
    ["*/*.json", "eu/a.json", true],
    // `**` as a whole segment: any number of segments, none included
    ["**/*.json", "a.json", true],
    ["**/*.json", "eu/west/a.json", true],
    ["stacks/**/*.json", "stacks/a.json", true],
    ["a/**/b", "a/x/y/b", true],
    ["a/**/b", "a/b", true],
    ["a/**/b", "a/xb", false],
    ["a/**", "a/x/y", true],
    ["a/**", "a", true],
    ["**", "a/b/c", true],
    // elsewhere `**` is `*`
    ["a**b", "a/x/b", false],
    ["a**b", "axxb", true],
    ["a/**b", "a/xb", true],
    // a leading dot takes a `.` first in its pattern segment
    ["*.json", ".x.json", false],
    ["*.json", ".json", false],
    ["?x", ".x", false],
    ["**/*.json", ".git/a.json", false],
    ["**", "a/.b", false],
    ["a/*/b", "a/.x/b", false],
    [".x/*", ".x/a", true],
    ["**/.x", "eu/.x", true],
    ["{.x,y}", ".x", true],
    ["*.json", "a.b.json", true],
    // braces may hold a `/`
    ["{prod,lab/eu}/*.json", "lab/eu/a.json", true],
    ["exports/{prod,lab}-*.json", "exports/lab-1.json", true],
  ])("%s against %s: %s", (p, t, expected) => {
    expect(inPath(p, t)).toBe(expected);
  });

  it("with dot, wildcards match a leading dot too (--stack globs)", () => {
    expect(inPath("*", ".x", true)).toBe(true);
    expect(inPath("**/*", ".a/.b", true)).toBe(true);
    expect(inPath("*", "a/b", true)).toBe(false);
  });

  // Path texts as walk() and backends give them: segments of a, b and `.`, no empty, `.` or `..` segment.
  const segment = fc.array(fc.constantFrom("a", "b", "."), { minLength: 1, maxLength: 3 }).map((cs) => cs.join("")).filter((s) => s !== "." && s !== "..");
  const pathText = fc.array(segment, { minLength: 1, maxLength: 4 }).map((ss) => ss.join("/"));
  const pathPart = fc.oneof(
    { weight: 4, arbitrary: fc.constantFrom("a", "b", ".") },
    { weight: 2, arbitrary: fc.constantFrom("*", "?", "[ab]", "[^a]") },
    { weight: 2, arbitrary: fc.constant("/") },
    { weight: 1, arbitrary: fc.constant("{a,b/a}") },
  );
  const pathPattern = fc
    .array(fc.oneof({ weight: 5, arbitrary: fc.array(pathPart, { minLength: 1, maxLength: 4 }).map((ps) => ps.join("")) }, { weight: 1, arbitrary: fc.constant("**") }), {
      minLength: 1,
      maxLength: 4,
    })
    .map((segments) => segments.join("/"));

  // Where picomatch departs, the property skips the case: empty, `.` and `..` segments in the pattern (path
  // syntax), a pattern starting `*.` (picomatch's fast path for file extensions), and one ending `/**`, which
  // picomatch lets match the part before it alone only when that part is literal (`a/**` matches `a`, `*\/**`
  // does not match `a`; the language: both do). Not generated: `[!a]`,
  // which picomatch reads as the class of `!` and `a` (`[!a]x` matches `ax`), where the language and bash
  // read "not a", as `[^a]`. And picomatch lets a negated class match a leading dot (`[^a]*` matches `.b`);
  // the language, as bash, does not. And a `**` against a brace (`**{a,b}`) is a globstar to picomatch.
  function picomatchAgreesOnPaths(p: string, t: string): boolean {
    if (p.includes("[^") && /(^|\/)\./.test(t)) return false;
    if (/\*\*\{|\}\*\*/.test(p)) return false;
    return !p.includes("//") && !p.startsWith("/") && !p.endsWith("/") && !/(^|\/)\.\.?(\/|$)/.test(p) && !p.startsWith("*.") && !p.endsWith("/**");
  }

  it("agrees with picomatch ({ dot: false }) on small path patterns and texts", () => {
    fc.assert(
      fc.property(pathPattern, pathText, (p, t) => {
        fc.pre(picomatchAgreesOnPaths(p, t));
        expect(inPath(p, t), `${JSON.stringify(p)} against ${JSON.stringify(t)}`).toBe(picomatch(p, { dot: false })(t));
      }),
      { numRuns: FUZZ_RUNS || 3000, seed: FUZZ_RUNS ? Date.now() : 0x9a7e },
    );
  });

  it("no backtracking: `*-*-*-*-*-legacy.json` against a 600-character name, in steps linear in the name", () => {
    const name = `${"a-".repeat(299)}bb`;
    expect(name).toHaveLength(600);
    for (const [text, expected] of [
      [name, false],
      [`${name}-legacy.json`, true],
      [`stacks/${name}`, false],
    ] as const) {
      const glob = compileGlob("*-*-*-*-*-legacy.json", { path: true });
      const { matched, steps } = glob.matchCounting(text);
      expect(matched).toBe(expected);
      expect(steps).toBeLessThanOrEqual(glob.states * (text.length + 1));
    }
    const globstar = compileGlob("**/*-*-*-*-*-legacy.json", { path: true });
    const deep = `${"a-a/".repeat(150)}${name}`;
    expect(globstar.matchCounting(deep).matched).toBe(false);
    expect(globstar.matchCounting(deep).steps).toBeLessThanOrEqual(globstar.states * (deep.length + 1));
  });
});
