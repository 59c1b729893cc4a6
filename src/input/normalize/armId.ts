/**
 * ARM resource ids: `/subscriptions/{sub}/resourceGroups/{rg}/providers/{Namespace}/{type}/{name}[/{type}/{name}]...`.
 * ARM treats every part case-insensitively, and real ids do vary (`resourcegroups`, `resourceGroups`).
 */
export interface ArmIdParts {
  subscriptionId?: string;
  resourceGroup?: string;
}

const SUBSCRIPTIONS = "/subscriptions/";
const RESOURCE_GROUPS = "/resourcegroups/";

/**
 * Whether `text` has `lowerAscii` (lower-case letters and `/`) at `at`, ASCII letters compared without
 * case, as ARM does. (A case-insensitive regular expression did this before: it was the single largest
 * cost of reading the thousands of resources a platform stack holds and no check reads.)
 */
function hasAt(text: string, at: number, lowerAscii: string): boolean {
  if (text.length < at + lowerAscii.length) return false;
  for (let i = 0; i < lowerAscii.length; i++) {
    const want = lowerAscii.charCodeAt(i);
    const got = text.charCodeAt(at + i);
    // Where a letter is wanted, `| 0x20` lower-cases its capital (and maps nothing else onto it).
    if (got !== want && !(want >= 0x61 && want <= 0x7a && (got | 0x20) === want)) return false;
  }
  return true;
}

/** The end of the id segment that starts at `start` (the next `/`, or the end of the id). */
function segmentEnd(id: string, start: number): number {
  const slash = id.indexOf("/", start);
  return slash < 0 ? id.length : slash;
}

/** `/subscriptions/{sub}[/resourceGroups/{rg}]...`: the subscription and resource group an id names. */
export function parseArmId(id: string): ArmIdParts {
  const out: ArmIdParts = {};
  if (!hasAt(id, 0, SUBSCRIPTIONS)) return out;
  const subEnd = segmentEnd(id, SUBSCRIPTIONS.length);
  if (subEnd === SUBSCRIPTIONS.length) return out;
  out.subscriptionId = id.slice(SUBSCRIPTIONS.length, subEnd);
  if (hasAt(id, subEnd, RESOURCE_GROUPS)) {
    const rgStart = subEnd + RESOURCE_GROUPS.length;
    const rgEnd = segmentEnd(id, rgStart);
    if (rgEnd > rgStart) out.resourceGroup = id.slice(rgStart, rgEnd);
  }
  return out;
}

/** Whether a string looks like an ARM id (so that it is worth parsing): `/subscriptions/{sub}/...`. */
export function isArmId(id: string): boolean {
  if (!hasAt(id, 0, SUBSCRIPTIONS)) return false;
  const subEnd = segmentEnd(id, SUBSCRIPTIONS.length);
  return subEnd > SUBSCRIPTIONS.length && subEnd < id.length;
}

const PROVIDERS = "/providers/";

/**
 * Whether `id.slice(start, end)`, lower-cased, is `lower` (a lower-case type segment). ASCII is compared
 * in place, with no string built: this runs for every subnet, rule and route of a stack. A segment with
 * other characters is lower-cased as a whole, as `toLowerCase` does (`K`, the Kelvin sign, is `k`).
 */
function segmentIs(id: string, start: number, end: number, lower: string): boolean {
  if (end - start === lower.length && hasAt(id, start, lower)) return true;
  for (let i = start; i < end; i++) if (id.charCodeAt(i) >= 0x80) return id.slice(start, end).toLowerCase() === lower;
  return false;
}

/**
 * Where the name of the first `{type}/{name}` pair after the last `/providers/{Namespace}` whose type is
 * `typeSegment` (case-insensitively) ends in the id, or -1. Type segments are at fixed positions, so a
 * resource named like a type (`routeTables/routes/routes/r1`) is read right; a pair with an empty name
 * (`.../routes//x`) is skipped.
 */
function typedNameEnd(id: string, typeSegment: string): number {
  const wanted = typeSegment.toLowerCase();
  const providers = id.toLowerCase().lastIndexOf(PROVIDERS);
  if (providers < 0) return -1;
  // Segments are walked with indexOf, not split: no array and no string per segment.
  let slash = id.indexOf("/", providers + PROVIDERS.length); // after the namespace
  while (slash >= 0) {
    const typeStart = slash + 1;
    const typeEnd = id.indexOf("/", typeStart);
    if (typeEnd < 0) return -1; // a type with no name segment after it
    const nameStart = typeEnd + 1;
    const nameEnd = segmentEnd(id, nameStart);
    if (nameEnd > nameStart && segmentIs(id, typeStart, typeEnd, wanted)) return nameEnd;
    slash = nameEnd < id.length ? nameEnd : -1;
  }
  return -1;
}

/** The name that follows a type segment (`registrations` → `testregistration`), case-insensitively. */
export function nameAfter(id: string, typeSegment: string): string | undefined {
  const end = typedNameEnd(id, typeSegment);
  // The name is not empty and holds no `/`: the `/` before it is the one that ends its type.
  return end < 0 ? undefined : id.slice(id.lastIndexOf("/", end - 1) + 1, end);
}

/**
 * The id of the resource `{typeSegment}/{name}` that an id is under: for a rule collection group
 * `.../firewallPolicies/fp/ruleCollectionGroups/g`, `idPrefixThrough(id, "firewallPolicies")` is the policy's id.
 */
export function idPrefixThrough(id: string, typeSegment: string): string | undefined {
  const end = typedNameEnd(id, typeSegment);
  return end < 0 ? undefined : id.slice(0, end);
}

/** The resource type an id names (`Microsoft.Network/firewallPolicies/ruleCollectionGroups`), for bodies without `type`. */
export function typeFromArmId(id: string): string | undefined {
  const parts = id.split("/");
  let p = -1;
  for (let i = 0; i < parts.length; i++) if ((parts[i] as string).toLowerCase() === "providers") p = i;
  if (p < 0 || p + 3 >= parts.length) return undefined;
  const ns = parts[p + 1] as string;
  const types: string[] = [];
  for (let i = p + 2; i < parts.length; i += 2) types.push(parts[i] as string);
  return [ns, ...types].join("/");
}

/** An ARM id without trailing slashes (ids from some inputs end in one). Without a regular expression: every gate and path entry names its resource through here. */
export function withoutTrailingSlashes(armId: string): string {
  let end = armId.length;
  while (end > 0 && armId.charCodeAt(end - 1) === 47 /* "/" */) end--;
  return end === armId.length ? armId : armId.slice(0, end);
}

/** The last non-empty path segment: the resource's own name (undefined for an id of slashes only). */
export function lastSegment(id: string): string | undefined {
  const trimmed = withoutTrailingSlashes(id);
  return trimmed.slice(trimmed.lastIndexOf("/") + 1) || undefined;
}
