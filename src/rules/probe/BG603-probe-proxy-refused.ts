import { failureRule } from "./failure-rule";

export const probeProxyRefused = failureRule({
  id: "BG603",
  slug: "probe-proxy-refused",
  code: "NetworkError",
  severity: "error",
  title: "Probe: the explicit proxy opens a tunnel to each endpoint",
  why: "A proxy that answers 407 (authentication required) or 403 (destination denied) to CONNECT stops the request; the bridge has no proxy setting and no proxy credentials at all, so a path that needs them is no path: NetworkError.",
  remediation: "Let the stamp reach the endpoint without an explicit proxy (Azure Stack Hub supports only transparent proxies); for the probe, allow the endpoint on the proxy or give it credentials.",
});
