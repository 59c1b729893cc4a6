import { failureRule } from "./failure-rule";

export const probeHandshakeClosed = failureRule({
  id: "BG606",
  slug: "probe-handshake-closed",
  code: "CertificateValidationError",
  severity: "warning",
  title: "Probe: the TLS handshake with each endpoint completes",
  why: "A handshake that the network closes or resets after the ClientHello (which names the endpoint) is typical of TLS inspection or an IPS acting on the name. The bridge cannot authenticate the service; the cause cannot be proven from outside, hence a warning.",
  remediation: "Check for TLS inspection, an IPS or an SNI filter between the stamp and the endpoint, and exempt the endpoint from it.",
});
