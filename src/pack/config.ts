/**
 * The policy pack's configuration, derived from the engine's one configuration schema.
 *
 * Every policy (named by its rule's id, `BG201`) takes the same keys as `bridgeguard.yaml` but `rules`,
 * `codes` and `probe`: Pulumi's own per-policy `enforcementLevel` stands for `rules.<id|slug>` and
 * `codes.<Code>` (`enabled: false` → `disabled`, `severity: warning` → `advisory`, `error` → `mandatory`,
 * all moved by `failOn`). `bridgeguard policy-config` turns a `bridgeguard.yaml` into the
 * `--policy-pack-config` file, keyed by policy name (the rule id), so a user configures once and the pack,
 * given that file, reaches the audit's verdicts.
 *
 * No `@pulumi/policy` import at run time here: the CLI uses this module.
 */
import type { EnforcementLevel, PolicyConfigSchema } from "@pulumi/policy";
import type { BridgeguardConfig } from "../config/types";
import { CONFIG_SCHEMA } from "../engine/config";
import { ruleSetting, severityOverride } from "../engine/run";
import type { Severity } from "../model/finding";
import { ALL_RULES } from "../rules";
import type { RuleMeta } from "../rules/types";

/**
 * Keys of the engine schema a policy does not take: `rules` and `codes` (Pulumi's per-policy enforcement
 * level stands for them: `policyPackConfig` turns them into it), and `probe` (the live probe's settings,
 * which may carry a proxy password: never copied into a policy config file). Everything else is shared:
 * what the checks read (cloud, registration, egress, timeServer, dnsServers), the suppressions, and
 * `failOn` (which findings fail: the pack reports the others `advisory`).
 */
const NOT_PACK_KEYS: ReadonlySet<string> = new Set(["rules", "codes", "probe"]);

/** The configuration keys every policy takes: the engine schema's shared keys. */
export const PACK_CONFIG_KEYS: readonly string[] = Object.keys(CONFIG_SCHEMA.properties).filter((key) => !NOT_PACK_KEYS.has(key));

/**
 * A policy's `configSchema`: the engine schema's own property schemas for the shared keys (copied as
 * JSON, since the SDK serializes them into the analyzer info), never `enforcementLevel`.
 */
export function policyConfigSchema(): PolicyConfigSchema {
  const all = CONFIG_SCHEMA.properties as Record<string, unknown>;
  const properties: PolicyConfigSchema["properties"] = {};
  for (const key of PACK_CONFIG_KEYS) properties[key] = JSON.parse(JSON.stringify(all[key])) as PolicyConfigSchema["properties"][string];
  return { properties };
}

/** A rule's default enforcement: `mandatory` for findings that break usage reporting, `advisory` for ones that may. */
export function enforcementLevelOf(severity: Severity): EnforcementLevel {
  return severity === "error" ? "mandatory" : "advisory";
}

/**
 * The enforcement level bridgeguard.yaml means for one rule: `rules.<id|slug>.enabled: false` disables it;
 * otherwise its severity (`rules.<id|slug>.severity`, then `codes.<Code>.severity`, then its default) against
 * `failOn`: a severity that fails the audit is `mandatory`, one that does not is `advisory`.
 */
export function enforcementLevelFor(meta: RuleMeta, config: BridgeguardConfig): EnforcementLevel {
  if (ruleSetting(meta, config).enabled === false) return "disabled";
  const severity = severityOverride(meta, config) ?? meta.severity;
  switch (config.failOn ?? "error") {
    case "none":
      return "advisory";
    case "warning":
      return "mandatory";
    default:
      return enforcementLevelOf(severity);
  }
}

/** The shared part of a validated configuration: what each policy's config carries. */
export function sharedConfig(config: BridgeguardConfig): Record<string, unknown> {
  const source = config as unknown as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const key of PACK_CONFIG_KEYS) if (source[key] !== undefined) out[key] = structuredClone(source[key]);
  return out;
}

export type PolicyPackConfigFile = Record<string, { enforcementLevel: EnforcementLevel } & Record<string, unknown>>;

/** The `--policy-pack-config` JSON for a validated `bridgeguard.yaml`: one entry per policy, keyed by its name (the rule id). */
export function policyPackConfig(config: BridgeguardConfig, rules: readonly { meta: RuleMeta }[] = ALL_RULES): PolicyPackConfigFile {
  const shared = sharedConfig(config);
  const out: PolicyPackConfigFile = {};
  for (const { meta } of rules) out[meta.id] = { enforcementLevel: enforcementLevelFor(meta, config), ...structuredClone(shared) };
  return out;
}
