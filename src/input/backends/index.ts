/**
 * State backends (`bridgeguard audit --backend URL`): where Pulumi keeps stacks, read without the Pulumi CLI.
 * `file://DIR`, `azblob://CONTAINER` and Pulumi Cloud (`https://...`) are supported.
 */
import { UserError } from "../../model/errors";
import { cloudBackend } from "./cloud";
import { fileBackend } from "./file";
import type { Backend } from "./types";

export type { Backend, BackendStack } from "./types";

export function openBackend(url: string, env: NodeJS.ProcessEnv = process.env): Backend {
  if (url.startsWith("file://")) return fileBackend(url);
  if (/^https?:\/\//.test(url)) return cloudBackend(url, env);
  if (url.startsWith("azblob://")) {
    // Loaded only for an azblob:// URL: the Azure Storage SDK takes longer to load than auditing a
    // 10,000-resource stack, and every other run of the CLI would pay for it.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { azblobBackend } = require("./azblob") as typeof import("./azblob");
    return azblobBackend(url, env);
  }
  throw new UserError(`${url}: expected a state backend URL: file://DIR, azblob://CONTAINER or https://api.pulumi.com (or your Pulumi Cloud URL)`, url);
}
