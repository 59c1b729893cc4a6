import type { ResourceBase, ResourceRef } from "../../model/resource";
import { isArmId, parseArmId } from "./armId";
import { addUnknown, readString, type Node, type ReadContext } from "../values";

/** One resource on its way into the model, whatever shape it came in. */
export interface SourceResource {
  ctx: ReadContext;
  /** The resource's own properties (outputs-then-inputs for a stack export, `properties`-first for ARM). */
  node: Node;
  ref: ResourceRef;
  /** The ARM id, when the resource exists. */
  armId?: string;
  /** The subscription its provider is configured for: the only source for a planned resource. */
  providerSubscriptionId?: string;
  protect?: boolean;
  pendingOperation?: "delete" | "replace";
}

export type Base = ResourceBase;

/**
 * What every resource has. Subscription and resource group come from the ARM id; a planned resource (no id
 * yet) takes its resource group from its inputs and its subscription from its provider.
 */
export function baseOf(src: SourceResource): Base {
  const fromId = src.armId && isArmId(src.armId) ? parseArmId(src.armId) : {};
  let resourceGroup = fromId.resourceGroup;
  if (resourceGroup === undefined) {
    // Registration says `resourceGroup`; the network resources say `resourceGroupName`.
    resourceGroup = readString(src.ctx, src.node, "resourceGroupName") ?? readString(src.ctx, src.node, "resourceGroup");
  }
  const base: Base = {
    ref: src.ref,
    unknowns: src.ctx.unknowns,
  };
  if (src.armId !== undefined) base.armId = src.armId;
  const subscriptionId = fromId.subscriptionId ?? src.providerSubscriptionId;
  if (subscriptionId !== undefined) base.subscriptionId = subscriptionId;
  if (resourceGroup !== undefined) base.resourceGroup = resourceGroup;
  if (src.protect !== undefined) base.protect = src.protect;
  if (src.pendingOperation !== undefined) base.pendingOperation = src.pendingOperation;
  return base;
}

/**
 * A resource: its base (`baseOf`, read first) with its kind and own fields added after it, keys in that
 * order. Not `{ ...baseOf(src), kind, ... }`: V8 gives every object built by a spread followed by more
 * keys a hidden class of its own, shared with no other object. That cost about 3 µs per resource (a new
 * hidden class each time, and its garbage) and left every later read of a resource's keys megamorphic.
 */
export function withBase<R extends Base>(base: Base, own: Omit<R, keyof Base>): R {
  return Object.assign(base, own) as R;
}

/**
 * Placeholder for a value the model requires but the input does not give (absent, secret or unknown).
 * Its path goes to `unknowns`, so a rule that reads it reports "undetermined" instead of trusting the
 * placeholder.
 */
export function required<T>(ctx: ReadContext, node: Node, key: string, value: T | undefined, placeholder: T): T {
  if (value !== undefined) return value;
  addUnknown(ctx, node.relOf(key));
  return placeholder;
}
