import type { BridgeguardConfig } from "../config/types";
import { egressGates, type EgressGate } from "../evaluate/gates";
import type { Verdict } from "../evaluate/types";
import type { ResourceSet } from "../model/resource";
import { bridgeFlows, type BridgeFlow } from "./flows";

export interface GateVerdict {
  gate: EgressGate;
  flow: BridgeFlow;
  verdict: Verdict;
}

/** Every bridge flow through every egress gate of a stack: computed once, read by several rules. */
export interface EgressAnalysis {
  gates: EgressGate[];
  flows: BridgeFlow[];
  results: GateVerdict[];
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
  const gates = egressGates(set, config.egress.resources);
  const flows = bridgeFlows(config);
  const results: GateVerdict[] = [];
  for (const gate of gates) {
    for (const flow of flows) results.push({ gate, flow, verdict: gate.evaluate(flow.flow) });
  }
  const analysis = { gates, flows, results };
  byConfig.set(config, analysis);
  return analysis;
}
