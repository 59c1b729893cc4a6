import { hostPort } from "../../probe/observations";
import type { ProbeRule } from "../types";
import { probeResource } from "./shared";

export const probeTimeServerSilent: ProbeRule = {
  meta: {
    id: "BG609",
    slug: "probe-time-server-silent",
    code: "Unauthorized",
    severity: "warning",
    title: "Probe: the deployment's time server answers SNTP",
    why: "Without answers from its time server the stamp's clocks drift, and past 300 s of skew Azure rejects the bridge (Unauthorized). A silent server is a warning: the clocks may still be right today.",
    remediation: "Allow UDP 123 from the public VIP /27 to the time server, and make sure it serves time (it answers SNTP with a stratum other than 0).",
    scope: "probe",
    appliesTo: [],
  },
  check(observations) {
    const time = observations.time;
    if (!time || time.outcome.kind !== "silent") return [];
    return [
      {
        resource: probeResource(time.host, time.port),
        endpoint: { host: time.host, port: time.port, protocol: "udp", purpose: "time" },
        message: `the time server ${hostPort(time.host, time.port)} did not answer SNTP`,
        evidence: [time.outcome.detail, `time server as configured: ${time.server}`],
      },
    ];
  },
};
