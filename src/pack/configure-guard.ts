/**
 * Catching a stale or foreign `--policy-pack-config` file where the pack can see it: in `configure`.
 *
 * Pulumi's engine does not reject a config key that names no policy of the pack: it copies every key
 * through and validates only the pack's own policies (pulumi/pulumi `pkg/resource/analyzer/config.go`,
 * `applyConfig` and `validatePolicyPackConfig`; its tests pass an `all` key straight through), then sends
 * every key to the pack's `configure` (`pkg/resource/plugin/analyzer_plugin.go`, `analyzer.Configure`).
 * A file keyed by slug (`usage-endpoint-blocked`, as written before the policies were named by rule id)
 * would so be accepted silently, and every policy would run with the schema's defaults: no registration,
 * no egress range. The pack refuses such a configuration in `configure`: the engine then stops before any
 * policy runs, with `configuring policy pack "bridgeguard": <this message>` (`pkg/engine/update.go`).
 *
 * `@pulumi/policy` keeps the configuration to itself (its `configure` handler stores it; a policy's
 * `getConfig` sees only its own entry), so the guard wraps that handler where the SDK registers it with
 * gRPC (`Server.prototype.addService` of the `@grpc/grpc-js` the SDK uses). It must be installed before
 * `new PolicyPack(...)`. The `@pulumi/policy` version is pinned (package.json) and the tests check the
 * behaviour; if a future SDK serves differently, `installConfigureGuard` says so.
 */
import * as path from "node:path";

/** The engine's pseudo-policy for the pack-wide enforcement level (config.go, `applyConfig`). */
const ALL = "all";
/** How many unknown keys the refusal names. */
const MAX_NAMED = 3;

interface ConfigureRequest {
  getPolicyconfigMap(): { keys(): Iterable<string> | { next(): { done?: boolean; value: string } } };
}
type Handler = (call: { request: ConfigureRequest }, callback: (error: unknown, response?: unknown) => void) => void;
interface GrpcModule {
  Server: { prototype: { addService(service: Record<string, { path?: string }>, implementation: Record<string, unknown>): void } };
  status: { INVALID_ARGUMENT: number };
}

export type ConfigureGuard = "installed" | "unavailable";

/** The keys of a configure request (the protobuf map's `keys()` is an iterator in google-protobuf 3). */
function keysOf(request: ConfigureRequest): string[] {
  const keys = request.getPolicyconfigMap().keys();
  if (Symbol.iterator in keys) return [...(keys as Iterable<string>)];
  const out: string[] = [];
  const iterator = keys as { next(): { done?: boolean; value: string } };
  for (let step = iterator.next(); !step.done; step = iterator.next()) out.push(step.value);
  return out;
}

/**
 * The one-line refusal of config keys that name no policy of the pack, or `undefined` when every key is
 * a policy or `all`. `aliases` maps a former policy name (a rule's slug) to the policy that replaced it.
 */
export function unknownConfigKeys(packName: string, keys: readonly string[], policies: readonly string[], aliases: ReadonlyMap<string, string>): string | undefined {
  const known = new Set([...policies, ALL]);
  const unknown = keys.filter((key) => !known.has(key));
  if (unknown.length === 0) return undefined;
  // A whole stale file has one key per rule: name a few, count the rest, keep it to one line.
  const shown = unknown.slice(0, MAX_NAMED).map((key) => (aliases.has(key) ? `"${key}" (now ${aliases.get(key)})` : `"${key}"`));
  const more = unknown.length > MAX_NAMED ? ` and ${unknown.length - MAX_NAMED} more` : "";
  const named = `${shown.join(", ")}${more}`;
  return (
    `the policy pack config names no policy of ${packName}: ${named}; the policies are named by rule id (${policies[0]} to ${policies[policies.length - 1]}). ` +
    `Write the file again with \`bridgeguard policy-config --config bridgeguard.yaml --output policy-config.json\``
  );
}

let state: ConfigureGuard | undefined;

/**
 * Makes the pack's `configure` refuse keys that name none of `policies`: installed once, before the
 * `PolicyPack` is constructed.
 */
export function installConfigureGuard(packName: string, policies: readonly string[], aliases: ReadonlyMap<string, string>): ConfigureGuard {
  if (state) return state;
  let grpc: GrpcModule;
  try {
    // The @grpc/grpc-js that @pulumi/policy itself loads (its server.js), not one of our own.
    const sdk = path.dirname(require.resolve("@pulumi/policy/package.json"));
    grpc = require(require.resolve("@grpc/grpc-js", { paths: [sdk] })) as GrpcModule;
  } catch {
    return (state = "unavailable");
  }
  const prototype = grpc.Server?.prototype;
  if (typeof prototype?.addService !== "function") return (state = "unavailable");
  const original = prototype.addService;
  prototype.addService = function (this: unknown, service, implementation) {
    const configure = implementation.configure as Handler | undefined;
    // Only the analyzer's Configure (path from pulumi's analyzer_grpc_pb); any other service is untouched.
    if (service.configure?.path === "/pulumirpc.Analyzer/Configure" && typeof configure === "function") {
      const guarded: Handler = (call, callback) => {
        const refusal = unknownConfigKeys(packName, keysOf(call.request), policies, aliases);
        if (refusal) return callback({ code: grpc.status.INVALID_ARGUMENT, details: refusal, message: refusal });
        return configure.call(implementation, call, callback);
      };
      implementation = { ...implementation, configure: guarded };
    }
    return original.call(this, service, implementation);
  };
  return (state = "installed");
}
