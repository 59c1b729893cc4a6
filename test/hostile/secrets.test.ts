/**
 * A canary secret in every secret-bearing place must never come out: not in any output format, not in an
 * `--output` file, not in an error message, not on stderr (progress lines included). bridgeguard has no
 * debug or verbose logging mode; stderr (errors, notices, the probe's progress lines) is all it logs.
 *
 * - audit: a stack export's secrets, as ciphertext and as `--show-secrets` plaintext, in the registration
 *   token and in properties the checks read (a registration field, a firewall rule's name and FQDN), and
 *   a proxy password in bridgeguard.yaml; one test per format, stdout and `--output`; the same file made
 *   invalid next to the secret; a baseline written from it.
 * - probe: a proxy password via `--proxy`, via `HTTPS_PROXY`, and via `probe.proxy` in the config, against
 *   a loopback proxy that accepts it and one that reflects it back in its 407; one test per format, with
 *   progress lines and `--output`; and once through the built CLI with `HTTPS_PROXY` in its environment.
 * - pack: secrets in a property the checks read, and a proxy password in the pack's config next to an
 *   error, through the real pack process.
 * - program: a proxy password in the `bridgeguard:` config (as a Pulumi secret) next to a failing lookup
 *   and next to a config error.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { stringify } from "yaml";
import { FORMATS } from "../../src/report";
import { PackHarness } from "../pack/harness";
import { stackRequestsFromFile } from "../pack/stack-export";
import { policyPackConfig } from "../../src/pack/config";
import { loadConfig } from "../../src/engine/config";
import { probeCli } from "../probe/helpers/cli";
import { cleanupPki, createCa, issueLeaf, type TestCa, type TestLeaf } from "../probe/helpers/pki";
import { closeAll, startProxy, startTlsServer } from "../probe/helpers/servers";
import { FakeArm, healthyBodies, healthyConfig, pulumiConfig } from "../program/arm";
import { expectNoCrash, runCli } from "./cli";
import { CANARY, canaryForms, expectNoCanary, plantSecrets, ROOT, tempDir, type Json } from "./helpers";
import { closeHostile, startReflectingProxy } from "./servers";

const dir = tempDir("bridgeguard-secrets-");
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const PROXY_USER = "probe";
/** Every form of the proxy password a leak could take: as typed, percent-encoded, inside the Basic token. */
const PROXY_FORMS = [Buffer.from(`${PROXY_USER}:${CANARY}`).toString("base64")];

function expectClean(text: string, where: string): void {
  expectNoCanary(text, where, PROXY_FORMS);
  for (const form of canaryForms(PROXY_FORMS)) expect(text, where).not.toContain(form);
}

// ---------------------------------------------------------------------------------------------------
// audit

describe("audit: stack export secrets and a config proxy password, in every format", () => {
  let exportFile: string;
  let configFile: string;

  beforeAll(() => {
    const exp = plantSecrets(JSON.parse(fs.readFileSync(path.join(ROOT, "examples", "misconfigured-stamp.json"), "utf8")) as Json);
    const text = JSON.stringify(exp, null, 2);
    // The planted canary is there, as ciphertext and as plaintext, where the checks read and where they do not.
    expect(text).toContain(Buffer.from(CANARY).toString("base64"));
    expect(text).toContain(`\\"${CANARY}\\"`);
    expect(text).toMatch(new RegExp(`"billingModel": \\{[^}]*${CANARY}`));
    exportFile = path.join(dir, "planted.json");
    fs.writeFileSync(exportFile, text);
    const config = { ...(loadConfig(path.join(ROOT, "examples", "bridgeguard.yaml")) as unknown as Record<string, unknown>) };
    config.probe = { proxy: `http://${PROXY_USER}:${CANARY}@proxy.example.test:3128`, timeout: "20s" };
    configFile = path.join(dir, "bridgeguard.yaml");
    fs.writeFileSync(configFile, stringify(config));
  });

  it.each(FORMATS)("%s: stdout, stderr and the --output file carry no secret", async (format) => {
    const toStdout = await runCli(["audit", exportFile, "--config", configFile, "--format", format]);
    expectNoCrash(toStdout, format);
    expect(toStdout.status).toBe(1);
    expect(toStdout.stdout.length).toBeGreaterThan(500);
    expectClean(toStdout.stdout + toStdout.stderr, `${format} on stdout`);

    const output = path.join(dir, `report.${format}`);
    const toFile = await runCli(["audit", exportFile, "--config", configFile, "--format", format, "--output", output]);
    expect(toFile.status).toBe(1);
    expectClean(toFile.stdout + toFile.stderr + fs.readFileSync(output, "utf8"), `${format} --output`);
  });

  it("an invalid file next to the secrets: the error names the path, never the secret", async () => {
    const exp = JSON.parse(fs.readFileSync(exportFile, "utf8")) as { deployment: { resources: { type: string; outputs: Record<string, unknown> }[] } };
    const registration = exp.deployment.resources.find((r) => r.type.includes("Registration"))!;
    registration.outputs.cloudId = { "4dabf18193072939515e22adb298388d": "not-the-secret-signature", plaintext: JSON.stringify(CANARY) };
    const broken = path.join(dir, "broken.json");
    fs.writeFileSync(broken, JSON.stringify(exp));
    const run = await runCli(["audit", broken, "--config", configFile]);
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(/cloudId: expected a string, got an object/);
    expectClean(run.stdout + run.stderr, "invalid next to a secret");

    const truncated = path.join(dir, "truncated.json");
    const text = fs.readFileSync(exportFile, "utf8");
    fs.writeFileSync(truncated, text.slice(0, text.indexOf(CANARY) + 4));
    const cut = await runCli(["audit", truncated]);
    expect(cut.status).toBe(2);
    expectClean(cut.stdout + cut.stderr, "truncated inside a secret");
  });

  it("a baseline written from the planted export carries no secret", async () => {
    const baseline = path.join(dir, "baseline.json");
    const run = await runCli(["audit", exportFile, "--config", configFile, "--create-baseline", baseline, "--format", "json"]);
    expectNoCrash(run, "create-baseline");
    expectClean(fs.readFileSync(baseline, "utf8"), "baseline");
  });

  it("policy-config never copies the proxy password into the pack's configuration", async () => {
    const run = await runCli(["policy-config", "--config", configFile]);
    expect(run.status).toBe(0);
    expectClean(run.stdout + run.stderr, "policy-config");
  });
});

// ---------------------------------------------------------------------------------------------------
// probe

const USAGE_WILDCARD = "*.trafficmanager.net";
const USAGE = "usage.trafficmanager.net";

describe("probe: a proxy password from --proxy, HTTPS_PROXY or the config, in every format", () => {
  let ca: TestCa;
  let caFile: string;
  let leaf: TestLeaf;

  beforeAll(async () => {
    ca = await createCa("bridgeguard Secrets Test CA");
    caFile = path.join(dir, "ca.pem");
    fs.writeFileSync(caFile, ca.certPem);
    leaf = await issueLeaf(ca, [USAGE]);
  });
  afterEach(async () => {
    await closeAll();
    await closeHostile();
  });
  afterAll(() => cleanupPki());

  const ENV_KEYS = ["HTTPS_PROXY", "https_proxy", "HTTP_PROXY", "http_proxy", "ALL_PROXY", "all_proxy", "NO_PROXY", "no_proxy"] as const;

  /** Runs the probe with the proxy URL given one way, restoring the environment after. */
  async function probeThrough(source: "--proxy" | "HTTPS_PROXY" | "config", proxyUrl: string, format: string, serverPort: number, output: string) {
    const saved = Object.fromEntries(ENV_KEYS.map((k) => [k, process.env[k]]));
    for (const k of ENV_KEYS) delete process.env[k];
    const args = ["--ca-file", caFile, "--stage-timeout", "800ms", "--timeout", "6s", "--format", format, "--output", output];
    args.push("--host-for", `${USAGE_WILDCARD}=${USAGE}`, "--only", `${USAGE}:443`, "--connect-to", `${USAGE}:443:127.0.0.1:${serverPort}`);
    if (source === "--proxy") args.push("--proxy", proxyUrl);
    if (source === "HTTPS_PROXY") process.env.HTTPS_PROXY = proxyUrl;
    if (source === "config") {
      const configFile = path.join(dir, "probe-config.yaml");
      fs.writeFileSync(configFile, stringify({ probe: { proxy: proxyUrl } }));
      args.push("--config", configFile);
    }
    try {
      return await probeCli(args, { tty: true });
    } finally {
      for (const k of ENV_KEYS) {
        if (saved[k] === undefined) delete process.env[k];
        else process.env[k] = saved[k];
      }
    }
  }

  for (const source of ["--proxy", "HTTPS_PROXY", "config"] as const) {
    it.each(FORMATS)(`${source}, %s: accepted and reflected credentials never come out`, async (format) => {
      const server = await startTlsServer({ leaf });
      const proxy = await startProxy({ user: PROXY_USER, password: CANARY });
      const output = path.join(dir, `probe-${source}.${format}`);
      const ok = await probeThrough(source, `http://${PROXY_USER}:${CANARY}@127.0.0.1:${proxy.port}`, format, server.port, output);
      expect(proxy.hits(), ok.stderr).toBe(1);
      expect(proxy.authorizations).toEqual([`Basic ${PROXY_FORMS[0]}`]);
      const everything = ok.stdout + ok.stderr + fs.readFileSync(output, "utf8");
      expectClean(everything, `${source} ${format}`);
      expect(everything).toContain("***@127.0.0.1");

      // A hostile proxy that answers 407 with the credentials it was sent in its status line and challenges.
      const reflecting = await startReflectingProxy();
      const denied = await probeThrough(source, `http://${PROXY_USER}:${CANARY}@127.0.0.1:${reflecting.port}`, format, server.port, output);
      expect(reflecting.seen).toEqual([PROXY_FORMS[0]]);
      expectClean(denied.stdout + denied.stderr + fs.readFileSync(output, "utf8"), `${source} ${format} (reflecting proxy)`);
      expect(denied.code).toBe(1);
    });
  }

  it("through the built CLI, with HTTPS_PROXY in its environment: nothing on stdout or stderr", async () => {
    const server = await startTlsServer({ leaf });
    const proxy = await startProxy({ user: PROXY_USER, password: CANARY });
    const reflecting = await startReflectingProxy();
    for (const port of [proxy.port, reflecting.port]) {
      const run = await runCli(
        ["probe", "--ca-file", caFile, "--stage-timeout", "800ms", "--timeout", "6s", "--format", "text", "--host-for", `${USAGE_WILDCARD}=${USAGE}`, "--only", `${USAGE}:443`, "--connect-to", `${USAGE}:443:127.0.0.1:${server.port}`],
        { env: { HTTPS_PROXY: `http://${PROXY_USER}:${encodeURIComponent(CANARY)}@127.0.0.1:${port}`, https_proxy: "", NO_PROXY: "", no_proxy: "" } },
      );
      expectNoCrash(run, `HTTPS_PROXY to port ${port}`);
      expect([0, 1]).toContain(run.status);
      expectClean(run.stdout + run.stderr, "built CLI with HTTPS_PROXY");
    }
  });

  it("a malformed proxy URL with a password, from each source: exit 2, never echoed", async () => {
    for (const source of ["--proxy", "HTTPS_PROXY", "config"] as const) {
      const run = await probeThrough(source, `http://${PROXY_USER}:${CANARY}@[bad`, "json", 9, path.join(dir, "bad.json"));
      expect(run.code, `${source}: ${run.stderr}`).toBe(2);
      expectClean(run.stdout + run.stderr, `malformed from ${source}`);
    }
  });
});

// ---------------------------------------------------------------------------------------------------
// pack

describe("policy pack: secrets in properties the checks read, a proxy password in its config", () => {
  let pack: PackHarness;
  beforeAll(async () => {
    pack = await PackHarness.start();
  });
  afterAll(async () => pack?.close());

  it("violations and config errors never carry a secret", async () => {
    const planted = path.join(dir, "planted-pack.json");
    fs.writeFileSync(planted, JSON.stringify(plantSecrets(JSON.parse(fs.readFileSync(path.join(ROOT, "examples", "misconfigured-stamp.json"), "utf8")) as Json)));
    const config = policyPackConfig(loadConfig(path.join(ROOT, "examples", "bridgeguard.yaml")));
    await pack.configure(config);
    const messages = (await pack.analyzeAll(stackRequestsFromFile(planted))).map((d) => d.message);
    expect(messages.length).toBeGreaterThan(5);
    expectClean(messages.join("\n"), "pack violations");

    // A hand-written pack config: a proxy password (the pack never uses it) next to an unknown key.
    const withProxy = Object.fromEntries(
      Object.entries(config).map(([policy, entry]) => [policy, { ...entry, probe: { proxy: `http://${PROXY_USER}:${CANARY}@proxy.example.test:3128`, bogus: true } }]),
    );
    await pack.configure(withProxy);
    const invalid = (await pack.analyzeAll(stackRequestsFromFile(planted))).map((d) => d.message);
    expect(invalid.join("\n")).toMatch(/invalid bridgeguard configuration.*\n.*probe\.bogus: unknown key "bogus"/);
    expectClean(invalid.join("\n"), "pack config error");
  });
});

// ---------------------------------------------------------------------------------------------------
// program

describe("verification program: a secret config value never in the failure message", () => {
  const proxyWithPassword = `http://${PROXY_USER}:${CANARY}@proxy.example.test:3128`;

  async function run(config: Record<string, unknown>, bodies = healthyBodies()): Promise<Error | undefined> {
    vi.resetModules();
    const fake = new FakeArm({ bodies });
    await pulumi.runtime.setMocks(fake.mocks(), "bridgeguard", "dev", false);
    // `pulumi config set --secret bridgeguard:probe ...`: the program is told which keys are secret.
    pulumi.runtime.setAllConfig(pulumiConfig(config), ["bridgeguard:probe", "bridgeguard:registration"]);
    const { default: program } = await import("../../src/program/index");
    const spy = vi.spyOn(console, "warn").mockImplementation(() => undefined);
    try {
      await program();
      return undefined;
    } catch (error) {
      return error as Error;
    } finally {
      spy.mockRestore();
    }
  }

  it("a failing lookup, and a config error next to the secret", async () => {
    const missing = await run(
      { ...healthyConfig(), probe: { proxy: proxyWithPassword } },
      healthyBodies().filter((b) => !b.type.toLowerCase().includes("registrations")),
    );
    expect(missing).toBeDefined();
    expect(missing!.message).toMatch(/BG101|registration/i);
    expectClean(missing!.message, "program failure");

    const invalid = await run({ ...healthyConfig(), probe: { proxy: proxyWithPassword, timeout: "soon" } });
    expect(invalid!.message).toMatch(/bridgeguard:probe\.timeout/);
    expectClean(invalid!.message, "program config error");
  });
});
