import { describeKind, InputError, joinPath, TOP_LEVEL } from "./errors";
import { typeFromArmId } from "./normalize/armId";
import { isObject } from "./values";

/** The stack export schema versions this reads: 3 (`pulumi stack export`), 4 (3 plus `features`). */
export const SUPPORTED_STACK_EXPORT_VERSIONS = [3, 4] as const;
export type StackExportVersion = (typeof SUPPORTED_STACK_EXPORT_VERSIONS)[number];

/** One ARM resource body found in a file, with where it is. */
export interface ArmItem {
  body: Record<string, unknown>;
  /** `(top level)`, `[2]` or `value[2]`. */
  path: string;
  /** The body's `type`, or the type its id names when the body has none. */
  type: string;
}

export type DetectedInput =
  | { format: "stack-export"; version: StackExportVersion }
  | { format: "checkpoint"; version: StackExportVersion }
  | { format: "preview" }
  | { format: "arm"; items: ArmItem[] };

const EXPECTED_SHAPES =
  'expected a Pulumi stack export ({"version": 3, "deployment": {...}}), a state backend checkpoint ({"version": 3, "checkpoint": {...}}), `pulumi preview --json` output ({"steps": [...]}), an ARM resource (an object with "type" and "id" or "name"), ' +
  'an array of ARM resources, or an ARM list ({"value": [...]}) as az and the REST API return';

/**
 * Tells the inputs apart by shape: an object with `deployment` is a stack export (whose `version` must then
 * be 3 or 4), one with `checkpoint` a state backend's checkpoint file, one with `steps` a preview; an array, a `{value: [...]}` list, or an object with `type` and `id`/`name` is ARM.
 */
export function detectInput(json: unknown, file: string): DetectedInput {
  if (Array.isArray(json)) return { format: "arm", items: armItems(json, "", file) };
  if (!isObject(json)) throw new InputError({ file, path: TOP_LEVEL, expected: `${EXPECTED_SHAPES}; got ${describeKind(json)}` });
  if ("deployment" in json) {
    return { format: "stack-export", version: stackExportVersion(json, file) };
  }
  if ("checkpoint" in json && !("type" in json)) {
    // A state backend's `.pulumi/stacks/<project>/<stack>.json`: the same deployment, in `checkpoint.latest`
    // (`VersionedCheckpoint` and `CheckpointV3` in sdk/go/common/apitype/core.go of pulumi/pulumi).
    return { format: "checkpoint", version: stackExportVersion(json, file) };
  }
  if ("steps" in json && !("type" in json)) {
    // `pulumi preview --json`: a `PreviewDigest` (pkg/display/json.go of pulumi/pulumi).
    return { format: "preview" };
  }
  if ("value" in json && !("type" in json)) {
    if (!Array.isArray(json.value)) {
      throw new InputError({ file, path: "value", expected: `expected an array of ARM resources, got ${describeKind(json.value)}` });
    }
    return { format: "arm", items: armItems(json.value, "value", file) };
  }
  const single = armItem(json, TOP_LEVEL);
  if (single) return { format: "arm", items: [single] };
  throw new InputError({ file, path: TOP_LEVEL, expected: EXPECTED_SHAPES });
}

function stackExportVersion(json: Record<string, unknown>, file: string): StackExportVersion {
  const v = json.version;
  if (v === undefined) throw new InputError({ file, path: "version", expected: "missing, expected the stack export version (3 or 4)" });
  if (typeof v !== "number") throw new InputError({ file, path: "version", expected: `expected 3 or 4, got ${describeKind(v)}` });
  if (!(SUPPORTED_STACK_EXPORT_VERSIONS as readonly number[]).includes(v)) {
    throw new InputError({ file, path: "version", expected: `unsupported stack export version ${v} (supported: 3, 4)` });
  }
  return v as StackExportVersion;
}

function armItems(list: unknown[], base: string, file: string): ArmItem[] {
  return list.map((item, i) => {
    const path = joinPath(base, i);
    const found = isObject(item) ? armItem(item, path) : undefined;
    if (!found) {
      throw new InputError({
        file,
        path,
        expected: `expected an ARM resource (an object with "type" and "id" or "name"), got ${describeKind(item)}`,
      });
    }
    return found;
  });
}

function armItem(body: Record<string, unknown>, path: string): ArmItem | undefined {
  const { type, id, name } = body;
  if (typeof type === "string" && type !== "" && (typeof id === "string" || typeof name === "string")) return { body, path, type };
  // Some GET bodies (and the REST examples of sub-resources) leave `type` out; the id still names it.
  if (type === undefined && typeof id === "string") {
    const fromId = typeFromArmId(id);
    if (fromId) return { body, path, type: fromId };
  }
  return undefined;
}
