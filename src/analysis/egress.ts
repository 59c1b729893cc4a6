import type { BridgeguardConfig } from "../config/types";
import { egressGates, type EgressGate } from "../evaluate/gates";
import { selectPath } from "../evaluate/path";
import type { BridgePath } from "../model/path";
import type { Verdict } from "../evaluate/types";
import type { ResourceSet } from "../model/resource";
import { bridgeFlows, type BridgeFlow } from "./flows";

export interface GateVerdict {
  gate: EgressGate;
  flow: BridgeFlow;
  verdict: Verdict;
}

/** Every bridge flow through every egress gate on the bridge's path: computed once, read by several rules. */
export interface EgressAnalysis {
  /** The gates on the path (see `path`): the others are not evaluated. */
  gates: EgressGate[];
  flows: BridgeFlow[];
  /** One per gate and flow, except the flows routing sends around a gate. */
  results: GateVerdict[];
  /** Which gates are on the bridge's path and why, which were left out and why: reported once. */
  path: BridgePath;
}

const memo = new WeakMap<ResourceSet, WeakMap<BridgeguardConfig, EgressAnalysis>>();

export function analyzeEgress(set: ResourceSet, config: BridgeguardConfig): EgressAnalysis {
  let byConfig = memo.get(set);
  if (!byConfig) {
    byConfig = new WeakMap();
    memo.set(set, byConfig);
  }
  const cached = byConfig.get(config);
  if (cached) return cached;
  const flows = bridgeFlows(config);
  const selection = selectPath(set, { sources: config.egress.sourceAddresses, selection: config.egress.resources, flows: flows.map((f) => f.flow) });
  const gates = egressGates(set, selection.isOnPath, { dnsServers: config.dnsServers });
  const results: GateVerdict[] = [];
  for (const gate of gates) {
    for (const flow of flows) {
      if (selection.bypasses(gate.ref, flow.flow)) continue;
      results.push({ gate, flow, verdict: gate.evaluate(flow.flow) });
    }
  }
  const analysis = { gates, flows, results, path: selection.path };
  byConfig.set(config, analysis);
  return analysis;
}
