/**
 * Synthetic `pulumi stack export` files for the benchmark: realistic azure-native shapes, with
 * firewall policies holding thousands of rules, NSGs, route tables, and a bulk of other resources.
 */
import * as fs from "node:fs";
import * as path from "node:path";

const SUB = "7c2a8e2e-3f1d-4b6a-9a7e-2d4c1b9f0a11";
const VIP = "203.0.113.0/27";

function urn(type: string, name: string): string {
  return `urn:pulumi:bench::azs-border::${type}::${name}`;
}

function armId(rg: string, kind: string, name: string): string {
  return `/subscriptions/${SUB}/resourceGroups/${rg}/providers/Microsoft.Network/${kind}/${name}`;
}

function resource(type: string, name: string, id: string, props: Record<string, unknown>): Record<string, unknown> {
  return {
    urn: urn(type, name),
    custom: true,
    id,
    type,
    inputs: props,
    outputs: { ...props, id, name, provisioningState: "Succeeded" },
    parent: urn("pulumi:pulumi:Stack", "azs-border-bench"),
    protect: false,
    provider: `${urn("pulumi:providers:azure-native", "default")}::0f1e2d3c-4b5a-4968-8776-655443322110`,
    dependencies: [],
    propertyDependencies: {},
  };
}

function policyWithRules(index: number, rulesPerPolicy: number): Record<string, unknown>[] {
  const policy = `policy-${index}`;
  const policyId = armId("hub", "firewallPolicies", policy);
  const collections = [];
  const perCollection = 40;
  for (let c = 0; c * perCollection < rulesPerPolicy; c++) {
    const rules = [];
    for (let r = 0; r < perCollection; r++) {
      const n = c * perCollection + r;
      rules.push(
        n % 2 === 0
          ? { ruleType: "ApplicationRule", name: `app-${n}`, sourceAddresses: [`10.${n % 250}.0.0/16`], protocols: [{ protocolType: "Https", port: 443 }], targetFqdns: [`app${n}.contoso.com`], terminateTLS: false }
          : { ruleType: "NetworkRule", name: `net-${n}`, ipProtocols: ["TCP"], sourceAddresses: [`10.${n % 250}.0.0/16`], destinationAddresses: [`192.168.${n % 250}.0/24`], destinationPorts: [`${1000 + (n % 5000)}`] },
      );
    }
    collections.push({ ruleCollectionType: "FirewallPolicyFilterRuleCollection", name: `coll-${c}`, priority: 1000 + c, action: { type: c % 7 === 6 ? "Deny" : "Allow" }, rules });
  }
  collections.push({
    ruleCollectionType: "FirewallPolicyFilterRuleCollection",
    name: "bridge",
    priority: 60000,
    action: { type: "Allow" },
    rules: [{ ruleType: "ApplicationRule", name: "bridge", sourceAddresses: [VIP], protocols: [{ protocolType: "Https", port: 443 }, { protocolType: "Http", port: 80 }], targetFqdns: ["*"], terminateTLS: false }],
  });
  return [
    resource("azure-native:network:FirewallPolicy", policy, policyId, { firewallPolicyName: policy, resourceGroupName: "hub", sku: { tier: "Standard" }, threatIntelMode: "Alert" }),
    resource("azure-native:network:FirewallPolicyRuleCollectionGroup", `${policy}-rcg`, `${policyId}/ruleCollectionGroups/main`, {
      firewallPolicyName: policy,
      resourceGroupName: "hub",
      priority: 100,
      ruleCollections: collections,
    }),
  ];
}

function nsg(index: number): Record<string, unknown> {
  const name = `nsg-${index}`;
  const securityRules = Array.from({ length: 20 }, (_, r) => ({
    name: `rule-${r}`,
    priority: 100 + r * 10,
    direction: r % 2 ? "Inbound" : "Outbound",
    access: "Allow",
    protocol: "Tcp",
    sourceAddressPrefix: `10.${r}.0.0/16`,
    sourcePortRange: "*",
    destinationAddressPrefix: `172.16.${r}.0/24`,
    destinationPortRange: `${8000 + r}`,
  }));
  return resource("azure-native:network:NetworkSecurityGroup", name, armId("spokes", "networkSecurityGroups", name), { networkSecurityGroupName: name, resourceGroupName: "spokes", securityRules });
}

function other(index: number): Record<string, unknown> {
  const name = `pip-${index}`;
  return resource("azure-native:network:PublicIPAddress", name, armId("spokes", "publicIPAddresses", name), {
    publicIpAddressName: name,
    resourceGroupName: "spokes",
    location: "westeurope",
    sku: { name: "Standard", tier: "Regional" },
    publicIPAllocationMethod: "Static",
    ipAddress: `198.51.${Math.floor(index / 250) % 250}.${index % 250}`,
    tags: { owner: "platform-network", costCenter: "4711", environment: "bench" },
  });
}

/** A stack export of `count` resources: per 1,000, one policy with 2,000 rules, 20 NSGs, the rest bulk. */
export function generateStackExport(count: number): unknown {
  const resources: Record<string, unknown>[] = [];
  for (let i = 0; resources.length < count; i++) {
    if (i % 1000 === 0) resources.push(...policyWithRules(i / 1000, 2000));
    else if (i % 50 === 0) resources.push(nsg(i));
    else resources.push(other(i));
  }
  return { version: 3, deployment: { manifest: { time: "2026-11-24T00:00:00Z", magic: "", version: "v3.248.0" }, resources: resources.slice(0, count) } };
}

export function writeStackExport(file: string, count: number): number {
  const text = JSON.stringify(generateStackExport(count));
  fs.writeFileSync(file, text);
  return Buffer.byteLength(text);
}

// ---- the platform stack: a healthy bridge path among many unrelated gates ----------------------------

/** The healthy example's resources (registration, firewall, its policy, an NSG, a forced-tunnel route table). */
function healthyPath(): Record<string, unknown>[] {
  // From bench/ (tests run the TypeScript) or bench/out/ (`npm run bench` runs the build).
  const root = path.basename(__dirname) === "out" ? path.join(__dirname, "..", "..") : path.join(__dirname, "..");
  const file = path.join(root, "examples", "healthy-stamp.json");
  const text = fs.readFileSync(file, "utf8").replaceAll("urn:pulumi:prod::", "urn:pulumi:bench::");
  return (JSON.parse(text) as { deployment: { resources: Record<string, unknown>[] } }).deployment.resources;
}

function idOf(resources: Record<string, unknown>[], type: string): string {
  const found = resources.find((r) => r.type === type);
  if (!found || typeof found.id !== "string") throw new Error(`the healthy example has no ${type} with an id`);
  return found.id;
}

function subnet(vnet: string, name: string, prefix: string, links: Record<string, unknown>): Record<string, unknown> {
  const id = `${armId("spokes", "virtualNetworks", vnet)}/subnets/${name}`;
  const r = resource("azure-native:network:Subnet", `${vnet}-${name}`, id, { subnetName: name, virtualNetworkName: vnet, resourceGroupName: "spokes", addressPrefix: prefix, ...links });
  // Azure names a subnet by its own name (the Pulumi name above only has to be unique in the stack).
  (r.outputs as Record<string, unknown>).name = name;
  return r;
}

/** An application team's firewall policy, attached to no firewall of this stack (its firewall lives elsewhere). */
function applicationPolicy(index: number): Record<string, unknown>[] {
  const name = `app-policy-${index}`;
  const policyId = armId("apps", "firewallPolicies", name);
  const rules = Array.from({ length: 50 }, (_, r) => ({
    ruleType: "ApplicationRule",
    name: `app-${r}`,
    sourceAddresses: [`10.${100 + (index % 100)}.${r}.0/24`],
    protocols: [{ protocolType: "Https", port: 443 }],
    targetFqdns: [`api${r}.team${index}.contoso.com`],
    terminateTLS: false,
  }));
  return [
    resource("azure-native:network:FirewallPolicy", name, policyId, { firewallPolicyName: name, resourceGroupName: "apps", sku: { tier: "Standard" }, threatIntelMode: "Alert" }),
    resource("azure-native:network:FirewallPolicyRuleCollectionGroup", `${name}-rcg`, `${policyId}/ruleCollectionGroups/apps`, {
      firewallPolicyName: name,
      resourceGroupName: "apps",
      priority: 200,
      ruleCollections: [{ ruleCollectionType: "FirewallPolicyFilterRuleCollection", name: "apps", priority: 1000, action: { type: "Allow" }, rules }],
    }),
  ];
}

/** A workload NSG with inbound rules only, and the workload subnet it is attached to. */
function workload(index: number): Record<string, unknown>[] {
  const name = `workload-nsg-${index}`;
  const id = armId("spokes", "networkSecurityGroups", name);
  const securityRules = Array.from({ length: 4 }, (_, r) => ({
    name: `in-${r}`,
    priority: 100 + r * 10,
    direction: "Inbound",
    access: "Allow",
    protocol: "Tcp",
    sourceAddressPrefix: "VirtualNetwork",
    sourcePortRange: "*",
    destinationAddressPrefix: "*",
    destinationPortRange: `${443 + r}`,
  }));
  const prefix = `10.${16 + Math.floor(index / 256)}.${index % 256}.0/24`;
  return [
    resource("azure-native:network:NetworkSecurityGroup", name, id, { networkSecurityGroupName: name, resourceGroupName: "spokes", securityRules }),
    subnet(`spoke-${Math.floor(index / 100)}`, `workload-${index}`, prefix, { networkSecurityGroup: { id } }),
  ];
}

/**
 * The platform stack of `count` resources: the healthy bridge path (firewall, its policy, a forced-tunnel
 * route, an NSG, all attached to the stamp's subnet), plus per 1,000 resources one application firewall
 * policy attached to no firewall of the stack and 100 workload NSGs with inbound rules only (each attached
 * to its workload subnet); the rest bulk. Every unrelated gate is shown off the bridge's path.
 */
export function generatePlatformStack(count: number): unknown {
  const bridge = healthyPath();
  const vipSubnet = subnet("stamp-border", "stamp-vip", "203.0.113.0/27", {
    networkSecurityGroup: { id: idOf(bridge, "azure-native:network:NetworkSecurityGroup") },
    routeTable: { id: idOf(bridge, "azure-native:network:RouteTable") },
  });
  const resources: Record<string, unknown>[] = [...bridge, vipSubnet];
  const policies = Math.max(1, Math.round(count / 1000));
  for (let i = 0; i < policies; i++) resources.push(...applicationPolicy(i));
  const workloads = Math.floor(count / 10);
  for (let i = 0; i < workloads; i++) resources.push(...workload(i));
  for (let i = 0; resources.length < count; i++) resources.push(other(i));
  return { version: 3, deployment: { manifest: { time: "2026-11-24T00:00:00Z", magic: "", version: "v3.248.0" }, resources: resources.slice(0, count) } };
}

export function writePlatformStack(file: string, count: number): number {
  const text = JSON.stringify(generatePlatformStack(count));
  fs.writeFileSync(file, text);
  return Buffer.byteLength(text);
}

// ---- the worst inputs for memory: the most heap per byte the value limit lets through ------------------

/**
 * Fillers that cost the most memory per byte of JSON, each at the density the input's value limit allows
 * (`src/input/value-budget.ts`: one `{`, `[` or `,` per 8 bytes on average), padded with spaces:
 * - `objects`: empty objects (`{},` is 2 values, so 16 bytes each);
 * - `arrays`: empty arrays, the same way;
 * - `keys`: objects with one property each, every key distinct (a hidden class and a key string per object);
 * - `strings`: short distinct strings (a heap string each);
 * - `numbers`: non-integers (a heap number each);
 * - `text`: long distinct ASCII strings, few values: the most memory per byte where values are sparse;
 * - `wide`: the same of `ā` (U+0101, two bytes in UTF-8, one UTF-16 unit in a two-byte string);
 * - `mixed`: long ASCII strings in a file made two-byte by one `ā`: every ASCII byte then takes two bytes
 *   in the decoded text.
 */
export const WORST_FILLERS = ["objects", "arrays", "keys", "strings", "numbers", "text", "wide", "mixed"] as const;
export type WorstFiller = (typeof WORST_FILLERS)[number];

function fillerUnit(kind: WorstFiller, i: number): string {
  switch (kind) {
    case "objects":
      return "{},             ";
    case "arrays":
      return "[],             ";
    case "keys":
      return `{"k${i.toString(36).padStart(6, "0")}":0},  `;
    case "strings":
      return `"${i.toString(36).padStart(5, "0")}",`;
    case "numbers":
      return `${(i + 0.5).toFixed(1).padStart(7, " ")},`;
    case "text":
      return `"${i.toString(36).padStart(6, "0")}${"a".repeat(250)}",`;
    case "wide":
      return `"${i.toString(36).padStart(6, "0")}${"\u0101".repeat(125)}",`;
    case "mixed":
      return `"${i === 0 ? "\u0101" : ""}${i.toString(36).padStart(6, "0")}${"a".repeat(250)}",`;
  }
}

/**
 * A valid stack export (the healthy example, so that every check runs) of about `bytes` bytes, nearly all of
 * it `kind` filler in one resource's outputs, where the loader reads nothing but JSON.parse builds it all.
 * With `checkpoint`, the same as a state backend stores it: the checkpoint envelope of that stack
 * (apitype.VersionedCheckpoint: `{version, checkpoint: {stack, latest}}`).
 */
export function writeWorstExport(file: string, kind: WorstFiller, bytes: number, example: string, checkpoint?: { stack: string }): number {
  const stack = JSON.parse(fs.readFileSync(example, "utf8")) as { version: number; deployment: { resources: { type: string; outputs?: Record<string, unknown> }[] } };
  const host = stack.deployment.resources.find((r) => r.type === "azure-native:network:AzureFirewall")!;
  host.outputs = { ...host.outputs, bulk: "@@BULK@@" };
  const document = checkpoint ? { version: stack.version, checkpoint: { stack: checkpoint.stack, latest: stack.deployment } } : stack;
  const [head, tail] = JSON.stringify(document).split('"@@BULK@@"') as [string, string];
  const fd = fs.openSync(file, "w");
  try {
    fs.writeSync(fd, `${head}[`);
    let written = head.length + 1;
    const chunk: string[] = [];
    for (let i = 0; written < bytes - tail.length - 64; i++) {
      const unit = fillerUnit(kind, i);
      chunk.push(unit);
      written += Buffer.byteLength(unit);
      if (chunk.length === 65_536) fs.writeSync(fd, chunk.splice(0).join(""));
    }
    fs.writeSync(fd, `${chunk.join("")}0]${tail}`);
    return fs.fstatSync(fd).size;
  } finally {
    fs.closeSync(fd);
  }
}
