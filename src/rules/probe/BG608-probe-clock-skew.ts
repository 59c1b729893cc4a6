import { CLOCK_SKEW, classifySkew } from "./classify";
import { dateHeaderSkewMs } from "../../model/observations";
import { hostPort, type EndpointObservation } from "../../model/observations";
import type { ProbeRule, ProbeViolation } from "../types";
import { findingEndpoint, probeResource } from "./shared";

function seconds(ms: number): string {
  const s = Math.round(ms / 1000);
  return `${s >= 0 ? "+" : ""}${s} s`;
}

const TOLERANCE = `Azure AD tolerates ${CLOCK_SKEW.errorAboveSeconds} s; bridgeguard warns above ${CLOCK_SKEW.warningAboveSeconds} s`;

/** `Date` headers of answers from the real service: HTTPS answers over a verified chain, or plain HTTP. */
function dateSkews(endpoints: readonly EndpointObservation[]): { observation: EndpointObservation; skewMs: number }[] {
  return endpoints.flatMap((observation) => {
    if (observation.outcome.kind !== "reachable" || !observation.http) return [];
    if (observation.target.protocol === "https" && !(observation.tls?.chainVerified && observation.tls.nameMatches)) return [];
    const skewMs = dateHeaderSkewMs(observation.http);
    return skewMs === undefined ? [] : [{ observation, skewMs }];
  });
}

export const probeClockSkew: ProbeRule = {
  meta: {
    id: "BG608",
    slug: "probe-clock-skew",
    code: "Unauthorized",
    severity: "error",
    title: "Probe: the clocks agree with the time server and with Azure within 60 s",
    why: "The bridge's signed assertions carry timestamps that Azure AD checks against its own clock. Beyond 300 s of skew Azure rejects the bridge (Unauthorized); beyond 60 s the margin is gone. The probe measures this machine's clock against the time server (SNTP) and against the Date header of Azure's answers.",
    remediation: "Fix time synchronisation: point the XRP VMs' time server at a reliable source, allow UDP 123 to it from the public VIP /27, and correct the server's clock.",
    scope: "probe",
    appliesTo: [],
  },
  check(observations) {
    const violations: ProbeViolation[] = [];
    const time = observations.time;
    const sntp = time?.outcome.kind === "answered" ? time.outcome : undefined;
    const dates = dateSkews(observations.endpoints).sort((a, b) => a.skewMs - b.skewMs);
    const median = dates.length ? dates[Math.floor(dates.length / 2)] : undefined;

    if (time && sntp) {
      const severity = classifySkew(sntp.offsetMs);
      if (severity) {
        violations.push({
          resource: probeResource(time.host, time.port),
          endpoint: { host: time.host, port: time.port, protocol: "udp", purpose: "time" },
          message: `the time server ${hostPort(time.host, time.port)} and this machine disagree by ${seconds(sntp.offsetMs)} (${TOLERANCE})`,
          evidence: [
            `SNTP offset (time server minus this machine): ${seconds(sntp.offsetMs)}, round trip ${Math.round(sntp.roundTripMs)} ms, stratum ${sntp.stratum}, reference ${sntp.referenceId}`,
            ...(median
              ? [`Azure's Date header (${hostPort(median.observation.target.host, median.observation.target.port)}) minus this machine: ${seconds(median.skewMs)}, so the time server is ${seconds(sntp.offsetMs - median.skewMs)} from Azure`]
              : []),
          ],
          severity,
        });
      }
    }
    if (median) {
      const severity = classifySkew(median.skewMs);
      const endpoint = median.observation.target.endpoints[0];
      if (severity && endpoint) {
        const target = median.observation.target;
        violations.push({
          resource: probeResource(target.host, target.port),
          endpoint: findingEndpoint(endpoint, target.port, target.protocol),
          message: `this machine's clock is ${seconds(-median.skewMs)} off Azure's, by the Date header of ${hostPort(target.host, target.port)} (${TOLERANCE})`,
          evidence: dates.slice(0, 5).map((d) => `${hostPort(d.observation.target.host, d.observation.target.port)} Date: ${d.observation.http!.date} (Azure minus this machine: ${seconds(d.skewMs)})`),
          severity,
          fix: "Synchronise this machine and the XRP VMs with a reliable time source; if they share the deployment's time server, correct that server's clock.",
        });
      }
    }
    return violations;
  },
};
