import type { CloudName } from "../catalog/clouds";
import type { ErrorCode } from "../catalog/codes";
import type { Severity } from "../model/finding";

export interface RegistrationExpectation {
  subscriptionId: string;
  /** Default `azurestack`, where registration tooling puts it. */
  resourceGroup: string;
  name?: string;
  cloudId?: string;
  objectId?: string;
}

export interface RuleSetting {
  enabled?: boolean;
  severity?: Severity;
}

/** `probe:` in `bridgeguard.yaml`: what the live-network probe needs beyond the catalog. */
export interface ProbeConfig {
  /** A concrete host per wildcard endpoint: `{ "*.trafficmanager.net": "<host>" }`. */
  hosts?: Record<string, string>;
  /** An explicit HTTP proxy (`http://[user:password@]host:port`); a secret when it carries a password. */
  proxy?: string;
  /** Whole-run deadline: `500ms`, `20s`, `2m`. */
  timeout?: string;
  concurrency?: number;
}

/** `suppressions[]` in `bridgeguard.yaml`: a finding a person has judged acceptable, and why. */
export interface SuppressionConfig {
  /** Rule id (`BG201`), slug (`usage-endpoint-blocked`) or error code (`NetworkError`). */
  rule: string;
  /** Resource URN, name, or a glob over either. */
  resource: string;
  justification: string;
  /** ISO date (`YYYY-MM-DD`, UTC) from which the suppression no longer applies. */
  expires?: string;
}

/** `failOn` / `--fail-on`: the lowest severity that fails the audit. */
export type FailOn = Severity | "none";

/** `bridgeguard.yaml` after validation and defaults: every front end reads this one shape. */
export interface BridgeguardConfig {
  cloud: CloudName;
  registration?: RegistrationExpectation;
  egress: {
    /** The public VIP /27 the bridge's traffic leaves from; absent means "not configured". */
    sourceAddresses?: string[];
    /**
     * The stamp's "Public infrastructure Network": identity (and Windows Defender) also leave the stamp from
     * it (the outbound table's Source Network column), so identity flows are checked from both ranges.
     * Optional; named after the documentation's own term.
     */
    publicInfrastructureAddresses?: string[];
    /** Names or URNs of the egress resources to evaluate; empty means all of them. */
    resources: string[];
    /** Verification program: the live resources to look up, each `<resourceGroup>/<name>`. */
    firewalls?: string[];
    firewallPolicies?: string[];
    networkSecurityGroups?: string[];
    routeTables?: string[];
  };
  timeServer?: string;
  dnsServers: string[];
  probe?: ProbeConfig;
  /** Keyed by rule id (`BG201`) or slug (`usage-endpoint-blocked`). */
  rules: Record<string, RuleSetting>;
  /** Per error code: severity of its rules' findings (a rule's own setting wins). */
  codes?: Partial<Record<ErrorCode, { severity?: Severity }>>;
  failOn?: FailOn;
  suppressions?: SuppressionConfig[];
}

export const DEFAULT_CONFIG: BridgeguardConfig = {
  cloud: "AzureCloud",
  egress: { resources: [] },
  dnsServers: [],
  rules: {},
};
