import { analyzeEgress } from "../analysis/egress";
import { terminateTlsFix } from "../fixes/terminate-tls";
import { causeEvidence, causeOf, endpointsOf, endpointsPhrase, groupByCause } from "./shared/reachability";
import type { StackRule, Violation } from "./types";

export const tlsInspection: StackRule = {
  meta: {
    id: "BG501",
    slug: "tls-inspection-on-bridge-endpoint",
    code: "CertificateValidationError",
    severity: "error",
    title: "No TLS inspection on the bridge's endpoints",
    why: "Azure Stack Hub does not support TLS interception: the bridge pins the certificates of Azure's endpoints, so a firewall that terminates TLS and re-signs with its own CA (Azure Firewall Premium, terminateTLS: true) makes every upload fail with CertificateValidationError.",
    remediation: "Set terminateTLS: false on the application rule that allows the endpoint, or allow the endpoint in an earlier rule without TLS termination.",
    scope: "stack",
    appliesTo: ["firewallPolicy", "ruleCollectionGroup"],
  },
  check(set, { config }) {
    const intercepted = analyzeEgress(set, config).results.filter((r) => r.verdict.verdict === "intercepted" && r.flow.flow.appProtocol === "Https");
    // One finding per TLS-inspecting rule, with every endpoint it intercepts.
    return groupByCause(intercepted, (r) => r.flow.severity).map((results): Violation => {
      const { gate, verdict } = results[0]!;
      const decided = verdict.decidedBy;
      const endpoints = endpointsOf(results);
      const cause = causeOf(decided);
      const reason = results.every((r) => r.verdict.reason === verdict.reason) ? verdict.reason : `${cause ?? "a rule"} intercepts them (TLS inspection)`;
      return {
        resource: decided?.resource ?? gate.ref,
        endpoints,
        ...(cause !== undefined ? { cause } : {}),
        message: `${gate.label} inspects TLS on ${endpointsPhrase(endpoints)}: ${reason}`,
        evidence: causeEvidence(results),
        severity: results[0]!.flow.severity,
        fix:
          terminateTlsFix(decided) ??
          (decided?.rule ? `Set terminateTLS: false on rule "${decided.rule}" (collection "${decided.collection}", group "${decided.group}").` : undefined),
      };
    });
  },
};
