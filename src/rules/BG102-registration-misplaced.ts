import { ofKind } from "../model/resource";
import { describeExpected, describePlacement, isAtExpectedPlace, isInOtherResourceGroup, RE_REGISTER } from "./shared/registration";
import type { StackRule } from "./types";

export const registrationMisplaced: StackRule = {
  meta: {
    id: "BG102",
    slug: "registration-misplaced",
    code: "Unauthorized",
    severity: "error",
    title: "The registration resource is in the subscription and resource group the stamp was registered with",
    why: "The stamp knows its registration by subscription, resource group and name (Region management > Properties). A registration that was moved, or re-created under another subscription or resource group, is not the one the bridge authenticates as: Azure answers Unauthorized. (Its name is BG107's.)",
    remediation: `Move the registration back, or ${RE_REGISTER.charAt(0).toLowerCase()}${RE_REGISTER.slice(1)}`,
    scope: "stack",
    appliesTo: ["registration"],
  },
  check(set, { config }) {
    const expected = config.registration;
    if (!expected) return [];
    const live = ofKind(set, "registration").filter((r) => r.pendingOperation === undefined);
    if (live.length === 0 || live.some((r) => isAtExpectedPlace(r, expected))) return [];
    return live.map((r) => {
      const known = [r.subscriptionId !== undefined ? "subscription" : undefined, r.resourceGroup !== undefined ? "resource group" : undefined].filter(
        (k): k is string => k !== undefined,
      );
      const evidence = [
        `found: ${describePlacement(r)}`,
        `expected: ${describeExpected(expected)}`,
        `known: ${known.length ? known.join(" and ") : "neither subscription nor resource group"}`,
        ...(r.armId ? [`id: ${r.armId}`] : []),
      ];
      if (r.subscriptionId === undefined || r.resourceGroup === undefined) {
        // A resource-group mismatch alone decides it (e.g. the subscription comes only from ARM_SUBSCRIPTION_ID).
        if (isInOtherResourceGroup(r, expected)) {
          return { resource: r.ref, message: `registration is in resource group ${r.resourceGroup}, not in ${expected.resourceGroup} (subscription not known)`, evidence };
        }
        // A planned registration whose provider names no subscription cannot be placed yet: say so, do not guess.
        return { resource: r.ref, undetermined: true, message: `cannot tell where the registration will be created (undetermined), expected ${describeExpected(expected)}`, evidence };
      }
      return { resource: r.ref, message: `registration is in ${describePlacement(r)}, not in ${describeExpected(expected)}`, evidence };
    });
  },
};
