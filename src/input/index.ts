/**
 * Input: reading what the user hands the audit (a `pulumi stack export`, raw ARM JSON) and what the policy
 * pack and the verification program see (one Pulumi resource at a time), into the engine's resource model.
 * Every problem is an `InputError` whose one-line message names the file, the path inside it and what was
 * expected, and never carries a value.
 */
import type { ResourceSet } from "../model/resource";
import type { ReadOptions } from "./json";
import { loadAuditInput } from "./load";

export { InputError } from "./errors";
export { detectInput, SUPPORTED_STACK_EXPORT_VERSIONS, type DetectedInput, type StackExportVersion } from "./detect";
export { DEFAULT_MAX_INPUT_BYTES, formatBytes, inputName, MAX_JSON_BYTES, readJsonFile, STDIN, type ReadOptions } from "./json";
export {
  kindOfArmType,
  kindOfPulumiType,
  normalizeArm,
  normalizePulumiResource,
  normalizeStackExport,
  splitProviderReference,
  urnName,
  type PulumiProviderInput,
  type PulumiResourceInput,
} from "./normalize";
export { validateStackExport } from "./schema";
export { loadAuditInput, loadDocument, type LoadedInput, type LoadOptions } from "./load";
export { locateRefs } from "./lines";
export { parseJsonBytes, readBytesWithin, readJsonDocument, withoutBom, type JsonDocument } from "./json";
export { parseSourcePosition } from "./source-position";
export type { PreviewCoverage } from "./preview";
export { SECRET_SIG, SIG_KEY, UNKNOWN_SENTINEL } from "./values";

/**
 * Reads, detects (stack export or ARM), validates and normalizes one file. Throws `InputError`, also for
 * a file over `options.maxBytes` (default `DEFAULT_MAX_INPUT_BYTES`). `-` is standard input, named `(stdin)`.
 */
export function loadResourceFile(path: string, options: ReadOptions = {}): ResourceSet {
  return loadAuditInput(path, options).set;
}
