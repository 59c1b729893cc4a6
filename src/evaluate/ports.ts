/** Port matching for firewall `destinationPorts` and NSG `destinationPortRanges`: `"443"`, `"443-444"`, `"*"`. */
import { anyOfEach, noBecause } from "./match";
import { memoizeString } from "./memo";
import { NO, YES, type Match } from "./types";

const PORT = /^\d{1,5}$/;

function isPort(text: string): boolean {
  return PORT.test(text) && Number(text) <= 65535;
}

/** A port entry as Azure reads it: an inclusive range (`*` is 0-65535), or why it matches nothing. */
type PortEntry = { low: number; high: number } | { invalid: Match };

/** Parsed once per distinct string: every rule's ports are matched against every flow. */
const parsePortEntry = memoizeString((raw: string): PortEntry => {
  const text = raw.trim();
  if (text === "*") return { low: 0, high: 65535 };
  if (isPort(text)) return { low: Number(text), high: Number(text) };
  const bounds = text.split("-");
  if (bounds.length === 2 && bounds.every(isPort) && Number(bounds[0]) <= Number(bounds[1])) {
    return { low: Number(bounds[0]), high: Number(bounds[1]) };
  }
  return { invalid: noBecause(`port "${raw}" is not a port, a range a-b or *: it matches nothing`) };
});

/** Why a port entry matches nothing (Azure would not accept it), or undefined. */
export function portProblem(raw: string): string | undefined {
  const entry = parsePortEntry(raw);
  return "invalid" in entry ? entry.invalid.notes?.[0] : undefined;
}

/** One port entry against the flow's port; an entry Azure would not accept matches nothing, with a note. */
export function matchPortEntry(raw: string, port: number): Match {
  const entry = parsePortEntry(raw);
  if ("invalid" in entry) return entry.invalid;
  return entry.low <= port && port <= entry.high ? YES : NO;
}

/** Any listed port (or range) covers the flow's port. */
export function matchPorts(ranges: readonly string[], port: number): Match {
  return anyOfEach(ranges, matchPortEntry, port);
}
