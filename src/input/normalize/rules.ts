import type { AppProtocol, ApplicationRule, FirewallRule, NetworkRule, RuleCollection } from "../../model/resource";
import { InputError } from "../errors";
import { canonical, listWords, readBoolean, readEnum, readInteger, readObject, readObjectArray, readString, readStringArray, type Node, type ReadContext } from "../values";
import { required } from "./common";

/**
 * Firewall rule collections and rules, classic (on the Azure Firewall) and policy (in a rule collection
 * group). Names are the azure-native typings' (`AzureFirewallApplicationRuleCollectionResponse`,
 * `ApplicationRuleResponse`, `NetworkRuleResponse`, ...), which are the REST API's with `properties`
 * flattened; the `arm` node shape reads the nested form with the same code.
 */

/** A priority that is not known; its path is in `unknowns` (see the model). */
export { UNKNOWN_PRIORITY } from "../../model/resource";
import { UNKNOWN_PRIORITY } from "../../model/resource";

const IP_PROTOCOLS = ["TCP", "UDP", "Any", "ICMP"] as const;
const APP_PROTOCOLS = ["Http", "Https", "Mssql"] as const;
/** Collection actions: filter collections say Allow/Deny; NAT collections DNAT (and classic ones SNAT). */
const ALLOW_DENY = ["Allow", "Deny"] as const;
const CLASSIC_NAT_ACTIONS = ["Dnat", "Snat"] as const;
const POLICY_NAT_ACTIONS = ["Dnat"] as const;

function appProtocols(ctx: ReadContext, node: Node): AppProtocol[] {
  return (readObjectArray(ctx, node, "protocols") ?? []).map((p) => {
    const protocolType = required(ctx, p, "protocolType", readString(ctx, p, "protocolType"), "");
    const port = readInteger(ctx, p, "port");
    const protocol: AppProtocol = { protocolType: canonical(protocolType, APP_PROTOCOLS) };
    if (port !== undefined) protocol.port = port;
    return protocol;
  });
}

function ipProtocols(ctx: ReadContext, node: Node, key: "protocols" | "ipProtocols"): string[] {
  return (readStringArray(ctx, node, key) ?? []).map((p) => canonical(p, IP_PROTOCOLS));
}

function applicationRule(ctx: ReadContext, node: Node, policy: boolean): ApplicationRule {
  return {
    ruleType: "ApplicationRule",
    name: readString(ctx, node, "name") ?? "",
    sourceAddresses: readStringArray(ctx, node, "sourceAddresses") ?? [],
    sourceIpGroups: readStringArray(ctx, node, "sourceIpGroups") ?? [],
    protocols: appProtocols(ctx, node),
    targetFqdns: readStringArray(ctx, node, "targetFqdns") ?? [],
    // Classic application rules have no URLs, web categories or TLS termination.
    targetUrls: policy ? (readStringArray(ctx, node, "targetUrls") ?? []) : [],
    fqdnTags: readStringArray(ctx, node, "fqdnTags") ?? [],
    webCategories: policy ? (readStringArray(ctx, node, "webCategories") ?? []) : [],
    terminateTLS: policy ? (readBoolean(ctx, node, "terminateTLS") ?? false) : false,
  };
}

/**
 * A network rule. Classic rules (and classic NAT rules) say `protocols`, policy rules `ipProtocols`
 * (`NetworkRuleResponse`, `NatRuleResponse`). NAT rules are kept in this shape only so evidence can name
 * them: their collection's action (`Dnat`/`Snat`) keeps them out of outbound decisions.
 */
function networkRule(ctx: ReadContext, node: Node, protocolKey: "protocols" | "ipProtocols"): NetworkRule {
  return {
    ruleType: "NetworkRule",
    name: readString(ctx, node, "name") ?? "",
    ipProtocols: ipProtocols(ctx, node, protocolKey),
    sourceAddresses: readStringArray(ctx, node, "sourceAddresses") ?? [],
    sourceIpGroups: readStringArray(ctx, node, "sourceIpGroups") ?? [],
    destinationAddresses: readStringArray(ctx, node, "destinationAddresses") ?? [],
    destinationIpGroups: readStringArray(ctx, node, "destinationIpGroups") ?? [],
    destinationFqdns: readStringArray(ctx, node, "destinationFqdns") ?? [],
    destinationPorts: readStringArray(ctx, node, "destinationPorts") ?? [],
  };
}

type ClassicKind = "application" | "network" | "nat";

/** `applicationRuleCollections`, `networkRuleCollections`, `natRuleCollections` of a classic Azure Firewall. */
export function classicCollections(ctx: ReadContext, node: Node, key: string, kind: ClassicKind): RuleCollection[] {
  return (readObjectArray(ctx, node, key) ?? []).map((c) => {
    const action = readObject(ctx, c, "action");
    const actions = kind === "nat" ? CLASSIC_NAT_ACTIONS : ALLOW_DENY;
    const actionType = action ? readEnum(ctx, action, "type", actions) : undefined;
    const placeholder = kind === "nat" ? "Dnat" : "Deny";
    const rules: FirewallRule[] = (readObjectArray(ctx, c, "rules") ?? []).map((r) =>
      kind === "application" ? applicationRule(ctx, r, false) : networkRule(ctx, r, "protocols"),
    );
    return {
      name: readString(ctx, c, "name") ?? "",
      priority: required(ctx, c, "priority", readInteger(ctx, c, "priority"), UNKNOWN_PRIORITY),
      action: action ? required(ctx, action, "type", actionType, placeholder) : required(ctx, c, "action", undefined, placeholder),
      collectionKind: kind,
      rules,
    };
  });
}

const COLLECTION_TYPES = ["FirewallPolicyFilterRuleCollection", "FirewallPolicyNatRuleCollection"] as const;
const RULE_TYPES = ["ApplicationRule", "NetworkRule", "NatRule"] as const;

/**
 * `ruleCollections[]` of a rule collection group, discriminated by `ruleCollectionType`; rules by
 * `ruleType`. A collection or rule whose discriminator is unknown or secret is left out, its path recorded.
 */
export function policyCollections(ctx: ReadContext, node: Node): RuleCollection[] {
  const out: RuleCollection[] = [];
  for (const c of readObjectArray(ctx, node, "ruleCollections") ?? []) {
    const before = ctx.unknowns.length;
    const type = readEnum(ctx, c, "ruleCollectionType", COLLECTION_TYPES);
    if (type === undefined) {
      if (ctx.unknowns.length === before) throw missing(ctx, c, "ruleCollectionType", COLLECTION_TYPES);
      continue;
    }
    const nat = type === "FirewallPolicyNatRuleCollection";
    const action = readObject(ctx, c, "action");
    // Filter collections say Allow/Deny; NAT collections say DNAT (upper case in the REST API).
    const actionType = action ? (nat ? readEnum(ctx, action, "type", POLICY_NAT_ACTIONS) : readEnum(ctx, action, "type", ALLOW_DENY)) : undefined;
    const placeholder = nat ? "Dnat" : "Deny";
    const rules: FirewallRule[] = [];
    for (const r of readObjectArray(ctx, c, "rules") ?? []) {
      const mark = ctx.unknowns.length;
      const ruleType = readEnum(ctx, r, "ruleType", RULE_TYPES);
      if (ruleType === undefined) {
        if (ctx.unknowns.length === mark) throw missing(ctx, r, "ruleType", RULE_TYPES);
        continue;
      }
      // Azure accepts NatRule only in NAT collections; one elsewhere must never read as an Allow or Deny.
      if (ruleType === "NatRule" && !nat) continue;
      rules.push(ruleType === "ApplicationRule" ? applicationRule(ctx, r, true) : networkRule(ctx, r, "ipProtocols"));
    }
    out.push({
      name: readString(ctx, c, "name") ?? "",
      priority: required(ctx, c, "priority", readInteger(ctx, c, "priority"), UNKNOWN_PRIORITY),
      action: action ? required(ctx, action, "type", actionType, placeholder) : required(ctx, c, "action", undefined, placeholder),
      collectionKind: nat ? "nat" : "filter",
      rules,
    });
  }
  return out;
}

function missing(ctx: ReadContext, node: Node, key: string, allowed: readonly string[]): InputError {
  return new InputError({
    file: ctx.file,
    path: node.pathOf(key),
    expected: `missing, expected ${listWords(allowed)}`,
    resource: ctx.resource,
  });
}
