import { legacyUsageEndpoint } from "../catalog/endpoints";
import { analyzeEgress } from "../analysis/egress";
import { describeEndpoint, endpointFlows } from "../analysis/flows";
import type { StackRule, Violation } from "./types";

/**
 * The newest "Ports and URLs (outbound)" revision no longer lists `*.microsoftazurestack.com` (the 05/2019
 * Usage row did): blocking or inspecting it breaks nothing, so it is never checked for itself. What still
 * matters is an allow-list written from the old table: it allows the legacy host and denies a current
 * usage host. BG201 reports the denial; this rule says where the allow-list came from and what replaces it.
 */
export const legacyUsageAllowList: StackRule = {
  meta: {
    id: "BG203",
    slug: "legacy-usage-allow-list",
    code: "NetworkError",
    severity: "warning",
    title: "The usage allow-list is not the legacy one (*.microsoftazurestack.com without the current usage hosts)",
    why: "The 05/2019 revision of the outbound URL list named *.microsoftazurestack.com for usage; the newest names *.trafficmanager.net and *.cloudapp.azure.com (and their US Government and China counterparts) instead. A gate that allows the legacy host but denies a current one was set up from the old table: usage reporting fails with NetworkError. The legacy host itself is not required, so blocking or inspecting it is no problem.",
    remediation: "Replace *.microsoftazurestack.com in the allow rule with the current usage hosts (`bridgeguard endpoints` lists them), HTTPS 443 from the public VIP /27.",
    scope: "stack",
    appliesTo: ["azureFirewall", "firewallPolicy", "ruleCollectionGroup", "networkSecurityGroup", "securityRule"],
  },
  check(set, { config }) {
    const analysis = analyzeEgress(set, config);
    const legacy = endpointFlows(legacyUsageEndpoint(config.cloud), config.egress.sourceAddresses, "warning")[0]!;
    const violations: Violation[] = [];
    for (const gate of analysis.gates) {
      const denied = analysis.results.filter((r) => r.gate === gate && r.flow.endpoint.purpose === "usage" && r.verdict.verdict === "denied");
      if (denied.length === 0) continue;
      const verdict = gate.evaluate(legacy.flow);
      if (verdict.verdict !== "allowed" && verdict.verdict !== "intercepted") continue;
      const hosts = [...new Set(denied.map((r) => r.flow.endpoint.host))];
      violations.push({
        resource: verdict.decidedBy?.resource ?? gate.ref,
        endpoint: denied[0]!.flow.endpoint,
        message: `${gate.label} allows the legacy usage host ${describeEndpoint(legacy.endpoint)} but denies ${hosts.join(", ")}: the allow-list follows the 05/2019 table`,
        evidence: [...verdict.evidence, ...denied.map((r) => `${describeEndpoint(r.flow.endpoint)}: ${r.verdict.reason}`)],
        fix: `Allow ${hosts.join(", ")} (HTTPS 443) where ${verdict.decidedBy?.rule ? `rule "${verdict.decidedBy.rule}"` : "the rule"} allows ${legacy.endpoint.host}; the legacy host is no longer needed.`,
      });
    }
    return violations;
  },
};
