/**
 * The live lookups: one azure-native invoke per resource, each answering "found" (the flattened result)
 * or "not found / failed" (a safe summary of the error) and never rejecting, so that no lookup can leave
 * an unhandled rejection behind. `lookUpAll` follows the references the checks need: a firewall's
 * `firewallPolicy`, a policy's `basePolicy` up to the root (cycles stop), and every rule collection group
 * a policy lists.
 */
import * as pulumi from "@pulumi/pulumi";
import * as azurestack from "@pulumi/azure-native/azurestack";
import * as network from "@pulumi/azure-native/network";
import { Provider } from "@pulumi/azure-native/provider";
import type { CloudName } from "../catalog/clouds";
import type { BridgeguardConfig } from "../config/types";
import { nameAfter, parseArmId } from "../input/normalize/armId";
import { CONFIG_NAMESPACE, expectedRegistrationName, LOOKUP_KEYS, splitLookupId, type LookupKey } from "./config";
import { summarizeInvokeError, type InvokeErrorSummary } from "./errors";

export type LookupKind = "registration" | "azureFirewall" | "firewallPolicy" | "ruleCollectionGroup" | "networkSecurityGroup" | "routeTable";

/** The azure-native function behind each kind of lookup, as messages name it. */
export const LOOKUP_FUNCTION: Readonly<Record<LookupKind, string>> = {
  registration: "getRegistration",
  azureFirewall: "getAzureFirewall",
  firewallPolicy: "getFirewallPolicy",
  ruleCollectionGroup: "getFirewallPolicyRuleCollectionGroup",
  networkSecurityGroup: "getNetworkSecurityGroup",
  routeTable: "getRouteTable",
};

/** What to look up: a resource group and a name (a rule collection group also names its policy). */
export interface LookupTarget {
  resourceGroup: string;
  name: string;
  /** Rule collection groups only: the parent policy's name. */
  firewallPolicyName?: string;
}

/** `hub-network/hub-fw`; a rule collection group `hub-network/hub-policy/bridge-egress`. */
export function describeTarget(target: LookupTarget): string {
  return [target.resourceGroup, target.firewallPolicyName, target.name].filter((part): part is string => part !== undefined).join("/");
}

export type LookupOutcome = { found: true; result: Record<string, unknown> } | { found: false; error: InvokeErrorSummary };

/** A resource the program found, with why it looked it up (`bridgeguard:egress.firewalls[0]`, `basePolicy of ...`). */
export interface LookedUp {
  kind: LookupKind;
  target: LookupTarget;
  result: Record<string, unknown>;
  via: string;
}

/** A lookup that did not return the resource; for the registration a not-found is a finding instead. */
export interface LookupFailure {
  kind: LookupKind;
  /** `getAzureFirewall` */
  lookup: string;
  /** `hub-network/hub-fw` */
  target: string;
  /** The config key or reference that asked for it. */
  via: string;
  notFound: boolean;
  /** One safe line from Azure's answer. */
  reason: string;
  /** The ARM id, when a reference gave it (a policy's `ruleCollectionGroups[].id`). */
  id?: string;
}

async function settle(invoke: () => Promise<unknown>): Promise<LookupOutcome> {
  try {
    const result = await invoke();
    if (result === null || typeof result !== "object" || Array.isArray(result)) {
      return { found: false, error: { notFound: false, reason: "the invoke returned no resource" } };
    }
    return { found: true, result: result as Record<string, unknown> };
  } catch (error) {
    return { found: false, error: summarizeInvokeError(error) };
  }
}

// ---- one function per lookup ---------------------------------------------------------------------------

/** `azure-native:azurestack:getRegistration`, through `provider` (the registration's subscription). */
export function lookUpRegistration(target: LookupTarget, provider?: pulumi.ProviderResource): Promise<LookupOutcome> {
  return settle(() => azurestack.getRegistration({ resourceGroup: target.resourceGroup, registrationName: target.name }, provider ? { provider } : {}));
}

export function lookUpAzureFirewall(target: LookupTarget): Promise<LookupOutcome> {
  return settle(() => network.getAzureFirewall({ resourceGroupName: target.resourceGroup, azureFirewallName: target.name }));
}

export function lookUpFirewallPolicy(target: LookupTarget): Promise<LookupOutcome> {
  return settle(() => network.getFirewallPolicy({ resourceGroupName: target.resourceGroup, firewallPolicyName: target.name }));
}

export function lookUpRuleCollectionGroup(target: LookupTarget): Promise<LookupOutcome> {
  return settle(() =>
    network.getFirewallPolicyRuleCollectionGroup({
      resourceGroupName: target.resourceGroup,
      firewallPolicyName: target.firewallPolicyName ?? "",
      ruleCollectionGroupName: target.name,
    }),
  );
}

export function lookUpNetworkSecurityGroup(target: LookupTarget): Promise<LookupOutcome> {
  return settle(() => network.getNetworkSecurityGroup({ resourceGroupName: target.resourceGroup, networkSecurityGroupName: target.name }));
}

export function lookUpRouteTable(target: LookupTarget): Promise<LookupOutcome> {
  return settle(() => network.getRouteTable({ resourceGroupName: target.resourceGroup, routeTableName: target.name }));
}

const LOOK_UP: Readonly<Record<Exclude<LookupKind, "registration">, (target: LookupTarget) => Promise<LookupOutcome>>> = {
  azureFirewall: lookUpAzureFirewall,
  firewallPolicy: lookUpFirewallPolicy,
  ruleCollectionGroup: lookUpRuleCollectionGroup,
  networkSecurityGroup: lookUpNetworkSecurityGroup,
  routeTable: lookUpRouteTable,
};

// ---- the registration's provider -----------------------------------------------------------------------

/** azure-native's `environment` for each cloud (its Provider defaults to `public` when none is given). */
const ENVIRONMENT: Readonly<Record<CloudName, string>> = {
  AzureCloud: "public",
  AzureUSGovernment: "usgovernment",
  AzureChinaCloud: "china",
};

const PASS_THROUGH_STRINGS = ["tenantId", "clientId", "clientCertificatePath", "msiEndpoint", "oidcRequestUrl", "oidcTokenFilePath", "metadataHost", "partnerId"] as const;
const PASS_THROUGH_SECRETS = ["clientSecret", "clientCertificatePassword", "oidcToken", "oidcRequestToken"] as const;
const PASS_THROUGH_BOOLEANS = ["useMsi", "useOidc", "useDefaultAzureCredential", "disableInstanceDiscovery", "disablePulumiPartnerId"] as const;

export const REGISTRATION_PROVIDER_NAME = "bridgeguard-registration";

/**
 * The provider the registration is looked up through. azure-native invokes take no subscription: they
 * run in their provider's. When the default provider is configured for the registration's subscription
 * (`azure-native:subscriptionId`), it is used; otherwise an explicit provider targets
 * `registration.subscriptionId`, with the default provider's `azure-native:` settings (tenant, client,
 * MSI/OIDC, environment) passed on, since explicit providers do not read them. Credentials in
 * environment variables (`ARM_*`) and the Azure CLI login apply to both.
 */
export function registrationProvider(config: BridgeguardConfig): pulumi.ProviderResource | undefined {
  const subscriptionId = config.registration?.subscriptionId;
  if (subscriptionId === undefined) return undefined;
  const azure = new pulumi.Config("azure-native");
  const configured = azure.get("subscriptionId");
  if (configured !== undefined && configured.toLowerCase() === subscriptionId.toLowerCase()) return undefined;
  const args: Record<string, unknown> = { subscriptionId, environment: azure.get("environment") ?? ENVIRONMENT[config.cloud] };
  for (const key of PASS_THROUGH_STRINGS) {
    const value = azure.get(key);
    if (value !== undefined) args[key] = value;
  }
  for (const key of PASS_THROUGH_SECRETS) {
    const value = azure.getSecret(key);
    if (value !== undefined) args[key] = value;
  }
  for (const key of PASS_THROUGH_BOOLEANS) {
    const value = azure.getBoolean(key);
    if (value !== undefined) args[key] = value;
  }
  const auxiliaryTenantIds = azure.getObject<string[]>("auxiliaryTenantIds");
  if (auxiliaryTenantIds !== undefined) args.auxiliaryTenantIds = auxiliaryTenantIds;
  return new Provider(REGISTRATION_PROVIDER_NAME, args);
}

// ---- following references ------------------------------------------------------------------------------

/** The id of a `SubResource` (`{id}`): `firewallPolicy`, `basePolicy`, an item of `ruleCollectionGroups`. */
function subResourceId(ref: unknown): string | undefined {
  if (ref === null || typeof ref !== "object") return undefined;
  const id = (ref as Record<string, unknown>).id;
  return typeof id === "string" && id !== "" ? id : undefined;
}

function policyTarget(id: string): LookupTarget | undefined {
  const resourceGroup = parseArmId(id).resourceGroup;
  const name = nameAfter(id, "firewallPolicies");
  return resourceGroup && name ? { resourceGroup, name } : undefined;
}

function groupTarget(id: string): LookupTarget | undefined {
  const policy = policyTarget(id);
  const name = nameAfter(id, "ruleCollectionGroups");
  return policy && name ? { resourceGroup: policy.resourceGroup, firewallPolicyName: policy.name, name } : undefined;
}

/** Everything the program looked up, and what it could not. */
export interface Lookups {
  resources: LookedUp[];
  failures: LookupFailure[];
  /** `notFound`: the registration does not exist where the config says (BG101 reports it). */
  registration: "found" | "notFound" | "failed" | "notConfigured";
}

/**
 * Looks up the registration and every configured egress resource, following references, concurrently.
 * Each resource is looked up once however many references lead to it. Never rejects for a lookup's sake.
 */
export async function lookUpAll(config: BridgeguardConfig, provider?: pulumi.ProviderResource): Promise<Lookups> {
  const resources: LookedUp[] = [];
  const failures: LookupFailure[] = [];
  const seen = new Set<string>();
  const pending: Promise<void>[] = [];
  let registration: Lookups["registration"] = "notConfigured";

  const fail = (kind: LookupKind, target: LookupTarget, via: string, error: InvokeErrorSummary, id?: string) => {
    const failure: LookupFailure = { kind, lookup: LOOKUP_FUNCTION[kind], target: describeTarget(target), via, notFound: error.notFound, reason: error.reason };
    if (id !== undefined) failure.id = id;
    failures.push(failure);
  };

  const visit = (kind: Exclude<LookupKind, "registration">, target: LookupTarget, via: string, id?: string): void => {
    const key = `${kind}:${describeTarget(target).toLowerCase()}`;
    if (seen.has(key)) return; // already looked up (or under way): one lookup per resource, and cycles stop here
    seen.add(key);
    pending.push(
      LOOK_UP[kind](target).then((outcome) => {
        if (!outcome.found) return void fail(kind, target, via, outcome.error, id);
        resources.push({ kind, target, result: outcome.result, via });
        const self = `${LOOKUP_FUNCTION[kind]} ${describeTarget(target)}`;
        if (kind === "azureFirewall") {
          const policyId = subResourceId(outcome.result.firewallPolicy);
          const policy = policyId ? policyTarget(policyId) : undefined;
          if (policy) visit("firewallPolicy", policy, `firewallPolicy of ${self}`, policyId);
        } else if (kind === "firewallPolicy") {
          const baseId = subResourceId(outcome.result.basePolicy);
          const base = baseId ? policyTarget(baseId) : undefined;
          if (base) visit("firewallPolicy", base, `basePolicy of ${self}`, baseId);
          const groups = outcome.result.ruleCollectionGroups;
          for (const group of Array.isArray(groups) ? groups : []) {
            const id = subResourceId(group);
            const child = id ? groupTarget(id) : undefined;
            if (child) visit("ruleCollectionGroup", child, `ruleCollectionGroups of ${self}`, id);
          }
        }
      }),
    );
  };

  // By `registration.name`, or by the name registration tooling derives from `registration.cloudId`.
  const expected = config.registration;
  const registrationName = expected ? expectedRegistrationName(expected) : undefined;
  if (expected && registrationName !== undefined) {
    const target: LookupTarget = { resourceGroup: expected.resourceGroup, name: registrationName };
    pending.push(
      lookUpRegistration(target, provider).then((outcome) => {
        if (outcome.found) {
          registration = "found";
          resources.push({ kind: "registration", target, result: outcome.result, via: `${CONFIG_NAMESPACE}:registration` });
        } else if (outcome.error.notFound) {
          registration = "notFound";
        } else {
          registration = "failed";
          fail("registration", target, `${CONFIG_NAMESPACE}:registration`, outcome.error);
        }
      }),
    );
  }

  const configured: Record<LookupKey, Exclude<LookupKind, "registration">> = {
    firewalls: "azureFirewall",
    firewallPolicies: "firewallPolicy",
    networkSecurityGroups: "networkSecurityGroup",
    routeTables: "routeTable",
  };
  for (const key of LOOKUP_KEYS) {
    (config.egress[key] ?? []).forEach((id, index) => visit(configured[key], splitLookupId(id), `${CONFIG_NAMESPACE}:egress.${key}[${index}]`));
  }

  // Following a reference adds lookups while others are under way: wait until none is left.
  while (pending.length > 0) await Promise.all(pending.splice(0));
  return { resources, failures, registration };
}
