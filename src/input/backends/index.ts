/**
 * State backends (`bridgeguard audit --backend URL`): where Pulumi keeps stacks, read without the Pulumi CLI.
 * `file://DIR` and Pulumi Cloud (`https://...`) are supported.
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
    throw new UserError(`${url}: azblob:// backends are not supported yet; copy the container's .pulumi/stacks to a directory and use --backend file://DIR`, url);
  }
  throw new UserError(`${url}: expected a state backend URL: file://DIR or https://api.pulumi.com (or your Pulumi Cloud URL)`, url);
}
