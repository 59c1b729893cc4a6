import type { Resource } from "../model/resource";

/** The Azure name of a resource: the last segment of its ARM id, else its Pulumi name. */
export function azureName(resource: Resource): string {
  return resource.armId ? lastSegment(resource.armId) : resource.ref.name;
}

/** An ARM id without trailing slashes (ids from some inputs end in one). Without a regular expression: every gate and path entry names its resource through here. */
export function withoutTrailingSlashes(armId: string): string {
  let end = armId.length;
  while (end > 0 && armId.charCodeAt(end - 1) === 47 /* "/" */) end--;
  return end === armId.length ? armId : armId.slice(0, end);
}

export function lastSegment(armId: string): string {
  const id = withoutTrailingSlashes(armId);
  return id.slice(id.lastIndexOf("/") + 1);
}

export function sameArmId(a: string | undefined, b: string | undefined): boolean {
  // ARM ids are case-insensitive (resource group and provider casing varies between API responses).
  return a !== undefined && b !== undefined && withoutTrailingSlashes(a).toLowerCase() === withoutTrailingSlashes(b).toLowerCase();
}
