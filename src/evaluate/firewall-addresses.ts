/**
 * What Azure Firewall makes of a rule's addresses where it differs from an NSG. The service-tags table
 * (virtual-network/service-tags-overview.md, "Can use with Azure Firewall?") marks some tags "No", among
 * them `Internet` and `VirtualNetwork`, which are NSG notions; and its note says "When using service tags
 * with Azure Firewall, you can only create destination rules ... Source rules are not supported." Such a
 * value is not "everything" nor "some addresses": the firewall has no prefixes for it, so it matches
 * nothing, and BG209 reports it.
 */
import { equalsIgnoreCase } from "./case";
import { addressProblem, matchDestinations, matchSources, parseAddressEntry } from "./addresses";
import { withNotes } from "./match";
import { memoizeByObject } from "./memo";
import { NO, type Flow, type FlowDestination, type Match } from "./types";

/** The tags the service-tags table marks "Can use with Azure Firewall? No". */
export const TAGS_NOT_FOR_FIREWALL: readonly string[] = [
  "Internet",
  "VirtualNetwork",
  "AzureLoadBalancer",
  "AzurePlatformDNS",
  "AzurePlatformIMDS",
  "AzurePlatformLKM",
  "GatewayManager",
  "KustoAnalytics",
  "AzureContainerAppsService",
  "MicrosoftPurviewPolicyDistribution",
];

function unsupportedTag(text: string): string | undefined {
  const base = text.split(".")[0] ?? text;
  return TAGS_NOT_FOR_FIREWALL.find((tag) => equalsIgnoreCase(tag, base));
}

/** Why a firewall rule's destination entry matches nothing (not an address, or a tag Azure Firewall does not take), or undefined. */
export function firewallDestinationProblem(raw: string): string | undefined {
  const entry = parseAddressEntry(raw);
  if (entry.kind !== "name") return addressProblem(raw, "destination");
  const tag = unsupportedTag(entry.text);
  if (tag === undefined) return undefined;
  return `destination "${entry.text}" is not valid in an Azure Firewall rule: the service-tags table says ${tag} cannot be used with Azure Firewall (it is an NSG tag), so it matches nothing there, not "everything"`;
}

/** Why a firewall rule's source entry matches nothing (not an address, or a service tag), or undefined. */
export function firewallSourceProblem(raw: string): string | undefined {
  const entry = parseAddressEntry(raw);
  if (entry.kind !== "name") return addressProblem(raw, "source");
  return `source "${entry.text}" is a service tag: Azure Firewall takes service tags as destinations only ("Source rules are not supported"), so it matches nothing`;
}

interface CheckedList {
  /** The entries Azure Firewall reads as addresses, tags and `*`. */
  usable: string[];
  /** Why each of the others matches nothing. */
  notes: string[];
}

function checkList(list: readonly string[], problem: (raw: string) => string | undefined, keepInvalid: boolean): CheckedList {
  const usable: string[] = [];
  const notes: string[] = [];
  for (const raw of list) {
    const note = problem(raw);
    // Plain invalid addresses stay in the list: the shared matchers already say why they match nothing.
    if (note === undefined || (keepInvalid && parseAddressEntry(raw).kind === "invalid")) usable.push(raw);
    else notes.push(note);
  }
  return { usable, notes };
}

/** Once per rule list: the same arrays are matched against every bridge flow. */
const checkedDestinations = memoizeByObject((list: readonly string[]) => checkList(list, firewallDestinationProblem, true));
const checkedSources = memoizeByObject((list: readonly string[]) => checkList(list, firewallSourceProblem, true));

/** A firewall rule's destination addresses against the flow, without the tags Azure Firewall does not take. */
export function matchFirewallDestinations(destinations: readonly string[], destination: FlowDestination): Match {
  const { usable, notes } = checkedDestinations(destinations);
  if (notes.length === 0) return matchDestinations(destinations, destination);
  return usable.length === 0 ? withNotes(NO, notes) : withNotes(matchDestinations(usable, destination), notes);
}

/** A firewall rule's source addresses against the flow's sources, without service tags. */
export function matchFirewallSources(sources: readonly string[], flow: Flow): Match {
  const { usable, notes } = checkedSources(sources);
  if (notes.length === 0) return matchSources(sources, flow.sources);
  return usable.length === 0 ? withNotes(NO, notes) : withNotes(matchSources(usable, flow.sources), notes);
}
