import { failureRule } from "./failure-rule";

export const probeConnectionFailed = failureRule({
  id: "BG602",
  slug: "probe-connection-failed",
  code: "NetworkError",
  severity: "error",
  title: "Probe: connections to each endpoint are accepted and not reset",
  why: "A refused, reset or unreachable connection means a firewall, NSG or route stops the bridge's request before it reaches the service: NetworkError.",
  remediation: "Allow HTTPS 443 to the endpoint's FQDN from the public VIP /27 on every firewall and NSG on the path, and give that network a route out.",
});
