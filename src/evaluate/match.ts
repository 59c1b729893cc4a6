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

/** Every condition must hold: one `no` is enough to rule out, any `maybe` leaves doubt. */
export function allOf(matches: Match[]): Match {
  const notes = matches.flatMap(notesOf);
  if (matches.some((m) => m.result === "no")) return withNotes(NO, notes);
  if (matches.some((m) => m.result === "maybe")) return withNotes(maybe(joinWhys(matches)), notes);
  return withNotes(YES, notes);
}

/** One alternative is enough (a rule lists several addresses, FQDNs or ports): `yes` wins over doubt. */
export function anyOf(matches: Match[]): Match {
  const notes = matches.flatMap(notesOf);
  if (matches.some((m) => m.result === "yes")) return withNotes(YES, notes);
  if (matches.some((m) => m.result === "maybe")) return withNotes(maybe(joinWhys(matches)), notes);
  return withNotes(NO, notes);
}

