import * as zlib from "node:zlib";
import { BlobServiceClient, StorageSharedKeyCredential, ContainerSASPermissions, generateBlobSASQueryParameters } from "@azure/storage-blob";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AZURITE_ACCOUNT, AZURITE_KEY, startAzurite, type Azurite } from "../../bench/azurite";
import { selectStacks } from "../../src/cli/backend-audit";
import { azblobAccess, azblobBackend, parseAzblobUrl } from "../../src/input/backends/azblob";
import { exampleConfig, healthy, misconfigured, runCli } from "../cli/run-cli";
import { checkpointOf } from "./helpers";

/*
 * A real Azure Blob storage emulator (Azurite) on 127.0.0.1, started once for this file, holding a
 * container laid out as `pulumi login azblob://state` leaves it (pkg/backend/diy/store.go, the same layout
 * as file://): the project layout with a plain and a gzipped stack, the files Pulumi skips (.bak, .attrs,
 * history), an older project-less stack, a corrupt stack and a corrupt gzip; and a second container whose
 * state sits below a prefix (`azblob://nested/team-a`).
 */
let azurite: Azurite;
const CONTAINER = "state";

beforeAll(async () => {
  azurite = await startAzurite();
  const service = new BlobServiceClient(azurite.serviceUrl, new StorageSharedKeyCredential(AZURITE_ACCOUNT, AZURITE_KEY));
  const put = async (container: string, key: string, body: string | Buffer): Promise<void> => {
    await service.getContainerClient(container).getBlockBlobClient(key).uploadData(Buffer.from(body));
  };
  await service.createContainer(CONTAINER);
  await put(CONTAINER, ".pulumi/stacks/azs-border/prod.json", checkpointOf(healthy, "prod"));
  await put(CONTAINER, ".pulumi/stacks/azs-border/lab.json.gz", zlib.gzipSync(checkpointOf(misconfigured, "lab")));
  await put(CONTAINER, ".pulumi/stacks/azs-border/prod.json.bak", "not json");
  await put(CONTAINER, ".pulumi/stacks/azs-border/prod.json.attrs", "{}");
  await put(CONTAINER, ".pulumi/stacks/old.json", checkpointOf(healthy, "old"));
  await put(CONTAINER, ".pulumi/history/azs-border/prod/prod-1.checkpoint.json", checkpointOf(misconfigured, "prod"));
  await put(CONTAINER, ".pulumi/stacks/broken/dev.json", '{ "version": 3, ');
  await put(CONTAINER, ".pulumi/stacks/broken/gz.json.gz", "not gzip at all");
  await service.createContainer("nested");
  await put("nested", "team-a/.pulumi/stacks/azs-border/prod.json", checkpointOf(healthy, "prod"));
  await put("nested", ".pulumi/stacks/elsewhere/prod.json", checkpointOf(healthy, "prod"));
});

afterAll(async () => {
  await azurite?.stop();
});

describe("azblob:// URLs and credentials, as gocloud.dev's azureblob opener reads them", () => {
  it("the container, a key prefix, and the query overrides; an unknown parameter is an error without its value", () => {
    expect(parseAzblobUrl("azblob://state")).toMatchObject({ container: "state", prefix: "" });
    expect(parseAzblobUrl("azblob://state/team-a?storage_account=acct&domain=blob.core.usgovcloudapi.net")).toMatchObject({ container: "state", prefix: "team-a/", display: "azblob://state/team-a" });
    expect(() => parseAzblobUrl("azblob://state?sig=SECRETVALUE")).toThrow(/^azblob:\/\/state: unknown query parameter "sig"/);
    try {
      parseAzblobUrl("azblob://state?sig=SECRETVALUE");
    } catch (error) {
      expect((error as Error).message).not.toContain("SECRETVALUE");
    }
  });

  it("service URL: account.domain, the emulator's domain/account, the sovereign clouds' domain; key before SAS before connection string", () => {
    const url = parseAzblobUrl("azblob://state");
    expect(azblobAccess(url, { AZURE_STORAGE_ACCOUNT: "acct", AZURE_STORAGE_KEY: "k" })).toMatchObject({ kind: "shared-key", serviceUrl: "https://acct.blob.core.windows.net" });
    expect(azblobAccess(url, { AZURE_STORAGE_ACCOUNT: "acct", AZURE_STORAGE_SAS_TOKEN: "sv=1&sig=x" })).toEqual({ kind: "sas", serviceUrl: "https://acct.blob.core.windows.net?sv=1&sig=x" });
    expect(azblobAccess(url, { AZURE_STORAGE_ACCOUNT: "acct", AZURE_STORAGE_DOMAIN: "127.0.0.1:10000", AZURE_STORAGE_PROTOCOL: "http" })).toEqual({ kind: "azure-ad", serviceUrl: "http://127.0.0.1:10000/acct" });
    expect(azblobAccess(parseAzblobUrl("azblob://state?storage_account=gov&domain=blob.core.usgovcloudapi.net"), { AZURE_STORAGE_SAS_TOKEN: "sig=x" })).toMatchObject({ serviceUrl: "https://gov.blob.core.usgovcloudapi.net?sig=x" });
    expect(azblobAccess(url, { AZURE_STORAGE_CONNECTION_STRING: "DefaultEndpointsProtocol=https;AccountName=a;AccountKey=b" }).kind).toBe("connection-string");
    expect(() => azblobAccess(url, {})).toThrow(/set AZURE_STORAGE_ACCOUNT/);
    expect(() => azblobAccess(parseAzblobUrl("azblob://state?protocol=ftp"), { AZURE_STORAGE_ACCOUNT: "a" })).toThrow(/invalid protocol "ftp"/);
  });
});

describe("azblob:// backend against Azurite", () => {
  it("lists project/stack and the older stack layout; skips .bak, .attrs and history", async () => {
    const names = (await azblobBackend(`azblob://${CONTAINER}`, azurite.env).list()).map((s) => s.name);
    expect(names).toEqual(["azs-border/lab", "azs-border/prod", "broken/dev", "broken/gz", "old"]);
  });

  it("a path below the container is a key prefix, as Pulumi's blob.PrefixedBucket", async () => {
    expect((await azblobBackend("azblob://nested/team-a", azurite.env).list()).map((s) => s.name)).toEqual(["azs-border/prod"]);
    expect((await azblobBackend("azblob://nested", azurite.env).list()).map((s) => s.name)).toEqual(["elsewhere/prod"]);
  });

  it("--stack globs select by project/stack, or by stack name in any project", async () => {
    const stacks = await azblobBackend(`azblob://${CONTAINER}`, azurite.env).list();
    expect(selectStacks(stacks, ["azs-border/*"]).map((s) => s.name)).toEqual(["azs-border/lab", "azs-border/prod"]);
    expect(selectStacks(stacks, ["prod", "old"]).map((s) => s.name)).toEqual(["azs-border/prod", "old"]);
  });

  it("audits each stack as project/stack, gzip included; a corrupt stack is an error of that stack only (exit 2)", () => {
    const run = runCli(["audit", "--backend", `azblob://${CONTAINER}`, "--config", exampleConfig, "--format", "json"], { env: azurite.env });
    expect(run.status).toBe(2);
    const report = JSON.parse(run.stdout);
    expect(report.stacks.map((s: { file: string }) => s.file)).toEqual(["azs-border/lab", "azs-border/prod", "broken/dev", "broken/gz", "old"]);
    const error = (name: string): string => report.stacks.find((s: { file: string }) => s.file === name).error;
    expect(error("broken/dev")).toMatch(/^broken\/dev:1:\d+: invalid JSON/);
    expect(error("broken/gz")).toMatch(/^broken\/gz: cannot decompress the gzip state/);
    expect(run.stderr.trim().split("\n")).toHaveLength(2);
    // The gzipped misconfigured stack has the findings of the export it came from; the healthy ones none.
    const direct = JSON.parse(runCli(["audit", misconfigured, "--config", exampleConfig, "--format", "json", "--soft-fail"]).stdout);
    expect(new Set(report.findings.map((f: { file: string }) => f.file))).toEqual(new Set(["azs-border/lab"]));
    expect(report.findings.map((f: { fingerprint: string }) => f.fingerprint).sort()).toEqual(direct.findings.map((f: { fingerprint: string }) => f.fingerprint).sort());
  });

  it("with --stack: only the selected stacks, exit 0 when they are clean", () => {
    const run = runCli(["audit", "--backend", `azblob://${CONTAINER}`, "--stack", "*/prod", "--stack", "old", "--config", exampleConfig, "--format", "json"], { env: azurite.env });
    expect(run.stderr).toBe("");
    expect(run.status).toBe(0);
    expect(JSON.parse(run.stdout).stacks.map((s: { file: string }) => s.file)).toEqual(["azs-border/prod", "old"]);
  });

  it("a SAS token with read and list reads the container; the token never appears in the report", () => {
    const sas = generateBlobSASQueryParameters(
      { containerName: CONTAINER, permissions: ContainerSASPermissions.parse("rl"), expiresOn: new Date(Date.now() + 3600_000) },
      new StorageSharedKeyCredential(AZURITE_ACCOUNT, AZURITE_KEY),
    ).toString();
    const env = { AZURE_STORAGE_ACCOUNT: AZURITE_ACCOUNT, AZURE_STORAGE_KEY: "", AZURE_STORAGE_SAS_TOKEN: sas, AZURE_STORAGE_DOMAIN: `127.0.0.1:${azurite.port}`, AZURE_STORAGE_PROTOCOL: "http" };
    const run = runCli(["audit", "--backend", `azblob://${CONTAINER}`, "--stack", "azs-border/*", "--config", exampleConfig, "--format", "json", "--soft-fail"], { env });
    expect(run.status).toBe(0);
    expect(JSON.parse(run.stdout).stacks.map((s: { file: string }) => s.file)).toEqual(["azs-border/lab", "azs-border/prod"]);
    const signature = new URLSearchParams(sas).get("sig")!;
    expect(run.stdout + run.stderr).not.toContain(signature);
  });

  it("a wrong account key: one line naming the backend and what to check, no key, exit 2", () => {
    const wrongKey = Buffer.from("not the account key, but 64 bytes long so that it decodes fine!!").toString("base64");
    const run = runCli(["audit", "--backend", `azblob://${CONTAINER}`, "--config", exampleConfig], { env: { ...azurite.env, AZURE_STORAGE_KEY: wrongKey } });
    expect(run.status).toBe(2);
    // The error code is the service's own (Azure says AuthenticationFailed, Azurite AuthorizationFailure).
    expect(run.stderr.trim().split("\n")).toHaveLength(1);
    expect(run.stderr.trim()).toMatch(/^bridgeguard: azblob:\/\/state: Azure Blob storage answered HTTP 403 \(\w+\): check AZURE_STORAGE_ACCOUNT and AZURE_STORAGE_KEY$/);
    expect(run.stdout + run.stderr).not.toContain(wrongKey);
    expect(run.stdout + run.stderr).not.toContain(AZURITE_KEY);
  });

  it("a SAS token that does not allow listing, and a container that does not exist: one line each, exit 2", () => {
    const readOnly = generateBlobSASQueryParameters(
      { containerName: CONTAINER, permissions: ContainerSASPermissions.parse("r"), expiresOn: new Date(Date.now() + 3600_000) },
      new StorageSharedKeyCredential(AZURITE_ACCOUNT, AZURITE_KEY),
    ).toString();
    const sasEnv = { AZURE_STORAGE_ACCOUNT: AZURITE_ACCOUNT, AZURE_STORAGE_KEY: "", AZURE_STORAGE_SAS_TOKEN: readOnly, AZURE_STORAGE_DOMAIN: `127.0.0.1:${azurite.port}`, AZURE_STORAGE_PROTOCOL: "http" };
    const denied = runCli(["audit", "--backend", `azblob://${CONTAINER}`], { env: sasEnv });
    expect(denied.status).toBe(2);
    expect(denied.stderr.trim().split("\n")).toHaveLength(1);
    expect(denied.stderr).toMatch(/HTTP 403 .*check AZURE_STORAGE_SAS_TOKEN/);
    expect(denied.stderr).not.toContain(new URLSearchParams(readOnly).get("sig")!);
    const missing = runCli(["audit", "--backend", "azblob://no-such-container"], { env: azurite.env });
    expect(missing.status).toBe(2);
    expect(missing.stderr.trim()).toBe("bridgeguard: azblob://no-such-container: Azure Blob storage answered HTTP 404 (ContainerNotFound): no such container in this storage account");
  });

  it("no account and no credential at all: one line saying what to set", () => {
    const run = runCli(["audit", "--backend", `azblob://${CONTAINER}`], {
      env: { AZURE_STORAGE_ACCOUNT: "", AZURE_STORAGE_KEY: "", AZURE_STORAGE_SAS_TOKEN: "", AZURE_STORAGE_CONNECTION_STRING: "", AZURE_STORAGEBLOB_CONNECTIONSTRING: "" },
    });
    expect(run.status).toBe(2);
    expect(run.stderr.trim()).toBe(`bridgeguard: azblob://${CONTAINER}: set AZURE_STORAGE_ACCOUNT (or ?storage_account= in the URL) to the storage account that holds the container`);
  });
});
