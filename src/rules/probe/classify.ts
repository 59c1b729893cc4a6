/**
 * The one table that names what the probe saw: each kind of observation maps to a documented error
 * code, a severity and the probe rule that reports it. The rules in `src/rules/probe/` read this table;
 * `docs/probe.md` prints it (a test keeps the two equal).
 */
import type { ErrorCode } from "../../catalog/codes";
import type { CatalogEndpoint } from "../../catalog/endpoints";
import type { Severity } from "../../model/finding";
import type { FailureKind } from "../../model/observations";

export type ProbeRuleId = "BG601" | "BG602" | "BG603" | "BG604" | "BG605" | "BG606" | "BG607" | "BG608" | "BG609" | "BG610" | "BG611";

export interface Classification {
  code: ErrorCode;
  severity: Severity;
  rule: ProbeRuleId;
  /** What was seen, plainly: the first words of the finding. */
  verdict: string;
  /** Proven interception: reported as such even on an Azure AD login endpoint. */
  interception?: boolean;
}

/** An endpoint probe that failed. */
export const FAILURES: Readonly<Record<FailureKind, Classification>> = {
  "name-not-resolved": { code: "NetworkError", severity: "error", rule: "BG601", verdict: "name not resolved (NXDOMAIN, no record, or the DNS server did not answer)" },
  "connection-refused": { code: "NetworkError", severity: "error", rule: "BG602", verdict: "connection refused" },
  "connection-reset": { code: "NetworkError", severity: "error", rule: "BG602", verdict: "connection reset or closed before an answer" },
  unreachable: { code: "NetworkError", severity: "error", rule: "BG602", verdict: "host or network unreachable" },
  "protocol-error": { code: "NetworkError", severity: "warning", rule: "BG602", verdict: "the answer is not HTTP (something other than the service answered)" },
  "proxy-auth-required": { code: "NetworkError", severity: "error", rule: "BG603", verdict: "the proxy requires authentication (407)" },
  "proxy-denied": { code: "NetworkError", severity: "error", rule: "BG603", verdict: "the proxy denies the destination (403)" },
  "proxy-failed": { code: "NetworkError", severity: "error", rule: "BG603", verdict: "the proxy could not open a tunnel (another non-2xx answer to CONNECT)" },
  "no-answer": { code: "RequestTimedOut", severity: "error", rule: "BG604", verdict: "no answer within the stage's deadline (connect: silent drop; tls, http: no answer after sending), or the proxy's 504" },
  "certificate-not-trusted": {
    code: "CertificateValidationError",
    severity: "error",
    rule: "BG605",
    verdict: "certificate chain does not verify against the public roots (TLS interception)",
    interception: true,
  },
  "certificate-name-mismatch": {
    code: "CertificateValidationError",
    severity: "error",
    rule: "BG605",
    verdict: "certificate does not name the endpoint (TLS interception or a wrong server)",
    interception: true,
  },
  "handshake-closed": {
    code: "CertificateValidationError",
    severity: "warning",
    rule: "BG606",
    verdict: "TLS handshake closed by the network (typical of TLS inspection or an IPS)",
  },
  // TLS never started on what the server sent: the bridge's handshake fails the same way, for certain.
  "handshake-failed": {
    code: "CertificateValidationError",
    severity: "error",
    rule: "BG605",
    verdict: "the TLS handshake failed on what the server sent (a certificate or chain over OpenSSL's 100 KiB limit, a malformed handshake message)",
  },
  "not-tls": {
    code: "NetworkError",
    severity: "error",
    rule: "BG602",
    verdict: "the answer on the TLS port is not TLS (a cleartext HTTP answer: a proxy or another server answered)",
  },
  middlebox: {
    code: "NetworkError",
    severity: "error",
    rule: "BG602",
    verdict: "on cleartext HTTP, a middlebox answered instead of the service (407 proxy authentication, 511 captive portal, 403)",
  },
};

/** Any failure on an Azure AD login endpoint, other than a proven interception. */
export const LOGIN_FAILURE: Classification = {
  code: "LoginError",
  severity: "error",
  rule: "BG607",
  verdict: "an Azure AD login endpoint is unreachable (any failure above except a certificate that does not verify or match)",
};

/** Clock skew: Unauthorized above `errorAboveSeconds`, a warning above `warningAboveSeconds`. */
export const CLOCK_SKEW = {
  code: "Unauthorized" as ErrorCode,
  rule: "BG608" as ProbeRuleId,
  errorAboveSeconds: 300,
  warningAboveSeconds: 60,
};

export const TIME_SERVER_SILENT: Classification = {
  code: "Unauthorized",
  severity: "warning",
  rule: "BG609",
  verdict: "the time server did not answer SNTP (UDP 123), or its answer is unusable (no transmit timestamp)",
};

export const TIME_SERVER_UNSYNCHRONISED: Classification = {
  code: "Unauthorized",
  severity: "warning",
  rule: "BG609",
  verdict: "the time server says it is not synchronised (leap indicator 3, stratum 0 or 16)",
};

/** An endpoint not tested: a warning with the endpoint's own code, never a pass. */
export const NOT_TESTED = { severity: "warning" as Severity, rule: "BG610" as ProbeRuleId, verdict: "not tested (wildcard without a concrete host, run deadline, Ctrl-C, or no usable network here), with the reason" };

export const EXPLICIT_PROXY: Classification = {
  code: "NetworkError",
  severity: "warning",
  rule: "BG611",
  verdict: "endpoints were reached through an explicit proxy, which the bridge cannot use (transparent proxies only)",
};

/** The code, severity and rule for one failed endpoint probe. */
export function classifyFailure(failure: FailureKind, endpoint: CatalogEndpoint): Classification {
  const entry = FAILURES[failure];
  const base = endpoint.purpose === "identity" && !entry.interception ? { ...LOGIN_FAILURE, verdict: entry.verdict } : entry;
  // An endpoint the catalog does not rate an error (the legacy usage host is information only) never raises one.
  return endpoint.severity !== "error" ? { ...base, severity: "warning" } : base;
}

/** The severity of a measured clock skew, or undefined when within tolerance. */
export function classifySkew(skewMs: number): Severity | undefined {
  const seconds = Math.abs(skewMs) / 1000;
  if (seconds > CLOCK_SKEW.errorAboveSeconds) return "error";
  if (seconds > CLOCK_SKEW.warningAboveSeconds) return "warning";
  return undefined;
}

/** The table as Markdown, for `docs/probe.md`. */
export function renderClassificationTable(): string {
  const row = (seen: string, c: Pick<Classification, "code" | "severity" | "rule">) => `| ${seen} | \`${c.code}\` | ${c.severity} | ${c.rule} |`;
  return [
    "| what the probe saw | code | severity | rule |",
    "|---|---|---|---|",
    ...Object.values(FAILURES).map((c) => row(c.verdict, c)),
    row(LOGIN_FAILURE.verdict, LOGIN_FAILURE),
    `| clock skew above ${CLOCK_SKEW.errorAboveSeconds} s (SNTP or an answer's \`Date\` header) | \`Unauthorized\` | error | ${CLOCK_SKEW.rule} |`,
    `| clock skew above ${CLOCK_SKEW.warningAboveSeconds} s | \`Unauthorized\` | warning | ${CLOCK_SKEW.rule} |`,
    row(TIME_SERVER_SILENT.verdict, TIME_SERVER_SILENT),
    row(TIME_SERVER_UNSYNCHRONISED.verdict, TIME_SERVER_UNSYNCHRONISED),
    `| ${NOT_TESTED.verdict} | the endpoint's own code | warning | ${NOT_TESTED.rule} |`,
    row(EXPLICIT_PROXY.verdict, EXPLICIT_PROXY),
  ].join("\n");
}
