import { analyzeEgress } from "../analysis/egress";
import type { StackRule, Violation } from "./types";

export const idpsDeny: StackRule = {
  meta: {
    id: "BG208",
    slug: "idps-deny-mode",
    code: "NetworkError",
    severity: "warning",
    title: "IDPS in Deny mode does not sit silently in the bridge's path",
    why: "Azure Firewall Premium IDPS in Deny mode drops flows that match a signature, before and regardless of the allow rules. A signature false positive on the bridge's HTTPS traffic stops usage reporting with no rule to show for it.",
    remediation: "Run IDPS in Alert mode for the public VIP /27, or add bypass traffic entries for the bridge's endpoints (intrusionDetection.configuration.bypassTrafficSettings).",
    scope: "stack",
    appliesTo: ["firewallPolicy"],
  },
  check(set, { config }) {
    const violations: Violation[] = [];
    for (const gate of analyzeEgress(set, config).gates) {
      if (!gate.idps || gate.idps.mode.toLowerCase() !== "deny") continue;
      violations.push({
        resource: gate.idps.ref,
        message: "intrusion detection (IDPS) is in Deny mode on the bridge's path",
        evidence: [`intrusionDetection.mode: ${gate.idps.mode}`],
      });
    }
    return violations;
  },
};
