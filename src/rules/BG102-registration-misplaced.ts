import { ofKind } from "../model/resource";
import { describeExpected, describePlacement, isAtExpectedPlace, RE_REGISTER } from "./shared/registration";
import type { StackRule } from "./types";

export const registrationMisplaced: StackRule = {
  meta: {
    id: "BG102",
    slug: "registration-misplaced",
    code: "Unauthorized",
    severity: "error",
    title: "The registration resource is in the subscription, resource group and name the stamp was registered with",
    why: "The stamp knows its registration by subscription, resource group and name (Region management > Properties). A registration that was moved, or re-created under another subscription, resource group or name, is not the one the bridge authenticates as: Azure answers Unauthorized.",
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
      const evidence = [`found: ${describePlacement(r)}`, `expected: ${describeExpected(expected)}`, ...(r.armId ? [`id: ${r.armId}`] : [])];
      // A planned registration whose provider names no subscription cannot be placed yet: say so, do not guess.
      if (r.subscriptionId === undefined || r.resourceGroup === undefined) {
        return { resource: r.ref, undetermined: true, message: `cannot tell where the registration will be created (undetermined), expected ${describeExpected(expected)}`, evidence };
      }
      // An unknown name would otherwise be compared as the Pulumi logical name: when only the name is in doubt, say so.
      if (expected.name !== undefined && r.unknowns.includes("registrationName") && isAtExpectedPlace({ ...r, registrationName: expected.name }, expected)) {
        return {
          resource: r.ref,
          undetermined: true,
          message: `the registration's name is not known until apply (undetermined), expected ${expected.name}`,
          evidence: ["registrationName: unknown", `expected: ${describeExpected(expected)}`],
        };
      }
      return { resource: r.ref, message: `registration is in ${describePlacement(r)}, not in ${describeExpected(expected)}`, evidence };
    });
  },
};
