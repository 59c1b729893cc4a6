/**
 * The allow-list as ARM JSON: one `Microsoft.Network/firewallPolicies/ruleCollectionGroups` resource,
 * named `<policy>/<group>`, for the `resources` array of an ARM template (`az deployment group create`).
 * Its `properties` object is also the body of the REST PUT
 * (`az rest --method put --url .../firewallPolicies/<policy>/ruleCollectionGroups/<group>?api-version=2024-05-01 --body ...`).
 *
 * Shape (Microsoft.Network 2024-05-01, `FirewallPolicyRuleCollectionGroupPut.json`): the group nests
 * `properties`; inside it, rule collections and rules are flat (`ruleCollectionType`, `ruleType`), which
 * is also azure-native's shape for `ruleCollections`: the Pulumi renderers reuse `ruleCollectionsJson`.
 */
import { UserError } from "../model/errors";
import { pretty } from "./pretty";
import { isAzureName, type AllowRule, type AllowRuleSet } from "./rule-collection-group";

export const RULE_COLLECTION_GROUP_TYPE = "Microsoft.Network/firewallPolicies/ruleCollectionGroups";
export const RULE_COLLECTION_GROUP_API_VERSION = "2024-05-01";

export interface ApplicationRuleJson {
  ruleType: "ApplicationRule";
  name: string;
  description: string;
  sourceAddresses: string[];
  protocols: { protocolType: "Http" | "Https"; port: number }[];
  targetFqdns: string[];
  terminateTLS: false;
}

export interface NetworkRuleJson {
  ruleType: "NetworkRule";
  name: string;
  description: string;
  ipProtocols: ("TCP" | "UDP")[];
  sourceAddresses: string[];
  destinationAddresses?: string[];
  destinationFqdns?: string[];
  destinationPorts: string[];
}

export interface FilterRuleCollectionJson {
  ruleCollectionType: "FirewallPolicyFilterRuleCollection";
  name: string;
  priority: number;
  action: { type: "Allow" };
  rules: (ApplicationRuleJson | NetworkRuleJson)[];
}

export interface ArmRuleCollectionGroup {
  type: typeof RULE_COLLECTION_GROUP_TYPE;
  apiVersion: typeof RULE_COLLECTION_GROUP_API_VERSION;
  name: string;
  properties: { priority: number; ruleCollections: FilterRuleCollectionJson[] };
}

function ruleJson(rule: AllowRule): ApplicationRuleJson | NetworkRuleJson {
  if (rule.ruleType === "ApplicationRule") {
    return {
      ruleType: "ApplicationRule",
      name: rule.name,
      description: rule.description,
      sourceAddresses: [...rule.sourceAddresses],
      protocols: rule.protocols.map((p) => ({ protocolType: p.protocolType, port: p.port })),
      targetFqdns: [...rule.targetFqdns],
      terminateTLS: false,
    };
  }
  return {
    ruleType: "NetworkRule",
    name: rule.name,
    description: rule.description,
    ipProtocols: [...rule.ipProtocols],
    sourceAddresses: [...rule.sourceAddresses],
    ...(rule.destinationAddresses.length > 0 ? { destinationAddresses: [...rule.destinationAddresses] } : {}),
    ...(rule.destinationFqdns.length > 0 ? { destinationFqdns: [...rule.destinationFqdns] } : {}),
    destinationPorts: [...rule.destinationPorts],
  };
}

/** The group's `ruleCollections`, in the shape both ARM and azure-native take. */
export function ruleCollectionsJson(set: AllowRuleSet): FilterRuleCollectionJson[] {
  return set.collections.map((c) => ({
    ruleCollectionType: "FirewallPolicyFilterRuleCollection",
    name: c.name,
    priority: c.priority,
    action: { type: "Allow" },
    rules: c.rules.map(ruleJson),
  }));
}

/** The rule collection group as an ARM resource in the firewall policy `policyName`. */
export function toArmRuleCollectionGroup(set: AllowRuleSet, policyName: string): ArmRuleCollectionGroup {
  if (!isAzureName(policyName)) {
    throw UserError.at(undefined, undefined, `firewall policy name "${policyName}": expected 1-80 letters, digits, _ . - (starting with a letter or digit)`);
  }
  return {
    type: RULE_COLLECTION_GROUP_TYPE,
    apiVersion: RULE_COLLECTION_GROUP_API_VERSION,
    name: `${policyName}/${set.name}`,
    properties: { priority: set.priority, ruleCollections: ruleCollectionsJson(set) },
  };
}

/** Pretty ARM JSON (2-space indent, value lists on one line), ending with a newline. */
export function renderArm(set: AllowRuleSet, policyName: string): string {
  return `${pretty(toArmRuleCollectionGroup(set, policyName), { indent: "  " })}\n`;
}
