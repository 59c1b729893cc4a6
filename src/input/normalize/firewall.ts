import type { AzureFirewall, FirewallPolicy, IdpsBypass, IdpsSignatureOverride, RuleCollectionGroup } from "../../model/resource";
import { canonical, isPresent, readBoolean, readInteger, readObject, readObjectArray, readString, readStringArray, type Node, type ReadContext } from "../values";
import { idPrefixThrough, nameAfter } from "./armId";
import { baseOf, withBase, required, type SourceResource } from "./common";
import { classicCollections, policyCollections, UNKNOWN_PRIORITY } from "./rules";

/** `azure-native:network:AzureFirewall` / `Microsoft.Network/azureFirewalls`. */
export function normalizeAzureFirewall(src: SourceResource): AzureFirewall {
  const { ctx, node } = src;
  const fw = withBase<AzureFirewall>(baseOf(src), {
    kind: "azureFirewall",
    privateIpAddresses: [],
    applicationRuleCollections: [],
    networkRuleCollections: [],
    natRuleCollections: [],
  });
  const sku = readObject(ctx, node, "sku");
  const skuTier = sku ? readString(ctx, sku, "tier") : undefined;
  if (skuTier !== undefined) fw.skuTier = skuTier;
  const threatIntelMode = readString(ctx, node, "threatIntelMode");
  if (threatIntelMode !== undefined) fw.threatIntelMode = threatIntelMode;
  const policy = readObject(ctx, node, "firewallPolicy");
  const policyId = policy ? readString(ctx, policy, "id") : undefined;
  if (policyId !== undefined) fw.firewallPolicyId = policyId;

  // Forced-tunnel routes point at these: the VNet firewall's IP configurations, or a hub firewall's
  // `hubIPAddresses.privateIPAddress` (AzureFirewallIPConfigurationResponse, HubIPAddressesResponse).
  const ips: string[] = [];
  for (const ipc of readObjectArray(ctx, node, "ipConfigurations") ?? []) {
    const ip = readString(ctx, ipc, "privateIPAddress");
    if (ip !== undefined && !ips.includes(ip)) ips.push(ip);
  }
  const hub = readObject(ctx, node, "hubIPAddresses");
  const hubIp = hub ? readString(ctx, hub, "privateIPAddress") : undefined;
  if (hubIp !== undefined && !ips.includes(hubIp)) ips.push(hubIp);
  fw.privateIpAddresses = ips;

  readAdditionalProperties(ctx, node, fw);

  fw.applicationRuleCollections = classicCollections(ctx, node, "applicationRuleCollections", "application");
  fw.networkRuleCollections = classicCollections(ctx, node, "networkRuleCollections", "network");
  fw.natRuleCollections = classicCollections(ctx, node, "natRuleCollections", "nat");
  return fw;
}

/** A comma-separated list as `az network firewall threat-intel-allowlist` writes it (`"a.com, *.b.com"`). */
function commaList(value: string): string[] {
  return value
    .split(",")
    .map((v) => v.trim())
    .filter((v) => v !== "");
}

/**
 * The settings a firewall without policy keeps in `additionalProperties` (a string map): DNS proxy
 * (`"Network.DNS.EnableProxy": "true"`; the Azure CLI writes it lower-case) and the threat-intel allow list.
 */
function readAdditionalProperties(ctx: ReadContext, node: Node, fw: AzureFirewall): void {
  const extra = readObject(ctx, node, "additionalProperties");
  if (!extra) return;
  const proxy = readString(ctx, extra, "Network.DNS.EnableProxy");
  if (proxy !== undefined) fw.dnsProxyEnabled = proxy.trim().toLowerCase() === "true";
  const fqdns = readString(ctx, extra, "ThreatIntel.Whitelist.FQDNs");
  if (fqdns !== undefined) fw.threatIntelWhitelistFqdns = commaList(fqdns);
  const ips = readString(ctx, extra, "ThreatIntel.Whitelist.IpAddresses");
  if (ips !== undefined) fw.threatIntelWhitelistIpAddresses = commaList(ips);
}

const BYPASS_PROTOCOLS = ["TCP", "UDP", "ICMP", "ANY"] as const;
const IDPS_MODES = ["Off", "Alert", "Deny"] as const;

/** `intrusionDetection.configuration`: bypass entries and signature overrides (FirewallPolicyIntrusionDetectionConfiguration). */
function readIdpsConfiguration(ctx: ReadContext, ids: Node, p: FirewallPolicy): void {
  const configuration = readObject(ctx, ids, "configuration");
  if (!configuration) return;
  const bypass = readObjectArray(ctx, configuration, "bypassTrafficSettings");
  if (bypass) {
    p.idpsBypass = bypass.map(
      (b): IdpsBypass => ({
        name: readString(ctx, b, "name") ?? "",
        protocol: canonical(readString(ctx, b, "protocol") ?? "ANY", BYPASS_PROTOCOLS),
        sourceAddresses: readStringArray(ctx, b, "sourceAddresses") ?? [],
        sourceIpGroups: readStringArray(ctx, b, "sourceIpGroups") ?? [],
        destinationAddresses: readStringArray(ctx, b, "destinationAddresses") ?? [],
        destinationIpGroups: readStringArray(ctx, b, "destinationIpGroups") ?? [],
        destinationPorts: readStringArray(ctx, b, "destinationPorts") ?? [],
      }),
    );
  }
  const overrides = readObjectArray(ctx, configuration, "signatureOverrides");
  if (overrides) {
    p.idpsSignatureOverrides = overrides.map(
      (o): IdpsSignatureOverride => ({ id: readString(ctx, o, "id") ?? "", mode: canonical(readString(ctx, o, "mode") ?? "", IDPS_MODES) }),
    );
  }
}

/** `azure-native:network:FirewallPolicy` / `Microsoft.Network/firewallPolicies`. */
export function normalizeFirewallPolicy(src: SourceResource): FirewallPolicy {
  const { ctx, node } = src;
  const p = withBase<FirewallPolicy>(baseOf(src), {
    kind: "firewallPolicy",
    threatIntelWhitelistFqdns: [],
    threatIntelWhitelistIpAddresses: [],
    explicitProxyEnabled: false,
    hasTlsInspectionCertificate: false,
  });
  const sku = readObject(ctx, node, "sku");
  const skuTier = sku ? readString(ctx, sku, "tier") : undefined;
  if (skuTier !== undefined) p.skuTier = skuTier;
  const base = readObject(ctx, node, "basePolicy");
  const basePolicyId = base ? readString(ctx, base, "id") : undefined;
  if (basePolicyId !== undefined) p.basePolicyId = basePolicyId;
  const threatIntelMode = readString(ctx, node, "threatIntelMode");
  if (threatIntelMode !== undefined) p.threatIntelMode = threatIntelMode;
  const whitelist = readObject(ctx, node, "threatIntelWhitelist");
  if (whitelist) {
    p.threatIntelWhitelistFqdns = readStringArray(ctx, whitelist, "fqdns") ?? [];
    p.threatIntelWhitelistIpAddresses = readStringArray(ctx, whitelist, "ipAddresses") ?? [];
  }
  const proxy = readObject(ctx, node, "explicitProxy");
  p.explicitProxyEnabled = (proxy ? readBoolean(ctx, proxy, "enableExplicitProxy") : undefined) ?? false;
  const ids = readObject(ctx, node, "intrusionDetection");
  const idsMode = ids ? readString(ctx, ids, "mode") : undefined;
  if (idsMode !== undefined) p.intrusionDetectionMode = idsMode;
  if (ids) readIdpsConfiguration(ctx, ids, p);
  const dns = readObject(ctx, node, "dnsSettings");
  const dnsProxy = dns ? readBoolean(ctx, dns, "enableProxy") : undefined;
  if (dnsProxy !== undefined) p.dnsProxyEnabled = dnsProxy;
  // The CA certificate (a Key Vault secret id) is what lets a Premium policy terminate TLS. Its
  // presence is all that matters; an unknown or secret value is recorded by readObject.
  const tls = readObject(ctx, node, "transportSecurity");
  if (tls && isPresent(tls, "certificateAuthority")) {
    p.hasTlsInspectionCertificate = readObject(ctx, tls, "certificateAuthority") !== undefined;
  }
  return p;
}

/**
 * `azure-native:network:FirewallPolicyRuleCollectionGroup` / `Microsoft.Network/firewallPolicies/ruleCollectionGroups`.
 * The parent policy is named by the `firewallPolicyName` input, and is the prefix of the group's id
 * (`.../firewallPolicies/{policy}/ruleCollectionGroups/{group}`); for a planned group the policy's id is
 * built from the name, the resource group and the provider's subscription when all three are known.
 */
export function normalizeRuleCollectionGroup(src: SourceResource): RuleCollectionGroup {
  const { ctx, node } = src;
  const base = baseOf(src);
  const g = withBase<RuleCollectionGroup>(base, {
    kind: "ruleCollectionGroup",
    priority: required(ctx, node, "priority", readInteger(ctx, node, "priority"), UNKNOWN_PRIORITY),
    ruleCollections: policyCollections(ctx, node),
  });
  const fromId = src.armId ? idPrefixThrough(src.armId, "firewallPolicies") : undefined;
  const name =
    (src.armId ? nameAfter(src.armId, "firewallPolicies") : undefined) ?? readString(ctx, node, "firewallPolicyName") ?? templateParentName(src);
  if (name !== undefined) g.firewallPolicyName = name;
  const policyId =
    fromId ??
    (name !== undefined && base.subscriptionId !== undefined && base.resourceGroup !== undefined
      ? `/subscriptions/${base.subscriptionId}/resourceGroups/${base.resourceGroup}/providers/Microsoft.Network/firewallPolicies/${name}`
      : undefined);
  if (policyId !== undefined) g.firewallPolicyId = policyId;
  return g;
}

/**
 * An ARM template names a child resource `<parent>/<child>` and gives it no id (the rule collection group
 * `bridgeguard endpoints --format azure-firewall-policy` writes): the parent policy is the first segment.
 */
function templateParentName(src: SourceResource): string | undefined {
  if (src.armId !== undefined || !/^microsoft\.network\//i.test(src.ref.type)) return undefined;
  const parts = src.ref.name.split("/");
  return parts.length === 2 && parts[0] !== "" && parts[1] !== "" ? parts[0] : undefined;
}
