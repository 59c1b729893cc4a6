import { reachabilityRule } from "./shared/reachability";

export const loginEndpointBlocked = reachabilityRule(
  {
    id: "BG301",
    slug: "login-endpoint-blocked",
    code: "LoginError",
    severity: "error",
    title: "The Azure AD login endpoints are allowed on HTTPS 443 and HTTP 80 from the public VIP range",
    why: "The bridge authenticates with Azure AD before every upload. Azure Firewall blocks Azure AD unless its FQDNs or the AzureActiveDirectory tag are allowed; an NSG deny on AzureActiveDirectory, AzureCloud, Internet or * does the same. The bridge then reports LoginError.",
    remediation: "Allow every Azure AD login endpoint of the cloud (HTTPS 443, HTTP 80) from the public VIP /27 by FQDN, or the AzureActiveDirectory service tag in an NSG; identity must answer within 60 s.",
  },
  ["identity"],
);
