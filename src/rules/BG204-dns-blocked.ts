import { reachabilityRule } from "./shared/reachability";

export const dnsBlocked = reachabilityRule(
  {
    id: "BG204",
    slug: "dns-blocked",
    code: "NetworkError",
    severity: "error",
    title: "DNS to the configured DNS servers is allowed on UDP and TCP 53",
    why: "Every endpoint is reached by name. With DNS blocked nothing resolves, requests cannot leave and authentication fails: NetworkError.",
    remediation: "Allow UDP and TCP 53 from the public VIP /27 to the deployment's DNS servers.",
  },
  ["dns"],
);
