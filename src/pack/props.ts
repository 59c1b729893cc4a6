/**
 * From what `@pulumi/policy` hands a policy to what the engine's normalizer reads.
 *
 * The SDK gives a policy its resource's properties wrapped in a proxy that throws on any read of a value
 * not known during preview, and with secrets already opened. The engine has its own, finer notion of
 * both (src/input/values.ts): an unknown or secret value is recorded by its property path, and only a
 * rule that depends on that path reports "undetermined". So the pack copies the properties into plain
 * JSON first, turning every unknown into the engine's unknown sentinel and every secret (marked by
 * `./secrets.ts` before the SDK opens it) into an opaque secret: the rules then decide, one engine, one
 * verdict, and no secret value can reach a message.
 */
import { SECRET_SIG, SIG_KEY, UNKNOWN_SENTINEL } from "../input";

/**
 * What a secret's value is replaced with before the SDK deserializes it (see `./secrets.ts`). Not a
 * secret itself; turned back into an opaque secret by `plainProps`.
 */
export const SECRET_PLACEHOLDER = "bridgeguard:secret:0b6f1d0e-4a55-4c1e-9a7b-5f3c2e8d9a41";

/** The engine's opaque secret: `{[SIG_KEY]: SECRET_SIG}` without any value. */
export function opaqueSecret(): Record<string, unknown> {
  return { [SIG_KEY]: SECRET_SIG };
}

/**
 * The sentinels Pulumi sends for values unknown during preview (`@pulumi/policy/proxy`): string, boolean,
 * number, array, asset, archive and object. The engine knows the string one; the others become it.
 */
const UNKNOWN_SENTINELS: ReadonlySet<string> = new Set([
  UNKNOWN_SENTINEL,
  "1c4a061d-8072-4f0a-a4cb-0ff528b18fe7",
  "3eeb2bf0-c639-47a8-9e75-3b44932eb421",
  "6a19a0b0-7e62-4c92-b797-7f8e31da9cc2",
  "030794c1-ac77-496b-92df-f27374a8bd58",
  "e48ece36-62e2-4504-bad9-02848725956a",
  "dd056dcd-154b-4c76-9bd3-c8f88648b5ff",
]);

/** The SDK's `UnknownValueError`, thrown by its proxy when a policy reads an unknown value. */
function isUnknownValueError(error: unknown): boolean {
  return error instanceof Error && (error.constructor?.name === "UnknownValueError" || /can't be known during preview/.test(error.message));
}

function readKey(container: object, key: string | number): unknown {
  let value: unknown;
  try {
    value = (container as Record<string | number, unknown>)[key];
  } catch (error) {
    if (isUnknownValueError(error)) return UNKNOWN_SENTINEL;
    throw error;
  }
  return plainValue(value);
}

function plainValue(value: unknown): unknown {
  if (typeof value === "string") {
    if (value === SECRET_PLACEHOLDER) return opaqueSecret();
    return UNKNOWN_SENTINELS.has(value) ? UNKNOWN_SENTINEL : value;
  }
  if (typeof value !== "object" || value === null) return value;
  if (Array.isArray(value)) {
    const out: unknown[] = [];
    const length = value.length;
    for (let i = 0; i < length; i++) out.push(readKey(value, i));
    return out;
  }
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value)) out[key] = readKey(value, key);
  return out;
}

/**
 * A plain copy of the properties the SDK handed over (its unknown-checking proxy, or plain data): every
 * unknown is the engine's unknown sentinel, every marked secret an opaque secret. Never throws for an
 * unknown; `secretKeys` (the resource's `additionalSecretOutputs`) are made opaque whatever they hold.
 */
export function plainProps(props: unknown, secretKeys: readonly string[] = []): Record<string, unknown> {
  if (typeof props !== "object" || props === null) return {};
  const plain = plainTarget(props);
  if (secretKeys.length === 0) return plain;
  const out = { ...plain };
  for (const key of secretKeys) if (out[key] !== undefined && out[key] !== null) out[key] = opaqueSecret();
  return out;
}

/**
 * The key under which the SDK's unknown-checking proxy answers with the object it wraps
 * (`@pulumi/policy/proxy.js`, `getSpecialProxyTarget`): reading the object itself is the same data (every
 * unknown is one of the sentinel strings above, which `plainValue` turns into the engine's unknown)
 * without a proxy per nested value.
 */
const PROXY_TARGET = "__getSpecialProxyTarget";

/**
 * Plain copies per object the SDK deserialized: the deserializer keeps one object per resource and request
 * (./secrets.ts), so every policy of a request reads the same copy. Callers never change it.
 */
const plainCopies = new WeakMap<object, Record<string, unknown>>();

function plainTarget(props: object): Record<string, unknown> {
  let target: unknown;
  try {
    target = (props as Record<string, unknown>)[PROXY_TARGET];
  } catch {
    target = undefined;
  }
  // Not the SDK's proxy (plain data, or a future SDK): copy through it.
  if (typeof target !== "object" || target === null) return plainValue(props) as Record<string, unknown>;
  let copy = plainCopies.get(target);
  if (!copy) {
    copy = plainValue(target) as Record<string, unknown>;
    plainCopies.set(target, copy);
  }
  return copy;
}

/** `{[SIG_KEY]: SECRET_SIG, ...}` anywhere below `value` becomes the placeholder: the SDK then opens nothing. */
export function maskSecrets(value: unknown): unknown {
  if (typeof value !== "object" || value === null) return value;
  if (Array.isArray(value)) return value.map(maskSecrets);
  const obj = value as Record<string, unknown>;
  if (obj[SIG_KEY] === SECRET_SIG) return { [SIG_KEY]: SECRET_SIG, value: SECRET_PLACEHOLDER };
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(obj)) out[key] = maskSecrets(obj[key]);
  return out;
}

const isAbsent = (value: unknown) => value === undefined || value === null;

/**
 * Outputs first, inputs for a key the outputs lack or do not know yet: how the audit reads a resource of
 * a stack export (src/input/values.ts, `PulumiTopNode`), so that the pack's stack policies see what the
 * audit sees. Path parameters (`resourceGroupName`, `firewallPolicyName`, ...) exist only as inputs.
 */
export function outputsOverInputs(outputs: Record<string, unknown>, inputs: Record<string, unknown> | undefined): Record<string, unknown> {
  if (!inputs) return outputs;
  const merged: Record<string, unknown> = { ...outputs };
  for (const key of Object.keys(inputs)) {
    const output = outputs[key];
    if ((isAbsent(output) || output === UNKNOWN_SENTINEL) && !isAbsent(inputs[key])) merged[key] = inputs[key];
  }
  return merged;
}
