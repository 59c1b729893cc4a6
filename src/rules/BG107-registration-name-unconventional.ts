import type { ResourceRule } from "./types";

const CONVENTIONAL = /^AzureStack-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export const registrationNameUnconventional: ResourceRule = {
  meta: {
    id: "BG107",
    slug: "registration-name-unconventional",
    code: "Unauthorized",
    severity: "warning",
    title: "The registration is named AzureStack-<CloudId>",
    why: "Registration tooling names the resource AzureStack-<CloudId>. Newer tooling lets operators choose a name, so another name is not wrong by itself, but it is the first sign of a registration that was re-created by hand.",
    remediation: "Confirm in Region management > Properties that the stamp's registration name is this one; if not, re-register.",
    scope: "resource",
    appliesTo: ["registration"],
  },
  check(resource, { config }) {
    if (resource.kind !== "registration") return [];
    const name = resource.registrationName;
    if (!name || resource.unknowns.includes("registrationName")) return [];
    if (config.registration?.name) return []; // An explicitly expected name is checked by registration-misplaced.
    const cloudId = config.registration?.cloudId ?? resource.cloudId;
    const conventional = cloudId ? `AzureStack-${cloudId}` : undefined;
    if (conventional ? name.toLowerCase() === conventional.toLowerCase() : CONVENTIONAL.test(name)) return [];
    return [{ resource: resource.ref, message: `registration name ${name} is not ${conventional ?? "AzureStack-<CloudId>"}`, evidence: [`name: ${name}`] }];
  },
};
