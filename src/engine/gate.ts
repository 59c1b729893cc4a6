/**
 * The severity gate: whether a report fails the run. `failOn: error` (the default) fails on any active
 * error finding, `warning` on any active error or warning, `none` never. Active means neither suppressed
 * nor in the baseline: the report's `summary.errors`/`warnings` count exactly those. Notices (expired or
 * stale suppressions) never fail the run.
 */
import type { FailOn } from "../config/types";
import type { Finding, ReportSummary } from "../model/finding";
import { isActive } from "../model/finding";

export const FAIL_ON: readonly FailOn[] = ["error", "warning", "none"];

export function gateFails(summary: Pick<ReportSummary, "errors" | "warnings">, failOn: FailOn): boolean {
  switch (failOn) {
    case "error":
      return summary.errors > 0;
    case "warning":
      return summary.errors + summary.warnings > 0;
    case "none":
      return false;
  }
}

/** Whether one finding is at or above the gate (and active): what JUnit reports as a failure. */
export function findingFails(finding: Finding, failOn: FailOn): boolean {
  if (!isActive(finding)) return false;
  return failOn === "warning" || (failOn === "error" && finding.severity === "error");
}
