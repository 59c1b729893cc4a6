import type { OtherResource, Resource, ResourceKind, ResourceRef, ResourceSet } from "../model/resource";
import { detectInput, type ArmItem, type DetectedInput } from "./detect";
import { describeKind, InputError, joinPath, TOP_LEVEL } from "./errors";
import { isArmId, lastSegment, nameAfter } from "./normalize/armId";
import type { SourceResource } from "./normalize/common";
import { normalizeAzureFirewall, normalizeFirewallPolicy, normalizeRuleCollectionGroup } from "./normalize/firewall";
import { normalizeNetworkSecurityGroup, normalizeSecurityRule } from "./normalize/nsg";
import { normalizeNetworkInterface, normalizeSubnet, normalizeVirtualNetwork } from "./normalize/network";
import { normalizeRegistration } from "./normalize/registration";
import { normalizeRoute, normalizeRouteTable } from "./normalize/routes";
import { validateStackExport } from "./schema";
import { parseSourcePosition } from "./source-position";
import { armNode, at, checkLength, flatNode, isObject, locString, MAX_VALUE_LENGTH, pulumiTopNode, readString, type Loc, type Node, type ReadContext } from "./values";

/*
 * Both input shapes into the engine's one resource model (src/model/resource.ts):
 * - a `pulumi stack export` (v3/v4): live resources, flattened azure-native property names, outputs
 *   first and inputs for what outputs lack;
 * - raw ARM JSON (a resource, an array, or `{value: [...]}`): nested `properties`;
 * - one Pulumi resource at a time (policy pack props, invoke results): `normalizePulumiResource`.
 */

type KnownKind = Exclude<ResourceKind, "other">;

/** `<module>:<Type>` of the azure-native tokens the checks read. */
const PULUMI_KINDS: Record<string, KnownKind> = {
  "azurestack:Registration": "registration",
  "network:AzureFirewall": "azureFirewall",
  "network:FirewallPolicy": "firewallPolicy",
  "network:FirewallPolicyRuleCollectionGroup": "ruleCollectionGroup",
  "network:NetworkSecurityGroup": "networkSecurityGroup",
  "network:SecurityRule": "securityRule",
  "network:RouteTable": "routeTable",
  "network:Route": "route",
  "network:Subnet": "subnet",
  "network:VirtualNetwork": "virtualNetwork",
  "network:NetworkInterface": "networkInterface",
};

/** Lower-case ARM types (ARM compares types case-insensitively). */
const ARM_KINDS: Record<string, KnownKind> = {
  "microsoft.azurestack/registrations": "registration",
  "microsoft.network/azurefirewalls": "azureFirewall",
  "microsoft.network/firewallpolicies": "firewallPolicy",
  "microsoft.network/firewallpolicies/rulecollectiongroups": "ruleCollectionGroup",
  "microsoft.network/networksecuritygroups": "networkSecurityGroup",
  "microsoft.network/networksecuritygroups/securityrules": "securityRule",
  "microsoft.network/routetables": "routeTable",
  "microsoft.network/routetables/routes": "route",
  "microsoft.network/virtualnetworks/subnets": "subnet",
  "microsoft.network/virtualnetworks": "virtualNetwork",
  "microsoft.network/networkinterfaces": "networkInterface",
};

/**
 * The kind of a Pulumi type token: `azure-native:network:AzureFirewall`, and the versioned aliases of
 * azure-native v2 state (`azure-native:network/v20230901:AzureFirewall`, `.../v20230201preview:...`).
 */
export function kindOfPulumiType(token: string): ResourceKind {
  // A stack holds few distinct types and many resources of each: each token is matched once.
  let kind = pulumiKindCache.get(token);
  if (kind === undefined) {
    const m = /^azure-native:([A-Za-z0-9]+)(?:\/v[0-9A-Za-z]+)?:([A-Za-z0-9]+)$/.exec(token);
    kind = (m && PULUMI_KINDS[`${m[1]}:${m[2]}`]) || "other";
    if (pulumiKindCache.size >= MAX_CACHED_TYPES) pulumiKindCache.clear();
    pulumiKindCache.set(token, kind);
  }
  return kind;
}

/** Kinds of the type tokens seen; bounded, since a hostile file may name a new type per resource. */
const pulumiKindCache = new Map<string, ResourceKind>();
const MAX_CACHED_TYPES = 4096;

export function kindOfArmType(type: string): ResourceKind {
  const key = type.toLowerCase();
  // Own keys only: a type of "__proto__" or "constructor" must not find Object.prototype's.
  return Object.hasOwn(ARM_KINDS, key) ? ARM_KINDS[key]! : "other";
}

const NORMALIZERS: Record<KnownKind, (src: SourceResource) => Resource> = {
  registration: normalizeRegistration,
  azureFirewall: normalizeAzureFirewall,
  firewallPolicy: normalizeFirewallPolicy,
  ruleCollectionGroup: normalizeRuleCollectionGroup,
  networkSecurityGroup: normalizeNetworkSecurityGroup,
  securityRule: normalizeSecurityRule,
  routeTable: normalizeRouteTable,
  route: normalizeRoute,
  subnet: normalizeSubnet,
  virtualNetwork: normalizeVirtualNetwork,
  networkInterface: normalizeNetworkInterface,
};

/** A resource no rule reads: counted, never looked into (so its properties cannot fail the load). */
function other(ref: ResourceRef, unknowns: string[], armId: string | undefined, protect: boolean | undefined, pendingOperation: "delete" | "replace" | undefined): OtherResource {
  const r: OtherResource = { ref, kind: "other", unknowns };
  if (armId !== undefined) r.armId = armId;
  if (protect !== undefined) r.protect = protect;
  if (pendingOperation !== undefined) r.pendingOperation = pendingOperation;
  return r;
}

function normalizeSource(kind: ResourceKind, src: SourceResource): Resource {
  return kind === "other" ? other(src.ref, src.ctx.unknowns, src.armId, src.protect, src.pendingOperation) : NORMALIZERS[kind](src);
}

/** The name part of a URN: `urn:pulumi:<stack>::<project>::<type>::<name>` (a name may itself hold `::`). */
export function urnName(urn: string): string {
  let pos = -2;
  for (let n = 0; n < 3; n++) {
    pos = urn.indexOf("::", pos + 2);
    if (pos < 0) return urn;
  }
  return urn.slice(pos + 2);
}

/** `"<providerURN>::<providerID>"`, split on the last `::` (URNs contain `::`, ids do not). */
export function splitProviderReference(ref: string): { urn: string; id: string } | undefined {
  const pos = ref.lastIndexOf("::");
  if (pos <= 0) return undefined;
  return { urn: ref.slice(0, pos), id: ref.slice(pos + 2) };
}

// ---------------------------------------------------------------------------------------------------
// Stack export

interface ExportResource {
  urn: string;
  type: string;
  id?: string;
  delete?: boolean;
  protect?: boolean;
  pendingReplacement?: boolean;
  provider?: string;
  inputs?: Record<string, unknown>;
  outputs?: Record<string, unknown>;
  sourcePosition?: unknown;
}

interface PendingOperation {
  resource: { urn: string; id?: string };
  type: string;
}

const STACK_TYPE = "pulumi:pulumi:Stack";
const RESOURCES: Loc = at("deployment", "resources");
const isProviderType = (type: string) => type.startsWith("pulumi:providers:");
/** What names a stack resource in every finding and message. */
const IDENTITY_KEYS = ["urn", "type", "id", "provider"] as const;
const isTooLong = (value: unknown): boolean => typeof value === "string" && value.length > MAX_VALUE_LENGTH;

/** Normalizes a parsed `pulumi stack export` (validated here against the project's schema). */
export function normalizeStackExport(json: unknown, file: string): ResourceSet {
  return stackExportResources(json, file, detectInput(json, file));
}

function stackExportResources(json: unknown, file: string, detected: DetectedInput): ResourceSet {
  if (detected.format !== "stack-export") {
    throw new InputError({ file, path: TOP_LEVEL, expected: 'expected a Pulumi stack export ({"version": 3, "deployment": {...}})' });
  }
  validateStackExport(json, file);
  const deployment = (json as { deployment: { resources?: ExportResource[]; pending_operations?: PendingOperation[] } }).deployment;
  const all = deployment.resources ?? [];

  const providers = new Map<string, { resource: ExportResource; index: number }[]>();
  all.forEach((resource, index) => {
    if (!isProviderType(resource.type)) return;
    const list = providers.get(resource.urn) ?? [];
    list.push({ resource, index });
    providers.set(resource.urn, list);
  });
  const deleting = new Map<string, (string | undefined)[]>();
  for (const op of deployment.pending_operations ?? []) {
    if (op.type !== "deleting") continue;
    const ids = deleting.get(op.resource.urn) ?? [];
    ids.push(op.resource.id);
    deleting.set(op.resource.urn, ids);
  }

  const resources: Resource[] = [];
  const live = new Map<string, number>();
  all.forEach((r, index) => {
    // `delete: true` marks the old copy of a replaced resource, waiting to be deleted: not live.
    if (r.delete === true || isProviderType(r.type) || r.type === STACK_TYPE) return;
    // The resource's place, `at(RESOURCES, index)`, is built only where it is used (an error, the node a
    // check's resource is read through): most resources are of kinds no check reads.
    // What names the resource in every finding and message: bounded like any value the checks read.
    // (The path is spelled out only for a value that fails: building it for every key of every resource
    // was most of the time spent reading a large export.)
    if (isTooLong(r.urn) || isTooLong(r.type) || isTooLong(r.id) || isTooLong(r.provider)) {
      for (const key of IDENTITY_KEYS) checkLength(file, locString(at(at(RESOURCES, index), key)), r[key]);
    }
    const kind = kindOfPulumiType(r.type);
    // Pulumi keeps one live resource per URN. Copies of one resource would each be evaluated against all
    // the others (every copy of a policy owns every copy of its rule collection groups): quadratic work
    // for a file that no `pulumi stack export` writes. Only the kinds the checks read are looked up: a
    // copy of a resource no check reads costs nothing, and the lookup of every URN was a tenth of the time
    // spent reading a large export.
    if (kind !== "other") {
      const first = live.get(r.urn);
      if (first !== undefined) {
        throw new InputError({ file, path: locString(at(at(RESOURCES, index), "urn")), expected: `the same URN as ${locString(at(RESOURCES, first))}: a stack export lists each live resource once`, resource: r.urn });
      }
      live.set(r.urn, index);
    }
    const armId = r.id !== undefined && r.id !== "" ? r.id : undefined;
    // A pending `deleting` operation for this resource (the same id when both say one), or a resource
    // deleted for a delete-before-replace and not yet re-created.
    const pendingIds = deleting.size > 0 ? deleting.get(r.urn) : undefined;
    const pendingOperation = pendingIds?.some((id) => id === undefined || armId === undefined || id === armId) ? "delete" : r.pendingReplacement === true ? "replace" : undefined;

    if (kind === "other") {
      // Most of a large stack: counted, never looked into, so nothing is built to read its properties.
      resources.push(other(pulumiRef(r), [], armId, r.protect === true, pendingOperation));
      return;
    }
    const ctx: ReadContext = { file, resource: r.urn, unknowns: [] };
    const src: SourceResource = {
      ctx,
      node: pulumiTopNode(r.outputs, r.inputs, at(RESOURCES, index)),
      ref: pulumiRef(r),
      protect: r.protect === true,
    };
    if (armId !== undefined) src.armId = armId;
    if (pendingOperation !== undefined) src.pendingOperation = pendingOperation;
    if ((armId === undefined || !isArmId(armId)) && r.provider) {
      const subscriptionId = providerSubscription(file, r.provider, providers, ctx);
      if (subscriptionId !== undefined) src.providerSubscriptionId = subscriptionId;
    }
    resources.push(NORMALIZERS[kind](src));
  });
  return { source: file, resources };
}

/** A stack resource's ref, with where the program declared it when the state records that. */
export function pulumiRef(r: { urn: string; type: string; sourcePosition?: unknown }): ResourceRef {
  const ref: ResourceRef = { urn: r.urn, type: r.type, name: urnName(r.urn) };
  const source = parseSourcePosition(r.sourcePosition);
  if (source) ref.source = source;
  return ref;
}

/** The subscription a provider is configured for (`subscriptionId` input/output), if the export says. */
function providerSubscription(
  file: string,
  reference: string,
  providers: Map<string, { resource: ExportResource; index: number }[]>,
  ctx: ReadContext,
): string | undefined {
  const ref = splitProviderReference(reference);
  const candidates = ref ? (providers.get(ref.urn) ?? []) : [];
  const found = candidates.find((p) => (p.resource.id ?? "") === ref?.id) ?? candidates.find((p) => p.resource.delete !== true);
  if (!found) return undefined;
  const { resource, index } = found;
  const base = at(RESOURCES, index);
  const providerCtx: ReadContext = { file, resource: resource.urn, unknowns: [] };
  const node = pulumiTopNode(resource.outputs, resource.inputs, base);
  const subscriptionId = readString(providerCtx, node, "subscriptionId");
  if (providerCtx.unknowns.length > 0 && !ctx.unknowns.includes("subscriptionId")) ctx.unknowns.push("subscriptionId");
  return subscriptionId;
}

// ---------------------------------------------------------------------------------------------------
// ARM JSON

/** Normalizes raw ARM JSON: one resource body, an array of them, or `{"value": [...]}`. */
export function normalizeArm(json: unknown, file: string): ResourceSet {
  return armResources(file, detectInput(json, file));
}

function armResources(file: string, detected: DetectedInput): ResourceSet {
  if (detected.format !== "arm") {
    throw new InputError({
      file,
      path: TOP_LEVEL,
      expected: 'expected ARM JSON (a resource with "type" and "id", an array of them, or {"value": [...]}), got a stack export',
    });
  }
  // One body per resource: copies of one resource would each be evaluated against all the others.
  const ids = new Map<string, string>();
  for (const item of detected.items) {
    const id = item.body.id;
    if (typeof id !== "string" || id === "") continue;
    const first = ids.get(id.toLowerCase());
    if (first !== undefined) {
      throw new InputError({ file, path: joinPath(item.path === TOP_LEVEL ? "" : item.path, "id"), expected: `the same resource id as ${first}: list each resource once`, resource: id });
    }
    ids.set(id.toLowerCase(), item.path);
  }
  return { source: file, resources: detected.items.map((item) => normalizeArmItem(file, item)) };
}

function normalizeArmItem(file: string, item: ArmItem): Resource {
  const { body, type } = item;
  const base = item.path === TOP_LEVEL ? "" : item.path;
  for (const key of ["id", "name", "type"]) checkLength(file, joinPath(base, key), body[key]);
  const id = optionalString(file, body, "id", base);
  const name = optionalString(file, body, "name", base);
  const kind = kindOfArmType(type);
  if (kind !== "other" && body.properties !== undefined && body.properties !== null && !isObject(body.properties)) {
    throw new InputError({
      file,
      path: joinPath(base, "properties"),
      expected: `expected an object, got ${describeKind(body.properties)}`,
      resource: id ?? name ?? type,
    });
  }
  // Registrations are named by their id: GET may answer `"name": "azurestack"` (see registration.ts).
  const refName = (kind === "registration" && id ? nameAfter(id, "registrations") : undefined) ?? name ?? (id ? lastSegment(id) : undefined) ?? "";
  const urn = id ?? name ?? type;
  const ctx: ReadContext = { file, resource: urn, unknowns: [] };
  const src: SourceResource = { ctx, node: armNode(body, base), ref: { urn, type, name: refName } };
  if (id !== undefined && id !== "") src.armId = id;
  return normalizeSource(kind, src);
}

function optionalString(file: string, body: Record<string, unknown>, key: string, base: string): string | undefined {
  const v = body[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== "string") throw new InputError({ file, path: joinPath(base, key), expected: `expected a string, got ${describeKind(v)}` });
  return v;
}

// ---------------------------------------------------------------------------------------------------
// One Pulumi resource

/** The provider of a single Pulumi resource: its props (for `subscriptionId`), as the policy pack has them. */
export interface PulumiProviderInput {
  urn?: string;
  props?: Record<string, unknown>;
}

/** One Pulumi resource in flattened azure-native shape: policy-pack inputs or outputs, or an invoke result. */
export interface PulumiResourceInput {
  /** Type token, `azure-native:network:AzureFirewall` (versioned aliases accepted). */
  type: string;
  urn: string;
  name: string;
  /** Inputs or outputs (or an invoke result), flattened. Secrets may still be wrapped; they are not opened. */
  props: Record<string, unknown>;
  /** The ARM id; defaults to `props.id` when that is a string (invoke results carry it). */
  id?: string;
  protect?: boolean;
  /** The resource's provider (for a planned resource's subscription); a bare reference string carries none. */
  provider?: PulumiProviderInput | string;
}

/**
 * Normalizes one Pulumi resource (the policy pack's `analyze`/`analyzeStack` resources, the verification
 * program's lookups). `file` names the source in errors: `policy pack`, `program`.
 */
export function normalizePulumiResource(input: PulumiResourceInput, file: string): Resource {
  const ctx: ReadContext = { file, resource: input.urn, unknowns: [] };
  const node: Node = flatNode(input.props, "");
  const propsId = typeof input.props.id === "string" ? input.props.id : undefined;
  const armId = input.id !== undefined && input.id !== "" ? input.id : propsId;
  const src: SourceResource = { ctx, node, ref: { urn: input.urn, type: input.type, name: input.name } };
  if (armId !== undefined && armId !== "") src.armId = armId;
  if (input.protect !== undefined) src.protect = input.protect;
  const kind = kindOfPulumiType(input.type);
  const provider = input.provider;
  if (kind !== "other" && (armId === undefined || !isArmId(armId)) && typeof provider === "object" && provider.props) {
    const providerCtx: ReadContext = { file, resource: provider.urn ?? "provider", unknowns: [] };
    const subscriptionId = readString(providerCtx, flatNode(provider.props, "provider"), "subscriptionId");
    if (providerCtx.unknowns.length > 0) ctx.unknowns.push("subscriptionId");
    if (subscriptionId !== undefined) src.providerSubscriptionId = subscriptionId;
  }
  return normalizeSource(kind, src);
}

/** Reads any detected input into a resource set (the file has been parsed and detected already). */
export function normalizeDetected(json: unknown, file: string, detected: DetectedInput): ResourceSet {
  if (detected.format === "checkpoint" || detected.format === "preview") {
    // These need more than the document: `loadDocument` (load.ts) reads them.
    throw new InputError({ file, path: TOP_LEVEL, expected: `a ${detected.format === "preview" ? "preview" : "checkpoint"} is read with loadDocument` });
  }
  return detected.format === "stack-export" ? stackExportResources(json, file, detected) : armResources(file, detected);
}
