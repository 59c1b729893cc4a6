/**
 * A real Azure Blob storage emulator (Azurite, the `azurite` devDependency) on 127.0.0.1, for the azblob://
 * backend's tests (test/backends/azblob.test.ts) and its benchmark (run.ts): a random free port, data in
 * memory, a scratch directory as its working directory, no telemetry (nothing leaves loopback). Stopped by `stop()`.
 */
import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

/** Azurite's one built-in account and its published key (learn.microsoft.com: "Use the Azurite emulator"). */
export const AZURITE_ACCOUNT = "devstoreaccount1";
export const AZURITE_KEY = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

/** A running Azurite blob service. */
export interface Azurite {
  port: number;
  /** `http://127.0.0.1:PORT/devstoreaccount1`, the emulator's service URL. */
  serviceUrl: string;
  /**
   * The variables `pulumi login azblob://...` reads to reach it with the account key: a domain starting
   * `127.0.0.1` puts the account in the path (gocloud.dev blob/azureblob `NewServiceURL`).
   */
  env: Record<string, string>;
  stop(): Promise<void>;
}

const ROOT = [path.resolve(__dirname, ".."), path.resolve(__dirname, "..", "..")].find((dir) => fs.existsSync(path.join(dir, "node_modules", "azurite")))!;

export function startAzurite(): Promise<Azurite> {
  const workspace = fs.mkdtempSync(path.join(os.tmpdir(), "bridgeguard-azurite-"));
  const child = spawn(
    process.execPath,
    [
      path.join(ROOT, "node_modules", "azurite", "dist", "src", "blob", "main.js"),
      ...["--blobHost", "127.0.0.1", "--blobPort", "0"],
      ...["--inMemoryPersistence", "--disableTelemetry", "--skipApiVersionCheck", "--silent"],
    ],
    // In memory (Azurite refuses --location with it): the scratch directory is only its working directory.
    { cwd: workspace, stdio: ["ignore", "pipe", "pipe"] },
  );
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const stop = async (): Promise<void> => {
    if (child.exitCode === null && child.signalCode === null) child.kill("SIGTERM");
    await exited;
    fs.rmSync(workspace, { recursive: true, force: true });
  };
  return new Promise((resolve, reject) => {
    let output = "";
    const timer = setTimeout(() => void stop().then(() => reject(new Error(`Azurite did not start within 30 s: ${output}`))), 30_000);
    const onData = (chunk: Buffer): void => {
      output += chunk.toString();
      const m = /listens on http:\/\/127\.0\.0\.1:(\d+)/.exec(output);
      if (!m) return;
      clearTimeout(timer);
      child.stdout.off("data", onData);
      child.stdout.resume();
      const port = Number(m[1]);
      resolve({
        port,
        serviceUrl: `http://127.0.0.1:${port}/${AZURITE_ACCOUNT}`,
        env: { AZURE_STORAGE_ACCOUNT: AZURITE_ACCOUNT, AZURE_STORAGE_KEY: AZURITE_KEY, AZURE_STORAGE_DOMAIN: `127.0.0.1:${port}`, AZURE_STORAGE_PROTOCOL: "http" },
        stop,
      });
    };
    child.stdout.on("data", onData);
    child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`Azurite exited (${code}) before listening: ${output}`));
    });
  });
}
