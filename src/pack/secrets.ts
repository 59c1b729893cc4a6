/**
 * Keeping Pulumi secrets opaque inside the policy pack.
 *
 * The engine sends a policy pack every property with secrets still marked (`{[sig]: secret, value}`),
 * and `@pulumi/policy` opens them before a policy sees them: `analyze` inputs and `analyzeStack` outputs
 * arrive as plain values, and nothing says which were secret. The audit never sees a secret's value
 * (state holds ciphertext) and treats it as opaque. For the pack to reach the same verdicts, and to make
 * sure no secret value ever lands in a violation message, the pack wraps the SDK's deserializer so that
 * a secret's value is replaced by a placeholder before it is opened; `plainProps` (./props.ts) turns the
 * placeholder into the engine's opaque secret.
 *
 * The same wrapper deserializes each resource once per request: the SDK deserializes every resource again
 * for each policy (server.js: `makeAnalyzeStackRpcFun` loops over the policies, and over every resource
 * inside), which for a stack policy pack of 20 policies was most of its cost. The result is kept per
 * protobuf `Struct` (the request's own object, the same for every policy of one request: google-protobuf
 * keeps a message's wrapper fields) and shared read-only: the SDK only wraps it in a read-only proxy, and
 * the pack copies what it reads (./props.ts). `deserializationEpoch` lets the pack keep its own work per
 * request too (./policies.ts).
 *
 * This reaches into `@pulumi/policy/deserialize` (its `deserializeProperties` export, which the SDK's
 * server looks up at call time). The `@pulumi/policy` version is pinned (package.json) and the tests check
 * this behaviour. If a future SDK moves it, `installSecretMasking` says so and the pack falls back to
 * `additionalSecretOutputs`; the test suite's secret canaries fail first.
 */
import { maskSecrets } from "./props";

type Deserialize = ((struct: { toJavaScript(): unknown }, proxySecrets: boolean) => unknown) & { bridgeguardMasking?: true };

export type SecretMasking = "installed" | "unavailable";

let state: SecretMasking | undefined;
/** Deserialized properties per request `Struct`; gone with the request. */
const deserialized = new WeakMap<object, unknown>();
/** Counts the `Struct`s deserialized for the first time: unchanged while a request's policies run. */
let epoch = 0;

/**
 * A number that changes whenever a property set not seen before is deserialized (a new request), or
 * `undefined` when the wrapper is not installed: equal before and after a policy's run means the policy saw
 * the same resources as the previous one.
 */
export function deserializationEpoch(): number | undefined {
  return state === "installed" ? epoch : undefined;
}

export function installSecretMasking(): SecretMasking {
  if (state) return state;
  let module: { deserializeProperties?: Deserialize };
  try {
    module = require("@pulumi/policy/deserialize") as { deserializeProperties?: Deserialize };
  } catch {
    return (state = "unavailable");
  }
  const original = module.deserializeProperties;
  if (typeof original !== "function") return (state = "unavailable");
  if (original.bridgeguardMasking) return (state = "installed");
  const masked: Deserialize = (struct, proxySecrets) => {
    // Remediations (proxySecrets = true) must round-trip secrets; the pack has none, so leave them alone.
    if (proxySecrets) return original(struct, proxySecrets);
    if (deserialized.has(struct)) return deserialized.get(struct);
    const raw = struct.toJavaScript();
    const result = original({ toJavaScript: () => maskSecrets(raw) }, proxySecrets);
    deserialized.set(struct, result);
    epoch++;
    return result;
  };
  masked.bridgeguardMasking = true;
  module.deserializeProperties = masked;
  return (state = "installed");
}
