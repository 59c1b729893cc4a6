import type { CloudName } from "../model/cloud";

export type { CloudName };

export const CLOUDS: readonly CloudName[] = ["AzureCloud", "AzureUSGovernment", "AzureChinaCloud"];

/** Azure Germany was retired; accepting it silently would audit against endpoints that no longer exist. */
const GERMANY_RETIRED =
  "Azure Germany (login.microsoftonline.de, graph.cloudapi.de) was retired; register the stamp with AzureCloud and set cloud: AzureCloud";

/**
 * Clouds the outbound page still lists (its Identity row names Azure Germany) but that no longer exist:
 * refused with the reason, never audited against endpoints that are gone.
 */
export const RETIRED_CLOUDS: Readonly<Record<string, string>> = {
  AzureGermanCloud: GERMANY_RETIRED,
  AzureGermany: GERMANY_RETIRED,
};

export function isCloudName(value: string): value is CloudName {
  return (CLOUDS as readonly string[]).includes(value);
}
