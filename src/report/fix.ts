/**
 * A finding's concrete fix (`Finding.fix`) as short lines for people: `+` a rule to add, where, and what
 * it allows; `~` a property to change. Shared by the text formatter (its `change:` block) and SARIF.
 *
 *   + in policy hub-policy > rule collection group "azs-bridge-egress" (new, priority 199) > collection "azs-bridge-application" (new, priority 200, Allow):
 *     ApplicationRule "allow-identity-https-443-http-80": Https:443, Http:80 from 203.0.113.0/27 to login.microsoftonline.com, ..., terminateTLS: false
 *     before rule "deny-all" in collection "deny" (priority 100) in rule collection group "block" (priority 200)
 *   ~ bridge-egress ruleCollections[1].rules[0].terminateTLS: true -> false
 */
import type { AddRuleFix, FindingFix, FixRule, FixValue } from "../model/fix";

function list(values: readonly string[] | undefined, fallback: string): string {
  return values && values.length > 0 ? values.join(", ") : fallback;
}

const SOURCES_UNKNOWN = "the public VIP /27 (egress.sourceAddresses not configured)";

function ruleWhat(rule: FixRule): string {
  switch (rule.ruleType) {
    case "ApplicationRule": {
      const protocols = rule.protocols.map((p) => `${p.protocolType}:${p.port}`).join(", ");
      const tls = rule.terminateTLS === false ? ", terminateTLS: false" : "";
      return `${protocols} from ${list(rule.sourceAddresses, SOURCES_UNKNOWN)} to ${rule.targetFqdns.join(", ")}${tls}`;
    }
    case "NetworkRule": {
      const to = [...(rule.destinationAddresses ?? []), ...(rule.destinationFqdns ?? [])].join(", ");
      return `${rule.ipProtocols.join("+")} ${rule.destinationPorts.join(", ")} from ${list(rule.sourceAddresses, SOURCES_UNKNOWN)} to ${to}`;
    }
    case "SecurityRule":
      return `${rule.direction} ${rule.access}, priority ${rule.priority}, ${rule.protocol} ${rule.destinationPortRanges.join(", ")} from ${list(rule.sourceAddressPrefixes, SOURCES_UNKNOWN)} to ${rule.destinationAddressPrefixes.join(", ")}`;
  }
}

function containerOf(fix: AddRuleFix): string {
  const parts: string[] = [];
  const state = (exists: boolean) => (exists ? "existing" : "new");
  if (fix.ruleCollectionGroup) {
    const g = fix.ruleCollectionGroup;
    parts.push(`rule collection group "${g.name}" (${state(g.exists)}, priority ${g.priority})`);
  }
  if (fix.collection) {
    const c = fix.collection;
    parts.push(`collection "${c.name}" (${state(c.exists)}, priority ${c.priority}, ${c.action})`);
  }
  return parts.length > 0 ? `> ${parts.join(" > ")}` : "";
}

function kindOf(type: string): string {
  const t = type.toLowerCase();
  if (t.includes("firewallpolicy") || t.includes("firewallpolicies")) return "policy";
  if (t.includes("azurefirewall")) return "firewall";
  if (t.includes("networksecuritygroup")) return "NSG";
  return "resource";
}

function valueText(value: FixValue): string {
  return Array.isArray(value) ? `[${value.join(", ")}]` : String(value);
}

/** The fix as lines; continuation lines start with two spaces. */
export function fixLines(fix: FindingFix): string[] {
  if (fix.kind === "change-property") {
    const from = fix.current !== undefined ? `${valueText(fix.current)} -> ` : "";
    return [`~ ${fix.resource.name} ${fix.path}: ${from}${valueText(fix.value)}`];
  }
  const lines: string[] = [];
  if (fix.move) lines.push(`~ ${fix.move.resource.name} ${fix.move.path}: ${fix.move.from} -> ${fix.move.to} (rule "${fix.move.rule}", first)`);
  const container = containerOf(fix);
  lines.push(`+ in ${kindOf(fix.resource.type)} ${fix.resource.name}${container !== "" ? ` ${container}` : ""}:`);
  for (const rule of fix.rules) lines.push(`  ${rule.ruleType} "${rule.name}": ${ruleWhat(rule)}`);
  if (fix.before) lines.push(`  before ${fix.before}`);
  return lines;
}

const copy = <T>(values: readonly T[] | undefined): T[] | undefined => (values === undefined ? undefined : [...values]);

function ruleJson(rule: FixRule): FixRule {
  switch (rule.ruleType) {
    case "ApplicationRule":
      return {
        ruleType: rule.ruleType,
        name: rule.name,
        ...(rule.sourceAddresses ? { sourceAddresses: copy(rule.sourceAddresses) } : {}),
        protocols: rule.protocols.map((p) => ({ protocolType: p.protocolType, port: p.port })),
        targetFqdns: [...rule.targetFqdns],
        ...(rule.terminateTLS === false ? { terminateTLS: false as const } : {}),
      };
    case "NetworkRule":
      return {
        ruleType: rule.ruleType,
        name: rule.name,
        ...(rule.sourceAddresses ? { sourceAddresses: copy(rule.sourceAddresses) } : {}),
        ipProtocols: [...rule.ipProtocols],
        ...(rule.destinationAddresses ? { destinationAddresses: copy(rule.destinationAddresses) } : {}),
        ...(rule.destinationFqdns ? { destinationFqdns: copy(rule.destinationFqdns) } : {}),
        destinationPorts: [...rule.destinationPorts],
      };
    case "SecurityRule":
      return {
        ruleType: rule.ruleType,
        name: rule.name,
        direction: rule.direction,
        access: rule.access,
        priority: rule.priority,
        protocol: rule.protocol,
        ...(rule.sourceAddressPrefixes ? { sourceAddressPrefixes: copy(rule.sourceAddressPrefixes) } : {}),
        destinationAddressPrefixes: [...rule.destinationAddressPrefixes],
        destinationPortRanges: [...rule.destinationPortRanges],
      };
  }
}

const valueJson = (value: FixValue): FixValue => (Array.isArray(value) ? [...value] : value);

/** The fix as the JSON report's contract: its fields only, in a fixed order. */
export function fixJson(fix: FindingFix): FindingFix {
  const resource = { urn: fix.resource.urn, type: fix.resource.type, name: fix.resource.name };
  if (fix.kind === "change-property") {
    return {
      kind: fix.kind,
      description: fix.description,
      resource,
      path: fix.path,
      value: valueJson(fix.value),
      ...(fix.current !== undefined ? { current: valueJson(fix.current) } : {}),
    };
  }
  const g = fix.ruleCollectionGroup;
  const c = fix.collection;
  return {
    kind: fix.kind,
    description: fix.description,
    resource,
    ...(fix.armId !== undefined ? { armId: fix.armId } : {}),
    ...(g ? { ruleCollectionGroup: { name: g.name, priority: g.priority, exists: g.exists } } : {}),
    ...(c ? { collection: { name: c.name, priority: c.priority, action: c.action, exists: c.exists } } : {}),
    ...(fix.before !== undefined ? { before: fix.before } : {}),
    ...(fix.move ? { move: { rule: fix.move.rule, from: fix.move.from, to: fix.move.to, resource: { urn: fix.move.resource.urn, type: fix.move.resource.type, name: fix.move.resource.name }, path: fix.move.path } } : {}),
    rules: fix.rules.map(ruleJson),
  };
}
