import type { ErrorObject, Options, ValidateFunction } from "ajv";
import stackExportSchema from "../schemas/stack-export.schema.json";
import { precompiledValidator } from "../schemas/precompiled";
import { describeKind, InputError, joinPath, pointerToPath, TOP_LEVEL } from "./errors";
import { isObject } from "./values";

/**
 * How the stack export schema is compiled, at build time (scripts/precompile-validators.js) or here.
 * `unicode: false`: `minLength` counts UTF-16 code units (`.length`) instead of walking every URN and type
 * to count code points; the schema's only length bound is `minLength: 1`, which both read the same, and the
 * walk was most of the validation's time on a large export. ajv 8 marks the option deprecated (it still
 * honours it: vocabularies/validation/limitLength.js) and would log that on every compile: `logger: false`
 * silences it, and hides nothing else, since `strict: true` throws where it would otherwise log.
 */
export const STACK_EXPORT_AJV_OPTIONS: Options = { allErrors: false, strict: true, unicode: false, logger: false };

let validator: ValidateFunction | undefined;

/**
 * The validator compiled at build time, else compiled with ajv once, on first use: most runs read one kind
 * of file, and loading ajv and compiling cost more than validating.
 */
function stackExportValidator(): ValidateFunction {
  if (!validator) {
    validator = precompiledValidator("stack-export", stackExportSchema);
    if (!validator) {
      // eslint-disable-next-line @typescript-eslint/no-require-imports -- ajv only when nothing was compiled ahead
      const Ajv = (require("ajv") as typeof import("ajv")).default;
      validator = new Ajv(STACK_EXPORT_AJV_OPTIONS).compile(stackExportSchema);
    }
  }
  return validator;
}

/**
 * Validates a stack export against the project's own schema (src/schemas/stack-export.schema.json) and
 * throws the first problem as `file: path: expected ...`, naming the resource's URN when the problem is in
 * one. ajv walks only what the schema describes: the resource list's top-level keys, not their properties.
 */
export function validateStackExport(json: unknown, file: string): void {
  const validate = stackExportValidator();
  if (validate(json)) return;
  const error = validate.errors?.[0];
  if (!error) throw new InputError({ file, path: TOP_LEVEL, expected: "not a valid stack export" });
  throw ajvError(json, file, error);
}

const KIND_WORDS: Record<string, string> = {
  string: "a string",
  number: "a number",
  integer: "an integer",
  boolean: "a boolean (true or false)",
  object: "an object",
  array: "an array",
  null: "null",
};

function ajvError(json: unknown, file: string, error: ErrorObject): InputError {
  const params = error.params as Record<string, unknown>;
  let path = pointerToPath(error.instancePath);
  let expected: string;
  switch (error.keyword) {
    case "required":
      path = joinPath(path, String(params.missingProperty));
      expected = "missing, this key is required";
      break;
    case "type":
      expected = `expected ${KIND_WORDS[String(params.type)] ?? String(params.type)}, got ${describeKind(valueAt(json, error.instancePath))}`;
      break;
    case "enum":
      expected = `expected one of ${(params.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(", ")}`;
      break;
    case "minLength":
      expected = "expected a non-empty string";
      break;
    default:
      expected = error.message ?? "is invalid";
  }
  const resource = resourceAt(json, error.instancePath);
  return new InputError({ file, path: path || TOP_LEVEL, expected, ...(resource !== undefined ? { resource } : {}) });
}

function valueAt(json: unknown, pointer: string): unknown {
  let cur: unknown = json;
  for (const raw of pointer.split("/").slice(1)) {
    const seg = raw.replace(/~1/g, "/").replace(/~0/g, "~");
    if (Array.isArray(cur)) cur = cur[Number(seg)];
    else if (isObject(cur)) cur = cur[seg];
    else return undefined;
  }
  return cur;
}

/** The URN of the resource (or pending operation's resource) a pointer is inside, when it has one. */
function resourceAt(json: unknown, pointer: string): string | undefined {
  const m = /^\/deployment\/(resources|pending_operations)\/(\d+)/.exec(pointer);
  if (!m) return undefined;
  const entry = valueAt(json, `/deployment/${m[1]}/${m[2]}`);
  const urn = m[1] === "resources" ? (isObject(entry) ? entry.urn : undefined) : isObject(entry) && isObject(entry.resource) ? entry.resource.urn : undefined;
  return typeof urn === "string" && urn !== "" ? urn : undefined;
}
