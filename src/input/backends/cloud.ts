/**
 * Pulumi Cloud (https://api.pulumi.com, or a self-hosted service URL), read through its REST API as the
 * Pulumi CLI reads it (pkg/backend/httpstate/client of pulumi/pulumi):
 * - stacks: `GET /api/user/stacks[?continuationToken=...]` answers `{stacks: [{orgName, projectName,
 *   stackName, ...}], continuationToken?}` (`ListStacksResponse`, sdk/go/common/apitype/stacks.go), paged
 *   until no token comes back;
 * - state: `GET /api/stacks/{org}/{project}/{stack}/export` answers the stack export (`UntypedDeployment`,
 *   `{version, deployment}`), secrets still encrypted.
 * Every request carries `Authorization: token $PULUMI_ACCESS_TOKEN` and `Accept: application/vnd.pulumi+8`.
 */
import { UserError } from "../../model/errors";
import type { Backend, BackendStack } from "./types";

interface StackSummary {
  orgName: string;
  projectName: string;
  stackName: string;
}

const ACCEPT = "application/vnd.pulumi+8";
/** At most this many pages of stacks: a service that keeps answering with a token must not loop forever. */
const MAX_PAGES = 1000;

export function cloudBackend(url: string, env: NodeJS.ProcessEnv = process.env): Backend {
  const base = url.replace(/\/+$/, "");
  const token = env.PULUMI_ACCESS_TOKEN;
  const get = async (path: string, what: string): Promise<Response> => {
    if (!token) throw new UserError(`${base}: set PULUMI_ACCESS_TOKEN to read stacks from Pulumi Cloud`, base);
    let response: Response;
    try {
      response = await fetch(`${base}${path}`, { headers: { Authorization: `token ${token}`, Accept: ACCEPT } });
    } catch (error) {
      const cause = (error as { cause?: { code?: string } }).cause?.code;
      throw new UserError(`${what}: cannot reach ${base} (${cause ?? (error as Error).message})`, what);
    }
    if (!response.ok) {
      await response.body?.cancel();
      const hint = response.status === 401 || response.status === 403 ? ": check PULUMI_ACCESS_TOKEN" : "";
      throw new UserError(`${what}: ${base} answered HTTP ${response.status}${hint}`, what);
    }
    return response;
  };
  return {
    url: base,
    async list(): Promise<BackendStack[]> {
      const summaries: StackSummary[] = [];
      let continuation: string | undefined;
      for (let page = 0; page < MAX_PAGES; page++) {
        const query = continuation ? `?continuationToken=${encodeURIComponent(continuation)}` : "";
        const body = (await (await get(`/api/user/stacks${query}`, base)).json()) as { stacks?: unknown; continuationToken?: unknown };
        if (!Array.isArray(body.stacks)) throw new UserError(`${base}: /api/user/stacks: expected {stacks: [...]}`, base);
        for (const s of body.stacks as Record<string, unknown>[]) {
          if (typeof s?.orgName === "string" && typeof s.projectName === "string" && typeof s.stackName === "string") summaries.push(s as unknown as StackSummary);
        }
        continuation = typeof body.continuationToken === "string" && body.continuationToken !== "" ? body.continuationToken : undefined;
        if (!continuation) break;
      }
      return summaries.map((s) => {
        const name = `${s.projectName}/${s.stackName}`;
        const path = `/api/stacks/${[s.orgName, s.projectName, s.stackName].map(encodeURIComponent).join("/")}/export`;
        return { name, read: async () => Buffer.from(await (await get(path, name)).arrayBuffer()) };
      });
    },
  };
}
