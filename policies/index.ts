/**
 * The bridgeguard policy pack: every bridgeguard rule as a CrossGuard policy, generated from the rules'
 * metadata (src/pack/policies.ts). Built to `bin/` by the repository's `npm run build`; `main` points at
 * the compiled file, so the pack starts without compiling TypeScript.
 *
 *   pulumi preview --policy-pack ./policies --policy-pack-config policy-config.json
 *
 * `bridgeguard policy-config --config bridgeguard.yaml` writes that config file. See docs/policy-pack.md.
 */
import { PolicyPack } from "@pulumi/policy";
import { bridgeguardPolicies } from "../src/pack/policies";
import { installSecretMasking } from "../src/pack/secrets";
import { findManifest } from "../src/version";

// Before any request: secrets reach the rules opaque, as in the audit, and never a message.
if (installSecretMasking() !== "installed") {
  process.stderr.write("bridgeguard policy pack: cannot keep secrets opaque with this @pulumi/policy; only additionalSecretOutputs are masked\n");
}

const { manifest } = findManifest(__dirname, ["bridgeguard-policies"]);
const settings = (manifest.bridgeguard ?? {}) as { docsBaseUrl?: unknown };
const docsBaseUrl = typeof settings.docsBaseUrl === "string" && settings.docsBaseUrl !== "" ? settings.docsBaseUrl : undefined;

new PolicyPack("bridgeguard", {
  description: String(manifest.description ?? "bridgeguard"),
  displayName: "bridgeguard: Azure Stack Hub usage bridge",
  provider: "azure",
  tags: ["azure", "azure-stack-hub", "usage-reporting"],
  // Every policy sets its own level (mandatory for error rules, advisory for warning rules).
  enforcementLevel: "advisory",
  policies: bridgeguardPolicies(docsBaseUrl ? { docsBaseUrl } : {}),
});
