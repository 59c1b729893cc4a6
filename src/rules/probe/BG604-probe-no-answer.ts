import { failureRule } from "./failure-rule";

export const probeNoAnswer = failureRule({
  id: "BG604",
  slug: "probe-no-answer",
  code: "RequestTimedOut",
  severity: "error",
  title: "Probe: each endpoint answers within the stage deadline",
  why: "A connection attempt that is never answered (a silent drop) or a request that was sent and never answered is what the bridge reports as RequestTimedOut.",
  remediation: "Find the device that drops the traffic or holds the connection (a firewall with a drop rule, a proxy, a forced tunnel) and allow the endpoint through it.",
});
