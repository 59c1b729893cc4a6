/** The bridge's allow-list as firewall rules: one model (`buildAllowRuleSet`), several renderings. */
export {
  allRules,
  APPLICATION_COLLECTION,
  applicationRuleFor,
  buildAllowRuleSet,
  DEFAULT_GROUP_NAME,
  DEFAULT_GROUP_PRIORITY,
  isAzureName,
  MAX_PRIORITY,
  MIN_PRIORITY,
  NETWORK_COLLECTION,
  networkRuleFor,
  ruleNameOf,
  splitServers,
  tlsBypassHosts,
  tlsBypassHostsFor,
  type AllowApplicationRule,
  type AllowCollection,
  type AllowNetworkRule,
  type AllowRule,
  type AllowRuleSet,
  type AllowRuleSetInput,
} from "./rule-collection-group";
export {
  renderArm,
  ruleCollectionsJson,
  toArmRuleCollectionGroup,
  RULE_COLLECTION_GROUP_API_VERSION,
  RULE_COLLECTION_GROUP_TYPE,
  type ArmRuleCollectionGroup,
  type ApplicationRuleJson,
  type FilterRuleCollectionJson,
  type NetworkRuleJson,
} from "./arm";
export { renderPulumiSnippet, type PulumiSnippetOptions } from "./pulumi-snippet";

/** The TLS-bypass list: one host per line, ending with a newline. */
export function renderTlsBypass(hosts: readonly string[]): string {
  return hosts.length === 0 ? "" : `${hosts.join("\n")}\n`;
}
