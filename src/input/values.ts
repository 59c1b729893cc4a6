import { describeKind, InputError, joinPath } from "./errors";

/**
 * Reading the properties the checks need, in either shape, with the same error for every wrong type.
 *
 * A `Node` is one object of the input. `flat` nodes are Pulumi's flattened shapes (stack export inputs and
 * outputs, policy-pack props, invoke results); `arm` nodes are raw ARM/REST JSON, where a resource's and a
 * sub-resource's own properties sit under `properties`. A value has two paths: the path inside the file
 * (`deployment.resources[3].outputs.ruleCollections[0].priority`, for error messages) and the property
 * path relative to the resource in the flattened azure-native names (`ruleCollections[0].priority`), which
 * is what `unknowns` records, so both shapes of one resource report the same unknown paths. Paths are
 * chains of `Loc`s turned into strings only when needed (an error, an unknown): reading stays close to
 * the cost of the property accesses themselves.
 */

/** Pulumi's special-value signature key (`sig.Key`). */
export const SIG_KEY = "4dabf18193072939515e22adb298388d";
/** `sig.Secret`: `{[SIG_KEY]: SECRET_SIG, ciphertext | plaintext}`. Opaque: never decrypted, parsed or printed. */
export const SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270";
/** `sig.OutputValue` (state v4 with `outputDependencies`): `{value?, secret?, dependencies?}`. */
export const OUTPUT_VALUE_SIG = "d0e6a833031e9bbcd3f4e8bde6ca49a4";
/** The value Pulumi writes for "not known until apply". */
export const UNKNOWN_SENTINEL = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

/**
 * A location inside the file or the resource, built as a chain and turned into a string only when a
 * message or an unknown needs it.
 */
export type Loc = string | { readonly parent: Loc; readonly key: string | number; s?: string };

export function locString(loc: Loc): string {
  if (typeof loc === "string") return loc;
  return (loc.s ??= joinPath(locString(loc.parent), loc.key));
}

export const at = (parent: Loc, key: string | number): Loc => ({ parent, key });

export interface Node {
  /** Path inside the file of this object. */
  readonly path: string;
  /** Property path of this object relative to its resource (`""` for the resource itself). */
  readonly rel: string;
  readonly relLoc: Loc;
  /** The key's raw value; undefined when the key is absent or null. */
  get(key: string): unknown;
  /** Where the key's value is (or would be) inside the file. */
  locOf(key: string): Loc;
  pathOf(key: string): string;
  /** Property path of the key relative to the resource (what `unknowns` records). */
  relOf(key: string): string;
  /** A node of the same shape for the object at `key` (`index` < 0) or at `key[index]` below this one. */
  child(value: object, key: string, index: number): Node;
}

/** Where errors and unknowns go while one resource is read. */
export interface ReadContext {
  file: string;
  /** URN or ARM id of the resource, named in every error. */
  resource: string;
  unknowns: string[];
}

export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

const nullToUndefined = (v: unknown) => (v === null ? undefined : v);

abstract class BaseNode {
  /** Where this object is inside the file. */
  protected abstract get loc(): Loc;
  abstract get relLoc(): Loc;
  abstract locOf(key: string): Loc;
  get path(): string {
    return locString(this.loc);
  }
  get rel(): string {
    return locString(this.relLoc);
  }
  pathOf(key: string): string {
    return locString(this.locOf(key));
  }
  relOf(key: string): string {
    return locString(at(this.relLoc, key));
  }
}

/**
 * A node at a given place, or below another node. A node below another keeps only its parent, key and
 * array index: its `Loc`s are built the first time an error or an unknown asks for them, which a valid
 * resource never does. (Building them for every rule and `{ id }` reference, two or four `Loc`s each, was
 * most of the garbage a large stack export left behind while it was read.) The input is never written,
 * so a `Loc` built late is the one that would have been built at once.
 */
abstract class PlacedNode extends BaseNode {
  private locCache: Loc | undefined;
  private relLocCache: Loc | undefined;
  constructor(
    /** The object this node reads. */
    protected readonly obj: Record<string, unknown>,
    loc: Loc | undefined,
    relLoc: Loc | undefined,
    /** The node this one was read from; undefined when `loc` and `relLoc` are given. */
    private readonly parent: Node | undefined,
    private readonly key: string,
    /** Index in the array at `key`, or -1 for the object at `key` itself. */
    private readonly index: number,
  ) {
    super();
    this.locCache = loc;
    this.relLocCache = relLoc;
  }
  protected get loc(): Loc {
    if (this.locCache === undefined) {
      const keyLoc = this.parent!.locOf(this.key);
      this.locCache = this.index < 0 ? keyLoc : at(keyLoc, this.index);
    }
    return this.locCache;
  }
  get relLoc(): Loc {
    if (this.relLocCache === undefined) {
      const keyLoc = at(this.parent!.relLoc, this.key);
      this.relLocCache = this.index < 0 ? keyLoc : at(keyLoc, this.index);
    }
    return this.relLocCache;
  }
}

/** Pulumi's flattened shapes. */
class FlatNode extends PlacedNode implements Node {
  get(key: string): unknown {
    return nullToUndefined(this.obj[key]);
  }
  locOf(key: string): Loc {
    return at(this.loc, key);
  }
  child(value: object, key: string, index: number): Node {
    return new FlatNode(value as Record<string, unknown>, undefined, undefined, this, key, index);
  }
}

/** ARM/REST shape: a key is looked up under `properties` first, then beside it (`name`, `id`, `location`). */
class ArmNode extends PlacedNode implements Node {
  private readonly props: Record<string, unknown> | undefined = isObject(this.obj.properties) ? this.obj.properties : undefined;
  private inProps(key: string): boolean {
    const v = this.props?.[key];
    return v !== undefined && v !== null;
  }
  get(key: string): unknown {
    return this.inProps(key) ? this.props?.[key] : nullToUndefined(this.obj[key]);
  }
  locOf(key: string): Loc {
    return this.inProps(key) ? at(at(this.loc, "properties"), key) : at(this.loc, key);
  }
  child(value: object, key: string, index: number): Node {
    return new ArmNode(value as Record<string, unknown>, undefined, undefined, this, key, index);
  }
}

/**
 * A stack-export resource's top level: `outputs` (the live state) first, `inputs` for a key the outputs
 * lack, or whose output is not known yet while the input is.
 */
class PulumiTopNode extends BaseNode implements Node {
  constructor(
    private readonly outputs: Record<string, unknown> | undefined,
    private readonly inputs: Record<string, unknown> | undefined,
    /** The resource's own place (`deployment.resources[3]`); its `outputs` and `inputs` are below. */
    private readonly resourceLoc: Loc,
  ) {
    super();
  }
  protected get loc(): Loc {
    return at(this.resourceLoc, "outputs");
  }
  get relLoc(): Loc {
    return "";
  }
  private fromInputs(key: string): boolean {
    const o = nullToUndefined(this.outputs?.[key]);
    if (o !== undefined && !isUnknown(o)) return false;
    return nullToUndefined(this.inputs?.[key]) !== undefined;
  }
  get(key: string): unknown {
    // `fromInputs` spelled out, so that each side is looked up once.
    const o = this.outputs?.[key];
    if (o !== undefined && o !== null && !isUnknown(o)) return o;
    const i = this.inputs?.[key];
    return i !== undefined && i !== null ? i : nullToUndefined(o);
  }
  locOf(key: string): Loc {
    return at(at(this.resourceLoc, this.fromInputs(key) ? "inputs" : "outputs"), key);
  }
  child(value: object, key: string, index: number): Node {
    return new FlatNode(value as Record<string, unknown>, undefined, undefined, this, key, index);
  }
}

export function flatNode(obj: object, loc: Loc, relLoc: Loc = ""): Node {
  return new FlatNode(obj as Record<string, unknown>, loc, relLoc, undefined, "", -1);
}

export function armNode(obj: object, loc: Loc, relLoc: Loc = ""): Node {
  return new ArmNode(obj as Record<string, unknown>, loc, relLoc, undefined, "", -1);
}

/** A stack-export resource at `resourceLoc` (`deployment.resources[3]`): its outputs first, then its inputs. */
export function pulumiTopNode(outputs: Record<string, unknown> | undefined, inputs: Record<string, unknown> | undefined, resourceLoc: Loc): Node {
  return new PulumiTopNode(outputs, inputs, resourceLoc);
}

/** Stands for a value that cannot be read: a secret, or an unknown. */
const OPAQUE: unique symbol = Symbol("opaque");

/** Sees through Pulumi's special values. A secret is never opened, whatever it carries. */
function unwrap(value: unknown): unknown {
  if (value === UNKNOWN_SENTINEL) return OPAQUE;
  if (typeof value === "object" && value !== null && !Array.isArray(value)) {
    const v = value as Record<string, unknown>;
    const sig = v[SIG_KEY];
    if (sig === SECRET_SIG) return OPAQUE;
    if (sig === OUTPUT_VALUE_SIG) {
      if (v.secret === true || !("value" in v)) return OPAQUE;
      return unwrap(v.value);
    }
  }
  return value;
}

function isUnknown(value: unknown): boolean {
  if (value === UNKNOWN_SENTINEL) return true;
  if (isObject(value) && value[SIG_KEY] === OUTPUT_VALUE_SIG) return value.secret !== true && (!("value" in value) || isUnknown(value.value));
  return false;
}

export function addUnknown(ctx: ReadContext, rel: string): void {
  if (!ctx.unknowns.includes(rel)) ctx.unknowns.push(rel);
}

/**
 * The longest string the checks take: far above any Azure name, id, address, FQDN or URL (ARM ids and URLs
 * stay within 2,048 characters). A longer one (a hostile 10 MB value) would be quoted in every finding
 * about its resource, in every format, and could outgrow what one report string can hold.
 */
export const MAX_VALUE_LENGTH = 8192;

export function tooLong(file: string, path: string, length: number, resource?: string): InputError {
  return new InputError({
    file,
    path,
    expected: `expected at most ${MAX_VALUE_LENGTH} characters (more than any Azure name, id or address), got a string of ${length}`,
    ...(resource !== undefined ? { resource } : {}),
  });
}

/** Throws `tooLong` for a string over `MAX_VALUE_LENGTH`; anything else passes. */
export function checkLength(file: string, path: string, value: unknown, resource?: string): void {
  if (typeof value === "string" && value.length > MAX_VALUE_LENGTH) throw tooLong(file, path, value.length, resource);
}

function typeError(ctx: ReadContext, path: string, expected: string, got: unknown): InputError {
  return new InputError({ file: ctx.file, path, expected: `expected ${expected}, got ${describeKind(got)}`, resource: ctx.resource });
}

/** A key's plain value: undefined when absent; a secret or an unknown is recorded and reads as absent. */
function plain(ctx: ReadContext, node: Node, key: string): unknown {
  const raw = node.get(key);
  if (raw === undefined || typeof raw === "number" || typeof raw === "boolean") return raw;
  const value = unwrap(raw);
  if (value === OPAQUE) {
    addUnknown(ctx, node.relOf(key));
    return undefined;
  }
  return nullToUndefined(value);
}

export function readString(ctx: ReadContext, node: Node, key: string): string | undefined {
  const value = plain(ctx, node, key);
  if (value === undefined) return value;
  if (typeof value === "string") {
    if (value.length > MAX_VALUE_LENGTH) throw tooLong(ctx.file, node.pathOf(key), value.length, ctx.resource);
    return value;
  }
  throw typeError(ctx, node.pathOf(key), "a string", value);
}

export function readInteger(ctx: ReadContext, node: Node, key: string): number | undefined {
  const value = plain(ctx, node, key);
  if (value === undefined || (typeof value === "number" && Number.isSafeInteger(value))) return value;
  // Beyond 2^53 a number no longer counts (p - 1 === p): no priority or port is anywhere near it.
  if (typeof value === "number" && Number.isInteger(value)) {
    throw new InputError({ file: ctx.file, path: node.pathOf(key), expected: "expected an integer below 2^53 (no priority or port comes near it), got a larger number", resource: ctx.resource });
  }
  throw typeError(ctx, node.pathOf(key), "an integer", value);
}

export function readBoolean(ctx: ReadContext, node: Node, key: string): boolean | undefined {
  const value = plain(ctx, node, key);
  if (value === undefined || typeof value === "boolean") return value;
  throw typeError(ctx, node.pathOf(key), "a boolean (true or false)", value);
}

/** An array of strings; an unknown or secret element is recorded (by its own path) and left out. */
export function readStringArray(ctx: ReadContext, node: Node, key: string): string[] | undefined {
  const value = plain(ctx, node, key);
  if (value === undefined) return undefined;
  if (!Array.isArray(value)) throw typeError(ctx, node.pathOf(key), "an array of strings", value);
  let out: string[] | undefined;
  for (let i = 0; i < value.length; i++) {
    const raw: unknown = value[i];
    if (typeof raw === "string" && raw !== UNKNOWN_SENTINEL && raw.length <= MAX_VALUE_LENGTH) {
      if (out) out.push(raw);
      continue;
    }
    // Slow path (a wrapped, secret, unknown or wrong element): copy the good ones so far, then decide.
    out ??= value.slice(0, i) as string[];
    const item = unwrap(raw);
    if (typeof item === "string") {
      if (item.length > MAX_VALUE_LENGTH) throw tooLong(ctx.file, locString(at(node.locOf(key), i)), item.length, ctx.resource);
      out.push(item);
    } else if (item === OPAQUE) addUnknown(ctx, locString(at(at(node.relLoc, key), i)));
    else throw typeError(ctx, locString(at(node.locOf(key), i)), "a string", item);
  }
  // All plain strings: the array itself (the model is read, never written, by the rules).
  return out ?? (value as string[]);
}

/** A nested object, as a node of the same shape. */
export function readObject(ctx: ReadContext, node: Node, key: string): Node | undefined {
  const value = plain(ctx, node, key);
  if (value === undefined) return undefined;
  if (!isObject(value)) throw typeError(ctx, node.pathOf(key), "an object", value);
  return node.child(value, key, -1);
}

/** Whether a key holds something (even a secret or an unknown): for "is X configured" questions. */
export function isPresent(node: Node, key: string): boolean {
  return node.get(key) !== undefined;
}

/** An array of objects, as nodes; an unknown or secret element is recorded and left out. */
export function readObjectArray(ctx: ReadContext, node: Node, key: string): Node[] | undefined {
  const value = plain(ctx, node, key);
  if (value === undefined) return undefined;
  if (!Array.isArray(value)) throw typeError(ctx, node.pathOf(key), "an array of objects", value);
  const out: Node[] = [];
  for (let i = 0; i < value.length; i++) {
    const item = unwrap(value[i]);
    if (item === OPAQUE) addUnknown(ctx, locString(at(at(node.relLoc, key), i)));
    else if (isObject(item)) out.push(node.child(item, key, i));
    else throw typeError(ctx, locString(at(node.locOf(key), i)), "an object", item);
  }
  return out;
}

/**
 * A string from a closed set, returned in Azure's spelling whatever the case written (`allow` → `Allow`).
 * Anything else is an error naming the allowed values (never the value found).
 */
export function readEnum<T extends string>(ctx: ReadContext, node: Node, key: string, allowed: readonly T[]): T | undefined {
  const value = readString(ctx, node, key);
  if (value === undefined) return undefined;
  const match = (allowed as readonly string[]).includes(value) ? (value as T) : allowed.find((a) => a.toLowerCase() === value.toLowerCase());
  if (match === undefined) {
    throw new InputError({ file: ctx.file, path: node.pathOf(key), expected: `expected ${listWords(allowed)}`, resource: ctx.resource });
  }
  return match;
}

/** A string from an open set: a known value in Azure's spelling, anything else as written. */
export function canonical(value: string, known: readonly string[]): string {
  if (known.includes(value)) return value;
  const lower = value.toLowerCase();
  return known.find((k) => k.toLowerCase() === lower) ?? value;
}

export function listWords(values: readonly string[]): string {
  if (values.length <= 1) return values.join("");
  return `${values.slice(0, -1).join(", ")} or ${values[values.length - 1]}`;
}

/** Joins values read from a singular and a plural property (`destinationPortRange` + `destinationPortRanges`). */
export function mergeSingularPlural(single: string | undefined, plural: string[] | undefined): string[] {
  const out: string[] = single !== undefined && single !== "" ? [single] : [];
  if (plural) for (const v of plural) if (!out.includes(v)) out.push(v);
  return out;
}
