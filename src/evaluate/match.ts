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

function joinWhys(matches: Match[]): string {
  const whys = matches.flatMap((m) => (m.result === "maybe" ? [m.why] : []));
  return [...new Set(whys)].join("; ");
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
  const base = sawNo ? NO : sawMaybe ? maybe(joinWhys(matches)) : YES;
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
  const base = sawYes ? YES : sawMaybe ? maybe(joinWhys(matches)) : NO;
  const notes = collectNotes(matches);
  return notes ? withNotes(base, notes) : base;
}
