/**
 * Globs over identifiers (a suppression's `resource`: a URN, an ARM id or a resource name), matched in time
 * linear in the text: the pattern becomes a Thompson NFA and the text is read once, keeping the set of
 * states it could be in. Nothing backtracks, so no pattern can make a match slow: the cost is at most
 * (states) x (characters), whatever the pattern and the text. A backtracking matcher (picomatch's regular
 * expressions, which this replaces) took over 60 s for `*-*-*-*-*-legacy` against a 603-character name.
 *
 * The language (docs/ci-at-scale.md, "Suppressions"):
 *
 * - `*` any characters, none included, `/` and `:` included (URNs and ARM ids are identifiers, not paths);
 *   `**` is the same as `*`;
 * - `?` exactly one character, `/` and `:` included;
 * - `[abc]`, `[a-z]`, `[!a-z]` or `[^a-z]` (not one of them), `[[:alpha:]]` and the other POSIX classes;
 *   a `]` first in the set is a member; a `[` with no closing `]` is itself;
 * - `{a,b,c}` one of the alternatives, each a pattern, nested as deep as `MAX_BRACE_DEPTH`; braces without
 *   a comma between them are themselves (`{a}` matches `{a}`, as in bash);
 * - `\` before one of `* ? [ ] { } , \` makes it itself (`\*` matches `*`); before anything else, and at
 *   the end, a backslash is itself (`a\b` matches `a\b`);
 * - everything else is itself, `!`, `+`, `@`, `(`, `)` and `|` included: no extglobs and no leading `!`
 *   negation, which would let a suppression accept every resource but one by accident.
 *
 * Matching is case-sensitive and covers the whole text. Characters are code points.
 *
 * Paths (`{ path: true }`: file globs of `audit`, `--stack` globs over `project/stack`), as picomatch and
 * bash read them, in the same linear time:
 *
 * - `*`, `?` and classes do not match `/`;
 * - `**` as a whole segment (`**`, `a/**`, `**\/b`, `a/**\/b`) matches any number of segments, none
 *   included (`a/**\/b` matches `a/b`, `a/x/y/b`; `a/**` matches `a` too); elsewhere (`a**`) it is `*`;
 * - without `dot`, a `.` first in a segment of the text is matched only by a `.` first in a segment of the
 *   pattern: wildcards, classes and `**` never match it (`*.json` does not match `.x.json`, `**` does not
 *   enter `.git/`).
 */

/** Brace groups nested deeper than this are refused: the parser recurses once per level. */
export const MAX_BRACE_DEPTH = 32;

/** How a glob reads its text: as an identifier (the default), or as a path. */
export interface GlobOptions {
  /** A path: `/` separates segments (see the module comment). */
  path?: boolean;
  /** With `path`: wildcards also match a `.` first in a segment. */
  dot?: boolean;
}

/** A pattern this module refuses (braces nested too deeply); the message says why, for a config error. */
export class GlobSyntaxError extends Error {}

/** A set of code points: `[...]`. */
interface CharClass {
  negated: boolean;
  /** Inclusive code point ranges; a single character is a range of one. */
  ranges: Array<[number, number]>;
  posix: Array<(cp: number) => boolean>;
}

type Item =
  | { kind: "literal"; cp: number }
  | { kind: "one" }
  | { kind: "star" }
  | { kind: "class"; set: CharClass }
  | { kind: "alternatives"; options: Item[][] }
  /** Paths only: `**` as a whole segment; `slash` when a `/` follows it (any number of `segment/`). */
  | { kind: "globstar"; slash: boolean };

/**
 * A state of the NFA: consumes one code point (`literal`, `one`, `class`), forks without consuming, or
 * accepts. In a path, `one` with `slash` (from `**`) also consumes `/`; a literal `first` in its pattern
 * segment may consume a `.` first in a segment of the text.
 */
type State =
  | { kind: "literal"; cp: number; next: number; first: boolean }
  | { kind: "one"; next: number; slash: boolean }
  | { kind: "class"; set: CharClass; next: number }
  | { kind: "fork"; next: number[] }
  | { kind: "accept" };

const isAsciiIn = (lo: number, hi: number) => (cp: number) => cp >= lo && cp <= hi;
const isDigit = isAsciiIn(0x30, 0x39);
const isUpper = isAsciiIn(0x41, 0x5a);
const isLower = isAsciiIn(0x61, 0x7a);
const isAlpha = (cp: number) => isUpper(cp) || isLower(cp);
const isAlnum = (cp: number) => isAlpha(cp) || isDigit(cp);
const isSpace = (cp: number) => cp === 0x20 || (cp >= 0x09 && cp <= 0x0d);
const isCntrl = (cp: number) => cp < 0x20 || cp === 0x7f;
const isGraph = isAsciiIn(0x21, 0x7e);

/** The POSIX character classes bash knows, over ASCII (as in the C locale). */
const POSIX: Record<string, (cp: number) => boolean> = {
  alnum: isAlnum,
  alpha: isAlpha,
  ascii: isAsciiIn(0, 0x7f),
  blank: (cp) => cp === 0x20 || cp === 0x09,
  cntrl: isCntrl,
  digit: isDigit,
  graph: isGraph,
  lower: isLower,
  print: isAsciiIn(0x20, 0x7e),
  punct: (cp) => isGraph(cp) && !isAlnum(cp),
  space: isSpace,
  upper: isUpper,
  word: (cp) => isAlnum(cp) || cp === 0x5f,
  xdigit: (cp) => isDigit(cp) || isAsciiIn(0x41, 0x46)(cp) || isAsciiIn(0x61, 0x66)(cp),
};

const BACKSLASH = 0x5c;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const COMMA = 0x2c;
const COLON = 0x3a;
const SLASH = 0x2f;
const DOT = 0x2e;
const STAR = 0x2a;
/** What a backslash escapes: the characters with a meaning, and the backslash. */
const ESCAPABLE = new Set(Array.from("*?[]{},\\", (c) => c.codePointAt(0)!));

/**
 * A token of the pattern: a character that is itself, a wildcard, a class, or a brace or comma whose role
 * (group or literal) is decided once every brace has been paired.
 */
type Token =
  | { kind: "literal"; cp: number }
  | { kind: "one" }
  | { kind: "star" }
  | { kind: "globstar" }
  | { kind: "class"; set: CharClass }
  | { kind: "open" | "close" | "comma"; cp: number; group: boolean };

/**
 * Reads `[...]` starting at `start` (the `[`); undefined when there is no closing `]`. Linear overall: the
 * caller stops looking for classes once one has run to the end unclosed (no later `[` can close either).
 */
function readClass(cps: readonly number[], start: number): { set: CharClass; end: number } | undefined {
  let i = start + 1;
  const set: CharClass = { negated: false, ranges: [], posix: [] };
  if (cps[i] === 0x21 || cps[i] === 0x5e) {
    set.negated = true;
    i++;
  }
  let first = true;
  while (i < cps.length) {
    const cp = cps[i]!;
    if (cp === CLOSE_BRACKET && !first) return { set, end: i + 1 };
    first = false;
    if (cp === OPEN_BRACKET && cps[i + 1] === COLON) {
      const close = findPosixEnd(cps, i + 2);
      if (close !== undefined) {
        const name = String.fromCodePoint(...cps.slice(i + 2, close));
        const test = POSIX[name];
        if (test) {
          set.posix.push(test);
          i = close + 2;
          continue;
        }
      }
    }
    let lo = cp;
    i++;
    if (lo === BACKSLASH && i < cps.length) lo = cps[i++]!;
    // `a-z` is a range; a `-` first or last is a member.
    if (cps[i] === 0x2d && i + 1 < cps.length && cps[i + 1] !== CLOSE_BRACKET) {
      let hi = cps[i + 1]!;
      i += 2;
      if (hi === BACKSLASH && i < cps.length) hi = cps[i++]!;
      if (lo <= hi) set.ranges.push([lo, hi]);
      continue;
    }
    set.ranges.push([lo, lo]);
  }
  return undefined;
}

/** The index of the `:` of a `:]` closing a POSIX class name of lowercase letters, if any. */
function findPosixEnd(cps: readonly number[], from: number): number | undefined {
  for (let i = from; i < cps.length && i < from + 8; i++) {
    if (cps[i] === COLON) return cps[i + 1] === CLOSE_BRACKET ? i : undefined;
    if (!isLower(cps[i]!)) return undefined;
  }
  return undefined;
}

function tokenize(pattern: string, path: boolean): Token[] {
  const cps = Array.from(pattern, (c) => c.codePointAt(0)!);
  const tokens: Token[] = [];
  let classesCanClose = true;
  for (let i = 0; i < cps.length; ) {
    const cp = cps[i]!;
    if (cp === BACKSLASH && i + 1 < cps.length && ESCAPABLE.has(cps[i + 1]!)) {
      tokens.push({ kind: "literal", cp: cps[i + 1]! });
      i += 2;
    } else if (path && cp === STAR && cps[i + 1] === STAR && (i === 0 || cps[i - 1] === SLASH) && (i + 2 === cps.length || cps[i + 2] === SLASH)) {
      // A path's `**` as a whole segment: any number of segments.
      tokens.push({ kind: "globstar" });
      i += 2;
    } else if (cp === STAR) {
      // Elsewhere `**` is `*`; one star state is enough for a run of them.
      if (tokens.at(-1)?.kind !== "star") tokens.push({ kind: "star" });
      i++;
    } else if (cp === 0x3f) {
      tokens.push({ kind: "one" });
      i++;
    } else if (cp === OPEN_BRACKET && classesCanClose) {
      const read = readClass(cps, i);
      if (read) {
        tokens.push({ kind: "class", set: read.set });
        i = read.end;
      } else {
        classesCanClose = false;
        tokens.push({ kind: "literal", cp });
        i++;
      }
    } else if (cp === OPEN_BRACE || cp === CLOSE_BRACE || cp === COMMA) {
      tokens.push({ kind: cp === OPEN_BRACE ? "open" : cp === CLOSE_BRACE ? "close" : "comma", cp, group: false });
      i++;
    } else {
      tokens.push({ kind: "literal", cp });
      i++;
    }
  }
  pairBraces(tokens);
  return tokens;
}

/**
 * Marks the braces that form groups and the commas that separate their alternatives, as bash does: a `{`
 * pairs with the next unpaired `}`, and the pair is a group when a comma stands directly inside it.
 * Everything else stays literal. One pass with a stack.
 */
function pairBraces(tokens: Token[]): void {
  const open: Array<{ index: number; commas: number[] }> = [];
  tokens.forEach((token, index) => {
    if (token.kind === "open") open.push({ index, commas: [] });
    else if (token.kind === "comma") open.at(-1)?.commas.push(index);
    else if (token.kind === "close") {
      const pair = open.pop();
      if (!pair || pair.commas.length === 0) return;
      (tokens[pair.index] as { group: boolean }).group = true;
      (token as { group: boolean }).group = true;
      for (const c of pair.commas) (tokens[c] as { group: boolean }).group = true;
    }
  });
}

/** Turns the tokens into nested sequences; `depth` counts brace groups, refused past `MAX_BRACE_DEPTH`. */
function parse(tokens: readonly Token[]): Item[] {
  let at = 0;
  const sequence = (depth: number): Item[] => {
    const items: Item[] = [];
    while (at < tokens.length) {
      const token = tokens[at]!;
      if ((token.kind === "comma" || token.kind === "close") && token.group) return items;
      at++;
      switch (token.kind) {
        case "open":
          if (!token.group) {
            items.push({ kind: "literal", cp: token.cp });
            break;
          }
          if (depth >= MAX_BRACE_DEPTH) throw new GlobSyntaxError(`braces nested more than ${MAX_BRACE_DEPTH} deep`);
          {
            const options: Item[][] = [sequence(depth + 1)];
            while ((tokens[at] as { kind: string } | undefined)?.kind === "comma") {
              at++;
              options.push(sequence(depth + 1));
            }
            at++; // the group's `}`
            items.push({ kind: "alternatives", options });
          }
          break;
        case "close":
        case "comma":
          items.push({ kind: "literal", cp: token.cp });
          break;
        case "globstar": {
          const next = tokens[at];
          if (next?.kind === "literal" && next.cp === SLASH) {
            at++;
            items.push({ kind: "globstar", slash: true });
          } else if (items.at(-1)?.kind === "literal" && (items.at(-1) as { cp: number }).cp === SLASH) {
            // `a/**` matches `a` too: the `/` and the segments after it are one optional part.
            items.pop();
            items.push({ kind: "alternatives", options: [[], [{ kind: "literal", cp: SLASH }, { kind: "globstar", slash: false }]] });
          } else {
            items.push({ kind: "globstar", slash: false });
          }
          break;
        }
        default:
          items.push(token);
      }
    }
    return items;
  };
  return sequence(0);
}

/** True when `item` ends a segment of the pattern: a `/`, or `**\/`. */
function endsSegment(item: Item | undefined): boolean {
  return (item?.kind === "literal" && item.cp === SLASH) || (item?.kind === "globstar" && item.slash);
}

/**
 * Builds the NFA back to front: each item is compiled with the state that follows it already known, and
 * whether it stands first in a segment of the pattern (after a `/`, or first in the pattern).
 */
function build(items: readonly Item[], path: boolean): { states: State[]; start: number } {
  const states: State[] = [{ kind: "accept" }];
  const add = (state: State): number => states.push(state) - 1;
  const sequence = (seq: readonly Item[], next: number, first: boolean): number => {
    for (let i = seq.length - 1; i >= 0; i--) next = item(seq[i]!, next, i === 0 ? first : endsSegment(seq[i - 1]));
    return next;
  };
  // fork -> (one -> fork) | next: any number of the characters `one` takes.
  const loop = (slash: boolean, next: number): number => {
    const fork = add({ kind: "fork", next: [] });
    const one = add({ kind: "one", next: fork, slash });
    (states[fork] as { next: number[] }).next = [one, next];
    return fork;
  };
  const item = (it: Item, next: number, first: boolean): number => {
    switch (it.kind) {
      case "literal":
        return add({ kind: "literal", cp: it.cp, next, first });
      case "one":
        return add({ kind: "one", next, slash: !path });
      case "class":
        return add({ kind: "class", set: it.set, next });
      case "star":
        return loop(!path, next);
      case "globstar": {
        if (!it.slash) return loop(true, next);
        // (segment `/`)*: fork -> (one -> (one -> ...)* -> `/` -> fork) | next, each segment at least a character.
        const fork = add({ kind: "fork", next: [] });
        const slash = add({ kind: "literal", cp: SLASH, next: fork, first: false });
        const rest = loop(false, slash);
        const one = add({ kind: "one", next: rest, slash: false });
        (states[fork] as { next: number[] }).next = [one, next];
        return fork;
      }
      case "alternatives":
        return add({ kind: "fork", next: it.options.map((option) => sequence(option, next, first)) });
    }
  };
  return { states, start: sequence(items, 0, true) };
}

function inClass(set: CharClass, cp: number): boolean {
  let member = false;
  for (const [lo, hi] of set.ranges) {
    if (cp >= lo && cp <= hi) {
      member = true;
      break;
    }
  }
  if (!member) member = set.posix.some((test) => test(cp));
  return member !== set.negated;
}

/** A compiled glob. */
export interface Glob {
  /** True when the pattern matches the whole of `text`. */
  match(text: string): boolean;
  /**
   * `match`, counting the states visited: never more than `states` x (code points of `text` + 1), the
   * bound that makes matching linear in the text (tests assert it on pathological inputs).
   */
  matchCounting(text: string): { matched: boolean; steps: number };
  /** The number of NFA states: at most a few per character of the pattern. */
  readonly states: number;
}

/** Compiles `pattern`; throws `GlobSyntaxError` for braces nested deeper than `MAX_BRACE_DEPTH`. */
export function compileGlob(pattern: string, options: GlobOptions = {}): Glob {
  const path = options.path === true;
  // In a path without `dot`, a `.` first in a segment of the text takes a literal first in its pattern segment.
  const guardDots = path && options.dot !== true;
  const { states, start } = build(parse(tokenize(pattern, path)), path);
  // Two lists of the consuming states the text could be in, and a mark per state for the step that added it.
  const mark = new Int32Array(states.length).fill(-1);
  const run = (text: string): { matched: boolean; steps: number } => {
    let steps = 0;
    let step = 0;
    let current: number[] = [];
    let next: number[] = [];
    let accepted = false;
    const stack: number[] = [];
    // Adds a state and every state reachable from it without consuming, to `list`.
    const close = (from: number, list: number[]): void => {
      stack.push(from);
      while (stack.length > 0) {
        const s = stack.pop()!;
        if (mark[s] === step) continue;
        mark[s] = step;
        steps++;
        const state = states[s]!;
        if (state.kind === "fork") {
          for (let i = state.next.length - 1; i >= 0; i--) stack.push(state.next[i]!);
        } else if (state.kind === "accept") {
          accepted = true;
        } else {
          list.push(s);
        }
      }
    };
    mark.fill(-1);
    close(start, current);
    let previous = SLASH;
    for (const c of text) {
      if (current.length === 0) return { matched: false, steps };
      const cp = c.codePointAt(0)!;
      const leadingDot = guardDots && cp === DOT && previous === SLASH;
      previous = cp;
      step++;
      accepted = false;
      for (const s of current) {
        const state = states[s] as Exclude<State, { kind: "fork" } | { kind: "accept" }>;
        let ok: boolean;
        if (state.kind === "literal") ok = state.cp === cp && (!leadingDot || state.first);
        else if (leadingDot || (path && cp === SLASH && !(state.kind === "one" && state.slash))) ok = false;
        else ok = state.kind === "one" || inClass(state.set, cp);
        if (ok) close(state.next, next);
      }
      [current, next] = [next, current];
      next.length = 0;
    }
    return { matched: accepted, steps };
  };
  return {
    match: (text) => run(text).matched,
    matchCounting: run,
    states: states.length,
  };
}

/** True when `pattern` has a character this language gives a meaning to (else it is compared as it is). */
export function isGlob(pattern: string): boolean {
  return /[*?[{\\]/.test(pattern);
}
