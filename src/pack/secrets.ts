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
 * This reaches into `@pulumi/policy/deserialize` (its `deserializeProperties` export, which the SDK's
 * server looks up at call time). If a future SDK moves it, `installSecretMasking` says so and the pack
 * falls back to `additionalSecretOutputs`; the test suite's secret canaries fail first.
 */
import { maskSecrets } from "./props";

type Deserialize = ((struct: { toJavaScript(): unknown }, proxySecrets: boolean) => unknown) & { bridgeguardMasking?: true };

export type SecretMasking = "installed" | "unavailable";

let state: SecretMasking | undefined;

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
    const raw = struct.toJavaScript();
    return original({ toJavaScript: () => maskSecrets(raw) }, proxySecrets);
  };
  masked.bridgeguardMasking = true;
  module.deserializeProperties = masked;
  return (state = "installed");
}
