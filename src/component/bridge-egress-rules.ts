/**
 * `BridgeEgressRules`: a Pulumi component that puts the bridge's allow-list into an existing firewall
 * policy as one rule collection group (`azure-native:network:FirewallPolicyRuleCollectionGroup`, a child
 * of the component). The rules come from the same generator as `bridgeguard endpoints --format
 * azure-firewall-policy`: the catalog endpoints of the cloud by FQDN (TLS termination off), NTP and DNS
 * to the given servers, all from exactly the given source range.
 *
 *   import { BridgeEgressRules } from "bridgeguard";
 *   const egress = new BridgeEgressRules("azs-bridge", {
 *     resourceGroupName: hub.name,
 *     firewallPolicyName: policy.name,
 *     priority: 150,
 *     cloud: "AzureCloud",
 *     sourceAddresses: ["203.0.113.0/27"],
 *     timeServer: "10.0.0.10",
 *     dnsServers: ["10.0.0.53"],
 *   });
 *   export const rules = egress.rules;
 */
import * as pulumi from "@pulumi/pulumi";
import * as network from "@pulumi/azure-native/network";
import { ruleCollectionsJson } from "../allowlist/arm";
import { buildAllowRuleSet, DEFAULT_GROUP_NAME, type AllowRuleSet } from "../allowlist/rule-collection-group";
import type { CloudName } from "../catalog/clouds";

export const BRIDGE_EGRESS_RULES_TYPE = "bridgeguard:index:BridgeEgressRules";

export interface BridgeEgressRulesArgs {
  /** The firewall policy the rule collection group goes into. */
  firewallPolicyName: pulumi.Input<string>;
  /** The policy's resource group. */
  resourceGroupName: pulumi.Input<string>;
  /** The rule collection group's priority, 100-65000: lower than every group that would deny the bridge. */
  priority: pulumi.Input<number>;
  /** Default `AzureCloud`. */
  cloud?: pulumi.Input<CloudName>;
  /** The stamp's egress range (the public VIP /27). Never `*`. */
  sourceAddresses: pulumi.Input<pulumi.Input<string>[]>;
  /** The deployment's NTP server; without it, no NTP rule. */
  timeServer?: pulumi.Input<string>;
  /** The deployment's DNS servers; without them, no DNS rule. */
  dnsServers?: pulumi.Input<pulumi.Input<string>[]>;
  /** Default `azs-bridge-egress`. */
  ruleCollectionGroupName?: pulumi.Input<string>;
  /** Also allow the endpoints usage reporting does not need (marketplace, patch, Defender, diagnostics). */
  includeOptionalEndpoints?: pulumi.Input<boolean>;
}

/** A value given as is (not an Output or a Promise), arrays element by element. */
function isPlain(value: unknown): boolean {
  if (pulumi.Output.isInstance(value) || value instanceof Promise) return false;
  return Array.isArray(value) ? value.every(isPlain) : true;
}

function ruleSetOf(args: {
  cloud: CloudName;
  sourceAddresses: string[];
  timeServer: string | undefined;
  dnsServers: string[];
  priority: number;
  group: string;
  all: boolean;
}): AllowRuleSet {
  return buildAllowRuleSet({ cloud: args.cloud, sourceAddresses: args.sourceAddresses, timeServer: args.timeServer, dnsServers: args.dnsServers, priority: args.priority, all: args.all, names: { group: args.group } });
}

export class BridgeEgressRules extends pulumi.ComponentResource {
  /** The rule collection group the component created. */
  readonly ruleCollectionGroup: network.FirewallPolicyRuleCollectionGroup;
  /** The rules it holds, as bridgeguard's model (collections, rules, and notes on what was left out). */
  readonly rules: pulumi.Output<AllowRuleSet>;

  constructor(name: string, args: BridgeEgressRulesArgs, opts?: pulumi.ComponentResourceOptions) {
    const inputs: [
      pulumi.Input<CloudName>,
      pulumi.Input<pulumi.Input<string>[]>,
      pulumi.Input<string> | undefined,
      pulumi.Input<pulumi.Input<string>[]>,
      pulumi.Input<number>,
      pulumi.Input<string>,
      pulumi.Input<boolean>,
    ] = [
      args.cloud ?? "AzureCloud",
      args.sourceAddresses,
      args.timeServer,
      args.dnsServers ?? [],
      args.priority,
      args.ruleCollectionGroupName ?? DEFAULT_GROUP_NAME,
      args.includeOptionalEndpoints ?? false,
    ];
    // Inputs known now are checked now: a `*` source or a bad priority fails the program at this line,
    // before anything is registered. Outputs are checked when they resolve.
    const known = inputs.every(isPlain)
      ? ruleSetOf({
          cloud: inputs[0] as CloudName,
          sourceAddresses: inputs[1] as string[],
          timeServer: inputs[2] as string | undefined,
          dnsServers: inputs[3] as string[],
          priority: inputs[4] as number,
          group: inputs[5] as string,
          all: inputs[6] as boolean,
        })
      : undefined;
    super(BRIDGE_EGRESS_RULES_TYPE, name, {}, opts);
    this.rules = known
      ? pulumi.output(known)
      : pulumi
          .all(inputs)
          .apply(([cloud, sourceAddresses, timeServer, dnsServers, priority, group, all]) => ruleSetOf({ cloud, sourceAddresses, timeServer, dnsServers, priority, group, all }));
    // What the set leaves out (no time server, no DNS servers) belongs in the update's output.
    this.rules.apply((set) => set.notes.forEach((note) => void pulumi.log.info(`bridgeguard: ${note}`, this)));
    this.ruleCollectionGroup = new network.FirewallPolicyRuleCollectionGroup(
      name,
      {
        resourceGroupName: args.resourceGroupName,
        firewallPolicyName: args.firewallPolicyName,
        ruleCollectionGroupName: this.rules.name,
        priority: this.rules.priority,
        ruleCollections: this.rules.apply(ruleCollectionsJson),
      },
      { parent: this },
    );
    this.registerOutputs({ ruleCollectionGroup: this.ruleCollectionGroup, rules: this.rules });
  }
}
