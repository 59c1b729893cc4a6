/**
 * The bridge's egress path as a Mermaid flowchart, for the markdown report ("where is my bridge stopped?"):
 * the stamp, then each gate in the order its traffic meets them (NSGs on the VIP subnet, route tables,
 * firewalls, their policies and rule collection groups), then the endpoint groups the bridge needs, each
 * reached from the gate that decides it with the verdict on the edge:
 *
 *   stamp --> NSG vip-nsg --> route table hub-rt --> Azure Firewall hub-fw
 *   NSG vip-nsg ==>|"❌ denied: BG301"| identity
 *   Azure Firewall hub-fw -->|"✅ allowed"| usage
 *
 * `denied` (an error finding of the gate breaks the group), `intercepted` (TLS inspection), `undetermined`
 * (a warning: the gate may deny), `allowed` (no finding of any gate for the group). The decisive gate's
 * edge is thick; other gates that also break the group get a dotted edge. The gates come from the
 * findings and, when the report carries it, from the bridge's path (gates on the path with no finding).
 */
import type { Finding, FindingEndpoint } from "../model/finding";
import type { ResourceRef } from "../model/resource";

export type HopVerdict = "allowed" | "denied" | "intercepted" | "undetermined";

/** What the diagram reads of the bridge's path (`Report.path`): the gates evaluated and the route tables that applied. */
export interface DiagramPath {
  onPath: readonly { resource: ResourceRef; name: string }[];
  routeTables?: readonly { resource: ResourceRef; name: string }[];
}

interface Gate {
  resource: ResourceRef;
  label: string;
  order: number;
}

interface GroupVerdict {
  purpose: string;
  verdict: HopVerdict;
  /** The gates that break the group, worst first (the first decides), with the rules that say so. */
  at: { gate: Gate; verdict: Exclude<HopVerdict, "allowed">; rules: string[] }[];
}

/** A gate's kind and its place on the way out, from its resource type; undefined for what is no gate. */
function gateKind(type: string): { kind: string; order: number } | undefined {
  const t = type.toLowerCase();
  if (t.includes("networksecuritygroup") || t.includes("securityrule")) return { kind: "NSG", order: 0 };
  if (t.includes("routetable") || /(^|[:/])routes?$/.test(t)) return { kind: "route table", order: 1 };
  if (t.includes("azurefirewall")) return { kind: "Azure Firewall", order: 2 };
  if (t.includes("rulecollectiongroup")) return { kind: "rule collection group", order: 4 };
  if (t.includes("firewallpolic")) return { kind: "firewall policy", order: 3 };
  return undefined;
}

/** The endpoint groups usage reporting needs, always shown; others appear when a finding names them. */
const CORE_GROUPS = ["usage", "registration", "identity"];
const GROUP_ORDER = ["usage", "usage-legacy", "registration", "identity", "time", "dns"];
const GROUP_LABEL: Record<string, string> = {
  usage: "usage",
  "usage-legacy": "usage (legacy)",
  registration: "registration (ARM)",
  identity: "identity (Entra ID)",
  time: "time (NTP)",
  dns: "DNS",
};

const VERDICT_LABEL: Record<HopVerdict, string> = {
  allowed: "✅ allowed",
  denied: "❌ denied",
  intercepted: "🔓 intercepted",
  undetermined: "❔ undetermined",
};
const VERDICT_RANK: Record<Exclude<HopVerdict, "allowed">, number> = { denied: 0, intercepted: 1, undetermined: 2 };

/** A finding's endpoints, whichever shape the finding has (one endpoint, or the cause's endpoints). */
export function endpointsOf(finding: Finding): FindingEndpoint[] {
  const many = (finding as { endpoints?: FindingEndpoint[] }).endpoints;
  if (Array.isArray(many)) return many;
  const one = (finding as { endpoint?: FindingEndpoint | null }).endpoint;
  return one ? [one] : [];
}

function verdictOf(finding: Finding): Exclude<HopVerdict, "allowed"> {
  if (finding.code === "CertificateValidationError") return "intercepted";
  return finding.severity === "error" ? "denied" : "undetermined";
}

/** Text safe inside a quoted Mermaid label: quotes, brackets, pipes and backticks as Mermaid entities. */
export function mermaidText(text: string): string {
  return text
    .replace(/[\r\n]+/g, " ")
    .replace(/#/g, "#35;")
    .replace(/"/g, "#quot;")
    .replace(/</g, "#lt;")
    .replace(/>/g, "#gt;")
    .replace(/`/g, "#96;")
    .replace(/\|/g, "#124;");
}

/** The verdict of each endpoint group, and the gates (ordered as the traffic meets them) it was decided at. */
export function egressVerdicts(findings: readonly Finding[], path?: DiagramPath): { gates: Gate[]; groups: GroupVerdict[] } {
  const gates = new Map<string, Gate>();
  const addGate = (resource: ResourceRef, name = resource.name): Gate | undefined => {
    const known = gates.get(resource.urn);
    if (known) return known;
    const kind = gateKind(resource.type);
    if (!kind) return undefined;
    const gate = { resource, label: `${kind.kind} ${name}`, order: kind.order };
    gates.set(resource.urn, gate);
    return gate;
  };
  for (const gate of path?.onPath ?? []) addGate(gate.resource, gate.name);
  for (const table of path?.routeTables ?? []) addGate(table.resource, table.name);

  const purposes = new Set<string>(CORE_GROUPS);
  type Hit = { gate: Gate; verdict: Exclude<HopVerdict, "allowed">; rules: Set<string> };
  const hits = new Map<string, Map<string, Hit>>();
  const hit = (purpose: string, gate: Gate, finding: Finding) => {
    const byGate = hits.get(purpose) ?? new Map<string, Hit>();
    hits.set(purpose, byGate);
    const verdict = verdictOf(finding);
    const entry = byGate.get(gate.resource.urn) ?? { gate, verdict, rules: new Set<string>() };
    if (VERDICT_RANK[verdict] < VERDICT_RANK[entry.verdict]) entry.verdict = verdict;
    entry.rules.add(finding.rule.id);
    byGate.set(gate.resource.urn, entry);
  };
  for (const finding of findings) {
    const gate = addGate(finding.resource);
    if (!gate) continue;
    const endpoints = endpointsOf(finding);
    for (const e of endpoints) purposes.add(e.purpose);
    for (const e of endpoints) hit(e.purpose, gate, finding);
  }
  // A route that sends the bridge's traffic the wrong way, named by no endpoint, affects every group.
  for (const finding of findings) {
    const gate = gates.get(finding.resource.urn);
    if (gate && gate.order === 1 && endpointsOf(finding).length === 0) for (const purpose of purposes) hit(purpose, gate, finding);
  }

  const ordered = [...gates.values()].sort((a, b) => a.order - b.order || a.label.localeCompare(b.label));
  const position = new Map(ordered.map((g, i) => [g.resource.urn, i]));
  const groups = [...purposes]
    .sort((a, b) => (GROUP_ORDER.indexOf(a) + 1 || 99) - (GROUP_ORDER.indexOf(b) + 1 || 99) || a.localeCompare(b))
    .map((purpose): GroupVerdict => {
      const at = [...(hits.get(purpose)?.values() ?? [])]
        .sort((a, b) => VERDICT_RANK[a.verdict] - VERDICT_RANK[b.verdict] || position.get(a.gate.resource.urn)! - position.get(b.gate.resource.urn)!)
        .map((h) => ({ gate: h.gate, verdict: h.verdict, rules: [...h.rules].sort() }));
      return { purpose, verdict: at[0]?.verdict ?? "allowed", at };
    });
  return { gates: ordered, groups };
}

/** The flowchart's lines (without the code fence). */
export function egressDiagram(findings: readonly Finding[], path?: DiagramPath): string[] {
  const { gates, groups } = egressVerdicts(findings, path);
  const id = new Map(gates.map((g, i) => [g.resource.urn, `g${i + 1}`]));
  const lines = ["flowchart LR", '  stamp[["Azure Stack Hub bridge<br/>public VIP /27"]]'];
  for (const gate of gates) lines.push(`  ${id.get(gate.resource.urn)}["${mermaidText(gate.label)}"]`);
  groups.forEach((g, i) => lines.push(`  e${i + 1}(["${mermaidText(GROUP_LABEL[g.purpose] ?? g.purpose)}"])`));
  // The way out: through each gate in turn.
  const chain = ["stamp", ...gates.map((g) => id.get(g.resource.urn)!)];
  if (chain.length > 1) lines.push(`  ${chain.join(" --> ")}`);
  const last = chain[chain.length - 1]!;
  groups.forEach((g, i) => {
    const target = `e${i + 1}`;
    if (g.at.length === 0) {
      lines.push(`  ${last} -->|"${VERDICT_LABEL.allowed}"| ${target}`);
      return;
    }
    g.at.forEach((at, j) => {
      const arrow = j === 0 ? "==>" : "-.->";
      lines.push(`  ${id.get(at.gate.resource.urn)} ${arrow}|"${mermaidText(`${VERDICT_LABEL[at.verdict]}: ${at.rules.join(", ")}`)}"| ${target}`);
    });
  });
  lines.push(
    "  classDef allowed fill:#dcfce7,stroke:#15803d,color:#14532d",
    "  classDef denied fill:#fee2e2,stroke:#b91c1c,color:#7f1d1d",
    "  classDef intercepted fill:#ffedd5,stroke:#c2410c,color:#7c2d12",
    "  classDef undetermined fill:#fef9c3,stroke:#a16207,color:#713f12",
  );
  for (const verdict of ["allowed", "denied", "intercepted", "undetermined"] as const) {
    const members = groups.flatMap((g, i) => (g.verdict === verdict ? [`e${i + 1}`] : []));
    if (members.length > 0) lines.push(`  class ${members.join(",")} ${verdict}`);
  }
  return lines;
}
