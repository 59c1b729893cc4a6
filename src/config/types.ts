import type { CloudName } from "../catalog/clouds";
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

/** `bridgeguard.yaml` after validation and defaults: every front end reads this one shape. */
export interface BridgeguardConfig {
  cloud: CloudName;
  registration?: RegistrationExpectation;
  egress: {
    /** The public VIP /27 the bridge's traffic leaves from; absent means "not configured". */
    sourceAddresses?: string[];
    /** Names or URNs of the egress resources to evaluate; empty means all of them. */
    resources: string[];
  };
  timeServer?: string;
  dnsServers: string[];
  /** Keyed by rule id (`BG201`) or slug (`usage-endpoint-blocked`). */
  rules: Record<string, RuleSetting>;
}

export const DEFAULT_CONFIG: BridgeguardConfig = {
  cloud: "AzureCloud",
  egress: { resources: [] },
  dnsServers: [],
  rules: {},
};
