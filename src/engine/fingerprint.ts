/**
 * A finding's fingerprint: what makes it "the same finding" from one run to the next, for baselines and
 * for code scanning (SARIF `partialFingerprints`). It is the sha-256 of the rule id, the resource's URN and
 * the endpoint (`host:port/protocol`), and of nothing else: a reworded message, new evidence, another
 * severity (an override) or another order of resources or findings leave it unchanged.
 */
import { createHash } from "node:crypto";
import type { Finding, FindingEndpoint } from "../model/finding";

/** The key under SARIF `partialFingerprints`; a change to what is hashed gets a new version. */
export const FINGERPRINT_KEY = "bridgeguard/v1";

/** `host:port/protocol`, the endpoint's part of a fingerprint (and of a baseline entry). */
export function endpointKey(endpoint: Pick<FindingEndpoint, "host" | "port" | "protocol"> | null): string | null {
  return endpoint === null ? null : `${endpoint.host}:${endpoint.port}/${endpoint.protocol}`;
}

/** 64 lowercase hex digits. */
export function fingerprintOf(finding: Pick<Finding, "rule" | "resource" | "endpoint">): string {
  // NUL separators: no URN or host contains one, so no two different triples hash the same input.
  const input = [FINGERPRINT_KEY, finding.rule.id, finding.resource.urn, endpointKey(finding.endpoint) ?? ""].join("\u0000");
  return createHash("sha256").update(input, "utf8").digest("hex");
}

/** The finding's own fingerprint, or the computed one when it was built without (tests, other producers). */
export function fingerprintFor(finding: Finding): string {
  return finding.fingerprint ?? fingerprintOf(finding);
}
