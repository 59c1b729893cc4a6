/**
 * Observations to findings, through the same engine as `audit`: each enabled probe rule checks the
 * observations, `toFinding` adds the code, docs and documented remediation, `buildReport` counts them.
 */
import type { BridgeguardConfig } from "../config/types";
import { buildReport, isRuleEnabled, toFinding } from "../engine/run";
import { compareFindings, type Finding, type Report } from "../model/finding";
import { PROBE_RULES } from "../rules/probe";
import type { ProbeRule } from "../rules/types";
import type { ProbeObservations } from "../model/observations";

export function probeFindings(observations: ProbeObservations, config: BridgeguardConfig, rules: readonly ProbeRule[] = PROBE_RULES): Finding[] {
  const findings: Finding[] = [];
  for (const rule of rules) {
    if (!isRuleEnabled(rule.meta, config)) continue;
    for (const violation of rule.check(observations, { config })) {
      // probe-not-tested carries the endpoint's own code, and that code's documented remediation.
      const meta = violation.code ? { ...rule.meta, code: violation.code } : rule.meta;
      const { code: _code, ...plain } = violation;
      findings.push(toFinding(meta, plain, config));
    }
  }
  return findings.sort(compareFindings);
}

/** The report of one probe run: resources are the `host:port`s tested, endpoints the catalog endpoints tested. */
export function probeReport(observations: ProbeObservations, config: BridgeguardConfig, rules: readonly ProbeRule[] = PROBE_RULES): Report {
  const tested = observations.endpoints.filter((o) => o.outcome.kind !== "not-tested");
  const timeTested = observations.time !== undefined && observations.time.outcome.kind !== "not-tested";
  const endpoints = new Set(tested.flatMap((o) => o.target.endpoints.map((e) => `${e.host}|${e.purpose}|${o.target.port}`)));
  return buildReport(probeFindings(observations, config, rules), tested.length + (timeTested ? 1 : 0), endpoints.size + (timeTested ? 1 : 0));
}
