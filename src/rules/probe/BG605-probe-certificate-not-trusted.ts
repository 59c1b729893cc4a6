import { failureRule } from "./failure-rule";

export const probeCertificateNotTrusted = failureRule({
  id: "BG605",
  slug: "probe-certificate-not-trusted",
  code: "CertificateValidationError",
  severity: "error",
  title: "Probe: each endpoint presents a certificate that verifies against public roots and names it",
  why: "Azure Stack Hub does not support TLS interception. A certificate that does not chain to the public roots Node ships (not the system store, which may trust the interceptor), or that names another host, is what a TLS-inspecting proxy or firewall presents: the bridge cannot authenticate the Azure service (CertificateValidationError).",
  remediation: "Exempt the endpoint from TLS inspection on the device whose CA issued the certificate named in the evidence.",
});
