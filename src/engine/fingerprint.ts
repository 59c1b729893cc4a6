/**
 * A finding's fingerprint: what makes it "the same finding" from one run to the next, for baselines and
 * for code scanning (SARIF `partialFingerprints`). A finding is a cause, so the fingerprint is the sha-256
 * of the rule id, the resource's URN, the code and the cause (`Finding.cause`), and of nothing else: a
 * reworded message, new evidence, another severity (an override), another order, or an endpoint more or
 * less broken by the same cause leave it unchanged.
 *
 * Version 1 (bridgeguard 0.1, one finding per endpoint) hashed rule id, URN and one endpoint; `v1Fingerprints`
 * recomputes those for a cause's endpoints, so that a baseline written then still matches (`baseline.ts`).
 */
import { createHash } from "node:crypto";
import type { Finding, FindingEndpoint } from "../model/finding";

/** The key under SARIF `partialFingerprints`; a change to what is hashed gets a new version. */
export const FINGERPRINT_KEY = "bridgeguard/v2";

/** The key of version 1 fingerprints (one per endpoint). */
export const FINGERPRINT_KEY_V1 = "bridgeguard/v1";

/** `host:port/protocol`, an endpoint as a baseline entry lists it. */
export function endpointKey(endpoint: Pick<FindingEndpoint, "host" | "port" | "protocol">): string {
  return `${endpoint.host}:${endpoint.port}/${endpoint.protocol}`;
}

function sha256(parts: readonly string[]): string {
  // NUL separators: no URN, host or cause contains one, so no two different tuples hash the same input.
  return createHash("sha256").update(parts.join("\u0000"), "utf8").digest("hex");
}

/** 64 lowercase hex digits. */
export function fingerprintOf(finding: Pick<Finding, "rule" | "resource" | "code" | "cause">): string {
  return sha256([FINGERPRINT_KEY, finding.rule.id, finding.resource.urn, finding.code, finding.cause ?? ""]);
}

/** The finding's own fingerprint, or the computed one when it was built without (tests, other producers). */
export function fingerprintFor(finding: Finding): string {
  return finding.fingerprint ?? fingerprintOf(finding);
}

/**
 * The version 1 fingerprints of a cause: one per endpoint (rule, URN, `host:port/protocol`), or the one of
 * a finding without endpoints. A baseline of version 1 accepts the cause when it lists every one of them.
 */
export function v1Fingerprints(finding: Pick<Finding, "rule" | "resource" | "endpoints">): string[] {
  const keys = finding.endpoints.length > 0 ? finding.endpoints.map(endpointKey) : [""];
  return [...new Set(keys)].map((key) => sha256([FINGERPRINT_KEY_V1, finding.rule.id, finding.resource.urn, key]));
}
