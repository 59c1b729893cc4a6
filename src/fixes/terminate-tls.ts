/** The fix of a TLS-inspecting rule: one property, read from where the verdict says the rule sits. */
import type { DecidingRule } from "../evaluate/types";
import type { ChangePropertyFix } from "../model/fix";

/**
 * `terminateTLS: false` on the application rule that intercepts a flow: the rule's path in its rule
 * collection group (`ruleCollections[i].rules[j].terminateTLS`), or undefined when the verdict does not
 * place an application rule of a group (only policies inspect TLS).
 */
export function terminateTlsFix(decided: DecidingRule | undefined): ChangePropertyFix | undefined {
  if (!decided?.rule || decided.layer !== "application" || !decided.path?.startsWith("ruleCollections[")) return undefined;
  const description = `Set terminateTLS: false on rule "${decided.rule}" (collection "${decided.collection}", group "${decided.group}").`;
  return { kind: "change-property", description, resource: decided.resource, path: `${decided.path}.terminateTLS`, value: false, current: true };
}
