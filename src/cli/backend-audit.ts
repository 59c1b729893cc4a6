/**
 * `bridgeguard audit --backend URL [--stack GLOB]...`: every stack a state backend holds (or those the globs
 * select), read and audited as files are (on the audit pool), each reported as `project/stack`. A stack
 * that cannot be read or audited is an error of that stack only. Secrets stay as the backend holds them: nothing is decrypted.
 */
import type { BridgeguardConfig } from "../config/types";
import type { LoadOptions } from "../input";
import { openBackend, type BackendStack } from "../input/backends";
import { compileGlob, GlobSyntaxError } from "../engine/glob";
import { UserError } from "../model/errors";
import { auditSources, type AuditSource, type FileAudit } from "./audit-pool";
import { inShard, type Shard } from "./shard";

/**
 * The stacks `globs` select: a glob with a `/` is matched against `project/stack`, one without against the
 * stack name alone (`prod-*` selects prod stacks of every project). No glob selects every stack. Globs are
 * read as paths by the linear-time matcher of src/engine/glob.ts (`*` stays within the project or the
 * stack name), so that no stack name a backend lists can make matching slow.
 */
export function selectStacks(stacks: readonly BackendStack[], globs: readonly string[]): BackendStack[] {
  if (globs.length === 0) return [...stacks];
  const matchers = globs.map((glob) => ({ withProject: glob.includes("/"), glob: stackGlob(glob) }));
  return stacks.filter((stack) => {
    const bare = stack.name.slice(stack.name.lastIndexOf("/") + 1);
    return matchers.some((m) => m.glob.match(m.withProject ? stack.name : bare));
  });
}

function stackGlob(glob: string): ReturnType<typeof compileGlob> {
  try {
    return compileGlob(glob, { path: true, dot: true });
  } catch (error) {
    if (error instanceof GlobSyntaxError) throw new UserError(`--stack ${glob}: expected a glob (see "Many stacks at once" in docs/ci-at-scale.md): ${error.message}`);
    throw error;
  }
}

/** How `auditBackend` runs: the read options (`--max-input-size`), the shard, and the worker threads (`--jobs`). */
export interface BackendAuditOptions {
  read?: LoadOptions;
  shard?: Shard;
  jobs: number;
}

/**
 * Audits the selected stacks of the backend at `url` on the audit pool (audit-pool.ts), as files are: a
 * few stacks fetched ahead at most, each audited on the main thread or a worker as its size allows, a stack
 * that runs out of memory one error line naming it; results in listing order.
 */
export async function auditBackend(url: string, globs: readonly string[], config: BridgeguardConfig, options: BackendAuditOptions): Promise<FileAudit[]> {
  const backend = openBackend(url);
  const selected = selectStacks(await backend.list(), globs);
  if (selected.length === 0) {
    throw new UserError(globs.length > 0 ? `${backend.url}: no stack matches --stack ${globs.join(", ")}` : `${backend.url}: the backend holds no stack`, backend.url);
  }
  // A stack's share is a hash of its `project/stack`, never its place in the listing.
  const stacks = inShard(selected, options.shard, (stack) => stack.name);
  const sources = stacks.map((stack): AuditSource => ({ kind: "stack", name: stack.name, read: () => stack.read() }));
  return auditSources(sources, config, { jobs: options.jobs, ...(options.read ? { read: options.read } : {}) });
}
