import type { EgressGate } from "../../evaluate/gates";
import type { DecidingRule } from "../../evaluate/types";
import type { BridgeFlow } from "../../engine/flows";

function sourcesText(flow: BridgeFlow): string {
  return flow.flow.sources?.join(", ") ?? "the public VIP /27";
}

/** The NSG destination that names this endpoint most narrowly (IP rules cannot name an FQDN). */
function nsgDestination(flow: BridgeFlow): string {
  const destination = flow.flow.destination;
  if (destination.kind === "address") return destination.address;
  return destination.serviceTags[0] ?? "AzureCloud";
}

function before(decided: DecidingRule | undefined): string {
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

/** The concrete change that would let one denied flow through one gate. */
export function fixForDeniedFlow(gate: EgressGate, flow: BridgeFlow, decided: DecidingRule | undefined): string {
  const { endpoint } = flow;
  const where = before(decided);
  if (gate.kind === "networkSecurityGroup") {
    const protocol = endpoint.protocol === "udp" ? "UDP" : "TCP";
    return `Add an outbound security rule to ${gate.ref.name} that allows ${protocol} ${endpoint.port} from ${sourcesText(flow)} to ${nsgDestination(flow)}${where}.`;
  }
  if (flow.flow.appProtocol) {
    const protocol = `${flow.flow.appProtocol}:${endpoint.port}`;
    return `Add an application rule that allows ${endpoint.host} (${protocol}) from ${sourcesText(flow)}${where}; filter by FQDN, since Microsoft publishes no addresses for it.`;
  }
  const protocol = endpoint.protocol.toUpperCase();
  return `Add a network rule that allows ${protocol} ${endpoint.port} from ${sourcesText(flow)} to ${endpoint.host}${where}.`;
}
