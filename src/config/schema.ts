import { CLOUDS } from "../catalog/clouds";

/**
 * The one JSON Schema of bridgeguard's configuration. `bridgeguard.yaml` (CLI), Pulumi config (program)
 * and policy-pack config (pack) are all validated against it; the pack derives its per-policy schemas
 * from it. `ruleKeys` are the rule ids and slugs that `rules:` may name.
 */
export function buildConfigSchema(ruleKeys: readonly string[]) {
  const guid = { type: "string", format: "uuid", description: "a GUID" } as const;
  return {
    $id: "urn:bridgeguard:schemas:config",
    type: "object",
    additionalProperties: false,
    properties: {
      cloud: {
        type: "string",
        enum: [...CLOUDS],
        default: "AzureCloud",
        description: "The Azure cloud the stamp registers with.",
      },
      registration: {
        type: "object",
        additionalProperties: false,
        required: ["subscriptionId"],
        description: "Where the registration resource must be, and what it must say.",
        properties: {
          subscriptionId: { ...guid, description: "Subscription that holds the registration." },
          resourceGroup: {
            type: "string",
            minLength: 1,
            maxLength: 90,
            default: "azurestack",
            description: "Resource group of the registration (registration tooling defaults to azurestack).",
          },
          name: {
            type: "string",
            minLength: 1,
            description: "Registration name, conventionally AzureStack-<CloudId>.",
          },
          cloudId: { ...guid, description: "The stamp's CloudId (Region management > Properties)." },
          objectId: { ...guid, description: "The registration's objectId." },
        },
      },
      egress: {
        type: "object",
        additionalProperties: false,
        default: {},
        properties: {
          sourceAddresses: {
            type: "array",
            minItems: 1,
            items: { type: "string", format: "ip-or-cidr" },
            description: "The public VIP /27 (CIDR) the bridge's traffic leaves from.",
          },
          resources: {
            type: "array",
            default: [],
            items: { type: "string", minLength: 1 },
            description: "Names or URNs of the firewalls, policies and NSGs to evaluate; empty means all.",
          },
        },
      },
      timeServer: {
        type: "string",
        format: "host-or-ip",
        description: "The deployment's NTP server (host or address).",
      },
      dnsServers: {
        type: "array",
        default: [],
        items: { type: "string", format: "ip" },
        description: "The deployment's DNS servers.",
      },
      rules: {
        type: "object",
        default: {},
        description: "Per rule id or slug: enabled, severity.",
        propertyNames: { enum: [...ruleKeys] },
        additionalProperties: {
          type: "object",
          additionalProperties: false,
          properties: {
            enabled: { type: "boolean" },
            severity: { type: "string", enum: ["error", "warning"] },
          },
        },
      },
    },
  } as const;
}
