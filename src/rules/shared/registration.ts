import type { RegistrationExpectation } from "../../config/types";
import type { Registration, ResourceRef } from "../../model/resource";

const same = (a: string | undefined, b: string | undefined) => a !== undefined && b !== undefined && a.toLowerCase() === b.toLowerCase();

/** Where a registration sits, in the words of the portal's Region management > Properties. */
export function describePlacement(r: Registration): string {
  return `subscription ${r.subscriptionId ?? "(unknown)"}, resource group ${r.resourceGroup ?? "(unknown)"}, name ${r.registrationName ?? r.ref.name}`;
}

export function describeExpected(expected: RegistrationExpectation): string {
  return `subscription ${expected.subscriptionId}, resource group ${expected.resourceGroup}${expected.name ? `, name ${expected.name}` : ""}`;
}

/** Whether a registration is where the stamp expects it: subscription and resource group (BG107 checks the name). */
export function isAtExpectedPlace(r: Registration, expected: RegistrationExpectation): boolean {
  return same(r.subscriptionId, expected.subscriptionId) && same(r.resourceGroup, expected.resourceGroup);
}

/** The resource group alone decides a misplacement when the subscription is not known (planned resource, no provider subscription). */
export function isInOtherResourceGroup(r: Registration, expected: RegistrationExpectation): boolean {
  return r.resourceGroup !== undefined && !same(r.resourceGroup, expected.resourceGroup);
}

/** The ARM id the expected registration would have: the "resource" of a finding about its absence. */
export function expectedRegistrationRef(expected: RegistrationExpectation): ResourceRef {
  // Registration names the resource AzureStack-<CloudId>: with the cloud id known, that is the name to expect.
  const name = expected.name ?? `AzureStack-${expected.cloudId ?? "<CloudId>"}`;
  return {
    urn: `/subscriptions/${expected.subscriptionId}/resourceGroups/${expected.resourceGroup}/providers/Microsoft.AzureStack/registrations/${name}`,
    type: "Microsoft.AzureStack/registrations",
    name,
  };
}

export const RE_REGISTER =
  "Re-register the stamp (Set-AzsRegistration from the Azure Stack Hub tools, with the same subscription and resource group), or restore the registration resource exactly as registration created it.";
