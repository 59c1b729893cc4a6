import { lastSegment as lastSegmentOf, withoutTrailingSlashes } from "../input/normalize/armId";
import type { Resource } from "../model/resource";

/** The Azure name of a resource: the last segment of its ARM id, else its Pulumi name. */
export function azureName(resource: Resource): string {
  return resource.armId ? lastSegment(resource.armId) : resource.ref.name;
}

/** The last segment of an ARM id (`input/normalize/armId.ts`), or "" for an id of slashes only. */
export function lastSegment(armId: string): string {
  return lastSegmentOf(armId) ?? "";
}

export function sameArmId(a: string | undefined, b: string | undefined): boolean {
  // ARM ids are case-insensitive (resource group and provider casing varies between API responses).
  return a !== undefined && b !== undefined && withoutTrailingSlashes(a).toLowerCase() === withoutTrailingSlashes(b).toLowerCase();
}
