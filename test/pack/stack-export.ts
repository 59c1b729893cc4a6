/**
 * A `pulumi stack export` as the analyzer requests the engine makes from it, the way `pulumi policy analyze`
 * does (pkg/engine: `buildAnalyzerResource`, `buildAnalyzerStackResources`): provider resources and
 * `delete: true` copies are skipped; `analyze` gets each resource's inputs, `analyzeStack` its outputs;
 * a resource's provider carries the provider's inputs.
 *
 * State values become wire values: a secret is sent marked (`{sig: secret, value}`), as the engine sends
 * it after decrypting. A test has no key to decrypt `ciphertext`, so the ciphertext itself stands in for
 * the value (it is a canary: it must never come back in a message); `plaintext` (`--show-secrets`) is
 * the JSON-encoded value. v4 output values (`{sig: output, value?, secret?}`) are opened; without a
 * value they are unknown.
 */
import * as fs from "node:fs";
import { OUTPUT_VALUE_SIG } from "../../src/input/values";
import { SECRET_SIG, SIG_KEY, UNKNOWN_SENTINEL } from "../../src/input";
import type { ResourceRequest } from "./harness";

interface StateResource {
  urn: string;
  type: string;
  id?: string;
  delete?: boolean;
  protect?: boolean;
  provider?: string;
  parent?: string;
  dependencies?: string[];
  additionalSecretOutputs?: string[];
  inputs?: Record<string, unknown>;
  outputs?: Record<string, unknown>;
}

function secret(value: unknown): Record<string, unknown> {
  return { [SIG_KEY]: SECRET_SIG, value };
}

/** A state property value in the form the engine sends it to an analyzer. */
export function wireValue(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(wireValue);
  if (typeof value !== "object" || value === null) return value;
  const obj = value as Record<string, unknown>;
  if (obj[SIG_KEY] === SECRET_SIG) {
    if (typeof obj.plaintext === "string") return secret(wireValue(JSON.parse(obj.plaintext)));
    return secret(typeof obj.ciphertext === "string" ? obj.ciphertext : UNKNOWN_SENTINEL);
  }
  if (obj[SIG_KEY] === OUTPUT_VALUE_SIG) {
    if (!("value" in obj)) return UNKNOWN_SENTINEL;
    return obj.secret === true ? secret(wireValue(obj.value)) : wireValue(obj.value);
  }
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(obj)) out[k] = wireValue(v);
  return out;
}

function wireProps(props: Record<string, unknown> | undefined): Record<string, unknown> {
  return (wireValue(props ?? {}) as Record<string, unknown>) ?? {};
}

const isProvider = (type: string) => type.startsWith("pulumi:providers:");

export interface StackRequests {
  /** `analyze`: one per resource, with its inputs. */
  inputs: ResourceRequest[];
  /** `analyzeStack`: every resource, with its outputs. */
  outputs: ResourceRequest[];
}

export function stackRequests(exportJson: unknown): StackRequests {
  const resources = ((exportJson as { deployment?: { resources?: StateResource[] } }).deployment?.resources ?? []) as StateResource[];
  const providers = new Map(resources.filter((r) => isProvider(r.type)).map((r) => [r.urn, r]));
  const inputs: ResourceRequest[] = [];
  const outputs: ResourceRequest[] = [];
  for (const r of resources) {
    if (isProvider(r.type) || r.delete === true) continue;
    const base: Omit<ResourceRequest, "properties"> = { type: r.type, urn: r.urn, protect: r.protect === true };
    if (r.additionalSecretOutputs) base.additionalSecretOutputs = r.additionalSecretOutputs;
    if (r.parent) base.parent = r.parent;
    if (r.dependencies) base.dependencies = r.dependencies;
    if (r.provider) {
      // `<provider URN>::<provider id>`, split on the last `::`.
      const providerUrn = r.provider.slice(0, r.provider.lastIndexOf("::"));
      const provider = providers.get(providerUrn);
      if (provider) base.provider = { type: provider.type, urn: provider.urn, properties: wireProps(provider.inputs) };
    }
    inputs.push({ ...base, properties: wireProps(r.inputs) });
    outputs.push({ ...base, properties: wireProps(r.outputs) });
  }
  return { inputs, outputs };
}

export function stackRequestsFromFile(file: string): StackRequests {
  return stackRequests(JSON.parse(fs.readFileSync(file, "utf8")));
}
