/**
 * `pulumi preview --json`: what the update would leave, and what it would do to get there.
 *
 * The document is Pulumi's `PreviewDigest` (pkg/display/json.go of pulumi/pulumi), built by
 * `ShowPreviewDigest` (pkg/backend/display/json.go): `{config, steps: [{op, urn, provider, oldState,
 * newState, diffReasons, replaceReasons, detailedDiff}], diagnostics, duration, changeSummary}`. What it
 * holds, from that source:
 * - A step is listed when `shouldShow` (pkg/backend/display/display.go) says so. A `same` step is listed only
 *   with `--show-sames` (or when only `protect` changed); the root stack's step always is. Physical
 *   replacement steps (`create-replacement`, `delete-replaced`) are listed only with
 *   `--show-replacement-steps`; the logical `replace` step always is.
 * - `changeSummary` counts every logical step by op, listed or not (`OnResourceStepPost` in
 *   pkg/engine/update.go; default providers are not counted). So the document holds the whole planned state
 *   exactly when it lists at least as many `same` steps as `changeSummary.same` counts.
 * - `oldState` and `newState` are serialized like a stack export's resources (`stack.SerializeResource`),
 *   except that every secret is the string `"[secret]"` (`MassageSecrets`): never a value, read here as an
 *   opaque secret.
 *
 * The planned state is each listed step's `newState` (a `delete` has none: the resource is gone). With every
 * `same` listed, that is the whole state; without, the changes are laid over the stack export given with
 * `--state`; without one, only the changed resources are audited and the caller says so.
 */
import type { PlannedOperation, ResourceRef, ResourceSet } from "../model/resource";
import { checkpointAsExport, checkpointPath, withPathsRenamed } from "./checkpoint";
import { detectInput } from "./detect";
import { describeKind, InputError, joinPath } from "./errors";
import { normalizeDetected, pulumiRef, urnName } from "./normalize";
import { validateStackExport } from "./schema";
import { isObject, SECRET_SIG, SIG_KEY } from "./values";

/** How much of the planned state a preview's audit saw. */
export type PreviewCoverage =
  /** Every resource: the document lists the `same` steps (`--show-sames`). */
  | "complete"
  /** The changes laid over the stack export given beside it (`--state`). */
  | "with-state"
  /** Only the changed resources: stack-wide checks cannot run. */
  | "changes-only";

export interface PlannedState {
  set: ResourceSet;
  coverage: PreviewCoverage;
  /** Steps that change something (neither `same` nor the root stack's). */
  changes: number;
}

/** The stack export (or backend checkpoint) the planned changes are laid over. */
export interface StateInput {
  json: unknown;
  file: string;
}

interface Step {
  op: string;
  urn: string;
  oldState?: Record<string, unknown>;
  newState?: Record<string, unknown>;
  diffReasons: string[];
  replaceReasons: string[];
}

/** Steps after which the resource is not in the planned state (unless another step of its URN plans one). */
const REMOVING_OPS = new Set(["delete", "delete-replaced", "discard", "discard-replaced", "remove-pending-replace"]);
const STACK_TYPE = "pulumi:pulumi:Stack";

/** What Pulumi's preview JSON writes for every secret (`massagePropertyValue`, pkg/backend/display/json.go). */
const MASKED_SECRET = "[secret]";

/** Reads a preview into the planned state and its planned operations. */
export function normalizePreview(json: Record<string, unknown>, file: string, state?: StateInput): PlannedState {
  const steps = readSteps(json, file);
  const summary = isObject(json.changeSummary) ? json.changeSummary : {};
  const counted = typeof summary.same === "number" ? summary.same : 0;
  const listedSames = steps.filter((s) => s.op === "same").length;
  const coverage: PreviewCoverage = listedSames >= counted ? "complete" : state ? "with-state" : "changes-only";

  const resources: Record<string, unknown>[] = [];
  const origins: string[] = [];
  if (coverage === "with-state" && state) {
    for (const r of stateResources(state)) {
      resources.push(r);
      origins.push(`${state.file}`);
    }
  }
  // The planned state: the last `newState` of each URN, in place of what the state had.
  const planned = new Map<string, number>();
  const removed = new Set<string>();
  steps.forEach((step, index) => {
    if (step.newState && !REMOVING_OPS.has(step.op)) planned.set(step.urn, index);
    else if (REMOVING_OPS.has(step.op)) removed.add(step.urn);
  });
  const stateIndex = new Map<string, number>();
  resources.forEach((r, i) => {
    if (typeof r.urn === "string" && r.delete !== true) stateIndex.set(r.urn, i);
  });
  const dropped = new Set<number>();
  for (const urn of removed) {
    const at = stateIndex.get(urn);
    if (!planned.has(urn) && at !== undefined) dropped.add(at);
  }
  for (const [urn, index] of planned) {
    const step = steps[index]!;
    const newState = unmaskSecrets(step.newState!);
    const at = stateIndex.get(urn);
    if (at !== undefined) {
      resources[at] = newState;
      origins[at] = `steps[${index}].newState`;
    } else {
      resources.push(newState);
      origins.push(`steps[${index}].newState`);
    }
  }
  const kept = resources.filter((_, i) => !dropped.has(i));
  const keptOrigins = origins.filter((_, i) => !dropped.has(i));

  const synthetic = { version: 3, deployment: { resources: kept } };
  const rename = (path: string): string => {
    const m = /^deployment\.resources\[(\d+)\](.*)$/.exec(path);
    return m ? `${keptOrigins[Number(m[1])]}${m[2]}` : path;
  };
  const set = withPathsRenamed(rename, () => normalizeDetected(synthetic, file, { format: "stack-export", version: 3 }));
  set.plannedOperations = steps.filter((s) => s.op !== "same" && !isStackUrn(s.urn)).map(plannedOperation);
  const changes = set.plannedOperations.length;
  if (coverage === "changes-only") {
    // Only changed resources: nothing else is known, and nothing else may look missing.
    const changed = new Set(set.plannedOperations.map((p) => p.resource.urn));
    set.resources = set.resources.filter((r) => changed.has(r.ref.urn));
  }
  return { set, coverage, changes };
}

function isStackUrn(urn: string): boolean {
  return urn.includes(`::${STACK_TYPE}::`);
}

function plannedOperation(step: Step): PlannedOperation {
  const state = step.newState ?? step.oldState;
  const type = state && typeof state.type === "string" ? state.type : urnType(step.urn);
  const resource: ResourceRef = state ? pulumiRef({ urn: step.urn, type, sourcePosition: state.sourcePosition }) : { urn: step.urn, type, name: urnName(step.urn) };
  return { resource, op: step.op, replaceReasons: step.replaceReasons, diffReasons: step.diffReasons };
}

/** The type token of a URN (`urn:pulumi:<stack>::<project>::<parent$type>::<name>`): the last `$` part. */
function urnType(urn: string): string {
  const parts = urn.split("::");
  const qualified = parts[2] ?? "";
  return qualified.slice(qualified.lastIndexOf("$") + 1);
}

function readSteps(json: Record<string, unknown>, file: string): Step[] {
  const raw = json.steps;
  if (raw === undefined || raw === null) return [];
  if (!Array.isArray(raw)) throw new InputError({ file, path: "steps", expected: `expected an array of preview steps, got ${describeKind(raw)}` });
  return raw.map((item: unknown, i): Step => {
    const path = joinPath("steps", i);
    if (!isObject(item)) throw new InputError({ file, path, expected: `expected a preview step (an object with "op" and "urn"), got ${describeKind(item)}` });
    for (const key of ["op", "urn"] as const) {
      if (typeof item[key] !== "string" || item[key] === "") throw new InputError({ file, path: joinPath(path, key), expected: `expected a non-empty string, got ${describeKind(item[key])}` });
    }
    const step: Step = { op: item.op as string, urn: item.urn as string, diffReasons: reasons(item, "diffReasons", path, file), replaceReasons: reasons(item, "replaceReasons", path, file) };
    for (const key of ["oldState", "newState"] as const) {
      const state = item[key];
      if (state === undefined || state === null) continue;
      if (!isObject(state)) throw new InputError({ file, path: joinPath(path, key), expected: `expected a resource state (an object), got ${describeKind(state)}` });
      step[key] = state;
    }
    return step;
  });
}

function reasons(step: Record<string, unknown>, key: string, path: string, file: string): string[] {
  const value = step[key];
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value) || value.some((v) => typeof v !== "string")) {
    throw new InputError({ file, path: joinPath(path, key), expected: `expected an array of property names, got ${describeKind(value)}` });
  }
  return (value as string[]).map((v) => (v.length > 200 ? `${v.slice(0, 200)}…` : v));
}

/** The live resources of the stack export or checkpoint given with `--state` (validated, paths named in its file). */
function stateResources(state: StateInput): Record<string, unknown>[] {
  const detected = detectInput(state.json, state.file);
  if (detected.format === "stack-export") {
    validateStackExport(state.json, state.file);
    return ((state.json as { deployment: { resources?: Record<string, unknown>[] } }).deployment.resources ?? []).filter((r) => r.delete !== true);
  }
  if (detected.format === "checkpoint") {
    const asExport = checkpointAsExport(state.json as Record<string, unknown>, state.file);
    withPathsRenamed(checkpointPath, () => validateStackExport(asExport, state.file));
    return ((asExport.deployment as { resources?: Record<string, unknown>[] }).resources ?? []).filter((r) => r.delete !== true);
  }
  throw new InputError({ file: state.file, path: "(top level)", expected: "expected the stack's state for --state: a `pulumi stack export` or a state backend checkpoint" });
}

/**
 * The preview's `"[secret]"` strings as opaque secrets, the shape a stack export gives them, so that every
 * check treats them alike (never as the literal text). Walks with an explicit stack: a deeply nested
 * document cannot overflow the call stack. Only the state's `inputs` and `outputs` are looked into.
 */
function unmaskSecrets(state: Record<string, unknown>): Record<string, unknown> {
  const pending: unknown[] = [state.inputs, state.outputs];
  while (pending.length > 0) {
    const value = pending.pop();
    if (Array.isArray(value)) {
      for (let i = 0; i < value.length; i++) {
        if (value[i] === MASKED_SECRET) value[i] = opaqueSecret();
        else if (typeof value[i] === "object" && value[i] !== null) pending.push(value[i]);
      }
    } else if (isObject(value)) {
      for (const key of Object.keys(value)) {
        if (value[key] === MASKED_SECRET) value[key] = opaqueSecret();
        else if (typeof value[key] === "object" && value[key] !== null) pending.push(value[key]);
      }
    }
  }
  return state;
}

function opaqueSecret(): Record<string, unknown> {
  return { [SIG_KEY]: SECRET_SIG, ciphertext: "" };
}
