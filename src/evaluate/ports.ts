/** Port matching for firewall `destinationPorts` and NSG `destinationPortRanges`: `"443"`, `"443-444"`, `"*"`. */
import { anyOf, noBecause } from "./match";
import { NO, YES, type Match } from "./types";

const PORT = /^\d{1,5}$/;

function isPort(text: string): boolean {
  return PORT.test(text) && Number(text) <= 65535;
}

/** One port entry against the flow's port; an entry Azure would not accept matches nothing, with a note. */
export function matchPortEntry(raw: string, port: number): Match {
  const text = raw.trim();
  if (text === "*") return YES;
  if (isPort(text)) return Number(text) === port ? YES : NO;
  const bounds = text.split("-");
  if (bounds.length === 2 && bounds.every(isPort) && Number(bounds[0]) <= Number(bounds[1])) {
    return Number(bounds[0]) <= port && port <= Number(bounds[1]) ? YES : NO;
  }
  return noBecause(`port "${raw}" is not a port, a range a-b or *: it matches nothing`);
}

/** Any listed port (or range) covers the flow's port. */
export function matchPorts(ranges: readonly string[], port: number): Match {
  return anyOf(ranges.map((r) => matchPortEntry(r, port)));
}
