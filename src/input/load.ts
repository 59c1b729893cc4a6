/**
 * One audit input, whatever its kind: a stack export, a state backend checkpoint, a preview, ARM JSON. The
 * document may come from a file or from memory (a blob, an HTTP body): either way it is parsed once and its
 * text is kept for the line of each resource in it.
 */
import type { ResourceSet } from "../model/resource";
import { checkpointAsExport, checkpointPath, withPathsRenamed } from "./checkpoint";
import { detectInput } from "./detect";
import { inputName, readJsonDocument, type JsonDocument, type ReadOptions } from "./json";
import { normalizeDetected } from "./normalize";
import { normalizePreview, type PreviewCoverage, type StateInput } from "./preview";

/** An input read into the model. */
export interface LoadedInput {
  set: ResourceSet;
  /** The text it was parsed from (for `locateRefs`). */
  text: string;
  /** A preview only: how much of the planned state was seen, and how many changes it plans. */
  preview?: { coverage: PreviewCoverage; changes: number };
}

/** How inputs are read: the size limit, and the stack state a preview's changes are laid over (`--state`). */
export interface LoadOptions extends ReadOptions {
  /** A stack export or checkpoint file; used by preview inputs that do not list unchanged resources. */
  state?: string;
}

/** Reads one file (see `loadDocument`); `-` is standard input, named `(stdin)`. Throws `InputError`. */
export function loadAuditInput(file: string, options: LoadOptions = {}): LoadedInput {
  return loadDocument(readJsonDocument(file, options), inputName(file), options);
}

/** Detects, validates and normalizes a parsed document named `name` in messages. Throws `InputError`. */
export function loadDocument(doc: JsonDocument, name: string, options: LoadOptions = {}): LoadedInput {
  const detected = detectInput(doc.json, name);
  switch (detected.format) {
    case "preview": {
      const state: StateInput | undefined = options.state ? { json: readJsonDocument(options.state, options).json, file: options.state } : undefined;
      const planned = normalizePreview(doc.json as Record<string, unknown>, name, state);
      return { set: planned.set, text: doc.text, preview: { coverage: planned.coverage, changes: planned.changes } };
    }
    case "checkpoint": {
      const asExport = checkpointAsExport(doc.json as Record<string, unknown>, name);
      const set = withPathsRenamed(checkpointPath, () => normalizeDetected(asExport, name, { format: "stack-export", version: detected.version }));
      return { set, text: doc.text };
    }
    default:
      return { set: normalizeDetected(doc.json, name, detected), text: doc.text };
  }
}
