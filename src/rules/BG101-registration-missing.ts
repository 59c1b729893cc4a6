import { ofKind } from "../model/resource";
import { describeExpected, expectedRegistrationRef, RE_REGISTER } from "./shared/registration";
import type { StackRule } from "./types";

export const registrationMissing: StackRule = {
  meta: {
    id: "BG101",
    slug: "registration-missing",
    code: "Unauthorized",
    severity: "error",
    title: "The registration resource exists in the expected subscription and resource group",
    why: "The bridge authenticates as the stamp's registration. When the Microsoft.AzureStack/registrations resource is gone (deleted, never created, or destroyed with the stack), Azure cannot authenticate the bridge and usage reporting fails with Unauthorized. The portal hides this resource type, so its absence goes unnoticed.",
    remediation: RE_REGISTER,
    scope: "stack",
    appliesTo: ["registration"],
  },
  check(set, { config }) {
    const expected = config.registration;
    if (!expected) return [];
    if (ofKind(set, "registration").some((r) => r.pendingOperation === undefined)) return [];
    const pending = ofKind(set, "registration");
    return [
      {
        resource: expectedRegistrationRef(expected),
        message: `no registration resource in ${describeExpected(expected)}${pending.length ? " (the only one is about to be deleted)" : ""}`,
        evidence: [
          `expected: Microsoft.AzureStack/registrations in ${describeExpected(expected)}`,
          `found in ${set.source}: ${pending.length ? pending.map((r) => `${r.ref.urn} (pending ${r.pendingOperation})`).join(", ") : "no registration resource"}`,
        ],
      },
    ];
  },
};
