/**
 * Invoke results into the engine's resource model. An azure-native invoke result is the flattened shape
 * of a Pulumi resource's outputs, so `normalizePulumiResource` reads it under the resource's type token.
 * The finding's resource is the ARM id (with the ARM type and Azure name), exactly what an audit of the
 * same resources as ARM JSON reports, so both front ends agree on who a finding is about.
 */
import { lastSegment, nameAfter } from "../input/normalize/armId";
import { normalizePulumiResource } from "../input";
import type { Resource, ResourceSet } from "../model/resource";
import { describeTarget, LOOKUP_FUNCTION, type LookedUp, type LookupFailure, type LookupKind } from "./lookups";

/** The `file` that input errors name. */
export const PROGRAM_SOURCE = "program";

const TYPES: Readonly<Record<LookupKind, { token: string; armType: string }>> = {
  registration: { token: "azure-native:azurestack:Registration", armType: "Microsoft.AzureStack/registrations" },
  azureFirewall: { token: "azure-native:network:AzureFirewall", armType: "Microsoft.Network/azureFirewalls" },
  firewallPolicy: { token: "azure-native:network:FirewallPolicy", armType: "Microsoft.Network/firewallPolicies" },
  ruleCollectionGroup: {
    token: "azure-native:network:FirewallPolicyRuleCollectionGroup",
    armType: "Microsoft.Network/firewallPolicies/ruleCollectionGroups",
  },
  networkSecurityGroup: { token: "azure-native:network:NetworkSecurityGroup", armType: "Microsoft.Network/networkSecurityGroups" },
  routeTable: { token: "azure-native:network:RouteTable", armType: "Microsoft.Network/routeTables" },
};

const ORDER: readonly LookupKind[] = ["registration", "azureFirewall", "firewallPolicy", "ruleCollectionGroup", "networkSecurityGroup", "routeTable"];

function stringAt(result: Record<string, unknown>, key: string): string | undefined {
  const value = result[key];
  return typeof value === "string" && value !== "" ? value : undefined;
}

/**
 * What an invoke result lacks but the model needs when Azure leaves out the id (it does not for a GET,
 * but a result without one must still place the resource): the resource group and parent from the lookup.
 */
function withLookupContext(item: LookedUp): Record<string, unknown> {
  const { result, target, kind } = item;
  if (stringAt(result, "id") !== undefined) return result;
  const extra: Record<string, unknown> = kind === "registration" ? { resourceGroup: target.resourceGroup, registrationName: target.name } : { resourceGroupName: target.resourceGroup };
  if (kind === "ruleCollectionGroup" && target.firewallPolicyName !== undefined) extra.firewallPolicyName = target.firewallPolicyName;
  return { ...extra, ...result };
}

/** One looked-up resource as the engine's `Resource`; its ref is the ARM id. Throws `InputError` on a shape it cannot read. */
export function normalizeLookup(item: LookedUp): Resource {
  const { kind, result, target } = item;
  const id = stringAt(result, "id");
  // The registration's REST body says `"name": "azurestack"`: its name is the id's (as for ARM JSON).
  const name =
    kind === "registration"
      ? ((id ? nameAfter(id, "registrations") : undefined) ?? target.name)
      : (stringAt(result, "name") ?? (id ? lastSegment(id) : undefined) ?? target.name);
  const urn = id ?? `${LOOKUP_FUNCTION[kind]}:${describeTarget(target)}`;
  const resource = normalizePulumiResource({ type: TYPES[kind].token, urn, name, props: withLookupContext(item) }, PROGRAM_SOURCE);
  // Findings name the ARM type beside the ARM id, as `bridgeguard audit` of ARM JSON does.
  resource.ref = { urn, type: stringAt(result, "type") ?? TYPES[kind].armType, name };
  return resource;
}

/**
 * A rule collection group the program knows of (its policy lists it) but could not look up: its rules
 * are unknown, so every verdict through its policy is undetermined rather than a false "denied by default".
 */
export function unknownRuleCollectionGroup(failure: LookupFailure): Resource | undefined {
  if (failure.kind !== "ruleCollectionGroup" || failure.id === undefined) return undefined;
  const name = lastSegment(failure.id) ?? failure.target;
  const resource = normalizePulumiResource({ type: TYPES.ruleCollectionGroup.token, urn: failure.id, name, props: { id: failure.id, name } }, PROGRAM_SOURCE);
  resource.ref = { urn: failure.id, type: TYPES.ruleCollectionGroup.armType, name };
  if (!resource.unknowns.includes("ruleCollections")) resource.unknowns.push("ruleCollections");
  return resource;
}

/** A stable order (kind, then id), whatever order the concurrent lookups finished in. */
export function sortLookups(items: readonly LookedUp[]): LookedUp[] {
  const key = (item: LookedUp) => (stringAt(item.result, "id") ?? describeTarget(item.target)).toLowerCase();
  return [...items].sort((a, b) => ORDER.indexOf(a.kind) - ORDER.indexOf(b.kind) || key(a).localeCompare(key(b)));
}

/** The resource set the rules read. */
export function toResourceSet(resources: Resource[]): ResourceSet {
  return { source: PROGRAM_SOURCE, resources };
}
