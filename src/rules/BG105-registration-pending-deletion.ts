import { RE_REGISTER } from "./shared/registration";
import type { ResourceRule } from "./types";

export const registrationPendingDeletion: ResourceRule = {
  meta: {
    id: "BG105",
    slug: "registration-pending-deletion",
    code: "Unauthorized",
    severity: "error",
    title: "The registration is not about to be deleted or replaced",
    why: "Deleting the registration, or replacing it (a new resource with a new identity), leaves the bridge authenticating as a registration that no longer exists: Unauthorized until the stamp is re-registered.",
    remediation: `Do not delete or replace the registration: revert the change that triggers it, or ${RE_REGISTER.charAt(0).toLowerCase()}${RE_REGISTER.slice(1)}`,
    scope: "resource",
    appliesTo: ["registration"],
  },
  check(resource) {
    if (resource.kind !== "registration" || !resource.pendingOperation) return [];
    return [{ resource: resource.ref, message: `the registration has a pending ${resource.pendingOperation} operation`, evidence: [`pending operation: ${resource.pendingOperation}`] }];
  },
};
