/**
 * The bridge's path through a stack, as every report carries it once (computed by `evaluate/path.ts`):
 * which egress gates the flows cross and why, which were left out and why, and what was assumed where the
 * stack does not show enough. See resources.md, "Which gates are on the bridge's path".
 */
import type { ResourceRef } from "./resource";

/** The kinds of egress gate: a firewall (with its policy chain), a policy no firewall of the stack runs, an NSG. */
export type PathGateKind = "azureFirewall" | "firewallPolicy" | "networkSecurityGroup";

/**
 * Why a gate is where it is:
 * - `selected` / `not-selected`: `egress.resources` names (or does not name) it;
 * - `attachment`: the subnets and NICs it is attached to contain (or do not contain) the egress sources;
 * - `unattached-policy`: a policy no firewall of the stack runs, in a stack that has firewalls;
 * - `routing`: the route that applies to the flows leads to (or around) the firewall;
 * - `assumed`: the stack does not show enough to tell; kept on the path, conservatively.
 */
export type PathBasis = "selected" | "not-selected" | "attachment" | "unattached-policy" | "routing" | "assumed";

/** One gate of the stack and why it is on or off the bridge's path. */
export interface PathGate {
  resource: ResourceRef;
  kind: PathGateKind;
  /** The Azure name (last segment of the ARM id, else the Pulumi name). */
  name: string;
  basis: PathBasis;
  /** One line: why. */
  reason: string;
  /**
   * For a firewall on the path that routes send some flows around: those flows (`host:port/transport`)
   * are not evaluated against it, and why.
   */
  bypassed?: { flows: string[]; reason: string };
}

/** A route table whose routes decided which firewalls are on the path. */
export interface PathRouteTable {
  resource: ResourceRef;
  name: string;
  /** `attachment`: attached to a subnet with the egress sources; `assumed`: no attachment shown. */
  basis: "attachment" | "assumed";
  reason: string;
}

/** The bridge's path through the stack: what every report says once, not per flow. */
export interface BridgePath {
  /** Gates evaluated: the flows cross them (or may: see `basis: "assumed"`). */
  onPath: PathGate[];
  /** Gates shown to be off the path: not evaluated. */
  leftOut: PathGate[];
  /** Route tables whose routes applied to the flows from the egress sources. */
  routeTables: PathRouteTable[];
  /** What the stack did not show, and so what was assumed: each said once for the whole report. */
  assumptions: string[];
}

