import { memoizeByObject } from "./memo";
import type { Flow, FlowDestination } from "./types";

/** A destination known by name: a catalog FQDN, or a time server configured as a host name. */
export interface FqdnDestination {
  host: string;
  serviceTags: string[];
  /**
   * A time or DNS server the configuration names by host name (not a catalog FQDN): its address may be
   * private or public, so no IP rule can be matched to it or ruled out statically (endpoints.md: "A host
   * name cannot be matched by an IP-based rule: that is undetermined (warning), never a hard error").
   */
  configured?: boolean;
}

/**
 * The destination as a name, for FQDN matching. An IP address stays its own text (nothing but `*` matches
 * it). Once per destination: every rule of every gate asks.
 */
export const fqdnOf = memoizeByObject(fqdnOfUncached);

function fqdnOfUncached(destination: FlowDestination): FqdnDestination {
  if (destination.kind === "fqdn") return { host: destination.host.toLowerCase(), serviceTags: destination.serviceTags };
  return { host: destination.address.trim().toLowerCase(), serviceTags: [], configured: true };
}

export function describeDestination(destination: FlowDestination): string {
  return destination.kind === "fqdn" ? destination.host : destination.address;
}

/** `TCP 443 (Https) from 203.0.113.0/27 to management.azure.com`: the flow as evidence names it (once per flow). */
export const describeFlow = memoizeByObject(describeFlowUncached);

function describeFlowUncached(flow: Flow): string {
  const protocol = `${flow.transport.toUpperCase()} ${flow.port}${flow.appProtocol ? ` (${flow.appProtocol})` : ""}`;
  const from = flow.sources ? flow.sources.join(", ") : "(egress.sourceAddresses not configured)";
  return `${protocol} from ${from} to ${describeDestination(flow.destination)}`;
}
