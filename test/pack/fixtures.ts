/**
 * Stacks for the pack tests: the bundled healthy stamp (no finding under examples/bridgeguard.yaml),
 * changed in one place per case, turned into the requests the engine makes.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { loadConfig } from "../../src/engine/config";
import { UNKNOWN_SENTINEL } from "../../src/input";
import type { BridgeguardConfig } from "../../src/config/types";
import { parseViolationMessage, type ParsedViolation } from "../../src/pack/message";
import type { Diagnostic, EnforcementLevel } from "./harness";
import { ROOT } from "./harness";
import { stackRequests, type StackRequests } from "./stack-export";

export const EXAMPLES = path.join(ROOT, "examples");
export const EXAMPLE_CONFIG = path.join(EXAMPLES, "bridgeguard.yaml");
export const HEALTHY = path.join(EXAMPLES, "healthy-stamp.json");
export const MISCONFIGURED = path.join(EXAMPLES, "misconfigured-stamp.json");
export const UNKNOWN = UNKNOWN_SENTINEL;

export const exampleConfig = (): BridgeguardConfig => loadConfig(EXAMPLE_CONFIG);

export interface StateResource {
  urn: string;
  type: string;
  id?: string;
  protect?: boolean;
  inputs?: Record<string, unknown>;
  outputs?: Record<string, unknown>;
  [key: string]: unknown;
}

export interface State {
  version: number;
  deployment: { resources: StateResource[]; [key: string]: unknown };
}

export function readState(file: string): State {
  return JSON.parse(fs.readFileSync(file, "utf8")) as State;
}

/** The healthy stamp, changed by `change` (which gets the resources by the last part of their URN). */
export function healthyWith(change: (byName: (name: string) => StateResource, state: State) => void = () => {}): StackRequests {
  const state = readState(HEALTHY);
  const byName = (name: string) => {
    const found = state.deployment.resources.find((r) => r.urn.endsWith(`::${name}`));
    if (!found) throw new Error(`no resource ${name} in the healthy stamp`);
    return found;
  };
  change(byName, state);
  return stackRequests(state);
}

/** Sets a property in both the inputs and the outputs of a state resource (as an update would). */
export function setProp(r: StateResource, key: string, value: unknown): void {
  (r.inputs ??= {})[key] = structuredClone(value);
  if (r.outputs) r.outputs[key] = structuredClone(value);
}

/** The same change to the inputs and the outputs. */
export function change(r: StateResource, edit: (props: Record<string, unknown>) => void): void {
  if (r.inputs) edit(r.inputs);
  if (r.outputs) edit(r.outputs);
}

export interface Seen extends ParsedViolation {
  policyName: string;
  level: EnforcementLevel;
  urn: string;
  text: string;
}

/** The diagnostics as the parts of their message block (every bridgeguard violation must parse). */
export function seen(diagnostics: readonly Diagnostic[]): Seen[] {
  return diagnostics.map((d) => {
    const parsed = parseViolationMessage(d.message);
    if (!parsed) throw new Error(`not a bridgeguard violation message:\n${d.message}`);
    return { ...parsed, policyName: d.policyName, level: d.enforcementLevel, urn: d.urn, text: d.message };
  });
}

export function ofRule(diagnostics: readonly Diagnostic[], ruleId: string): Seen[] {
  return seen(diagnostics).filter((s) => s.ruleId === ruleId);
}
