import type { Resource } from "../model/resource";

/** The Azure name of a resource: the last segment of its ARM id, else its Pulumi name. */
export function azureName(resource: Resource): string {
  return resource.armId ? lastSegment(resource.armId) : resource.ref.name;
}

export function lastSegment(armId: string): string {
  return armId.replace(/\/+$/, "").split("/").pop() ?? armId;
}

export function sameArmId(a: string | undefined, b: string | undefined): boolean {
  // ARM ids are case-insensitive (resource group and provider casing varies between API responses).
  return a !== undefined && b !== undefined && a.replace(/\/+$/, "").toLowerCase() === b.replace(/\/+$/, "").toLowerCase();
}
