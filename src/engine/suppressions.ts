/**
 * Suppressions: findings a person has judged acceptable and written down in `bridgeguard.yaml`.
 *
 *   suppressions:
 *     - rule: BG203                     # rule id, slug (legacy-usage-allow-list) or code (NetworkError)
 *       resource: "hub-fw-*"            # URN, name, or a glob over either
 *       justification: "Legacy endpoint retired on our stamps (CHG-1234, J. Doe)"
 *       expires: 2026-12-31             # optional; from this day (UTC) on it no longer applies
 *
 * A suppressed finding is still reported, with the justification, but counts neither as an error nor as a
 * warning. An expired suppression stops suppressing and a notice says so; one that matches no finding at
 * all is stale, and a notice says that too. Notices are report-level (`Report.notices`), not findings: a
 * finding's code is one of the five documented codes, and a stale suppression is none of them.
 *
 * Pure: `today` is handed in (`todayUtc()` for the real clock), so tests can pin it.
 */
import { ERROR_CODES } from "../catalog/codes";
import type { SuppressionConfig } from "../config/types";
import { formatPath, quoteKey } from "../config/validate";
import { compileGlob, type Glob, GlobSyntaxError, isGlob } from "./glob";
import { UserError } from "../model/errors";
import type { Finding, ReportNotice } from "../model/finding";
import type { RuleMeta } from "../rules/types";

/** Today's date in UTC as `YYYY-MM-DD`: what `expires` is compared with. */
export function todayUtc(now: Date = new Date()): string {
  return now.toISOString().slice(0, 10);
}

/** True for a real calendar date written `YYYY-MM-DD` (the schema checks only the shape). */
export function isIsoDate(value: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
  const date = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === value;
}

/**
 * What the schema cannot say: the rule is one this build knows (id, slug or code), the justification is more
 * than blanks, `expires` is a real date. Throws a UserError naming `file` and `suppressions[i].<key>`.
 */
export function checkSuppressions(suppressions: readonly SuppressionConfig[] | undefined, file: string, rules: readonly RuleMeta[]): void {
  const known = new Set<string>(ERROR_CODES.map((code) => code.toLowerCase()));
  for (const meta of rules) {
    known.add(meta.id.toLowerCase());
    known.add(meta.slug.toLowerCase());
  }
  (suppressions ?? []).forEach((s, i) => {
    const at = (key: string): string => formatPath(["suppressions", i, key]);
    if (!known.has(s.rule.toLowerCase())) {
      throw UserError.at(file, at("rule"), `unknown rule or code ${quoteKey(s.rule)} (a rule id, slug or error code: see \`bridgeguard rules\`)`);
    }
    if (s.justification.trim() === "") throw UserError.at(file, at("justification"), "expected a justification, not blanks");
    if (s.expires !== undefined && !isIsoDate(s.expires)) throw UserError.at(file, at("expires"), "expected a calendar date YYYY-MM-DD");
    resourceGlob(s.resource, file, at("resource"));
  });
}

/** The compiled glob of a `resource` that is one; a pattern the language refuses is a UserError at `where`. */
function resourceGlob(pattern: string, file: string | undefined, where: string): Glob | undefined {
  if (!isGlob(pattern)) return undefined;
  try {
    return compileGlob(pattern);
  } catch (error) {
    if (error instanceof GlobSyntaxError) throw UserError.at(file, where, `expected a glob (see "Suppressions" in docs/ci-at-scale.md): ${error.message}`);
    throw error;
  }
}

interface Compiled {
  index: number;
  config: SuppressionConfig;
  rule: string;
  /**
   * The `resource` glob, when it is one (`./glob.ts`): `*` matches any characters, `/` and `:` included,
   * since URNs and ARM ids are identifiers, not paths; matched in linear time, whatever the name.
   */
  glob?: Glob;
  expired: boolean;
  /** Findings it matched (suppressing them, or, when expired, no longer). */
  matched: number;
}

function compile(config: SuppressionConfig, index: number, today: string, source: string | undefined): Compiled {
  const compiled: Compiled = {
    index,
    config,
    rule: config.rule.toLowerCase(),
    expired: config.expires !== undefined && config.expires <= today,
    matched: 0,
  };
  const glob = resourceGlob(config.resource, source, formatPath(["suppressions", index, "resource"]));
  if (glob) compiled.glob = glob;
  return compiled;
}

function matchesRule(s: Compiled, finding: Finding): boolean {
  return s.rule === finding.rule.id.toLowerCase() || s.rule === finding.rule.slug.toLowerCase() || s.rule === finding.code.toLowerCase();
}

function matchesResource(s: Compiled, finding: Finding): boolean {
  const { urn, name } = finding.resource;
  const wanted = s.config.resource;
  if (wanted === urn || wanted === name) return true;
  return s.glob !== undefined && (s.glob.match(urn) || s.glob.match(name));
}

/** `suppressions[2] (rule BG201, resource "hub-*")`, for notices. */
function describe(s: Compiled): string {
  return `${formatPath(["suppressions", s.index])} (rule ${s.config.rule}, resource ${JSON.stringify(s.config.resource)})`;
}

export interface SuppressionOptions {
  /** `YYYY-MM-DD`; a suppression whose `expires` is on or before it no longer applies. */
  today: string;
  /** Where the suppressions were written (`bridgeguard.yaml`), to name it in notices. */
  source?: string;
  /**
   * Report suppressions that match nothing (default true). Off when part of the input could not be audited:
   * the findings a suppression was written for may be in the file that failed.
   */
  reportStale?: boolean;
  /**
   * The rules that ran. A suppression that names another rule (by id or slug) is for another front end (a
   * probe rule's, read by the audit from the same `bridgeguard.yaml`): it is never stale here. Absent: every
   * suppression that matches nothing is stale.
   */
  rules?: readonly RuleMeta[];
}

export interface SuppressionOutcome {
  /** The findings, in their order; suppressed ones are copies carrying `suppression`. */
  findings: Finding[];
  notices: ReportNotice[];
}

/**
 * Marks each finding the first matching, unexpired suppression accepts; notices for expired and stale ones.
 * A suppression matches a finding when its `rule` names the finding's rule id, slug or code (any case) and
 * its `resource` equals the resource's URN or name, or is a glob matching either.
 */
export function applySuppressions(findings: readonly Finding[], suppressions: readonly SuppressionConfig[] | undefined, options: SuppressionOptions): SuppressionOutcome {
  const compiled = (suppressions ?? []).map((s, i) => compile(s, i, options.today, options.source));
  if (compiled.length === 0) return { findings: [...findings], notices: [] };
  const out = findings.map((finding) => {
    let accepted: Compiled | undefined;
    for (const s of compiled) {
      if (!matchesRule(s, finding) || !matchesResource(s, finding)) continue;
      s.matched++;
      if (!s.expired && accepted === undefined) accepted = s;
    }
    if (!accepted) return finding;
    const suppression = { justification: accepted.config.justification.trim(), ...(accepted.config.expires ? { expires: accepted.config.expires } : {}) };
    return { ...finding, suppression };
  });

  const ran = options.rules ? new Set(options.rules.flatMap((meta) => [meta.id.toLowerCase(), meta.slug.toLowerCase()])) : undefined;
  const codes = new Set<string>(ERROR_CODES.map((code) => code.toLowerCase()));
  const forThisRun = (s: Compiled): boolean => ran === undefined || codes.has(s.rule) || ran.has(s.rule);
  const where = options.source ? `${options.source}: ` : "";
  const notices: ReportNotice[] = [];
  for (const s of compiled) {
    if (s.expired) {
      const what =
        s.matched > 0
          ? `${s.matched === 1 ? "the finding it matched is" : `the ${s.matched} findings it matched are`} no longer suppressed`
          : "it matches no finding: remove it";
      notices.push({ level: "warning", kind: "suppression-expired", message: `${where}${describe(s)} expired on ${s.config.expires}: ${what}` });
    } else if (s.matched === 0 && options.reportStale !== false && forThisRun(s)) {
      notices.push({
        level: "warning",
        kind: "suppression-stale",
        message: `${where}${describe(s)} matches no finding (stale): remove it, or correct its rule or resource`,
      });
    }
  }
  return { findings: out, notices };
}
