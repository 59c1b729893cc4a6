import { RE_REGISTER } from "./shared/registration";
import type { ResourceRule } from "./types";

export const registrationLocation: ResourceRule = {
  meta: {
    id: "BG104",
    slug: "registration-location-not-global",
    code: "Unauthorized",
    severity: "error",
    title: "The registration's location is global",
    why: "Registration resources are created in the `global` location. One in another location is not the resource registration created, so the bridge's identity does not resolve to it.",
    remediation: `Set location: global on the registration. ${RE_REGISTER}`,
    scope: "resource",
    appliesTo: ["registration"],
  },
  check(resource) {
    if (resource.kind !== "registration") return [];
    // An unknown (or secret) location is a doubt to report, not a pass: the model's contract for `unknowns`.
    if (resource.unknowns.includes("location")) {
      return [{ resource: resource.ref, undetermined: true, message: "location is not known until apply (undetermined); expected global", evidence: ["location: unknown"] }];
    }
    if (resource.location === undefined) return [];
    if (resource.location.toLowerCase() === "global") return [];
    return [{ resource: resource.ref, message: `location is ${resource.location}, expected global`, evidence: [`location: ${resource.location}`], fix: { kind: "change-property", description: "Set location: global.", resource: resource.ref, path: "location", value: "global", current: resource.location } }];
  },
};
