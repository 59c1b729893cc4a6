import type { RuleMeta } from "../types";
import type { ProbeRule } from "../types";
import type { ProbeRuleId } from "./classify";
import { failureViolations } from "./shared";

/** A probe rule that reports the endpoint failures `classify.ts` assigns to it. */
export function failureRule(meta: Omit<RuleMeta, "scope" | "appliesTo"> & { id: ProbeRuleId }): ProbeRule {
  return {
    meta: { ...meta, scope: "probe", appliesTo: [] },
    check: (observations) => failureViolations(observations, meta.id),
  };
}
