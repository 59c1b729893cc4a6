import type Ajv from "ajv";
import type { ErrorObject, Options, ValidateFunction } from "ajv";
import { RETIRED_CLOUDS } from "../catalog/clouds";
import { UserError } from "../model/errors";
import { redactUserInfo } from "../model/redact";
import { precompiledValidator } from "../schemas/precompiled";
import { CONFIG_FORMATS, isHostOrIp, isIpOrCidr } from "../schemas/config-formats";
import type { BridgeguardConfig } from "./types";

export { isHostOrIp, isIpOrCidr };

/**
 * The ajv instance every configuration-shaped schema is compiled with (the configuration, the baseline).
 * `extra` adds options: the build passes `code` options to emit the same validators as modules.
 */
export function createAjv(extra: Options = {}): Ajv {
  // Loaded here, not at the top: a built CLI validates with the validators compiled at build time.
  /* eslint-disable @typescript-eslint/no-require-imports */
  const AjvClass = (require("ajv") as typeof import("ajv")).default;
  const addFormats = (require("ajv-formats") as typeof import("ajv-formats")).default;
  /* eslint-enable @typescript-eslint/no-require-imports */
  // verbose: errors carry their schema, so a pattern error can say what the pattern means.
  const ajv = new AjvClass({ allErrors: false, useDefaults: true, strict: true, allowUnionTypes: true, verbose: true, ...extra });
  addFormats(ajv, ["uuid", "ipv4", "ipv6"]);
  for (const [name, format] of Object.entries(CONFIG_FORMATS)) ajv.addFormat(name, format);
  return ajv;
}

/** Keys shown as they are in a path; any other key (a line break, a quote, a space, a megabyte) is quoted and cut. */
const PLAIN_KEY = /^[A-Za-z0-9_$*@:/-][A-Za-z0-9_$*@:/.-]{0,99}$/;
const MAX_SHOWN_KEY = 100;

/**
 * A key from the file as a message may quote it: JSON-quoted (one line), at most 100 characters, URL user
 * info redacted. A YAML flow mapping with a broken quote makes `proxy":"http://user:password@host` a key.
 */
export function quoteKey(key: string): string {
  const shown = redactUserInfo(key);
  return JSON.stringify(shown.length > MAX_SHOWN_KEY ? `${shown.slice(0, MAX_SHOWN_KEY)}…` : shown);
}

/** `egress.sourceAddresses[0]`: the path style every message uses. */
export function formatPath(segments: readonly (string | number)[]): string {
  let out = "";
  for (const segment of segments) {
    if (typeof segment === "number" || /^\d+$/.test(segment)) out += `[${segment}]`;
    else if (!PLAIN_KEY.test(segment)) out += `[${quoteKey(segment)}]`;
    else out += out ? `.${redactUserInfo(segment)}` : redactUserInfo(segment);
  }
  return out || "(top level)";
}

function pointerSegments(pointer: string): string[] {
  return pointer
    .split("/")
    .slice(1)
    .map((s) => s.replace(/~1/g, "/").replace(/~0/g, "~"));
}

const FORMAT_WORDS: Record<string, string> = {
  uuid: "a GUID (xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx)",
  "ip-or-cidr": "an IP address or CIDR range such as 203.0.113.0/27",
  ip: "an IP address",
  "host-or-ip": "a host name or IP address, optionally with :port",
};

/**
 * One ajv error as `path: expected ...`. The offending value is shown only when it is short and the
 * path is not one that can carry a secret.
 */
export function describeAjvError(error: ErrorObject): { path: string; problem: string } {
  const segments = pointerSegments(error.instancePath);
  const p = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case "additionalProperties": {
      const key = String(p.additionalProperty);
      return { path: formatPath([...segments, key]), problem: `unknown key ${quoteKey(key)}` };
    }
    case "propertyNames": {
      const key = String(p.propertyName);
      return { path: formatPath([...segments, key]), problem: `unknown rule ${quoteKey(key)} (see \`bridgeguard rules\`)` };
    }
    case "required":
      return { path: formatPath([...segments, String(p.missingProperty)]), problem: "is required" };
    case "enum":
      return {
        path: formatPath(segments),
        problem: `expected one of ${(p.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(", ")}`,
      };
    case "type":
      return { path: formatPath(segments), problem: `expected ${String(p.type)}` };
    case "format":
      return { path: formatPath(segments), problem: `expected ${FORMAT_WORDS[String(p.format)] ?? String(p.format)}` };
    case "minItems":
      return { path: formatPath(segments), problem: `expected at least ${String(p.limit)} item(s)` };
    case "minLength":
      return { path: formatPath(segments), problem: "expected a non-empty string" };
    case "pattern": {
      const described = (error.parentSchema as { description?: string } | undefined)?.description;
      return { path: formatPath(segments), problem: described ? `expected ${described}` : `expected a value matching ${String(p.pattern)}` };
    }
    default:
      return { path: formatPath(segments), problem: error.message ?? "is invalid" };
  }
}

const compiled = new WeakMap<object, ValidateFunction>();

/** Far deeper than any configuration (whose deepest key is 3 levels down). */
export const MAX_CONFIG_DEPTH = 32;

/** Longer than any name, id, address or justification: findings quote these values, in every format. */
export const MAX_CONFIG_STRING = 8192;

/**
 * Configuration is plain data: strings (of at most `MAX_CONFIG_STRING` characters), numbers, booleans,
 * null, lists and mappings, at most `MAX_CONFIG_DEPTH` levels deep. Checked without recursion, before anything recursive (the copy below,
 * ajv) walks it: 100k levels of nesting (a hostile Pulumi or pack config) would overflow the stack, and a
 * YAML 1.1 tag (`!!set`, `!!omap`, `!!binary`, `!!timestamp`) would hand the schema a Set, Map, bytes or Date.
 */
function checkPlainData(value: unknown, file: string): void {
  const pending: { value: unknown; path: (string | number)[] }[] = [{ value, path: [] }];
  for (let next = pending.pop(); next; next = pending.pop()) {
    const v = next.value;
    if (typeof v === "string" && v.length > MAX_CONFIG_STRING) {
      throw UserError.at(file, formatPath(next.path), `expected at most ${MAX_CONFIG_STRING} characters, got a string of ${v.length}`);
    }
    if (v === null || typeof v === "string" || typeof v === "boolean" || (typeof v === "number" && Number.isFinite(v))) continue;
    const where = formatPath(next.path);
    if (typeof v === "number") throw UserError.at(file, where, "expected a finite number");
    const proto = typeof v === "object" ? Object.getPrototypeOf(v) : undefined;
    if (!Array.isArray(v) && proto !== Object.prototype && proto !== null) {
      throw UserError.at(file, where, "expected plain data (a string, number, boolean, list or mapping), not a tagged value (!!set, !!omap, !!binary, !!timestamp)");
    }
    if (next.path.length >= MAX_CONFIG_DEPTH) throw UserError.at(file, where, `nested too deeply (more than ${MAX_CONFIG_DEPTH} levels)`);
    if (Array.isArray(v)) v.forEach((item, i) => pending.push({ value: item, path: [...next!.path, i] }));
    else for (const [key, item] of Object.entries(v as object)) pending.push({ value: item, path: [...next.path, key] });
  }
}

/**
 * Validates a parsed configuration object (from YAML, Pulumi config or pack config) and applies the
 * schema's defaults. Throws a UserError naming `file` and the path inside it.
 */
export function validateConfig(value: unknown, file: string, schema: object): BridgeguardConfig {
  if (value === null || value === undefined) value = {};
  if (typeof value !== "object" || Array.isArray(value)) {
    throw UserError.at(file, "(top level)", "expected a mapping of configuration keys");
  }
  checkPlainData(value, file);
  const retired = (value as { cloud?: unknown }).cloud;
  if (typeof retired === "string" && Object.hasOwn(RETIRED_CLOUDS, retired)) {
    throw UserError.at(file, "cloud", RETIRED_CLOUDS[retired]!);
  }
  let validate = compiled.get(schema);
  if (!validate) {
    validate = precompiledValidator("config", schema) ?? createAjv().compile(schema);
    compiled.set(schema, validate);
  }
  const copy = structuredClone(value);
  if (!validate(copy)) {
    // A bad rule name shows as an inner `enum` error first; the `propertyNames` one names the key.
    const first = validate.errors?.find((e) => e.keyword === "propertyNames") ?? validate.errors?.[0];
    const { path, problem } = first ? describeAjvError(first) : { path: "(top level)", problem: "is invalid" };
    throw UserError.at(file, path, problem);
  }
  return copy as unknown as BridgeguardConfig;
}
