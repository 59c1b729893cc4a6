import type { ProbeRule } from "../types";
import { probeResource } from "./shared";

export const probeExplicitProxy: ProbeRule = {
  meta: {
    id: "BG611",
    slug: "probe-explicit-proxy",
    code: "NetworkError",
    severity: "warning",
    title: "Probe: endpoints tested through an explicit proxy prove nothing for the bridge",
    why: "Azure Stack Hub supports only transparent proxies: the bridge has no proxy setting. An endpoint that answers through an explicit proxy (--proxy, HTTPS_PROXY) is reachable for the probe, not for the bridge; if that proxy is the only way out, the bridge gets NetworkError.",
    remediation: "Make sure the stamp reaches these endpoints without the explicit proxy (directly or through a transparent proxy), and probe again without --proxy from the public VIP network.",
    scope: "probe",
    appliesTo: [],
  },
  check(observations) {
    if (!observations.proxy) return [];
    const through = observations.endpoints.filter((o) => o.proxy);
    if (!through.length) return [];
    const { host, port } = observations.proxy;
    const reached = through.filter((o) => o.outcome.kind === "reachable").map((o) => `${o.target.host}:${o.target.port}`);
    return [
      {
        resource: probeResource(host, port),
        endpoint: null,
        message: `${through.length} endpoint(s) were probed through the explicit proxy ${observations.proxy.url}; the bridge itself cannot use an explicit proxy (transparent proxies only)`,
        evidence: [
          `proxy: ${observations.proxy.url} (from ${observations.proxy.source})`,
          reached.length ? `answered through the proxy: ${reached.join(", ")}` : "no endpoint answered through the proxy",
        ],
        // The direct path was not tested: undetermined, a warning whatever level the configuration sets.
        undetermined: true,
      },
    ];
  },
};
