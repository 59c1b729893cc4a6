/**
 * Proxy URLs as people write them, end to end against real CONNECT proxies on 127.0.0.1: a Windows
 * account (`CONTOSO\jdoe`) and passwords holding `/`, `#` or non-ASCII letters, given by `--proxy`,
 * `HTTPS_PROXY` and `probe.proxy` in the config. The credentials must reach the proxy (the tunnel comes
 * up), no part of the user info may be taken for a host (no DNS query for "contoso"), and no form of the
 * password may come out, including from a proxy that echoes what it was sent.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { stringify } from "yaml";
import { printable } from "../../src/report/text";
import { closeHostile, startReflectingProxy } from "../hostile/servers";
import { jsonReport, probeCli, type ProbeRun } from "./helpers/cli";
import { cleanupPki, createCa, issueLeaf, type TestLeaf } from "./helpers/pki";
import { closeAll, startDns, startProxy, startTlsServer } from "./helpers/servers";

const USAGE = "usage.trafficmanager.net";
const FORMATS = ["text", "json", "sarif", "junit", "markdown"] as const;

let dir: string;
let caFile: string;
let leaf: TestLeaf;

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "bridgeguard-proxy-urls-"));
  const ca = await createCa("bridgeguard Proxy URL Test CA");
  caFile = path.join(dir, "ca.pem");
  fs.writeFileSync(caFile, ca.certPem);
  leaf = await issueLeaf(ca, [USAGE]);
});

afterEach(async () => {
  await closeHostile();
  await closeAll();
});

afterAll(() => {
  fs.rmSync(dir, { recursive: true, force: true });
  cleanupPki();
});

/** Every form of `user:password` a leak could take. */
function leakForms(user: string, password: string): string[] {
  const latin1 = Buffer.from(password, "utf8").toString("latin1");
  return [
    password,
    latin1,
    printable(latin1),
    encodeURIComponent(password),
    Buffer.from(`${user}:${password}`, "utf8").toString("base64"),
    Buffer.from(`${user}:${password}`, "utf8").toString("latin1"),
  ];
}

function expectNoLeak(run: ProbeRun, user: string, password: string, where: string): void {
  const everything = run.stdout + run.stderr;
  for (const form of leakForms(user, password)) expect(everything, `${where}: ${form}`).not.toContain(form);
}

function args(serverPort: number, dnsPort: number, format = "json"): string[] {
  return [
    "--ca-file",
    caFile,
    "--stage-timeout",
    "2s",
    "--timeout",
    "8s",
    "--format",
    format,
    "--host-for",
    `*.trafficmanager.net=${USAGE}`,
    "--only",
    `${USAGE}:443`,
    "--connect-to",
    `${USAGE}:443:127.0.0.1:${serverPort}`,
    "--dns-server",
    `127.0.0.1:${dnsPort}`,
  ];
}

async function withEnv<T>(values: Record<string, string | undefined>, fn: () => Promise<T>): Promise<T> {
  const saved = Object.fromEntries(Object.keys(values).map((k) => [k, process.env[k]]));
  for (const [k, v] of Object.entries(values)) {
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
  try {
    return await fn();
  } finally {
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  }
}

const CASES = [
  { name: "a Windows account", user: "CONTOSO\\jdoe", password: "S3cret-pw", written: (p: number) => `http://CONTOSO\\jdoe:S3cret-pw@127.0.0.1:${p}` },
  { name: "a password with / and #", user: "jdoe", password: "1234/pw#x", written: (p: number) => `http://jdoe:1234/pw#x@127.0.0.1:${p}` },
  { name: "a UTF-8 password", user: "jdoe", password: "Pässwörd-€", written: (p: number) => `http://jdoe:Pässwörd-€@127.0.0.1:${p}` },
];

describe("proxy user info is parsed before the URL: the credentials reach the proxy and never come out", () => {
  for (const c of CASES) {
    for (const source of ["--proxy", "HTTPS_PROXY", "probe.proxy"] as const) {
      it(`${c.name}, from ${source}`, async () => {
        const server = await startTlsServer({ leaf });
        const proxy = await startProxy({ user: c.user, password: c.password });
        const dns = await startDns({});
        const url = c.written(proxy.port);
        let extra: string[] = [];
        let env: Record<string, string | undefined> = { HTTPS_PROXY: undefined, https_proxy: undefined, NO_PROXY: undefined, no_proxy: undefined };
        if (source === "--proxy") extra = ["--proxy", url];
        else if (source === "HTTPS_PROXY") env = { ...env, HTTPS_PROXY: url };
        else {
          const config = path.join(dir, `config-${proxy.port}.yaml`);
          fs.writeFileSync(config, stringify({ probe: { proxy: url } }));
          extra = ["--config", config];
        }
        const run = await withEnv(env, () => probeCli([...args(server.port, dns.port), ...extra], { tty: true }));
        // The tunnel came up with the right credentials: only BG611 (an explicit proxy was used).
        expect(jsonReport(run).findings.map((f) => f.rule.id), run.stdout).toEqual(["BG611"]);
        expect(proxy.authorizations).toEqual([`Basic ${Buffer.from(`${c.user}:${c.password}`).toString("base64")}`]);
        expect(server.hits()).toBe(1);
        // Nothing of the user info was taken for a host.
        expect(dns.queries.filter((q) => /contoso|jdoe|pw/i.test(q))).toEqual([]);
        expect(run.stdout).toContain("http://***@127.0.0.1");
        expectNoLeak(run, c.user, c.password, source);
      });
    }
  }

  it("a hostile proxy that echoes a UTF-8 password (decoded, as Latin-1, base64): nothing of it in any format", async () => {
    const user = "jdoe";
    const password = "Pässwörd-€-ü";
    const dns = await startDns({});
    for (const format of FORMATS) {
      const proxy = await startReflectingProxy();
      const run = await probeCli([...args(9, dns.port, format), "--proxy", `http://${user}:${password}@127.0.0.1:${proxy.port}`], { tty: true });
      // The proxy did echo it: the check below is not vacuous.
      expect(proxy.seen).toEqual([Buffer.from(`${user}:${password}`).toString("base64")]);
      expect(run.code, run.stderr).toBe(1);
      expect(run.stdout + run.stderr).toMatch(/407/);
      expectNoLeak(run, user, password, format);
    }
  });
});
