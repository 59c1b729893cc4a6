/**
 * The concrete fix a finding carries, as data: the rule to add (and where, so that it takes effect before
 * the rule that decides today), or the property to change. `description` is the same fix in one sentence;
 * the finding's `remediation` starts with it.
 *
 * Rules use Azure's property names in azure-native's flattened shape (Pulumi inputs, `az ... show` output).
 * In REST/ARM JSON the same names sit under `properties` at the resource level; inside a rule collection
 * group, collections and rules are flat in both shapes.
 */
import type { ResourceRef } from "./resource";

/** An application rule to add (firewall policy or classic firewall): allowed by FQDN, never TLS-terminated. */
export interface FixApplicationRule {
  ruleType: "ApplicationRule";
  name: string;
  /** The stamp's egress range; absent when `egress.sourceAddresses` is not configured (use the public VIP /27). */
  sourceAddresses?: string[];
  protocols: { protocolType: "Http" | "Https"; port: number }[];
  targetFqdns: string[];
  /** Firewall policy rules only (classic application rules cannot terminate TLS). */
  terminateTLS?: false;
}

/** A network rule to add. Classic firewalls call `ipProtocols` `protocols`. */
export interface FixNetworkRule {
  ruleType: "NetworkRule";
  name: string;
  sourceAddresses?: string[];
  ipProtocols: ("TCP" | "UDP")[];
  /** Addresses or service tags. */
  destinationAddresses?: string[];
  /** A host name (network rules resolve it: the policy needs DNS proxy enabled). */
  destinationFqdns?: string[];
  destinationPorts: string[];
}

/** An outbound NSG security rule to add. */
export interface FixSecurityRule {
  ruleType: "SecurityRule";
  name: string;
  direction: "Outbound";
  access: "Allow";
  priority: number;
  /** `*` when the cause's endpoints need both TCP and UDP (DNS). */
  protocol: "Tcp" | "Udp" | "*";
  sourceAddressPrefixes?: string[];
  destinationAddressPrefixes: string[];
  destinationPortRanges: string[];
}

export type FixRule = FixApplicationRule | FixNetworkRule | FixSecurityRule;

/**
 * Add the rules that clear every endpoint of one cause, placed so that they take effect before the rule that
 * decides today: for a firewall, one collection (in one rule collection group, for a policy) holding one rule
 * per port set; for an NSG, one security rule with every port.
 */
export interface AddRuleFix {
  kind: "add-rule";
  description: string;
  /** Where the rule goes: the firewall policy, the classic Azure Firewall, or the NSG. */
  resource: ResourceRef;
  /**
   * The ARM id of `resource`, when the input shows it: the very policy, firewall or NSG the verdict came from
   * (names repeat across resource groups; ids do not).
   */
  armId?: string;
  /** Firewall policy: the rule collection group that holds the new collection (`exists`: it is already there). */
  ruleCollectionGroup?: { name: string; priority: number; exists: boolean };
  /** Firewall policy or classic firewall: the Allow collection that holds the rule. */
  collection?: { name: string; priority: number; action: "Allow"; exists: boolean };
  /** The rule that decides today and that the new rules must precede; absent when a default decides. */
  before?: string;
  /**
   * NSG only, when no free priority precedes the denying rule (Azure accepts 100-4096, unique per direction):
   * move that rule to `to` first (the nearest free priority after it), then add the new rule at `from`.
   */
  move?: { rule: string; from: number; to: number; resource: ResourceRef; path: string };
  rules: FixRule[];
}

export type FixValue = string | number | boolean | string[];

/** Change one property of one resource. */
export interface ChangePropertyFix {
  kind: "change-property";
  description: string;
  resource: ResourceRef;
  /** In the flattened shape: `ruleCollections[1].rules[0].terminateTLS` (prefix `properties.` for REST/ARM JSON). */
  path: string;
  value: FixValue;
  /** The value today, when the finding knows it. */
  current?: FixValue;
}

export type FindingFix = AddRuleFix | ChangePropertyFix;
