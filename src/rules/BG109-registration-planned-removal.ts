import type { PlannedOperation } from "../model/resource";
import { RE_REGISTER } from "./shared/registration";
import type { PlanRule, Violation } from "./types";

/**
 * The step ops that take the registration away, as `pulumi preview --json` names them (`StepOp` constants in
 * pkg/resource/deploy/step.go of pulumi/pulumi): a `replace` is the logical step; `create-replacement` and
 * `delete-replaced` are its physical halves, which the JSON shows only with `--show-replacement-steps`.
 */
const REMOVING_OPS = new Set(["delete", "replace", "create-replacement", "delete-replaced"]);

const REGISTRATION_TYPE = /^azure-native:azurestack(?:\/v[0-9A-Za-z]+)?:Registration$/;

function describeReasons(label: string, reasons: readonly string[]): string[] {
  return reasons.length > 0 ? [`${label}: ${reasons.join(", ")}`] : [];
}

export const registrationPlannedRemoval: PlanRule = {
  meta: {
    id: "BG109",
    slug: "registration-planned-removal",
    code: "Unauthorized",
    severity: "error",
    title: "The preview does not plan to delete or replace the registration",
    why: "A planned delete or replace of the registration (a replacement is a new resource with a new identity) leaves the usage bridge authenticating as a registration that no longer exists once the update runs: Unauthorized until the stamp is re-registered. A policy pack never sees planned operations; the audit of `pulumi preview --json` does, before the update runs.",
    remediation: `Do not run the update as planned: revert the change that triggers the delete or replacement (see its replace reasons), protect the registration (\`protect: true\`), or ${RE_REGISTER.charAt(0).toLowerCase()}${RE_REGISTER.slice(1)}`,
    scope: "plan",
    appliesTo: ["registration"],
  },
  check(set) {
    // One finding per registration, naming every removing step the preview lists for it.
    const byUrn = new Map<string, PlannedOperation[]>();
    for (const planned of set.plannedOperations ?? []) {
      if (!REMOVING_OPS.has(planned.op) || !REGISTRATION_TYPE.test(planned.resource.type)) continue;
      const list = byUrn.get(planned.resource.urn);
      if (list) list.push(planned);
      else byUrn.set(planned.resource.urn, [planned]);
    }
    return [...byUrn.values()].map((steps): Violation => {
      const ops = [...new Set(steps.map((s) => s.op))];
      const replaceReasons = [...new Set(steps.flatMap((s) => s.replaceReasons))];
      const diffReasons = [...new Set(steps.flatMap((s) => s.diffReasons))];
      const because = replaceReasons.length > 0 ? ` because ${replaceReasons.join(", ")} changed` : "";
      return {
        resource: steps[0]!.resource,
        message: `the preview plans to ${ops.join(" and ")} the registration${because}`,
        evidence: [`planned operation: ${ops.join(", ")}`, ...describeReasons("replace reasons", replaceReasons), ...describeReasons("diff reasons", diffReasons)],
      };
    });
  },
};
