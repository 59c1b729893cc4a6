import { buildConfigSchema } from "../config/schema";
import { loadConfigFile } from "../config/load";
import type { BridgeguardConfig } from "../config/types";
import { validateConfig } from "../config/validate";
import { allRuleMetas } from "../rules";

/** The configuration schema with the rule ids and slugs this build knows. */
export const CONFIG_SCHEMA = buildConfigSchema(allRuleMetas().flatMap((meta) => [meta.id, meta.slug]));

/** Loads `bridgeguard.yaml`, or the defaults when no file is given. */
export function loadConfig(file?: string): BridgeguardConfig {
  return file ? loadConfigFile(file, CONFIG_SCHEMA) : validateConfig({}, "(defaults)", CONFIG_SCHEMA);
}

/** Validates configuration that arrived as an object (Pulumi config, policy-pack config). */
export function parseConfig(value: unknown, where: string): BridgeguardConfig {
  return validateConfig(value, where, CONFIG_SCHEMA);
}
