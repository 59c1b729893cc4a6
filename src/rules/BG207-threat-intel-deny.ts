import { matchFqdnPattern } from "../evaluate/fqdn";
import { analyzeEgress } from "../analysis/egress";
import type { ChangePropertyFix } from "../model/fix";
import type { EgressGate } from "../evaluate/gates";
import type { StackRule, Violation } from "./types";

export const threatIntelDeny: StackRule = {
  meta: {
    id: "BG207",
    slug: "threat-intel-deny-mode",
    code: "NetworkError",
    severity: "warning",
    title: "Threat intelligence in Deny mode exempts the bridge's endpoints",
    why: "In Deny mode Azure Firewall drops traffic to names and addresses on Microsoft's threat feed before any rule runs. Azure's own endpoints are not expected there, but a false positive would block the bridge with no rule to show for it, so the bridge's FQDNs belong on the allow list.",
    remediation:
      'Add the bridge\'s endpoints to the allow list (a policy\'s threatIntelWhitelist.fqdns; a firewall without policy: additionalProperties["ThreatIntel.Whitelist.FQDNs"], comma-separated), or run threat intelligence in Alert mode (a child policy cannot be less strict than its parent).',
    scope: "stack",
    appliesTo: ["firewallPolicy", "azureFirewall"],
  },
  check(set, { config }) {
    const analysis = analyzeEgress(set, config);
    const violations: Violation[] = [];
    for (const gate of analysis.gates) {
      const intel = gate.threatIntel;
      if (!intel || intel.mode.toLowerCase() !== "deny") continue;
      const hosts = [
        ...new Set(
          analysis.flows
            .filter((f) => f.flow.destination.kind === "fqdn")
            .map((f) => f.endpoint.host)
            .filter((host) => !intel.whitelistFqdns.some((pattern) => matchFqdnPattern(pattern, host).result === "yes")),
        ),
      ];
      if (hosts.length === 0) continue;
      const list = intel.whitelist === "policy" ? "threatIntelWhitelist.fqdns" : 'additionalProperties["ThreatIntel.Whitelist.FQDNs"]';
      violations.push({
        resource: intel.ref,
        message: `threat intelligence is in Deny mode and ${hosts.length} bridge endpoint(s) are not on its allow list`,
        evidence: [`threatIntelMode: ${intel.mode}${modeSource(gate)}`, `not in ${list}: ${hosts.join(", ")}`],
        fix: intel.whitelist === "policy" ? whitelistFix(gate, hosts) : classicWhitelistFix(intel.whitelistFqdns, hosts),
      });
    }
    return violations;
  },
};

/**
 * Where the mode in force comes from, when not from the policy the gate runs (the last of its chain, as
 * the evaluator joined it): a stricter parent.
 */
function modeSource(gate: EgressGate): string {
  const intel = gate.threatIntel!.ref;
  const leaf = gate.policies?.at(-1)?.policy;
  if (gate.ref.urn === intel.urn || !leaf || leaf.ref.urn === intel.urn) return "";
  return ` (set by policy "${intel.name}", the strictest of the policy chain: a child policy cannot run a less strict mode)`;
}

/** A classic firewall's allow list is one comma-separated string in `additionalProperties`: the value to write. */
function classicWhitelistFix(current: readonly string[], hosts: readonly string[]): string {
  return `Set additionalProperties["ThreatIntel.Whitelist.FQDNs"] to "${[...new Set([...current, ...hosts])].join(", ")}" (or: az network firewall threat-intel-allowlist update --fqdns ...).`;
}

/** The hosts added to `threatIntelWhitelist.fqdns` of the policy whose mode is in force (one of the gate's chain). */
function whitelistFix(gate: EgressGate, hosts: readonly string[]): ChangePropertyFix | string {
  const description = `Add ${hosts.join(", ")} to threatIntelWhitelist.fqdns.`;
  const ref = gate.threatIntel!.ref;
  const policy = gate.policies?.find((p) => p.policy.ref.urn === ref.urn)?.policy;
  if (!policy || policy.unknowns.some((u) => u.replace(/^properties\./, "").startsWith("threatIntelWhitelist"))) return description;
  const current = policy.threatIntelWhitelistFqdns;
  return { kind: "change-property", description, resource: ref, path: "threatIntelWhitelist.fqdns", value: [...new Set([...current, ...hosts])], current: [...current] };
}
