import type { ResourceRule } from "./types";

/**
 * The registration's name. Newer registration tooling lets the operator choose it, so a name other than
 * AzureStack-<CloudId> is not wrong by itself and is never reported. What is wrong is a name other than the
 * one the stamp was registered with, when the configuration says which (`registration.name`): the bridge
 * authenticates as that registration, and Azure answers Unauthorized.
 */
export const registrationNameUnconventional: ResourceRule = {
  meta: {
    id: "BG107",
    slug: "registration-name-unconventional",
    code: "Unauthorized",
    severity: "error",
    title: "The registration has the name the stamp was registered with (registration.name)",
    why: "The stamp knows its registration by name (Region management > Properties). Registration tooling proposes AzureStack-<CloudId>, but the operator may choose another name, so no name is wrong by itself. A registration re-created under another name than the stamp's is not the one the bridge authenticates as: Unauthorized. Checked only when the configuration names the registration.",
    remediation: "Set registration.name to the name in Region management > Properties; if the resource's name differs, re-register the stamp or restore the registration under that name.",
    scope: "resource",
    appliesTo: ["registration"],
  },
  check(resource, { config }) {
    if (resource.kind !== "registration" || resource.pendingOperation !== undefined) return [];
    const expected = config.registration?.name;
    if (expected === undefined) return [];
    if (resource.unknowns.includes("registrationName")) {
      return [{ resource: resource.ref, undetermined: true, message: `the registration's name is not known until apply (undetermined), expected ${expected}`, evidence: ["registrationName: unknown"] }];
    }
    const name = resource.registrationName ?? resource.ref.name;
    if (name.toLowerCase() === expected.toLowerCase()) return [];
    return [{ resource: resource.ref, message: `registration name ${name} is not ${expected}, the name the stamp was registered with`, evidence: [`name: ${name}`, `expected (registration.name): ${expected}`] }];
  },
};
