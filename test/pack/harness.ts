/**
 * Drives the policy pack the way the Pulumi engine does, without the Pulumi CLI (see docs/policy-pack.md
 * and the Pulumi sources cited below):
 *
 * - spawn `node <@pulumi/pulumi/cmd/run-policy-pack> <engine address> <packDir>` with the pack directory
 *   as working directory, and read the port from the first all-digits line of its stdout;
 * - talk `pulumirpc.Analyzer` over gRPC: `getAnalyzerInfo`, `configure`, `analyze`, `analyzeStack`;
 * - apply configuration as the engine does (`reconcileConfig`, after pulumi/pulumi
 *   `pkg/resource/analyzer/config.go`): each policy's schema defaults, then the pack's initial config,
 *   then the `--policy-pack-config` file, keys that name no policy copied through; validate each of the
 *   pack's policies against `{type: object, properties, required}` (ajv here, gojsonschema in the
 *   engine: unknown formats are ignored); then `configure` once with every key.
 *
 * One pack process per test file: `startPack()` in `beforeAll`, `close()` in `afterAll`.
 */
import { spawn, type ChildProcess } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import * as grpc from "@grpc/grpc-js";
import Ajv from "ajv";
import addFormats from "ajv-formats";
import { Struct, type JavaScriptValue } from "google-protobuf/google/protobuf/struct_pb";

// eslint-disable-next-line @typescript-eslint/no-require-imports
const analyzerPb = require("@pulumi/pulumi/proto/analyzer_pb");
// eslint-disable-next-line @typescript-eslint/no-require-imports
const analyzerGrpc = require("@pulumi/pulumi/proto/analyzer_grpc_pb");

export const ROOT = path.resolve(__dirname, "..", "..");
export const PACK_DIR = path.join(ROOT, "policies");

export type EnforcementLevel = "advisory" | "mandatory" | "remediate" | "disabled";
const LEVELS: EnforcementLevel[] = ["advisory", "mandatory", "remediate", "disabled"];

const LEVEL_OF: Record<number, EnforcementLevel> = {
  [analyzerPb.EnforcementLevel.ADVISORY]: "advisory",
  [analyzerPb.EnforcementLevel.MANDATORY]: "mandatory",
  [analyzerPb.EnforcementLevel.DISABLED]: "disabled",
  [analyzerPb.EnforcementLevel.REMEDIATE]: "remediate",
};
const LEVEL_TO_PB: Record<EnforcementLevel, number> = {
  advisory: analyzerPb.EnforcementLevel.ADVISORY,
  mandatory: analyzerPb.EnforcementLevel.MANDATORY,
  disabled: analyzerPb.EnforcementLevel.DISABLED,
  remediate: analyzerPb.EnforcementLevel.REMEDIATE,
};
const SEVERITY_OF: Record<number, string> = Object.fromEntries(
  Object.entries(analyzerPb.PolicySeverity as Record<string, number>).map(([k, v]) => [v, k.replace("POLICY_SEVERITY_", "").toLowerCase()]),
);
const TYPE_OF: Record<number, string> = {
  [analyzerPb.PolicyType.POLICY_TYPE_UNKNOWN]: "unknown",
  [analyzerPb.PolicyType.POLICY_TYPE_RESOURCE]: "resource",
  [analyzerPb.PolicyType.POLICY_TYPE_STACK]: "stack",
};

export interface PolicyInfo {
  name: string;
  displayName: string;
  description: string;
  enforcementLevel: EnforcementLevel;
  policyType: string;
  severity: string;
  remediationSteps: string;
  url: string;
  tags: string[];
  configSchema?: { properties: Record<string, Record<string, unknown>>; required: string[] };
}

export interface AnalyzerInfo {
  name: string;
  version: string;
  displayName: string;
  description: string;
  supportsConfig: boolean;
  policies: PolicyInfo[];
  initialConfig: Record<string, { enforcementLevel?: EnforcementLevel; properties: Record<string, unknown> }>;
}

export interface Diagnostic {
  policyName: string;
  policyPackName: string;
  policyPackVersion: string;
  description: string;
  message: string;
  urn: string;
  enforcementLevel: EnforcementLevel;
  severity: string;
}

export interface AnalyzeResult {
  diagnostics: Diagnostic[];
  notApplicable: { policyName: string; reason: string }[];
}

/** A resource as the engine sends it: properties in wire form (secrets `{sig, value}`, unknown sentinels). */
export interface ResourceRequest {
  type: string;
  urn: string;
  name?: string;
  properties: Record<string, unknown>;
  protect?: boolean;
  additionalSecretOutputs?: string[];
  provider?: { type: string; urn: string; name?: string; properties: Record<string, unknown> };
  parent?: string;
  dependencies?: string[];
}

/** The `--policy-pack-config` file: `all` and per-policy entries, a level or `{enforcementLevel?, ...properties}`. */
export type PolicyPackConfigFile = Record<string, EnforcementLevel | ({ enforcementLevel?: EnforcementLevel } & Record<string, unknown>)>;

/** What the engine refuses (or the pack's `configure` answers with an error), with the engine's kind of message. */
export class PolicyConfigError extends Error {}

function urnName(urn: string): string {
  const parts = urn.split("::");
  return parts.slice(3).join("::") || urn;
}

/** JSON round-trip: `Struct.fromJavaScript` takes JSON values only (no `undefined`). */
function toStruct(value: Record<string, unknown>): Struct {
  return Struct.fromJavaScript(JSON.parse(JSON.stringify(value)) as Record<string, JavaScriptValue>);
}

function resourceOptions(r: ResourceRequest) {
  const options = new analyzerPb.AnalyzerResourceOptions();
  options.setProtect(r.protect === true);
  if (r.additionalSecretOutputs) options.setAdditionalsecretoutputsList(r.additionalSecretOutputs);
  if (r.parent) options.setParent(r.parent);
  return options;
}

function providerResource(r: ResourceRequest) {
  if (!r.provider) return undefined;
  const p = new analyzerPb.AnalyzerProviderResource();
  p.setType(r.provider.type);
  p.setUrn(r.provider.urn);
  p.setName(r.provider.name ?? urnName(r.provider.urn));
  p.setProperties(toStruct(r.provider.properties));
  return p;
}

function readDiagnostics(response: { getDiagnosticsList(): unknown[]; getNotApplicableList(): unknown[] }): AnalyzeResult {
  type D = {
    getPolicyname(): string;
    getPolicypackname(): string;
    getPolicypackversion(): string;
    getDescription(): string;
    getMessage(): string;
    getUrn(): string;
    getEnforcementlevel(): number;
    getSeverity(): number;
  };
  const diagnostics = (response.getDiagnosticsList() as D[]).map((d) => ({
    policyName: d.getPolicyname(),
    policyPackName: d.getPolicypackname(),
    policyPackVersion: d.getPolicypackversion(),
    description: d.getDescription(),
    message: d.getMessage(),
    urn: d.getUrn(),
    enforcementLevel: LEVEL_OF[d.getEnforcementlevel()] ?? "advisory",
    severity: SEVERITY_OF[d.getSeverity()] ?? "unspecified",
  }));
  type NA = { getPolicyName(): string; getReason(): string };
  const notApplicable = (response.getNotApplicableList() as NA[]).map((n) => ({ policyName: n.getPolicyName(), reason: n.getReason() }));
  return { diagnostics, notApplicable };
}

/** A request in wire form, built once: `analyze` or `analyzeStack`. */
export interface BuiltRequest {
  method: "analyze" | "analyzeStack";
  message: unknown;
}

/** The engine's `AnalyzeRequest` for one resource's inputs. */
export function analyzeRequest(r: ResourceRequest): BuiltRequest {
  const request = new analyzerPb.AnalyzeRequest();
  request.setType(r.type);
  request.setUrn(r.urn);
  request.setName(r.name ?? urnName(r.urn));
  request.setProperties(toStruct(r.properties));
  // Without options the pack answers that a newer CLI is required.
  request.setOptions(resourceOptions(r));
  const provider = providerResource(r);
  if (provider) request.setProvider(provider);
  return { method: "analyze", message: request };
}

/** The engine's `AnalyzeStackRequest` for every resource's outputs. */
export function analyzeStackRequest(resources: readonly ResourceRequest[]): BuiltRequest {
  const request = new analyzerPb.AnalyzeStackRequest();
  request.setResourcesList(
    resources.map((r) => {
      const resource = new analyzerPb.AnalyzerResource();
      resource.setType(r.type);
      resource.setUrn(r.urn);
      resource.setName(r.name ?? urnName(r.urn));
      resource.setProperties(toStruct(r.properties));
      resource.setOptions(resourceOptions(r));
      const provider = providerResource(r);
      if (provider) resource.setProvider(provider);
      if (r.parent) resource.setParent(r.parent);
      if (r.dependencies) resource.setDependenciesList(r.dependencies);
      return resource;
    }),
  );
  return { method: "analyzeStack", message: request };
}

export class PackHarness {
  private constructor(
    private readonly child: ChildProcess,
    private readonly client: grpc.Client & Record<string, (...args: unknown[]) => unknown>,
    readonly info: AnalyzerInfo,
    readonly stderr: () => string,
  ) {}

  static async start(packDir: string = PACK_DIR, timeoutMs = 20_000): Promise<PackHarness> {
    const runner = require.resolve("@pulumi/pulumi/cmd/run-policy-pack");
    // The runner discards the engine address: no engine is needed.
    const child = spawn(process.execPath, [runner, "127.0.0.1:0", packDir], { cwd: packDir, stdio: ["ignore", "pipe", "pipe"] });
    let stderr = "";
    child.stderr!.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    const port = await new Promise<number>((resolve, reject) => {
      let buffered = "";
      const timer = setTimeout(() => {
        child.kill();
        reject(new Error(`policy pack did not print its port within ${timeoutMs} ms\n${stderr}`));
      }, timeoutMs);
      const onData = (chunk: Buffer) => {
        buffered += chunk.toString();
        const lines = buffered.split(/\r?\n/);
        buffered = lines.pop() ?? "";
        // Anything the pack logs may come first: the port is the first line that is only digits.
        const line = lines.find((l) => /^\d+$/.test(l.trim()));
        if (line) {
          clearTimeout(timer);
          child.stdout!.off("data", onData);
          child.stdout!.resume();
          resolve(Number(line.trim()));
        }
      };
      child.stdout!.on("data", onData);
      child.once("exit", (code) => {
        clearTimeout(timer);
        reject(new Error(`policy pack exited with ${code} before printing its port\n${stderr}`));
      });
    });
    const client = new analyzerGrpc.AnalyzerClient(`127.0.0.1:${port}`, grpc.credentials.createInsecure());
    const harness = new PackHarness(child, client, undefined as unknown as AnalyzerInfo, () => stderr);
    (harness as { info: AnalyzerInfo }).info = await harness.getAnalyzerInfo();
    return harness;
  }

  private call<T>(method: string, request: unknown): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      (this.client[method] as (req: unknown, cb: (err: grpc.ServiceError | null, res: T) => void) => void).call(this.client, request, (err, res) =>
        err ? reject(err) : resolve(res),
      );
    });
  }

  async getAnalyzerInfo(): Promise<AnalyzerInfo> {
    const empty = new (analyzerGrpc.AnalyzerService.getAnalyzerInfo.requestType as new () => unknown)();
    type PI = {
      getName(): string;
      getDisplayname(): string;
      getDescription(): string;
      getEnforcementlevel(): number;
      getPolicyType(): number;
      getSeverity(): number;
      getRemediationSteps(): string;
      getUrl(): string;
      getTagsList(): string[];
      getConfigschema(): { getProperties(): Struct | undefined; getRequiredList(): string[] } | undefined;
    };
    type AI = {
      getName(): string;
      getVersion(): string;
      getDisplayname(): string;
      getDescription(): string;
      getSupportsconfig(): boolean;
      getPoliciesList(): PI[];
      getInitialconfigMap(): { forEach(cb: (v: { getEnforcementlevel(): number; getProperties(): Struct | undefined }, k: string) => void): void };
    };
    const ai = await this.call<AI>("getAnalyzerInfo", empty);
    const initialConfig: AnalyzerInfo["initialConfig"] = {};
    ai.getInitialconfigMap().forEach((v, k) => {
      initialConfig[k] = { enforcementLevel: LEVEL_OF[v.getEnforcementlevel()], properties: (v.getProperties()?.toJavaScript() ?? {}) as Record<string, unknown> };
    });
    return {
      name: ai.getName(),
      version: ai.getVersion(),
      displayName: ai.getDisplayname(),
      description: ai.getDescription(),
      supportsConfig: ai.getSupportsconfig(),
      initialConfig,
      policies: ai.getPoliciesList().map((p) => {
        const schema = p.getConfigschema();
        const info: PolicyInfo = {
          name: p.getName(),
          displayName: p.getDisplayname(),
          description: p.getDescription(),
          enforcementLevel: LEVEL_OF[p.getEnforcementlevel()] ?? "advisory",
          policyType: TYPE_OF[p.getPolicyType()] ?? "unknown",
          severity: SEVERITY_OF[p.getSeverity()] ?? "unspecified",
          remediationSteps: p.getRemediationSteps(),
          url: p.getUrl(),
          tags: p.getTagsList(),
        };
        if (schema) {
          info.configSchema = {
            properties: (schema.getProperties()?.toJavaScript() ?? {}) as Record<string, Record<string, unknown>>,
            required: schema.getRequiredList(),
          };
        }
        return info;
      }),
    };
  }

  /**
   * The engine's reconciliation of a `--policy-pack-config` file with the pack, as pulumi/pulumi
   * `pkg/resource/analyzer/config.go` does it: `parsePolicyPackConfig` (a string is a level; an object's
   * `enforcementLevel` is taken out and checked; an entry with neither level nor settings is dropped;
   * `environments` is ESC's, not a policy), `createConfigWithDefaults` (each policy's level and schema
   * defaults), `applyConfig` for the initial config and then the file (`all`'s level on every policy
   * first, then every key, known or not: a key that names no policy is copied through, not rejected),
   * `validatePolicyPackConfig` (each of the pack's own policies against `{type: object, properties,
   * required}`). Throws `PolicyConfigError` where the engine refuses to run.
   */
  reconcileConfig(file: PolicyPackConfigFile = {}): Record<string, { enforcementLevel: EnforcementLevel | ""; properties: Record<string, unknown> }> {
    type Entry = { enforcementLevel: EnforcementLevel | ""; properties: Record<string, unknown> };
    const where = `${this.info.name} ${this.info.version}`;
    const isLevel = (value: unknown): value is EnforcementLevel => LEVELS.includes(value as EnforcementLevel);

    // parsePolicyPackConfig
    const parsed: Record<string, Entry> = {};
    for (const [key, value] of Object.entries(file)) {
      if (key === "environments") continue;
      let entry: Entry;
      if (typeof value === "string") {
        if (!isLevel(value)) throw new PolicyConfigError(`parsing enforcement level for "${key}": "${value}" is not a valid enforcement level`);
        entry = { enforcementLevel: value, properties: {} };
      } else if (typeof value === "object" && value !== null && !Array.isArray(value)) {
        const { enforcementLevel, ...properties } = structuredClone(value) as Record<string, unknown>;
        if (enforcementLevel !== undefined && typeof enforcementLevel !== "string") {
          throw new PolicyConfigError(`parsing enforcement level for "${key}": ${String(enforcementLevel)} is not a valid enforcement level; must be a string`);
        }
        if (enforcementLevel !== undefined && !isLevel(enforcementLevel)) {
          throw new PolicyConfigError(`parsing enforcement level for "${key}": "${enforcementLevel}" is not a valid enforcement level`);
        }
        entry = { enforcementLevel: enforcementLevel ?? "", properties };
      } else {
        throw new PolicyConfigError(`parsing "${key}": ${String(value)} is not a valid value; must be a string or object`);
      }
      if (entry.enforcementLevel === "" && Object.keys(entry.properties).length === 0) continue;
      parsed[key] = entry;
    }

    // createConfigWithDefaults
    const result: Record<string, Entry> = {};
    for (const policy of this.info.policies) {
      const properties: Record<string, unknown> = {};
      for (const [key, schema] of Object.entries(policy.configSchema?.properties ?? {})) {
        if (schema.default !== undefined) properties[key] = structuredClone(schema.default);
      }
      result[policy.name] = { enforcementLevel: policy.enforcementLevel, properties };
    }

    // applyConfig
    const apply = (config: Record<string, Entry>) => {
      const all = config["all"];
      if (all && isLevel(all.enforcementLevel)) for (const entry of Object.values(result)) entry.enforcementLevel = all.enforcementLevel;
      for (const [key, given] of Object.entries(config)) {
        const existing = result[key];
        result[key] = {
          enforcementLevel: isLevel(given.enforcementLevel) ? given.enforcementLevel : (existing?.enforcementLevel ?? ""),
          properties: { ...(existing?.properties ?? {}), ...structuredClone(given.properties) },
        };
      }
    };
    const initial: Record<string, Entry> = {};
    for (const [key, entry] of Object.entries(this.info.initialConfig)) initial[key] = { enforcementLevel: entry.enforcementLevel ?? "", properties: entry.properties };
    apply(initial);
    apply(parsed);

    // validatePolicyPackConfig: the pack's own policies only.
    const ajv = new Ajv({ allErrors: true, strict: false, logger: false });
    addFormats(ajv);
    for (const policy of this.info.policies) {
      if (!policy.configSchema) continue;
      const schema = { type: "object", properties: policy.configSchema.properties, required: policy.configSchema.required };
      const validate = ajv.compile(schema);
      if (!validate(result[policy.name]!.properties)) {
        const problems = (validate.errors ?? []).map((e) => `${e.instancePath || "(top level)"} ${e.message ?? "is invalid"}`);
        throw new PolicyConfigError(`validating policy config: ${where}: ${policy.name}: ${problems.join("; ")}`);
      }
    }
    return result;
  }

  /** Reconciles `file` and calls `configure` once with every policy. */
  async configure(file: PolicyPackConfigFile = {}): Promise<void> {
    const config = this.reconcileConfig(file);
    const request = new analyzerPb.ConfigureAnalyzerRequest();
    const map = request.getPolicyconfigMap();
    for (const [name, entry] of Object.entries(config)) {
      // pkg/resource/plugin/analyzer_plugin.go, `analyzer.Configure`: every entry needs a valid level, so
      // a key that names no policy, with settings but no level, stops the engine here.
      if (entry.enforcementLevel === "") throw new PolicyConfigError(`configuring policy pack "${this.info.name}": invalid enforcement level ""`);
      const pc = new analyzerPb.PolicyConfig();
      pc.setEnforcementlevel(LEVEL_TO_PB[entry.enforcementLevel]);
      // Every PolicyConfig carries properties, even empty: the SDK's configure fails without.
      pc.setProperties(toStruct(entry.properties));
      map.set(name, pc);
    }
    try {
      await this.call("configure", request);
    } catch (error) {
      // pkg/engine/update.go: the engine stops with `configuring policy pack "<name>": <the pack's message>`.
      throw new PolicyConfigError(`configuring policy pack "${this.info.name}": ${(error as grpc.ServiceError).details ?? String(error)}`);
    }
  }

  /** `analyze`: one resource's inputs. */
  async analyze(r: ResourceRequest): Promise<AnalyzeResult> {
    return this.send(analyzeRequest(r));
  }

  /** `analyzeStack`: every resource's outputs. */
  async analyzeStack(resources: readonly ResourceRequest[]): Promise<AnalyzeResult> {
    return this.send(analyzeStackRequest(resources));
  }

  /** Sends a request built by `analyzeRequest` or `analyzeStackRequest` (built once, sent to several packs). */
  async send(request: BuiltRequest): Promise<AnalyzeResult> {
    return readDiagnostics(await this.call(request.method, request.message));
  }

  /**
   * What `pulumi policy analyze` (and a preview) does with a whole stack: `analyze` on each resource's
   * inputs, then `analyzeStack` on the outputs; every diagnostic of both phases.
   */
  async analyzeAll(stack: { inputs: ResourceRequest[]; outputs: ResourceRequest[] }): Promise<Diagnostic[]> {
    const diagnostics: Diagnostic[] = [];
    for (const r of stack.inputs) diagnostics.push(...(await this.analyze(r)).diagnostics);
    diagnostics.push(...(await this.analyzeStack(stack.outputs)).diagnostics);
    return diagnostics;
  }

  /** The child process's CPU seconds so far (user + system, Linux `/proc`), or undefined elsewhere. */
  cpuSeconds(): number | undefined {
    try {
      const stat = fs.readFileSync(`/proc/${this.child.pid}/stat`, "utf8");
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      // Fields 14 and 15 of proc(5) (utime, stime), counted after the command name: indexes 11 and 12.
      return (Number(fields[11]) + Number(fields[12])) / 100;
    } catch {
      return undefined;
    }
  }

  async close(): Promise<void> {
    this.client.close();
    if (this.child.exitCode !== null) return;
    await new Promise<void>((resolve) => {
      this.child.once("exit", () => resolve());
      this.child.kill();
    });
  }
}

export const startPack = (packDir?: string) => PackHarness.start(packDir);
