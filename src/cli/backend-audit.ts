/**
 * `bridgeguard audit --backend URL [--stack GLOB]...`: every stack a state backend holds (or those the globs
 * select), read and audited one by one, each reported as `project/stack`. A stack that cannot be read or
 * audited is an error of that stack only. Secrets stay as the backend holds them: nothing is decrypted.
 */
import picomatch from "picomatch";
import type { BridgeguardConfig } from "../config/types";
import { loadDocument, parseJsonBytes, type LoadOptions } from "../input";
import { openBackend, type BackendStack } from "../input/backends";
import { UserError } from "../model/errors";
import { auditFailure, auditLoaded, type FileAudit } from "./audit-pool";
import { inShard, type Shard } from "./shard";

/** Stacks fetched at once: network backends answer faster in parallel; memory stays a few stacks' worth. */
const CONCURRENCY = 8;

/**
 * The stacks `globs` select: a glob with a `/` is matched against `project/stack`, one without against the
 * stack name alone (`prod-*` selects prod stacks of every project). No glob selects every stack.
 */
export function selectStacks(stacks: readonly BackendStack[], globs: readonly string[]): BackendStack[] {
  if (globs.length === 0) return [...stacks];
  const matchers = globs.map((glob) => ({ withProject: glob.includes("/"), match: picomatch(glob, { dot: true }) }));
  return stacks.filter((stack) => {
    const bare = stack.name.slice(stack.name.lastIndexOf("/") + 1);
    return matchers.some((m) => m.match(m.withProject ? stack.name : bare));
  });
}

export async function auditBackend(url: string, globs: readonly string[], config: BridgeguardConfig, read: LoadOptions = {}, shard?: Shard): Promise<FileAudit[]> {
  const backend = openBackend(url);
  const selected = selectStacks(await backend.list(), globs);
  if (selected.length === 0) {
    throw new UserError(globs.length > 0 ? `${backend.url}: no stack matches --stack ${globs.join(", ")}` : `${backend.url}: the backend holds no stack`, backend.url);
  }
  // A stack's share is a hash of its `project/stack`, never its place in the listing.
  const stacks = inShard(selected, shard, (stack) => stack.name);
  const results = new Array<FileAudit>(stacks.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    for (let index = next++; index < stacks.length; index = next++) {
      const stack = stacks[index]!;
      try {
        const bytes = await stack.read();
        if (read.maxBytes !== undefined && bytes.length > read.maxBytes) throw new UserError(`${stack.name}: the state is larger than --max-input-size`, stack.name);
        results[index] = auditLoaded(stack.name, loadDocument(parseJsonBytes(stack.name, bytes), stack.name, read), config);
      } catch (error) {
        results[index] = auditFailure(stack.name, error);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(CONCURRENCY, stacks.length) }, worker));
  return results;
}
