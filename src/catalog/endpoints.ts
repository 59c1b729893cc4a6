import type { ErrorCode } from "./codes";
import type { CloudName } from "./clouds";
import type { EndpointPurpose, EndpointProtocol, EndpointPort, RequirementLevel, RequirementCondition, EndpointRequirement, CatalogSeverity, RepresentativeHost, CatalogEndpoint } from "../model/endpoint";

export type { EndpointPurpose, EndpointProtocol, EndpointPort, RequirementLevel, RequirementCondition, EndpointRequirement, CatalogSeverity, RepresentativeHost, CatalogEndpoint };

/** A destination the catalog knows only by the deployment's own configuration (time and DNS servers). */
export interface ConfiguredEndpoint {
  configKey: "timeServer" | "dnsServers";
  purpose: "time" | "dns";
  code: ErrorCode;
  requirement: EndpointRequirement;
  severity: "error";
  ports: EndpointPort[];
  note: string;
}

export const CATALOG_VERSION = "2022.01-entra";
/** The revision the catalog was taken from: the page's own date, and the wording that tells it apart. */
export const CATALOG_REVISION =
  "ms.date 01/10/2022 with later edits: Requirement column, Microsoft Entra ID wording, *.cloudapp.* usage hosts, SYSLOG, Microsoft CRL, diagnostic log collection, remote support and telemetry rows";
export const CATALOG_SOURCE =
  `Azure Stack Hub datacenter integration, "Ports and URLs (outbound)" (MicrosoftDocs/azure-stack-docs azure-stack/operator/azure-stack-integrate-endpoints.md, ${CATALOG_REVISION}), with azure-stack-transparent-proxy.md, azure-stack-firewall.md and the AzureStack service tag (service-tags-overview.md)`;

const HTTPS: EndpointPort = { port: 443, protocol: "https" };
const HTTP: EndpointPort = { port: 80, protocol: "http" };

/** The purposes the usage bridge needs: checked by default (endpoints.md, "Endpoints the usage bridge needs"). */
export const BRIDGE_PURPOSES: readonly EndpointPurpose[] = ["usage", "registration", "identity", "time", "dns"];

/**
 * What a requirement means for the audit: the usage bridge's rows are checked, at `error` when the row is
 * mandatory, required, or required under a condition the bridge itself implies (a stamp that reports usage
 * is registered connected, under consumption billing); every other row is listed by `endpoints --all`,
 * at `warning` when the source requires or recommends it somewhere, else `info`. The legacy host is `info`.
 */
export function checkOf(purpose: EndpointPurpose, requirement: EndpointRequirement): { required: boolean; severity: CatalogSeverity } {
  if (requirement.level === "legacy") return { required: false, severity: "info" };
  const bridge = BRIDGE_PURPOSES.includes(purpose);
  if (bridge) return { required: true, severity: "error" };
  const needed = ["mandatory", "required", "conditional", "recommended"].includes(requirement.level);
  return { required: false, severity: needed ? "warning" : "info" };
}

/** The source's Requirement column, row by row. */
export const REQUIREMENTS: Readonly<Record<EndpointPurpose, EndpointRequirement>> = {
  identity: { level: "mandatory", text: "Mandatory for a connected deployment." },
  usage: { level: "conditional", condition: "consumption-billing", text: "Required for Azure Stack Hub consumption based licensing model." },
  "usage-legacy": { level: "legacy", text: "No longer listed (the 05/2019 revision's Usage row): not required." },
  registration: {
    level: "conditional",
    condition: "connected-registration",
    text: "Not required. You can use the disconnected scenario for offline registration. (A connected registration, which usage reporting runs under, needs it.)",
  },
  time: { level: "required", text: "Required" },
  dns: { level: "required", text: "Required" },
  marketplace: { level: "not-required", text: "Not required. Use the disconnected scenario instructions to upload images to Azure Stack Hub." },
  patch: { level: "not-required", text: "Not required. Use the disconnected deployment connection instructions to manually download and prepare the update." },
  defender: { level: "not-required", text: "Not required. You can use the disconnected scenario to update antivirus signature files." },
  "microsoft-crl": { level: "recommended", text: "Not required. Highly recommended security best practice." },
  diagnostics: { level: "not-required", text: "Not required. You can save logs locally." },
  "remote-support": { level: "not-required", text: "Not required." },
  telemetry: { level: "conditional", condition: "telemetry-enabled", text: "Required when Azure Stack Hub telemetry is enabled." },
};

interface CloudHosts {
  usage: string[];
  arm: string;
  identity: string[];
  blob: string;
  blobProtocol: EndpointPort;
}

const HOSTS: Readonly<Record<CloudName, CloudHosts>> = {
  AzureCloud: {
    usage: ["*.trafficmanager.net", "*.cloudapp.azure.com"],
    arm: "management.azure.com",
    identity: [
      "login.microsoftonline.com",
      "login.windows.net",
      "graph.windows.net",
      "secure.aadcdn.microsoftonline-p.com",
      "www.office.com",
      "management.core.windows.net",
      "management.azure.com",
      "*.msftauth.net",
      "*.msauth.net",
      "*.msocdn.com",
    ],
    blob: "*.blob.core.windows.net",
    blobProtocol: HTTPS,
  },
  AzureUSGovernment: {
    usage: ["*.usgovtrafficmanager.net", "*.cloudapp.usgovcloudapi.net"],
    arm: "management.usgovcloudapi.net",
    identity: ["login.microsoftonline.us", "graph.windows.net"],
    blob: "*.blob.core.usgovcloudapi.net",
    blobProtocol: HTTPS,
  },
  AzureChinaCloud: {
    usage: ["*.trafficmanager.cn", "*.cloudapp.chinacloudapi.cn"],
    arm: "management.chinacloudapi.cn",
    identity: ["login.chinacloudapi.cn", "graph.chinacloudapi.cn"],
    blob: "*.blob.core.chinacloudapi.cn",
    // The China row writes `http://*.blob.core.chinacloudapi.cn` under "HTTPS 443": both are listed.
    blobProtocol: HTTP,
  },
};

/**
 * Documented concrete hosts under the Azure cloud's wildcards, from other rows of the same page. None of
 * them is the usage service (Microsoft publishes no usage host name): they show whether a firewall lets a
 * name under the wildcard through, nothing more. US Government and China rows name no host under theirs.
 */
const REPRESENTATIVES: Readonly<Record<string, readonly RepresentativeHost[]>> = {
  "*.trafficmanager.net": [{ host: "edgesupprd.trafficmanager.net", source: "Remote support row" }],
  "*.cloudapp.azure.com": [{ host: "azsdiagprdwestusfrontend.westus.cloudapp.azure.com", source: "Diagnostic log collection and Telemetry rows" }],
  "*.blob.core.windows.net": [{ host: "azsdiagprdlocalwestus02.blob.core.windows.net", source: "Diagnostic log collection row" }],
};

/** A wildcard's representatives, or an empty list when the documentation names no host under it. */
export function representativesOf(host: string): RepresentativeHost[] {
  return host.startsWith("*") && Object.hasOwn(REPRESENTATIVES, host) ? [...REPRESENTATIVES[host]!] : [];
}

const IDENTITY_TAGS = ["AzureActiveDirectory"];
const ARM_TAGS = ["AzureResourceManager"];
/** "Azure Stack Bridge services; the Bridge service endpoint per region" (service-tags-overview.md): usage only. */
const USAGE_TAGS = ["AzureStack"];

/** One catalog row; `required` and `severity` always follow from the row's requirement (`checkOf`). */
function endpoint(
  host: string,
  purpose: EndpointPurpose,
  code: ErrorCode,
  ports: EndpointPort[],
  extra: { path?: string; serviceTags?: string[]; note?: string } = {},
): CatalogEndpoint {
  const requirement = REQUIREMENTS[purpose];
  const e: CatalogEndpoint = { host, purpose, code, requirement, ...checkOf(purpose, requirement), ports, serviceTags: extra.serviceTags ?? [] };
  if (extra.path !== undefined) e.path = extra.path;
  if (host.startsWith("*")) e.representatives = representativesOf(host);
  if (extra.note !== undefined) e.note = extra.note;
  return e;
}

function bridge(cloud: CloudName): CatalogEndpoint[] {
  const h = HOSTS[cloud];
  return [
    ...h.usage.map((host) => endpoint(host, "usage", "NetworkError", [HTTPS], { serviceTags: USAGE_TAGS })),
    endpoint(h.arm, "registration", "NetworkError", [HTTPS], { serviceTags: ARM_TAGS }),
    ...h.identity.map((host) => endpoint(host, "identity", "LoginError", [HTTP, HTTPS], { serviceTags: host.startsWith("management.") ? ARM_TAGS : IDENTITY_TAGS })),
  ];
}

const DEFENDER_HOSTS = ["*.wdcp.microsoft.com", "*.wdcpalt.microsoft.com", "*.wd.microsoft.com", "*.update.microsoft.com", "*.download.microsoft.com", "secure.aadcdn.microsoftonline-p.com"];

/** The Microsoft CRL row: HTTP 80, host and path. */
const MICROSOFT_CRL: readonly [string, string][] = [
  ["crl.microsoft.com", "/pki/crl/products"],
  ["mscrl.microsoft.com", "/pki/mscorp"],
  ["www.microsoft.com", "/pki/certs"],
  ["www.microsoft.com", "/pki/mscorp"],
  ["www.microsoft.com", "/pkiops/crl"],
  ["www.microsoft.com", "/pkiops/certs"],
];

const REMOTE_SUPPORT_HOSTS = [
  "edgesupprd.trafficmanager.net",
  "edgesupprdwestusfrontend.westus2.cloudapp.azure.com",
  "edgesupprdwesteufrontend.westeurope.cloudapp.azure.com",
  "edgesupprdeastusfrontend.eastus.cloudapp.azure.com",
  "edgesupprdwestcufrontend.westcentralus.cloudapp.azure.com",
  "edgesupprdasiasefrontend.southeastasia.cloudapp.azure.com",
  "*.servicebus.windows.net",
];

/**
 * The rows usage reporting does not need. The Diagnostic, Remote support and Telemetry rows name Azure
 * (public cloud) hosts only, in every cloud's page: they are listed as the page gives them.
 */
function others(cloud: CloudName): CatalogEndpoint[] {
  const h = HOSTS[cloud];
  const other = (host: string, purpose: EndpointPurpose, ports: EndpointPort[], extra: { path?: string; serviceTags?: string[]; note?: string } = {}) =>
    endpoint(host, purpose, "NetworkError", ports, extra);
  return [
    endpoint("*.microsoftazurestack.com", "usage-legacy", "NetworkError", [HTTPS], {
      note: "legacy: in the 05/2019 Usage row, no longer listed; not required (a rule that blocks or inspects it is no error)",
    }),
    other(h.arm, "marketplace", [HTTPS], { serviceTags: ARM_TAGS }),
    other(h.blob, "marketplace", [h.blobProtocol]),
    ...(cloud === "AzureCloud" ? [other("*.azureedge.net", "marketplace", [HTTPS])] : []),
    other("*.azureedge.net", "patch", [HTTPS]),
    other("aka.ms", "patch", [HTTPS], { path: "/azurestackautomaticupdate" }),
    ...DEFENDER_HOSTS.map((host) => other(host, "defender", [HTTP, HTTPS])),
    ...MICROSOFT_CRL.map(([host, path]) => other(host, "microsoft-crl", [HTTP], { path })),
    other("*.blob.core.windows.net", "diagnostics", [HTTPS], {
      note: "the Azure Storage blob SAS URL given for log collection: one storage account under this domain",
    }),
    other("azsdiagprdlocalwestus02.blob.core.windows.net", "diagnostics", [HTTPS]),
    other("azsdiagprdwestusfrontend.westus.cloudapp.azure.com", "diagnostics", [HTTPS]),
    ...REMOTE_SUPPORT_HOSTS.map((host) => other(host, "remote-support", [HTTPS])),
    other("settings-win.data.microsoft.com", "telemetry", [HTTPS]),
    other("login.live.com", "telemetry", [HTTPS]),
    other("*.events.data.microsoft.com", "telemetry", [HTTPS]),
    other("*.blob.core.windows.net", "telemetry", [HTTPS], { note: "from version 2108" }),
    other("azsdiagprdwestusfrontend.westus.cloudapp.azure.com", "telemetry", [HTTPS], { note: "from version 2108" }),
  ];
}

/** Time and DNS servers are the deployment's own; the catalog knows their ports and what their loss causes. */
export const CONFIGURED_ENDPOINTS: readonly ConfiguredEndpoint[] = [
  {
    configKey: "timeServer",
    purpose: "time",
    code: "Unauthorized",
    requirement: REQUIREMENTS.time,
    severity: "error",
    ports: [{ port: 123, protocol: "udp" }],
    note: "clock skew over 300 s breaks the bridge's signed assertions",
  },
  {
    configKey: "dnsServers",
    purpose: "dns",
    code: "NetworkError",
    requirement: REQUIREMENTS.dns,
    severity: "error",
    ports: [
      { port: 53, protocol: "udp" },
      { port: 53, protocol: "tcp" },
    ],
    note: "nothing resolves, so authentication fails",
  },
];

/**
 * Why the stamp talks to a destination whose host only the deployment knows and bridgeguard has no
 * setting for: the CRL distribution points of its certificates, the AD forest given for Graph
 * integration (LDAP, LDAP SSL, global catalog, global catalog SSL), the AD FS metadata endpoint and the
 * SYSLOG server.
 */
export type DeploymentEndpointPurpose = "crl" | "ldap" | "ldap-ssl" | "ldap-gc" | "ldap-gc-ssl" | "adfs-metadata" | "syslog";

/**
 * An outbound destination of the stamp whose host is the deployment's own, with no config key to name it.
 * Listed by `endpoints --all` only, never required for usage: the usage bridge does not use it, so it has
 * no error code, and nothing probes it or writes an allow rule for it (its `host` is a description in
 * angle brackets, never a name to resolve).
 */
export interface DeploymentEndpoint {
  /** What stands in the host column: `<...>`, so no tool mistakes it for a name. */
  host: `<${string}>`;
  purpose: DeploymentEndpointPurpose;
  /** The source's own name for the row ("LDAP GC SSL"). */
  label: string;
  /** The row's requirement as the source states it (the stamp's need, not the bridge's). */
  requirement: EndpointRequirement;
  severity: "info";
  required: false;
  ports: EndpointPort[];
  /** What the stamp uses it for and when it needs it, for a firewall admin. */
  note: string;
}

/** Said of every deployment-specific endpoint wherever it is printed. */
export const DEPLOYMENT_HOST_NOTE = "host is yours (no rule written, not probed)";

const AD_FOREST_DCS = "<domain controllers of your AD forest>";
const AD_FOREST_GCS = "<global catalog servers of your AD forest>";
const GRAPH = "the AD forest given for Graph integration (AD FS stamps only)";
const ADFS_REQUIRED: EndpointRequirement = { level: "conditional", condition: "adfs-identity", text: "Required when Azure Stack Hub is deployed using AD FS." };

/** From the source's outbound table: SYSLOG, CRL, LDAP, LDAP SSL, LDAP GC, LDAP GC SSL, AD FS. Same in every cloud. */
export const DEPLOYMENT_ENDPOINTS: readonly DeploymentEndpoint[] = [
  {
    host: "<your SYSLOG server>",
    purpose: "syslog",
    label: "SYSLOG",
    requirement: { level: "optional", text: "Optional" },
    severity: "info",
    required: false,
    ports: [
      { port: 6514, protocol: "tcp" },
      { port: 514, protocol: "udp" },
    ],
    note: "syslog messages for monitoring or security, to the SYSLOG server given for deployment",
  },
  {
    host: "<CRL distribution points of your certificates>",
    purpose: "crl",
    label: "CRL",
    requirement: { level: "required", text: "Required" },
    severity: "info",
    required: false,
    ports: [HTTP],
    note: "revocation checks of your certificates, at the URLs under their CRL Distribution Points",
  },
  {
    host: AD_FOREST_DCS,
    purpose: "ldap",
    label: "LDAP",
    requirement: ADFS_REQUIRED,
    severity: "info",
    required: false,
    ports: [
      { port: 389, protocol: "tcp" },
      { port: 389, protocol: "udp" },
    ],
    note: `LDAP to ${GRAPH}`,
  },
  {
    host: AD_FOREST_DCS,
    purpose: "ldap-ssl",
    label: "LDAP SSL",
    requirement: ADFS_REQUIRED,
    severity: "info",
    required: false,
    ports: [{ port: 636, protocol: "tcp" }],
    note: `LDAP over SSL to ${GRAPH}`,
  },
  {
    host: AD_FOREST_GCS,
    purpose: "ldap-gc",
    label: "LDAP GC",
    requirement: ADFS_REQUIRED,
    severity: "info",
    required: false,
    ports: [{ port: 3268, protocol: "tcp" }],
    note: `global catalog LDAP to ${GRAPH}`,
  },
  {
    host: AD_FOREST_GCS,
    purpose: "ldap-gc-ssl",
    label: "LDAP GC SSL",
    requirement: ADFS_REQUIRED,
    severity: "info",
    required: false,
    ports: [{ port: 3269, protocol: "tcp" }],
    note: `global catalog LDAP over SSL to ${GRAPH}`,
  },
  {
    host: "<your AD FS host>",
    purpose: "adfs-metadata",
    label: "AD FS",
    requirement: { level: "optional", text: "Optional. The AD FS claims provider trust can be created using a metadata file." },
    severity: "info",
    required: false,
    ports: [HTTPS],
    note: "the AD FS metadata endpoint given for AD FS integration (AD FS stamps only)",
  },
];

/**
 * The endpoints `endpoints --all` lists that the rule formats leave out, as one sentence (the CLI prints
 * it to stderr beside the rule set or the TLS-bypass list).
 */
export function deploymentEndpointsNote(): string {
  const parts = DEPLOYMENT_ENDPOINTS.map((e) => `${e.label} (${e.ports.map((p) => `${p.protocol.toUpperCase()} ${p.port}`).join(", ")})`);
  return `not in this output: ${parts.join(", ")}: their hosts are your deployment's own (your SYSLOG server, your certificates' CRL distribution points, your AD forest, your AD FS host); allow them yourself where the stamp needs them`;
}

/**
 * The catalog endpoints of one cloud: those the usage bridge needs (`required`), or with `all`, every
 * outbound one with a known host, the legacy usage host included (as information). Destinations whose host
 * is the deployment's own are `CONFIGURED_ENDPOINTS` (time, DNS) and `DEPLOYMENT_ENDPOINTS` (SYSLOG, CRL,
 * LDAP, AD FS): never here, so nothing probes or allow-lists a made-up name.
 */
export function catalogEndpoints(cloud: CloudName, options: { all?: boolean } = {}): CatalogEndpoint[] {
  const list = options.all ? [...bridge(cloud), ...others(cloud)] : bridge(cloud);
  return list;
}

/** The legacy usage host of the 05/2019 revision (information only; BG203 reads it). */
export function legacyUsageEndpoint(cloud: CloudName): CatalogEndpoint {
  return others(cloud).find((e) => e.purpose === "usage-legacy")!;
}

export function isWildcardHost(host: string): boolean {
  return host.startsWith("*");
}
