import type { Command } from "commander";
import type { CloudName } from "../catalog/clouds";
import { loadConfig } from "../engine/config";
import { policyPackConfig } from "../pack/config";
import { resolveConfigFile, type ConfigFlag } from "./config-file";
import { checkOutputsAreNotInputs } from "./file-identity";
import { writeOutput } from "./io";
import { cloudOption } from "./options";

interface PolicyConfigOptions {
  config?: ConfigFlag;
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
    .option("-c, --config <file>", "bridgeguard.yaml to translate (default: bridgeguard.yaml in the working directory or a parent up to the repository root, else the built-in defaults)")
    .option("--no-config", "translate the built-in defaults, not even a bridgeguard.yaml found in the working directory")
    .addOption(cloudOption())
    .option("-o, --output <file>", "write the JSON to a file instead of stdout (written whole or not at all)")
    .action((options: PolicyConfigOptions) => {
      const configFile = resolveConfigFile(options.config);
      if (options.output !== undefined && configFile !== undefined) {
        checkOutputsAreNotInputs([{ file: options.output, flag: "--output" }], [{ file: configFile, role: "--config" }]);
      }
      const config = loadConfig(configFile);
      if (options.cloud) config.cloud = options.cloud;
      writeOutput(JSON.stringify(policyPackConfig(config), null, 2), options.output, "the policy pack configuration");
    });
}
