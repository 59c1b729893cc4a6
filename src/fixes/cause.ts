/**
 * The fix planner: one concrete fix per cause, as data (`FindingFix`) with its one-sentence description,
 * the smallest change that lets every flow of the cause through its gate (one NSG rule with every port,
 * or one collection of firewall rules placed before the deciding rule).
 *
 * It reads only what the egress analysis resolved: the verdicts' deciding rules (with their layer and
 * place, `DecidingRule.path`) and the gates' own topology (the policy chain with its groups, the NSG with
 * its standalone rules, a classic firewall's collections). It never joins resources again, so a fix names
 * the resource the verdict came from and cannot disagree with it.
 */
import type { EgressAnalysis, GateVerdict } from "../analysis/egress";
import type { AddRuleFix } from "../model/fix";
import { firewallCauseFix } from "./firewall";
import { nsgCauseFix } from "./nsg";
import { fixPlan } from "./plan";

/** The fix of one cause: `results` (of `analysis`) share the gate and the deciding rule. A string when no rule can be added. */
export function fixForCause(results: readonly GateVerdict[], analysis: EgressAnalysis): AddRuleFix | string {
  const plan = fixPlan(analysis);
  const { gate } = results[0]!;
  const decided = results[0]!.verdict.decidedBy;
  const flows = results.filter((r) => r.gate === gate).map((r) => r.flow);
  return gate.kind === "networkSecurityGroup" ? nsgCauseFix(plan, gate, flows, decided) : firewallCauseFix(plan, gate, flows, decided);
}
