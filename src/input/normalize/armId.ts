/**
 * ARM resource ids: `/subscriptions/{sub}/resourceGroups/{rg}/providers/{Namespace}/{type}/{name}[/{type}/{name}]...`.
 * ARM treats every part case-insensitively, and real ids do vary (`resourcegroups`, `resourceGroups`).
 */
export interface ArmIdParts {
  subscriptionId?: string;
  resourceGroup?: string;
}

const SCOPE = /^\/subscriptions\/([^/]+)(?:\/resourceGroups\/([^/]+))?/i;

export function parseArmId(id: string): ArmIdParts {
  const m = SCOPE.exec(id);
  const out: ArmIdParts = {};
  if (m?.[1]) out.subscriptionId = m[1];
  if (m?.[2]) out.resourceGroup = m[2];
  return out;
}

/** Whether a string looks like an ARM id (so that it is worth parsing). */
export function isArmId(id: string): boolean {
  return /^\/subscriptions\/[^/]+\//i.test(id);
}

/**
 * The `{type}/{name}` pairs after the last `/providers/{Namespace}`, with where each name ends in the id.
 * Type segments are at fixed positions, so a resource named like a type (`routeTables/routes/routes/r1`)
 * is read right.
 */
function typedSegments(id: string): { type: string; name: string; end: number }[] {
  const providers = id.toLowerCase().lastIndexOf("/providers/");
  if (providers < 0) return [];
  const out: { type: string; name: string; end: number }[] = [];
  const parts = id.slice(providers + "/providers/".length).split("/");
  let offset = providers + "/providers/".length + (parts[0] ?? "").length;
  for (let i = 1; i + 1 < parts.length; i += 2) {
    const type = parts[i] as string;
    const name = parts[i + 1] as string;
    offset += 1 + type.length + 1 + name.length;
    if (name !== "") out.push({ type, name, end: offset });
  }
  return out;
}

/** The name that follows a type segment (`registrations` → `testregistration`), case-insensitively. */
export function nameAfter(id: string, typeSegment: string): string | undefined {
  const wanted = typeSegment.toLowerCase();
  return typedSegments(id).find((s) => s.type.toLowerCase() === wanted)?.name;
}

/**
 * The id of the resource `{typeSegment}/{name}` that an id is under: for a rule collection group
 * `.../firewallPolicies/fp/ruleCollectionGroups/g`, `idPrefixThrough(id, "firewallPolicies")` is the policy's id.
 */
export function idPrefixThrough(id: string, typeSegment: string): string | undefined {
  const wanted = typeSegment.toLowerCase();
  const found = typedSegments(id).find((s) => s.type.toLowerCase() === wanted);
  return found ? id.slice(0, found.end) : undefined;
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

/** The last path segment: the resource's own name. */
export function lastSegment(id: string): string | undefined {
  const parts = id.split("/").filter(Boolean);
  return parts[parts.length - 1];
}
