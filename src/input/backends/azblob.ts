/**
 * Pulumi's self-managed ("diy") backend in Azure Blob storage, `azblob://CONTAINER[/PREFIX][?QUERY]`, read
 * without the Pulumi CLI, through `@azure/storage-blob`. The layout is the file backend's (see file.ts):
 * `[PREFIX/].pulumi/stacks/<project>/<stack>.json[.gz|.zst]` or the older `.pulumi/stacks/<stack>.json`.
 *
 * Where the account, the endpoint and the credentials come from is what `pulumi login azblob://...` does.
 * Pulumi (pkg/backend/diy/backend.go of pulumi/pulumi) opens the bucket through gocloud.dev's azureblob
 * driver with `azureblob.URLOpener{MakeClient: azureblob.NewDefaultClient, ServiceURLOptions:
 * *azureblob.NewDefaultServiceURLOptions()}`, and a URL path below the container becomes a key prefix
 * (`blob.PrefixedBucket`). gocloud.dev's blob/azureblob/azureblob.go then reads:
 * - the service URL: `AZURE_STORAGE_ACCOUNT`, `AZURE_STORAGE_DOMAIN` (default `blob.core.windows.net`),
 *   `AZURE_STORAGE_PROTOCOL` (`https` or `http`), `AZURE_STORAGE_IS_CDN`, `AZURE_STORAGE_IS_LOCAL_EMULATOR`,
 *   the account name and protocol of a connection string; the URL's query parameters `storage_account`,
 *   `domain`, `protocol`, `cdn`, `localemu` override them, and any other parameter is an error
 *   (`withOverrides`). `<protocol>://<account>.<domain>`, or `<protocol>://<domain>/<account>` for an
 *   emulator (a domain starting `127.0.0.1` or `localhost`, or the emulator flag), or `<protocol>://<domain>`
 *   for a CDN (`NewServiceURL`).
 * - the credential, first that applies (`newCredInfoFromEnv`): `AZURE_STORAGE_ACCOUNT` with
 *   `AZURE_STORAGE_KEY` (shared key); `AZURE_STORAGE_SAS_TOKEN` (appended to the service URL, no other
 *   credential); `AZURE_STORAGE_CONNECTION_STRING` or `AZURE_STORAGEBLOB_CONNECTIONSTRING`; else Azure AD
 *   through `DefaultAzureCredential` (environment, workload identity, managed identity, Azure CLI...).
 *   Pulumi replaces gocloud's default opener so that a SAS token still works with a URL that overrides the
 *   endpoint (`?storage_account=`): so does this.
 * Azure AD needs `@azure/identity`, an optional peer dependency loaded only then: the keys, SAS tokens and
 * connection strings work without it.
 */
import type { TokenCredential } from "@azure/core-auth";
import { AnonymousCredential, BlobServiceClient, ContainerClient, RestError, StorageSharedKeyCredential, type StoragePipelineOptions } from "@azure/storage-blob";
import { UserError } from "../../model/errors";
import { decompress, stackFileName } from "./file";
import type { Backend, BackendStack } from "./types";

/** The parts of an `azblob://` URL, as gocloud.dev reads them. */
export interface AzblobUrl {
  container: string;
  /** The key prefix below the container (`""` or ending in `/`). */
  prefix: string;
  /** Query parameter overrides (`storage_account`, `domain`, `protocol`, `cdn`, `localemu`). */
  overrides: Map<string, string>;
  /** The URL to show in messages: without its query, whose values are no business of a log. */
  display: string;
}

const QUERY_PARAMETERS = new Set(["storage_account", "domain", "protocol", "cdn", "localemu"]);

/** Go's strconv.ParseBool, which gocloud.dev uses for `cdn`, `localemu` and the `_IS_` variables. */
function parseGoBool(value: string): boolean | undefined {
  if (["1", "t", "T", "TRUE", "true", "True"].includes(value)) return true;
  if (["0", "f", "F", "FALSE", "false", "False"].includes(value)) return false;
  return undefined;
}

export function parseAzblobUrl(url: string): AzblobUrl {
  const rest = url.slice("azblob://".length);
  const queryAt = rest.indexOf("?");
  const location = queryAt < 0 ? rest : rest.slice(0, queryAt);
  const slash = location.indexOf("/");
  const container = slash < 0 ? location : location.slice(0, slash);
  const subdir = slash < 0 ? "" : location.slice(slash + 1).replace(/^\/+/, "");
  const display = `azblob://${location}`;
  if (container === "") throw new UserError(`${display}: expected azblob://CONTAINER, the blob container that holds .pulumi/`, display);
  const overrides = new Map<string, string>();
  if (queryAt >= 0) {
    const params = new URLSearchParams(rest.slice(queryAt + 1));
    for (const name of new Set(params.keys())) {
      if (!QUERY_PARAMETERS.has(name)) throw new UserError(`${display}: unknown query parameter ${JSON.stringify(name)} (expected storage_account, domain, protocol, cdn or localemu)`, display);
      if (params.getAll(name).length > 1) throw new UserError(`${display}: query parameter ${name} given more than once`, display);
      overrides.set(name, params.get(name)!);
    }
  }
  return { container: decodeURIComponent(container), prefix: subdir === "" || subdir.endsWith("/") ? subdir : `${subdir}/`, overrides, display };
}

/** How the container is reached and authenticated; every secret stays inside (never in a message). */
type Access =
  | { kind: "shared-key"; serviceUrl: string; account: string; key: string }
  | { kind: "sas"; serviceUrl: string }
  | { kind: "connection-string"; connectionString: string }
  | { kind: "azure-ad"; serviceUrl: string };

/** The service URL and credential gocloud.dev's default opener would use (see the comment at the top). */
export function azblobAccess(parsed: AzblobUrl, env: NodeJS.ProcessEnv): Access {
  const connectionString = env.AZURE_STORAGE_CONNECTION_STRING || env.AZURE_STORAGEBLOB_CONNECTIONSTRING || "";
  let account = env.AZURE_STORAGE_ACCOUNT ?? "";
  let protocol = env.AZURE_STORAGE_PROTOCOL ?? "";
  if (connectionString) {
    for (const part of connectionString.split(";")) {
      const [key, value, ...more] = part.split("=");
      if (more.length > 0 || value === undefined) continue;
      if (account === "" && key === "AccountName") account = value;
      else if (protocol === "" && key === "DefaultEndpointsProtocol") protocol = value;
    }
  }
  let domain = env.AZURE_STORAGE_DOMAIN ?? "";
  let cdn = parseGoBool(env.AZURE_STORAGE_IS_CDN ?? "") ?? false;
  let emulator = parseGoBool(env.AZURE_STORAGE_IS_LOCAL_EMULATOR ?? "") ?? false;
  const sas = env.AZURE_STORAGE_SAS_TOKEN ?? "";
  for (const [name, value] of parsed.overrides) {
    if (name === "storage_account") account = value;
    else if (name === "domain") domain = value;
    else if (name === "protocol") protocol = value;
    else {
      const flag = parseGoBool(value);
      if (flag === undefined) throw new UserError(`${parsed.display}: query parameter ${name}: expected true or false`, parsed.display);
      if (name === "cdn") cdn = flag;
      else emulator = flag;
    }
  }
  const key = env.AZURE_STORAGE_KEY ?? "";
  // A connection string names its own endpoint (NewClientFromConnectionString ignores the service URL).
  if (!(env.AZURE_STORAGE_ACCOUNT && key) && !sas && connectionString) return { kind: "connection-string", connectionString };
  if (account === "") {
    throw new UserError(`${parsed.display}: set AZURE_STORAGE_ACCOUNT (or ?storage_account= in the URL) to the storage account that holds the container`, parsed.display);
  }
  if (domain === "") domain = "blob.core.windows.net";
  if (protocol === "") protocol = "https";
  if (protocol !== "http" && protocol !== "https") throw new UserError(`${parsed.display}: invalid protocol ${JSON.stringify(protocol)} (expected https or http)`, parsed.display);
  const serviceUrl =
    domain.startsWith("127.0.0.1") || domain.startsWith("localhost") || emulator
      ? `${protocol}://${domain}/${account}`
      : cdn
        ? `${protocol}://${domain}`
        : `${protocol}://${account}.${domain}`;
  if (env.AZURE_STORAGE_ACCOUNT && key) return { kind: "shared-key", serviceUrl, account: env.AZURE_STORAGE_ACCOUNT, key };
  if (sas) return { kind: "sas", serviceUrl: `${serviceUrl}?${sas.replace(/^\?/, "")}` };
  return { kind: "azure-ad", serviceUrl };
}

/**
 * Few, quick retries: a CLI run should say what is wrong within seconds, not after the SDK's default
 * backoff (up to two minutes per request); throttling and transient faults still get a second try.
 */
const PIPELINE: StoragePipelineOptions = { retryOptions: { maxTries: 3, retryDelayInMs: 500, maxRetryDelayInMs: 4000 } };

/** The name `@azure/identity` under a variable, so that the compiler and bundlers leave it optional. */
const IDENTITY_PACKAGE = "@azure/identity";

async function containerClient(parsed: AzblobUrl, access: Access): Promise<ContainerClient> {
  switch (access.kind) {
    case "shared-key":
      return new ContainerClient(`${access.serviceUrl}/${encodeURIComponent(parsed.container)}`, new StorageSharedKeyCredential(access.account, access.key), PIPELINE);
    case "sas": {
      const [base, query] = access.serviceUrl.split("?", 2) as [string, string];
      return new ContainerClient(`${base}/${encodeURIComponent(parsed.container)}?${query}`, new AnonymousCredential(), PIPELINE);
    }
    case "connection-string":
      try {
        return BlobServiceClient.fromConnectionString(access.connectionString, PIPELINE).getContainerClient(parsed.container);
      } catch {
        throw new UserError(`${parsed.display}: AZURE_STORAGE_CONNECTION_STRING is not a valid storage connection string`, parsed.display);
      }
    case "azure-ad": {
      let identity: { DefaultAzureCredential: new () => TokenCredential };
      try {
        identity = (await import(IDENTITY_PACKAGE)) as typeof identity;
      } catch {
        throw new UserError(
          `${parsed.display}: no AZURE_STORAGE_KEY, AZURE_STORAGE_SAS_TOKEN or AZURE_STORAGE_CONNECTION_STRING; for Azure AD sign-in install @azure/identity beside bridgeguard (npm install @azure/identity)`,
          parsed.display,
        );
      }
      return new ContainerClient(`${access.serviceUrl}/${encodeURIComponent(parsed.container)}`, new identity.DefaultAzureCredential(), PIPELINE);
    }
  }
}

const CREDENTIAL_HINT: Record<Access["kind"], string> = {
  "shared-key": "check AZURE_STORAGE_ACCOUNT and AZURE_STORAGE_KEY",
  sas: "check AZURE_STORAGE_SAS_TOKEN (its permissions need read and list, and it must not have expired)",
  "connection-string": "check AZURE_STORAGE_CONNECTION_STRING",
  "azure-ad": "check the Azure AD sign-in (az login, AZURE_CLIENT_ID...) and its Storage Blob Data Reader role",
};

/**
 * One line for what the storage service or the network answered, built from the status and error code
 * only: the SDK's own messages can quote the request URL, and with it a SAS token.
 */
function describe(what: string, error: unknown, access: Access): UserError {
  if (error instanceof UserError) return error;
  if (error instanceof RestError) {
    const code = error.code ?? (error.details as { errorCode?: string } | undefined)?.errorCode;
    if (error.statusCode !== undefined) {
      const hint =
        error.statusCode === 401 || error.statusCode === 403
          ? `: ${CREDENTIAL_HINT[access.kind]}`
          : code === "ContainerNotFound"
            ? ": no such container in this storage account"
            : "";
      return new UserError(`${what}: Azure Blob storage answered HTTP ${error.statusCode}${code ? ` (${code})` : ""}${hint}`, what);
    }
    if (code) return new UserError(`${what}: cannot reach Azure Blob storage (${code})`, what);
  }
  const name = (error as { name?: string }).name;
  if (name === "CredentialUnavailableError" || name === "AuthenticationError" || name === "AggregateAuthenticationError") {
    return new UserError(`${what}: Azure AD sign-in failed: ${CREDENTIAL_HINT["azure-ad"]}`, what);
  }
  return new UserError(`${what}: cannot read from Azure Blob storage (${(error as { code?: string }).code ?? name ?? "error"})`, what);
}

export function azblobBackend(url: string, env: NodeJS.ProcessEnv = process.env): Backend {
  const parsed = parseAzblobUrl(url);
  const access = azblobAccess(parsed, env);
  const root = `${parsed.prefix}.pulumi/stacks/`;
  let client: Promise<ContainerClient> | undefined;
  const open = (): Promise<ContainerClient> => (client ??= containerClient(parsed, access));
  return {
    url: parsed.display,
    async list(): Promise<BackendStack[]> {
      const container = await open();
      const names: string[] = [];
      try {
        for await (const blob of container.listBlobsFlat({ prefix: root })) names.push(blob.name);
      } catch (error) {
        throw describe(parsed.display, error, access);
      }
      const stacks: BackendStack[] = [];
      // The two layouts of file.ts: `<project>/<stack>.json` or `<stack>.json`; deeper keys and files
      // Pulumi itself skips (`.bak`, `.attrs`) do not name a stack.
      for (const key of names.sort()) {
        const parts = key.slice(root.length).split("/");
        if (parts.length > 2 || parts.some((p) => p === "")) continue;
        const parsedName = stackFileName(parts[parts.length - 1]!);
        if (!parsedName) continue;
        const name = parts.length === 2 ? `${parts[0]}/${parsedName.stack}` : parsedName.stack;
        stacks.push({
          name,
          read: async () => {
            let bytes: Buffer;
            try {
              bytes = await container.getBlobClient(key).downloadToBuffer();
            } catch (error) {
              throw describe(name, error, access);
            }
            return decompress(name, parsedName.compression, bytes);
          },
        });
      }
      return stacks;
    },
  };
}
