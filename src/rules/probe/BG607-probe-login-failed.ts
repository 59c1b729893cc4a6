import { failureRule } from "./failure-rule";

export const probeLoginFailed = failureRule({
  id: "BG607",
  slug: "probe-login-failed",
  code: "LoginError",
  severity: "error",
  title: "Probe: every Azure AD login endpoint is reachable",
  why: "The bridge authenticates with Azure AD before it uploads usage. Any DNS, TCP, proxy, TLS-handshake or HTTP failure on a login endpoint (other than a certificate that proves interception, reported as CertificateValidationError) fails that login: LoginError.",
  remediation: "Allow the cloud's Azure AD login endpoints on 443 and 80 from the public VIP /27 (they must answer within 60 s).",
});
