/**
 * Azure Firewall Premium IDPS for one allowed flow. "When IDPS is configured in Alert and Deny mode, the
 * IDPS engine is inline and activated after the rules processing engine" (firewall/rule-processing.md):
 * it sees only what the rules let through, and a signature match drops the flow silently (no RST). The
 * IDPS bypass list exempts traffic by protocol, source, destination and port (premium-features.md, "The
 * IDPS Bypass List ... allows you to not filter traffic to any of the IP addresses, ranges, and subnets
 * specified in the bypass list"); signature overrides set single signatures to Off, Alert or Deny, and
 * "can override IDPS mode" both ways.
 */
import type { IdpsBypass, IdpsSignatureOverride } from "../model/resource";
import { equalsIgnoreCase } from "./case";
import { describeDestination } from "./flow";
import { matchDestinations, matchIpGroups, matchSources } from "./addresses";
import { allOf, anyOf } from "./match";
import { matchPorts } from "./ports";
import { maybe, NO, YES, type Flow, type Match } from "./types";

/** IDPS as one firewall runs it: the mode of the policy in force, its bypass list and signature overrides. */
export interface IdpsSettings {
  mode: string;
  bypass: readonly IdpsBypass[];
  signatureOverrides: readonly IdpsSignatureOverride[];
}

/** Can IDPS drop traffic at all: the mode is Deny, or some signature is overridden to Deny (unless IDPS is Off). */
export function idpsCanDrop(idps: IdpsSettings): boolean {
  if (equalsIgnoreCase(idps.mode, "off")) return false;
  return equalsIgnoreCase(idps.mode, "deny") || denyingOverrides(idps).length > 0;
}

/** The signatures overridden to Deny: they drop what they match whatever the IDPS mode. */
export function denyingOverrides(idps: IdpsSettings): IdpsSignatureOverride[] {
  return idps.signatureOverrides.filter((o) => equalsIgnoreCase(o.mode, "deny"));
}

function matchBypassProtocol(protocol: string, flow: Flow): Match {
  return equalsIgnoreCase(protocol, "any") || equalsIgnoreCase(protocol, flow.transport) ? YES : NO;
}

function matchBypassDestination(entry: IdpsBypass, flow: Flow): Match {
  if (entry.destinationAddresses.length === 0 && entry.destinationIpGroups.length === 0) {
    return maybe(`bypass entry "${entry.name}" names no destination`);
  }
  return anyOf([matchDestinations(entry.destinationAddresses, flow.destination), matchIpGroups(entry.destinationIpGroups)]);
}

function matchBypassSource(entry: IdpsBypass, flow: Flow): Match {
  if (entry.sourceAddresses.length === 0 && entry.sourceIpGroups.length === 0) return maybe(`bypass entry "${entry.name}" names no source`);
  return anyOf([matchSources(entry.sourceAddresses, flow.sources), matchIpGroups(entry.sourceIpGroups)]);
}

/** One bypass entry against the flow: protocol, destination port, destination, source. */
export function matchIdpsBypass(entry: IdpsBypass, flow: Flow): Match {
  const protocol = matchBypassProtocol(entry.protocol, flow);
  if (protocol.result === "no") return protocol;
  const ports = matchPorts(entry.destinationPorts, flow.port);
  if (ports.result === "no") return ports;
  return allOf([ports, matchBypassDestination(entry, flow), matchBypassSource(entry, flow)]);
}

/** Whether the bypass list exempts the flow: `yes` when one entry surely does, `maybe` with why, else `no`. */
export function matchIdpsBypassList(bypass: readonly IdpsBypass[], flow: Flow): { match: Match; entry?: string } {
  let doubt: { match: Match; entry?: string } | undefined;
  for (const entry of bypass) {
    const match = matchIdpsBypass(entry, flow);
    if (match.result === "yes") return { match, entry: entry.name };
    if (match.result === "maybe" && !doubt) doubt = { match, entry: entry.name };
  }
  return doubt ?? { match: NO };
}

/** `TCP 443 to *.trafficmanager.net`, for evidence lines. */
export function describeIdpsFlow(flow: Flow): string {
  return `${flow.transport.toUpperCase()} ${flow.port} to ${describeDestination(flow.destination)}`;
}
