import { reachabilityRule } from "./shared/reachability";

export const usageEndpointBlocked = reachabilityRule(
  {
    id: "BG201",
    slug: "usage-endpoint-blocked",
    code: "NetworkError",
    severity: "error",
    title: "The usage endpoint is allowed on HTTPS 443 from the public VIP range",
    why: "The bridge sends usage records over HTTPS to the usage service behind Traffic Manager. A firewall or NSG that denies it (explicitly or by default) stops usage reporting with NetworkError.",
    remediation: "Allow the usage endpoint by FQDN (application rule, HTTPS 443) from the public VIP /27; Microsoft publishes no addresses for it.",
  },
  ["usage"],
);
