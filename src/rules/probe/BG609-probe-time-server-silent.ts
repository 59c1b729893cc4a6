import { hostPort } from "../../model/observations";
import type { ProbeRule } from "../types";
import { probeResource } from "./shared";

export const probeTimeServerSilent: ProbeRule = {
  meta: {
    id: "BG609",
    slug: "probe-time-server-silent",
    code: "Unauthorized",
    severity: "warning",
    title: "Probe: the deployment's time server answers SNTP and is synchronised",
    why: "Without answers from its time server the stamp's clocks drift, and past 300 s of skew Azure rejects the bridge (Unauthorized). A silent or unsynchronised server (leap indicator 3, stratum 0 or 16: RFC 4330 section 5) is a warning: the clocks may still be right today.",
    remediation: "Allow UDP 123 from the public VIP /27 to the time server, and make sure it serves time (it answers SNTP, synchronised to a source: leap indicator 0-2, stratum 1-15).",
    scope: "probe",
    appliesTo: [],
  },
  check(observations) {
    const time = observations.time;
    if (time?.outcome.kind === "unsynchronised") {
      return [
        {
          resource: probeResource(time.host, time.port),
          endpoint: { host: time.host, port: time.port, protocol: "udp", purpose: "time" },
          message: `the time server ${hostPort(time.host, time.port)} answered SNTP but says it is not synchronised`,
          evidence: [time.outcome.detail, `time server as configured: ${time.server}`],
        },
      ];
    }
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
