import type { ErrorCode } from "../model/codes";

export type { ErrorCode };

export const ERROR_CODES: readonly ErrorCode[] = [
  "NetworkError",
  "RequestTimedOut",
  "LoginError",
  "CertificateValidationError",
  "Unauthorized",
];

export interface ErrorCodeInfo {
  code: ErrorCode;
  /** What the documentation says the code means, in our words. */
  issue: string;
  /** The documented remediation, in our words. */
  remediation: string;
  /** The configuration causes bridgeguard looks for. */
  causes: string[];
}

export const ERROR_CODE_INFO: Readonly<Record<ErrorCode, ErrorCodeInfo>> = {
  NetworkError: {
    code: "NetworkError",
    issue: "The usage bridge cannot send its request to the usage service endpoint.",
    remediation: "Check whether a firewall or proxy blocks or intercepts the usage endpoint.",
    causes: [
      "a firewall, NSG or route denies the usage or Azure Resource Manager endpoint on 443",
      "DNS to the deployment's DNS servers is blocked (by a rule, or a route with next hop None)",
      "the only path out is an explicit proxy (the bridge supports transparent proxies only)",
      "probe: the name does not resolve, the connection is refused or reset, or a proxy answers 403/407",
    ],
  },
  RequestTimedOut: {
    code: "RequestTimedOut",
    issue: "The request left the bridge, but the usage service did not answer within the timeout.",
    remediation: "Check whether a firewall or proxy blocks or intercepts the usage endpoint, or silently drops its traffic.",
    causes: [
      "the default route is forced into an on-premises gateway (ExpressRoute/VPN, unsupported for these endpoints) or an appliance bridgeguard cannot see",
      "probe: a connect that is never answered (silent drop), or no HTTP answer after the request was sent",
    ],
  },
  LoginError: {
    code: "LoginError",
    issue: "The usage bridge cannot authenticate with Azure Active Directory.",
    remediation: "Make sure the Azure AD login endpoints are reachable from all XRP VMs (the public VIP /27).",
    causes: [
      "a firewall or NSG denies an Azure AD login endpoint on 443 or 80",
      "a route drops the login endpoints (next hop None), or forces them into a gateway or an appliance bridgeguard cannot see (warning)",
      "probe: DNS, TCP, TLS or HTTP failure on a login endpoint",
    ],
  },
  CertificateValidationError: {
    code: "CertificateValidationError",
    issue: "The usage bridge cannot send its request because it cannot authenticate the Azure service.",
    remediation: "Check for a proxy or firewall that intercepts HTTPS (TLS inspection) between the XRP VMs and the usage endpoint, and exempt the bridge's endpoints from it.",
    causes: [
      "TLS inspection (Premium firewall policy, terminateTLS) on an application rule that allows a bridge endpoint",
      "probe: the certificate presented does not verify against public roots, or names another host",
    ],
  },
  Unauthorized: {
    code: "Unauthorized",
    issue: "Azure cannot authenticate the usage bridge.",
    remediation: "Check whether the registration resource was modified, moved or deleted and re-register the stamp; or fix time synchronisation between the XRP VMs and Azure AD.",
    causes: [
      "the registration resource is missing from the expected subscription and resource group, or sits elsewhere",
      "the registration's cloudId or objectId differs from the stamp's, or its location is not global",
      "NTP to the configured time server is not allowed, or a route drops it (next hop None), so clocks drift past the 300 s tolerance",
      "probe: clock skew above 300 s",
    ],
  },
};

export function isErrorCode(value: string): value is ErrorCode {
  return (ERROR_CODES as readonly string[]).includes(value);
}
