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
import { installConfigureGuard } from "../src/pack/configure-guard";
import { bridgeguardPolicies } from "../src/pack/policies";
import { installSecretMasking } from "../src/pack/secrets";
import { ALL_RULES } from "../src/rules";
import { findManifest } from "../src/version";

// Before any request: secrets reach the rules opaque, as in the audit, and never a message.
if (installSecretMasking() !== "installed") {
  process.stderr.write("bridgeguard policy pack: cannot keep secrets opaque with this @pulumi/policy; only additionalSecretOutputs are masked\n");
}

const { manifest } = findManifest(__dirname, ["bridgeguard-policies"]);
const settings = (manifest.bridgeguard ?? {}) as { docsBaseUrl?: unknown };
const docsBaseUrl = typeof settings.docsBaseUrl === "string" && settings.docsBaseUrl !== "" ? settings.docsBaseUrl : undefined;

const PACK_NAME = "bridgeguard";
const policies = bridgeguardPolicies(docsBaseUrl ? { docsBaseUrl } : {});

// Before the pack is served: a config key that names no policy (a slug-keyed file from before the
// policies were named by rule id) stops the preview in `configure`, since the engine lets it through.
const slugs = new Map(ALL_RULES.map((rule) => [rule.meta.slug, rule.meta.id]));
if (installConfigureGuard(PACK_NAME, policies.map((p) => p.name), slugs) !== "installed") {
  process.stderr.write("bridgeguard policy pack: cannot check the policy pack config's keys with this @pulumi/policy; a key naming no policy is ignored\n");
}

new PolicyPack(PACK_NAME, {
  description: String(manifest.description ?? "bridgeguard"),
  displayName: "bridgeguard: Azure Stack Hub usage bridge",
  provider: "azure",
  tags: ["azure", "azure-stack-hub", "usage-reporting"],
  // Every policy sets its own level (mandatory for error rules, advisory for warning rules).
  enforcementLevel: "advisory",
  policies,
});
