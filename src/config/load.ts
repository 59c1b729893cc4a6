import { isMap, isScalar, LineCounter, parseDocument } from "yaml";
import { formatBytes, readBounded } from "../input/json";
import { heapLimitMb, mainThreadMemory } from "../input/value-budget";
import { UserError } from "../model/errors";
import { describeIoError } from "../model/io-error";
import { redactUserInfo } from "../model/redact";
import type { BridgeguardConfig } from "./types";
import { validateConfig } from "./validate";

/** Alias expansion beyond this is an alias bomb, not a configuration. */
const MAX_ALIAS_COUNT = 100;

/**
 * A bridgeguard.yaml is a few kilobytes; thousands of suppressions stay far below this. YAML costs far more
 * memory per byte than JSON (the yaml library keeps a node and its source tokens per value): 1 MiB of `{},`
 * took 546 MB and 3.6 s to parse, and 15 MiB ran a 4 GB heap out after 75 s.
 */
export const MAX_CONFIG_BYTES = 1024 * 1024;

/** The memory per byte of the densest YAML (`x: [{},{},...]`), measured as above and rounded up. */
const YAML_WORST_MEMORY_PER_BYTE = 520;

/**
 * The most YAML this process parses: `MAX_CONFIG_BYTES`, or less under a heap too small for its worst case
 * (half of what is free, as for JSON read on the main thread), so that a dense file is one line, never V8's
 * fatal out-of-memory abort.
 */
function configLimit(): number {
  return Math.min(MAX_CONFIG_BYTES, Math.floor(mainThreadMemory() / YAML_WORST_MEMORY_PER_BYTE));
}

function readText(file: string): string {
  const limit = configLimit();
  const overLimit = (size: number | undefined) =>
    limit < MAX_CONFIG_BYTES && (size === undefined || size <= MAX_CONFIG_BYTES)
      ? `is ${size === undefined ? `larger than ${formatBytes(limit)}` : formatBytes(size)}: more YAML than this process can surely parse within its ${heapLimitMb()} MB heap limit (${formatBytes(limit)}; raise it with NODE_OPTIONS=--max-old-space-size=<MB>)`
      : `${size === undefined ? "is larger than" : `is ${formatBytes(size)}, over`} the ${formatBytes(MAX_CONFIG_BYTES)} limit of a configuration file`;
  const buffer = readBounded(
    file,
    limit,
    (error) => {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === "ENOENT") return UserError.at(file, undefined, "configuration file not found");
      if (code === "EISDIR") return UserError.at(file, undefined, "is a directory, expected a bridgeguard.yaml file");
      if (code === "EACCES" || code === "EPERM") return UserError.at(file, undefined, "permission denied");
      return UserError.at(file, undefined, `cannot be read: ${describeIoError(error)}`);
    },
    (size) => UserError.at(file, undefined, overLimit(size)),
  );
  const text = buffer.toString("utf8");
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

/** A problem quotes at most this much of the library's message (some quote the source after a colon). */
const MAX_PROBLEM_CHARS = 200;

/**
 * The yaml library's own words, except a stack overflow (100k levels of `[[[...`), which is said plainly.
 * Some of its messages quote the source ("Block scalar header includes extra characters: |{...}"), which
 * may hold the proxy URL: URL user info is redacted, and the quote is cut short.
 */
function yamlProblem(message: string): string {
  const first = message.split("\n")[0] ?? "";
  if (isStackOverflow(first)) return "nested too deeply";
  const shown = redactUserInfo(first);
  return shown.length > MAX_PROBLEM_CHARS ? `${shown.slice(0, MAX_PROBLEM_CHARS)}…` : shown;
}

function isStackOverflow(message: string): boolean {
  return /Maximum call stack size exceeded/.test(message);
}

/**
 * The yaml library's parser recurses per level of nesting, also while it recovers from an error: thousands
 * of indented mappings cut short by a bad byte overflow the stack inside `parseDocument` itself.
 * logLevel "error": the library's warnings (a non-scalar key, an unknown tag) would go to stderr as process
 * warnings; what matters about such a file, the schema says.
 */
function parseYaml(text: string, file: string, lineCounter: LineCounter): ReturnType<typeof parseDocument> {
  try {
    return parseDocument(text, { lineCounter, uniqueKeys: true, prettyErrors: false, logLevel: "error" });
  } catch (error) {
    if (error instanceof RangeError && isStackOverflow(error.message)) throw UserError.at(file, undefined, "invalid YAML: nested too deeply");
    throw error;
  }
}

/** Reads, parses and validates `bridgeguard.yaml`; every problem names the file, line and key path. */
export function loadConfigFile(file: string, schema: object): BridgeguardConfig {
  const text = readText(file);
  const lineCounter = new LineCounter();
  const doc = parseYaml(text, file, lineCounter);
  const firstError = doc.errors[0];
  if (firstError) {
    const pos = lineCounter.linePos(firstError.pos[0]);
    throw UserError.at(`${file}:${pos.line}:${pos.col}`, undefined, `invalid YAML: ${yamlProblem(firstError.message)}`);
  }
  let value: unknown;
  try {
    value = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
  } catch (error) {
    throw UserError.at(file, undefined, `invalid YAML: ${yamlProblem((error as Error).message)}`);
  }
  try {
    return validateConfig(value, file, schema);
  } catch (error) {
    if (error instanceof UserError && error.path) throw withLine(error, doc, lineCounter, file);
    throw error;
  }
}

type Ranged = { range?: [number, number, number] };

/** The key node of `key` in the mapping at `parent`: errors about a key point at the key, not its value. */
function keyNode(doc: ReturnType<typeof parseDocument>, parent: (string | number)[], key: string | number): Ranged | undefined {
  const collection = parent.length ? doc.getIn(parent, true) : doc.contents;
  if (!isMap(collection)) return undefined;
  const pair = collection.items.find((item) => isScalar(item.key) && String(item.key.value) === String(key));
  return pair && isScalar(pair.key) ? (pair.key as Ranged) : undefined;
}

/** Re-issues a validation error with the line of the offending key, so editors can jump to it. */
function withLine(error: UserError, doc: ReturnType<typeof parseDocument>, lineCounter: LineCounter, file: string): UserError {
  const segments = (error.path ?? "")
    .replace(/\[(\d+)\]/g, ".$1")
    .split(".")
    .filter(Boolean)
    .map((s) => (/^\d+$/.test(s) ? Number(s) : s));
  for (let n = segments.length; n > 0; n--) {
    const node = keyNode(doc, segments.slice(0, n - 1), segments[n - 1]!) ?? (doc.getIn(segments.slice(0, n), true) as Ranged | undefined);
    if (node && typeof node === "object" && node.range) {
      const pos = lineCounter.linePos(node.range[0]);
      return new UserError(error.message.replace(file, `${file}:${pos.line}:${pos.col}`), file, error.path);
    }
  }
  return error;
}
