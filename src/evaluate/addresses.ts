/**
 * Source and destination matching for firewall and NSG rules. Address parsing and CIDR bounds come from
 * `ipaddr.js`; the only arithmetic here is on [first, last] intervals, which is what "does this rule cover
 * the whole /27" needs.
 */
import { equalsIgnoreCase } from "./case";
import { memoizeByIdentity, memoizeByObject, memoizeString } from "./memo";
import ipaddr from "ipaddr.js";
import { anyOfEach, noBecause, withNotes } from "./match";
import { fqdnOf, type FqdnDestination } from "./flow";
import { maybe, NO, YES, type FlowDestination, type Match } from "./types";

type Family = "ipv4" | "ipv6";

/** A contiguous block of addresses: a CIDR, a single address or a range `a-b`. */
export interface AddressInterval {
  family: Family;
  first: bigint;
  last: bigint;
  /** As the rule or configuration wrote it. */
  text: string;
}

/** One entry of a rule's address list. `name` is a service tag (or, for a flow, a host name). */
export type AddressEntry =
  | { kind: "any"; text: string }
  | { kind: "interval"; text: string; interval: AddressInterval }
  | { kind: "name"; text: string }
  | { kind: "invalid"; text: string };

/** Every spelling of "any address" Azure accepts in a rule. */
const ANY = new Set(["*", "any", "0.0.0.0/0", "::/0"]);

/** A service tag or host name: letters first, then letters, digits, dots, dashes, underscores. */
const NAME = /^[A-Za-z][A-Za-z0-9._-]*$/;

/**
 * Ranges Azure never sends to the Internet: RFC 1918, shared address space (100.64/10, which Azure's
 * system routes also drop), loopback, link-local, multicast and the like. Documentation ranges
 * (203.0.113.0/24, ...) are deliberately left public: examples use them as public addresses.
 */
const NON_PUBLIC_RANGES = new Set([
  "private",
  "carrierGradeNat",
  "loopback",
  "linkLocal",
  "unspecified",
  "broadcast",
  "multicast",
  "uniqueLocal",
  "deprecatedSiteLocal",
]);

function parseSingle(text: string): ipaddr.IPv4 | ipaddr.IPv6 | undefined {
  if (ipaddr.IPv4.isValidFourPartDecimal(text)) return ipaddr.IPv4.parse(text);
  if (ipaddr.IPv6.isValid(text)) return ipaddr.process(text);
  return undefined;
}

function toBigInt(address: ipaddr.IPv4 | ipaddr.IPv6): bigint {
  return address.toByteArray().reduce((n, byte) => (n << 8n) | BigInt(byte), 0n);
}

function toAddress(value: bigint, family: Family): ipaddr.IPv4 | ipaddr.IPv6 {
  const bytes: number[] = [];
  for (let i = 0; i < (family === "ipv4" ? 4 : 16); i++) bytes.unshift(Number((value >> BigInt(8 * i)) & 255n));
  return ipaddr.fromByteArray(bytes);
}

function intervalOf(first: ipaddr.IPv4 | ipaddr.IPv6, last: ipaddr.IPv4 | ipaddr.IPv6, text: string): AddressInterval {
  return { family: first.kind(), first: toBigInt(first), last: toBigInt(last), text };
}

/** Parses one address, CIDR, range, `*` or service tag (memoized: rules repeat the same strings). */
export const parseAddressEntry = memoizeString(parseAddressEntryUncached);

function parseAddressEntryUncached(raw: string): AddressEntry {
  const text = raw.trim();
  if (ANY.has(text.toLowerCase())) return { kind: "any", text };
  if (ipaddr.IPv4.isValidCIDRFourPartDecimal(text)) {
    return { kind: "interval", text, interval: intervalOf(ipaddr.IPv4.networkAddressFromCIDR(text), ipaddr.IPv4.broadcastAddressFromCIDR(text), text) };
  }
  if (ipaddr.IPv6.isValidCIDR(text)) {
    return { kind: "interval", text, interval: intervalOf(ipaddr.IPv6.networkAddressFromCIDR(text), ipaddr.IPv6.broadcastAddressFromCIDR(text), text) };
  }
  const single = parseSingle(text);
  if (single) return { kind: "interval", text, interval: intervalOf(single, single, text) };
  const bounds = text.split("-");
  if (bounds.length === 2) {
    const [first, last] = bounds.map((b) => parseSingle(b.trim()));
    if (first && last && first.kind() === last.kind() && toBigInt(first) <= toBigInt(last)) {
      return { kind: "interval", text, interval: intervalOf(first, last, text) };
    }
  }
  if (NAME.test(text)) return { kind: "name", text };
  return { kind: "invalid", text };
}

function formatInterval(interval: AddressInterval): string {
  const first = toAddress(interval.first, interval.family).toString();
  return interval.first === interval.last ? first : `${first}-${toAddress(interval.last, interval.family).toString()}`;
}

function intersection(a: AddressInterval, b: AddressInterval): AddressInterval | undefined {
  if (a.family !== b.family) return undefined;
  const first = a.first > b.first ? a.first : b.first;
  const last = a.last < b.last ? a.last : b.last;
  if (first > last) return undefined;
  const part = { family: a.family, first, last, text: "" };
  // Name the part by the rule's own spelling when the rule entry lies wholly inside the flow range.
  return { ...part, text: first === b.first && last === b.last ? b.text : formatInterval(part) };
}

/** The parts of `target` that no interval of `covers` contains. */
function uncovered(target: AddressInterval, covers: AddressInterval[]): AddressInterval[] {
  const sorted = covers.filter((c) => c.family === target.family).sort((a, b) => (a.first < b.first ? -1 : a.first > b.first ? 1 : 0));
  const rest: AddressInterval[] = [];
  let next = target.first;
  for (const c of sorted) {
    if (c.last < next) continue;
    if (c.first > target.last) break;
    if (c.first > next) rest.push({ ...target, first: next, last: c.first - 1n });
    next = c.last + 1n;
    if (next > target.last) return rest;
  }
  if (next <= target.last) rest.push({ ...target, first: next });
  return rest;
}

/** True when `outer` contains every address of `inner`. */
export function intervalCovers(outer: AddressInterval, inner: AddressInterval): boolean {
  return outer.family === inner.family && outer.first <= inner.first && inner.last <= outer.last;
}

/** True when every address of the interval lies in a range Azure never routes to the Internet. */
export const isNonPublic = memoizeByObject(isNonPublicUncached);

function isNonPublicUncached(interval: AddressInterval): boolean {
  // ipaddr.js names the special-purpose range of an address; CIDR alignment makes "both ends in the same
  // special range" the whole block for the RFC 1918, loopback and link-local blocks.
  const first = toAddress(interval.first, interval.family).range();
  const last = toAddress(interval.last, interval.family).range();
  return first === last && NON_PUBLIC_RANGES.has(first);
}

/** The flow's source ranges are not configured: only `*` is sure to cover them. */
const SOURCES_NOT_CONFIGURED = "egress.sourceAddresses not configured";

/**
 * Does a rule's source list cover the flow's sources? `yes` only when it covers ALL of the flow's ranges
 * (the bridge may leave from any address of the public VIP /27), `maybe` on partial overlap.
 */
export const matchSources = memoizeByIdentity(matchSourcesUncached);

function matchSourcesUncached(ruleSources: readonly string[], flowSources: readonly string[] | undefined): Match {
  const entries = ruleSources.map(parseAddressEntry);
  const notes = ruleSources.flatMap((s) => addressProblem(s, "source") ?? []);
  const result = (m: Match): Match => withNotes(m, notes);
  if (entries.some((e) => e.kind === "any")) return YES;
  if (entries.length === 0) return NO;
  if (flowSources === undefined) return result(maybe(SOURCES_NOT_CONFIGURED));

  const ranges = entries.flatMap((e) => (e.kind === "interval" ? [e.interval] : []));
  const tags = entries.filter((e) => e.kind === "name").map((e) => e.text);
  const flowRanges = flowSources.map(parseAddressEntry).flatMap((e) => (e.kind === "interval" ? [e.interval] : []));
  if (flowRanges.length > 0 && flowRanges.every((f) => uncovered(f, ranges).length === 0)) return result(YES);
  if (tags.length > 0) return result(maybe(`source tag ${tags.join(", ")} cannot be resolved statically`));
  const covered = flowRanges.flatMap((f) => ranges.flatMap((r) => intersection(f, r) ?? []));
  if (covered.length === 0) return result(NO);
  return result(maybe(`rule sources cover only ${covered.map((c) => c.text).join(", ")} of ${flowSources.join(", ")}`));
}

/** IP groups hold their addresses in another resource (`Microsoft.Network/ipGroups`) this model does not read. */
export function matchIpGroups(groups: readonly string[]): Match {
  if (groups.length === 0) return NO;
  const names = groups.map((g) => g.split("/").pop() ?? g);
  return maybe(`IP group contents are not in the stack (${names.join(", ")})`);
}

function sameTag(a: string, b: string): boolean {
  return equalsIgnoreCase(a, b);
}

/**
 * Service tags that can never hold a public Azure endpoint. `AzureTrafficManager` covers Traffic
 * Manager's probe addresses, not `*.trafficmanager.net` (resources.md, NSG outbound decision).
 */
const TAGS_WITHOUT_PUBLIC_ENDPOINTS = ["AzureTrafficManager", "VirtualNetwork", "AzureLoadBalancer"];

/**
 * Service-specific tags the catalog assigns to its endpoints (`serviceTags`): an endpoint that does not
 * list one of these belongs to another service, so the tag does not contain it. `AzureStack` is "Azure
 * Stack Bridge services ... the Azure Stack Bridge service endpoint per region" (service-tags-overview.md):
 * the catalog gives it to the usage endpoints only; the table names no host, so which usage host names
 * lie behind it is the project's reading (endpoints.md), not Microsoft's word.
 */
const CATALOG_SERVICE_TAGS = ["AzureActiveDirectory", "AzureResourceManager", "AzureStack"];

/** `Internet` and `AzureCloud` contain every public Azure endpoint (endpoints.md). */
const TAGS_WITH_EVERY_ENDPOINT = ["Internet", "AzureCloud"];

function invalidDestination(entry: AddressEntry): Match {
  return noBecause(invalidAddressText(entry.text, "destination"));
}

function invalidAddressText(text: string, role: "source" | "destination"): string {
  return `${role} "${text}" is not an address, range, CIDR or service tag: it matches nothing`;
}

/** Why a rule's source or destination entry matches nothing (Azure would not read it), or undefined. */
export function addressProblem(raw: string, role: "source" | "destination"): string | undefined {
  const entry = parseAddressEntry(raw);
  return entry.kind === "invalid" ? invalidAddressText(entry.text, role) : undefined;
}

function matchEntryToFqdn(entry: AddressEntry, dest: FqdnDestination): Match {
  if (dest.configured && entry.kind !== "any" && entry.kind !== "invalid") {
    // A server named by host name: its address is not known statically, private or public.
    return maybe(`${dest.host} is a host name: whether ${entry.text} contains its address cannot be decided statically`);
  }
  switch (entry.kind) {
    case "any":
      return YES;
    case "invalid":
      return invalidDestination(entry);
    case "interval":
      // Microsoft does not publish the addresses behind these names; only a private range is surely apart.
      return isNonPublic(entry.interval) ? NO : maybe(`IP rule cannot be matched to an FQDN statically: ${entry.text} vs ${dest.host}`);
    case "name": {
      const tag = entry.text;
      if (TAGS_WITH_EVERY_ENDPOINT.some((t) => sameTag(t, tag)) || dest.serviceTags.some((t) => sameTag(t, tag))) return YES;
      if (TAGS_WITHOUT_PUBLIC_ENDPOINTS.some((t) => sameTag(t, tag))) return NO;
      if (CATALOG_SERVICE_TAGS.some((t) => sameTag(t, tag))) return NO;
      const [base, region] = tag.split(".");
      if (region !== undefined && [...TAGS_WITH_EVERY_ENDPOINT, ...dest.serviceTags].some((t) => sameTag(t, base ?? ""))) {
        return maybe(`regional service tag ${tag} covers only that region's part of ${base}, and ${dest.host}'s region is not published`);
      }
      return maybe(`whether service tag ${tag} contains ${dest.host}'s addresses cannot be decided statically`);
    }
  }
}

function matchEntryToAddress(entry: AddressEntry, address: AddressInterval): Match {
  switch (entry.kind) {
    case "any":
      return YES;
    case "invalid":
      return invalidDestination(entry);
    case "interval":
      return intervalCovers(entry.interval, address) ? YES : NO;
    case "name": {
      const isPrivate = isNonPublic(address);
      if (sameTag(entry.text, "Internet")) return isPrivate ? NO : YES;
      if (sameTag(entry.text, "VirtualNetwork")) {
        return isPrivate ? maybe(`whether ${address.text} is in the VirtualNetwork tag (address space, peerings, connected networks) is not in the stack`) : NO;
      }
      // Other service tags are public Azure ranges the stack does not list.
      return isPrivate ? NO : maybe(`whether service tag ${entry.text} contains ${address.text} cannot be decided statically`);
    }
  }
}

function matchDestinationToAddress(raw: string, address: AddressInterval): Match {
  return matchEntryToAddress(parseAddressEntry(raw), address);
}

function matchDestinationToFqdn(raw: string, fqdn: FqdnDestination): Match {
  return matchEntryToFqdn(parseAddressEntry(raw), fqdn);
}

/** Does one rule's destination list (addresses, CIDRs, ranges, service tags) cover the flow's destination? */
export function matchDestinations(ruleDestinations: readonly string[], destination: FlowDestination): Match {
  const address = destinationInterval(destination);
  if (address) return anyOfEach(ruleDestinations, matchDestinationToAddress, address);
  return anyOfEach(ruleDestinations, matchDestinationToFqdn, fqdnOf(destination));
}

/** The flow's destination as an interval, when it is an IP address (not an FQDN nor a host name). */
export function destinationInterval(destination: FlowDestination): AddressInterval | undefined {
  if (destination.kind !== "address") return undefined;
  const entry = parseAddressEntry(destination.address);
  return entry.kind === "interval" ? entry.interval : undefined;
}
