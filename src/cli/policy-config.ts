import type { Command } from "commander";
import type { CloudName } from "../catalog/clouds";
import { loadConfig } from "../engine/config";
import { policyPackConfig } from "../pack/config";
import { writeOutput } from "./io";
import { cloudOption } from "./options";

interface PolicyConfigOptions {
  config?: string;
  cloud?: CloudName;
  output?: string;
}

/**
 * `bridgeguard policy-config --config bridgeguard.yaml`: the `--policy-pack-config` JSON for the policy
 * pack, so that one file configures both. Each policy, keyed by its name (the rule id, `BG201`), gets the
 * shared configuration and an `enforcementLevel` from `rules:` (`enabled: false` → disabled,
 * `severity: warning` → advisory, `error` → mandatory; otherwise the rule's default).
 */
export function registerPolicyConfig(program: Command): void {
  program
    .command("policy-config")
    .description("print the --policy-pack-config JSON that configures the policy pack like bridgeguard.yaml configures the audit")
    .option("-c, --config <file>", "bridgeguard.yaml to translate (default: the built-in defaults)")
    .addOption(cloudOption())
    .option("-o, --output <file>", "write the JSON to a file instead of stdout")
    .action((options: PolicyConfigOptions) => {
      const config = loadConfig(options.config);
      if (options.cloud) config.cloud = options.cloud;
      writeOutput(JSON.stringify(policyPackConfig(config), null, 2), options.output);
    });
}
