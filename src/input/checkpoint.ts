import { InputError } from "./errors";
import { isObject } from "./values";

/**
 * A state backend's checkpoint (`{version, features?, checkpoint: {stack, config, latest}}`: `VersionedCheckpoint`
 * and `CheckpointV3` in sdk/go/common/apitype/core.go of pulumi/pulumi) as the stack export it holds
 * (`{version, features?, deployment}`), so one schema and one normalizer read both. A stack that has never
 * been updated has no `latest`: no resources.
 */
export function checkpointAsExport(json: Record<string, unknown>, file: string): Record<string, unknown> {
  const checkpoint = json.checkpoint;
  if (!isObject(checkpoint)) throw new InputError({ file, path: "checkpoint", expected: "expected an object (the checkpoint of a Pulumi state backend)" });
  const latest = checkpoint.latest;
  if (latest !== undefined && latest !== null && !isObject(latest)) throw new InputError({ file, path: "checkpoint.latest", expected: "expected an object (the latest deployment)" });
  return { version: json.version, ...(json.features !== undefined ? { features: json.features } : {}), deployment: latest ?? {} };
}

/**
 * Runs `read` on a document rebuilt from `file`, and names paths in messages as they are in the file: an
 * error at `deployment.resources[2]` of a checkpoint is at `checkpoint.latest.resources[2]` of its file.
 */
export function withPathsRenamed<T>(rename: (path: string) => string, read: () => T): T {
  try {
    return read();
  } catch (error) {
    if (!(error instanceof InputError) || error.path === undefined || error.expected === undefined) throw error;
    const renamed = rename(error.path);
    if (renamed === error.path) throw error;
    throw new InputError({
      file: error.file,
      path: renamed,
      expected: error.expected,
      ...(error.resource !== undefined ? { resource: error.resource } : {}),
    });
  }
}

/** `deployment...` → `checkpoint.latest...`. */
export function checkpointPath(path: string): string {
  return path === "deployment" || path.startsWith("deployment.") || path.startsWith("deployment[") ? `checkpoint.latest${path.slice("deployment".length)}` : path;
}
