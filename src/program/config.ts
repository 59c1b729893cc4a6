/**
 * The verification program's configuration: the `bridgeguard:` namespace of the stack's Pulumi config,
 * with the keys of `bridgeguard.yaml` (`cloud`, `registration`, `egress`, `timeServer`, `dnsServers`,
 * `rules`, `codes`, `failOn`, `suppressions`), validated by the engine's one schema and, for
 * suppressions, by the same checks as the audit's. Every problem is a `UserError` whose message starts
 * with the full key path, `bridgeguard:egress.firewalls[0]: expected <resourceGroup>/<name>, ...`.
 */
import * as pulumi from "@pulumi/pulumi";
import type { BridgeguardConfig, RegistrationExpectation } from "../config/types";
import { CONFIG_SCHEMA, parseConfig } from "../engine/config";
import { UserError } from "../model/errors";

export const CONFIG_NAMESPACE = "bridgeguard";

/** Where config errors say they come from before they are re-worded with the `bridgeguard:` prefix. */
const WHERE = "Pulumi config";

/** Whether the schema makes a key a mapping or a list: Pulumi hands those to the program as JSON text. */
function isStructured(key: string): boolean {
  const properties = CONFIG_SCHEMA.properties as Readonly<Record<string, { type?: string }>>;
  const type = Object.prototype.hasOwnProperty.call(properties, key) ? properties[key]?.type : undefined;
  return type === "object" || type === "array";
}

/** The `egress` keys that name live resources to look up. */
export const LOOKUP_KEYS = ["firewalls", "firewallPolicies", "networkSecurityGroups", "routeTables"] as const;
export type LookupKey = (typeof LOOKUP_KEYS)[number];

function decode(key: string, text: string): unknown {
  if (!isStructured(key)) return text;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    // Not JSON: a scalar where a mapping or list belongs. The schema says what was expected.
    return text;
  }
}

/**
 * Every `bridgeguard:` key of the stack's config, decoded. Keys are found through the whole config map
 * (not only the known ones read with `get`), so that a misspelt key fails instead of being ignored.
 */
export function readRawConfig(): Record<string, unknown> {
  const config = new pulumi.Config(CONFIG_NAMESPACE);
  const prefix = `${CONFIG_NAMESPACE}:`;
  const raw: Record<string, unknown> = {};
  for (const fullKey of Object.keys(pulumi.runtime.allConfig()).sort()) {
    if (!fullKey.startsWith(prefix)) continue;
    const key = fullKey.slice(prefix.length);
    const text = config.get(key);
    if (text !== undefined) raw[key] = decode(key, text);
  }
  return raw;
}

const LOOKUP_ITEM_PATH = new RegExp(`^egress\\.(${LOOKUP_KEYS.join("|")})\\[\\d+\\]$`);

/** A schema error, re-worded to name the Pulumi config key (`bridgeguard:<path>`). */
function programConfigError(error: UserError): UserError {
  const path = error.path ?? "(top level)";
  const prefix = `${WHERE}: ${path}: `;
  let problem = error.message.startsWith(prefix) ? error.message.slice(prefix.length) : error.message;
  if (LOOKUP_ITEM_PATH.test(path) && problem.startsWith("must match pattern")) {
    problem = "expected <resourceGroup>/<name>, such as hub-network/hub-fw";
  }
  const key = path === "(top level)" ? CONFIG_NAMESPACE : `${CONFIG_NAMESPACE}:${path}`;
  return new UserError(`${key}: ${problem}`, WHERE, key);
}

/**
 * The name the program looks the registration up by: `registration.name`, or else the name registration
 * tooling gives it, `AzureStack-<CloudId>` (the convention registration-name-unconventional checks), from
 * `registration.cloudId`. Undefined when neither is set.
 */
export function expectedRegistrationName(expected: Pick<RegistrationExpectation, "name" | "cloudId">): string | undefined {
  return expected.name ?? (expected.cloudId !== undefined ? `AzureStack-${expected.cloudId}` : undefined);
}

/**
 * Validates decoded `bridgeguard:` config with the engine's schema (defaults applied) and suppressions with
 * the audit's own checks, plus what only the program needs: a registration expectation must say which
 * registration to GET, by `name` or by `cloudId`. With only `cloudId`, the name is derived
 * (`AzureStack-<CloudId>`) and set, so that the rules check, and findings name, the registration that
 * was looked up.
 */
export function parseProgramConfig(raw: Record<string, unknown>): BridgeguardConfig {
  let config: BridgeguardConfig;
  try {
    config = parseConfig(raw, WHERE);
  } catch (error) {
    if (error instanceof UserError) throw programConfigError(error);
    throw error;
  }
  if (config.registration) {
    const name = expectedRegistrationName(config.registration);
    if (name === undefined) {
      throw new UserError(
        `${CONFIG_NAMESPACE}:registration: expected name or cloudId: the verification program looks the registration up by name, so it needs ` +
          `${CONFIG_NAMESPACE}:registration.name (the name shown in the administrator portal, Region management > Properties) ` +
          `or ${CONFIG_NAMESPACE}:registration.cloudId (the program then looks up AzureStack-<CloudId>)`,
        WHERE,
        `${CONFIG_NAMESPACE}:registration`,
      );
    }
    config.registration.name = name;
  }
  return config;
}

/** The stack's `bridgeguard:` config, validated. Throws a `UserError` naming the key. */
export function readProgramConfig(): BridgeguardConfig {
  return parseProgramConfig(readRawConfig());
}

/** `<resourceGroup>/<name>` split; the schema has checked the shape. */
export function splitLookupId(id: string): { resourceGroup: string; name: string } {
  const slash = id.indexOf("/");
  return { resourceGroup: id.slice(0, slash), name: id.slice(slash + 1) };
}
