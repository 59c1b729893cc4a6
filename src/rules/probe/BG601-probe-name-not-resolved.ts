import { failureRule } from "./failure-rule";

export const probeNameNotResolved = failureRule({
  id: "BG601",
  slug: "probe-name-not-resolved",
  code: "NetworkError",
  severity: "error",
  title: "Probe: each endpoint's name resolves with the deployment's DNS servers",
  why: "The bridge reaches its endpoints by name. When the deployment's DNS servers answer NXDOMAIN, have no record, or do not answer at all, no request leaves the stamp and usage reporting fails with NetworkError (and identity with LoginError).",
  remediation: "Make the deployment's DNS servers resolve public names (forwarders), and allow UDP and TCP 53 from them to their upstream.",
});
