/**
 * `--timeout` is a deadline for the process, not only for the measurements: the built CLI is spawned
 * against loopback servers that never answer (a DNS server, the system resolver pointed at a silent
 * server, a TLS handshake that stalls, an HTTP answer dripped one byte a second, a proxy that never
 * answers CONNECT, a silent SNTP server), and the process must have EXITED by the deadline plus a
 * second: no socket, timer or DNS lookup may keep it alive. The bound asserted is the deadline plus
 * 1.5 s, for a loaded 2-core machine. A run that tested nothing is never green: exit 3.
 */
import { execFileSync, spawn } from "node:child_process";
import * as dgram from "node:dgram";
import * as fs from "node:fs";
import * as path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { closeHostile, startDripHttps, startSilentProxy, startStalledHandshake } from "../hostile/servers";
import { useFilePki } from "./helpers/file-pki";
import { closeAll, startSilentUdp } from "./helpers/servers";

const ROOT = path.resolve(__dirname, "..", "..");
const BIN = path.join(ROOT, "bin", "bridgeguard.js");
const SLACK_MS = 1500;
const USAGE = "usage.trafficmanager.net";

interface Exit {
  status: number | null;
  stdout: string;
  stderr: string;
  ms: number;
}

/** Spawns `command` and measures until the process has exited (not until its report is written). */
function spawnTimed(command: string, args: string[], killAfterMs = 60_000): Promise<Exit> {
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: ROOT, stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, NO_COLOR: "1" } });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (s: string) => (stdout += s));
    child.stderr.setEncoding("utf8").on("data", (s: string) => (stderr += s));
    const killer = setTimeout(() => child.kill("SIGKILL"), killAfterMs);
    child.on("error", reject);
    // Timed at "exit", not "close": the process itself must be gone.
    let ms = 0;
    child.on("exit", () => (ms = Date.now() - started));
    child.on("close", (status) => {
      clearTimeout(killer);
      resolve({ status, stdout, stderr, ms });
    });
  });
}

const cli = (args: string[]) => spawnTimed(process.execPath, [BIN, "probe", ...args]);

const pki = useFilePki("Process Deadline", USAGE);

afterEach(async () => {
  await closeHostile();
  await closeAll();
});

describe("the process exits by --timeout plus a second", () => {
  it("a DNS server that never answers (--dns-server): exit 3, in time", async () => {
    const dns = await startSilentUdp();
    const run = await cli(["--timeout", "3s", "--format", "json", "--dns-server", `127.0.0.1:${dns.port}`]);
    expect(run.ms, run.stderr).toBeLessThan(3000 + SLACK_MS);
    expect(run.status, run.stderr).toBe(3);
    expect(run.stderr).toMatch(/probe could not run: none of the DNS servers answered/);
    expect(JSON.parse(run.stdout).findings.length).toBeGreaterThan(0);
    expect(dns.hits()).toBeGreaterThan(0);
  });

  it("servers that stall, drip and never answer, with stage deadlines longer than the run: exit 3, in time", async () => {
    const drip = await startDripHttps(pki.leaf);
    const stalled = await startStalledHandshake();
    const proxy = await startSilentProxy();
    const sntp = await startSilentUdp();
    const run = await cli([
      "--ca-file",
      pki.caFile,
      "--format",
      "json",
      "--timeout",
      "3s",
      "--stage-timeout",
      "30s",
      "--time-server",
      `127.0.0.1:${sntp.port}`,
      "--host-for",
      `*.trafficmanager.net=${USAGE}`,
      "--only",
      `${USAGE}:443,management.azure.com:443,login.microsoftonline.com:443`,
      "--connect-to",
      `${USAGE}:443:127.0.0.1:${drip.port}`,
      "--connect-to",
      `management.azure.com:443:127.0.0.1:${stalled.port}`,
      "--connect-to",
      `login.microsoftonline.com:443:127.0.0.1:${proxy.port}`,
    ]);
    expect(run.ms, run.stderr).toBeLessThan(3000 + SLACK_MS);
    // Nothing reached a verdict (every stage was cut by the run's deadline): never green.
    expect(run.status, run.stderr).toBe(3);
    expect(run.stderr).toMatch(/probe could not run: no endpoint could be tested \(\d+ cut by the whole-run deadline/);
    const findings = JSON.parse(run.stdout).findings as { rule: { id: string } }[];
    expect(findings.every((f) => f.rule.id === "BG610")).toBe(true);
    expect(drip.hits() + stalled.hits() + proxy.hits()).toBe(3);
  });

  // The system resolver (getaddrinfo) cannot be cancelled in-process: this points it at a silent server by
  // bind-mounting a resolv.conf in a private mount namespace, which needs root (and util-linux's unshare).
  const canUnshare = (() => {
    if (process.getuid?.() !== 0) return false;
    try {
      execFileSync("unshare", ["--mount", "true"], { stdio: "ignore" });
      return true;
    } catch {
      return false;
    }
  })();

  it.skipIf(!canUnshare)("the system resolver pointed at a DNS server that never answers: exit 3, in time", async () => {
    const address = `127.0.${Math.floor(Math.random() * 200) + 20}.${Math.floor(Math.random() * 200) + 20}`;
    const socket = dgram.createSocket("udp4");
    let queries = 0;
    socket.on("message", () => queries++);
    await new Promise<void>((resolve, reject) => {
      socket.once("error", reject);
      socket.bind(53, address, () => resolve());
    });
    const resolvConf = path.join(pki.dir, "resolv.conf");
    fs.writeFileSync(resolvConf, `nameserver ${address}\noptions timeout:5 attempts:2\n`);
    try {
      const run = await spawnTimed("unshare", [
        "--mount",
        "sh",
        "-c",
        'mount --bind "$0" /etc/resolv.conf && exec "$@"',
        resolvConf,
        process.execPath,
        BIN,
        "probe",
        // Longer than the others: the lookups' child process takes a second to start on a busy machine.
        "--timeout",
        "5s",
        "--format",
        "json",
      ]);
      expect(run.ms, run.stderr).toBeLessThan(5000 + SLACK_MS);
      expect(run.status, run.stderr).toBe(3);
      expect(run.stderr).toMatch(/probe could not run: none of the DNS servers answered \(system resolver\)/);
      expect(queries).toBeGreaterThan(0);
    } finally {
      socket.close();
    }
  });
});
