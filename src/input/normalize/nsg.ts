import type { NetworkSecurityGroup, SecurityRule, StandaloneSecurityRule } from "../../model/resource";
import { addUnknown, canonical, mergeSingularPlural, readEnum, readInteger, readObjectArray, readString, readStringArray, type Node, type ReadContext } from "../values";
import { nameAfter } from "./armId";
import { baseOf, withBase, required, type SourceResource } from "./common";

const PROTOCOLS = ["Tcp", "Udp", "Icmp", "Esp", "Ah", "*"] as const;
const DIRECTIONS = ["Inbound", "Outbound"] as const;
const ACCESSES = ["Allow", "Deny"] as const;
/** Keys of a rule that names application security groups instead of addresses. */
const GROUP_KEYS = ["sourceApplicationSecurityGroups", "destinationApplicationSecurityGroups"] as const;

/** Sorted after every real rule (100-4096) and the defaults (65000-65500) when not known. */
const UNKNOWN_NSG_PRIORITY = Number.MAX_SAFE_INTEGER;

/**
 * One security rule (`SecurityRuleResponse`). Azure keeps a singular and a plural form of each address
 * and port field (`destinationAddressPrefix` / `destinationAddressPrefixes`); the model holds their union.
 * Rules that use application security groups name no addresses the checks can compare: the group's path
 * is recorded in `unknowns`.
 */
export function securityRule(ctx: ReadContext, node: Node, fallbackName: string): SecurityRule {
  for (const key of GROUP_KEYS) {
    const groups = readObjectArray(ctx, node, key);
    if (groups && groups.length > 0) addUnknown(ctx, node.relOf(key));
  }
  return {
    name: readString(ctx, node, "name") ?? fallbackName,
    direction: required(ctx, node, "direction", readEnum(ctx, node, "direction", DIRECTIONS), "Outbound"),
    access: required(ctx, node, "access", readEnum(ctx, node, "access", ACCESSES), "Deny"),
    priority: required(ctx, node, "priority", readInteger(ctx, node, "priority"), UNKNOWN_NSG_PRIORITY),
    protocol: canonical(required(ctx, node, "protocol", readString(ctx, node, "protocol"), "*"), PROTOCOLS),
    sourceAddressPrefixes: mergeSingularPlural(readString(ctx, node, "sourceAddressPrefix"), readStringArray(ctx, node, "sourceAddressPrefixes")),
    destinationAddressPrefixes: mergeSingularPlural(
      readString(ctx, node, "destinationAddressPrefix"),
      readStringArray(ctx, node, "destinationAddressPrefixes"),
    ),
    destinationPortRanges: mergeSingularPlural(readString(ctx, node, "destinationPortRange"), readStringArray(ctx, node, "destinationPortRanges")),
  };
}

/**
 * `azure-native:network:NetworkSecurityGroup` / `Microsoft.Network/networkSecurityGroups`: the inline
 * `securityRules` only. `defaultSecurityRules` (AllowVnetOutBound 65000, AllowInternetOutBound 65001,
 * DenyAllOutBound 65500) are Azure's and the same in every NSG; outputs and GET bodies carry them, inputs
 * do not, so they are left to the evaluator, which adds them after the rules.
 */
export function normalizeNetworkSecurityGroup(src: SourceResource): NetworkSecurityGroup {
  const { ctx, node } = src;
  return withBase<NetworkSecurityGroup>(baseOf(src), {
    kind: "networkSecurityGroup",
    securityRules: (readObjectArray(ctx, node, "securityRules") ?? []).map((r) => securityRule(ctx, r, "")),
  });
}

/** `azure-native:network:SecurityRule` / `Microsoft.Network/networkSecurityGroups/securityRules`, joined by NSG name. */
export function normalizeSecurityRule(src: SourceResource): StandaloneSecurityRule {
  const { ctx, node } = src;
  const base = baseOf(src);
  const fallback = readString(ctx, node, "securityRuleName") ?? src.ref.name;
  const r = withBase<StandaloneSecurityRule>(base, { kind: "securityRule", rule: securityRule(ctx, node, fallback) });
  const nsg = (src.armId ? nameAfter(src.armId, "networkSecurityGroups") : undefined) ?? readString(ctx, node, "networkSecurityGroupName");
  if (nsg !== undefined) r.networkSecurityGroupName = nsg;
  return r;
}
