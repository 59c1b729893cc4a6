/**
 * The bridge's path (`Report.path`, or one per stack in `stacks[].path`) as lines, for the formats that
 * carry it as plain properties (JUnit) and for any formatter that lists it.
 */
import { append } from "../evaluate/multimap";
import type { Report } from "../model/finding";
import type { BridgePath, PathBasis, PathGate, PathGateKind } from "../model/path";

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

/**
 * More gates than this of one kind, on one side, for one reason class, are said in one line in the formats
 * people read (text, markdown), where a platform stack's thousand workload NSGs would otherwise bury the
 * few gates on the path (and a pull-request comment would outgrow GitHub's 65,536 characters). The JSON,
 * SARIF and JUnit reports list every gate with its own reason.
 */
export const PATH_GROUP_MAX = 5;

const KIND_PLURAL: Readonly<Record<PathGateKind, string>> = {
  azureFirewall: "Azure Firewalls",
  firewallPolicy: "firewall policies",
  networkSecurityGroup: "NSGs",
};

/** What the gates of one reason class have in common, on the path and left out. */
const BASIS_SUMMARY: Readonly<Record<PathBasis, { on: string; off: string }>> = {
  selected: { on: "named in egress.resources", off: "named in egress.resources" },
  "not-selected": { on: "not named in egress.resources", off: "not named in egress.resources" },
  attachment: { on: "attached to subnets or network interfaces that contain the egress sources", off: "attached only to subnets or network interfaces that do not contain the egress sources" },
  "unattached-policy": { on: "run by no firewall of the stack", off: "run by no firewall of the stack" },
  routing: { on: "the routes that apply to the egress sources lead to them", off: "the routes that apply to the egress sources lead around them" },
  assumed: { on: "the stack does not show whether the flows pass them: kept on the path", off: "the stack does not show whether the flows pass them" },
};

/** How many names a summary line shows before "and N more". */
const NAMES_SHOWN = 3;

/**
 * One side of the path (`on` or `off`) as lines, in the order the gates come: each gate with its reason
 * (`describePathGate`), except that more than `PATH_GROUP_MAX` gates of one kind and reason class are one
 * line: `1,000 NSGs: attached only to ...: workload-nsg-0, workload-nsg-1, workload-nsg-2 and 997 more`.
 */
export function describePathGates(gates: readonly PathGate[], side: "on" | "off"): string[] {
  const groups = new Map<string, PathGate[]>();
  for (const gate of gates) append(groups, `${gate.kind}|${gate.basis}`, gate);
  const lines: string[] = [];
  for (const group of groups.values()) {
    if (group.length <= PATH_GROUP_MAX) {
      lines.push(...group.map(describePathGate));
      continue;
    }
    const { kind, basis } = group[0]!;
    const names = group.slice(0, NAMES_SHOWN).map((g) => g.name);
    const more = group.length - names.length;
    lines.push(
      `${group.length.toLocaleString("en-US")} ${KIND_PLURAL[kind]}: ${BASIS_SUMMARY[basis][side]}: ${names.join(", ")} and ${more.toLocaleString("en-US")} more (the JSON report gives each its reason)`,
    );
  }
  return lines;
}

/** Each path of a report with the stack it belongs to (`file` undefined for a single-stack report). */
export function reportPaths(report: Report): { file?: string; path: BridgePath }[] {
  if (report.path) return [{ path: report.path }];
  return (report.stacks ?? []).flatMap((stack) => (stack.path ? [{ file: stack.file, path: stack.path }] : []));
}
