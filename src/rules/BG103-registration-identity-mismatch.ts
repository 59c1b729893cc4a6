import { RE_REGISTER } from "./shared/registration";
import type { ResourceRule, Violation } from "./types";

export const registrationIdentityMismatch: ResourceRule = {
  meta: {
    id: "BG103",
    slug: "registration-identity-mismatch",
    code: "Unauthorized",
    severity: "error",
    title: "The registration's cloudId and objectId are the stamp's",
    why: "Azure checks the bridge's identity against the registration's cloudId (the stamp) and objectId (the registration's service principal). A registration that was modified or re-created for another stamp no longer matches, and Azure answers Unauthorized.",
    remediation: RE_REGISTER,
    scope: "resource",
    appliesTo: ["registration"],
  },
  check(resource, { config }) {
    if (resource.kind !== "registration" || !config.registration) return [];
    const violations: Violation[] = [];
    for (const key of ["cloudId", "objectId"] as const) {
      const expected = config.registration[key];
      if (!expected) continue;
      const actual = resource[key];
      if (resource.unknowns.includes(key)) {
        violations.push({ resource: resource.ref, undetermined: true, message: `${key} is not known until apply (undetermined); expected ${expected}`, evidence: [`${key}: unknown`] });
      } else if (actual === undefined) {
        // GET and LIST bodies may omit cloudId: that is a doubt to report, not a pass.
        violations.push({ resource: resource.ref, undetermined: true, message: `${key} is absent, so it cannot be compared with ${expected} (undetermined)`, evidence: [`${key}: absent`] });
      } else if (actual.toLowerCase() !== expected.toLowerCase()) {
        violations.push({ resource: resource.ref, message: `${key} is ${actual}, expected ${expected}`, evidence: [`${key}: ${actual}`, `expected (registration.${key}): ${expected}`] });
      }
    }
    return violations;
  },
};
