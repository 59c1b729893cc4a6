import type { ErrorCode } from "./codes";
import type { CloudName } from "./clouds";

/** Why the stamp talks to an endpoint. The first six matter to usage reporting. */
export type EndpointPurpose =
  | "usage"
  | "usage-legacy"
  | "registration"
  | "identity"
  | "time"
  | "dns"
  | "marketplace"
  | "patch"
  | "defender"
  | "diagnostics";

export type EndpointProtocol = "https" | "http" | "udp" | "tcp";

export interface EndpointPort {
  port: number;
  protocol: EndpointProtocol;
}

/** One outbound destination of the stamp, as the catalog lists it. */
export interface CatalogEndpoint {
  /** A concrete host, or a wildcard (`*.trafficmanager.net`) that only an FQDN rule can allow. */
  host: string;
  /** A URL path, where the documentation names one (`aka.ms/azurestackautomaticupdate`). */
  path?: string;
  purpose: EndpointPurpose;
  /** The code the bridge reports when this endpoint cannot be reached. */
  code: ErrorCode;
  /** `error`: its loss breaks usage reporting; `warning`: it may. */
  severity: "error" | "warning";
  /** Checked by default (the usage bridge needs it); others are listed by `endpoints --all`. */
  required: boolean;
  ports: EndpointPort[];
  /** Service tags whose address ranges contain this endpoint, beyond `Internet` and `AzureCloud`. */
  serviceTags: string[];
  note?: string;
}

/** A destination the catalog knows only by the deployment's own configuration (time and DNS servers). */
export interface ConfiguredEndpoint {
  configKey: "timeServer" | "dnsServers";
  purpose: "time" | "dns";
  code: ErrorCode;
  severity: "error";
  ports: EndpointPort[];
  note: string;
}

export const CATALOG_VERSION = "2019.12-azs2301";
export const CATALOG_SOURCE =
  "Azure Stack Hub datacenter integration, \"Ports and URLs (outbound)\" (azure-stack/operator/azure-stack-integrate-endpoints.md, 12/2019 revision, same as the azs-2008 and azs-2301 views), with azure-stack-transparent-proxy.md and azure-stack-firewall.md";

const HTTPS: EndpointPort = { port: 443, protocol: "https" };
const HTTP: EndpointPort = { port: 80, protocol: "http" };

interface CloudHosts {
  usage: string;
  arm: string;
  identity: string[];
  blob: string;
  blobProtocol: EndpointPort;
}

const HOSTS: Readonly<Record<CloudName, CloudHosts>> = {
  AzureCloud: {
    usage: "*.trafficmanager.net",
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
    usage: "*.usgovtrafficmanager.net",
    arm: "management.usgovcloudapi.net",
    identity: ["login.microsoftonline.us", "graph.windows.net"],
    blob: "*.blob.core.usgovcloudapi.net",
    blobProtocol: HTTPS,
  },
  AzureChinaCloud: {
    usage: "*.trafficmanager.cn",
    arm: "management.chinacloudapi.cn",
    identity: ["login.chinacloudapi.cn", "graph.chinacloudapi.cn"],
    blob: "*.blob.core.chinacloudapi.cn",
    blobProtocol: HTTP,
  },
};

const IDENTITY_TAGS = ["AzureActiveDirectory"];
const ARM_TAGS = ["AzureResourceManager"];

function required(cloud: CloudName): CatalogEndpoint[] {
  const h = HOSTS[cloud];
  return [
    { host: h.usage, purpose: "usage", code: "NetworkError", severity: "error", required: true, ports: [HTTPS], serviceTags: [] },
    {
      host: "*.microsoftazurestack.com",
      purpose: "usage-legacy",
      code: "NetworkError",
      severity: "warning",
      required: true,
      ports: [HTTPS],
      serviceTags: [],
      note: "listed in the 05/2019 revision only; kept as a warning",
    },
    { host: h.arm, purpose: "registration", code: "NetworkError", severity: "error", required: true, ports: [HTTPS], serviceTags: ARM_TAGS },
    ...h.identity.map(
      (host): CatalogEndpoint => ({
        host,
        purpose: "identity",
        code: "LoginError",
        severity: "error",
        required: true,
        ports: [HTTP, HTTPS],
        serviceTags: host.startsWith("management.") ? ARM_TAGS : IDENTITY_TAGS,
      }),
    ),
  ];
}

function optional(cloud: CloudName): CatalogEndpoint[] {
  const h = HOSTS[cloud];
  const other = (host: string, purpose: EndpointPurpose, ports: EndpointPort[], extra: Partial<CatalogEndpoint> = {}): CatalogEndpoint => ({
    host,
    purpose,
    code: "NetworkError",
    severity: "warning",
    required: false,
    ports,
    serviceTags: [],
    ...extra,
  });
  return [
    other(h.arm, "marketplace", [HTTPS], { serviceTags: ARM_TAGS }),
    other(h.blob, "marketplace", [h.blobProtocol]),
    other("*.azureedge.net", "marketplace", [HTTPS]),
    other("*.azureedge.net", "patch", [HTTPS]),
    other("aka.ms", "patch", [HTTPS], { path: "/azurestackautomaticupdate" }),
    ...["*.wdcp.microsoft.com", "*.wdcpalt.microsoft.com", "*.wd.microsoft.com", "*.update.microsoft.com", "*.download.microsoft.com", "secure.aadcdn.microsoftonline-p.com"].map(
      (host) => other(host, "defender", [HTTP, HTTPS]),
    ),
    other("www.microsoft.com", "defender", [HTTP, HTTPS], { path: "/pkiops/crl" }),
    other("www.microsoft.com", "defender", [HTTP, HTTPS], { path: "/pkiops/certs" }),
    other("crl.microsoft.com", "defender", [HTTP, HTTPS], { path: "/pki/crl/products" }),
    other("www.microsoft.com", "defender", [HTTP, HTTPS], { path: "/pki/certs" }),
    other(h.blob, "diagnostics", [HTTPS], {
      note: "the Azure Storage blob SAS URL given for log collection: one storage account under this domain",
    }),
  ];
}

/** Time and DNS servers are the deployment's own; the catalog knows their ports and what their loss causes. */
export const CONFIGURED_ENDPOINTS: readonly ConfiguredEndpoint[] = [
  {
    configKey: "timeServer",
    purpose: "time",
    code: "Unauthorized",
    severity: "error",
    ports: [{ port: 123, protocol: "udp" }],
    note: "clock skew over 300 s breaks the bridge's signed assertions",
  },
  {
    configKey: "dnsServers",
    purpose: "dns",
    code: "NetworkError",
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
 * integration (LDAP, LDAP SSL, global catalog, global catalog SSL) and the AD FS metadata endpoint.
 */
export type DeploymentEndpointPurpose = "crl" | "ldap" | "ldap-ssl" | "ldap-gc" | "ldap-gc-ssl" | "adfs-metadata";

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

/** From the source's outbound table: CRL, LDAP, LDAP SSL, LDAP GC, LDAP GC SSL, AD FS. Same in every cloud. */
export const DEPLOYMENT_ENDPOINTS: readonly DeploymentEndpoint[] = [
  {
    host: "<CRL distribution points of your certificates>",
    purpose: "crl",
    label: "CRL",
    severity: "info",
    required: false,
    ports: [HTTP],
    note: "revocation checks of your certificates, at the URLs under their CRL Distribution Points",
  },
  {
    host: AD_FOREST_DCS,
    purpose: "ldap",
    label: "LDAP",
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
    severity: "info",
    required: false,
    ports: [{ port: 636, protocol: "tcp" }],
    note: `LDAP over SSL to ${GRAPH}`,
  },
  {
    host: AD_FOREST_GCS,
    purpose: "ldap-gc",
    label: "LDAP GC",
    severity: "info",
    required: false,
    ports: [{ port: 3268, protocol: "tcp" }],
    note: `global catalog LDAP to ${GRAPH}`,
  },
  {
    host: AD_FOREST_GCS,
    purpose: "ldap-gc-ssl",
    label: "LDAP GC SSL",
    severity: "info",
    required: false,
    ports: [{ port: 3269, protocol: "tcp" }],
    note: `global catalog LDAP over SSL to ${GRAPH}`,
  },
  {
    host: "<your AD FS host>",
    purpose: "adfs-metadata",
    label: "AD FS",
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
  return `not in this output: ${parts.join(", ")}: their hosts are your deployment's own (your certificates' CRL distribution points, your AD forest, your AD FS host); allow them yourself where the stamp needs them`;
}

/**
 * The catalog endpoints of one cloud: those the usage bridge needs, or with `all`, every outbound one with
 * a known host. Destinations whose host is the deployment's own are `CONFIGURED_ENDPOINTS` (time, DNS) and
 * `DEPLOYMENT_ENDPOINTS` (CRL, LDAP, AD FS): never here, so nothing probes or allow-lists a made-up name.
 */
export function catalogEndpoints(cloud: CloudName, options: { all?: boolean } = {}): CatalogEndpoint[] {
  return options.all ? [...required(cloud), ...optional(cloud)] : required(cloud);
}

export function isWildcardHost(host: string): boolean {
  return host.startsWith("*");
}
