import { maybe, NO, YES, type Match } from "./types";

/** A `no` that tells a person why the rule can never match (an invalid value in it). */
export function noBecause(note: string): Match {
  return { result: "no", notes: [note] };
}

export function notesOf(match: Match): string[] {
  return match.notes ?? [];
}

/** The same match, carrying extra notes. */
export function withNotes(match: Match, notes: string[]): Match {
  return notes.length === 0 ? match : { ...match, notes: [...new Set(notes)] };
}

function joinWhys(matches: readonly Match[]): string {
  const whys = matches.flatMap((m) => (m.result === "maybe" ? [m.why] : []));
  return [...new Set(whys)].join("; ");
}

/**
 * The doubt of several matches as one `maybe`. The common case, one doubtful condition and no notes, is
 * that condition's own match: nothing to join.
 */
function combinedMaybe(matches: readonly Match[]): Match {
  let only: Match | undefined;
  for (const m of matches) {
    if (m.notes?.length) return maybe(joinWhys(matches));
    if (m.result !== "maybe") continue;
    if (only) return maybe(joinWhys(matches));
    only = m;
  }
  return only ?? maybe(joinWhys(matches));
}

/** The notes of several matches, or undefined when none has any (the common case: no allocation). */
function collectNotes(matches: readonly Match[]): string[] | undefined {
  let notes: string[] | undefined;
  for (const m of matches) if (m.notes?.length) (notes ??= []).push(...m.notes);
  return notes;
}

/** Every condition must hold: one `no` is enough to rule out, any `maybe` leaves doubt. */
export function allOf(matches: Match[]): Match {
  // One pass and no allocation unless a note or a doubt needs it: this runs for every rule and flow.
  let sawMaybe = false;
  let sawNo = false;
  for (const m of matches) {
    if (m.result === "no") sawNo = true;
    else if (m.result === "maybe") sawMaybe = true;
  }
  const base = sawNo ? NO : sawMaybe ? combinedMaybe(matches) : YES;
  const notes = collectNotes(matches);
  return notes ? withNotes(base, notes) : base;
}

/** One alternative is enough (a rule lists several addresses, FQDNs or ports): `yes` wins over doubt. */
export function anyOf(matches: Match[]): Match {
  let sawMaybe = false;
  let sawYes = false;
  for (const m of matches) {
    if (m.result === "yes") sawYes = true;
    else if (m.result === "maybe") sawMaybe = true;
  }
  const base = sawYes ? YES : sawMaybe ? combinedMaybe(matches) : NO;
  const notes = collectNotes(matches);
  return notes ? withNotes(base, notes) : base;
}

/**
 * `anyOf(items.map((item) => match(item, arg)))` without the array or a closure: every rule lists its ports, addresses and FQDNs, and this
 * runs for each against every flow. Only a `maybe` or a note (rare) makes it gather the matches.
 */
export function anyOfEach<T, A>(items: readonly T[], match: (item: T, arg: A) => Match, arg: A): Match {
  let sawYes = false;
  let gathered: Match[] | undefined;
  for (const item of items) {
    const m = match(item, arg);
    if (m.result === "yes") sawYes = true;
    if (m.result === "maybe" || m.notes?.length) (gathered ??= []).push(m);
  }
  if (!gathered) return sawYes ? YES : NO;
  return anyOf(sawYes ? [YES, ...gathered] : gathered);
}
