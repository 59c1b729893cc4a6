/**
 * The fix of a cause at an NSG: one outbound security rule with every port of the cause, at a free priority
 * below the denying rule (distinct per cause); when none is free, the deny moves one step if it can.
 */
import { MIN_PRIORITY, ruleNameOf } from "../allowlist/rule-collection-group";
import type { BridgeFlow } from "../analysis/flows";
import type { EgressGate } from "../evaluate/gates";
import type { DecidingRule } from "../evaluate/types";
import type { AddRuleFix, FixSecurityRule } from "../model/fix";
import { freeBelow, memoized, type FixPlan } from "./plan";
import { addressDestination, before, beforeLabel, portsOf, purposesOf, sourcesText } from "./words";

/** NSG custom rule priorities run 100-4096. */
const NSG_MAX_PRIORITY = 4096;

/** The outbound priorities an NSG uses, and those its fixes took already (one free priority per cause). */
function nsgUsedPriorities(plan: FixPlan, gate: EgressGate): Set<number> {
  return memoized(plan, `nsg|${gate.ref.urn}`, () => new Set((gate.securityRules ?? []).filter((r) => r.direction === "Outbound").map((r) => r.priority)));
}

/** Where the denying rule's priority lives, from the verdict: `priority` of a standalone SecurityRule, or `securityRules[i].priority` of the NSG. */
function movePath(gate: EgressGate, decided: DecidingRule): string | undefined {
  if (decided.resource.urn !== gate.ref.urn) return "priority";
  return decided.path === undefined ? undefined : `${decided.path}.priority`;
}

/** The fix of the flows one NSG rule (or DenyAllOutBound) denies. */
export function nsgCauseFix(plan: FixPlan, gate: EgressGate, flows: readonly BridgeFlow[], decided: DecidingRule | undefined): AddRuleFix | string {
  const transports = new Set(flows.map((f) => f.flow.transport));
  const protocol = transports.size > 1 ? "*" : transports.has("udp") ? "Udp" : "Tcp";
  const destinations = [...new Set(flows.map(addressDestination))];
  const ports = portsOf(flows);
  const purposes = purposesOf(flows);
  const used = nsgUsedPriorities(plan, gate);
  const ceiling = decided && !decided.isDefault && decided.priority !== undefined ? Math.min(decided.priority, NSG_MAX_PRIORITY + 1) : NSG_MAX_PRIORITY + 1;
  let priority = freeBelow(ceiling, used);
  const label = beforeLabel(decided);
  const what = `${protocol === "*" ? "TCP and UDP" : protocol.toUpperCase()} ${ports.join(", ")} from ${sourcesText(flows[0]!)} to ${destinations.join(", ")}`;
  let move: AddRuleFix["move"];
  if (priority === undefined) {
    // Azure accepts 100-4096, unique per direction: nothing can go before a deny at 100 (or one with every
    // priority below it taken). When the next priority after it is free, the deny moves there (no rule lies
    // between, so nothing else changes order) and the allow takes its place; otherwise the rule must change.
    const from = decided?.priority;
    const to = from === undefined ? undefined : from + 1;
    const path = decided ? movePath(gate, decided) : undefined;
    if (from === undefined || to === undefined || to > NSG_MAX_PRIORITY || used.has(to) || !decided || path === undefined) {
      return `No free priority precedes rule "${decided?.rule}" (priority ${from}) of ${gate.ref.name} (NSG priorities run ${MIN_PRIORITY}-${NSG_MAX_PRIORITY}, unique per direction): change or narrow that rule so that it does not match ${what}.`;
    }
    move = { rule: decided.rule!, from, to, resource: decided.resource, path };
    used.add(to);
    priority = from;
  }
  used.add(priority);
  const rule: FixSecurityRule = {
    ruleType: "SecurityRule",
    name: ruleNameOf("allow-bridge", ...purposes),
    direction: "Outbound",
    access: "Allow",
    priority,
    protocol,
    ...(flows[0]!.flow.sources ? { sourceAddressPrefixes: [...flows[0]!.flow.sources] } : {}),
    destinationAddressPrefixes: destinations,
    destinationPortRanges: ports,
  };
  const description = move
    ? `No free priority precedes rule "${move.rule}" (priority ${move.from}; NSG priorities run ${MIN_PRIORITY}-${NSG_MAX_PRIORITY}, unique per direction): move it to priority ${move.to}, then add one outbound security rule to ${gate.ref.name} at priority ${move.from} that allows ${what}.`
    : `Add an outbound security rule to ${gate.ref.name} that allows ${what}${before(decided)}.`;
  return {
    kind: "add-rule",
    description,
    resource: gate.ref,
    ...(gate.armId ? { armId: gate.armId } : {}),
    ...(label ? { before: label } : {}),
    ...(move ? { move } : {}),
    rules: [rule],
  };
}
