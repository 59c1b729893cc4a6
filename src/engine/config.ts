import { buildConfigSchema } from "../config/schema";
import { loadConfigFile } from "../config/load";
import type { BridgeguardConfig } from "../config/types";
import { validateConfig } from "../config/validate";
import { allRuleMetas } from "../rules";
import { checkSuppressions } from "./suppressions";

/** The configuration schema with the rule ids and slugs this build knows. */
export const CONFIG_SCHEMA = buildConfigSchema(allRuleMetas().flatMap((meta) => [meta.id, meta.slug]));

/**
 * Loads `bridgeguard.yaml`, or the defaults when no file is given: the schema, then what it cannot say
 * about suppressions (a rule of this build, any front end's: one file serves the audit and the probe).
 */
export function loadConfig(file?: string): BridgeguardConfig {
  if (!file) return validateConfig({}, "(defaults)", CONFIG_SCHEMA);
  const config = loadConfigFile(file, CONFIG_SCHEMA);
  checkSuppressions(config.suppressions, file, allRuleMetas());
  return config;
}

/** Validates configuration that arrived as an object (Pulumi config, policy-pack config), suppressions included. */
export function parseConfig(value: unknown, where: string): BridgeguardConfig {
  const config = validateConfig(value, where, CONFIG_SCHEMA);
  checkSuppressions(config.suppressions, where, allRuleMetas());
  return config;
}
