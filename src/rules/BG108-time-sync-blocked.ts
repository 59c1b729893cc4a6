import { reachabilityRule } from "./shared/reachability";

export const timeSyncBlocked = reachabilityRule(
  {
    id: "BG108",
    slug: "time-sync-blocked",
    code: "Unauthorized",
    severity: "error",
    title: "NTP to the configured time server is allowed from the public VIP range",
    why: "The bridge signs its requests with tokens whose lifetime Azure AD checks against its own clock. Without NTP (UDP 123) the XRP VMs drift, and past 300 s of skew Azure rejects the bridge: Unauthorized.",
    remediation: "Allow UDP 123 from the public VIP /27 to the deployment's time server, on every firewall and NSG on the path.",
  },
  ["time"],
);
