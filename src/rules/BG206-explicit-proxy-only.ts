import { analyzeEgress } from "../analysis/egress";
import type { StackRule, Violation } from "./types";

const BRIDGE_PURPOSES = new Set(["usage", "registration", "identity"]);

export const explicitProxyOnly: StackRule = {
  meta: {
    id: "BG206",
    slug: "explicit-proxy-only",
    code: "NetworkError",
    severity: "error",
    title: "The bridge has a transparent path out, not only an explicit proxy",
    why: "Azure Stack Hub supports transparent proxies only: the bridge has no proxy setting. A firewall policy whose explicit proxy is the only way out for the bridge's endpoints leaves the bridge with no path at all: NetworkError.",
    remediation: "Allow the bridge's endpoints through transparent rules (application rules from the public VIP /27); the explicit proxy can stay for other clients.",
    scope: "stack",
    appliesTo: ["firewallPolicy", "azureFirewall", "ruleCollectionGroup"],
  },
  check(set, { config }) {
    const analysis = analyzeEgress(set, config);
    const violations: Violation[] = [];
    for (const gate of analysis.gates) {
      if (!gate.explicitProxy) continue;
      const denied = analysis.results.filter(
        (r) => r.gate === gate && r.verdict.verdict === "denied" && BRIDGE_PURPOSES.has(r.flow.endpoint.purpose),
      );
      if (denied.length === 0) continue;
      const hosts = [...new Set(denied.map((r) => `${r.flow.endpoint.host}:${r.flow.endpoint.port}`))];
      violations.push({
        resource: gate.explicitProxy.ref,
        message: `explicit proxy is enabled, but transparent rules deny ${hosts.length} bridge endpoint(s); the bridge cannot use an explicit proxy`,
        evidence: ["explicitProxy.enableExplicitProxy: true", `denied transparently: ${hosts.join(", ")}`],
      });
    }
    return violations;
  },
};
