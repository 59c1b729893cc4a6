import { registrationMissing } from "./BG101-registration-missing";
import { registrationMisplaced } from "./BG102-registration-misplaced";
import { registrationIdentityMismatch } from "./BG103-registration-identity-mismatch";
import { registrationLocation } from "./BG104-registration-location";
import { registrationPendingDeletion } from "./BG105-registration-pending-deletion";
import { registrationUnprotected } from "./BG106-registration-unprotected";
import { registrationNameUnconventional } from "./BG107-registration-name-unconventional";
import { timeSyncBlocked } from "./BG108-time-sync-blocked";
import { registrationPlannedRemoval } from "./BG109-registration-planned-removal";
import { usageEndpointBlocked } from "./BG201-usage-endpoint-blocked";
import { armEndpointBlocked } from "./BG202-arm-endpoint-blocked";
import { legacyUsageAllowList } from "./BG203-legacy-usage-allow-list";
import { dnsBlocked } from "./BG204-dns-blocked";
import { defaultRouteBlackHole } from "./BG205-default-route-black-hole";
import { explicitProxyOnly } from "./BG206-explicit-proxy-only";
import { threatIntelDeny } from "./BG207-threat-intel-deny";
import { idpsDeny } from "./BG208-idps-deny";
import { ruleValueInvalid } from "./BG209-rule-value-invalid";
import { loginEndpointBlocked } from "./BG301-login-endpoint-blocked";
import { forcedTunnel } from "./BG401-forced-tunnel";
import { tlsInspection } from "./BG501-tls-inspection";
import { probeRuleMetas } from "./probe";
import type { Rule, RuleMeta } from "./types";

export { PROBE_RULES, probeRuleMetas } from "./probe";

/** Every rule, in id order. Adding a rule means one file and one line here. */
export const ALL_RULES: readonly Rule[] = [
  registrationMissing,
  registrationMisplaced,
  registrationIdentityMismatch,
  registrationLocation,
  registrationPendingDeletion,
  registrationUnprotected,
  registrationNameUnconventional,
  timeSyncBlocked,
  usageEndpointBlocked,
  armEndpointBlocked,
  legacyUsageAllowList,
  dnsBlocked,
  defaultRouteBlackHole,
  explicitProxyOnly,
  threatIntelDeny,
  idpsDeny,
  ruleValueInvalid,
  loginEndpointBlocked,
  forcedTunnel,
  tlsInspection,
];

/**
 * The rules that read a preview's planned operations (`bridgeguard audit` of `pulumi preview --json`). Apart
 * from ALL_RULES: the policy pack and the program see no planned operations, so they have no such rule.
 */
export const PLAN_RULES: readonly Rule[] = [registrationPlannedRemoval];

/** What the audit runs: the static rules, then the plan rules (which find nothing in an input without a plan). */
export const AUDIT_RULES: readonly Rule[] = [...ALL_RULES, ...PLAN_RULES];

/** The metadata of the rules the audit runs (its SARIF rule list, its suppressions). */
export function auditRuleMetas(): RuleMeta[] {
  return AUDIT_RULES.map((rule) => rule.meta);
}

/** The static rules' metadata (audit, policy pack, program). */
export function ruleMetas(): RuleMeta[] {
  return ALL_RULES.map((rule) => rule.meta);
}

/** Every rule's metadata, static and probe: what `rules`, `explain`, the docs and `rules:` config know. */
export function allRuleMetas(): RuleMeta[] {
  return [...ruleMetas(), ...PLAN_RULES.map((rule) => rule.meta), ...probeRuleMetas()];
}

/** A rule by id (`BG201`) or slug (`usage-endpoint-blocked`), case-insensitive, static or probe. */
export function findRuleMeta(key: string): RuleMeta | undefined {
  const wanted = key.toLowerCase();
  return allRuleMetas().find((meta) => meta.id.toLowerCase() === wanted || meta.slug === wanted);
}

/** A static rule by id or slug. */
export function findRule(key: string): Rule | undefined {
  const meta = findRuleMeta(key);
  return AUDIT_RULES.find((rule) => rule.meta === meta);
}
