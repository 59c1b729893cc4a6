/**
 * A report as the engine would produce it for a misconfigured stamp: several codes, both severities,
 * four resources (one with several findings), one finding without an endpoint, and input text with the
 * characters formatters must escape (`|`, `<script>`, `*`, `&`).
 */
import type { Finding, Report } from "../../src/model/finding";
import type { RuleMeta } from "../../src/rules/types";

const STACK = "urn:pulumi:prod::stamp-egress";

export const FIREWALL = {
  urn: `${STACK}::azure-native:network:AzureFirewall::hub-fw`,
  type: "azure-native:network:AzureFirewall",
  name: "hub-fw",
};
export const RULE_GROUP = {
  urn: `${STACK}::azure-native:network:FirewallPolicyRuleCollectionGroup::bridge-rules`,
  type: "azure-native:network:FirewallPolicyRuleCollectionGroup",
  name: "bridge-rules",
};
export const NSG = {
  urn: `${STACK}::azure-native:network:NetworkSecurityGroup::vip-nsg`,
  type: "azure-native:network:NetworkSecurityGroup",
  name: "vip-nsg",
};
export const REGISTRATION = {
  urn: `${STACK}::azure-native:azurestack:Registration::azurestack-reg`,
  type: "azure-native:azurestack:Registration",
  name: "azurestack-reg",
};

export const LONG_FIX =
  "Add an application rule allowing *.trafficmanager.net on Https:443 from 203.0.113.0/27 to a collection whose priority is below 100 (the deny-internet collection), or move deny-internet after the bridge's collection. Allow the usage endpoint by FQDN (application rule, HTTPS 443) from the public VIP /27; Microsoft publishes no addresses for it. Documented remediation for NetworkError: Check whether a firewall or proxy blocks or intercepts the usage endpoint.";

export const RULES: RuleMeta[] = [
  {
    id: "BG101",
    slug: "registration-missing",
    code: "Unauthorized",
    severity: "error",
    title: "The registration resource exists where the stamp expects it",
    why: "The bridge authenticates as the registration's identity; if the resource is deleted, Azure answers Unauthorized.",
    remediation: "Re-register the stamp, or restore the registration resource.",
    scope: "stack",
    appliesTo: ["registration"],
  },
  {
    id: "BG201",
    slug: "usage-endpoint-blocked",
    code: "NetworkError",
    severity: "error",
    title: "The usage endpoint is allowed on HTTPS 443 from the public VIP range",
    why: "The bridge sends usage records over HTTPS to the usage service behind Traffic Manager.",
    remediation: "Allow the usage endpoint by FQDN (application rule, HTTPS 443) from the public VIP /27.",
    scope: "stack",
    appliesTo: ["azureFirewall", "ruleCollectionGroup"],
  },
  {
    id: "BG203",
    slug: "legacy-usage-endpoint-blocked",
    code: "NetworkError",
    severity: "warning",
    title: "The legacy usage endpoint is allowed",
    why: "Listed in the 05/2019 revision only.",
    remediation: "Allow *.microsoftazurestack.com on HTTPS 443.",
    scope: "stack",
    appliesTo: ["azureFirewall"],
  },
  {
    id: "BG301",
    slug: "login-endpoint-blocked",
    code: "LoginError",
    severity: "error",
    title: "Azure AD login endpoints are allowed",
    why: "The bridge gets its tokens from Azure AD.",
    remediation: "Allow the login endpoints on 443 and 80.",
    scope: "stack",
    appliesTo: ["networkSecurityGroup"],
  },
  {
    id: "BG501",
    slug: "tls-inspection",
    code: "CertificateValidationError",
    severity: "error",
    title: "No TLS inspection of the bridge's endpoints",
    why: "The bridge does not trust the inspecting CA.",
    remediation: "Set terminateTLS to false on the rule that allows the endpoint.",
    scope: "stack",
    appliesTo: ["ruleCollectionGroup"],
  },
  {
    // Ran, found nothing: SARIF still lists it.
    id: "BG108",
    slug: "time-sync-blocked",
    code: "Unauthorized",
    severity: "error",
    title: "NTP to the time server is allowed",
    why: "Clock skew over 300 s breaks the bridge's signed assertions.",
    remediation: "Allow UDP 123 to the time server.",
    scope: "stack",
    appliesTo: ["azureFirewall"],
  },
];

/** Findings deliberately out of order: every formatter must sort them. */
export function sampleFindings(): Finding[] {
  return [
    {
      code: "LoginError",
      rule: { id: "BG301", slug: "login-endpoint-blocked" },
      severity: "warning",
      resource: NSG,
      endpoints: [{ host: "login.microsoftonline.com", port: 443, protocol: "https", purpose: "identity" }],
      message: "NSG rule deny-all-out (priority 4000) may deny login.microsoftonline.com:443 | the source range is not configured",
      evidence: ["securityRules[2] deny-all-out: Outbound Deny * -> Internet:*", "egress.sourceAddresses is not configured"],
      remediation: "Set egress.sourceAddresses in bridgeguard.yaml so that the check can decide.",
      docs: "docs/rules/BG301.md",
    },
    {
      code: "NetworkError",
      rule: { id: "BG201", slug: "usage-endpoint-blocked" },
      severity: "error",
      resource: FIREWALL,
      endpoints: [{ host: "*.trafficmanager.net", port: 443, protocol: "https", purpose: "usage" }],
      message: "the firewall denies *.trafficmanager.net:443 from the public VIP range",
      evidence: [
        'collection "deny-internet" (priority 100, Deny) rule "all" matches 203.0.113.0/27 -> *:443',
        "no Allow collection with a lower priority number matches the flow",
      ],
      remediation: LONG_FIX,
      docs: "docs/rules/BG201.md",
    },
    {
      code: "Unauthorized",
      rule: { id: "BG101", slug: "registration-missing" },
      severity: "error",
      resource: REGISTRATION,
      endpoints: [],
      message: "no registration resource in subscription 00000000-0000-0000-0000-000000000000, resource group azurestack",
      evidence: ["pending_operations: delete of azurestack-reg"],
      remediation: "Re-register the stamp.",
      docs: "docs/rules/BG101.md",
    },
    {
      code: "NetworkError",
      rule: { id: "BG203", slug: "legacy-usage-endpoint-blocked" },
      severity: "warning",
      resource: FIREWALL,
      endpoints: [{ host: "*.microsoftazurestack.com", port: 443, protocol: "https", purpose: "usage-legacy" }],
      message: "the firewall denies *.microsoftazurestack.com:443",
      evidence: ['collection "deny-internet" (priority 100, Deny) rule "all"'],
      remediation: "Allow *.microsoftazurestack.com on Https:443.",
      docs: "docs/rules/BG203.md",
    },
    {
      code: "CertificateValidationError",
      rule: { id: "BG501", slug: "tls-inspection" },
      severity: "error",
      resource: RULE_GROUP,
      endpoints: [{ host: "management.azure.com", port: 443, protocol: "https", purpose: "registration" }],
      message: "rule allow-arm terminates TLS for management.azure.com <inspected> & re-signed",
      evidence: ["ruleCollections[0].rules[1].terminateTLS = true", "<script>alert(1)</script> | `tick`"],
      remediation: "Set terminateTLS: false on allow-arm.",
      docs: "docs/rules/BG501.md",
    },
    {
      code: "NetworkError",
      rule: { id: "BG201", slug: "usage-endpoint-blocked" },
      severity: "error",
      resource: RULE_GROUP,
      endpoints: [{ host: "*.trafficmanager.net", port: 443, protocol: "https", purpose: "usage" }],
      message: "no rule of bridge-rules allows *.trafficmanager.net:443",
      evidence: [],
      remediation: "Add an application rule for *.trafficmanager.net.",
      docs: "docs/rules/BG201.md",
    },
  ];
}

export function sampleReport(findings: Finding[] = sampleFindings()): Report {
  return {
    schemaVersion: 2,
    tool: { name: "bridgeguard", version: "0.1.0" },
    catalog: { version: "2019.12-azs2301" },
    findings,
    summary: {
      errors: findings.filter((f) => f.severity === "error").length,
      warnings: findings.filter((f) => f.severity === "warning").length,
      resources: 14,
      endpoints: 17,
    },
  };
}

/** No findings: the healthy stamp. */
export function cleanReport(): Report {
  return sampleReport([]);
}

/** One of everything, to check singulars. */
export function singularReport(): Report {
  const one = sampleFindings().filter((f) => f.rule.id === "BG203" || f.rule.id === "BG101");
  return { ...sampleReport(one), summary: { errors: 1, warnings: 1, resources: 1, endpoints: 1 } };
}
