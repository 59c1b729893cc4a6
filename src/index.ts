/**
 * bridgeguard as a library: the engine (load resources, audit them, render reports), the endpoint
 * catalog and its allow-list renderings, and the `BridgeEgressRules` Pulumi component.
 *
 * Importing the package stays cheap: `@pulumi/pulumi` and `@pulumi/azure-native/network` (hundreds of
 * milliseconds to load) are required only when `BridgeEgressRules` is first used.
 */
import type * as Component from "./component/bridge-egress-rules";
import { requirePeers } from "./peer";

// ---- engine -----------------------------------------------------------------------------------------
export { auditResourceSet, buildReport, docsPath, runRules, toFinding } from "./engine/run";
export { evaluate, judge, runPipeline, type Evaluation, type JudgeOptions, type Judgement, type RunInput, type Subject } from "./engine/pipeline";
export { bridgeFlows, requiredEndpoints, type BridgeFlow } from "./analysis/flows";
export { loadConfig, parseConfig, CONFIG_SCHEMA } from "./engine/config";
export { loadResourceFile, normalizeArm, normalizePulumiResource, normalizeStackExport, InputError, type PulumiResourceInput } from "./input";
export { ALL_RULES, findRule } from "./rules";
export { egressGates, evaluateFirewallPolicy, evaluateClassicFirewall, evaluateNsgOutbound, type EgressGate, type Flow, type Verdict } from "./evaluate";
export { UserError, isUserError } from "./model/errors";
export { compareFindings, summarize } from "./model/finding";
export type { Finding, FindingEndpoint, Report, ReportSummary, Severity } from "./model/finding";
export type { AddRuleFix, ChangePropertyFix, FindingFix, FixApplicationRule, FixNetworkRule, FixRule, FixSecurityRule, FixValue } from "./model/fix";
export type { Resource, ResourceKind, ResourceRef, ResourceSet } from "./model/resource";
export type { BridgeguardConfig } from "./config/types";
export type { Rule, RuleMeta, Violation } from "./rules/types";

// ---- reports ----------------------------------------------------------------------------------------
export { renderReport, FORMATS, type OutputFormat, type RenderOptions } from "./report";

// ---- catalog and allow-list -------------------------------------------------------------------------
export { CATALOG_SOURCE, CATALOG_VERSION, catalogEndpoints, CONFIGURED_ENDPOINTS, type CatalogEndpoint } from "./catalog/endpoints";
export { CLOUDS, type CloudName } from "./catalog/clouds";
export { ERROR_CODES, ERROR_CODE_INFO, type ErrorCode } from "./catalog/codes";
export {
  buildAllowRuleSet,
  renderArm,
  renderPulumiSnippet,
  renderTlsBypass,
  ruleCollectionsJson,
  tlsBypassHosts,
  tlsBypassHostsFor,
  toArmRuleCollectionGroup,
  type AllowRuleSet,
  type AllowRuleSetInput,
  type ArmRuleCollectionGroup,
} from "./allowlist";

// ---- the Pulumi component (loaded on first use) -----------------------------------------------------
export type { BridgeEgressRulesArgs } from "./component/bridge-egress-rules";
export type BridgeEgressRules = Component.BridgeEgressRules;
export declare const BridgeEgressRules: typeof Component.BridgeEgressRules;

let component: typeof Component | undefined;
function loadComponent(): typeof Component {
  if (!component) requirePeers("the BridgeEgressRules component", ["@pulumi/pulumi", "@pulumi/azure-native"]);
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return (component ??= require("./component/bridge-egress-rules") as typeof Component);
}
// The plain assignment lets Node's ESM loader find the name among the CommonJS exports (cjs-module-lexer);
// the getter replaces it through an alias the lexer does not follow (it drops names with getters it cannot read).
exports.BridgeEgressRules = undefined;
const moduleExports: object = exports;
Object.defineProperty(moduleExports, "BridgeEgressRules", { enumerable: true, configurable: true, get: () => loadComponent().BridgeEgressRules });
