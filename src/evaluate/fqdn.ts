/**
 * Azure Firewall application-rule FQDN semantics (resources.md, "FQDN wildcards"): `*` only at the far
 * left; `*.x.com` matches any depth of subdomain but not `x.com`; `*x.com` is a plain suffix (also
 * `evilx.com` and `x.com`); `*` alone matches everything; case-insensitive; any other `*` is invalid.
 */
import { anyOfEach, noBecause } from "./match";
import { memoizeString } from "./memo";
import { maybe, NO, YES, type Match } from "./types";

export type FqdnPattern =
  | { kind: "any" }
  /** `*.x.com`: every name strictly under `x.com`. */
  | { kind: "subdomains"; base: string; dotBase: string }
  /** `*x.com`: every name ending in `x.com`. */
  | { kind: "suffix"; suffix: string }
  | { kind: "exact"; host: string }
  | { kind: "invalid"; why: string };

function normalize(name: string): string {
  return name.trim().toLowerCase().replace(/\.$/, "");
}

export const parseFqdnPattern = memoizeString(parseFqdnPatternUncached);

function parseFqdnPatternUncached(raw: string): FqdnPattern {
  const pattern = normalize(raw);
  if (pattern === "*") return { kind: "any" };
  if (pattern === "") return { kind: "invalid", why: "it is empty" };
  if (pattern.lastIndexOf("*") > 0) return { kind: "invalid", why: 'Azure Firewall accepts "*" only at the far left' };
  if (!pattern.startsWith("*")) return { kind: "exact", host: pattern };
  if (pattern.startsWith("*.")) return pattern.length > 2 ? { kind: "subdomains", base: pattern.slice(2), dotBase: pattern.slice(1) } : { kind: "invalid", why: "it names no domain" };
  return { kind: "suffix", suffix: pattern.slice(1) };
}

/** Does the pattern allow this concrete host? */
function allowsHost(pattern: FqdnPattern, host: string): boolean {
  switch (pattern.kind) {
    case "any":
      return true;
    case "exact":
      return host === pattern.host;
    case "subdomains":
      return host.endsWith(pattern.dotBase);
    case "suffix":
      return host.endsWith(pattern.suffix);
    case "invalid":
      return false;
  }
}

/**
 * For a wildcard endpoint `*.d` (every name under `d`): `yes` when the pattern allows every such name,
 * `maybe` when it allows only some of them (one host, or a deeper wildcard), `no` otherwise.
 */
function allowsEveryHostUnder(pattern: FqdnPattern, { domain, dotDomain, endpoint }: Wildcard, raw: string): Match {
  const partly = (): Match => maybe(`rule allows only ${normalize(raw)} of ${endpoint}`);
  switch (pattern.kind) {
    case "any":
      return YES;
    case "exact":
      return pattern.host.endsWith(dotDomain) ? partly() : NO;
    case "subdomains":
      if (domain === pattern.base || domain.endsWith(pattern.dotBase)) return YES;
      return pattern.base.endsWith(dotDomain) ? partly() : NO;
    case "suffix":
      // Every `x.d` ends in the suffix exactly when `.d` does; a longer suffix inside `d` covers some names.
      if (dotDomain.endsWith(pattern.suffix)) return YES;
      return pattern.suffix.endsWith(dotDomain) ? partly() : NO;
    case "invalid":
      return NO;
  }
}

/** A wildcard endpoint `*.d`: the domain `d`, `.d`, and `*.d` itself. */
interface Wildcard {
  domain: string;
  dotDomain: string;
  endpoint: string;
}

/** The flow's host, normalized once per distinct host: a concrete name, or a wildcard endpoint. */
const flowHost = memoizeString((host: string): { name: string; wildcard?: Wildcard } => {
  const name = normalize(host);
  if (!name.startsWith("*.")) return { name };
  const domain = name.slice(2);
  return { name, wildcard: { domain, dotDomain: `.${domain}`, endpoint: name } };
});

function invalidPatternText(raw: string, why: string): string {
  return `FQDN pattern "${raw}" is invalid (${why}): it matches nothing`;
}

/** Why an application-rule FQDN pattern matches nothing (a misplaced `*`, nothing but `*.`), or undefined. */
export function fqdnPatternProblem(raw: string): string | undefined {
  const pattern = parseFqdnPattern(raw);
  return pattern.kind === "invalid" ? invalidPatternText(raw, pattern.why) : undefined;
}

/** One application-rule FQDN pattern against the flow's host (a concrete name or a wildcard endpoint). */
export function matchFqdnPattern(raw: string, host: string): Match {
  const pattern = parseFqdnPattern(raw);
  if (pattern.kind === "invalid") return noBecause(invalidPatternText(raw, pattern.why));
  const flow = flowHost(host);
  if (flow.wildcard) return allowsEveryHostUnder(pattern, flow.wildcard, raw);
  return allowsHost(pattern, flow.name) ? YES : NO;
}

/** Any of a rule's `targetFqdns` (or network-rule `destinationFqdns`) allows the host. */
export function matchFqdnPatterns(patterns: readonly string[], host: string): Match {
  return anyOfEach(patterns, matchFqdnPattern, host);
}

/**
 * True when the pattern surely covers the host (every name of a wildcard endpoint), e.g. for
 * `threatIntelWhitelist.fqdns`, which follows the same wildcard rules.
 */
export function fqdnPatternCovers(pattern: string, host: string): boolean {
  return matchFqdnPattern(pattern, host).result === "yes";
}
