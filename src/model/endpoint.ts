/**
 * The shape of an outbound endpoint: why the stamp talks to it, on which ports, how much the bridge needs
 * it. The catalog (`catalog/endpoints.ts`) is the data in this shape; findings and probe observations name
 * endpoints in it.
 */
import type { ErrorCode } from "./codes";

/**
 * Why the stamp talks to an endpoint: one value per row of the source's outbound table (Identity, Usage,
 * ...). The first five (`usage`, `registration`, `identity`, `time`, `dns`) are what the usage bridge needs;
 * `usage-legacy` is the 05/2019 revision's usage host, kept as information only.
 */
export type EndpointPurpose =
  | "usage"
  | "usage-legacy"
  | "registration"
  | "identity"
  | "time"
  | "dns"
  | "marketplace"
  | "patch"
  | "defender"
  | "microsoft-crl"
  | "diagnostics"
  | "remote-support"
  | "telemetry";

export type EndpointProtocol = "https" | "http" | "udp" | "tcp";

export interface EndpointPort {
  port: number;
  protocol: EndpointProtocol;
}

/**
 * The source table's "Requirement" column as data:
 * - `mandatory`: "Mandatory for a connected deployment" (Identity);
 * - `required`: "Required" (NTP, DNS, your CRL);
 * - `conditional`: required only when `condition` holds ("Required for Azure Stack Hub consumption based
 *   licensing model", "Required when Azure Stack Hub telemetry is enabled", "... deployed using AD FS");
 * - `recommended`: "Not required. Highly recommended security best practice." (Microsoft CRL);
 * - `optional`: "Optional" (SYSLOG, AD FS metadata);
 * - `not-required`: "Not required", usually with a disconnected alternative (`alternative`);
 * - `legacy`: no longer in the table (the 05/2019 usage host): information only.
 */
export type RequirementLevel = "mandatory" | "required" | "conditional" | "recommended" | "optional" | "not-required" | "legacy";

/** When a `conditional` requirement holds. */
export type RequirementCondition = "consumption-billing" | "connected-registration" | "telemetry-enabled" | "adfs-identity";

export interface EndpointRequirement {
  level: RequirementLevel;
  condition?: RequirementCondition;
  /** The source's own words for the row's requirement. */
  text: string;
}

/** How a catalog endpoint is checked: `error` breaks usage reporting; `warning` may; `info` is listed only. */
export type CatalogSeverity = "error" | "warning" | "info";

/**
 * A concrete host under a wildcard endpoint that the documentation itself names (in this or another row):
 * the probe can test the path for names under the wildcard with it. It is never the usage service itself
 * (Microsoft publishes no usage host), so a probe of it says "representative".
 */
export interface RepresentativeHost {
  host: string;
  /** Where the documentation names it, e.g. `Remote support row`. */
  source: string;
}

/** One outbound destination of the stamp, as the catalog lists it. */
export interface CatalogEndpoint {
  /** A concrete host, or a wildcard (`*.trafficmanager.net`) that only an FQDN rule can allow. */
  host: string;
  /** A URL path, where the documentation names one (`aka.ms/azurestackautomaticupdate`). */
  path?: string;
  purpose: EndpointPurpose;
  /** The code the bridge reports when this endpoint cannot be reached. */
  code: ErrorCode;
  /** The row's requirement, as the source states it: it decides `required` and `severity`. */
  requirement: EndpointRequirement;
  /** From `requirement` and `purpose` (`checkOf`): `error` for what usage reporting needs. */
  severity: CatalogSeverity;
  /** Checked by default (the usage bridge needs it); others are listed by `endpoints --all`. */
  required: boolean;
  ports: EndpointPort[];
  /** Service tags whose address ranges contain this endpoint, beyond `Internet` and `AzureCloud`. */
  serviceTags: string[];
  /**
   * For a wildcard: documented concrete hosts under it the probe may use when none is configured. Empty
   * when the documentation names none (the probe then reports "not tested, pass --host-for").
   */
  representatives?: RepresentativeHost[];
  note?: string;
}
