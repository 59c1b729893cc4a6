import * as fs from "node:fs";
import * as http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cloudBackend } from "../../src/input/backends/cloud";
import { spawn } from "node:child_process";
import * as path from "node:path";
import { exampleConfig, healthy, misconfigured, ROOT, type CliResult } from "../cli/run-cli";

/** The CLI in a child process, asynchronously: the loopback server lives in this process and must answer. */
function runCli(args: string[], options: { env: NodeJS.ProcessEnv }): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const env = { ...process.env, ...options.env };
    delete env.FORCE_COLOR;
    const child = spawn(process.execPath, [path.join(ROOT, "bin", "bridgeguard.js"), ...args], { cwd: ROOT, env });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    child.on("error", reject);
    child.on("close", (status) => resolve({ status, stdout, stderr }));
  });
}

/*
 * Pulumi Cloud itself cannot run here: this loopback server answers the two endpoints the Pulumi CLI's own
 * client uses (pkg/backend/httpstate/client/client.go of pulumi/pulumi), with the documented shapes:
 * `GET /api/user/stacks` → `{stacks: [{orgName, projectName, stackName}], continuationToken?}` (paged), and
 * `GET /api/stacks/{org}/{project}/{stack}/export` → the stack export. It refuses requests without
 * `Authorization: token <PULUMI_ACCESS_TOKEN>`, and fails one export with HTTP 500.
 */
const TOKEN = "pul-test-token-0123456789";
let server: http.Server;
let base: string;
const seen: string[] = [];

beforeAll(async () => {
  server = http.createServer((req, res) => {
    seen.push(`${req.method} ${req.url} ${req.headers.authorization === `token ${TOKEN}` ? "auth" : "no-auth"} ${req.headers.accept}`);
    if (req.headers.authorization !== `token ${TOKEN}`) {
      res.writeHead(401).end('{"code":401,"message":"Unauthorized: No credentials provided or are invalid."}');
      return;
    }
    const url = new URL(req.url ?? "/", "http://x");
    const json = (body: unknown) => res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(body));
    if (url.pathname === "/api/user/stacks") {
      if (!url.searchParams.get("continuationToken")) {
        return json({ stacks: [{ orgName: "contoso", projectName: "azs-border", stackName: "prod", id: "1" }], continuationToken: "page-2" });
      }
      return json({ stacks: [{ orgName: "contoso", projectName: "azs-border", stackName: "lab", id: "2" }, { orgName: "contoso", projectName: "azs-edge", stackName: "dev", id: "3" }] });
    }
    const exports: Record<string, string> = {
      "/api/stacks/contoso/azs-border/prod/export": healthy,
      "/api/stacks/contoso/azs-border/lab/export": misconfigured,
    };
    const file = exports[url.pathname];
    if (file) return json(JSON.parse(fs.readFileSync(file, "utf8")));
    res.writeHead(500).end('{"code":500,"message":"internal error"}');
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

describe("Pulumi Cloud backend (REST API, loopback stand-in)", () => {
  it("lists every page of stacks with the token and the API's Accept header", async () => {
    seen.length = 0;
    const stacks = await cloudBackend(base, { PULUMI_ACCESS_TOKEN: TOKEN }).list();
    expect(stacks.map((s) => s.name)).toEqual(["azs-border/prod", "azs-border/lab", "azs-edge/dev"]);
    expect(seen).toEqual([`GET /api/user/stacks auth application/vnd.pulumi+8`, `GET /api/user/stacks?continuationToken=page-2 auth application/vnd.pulumi+8`]);
  });

  it("audits each stack's export as project/stack; a stack the service fails is an error of that stack only", async () => {
    const run = await runCli(["audit", "--backend", base, "--config", exampleConfig, "--format", "json"], { env: { PULUMI_ACCESS_TOKEN: TOKEN } });
    expect(run.status).toBe(2);
    const report = JSON.parse(run.stdout);
    expect(report.stacks.map((s: { file: string; error?: string }) => [s.file, s.error ?? "ok"])).toEqual([
      ["azs-border/prod", "ok"],
      ["azs-border/lab", "ok"],
      ["azs-edge/dev", `azs-edge/dev: ${base} answered HTTP 500`],
    ]);
    expect(new Set(report.findings.map((f: { file: string }) => f.file))).toEqual(new Set(["azs-border/lab"]));
  });

  it("without PULUMI_ACCESS_TOKEN, or with a wrong one: one line saying what to set, exit 2, the token never printed", async () => {
    const none = await runCli(["audit", "--backend", base], { env: { PULUMI_ACCESS_TOKEN: "" } });
    expect(none.status).toBe(2);
    expect(none.stderr).toContain("set PULUMI_ACCESS_TOKEN");
    const wrong = await runCli(["audit", "--backend", base], { env: { PULUMI_ACCESS_TOKEN: "wrong-token-secret" } });
    expect(wrong.status).toBe(2);
    expect(wrong.stderr).toContain("answered HTTP 401: check PULUMI_ACCESS_TOKEN");
    expect(wrong.stderr + wrong.stdout).not.toContain("wrong-token-secret");
  });
});
