/** The Azure clouds an Azure Stack Hub stamp can register with. */
export type CloudName = "AzureCloud" | "AzureUSGovernment" | "AzureChinaCloud";

export const CLOUDS: readonly CloudName[] = ["AzureCloud", "AzureUSGovernment", "AzureChinaCloud"];

/** Azure Germany was retired; accepting it silently would audit against endpoints that no longer exist. */
export const RETIRED_CLOUDS: Readonly<Record<string, string>> = {
  AzureGermanCloud:
    "Azure Germany (login.microsoftonline.de, graph.cloudapi.de) was retired; register the stamp with AzureCloud and set cloud: AzureCloud",
};

export function isCloudName(value: string): value is CloudName {
  return (CLOUDS as readonly string[]).includes(value);
}
