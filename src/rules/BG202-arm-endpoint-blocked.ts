import { reachabilityRule } from "./shared/reachability";

export const armEndpointBlocked = reachabilityRule(
  {
    id: "BG202",
    slug: "arm-endpoint-blocked",
    code: "NetworkError",
    severity: "error",
    title: "Azure Resource Manager is allowed on HTTPS 443 from the public VIP range",
    why: "The bridge reads its registration through Azure Resource Manager. Blocked, it cannot: NetworkError when the request cannot leave, Unauthorized when it cannot read the registration.",
    remediation: "Allow the cloud's Resource Manager endpoint by FQDN (application rule, HTTPS 443) from the public VIP /27, or the AzureResourceManager service tag in an NSG.",
  },
  ["registration"],
);
