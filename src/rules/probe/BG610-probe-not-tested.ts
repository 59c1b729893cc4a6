import { hostPort } from "../../model/observations";
import type { ProbeRule, ProbeViolation } from "../types";
import { findingEndpoint, observationEvidence, probeResource } from "./shared";

const FIX: Record<string, string> = {
  "wildcard-without-host": "Name a concrete host under the wildcard: --host-for '<wildcard>=<host>' or probe.hosts in bridgeguard.yaml (for the usage endpoint, the host the bridge's usage gateway resolves to).",
  "run-deadline": "Run the probe again with a longer --timeout, or fewer endpoints at once (--only, --purpose).",
  interrupted: "Run the probe again and let it finish.",
  "local-error": "Run the probe from a machine in the stamp's public VIP network (or behind the same egress) that has a working network interface.",
  "no-time-server": "Give the deployment's time server: --time-server host[:port] or timeServer in bridgeguard.yaml.",
};

export const probeNotTested: ProbeRule = {
  meta: {
    id: "BG610",
    slug: "probe-not-tested",
    code: "NetworkError",
    severity: "warning",
    title: "Probe: every endpoint the bridge needs was tested",
    why: "No data is not a pass. An endpoint the probe could not test (a wildcard without a concrete host, a run cut short by its deadline or Ctrl-C, no usable network on this machine) may still break usage reporting; the finding carries the code that endpoint's failure would raise.",
    remediation: "Give the probe what it lacked (a concrete host, more time, a time server) and run it again.",
    scope: "probe",
    appliesTo: [],
  },
  check(observations) {
    const violations: ProbeViolation[] = [];
    for (const observation of observations.endpoints) {
      const outcome = observation.outcome;
      if (outcome.kind !== "not-tested") continue;
      const { target } = observation;
      for (const endpoint of target.endpoints) {
        violations.push({
          code: endpoint.code,
          resource: probeResource(target.host, target.port),
          endpoint: findingEndpoint(endpoint, target.port, target.protocol),
          message: `${endpoint.purpose} endpoint ${hostPort(target.host, target.port)} was not tested: ${outcome.detail}`,
          evidence: observationEvidence(observation),
          fix: FIX[outcome.reason],
          // Nothing is known to be broken: a warning whatever level the configuration sets.
          undetermined: true,
        });
      }
    }
    const time = observations.time;
    if (time && time.outcome.kind === "not-tested") {
      const host = time.host || "<timeServer>";
      violations.push({
        code: "Unauthorized",
        resource: probeResource(host, time.port),
        endpoint: { host, port: time.port, protocol: "udp", purpose: "time" },
        message: `clock skew against the time server was not measured: ${time.outcome.detail}`,
        evidence: [time.outcome.detail],
        fix: FIX[time.outcome.reason],
        undetermined: true,
      });
    }
    return violations;
  },
};
