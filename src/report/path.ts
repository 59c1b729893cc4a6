/**
 * The bridge's path (`Report.path`, or one per stack in `stacks[].path`) as lines, for the formats that
 * carry it as plain properties (JUnit) and for any formatter that lists it.
 */
import type { Report } from "../model/finding";
import type { BridgePath, PathGate, PathGateKind } from "../model/path";

const KIND_LABEL: Readonly<Record<PathGateKind, string>> = {
  azureFirewall: "Azure Firewall",
  firewallPolicy: "firewall policy",
  networkSecurityGroup: "NSG",
};

/** `NSG vip-nsg: attached to subnet hub/vip (203.0.113.0/27), which contains the egress sources ...`. */
export function describePathGate(gate: PathGate): string {
  const bypassed = gate.bypassed ? ` (routed around it: ${gate.bypassed.flows.join(", ")}: ${gate.bypassed.reason})` : "";
  return `${KIND_LABEL[gate.kind]} ${gate.name}: ${gate.reason}${bypassed}`;
}

/** Each path of a report with the stack it belongs to (`file` undefined for a single-stack report). */
export function reportPaths(report: Report): { file?: string; path: BridgePath }[] {
  if (report.path) return [{ path: report.path }];
  return (report.stacks ?? []).flatMap((stack) => (stack.path ? [{ file: stack.file, path: stack.path }] : []));
}
