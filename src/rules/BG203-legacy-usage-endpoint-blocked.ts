import { reachabilityRule } from "./shared/reachability";

export const legacyUsageEndpointBlocked = reachabilityRule(
  {
    id: "BG203",
    slug: "legacy-usage-endpoint-blocked",
    code: "NetworkError",
    severity: "warning",
    title: "The legacy usage endpoint (*.microsoftazurestack.com) is allowed on HTTPS 443",
    why: "The 05/2019 revision of the outbound URL list names *.microsoftazurestack.com for usage. Current releases use Traffic Manager, but older stamps may still need it.",
    remediation: "Allow *.microsoftazurestack.com (application rule, HTTPS 443) from the public VIP /27 if the stamp runs an older release.",
  },
  ["usage-legacy"],
);
