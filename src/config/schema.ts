import { CLOUDS } from "../catalog/clouds";
import { ERROR_CODES } from "../catalog/codes";

/**
 * The one JSON Schema of bridgeguard's configuration. `bridgeguard.yaml` (CLI), Pulumi config (program)
 * and policy-pack config (pack) are all validated against it; the pack derives its per-policy schemas
 * from it. `ruleKeys` are the rule ids and slugs that `rules:` may name.
 */
export function buildConfigSchema(ruleKeys: readonly string[]) {
  const guid = { type: "string", format: "uuid", description: "a GUID" } as const;
  /** `<resourceGroup>/<name>` of a live resource the verification program looks up. */
  const lookupIds = {
    type: "array",
    items: { type: "string", pattern: "^[^/\\s]+/[^/\\s]+$", description: "<resourceGroup>/<name>, such as hub-network/hub-fw" },
  } as const;
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
          publicInfrastructureAddresses: {
            type: "array",
            minItems: 1,
            items: { type: "string", format: "ip-or-cidr" },
            description:
              "Optional: the stamp's Public infrastructure Network (CIDR). Identity also leaves the stamp from it (the outbound table's Source Network column), so identity flows are checked from it and the public VIP range both.",
          },
          resources: {
            type: "array",
            default: [],
            items: { type: "string", minLength: 1 },
            description: "Names or URNs of the firewalls, policies and NSGs to evaluate; empty means all.",
          },
          // The verification program looks these live resources up, each as `<resourceGroup>/<name>`.
          firewalls: { ...lookupIds, description: "Azure Firewalls to look up (program), as <resourceGroup>/<name>." },
          firewallPolicies: { ...lookupIds, description: "Firewall policies to look up (program), as <resourceGroup>/<name>." },
          networkSecurityGroups: { ...lookupIds, description: "NSGs to look up (program), as <resourceGroup>/<name>." },
          routeTables: { ...lookupIds, description: "Route tables to look up (program), as <resourceGroup>/<name>." },
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
        items: { type: "string", format: "host-or-ip" },
        description: "The deployment's DNS servers (addresses, or host names: a rule's addresses cannot be matched to a name, so those verdicts are undetermined).",
      },
      probe: {
        type: "object",
        additionalProperties: false,
        description: "The live-network probe (`bridgeguard probe`).",
        properties: {
          hosts: {
            type: "object",
            description: "A concrete host to test for each wildcard endpoint (`*.trafficmanager.net: <host>`).",
            additionalProperties: { type: "string", minLength: 1 },
          },
          proxy: {
            type: "string",
            minLength: 1,
            description: "An explicit HTTP proxy to probe through (http://[user:password@]host:port); prefer HTTPS_PROXY to keep a password out of the file.",
          },
          timeout: {
            type: "string",
            pattern: "^[0-9]+(\\.[0-9]+)?(ms|s|m)?$",
            description: "Deadline of the whole probe run: 500ms, 20s, 2m.",
          },
          concurrency: {
            type: "integer",
            minimum: 1,
            maximum: 256,
            description: "Endpoints probed at once.",
          },
        },
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
      // CI at scale (docs/ci-at-scale.md): per-code severity, the exit-code gate, suppressions.
      codes: {
        type: "object",
        additionalProperties: false,
        description: "Per error code: severity of its rules' findings. A rule's own `rules.<id|slug>.severity` wins over its code's.",
        properties: Object.fromEntries(
          ERROR_CODES.map((code) => [
            code,
            { type: "object", additionalProperties: false, properties: { severity: { type: "string", enum: ["error", "warning"] } } },
          ]),
        ),
      },
      failOn: {
        type: "string",
        enum: ["error", "warning", "none"],
        description: "Lowest severity that fails the audit (exit 1); `--fail-on` wins. Default error.",
      },
      suppressions: {
        type: "array",
        description: "Findings a person has judged acceptable: still reported (as suppressed), never failing the run.",
        items: {
          type: "object",
          additionalProperties: false,
          required: ["rule", "resource", "justification"],
          properties: {
            rule: { type: "string", minLength: 1, description: "Rule id (BG201), slug (usage-endpoint-blocked) or error code (NetworkError)." },
            resource: { type: "string", minLength: 1, description: "Resource URN, name, or a glob over either (`*` matches any characters)." },
            justification: { type: "string", minLength: 1, description: "Why the finding is acceptable, and who said so." },
            expires: {
              type: "string",
              pattern: "^[0-9]{4}-[0-9]{2}-[0-9]{2}$",
              description: "ISO date (YYYY-MM-DD, UTC) from which the suppression no longer applies.",
            },
          },
        },
      },
    },
  } as const;
}
