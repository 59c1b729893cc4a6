import * as fs from "node:fs";
import { isMap, isScalar, LineCounter, parseDocument } from "yaml";
import { UserError } from "../model/errors";
import type { BridgeguardConfig } from "./types";
import { validateConfig } from "./validate";

/** Alias expansion beyond this is an alias bomb, not a configuration. */
const MAX_ALIAS_COUNT = 100;

function readText(file: string): string {
  let stat: fs.Stats;
  try {
    stat = fs.statSync(file);
  } catch {
    throw UserError.at(file, undefined, "configuration file not found");
  }
  if (stat.isDirectory()) throw UserError.at(file, undefined, "is a directory, expected a bridgeguard.yaml file");
  const text = fs.readFileSync(file, "utf8");
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

/** Reads, parses and validates `bridgeguard.yaml`; every problem names the file, line and key path. */
export function loadConfigFile(file: string, schema: object): BridgeguardConfig {
  const text = readText(file);
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, uniqueKeys: true, prettyErrors: false });
  const firstError = doc.errors[0];
  if (firstError) {
    const pos = lineCounter.linePos(firstError.pos[0]);
    throw UserError.at(`${file}:${pos.line}:${pos.col}`, undefined, `invalid YAML: ${firstError.message.split("\n")[0]}`);
  }
  let value: unknown;
  try {
    value = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
  } catch (error) {
    throw UserError.at(file, undefined, `invalid YAML: ${(error as Error).message.split("\n")[0]}`);
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
