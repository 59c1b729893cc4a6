import { analyzeEgress } from "../engine/egress";
import { describeEndpoint } from "../engine/flows";
import { terminateTlsFix } from "./shared/fixes";
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
    const violations: Violation[] = [];
    for (const { gate, flow, verdict } of analyzeEgress(set, config).results) {
      if (verdict.verdict !== "intercepted" || flow.flow.appProtocol !== "Https") continue;
      const decided = verdict.decidedBy;
      violations.push({
        resource: decided?.resource ?? gate.ref,
        endpoint: flow.endpoint,
        message: `${gate.label} inspects TLS on ${describeEndpoint(flow.endpoint)}: ${verdict.reason}`,
        evidence: verdict.evidence,
        fix:
          terminateTlsFix(set, decided) ??
          (decided?.rule ? `Set terminateTLS: false on rule "${decided.rule}" (collection "${decided.collection}", group "${decided.group}").` : undefined),
      });
    }
    return violations;
  },
};
