/** The phrases fixes share: where a rule goes, what it allows, from where. */
import type { BridgeFlow } from "../analysis/flows";
import type { DecidingRule } from "../evaluate/types";

/** The flows' sources as a fix names them. */
export function sourcesText(flow: BridgeFlow): string {
  return flow.flow.sources?.join(", ") ?? "the public VIP /27";
}

/** The NSG (or network rule) destination that names this endpoint most narrowly (IP rules cannot name an FQDN). */
export function addressDestination(flow: BridgeFlow): string {
  const destination = flow.flow.destination;
  if (destination.kind === "address") return destination.address;
  return destination.serviceTags[0] ?? "AzureCloud";
}

/** Where the new rule goes so that it takes effect before the deciding rule, as the end of a sentence. */
export function before(decided: DecidingRule | undefined): string {
  if (!decided || decided.isDefault) return "";
  if (decided.groupPriority !== undefined) {
    return ` in a rule collection group with a priority below ${decided.groupPriority} (or a collection before "${decided.collection}" in "${decided.group}"), so it takes effect before rule "${decided.rule}"`;
  }
  if (decided.collectionPriority !== undefined) {
    return ` in a collection with a priority below ${decided.collectionPriority}, so it takes effect before collection "${decided.collection}"`;
  }
  if (decided.priority !== undefined) return ` with a priority below ${decided.priority}, so it takes effect before rule "${decided.rule}"`;
  return "";
}

/** The deciding rule as one phrase, for a fix's `before`. */
export function beforeLabel(decided: DecidingRule | undefined): string | undefined {
  if (!decided || decided.isDefault || decided.rule === undefined) return undefined;
  const parts = [`rule "${decided.rule}"`];
  if (decided.collection !== undefined) parts.push(`collection "${decided.collection}" (priority ${decided.collectionPriority})`);
  if (decided.group !== undefined) parts.push(`rule collection group "${decided.group}" (priority ${decided.groupPriority})`);
  if (decided.group === undefined && decided.collection === undefined && decided.priority !== undefined) parts[0] = `rule "${decided.rule}" (priority ${decided.priority})`;
  return parts.join(" in ");
}

/** Every port of a cause, highest first, as NSG/firewall port strings. */
export function portsOf(flows: readonly BridgeFlow[]): string[] {
  return [...new Set(flows.map((f) => f.endpoint.port))].sort((a, b) => b - a).map(String);
}

/** The purposes of a cause's flows, in their order. */
export function purposesOf(flows: readonly BridgeFlow[]): string[] {
  return [...new Set(flows.map((f) => f.endpoint.purpose))];
}

/** Up to three hosts by name, else how many of which purposes. */
export function hostsText(flows: readonly BridgeFlow[]): string {
  const hosts = [...new Set(flows.map((f) => f.endpoint.host))];
  return hosts.length <= 3 ? hosts.join(", ") : `the ${hosts.length} ${purposesOf(flows).join(" and ")} endpoints`;
}
