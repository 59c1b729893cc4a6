/**
 * Baselines: the findings a team has accepted as they are today, so that CI fails only on new ones.
 *
 * `bridgeguard audit ... --create-baseline baseline.json` writes every unsuppressed finding's fingerprint;
 * `--baseline baseline.json` marks the findings whose fingerprint is listed `unchanged` (reported, not
 * failing) and the others `new`. The fingerprint (`fingerprint.ts`) is rule + resource + code + cause, so a
 * reworded message, a reordered export or one more endpoint broken by the same cause match the same entry.
 * The file lists rule, resource, cause and endpoints beside each fingerprint for the people who review it,
 * sorted, one entry per fingerprint, so that it diffs cleanly; only fingerprints are matched. Its schema is
 * `schemas/baseline.schema.json`.
 *
 * A baseline of schemaVersion 1 (one entry per endpoint) still loads: a cause is `unchanged` when every one
 * of its endpoints was listed for the same rule and resource (`v1Fingerprints`).
 */
import type { ErrorObject } from "ajv";
import { createAjv, describeAjvError, formatPath } from "../config/validate";
import { readJsonFile, type ReadOptions } from "../input/json";
import { UserError } from "../model/errors";
import type { Finding } from "../model/finding";
import baselineSchema from "../schemas/baseline.schema.json";
import { precompiledValidator } from "../schemas/precompiled";
import { TOOL_VERSION } from "../version";
import { endpointKey, fingerprintFor, v1Fingerprints } from "./fingerprint";

/** One accepted cause (schemaVersion 2). */
export interface BaselineEntry {
  fingerprint: string;
  /** `BG201 usage-endpoint-blocked`. */
  rule: string;
  /** The resource's URN. */
  resource: string;
  code: string;
  /** `Finding.cause`, or null. */
  cause: string | null;
  /** The endpoints the cause broke when the baseline was written, as `host:port/protocol`. */
  endpoints: string[];
}

/** One accepted finding of a version 1 baseline (one per endpoint). */
export interface BaselineEntryV1 {
  fingerprint: string;
  rule: string;
  resource: string;
  /** `host:port/protocol`, or null. */
  endpoint: string | null;
}

export type Baseline =
  | { schemaVersion: 2; tool: { name: "bridgeguard"; version: string }; fingerprints: BaselineEntry[] }
  | { schemaVersion: 1; tool: { name: "bridgeguard"; version: string }; fingerprints: BaselineEntryV1[] };

/** The baseline of `findings`: one entry per fingerprint, ordered by resource, rule, endpoint. */
export function createBaseline(findings: readonly Finding[]): Baseline & { schemaVersion: 2 } {
  const entries = new Map<string, BaselineEntry>();
  for (const f of findings) {
    const fingerprint = fingerprintFor(f);
    const endpoints = f.endpoints.map(endpointKey);
    const entry = entries.get(fingerprint);
    if (entry) {
      for (const e of endpoints) if (!entry.endpoints.includes(e)) entry.endpoints.push(e);
      continue;
    }
    entries.set(fingerprint, { fingerprint, rule: `${f.rule.id} ${f.rule.slug}`, resource: f.resource.urn, code: f.code, cause: f.cause ?? null, endpoints });
  }
  const fingerprints = [...entries.values()].sort(
    (a, b) =>
      a.resource.localeCompare(b.resource) ||
      a.rule.localeCompare(b.rule) ||
      a.code.localeCompare(b.code) ||
      (a.cause ?? "").localeCompare(b.cause ?? "") ||
      a.fingerprint.localeCompare(b.fingerprint),
  );
  return { schemaVersion: 2, tool: { name: "bridgeguard", version: TOOL_VERSION }, fingerprints };
}

/** Pretty JSON, ending with a newline. */
export function renderBaseline(baseline: Baseline): string {
  return `${JSON.stringify(baseline, null, 2)}\n`;
}

let validator: ReturnType<ReturnType<typeof createAjv>["compile"]> | undefined;

function describe(error: ErrorObject): { path: string; problem: string } {
  const path = formatPath(
    error.instancePath
      .split("/")
      .slice(1)
      .map((s) => s.replace(/~1/g, "/").replace(/~0/g, "~")),
  );
  if (error.keyword === "pattern" && error.instancePath.endsWith("/fingerprint")) return { path, problem: "expected 64 lowercase hex digits (a sha-256)" };
  if (error.keyword === "const") return { path, problem: `expected ${JSON.stringify((error.params as { allowedValue: unknown }).allowedValue)}` };
  if (error.keyword === "enum" && error.instancePath === "/schemaVersion") return { path, problem: "expected 1 or 2 (a baseline of another bridgeguard version: recreate it with --create-baseline)" };
  return describeAjvError(error);
}

/** Checks a parsed baseline against its schema; a UserError names `file` and the path inside it. */
export function parseBaseline(value: unknown, file: string): Baseline {
  validator ??= precompiledValidator("baseline", baselineSchema) ?? createAjv().compile(baselineSchema);
  if (!validator(value)) {
    const first = validator.errors?.[0];
    const { path, problem } = first ? describe(first) : { path: "(top level)", problem: "is invalid" };
    throw UserError.at(file, path, `${problem} (not a bridgeguard baseline? create one with --create-baseline)`);
  }
  return value as Baseline;
}

/** Reads and checks a baseline file, no larger than `read.maxBytes` (`--max-input-size`) like every input. */
export function loadBaselineFile(file: string, read: ReadOptions = {}): Baseline {
  return parseBaseline(readJsonFile(file, read), file);
}

/** Each finding with `baselineState`: `unchanged` when its fingerprint is in the baseline, `new` otherwise. */
export function applyBaseline(findings: readonly Finding[], baseline: Baseline): Finding[] {
  const known = new Set<string>(baseline.fingerprints.map((entry) => entry.fingerprint));
  const isKnown =
    baseline.schemaVersion === 1 ? (f: Finding) => v1Fingerprints(f).every((fp) => known.has(fp)) : (f: Finding) => known.has(fingerprintFor(f));
  return findings.map((f) => ({ ...f, baselineState: isKnown(f) ? "unchanged" : "new" }));
}
