import type { ResourceRule } from "./types";

export const registrationUnprotected: ResourceRule = {
  meta: {
    id: "BG106",
    slug: "registration-unprotected",
    code: "Unauthorized",
    severity: "warning",
    title: "The registration is protected from deletion",
    why: "A registration managed by Pulumi without `protect` goes with one `pulumi destroy` or one refactor that drops it, and billing stops with Unauthorized.",
    remediation: "Set the `protect: true` resource option on the registration (and consider an Azure resource lock).",
    scope: "resource",
    appliesTo: ["registration"],
  },
  check(resource) {
    if (resource.kind !== "registration" || resource.protect !== false) return [];
    return [{ resource: resource.ref, message: "the registration is not protected: one pulumi destroy deletes it", evidence: ["protect: false"], fix: "Add `{ protect: true }` to the registration's resource options." }];
  },
};
