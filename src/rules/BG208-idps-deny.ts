import { analyzeEgress, type GateVerdict } from "../analysis/egress";
import { denyingOverrides, describeIdpsFlow, idpsCanDrop, matchIdpsBypassList } from "../evaluate/idps";
import type { FindingEndpoint } from "../model/finding";
import type { StackRule, Violation } from "./types";

/**
 * IDPS drops only what the rule engine let through ("the IDPS engine is inline and activated after the
 * rules processing engine", firewall/rule-processing.md), and only where it may drop: mode Deny ("Alert
 * and Deny"), or a signature overridden to Deny. A flow the bypass list surely exempts is left alone.
 */
export const idpsDeny: StackRule = {
  meta: {
    id: "BG208",
    slug: "idps-deny-mode",
    code: "NetworkError",
    severity: "warning",
    title: "IDPS that can drop traffic exempts the bridge's flows",
    why: "Azure Firewall Premium IDPS runs after the rule engine: in Alert and Deny mode (or for a signature overridden to Deny) it silently drops an allowed flow that matches a signature, with no RST and no rule to show for it. A false positive on the bridge's traffic stops usage reporting.",
    remediation:
      "Exempt the bridge's traffic with an IDPS bypass entry (intrusionDetection.configuration.bypassTrafficSettings: protocol ANY, source the public VIP /27, destination * since the bridge's endpoints publish no addresses, ports 443, 80, 123 and 53), or run IDPS in Alert mode; set a signature that fires on the bridge to Alert in signatureOverrides.",
    scope: "stack",
    appliesTo: ["firewallPolicy", "azureFirewall"],
  },
  check(set, { config }) {
    const analysis = analyzeEgress(set, config);
    const violations: Violation[] = [];
    for (const gate of analysis.gates) {
      const idps = gate.idps;
      if (!idps || !idpsCanDrop(idps)) continue;
      // Only flows the rules may let through reach IDPS.
      const passing = analysis.results.filter((r) => r.gate === gate && r.verdict.verdict !== "denied");
      const exposed: GateVerdict[] = [];
      const doubts: string[] = [];
      for (const result of passing) {
        const { match, entry } = matchIdpsBypassList(idps.bypass, result.flow.flow);
        if (match.result === "yes") continue;
        exposed.push(result);
        if (match.result === "maybe") doubts.push(`bypass entry "${entry}" may exempt ${describeIdpsFlow(result.flow.flow)}: ${match.why}`);
      }
      if (exposed.length === 0) continue;
      const denying = denyingOverrides(idps);
      const deny = idps.mode.toLowerCase() === "deny";
      const how = deny
        ? "intrusion detection (IDPS) is in Alert and Deny mode"
        : `intrusion detection (IDPS) runs in ${idps.mode} mode, but ${denying.length} signature(s) are overridden to Deny`;
      violations.push({
        resource: idps.ref,
        endpoints: endpointsOf(exposed),
        message: `${how} and inspects the bridge's traffic after the rules allow it: a signature match drops ${exposed.length === passing.length ? "any of it" : `${endpointsOf(exposed).length} of its endpoints`} silently`,
        evidence: [
          `intrusionDetection.mode: ${idps.mode}`,
          ...(denying.length > 0 ? [`signatureOverrides in Deny: ${denying.map((o) => o.id).join(", ")}`] : []),
          idps.bypass.length === 0 ? "bypassTrafficSettings: none" : `bypassTrafficSettings: ${idps.bypass.map((b) => b.name).join(", ")} (none surely exempts these flows)`,
          ...[...new Set(doubts)],
        ],
      });
    }
    return violations;
  },
};

function endpointsOf(results: readonly GateVerdict[]): FindingEndpoint[] {
  const seen = new Map<string, FindingEndpoint>();
  for (const { flow } of results) seen.set(`${flow.endpoint.host}|${flow.endpoint.port}|${flow.endpoint.protocol}|${flow.endpoint.purpose}`, flow.endpoint);
  return [...seen.values()];
}
