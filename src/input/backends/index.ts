/**
 * State backends (`bridgeguard audit --backend URL`): where Pulumi keeps stacks, read without the Pulumi CLI.
 * `file://DIR`, `azblob://CONTAINER` and Pulumi Cloud (`https://...`) are supported.
 */
import { UserError } from "../../model/errors";
import { azblobBackend } from "./azblob";
import { cloudBackend } from "./cloud";
import { fileBackend } from "./file";
import type { Backend } from "./types";

export type { Backend, BackendStack } from "./types";

export function openBackend(url: string, env: NodeJS.ProcessEnv = process.env): Backend {
  if (url.startsWith("file://")) return fileBackend(url);
  if (/^https?:\/\//.test(url)) return cloudBackend(url, env);
  if (url.startsWith("azblob://")) return azblobBackend(url, env);
  throw new UserError(`${url}: expected a state backend URL: file://DIR, azblob://CONTAINER or https://api.pulumi.com (or your Pulumi Cloud URL)`, url);
}
