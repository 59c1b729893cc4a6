/**
 * Hostile input through the built CLI, spawned as a user runs it: a sample of the loader fuzzer's cases
 * (chosen in process: mostly ones that must fail, a few that load), the hand-made worst cases (100k
 * levels, a 10 MB URN, UTF-16, a directory, a device), hostile bridgeguard.yaml files, and the size
 * limits (a sparse 1 GiB export, `--max-input-size`, `/dev/zero`, a YAML alias bomb).
 *
 * Every run: exit 2 with exactly one stderr line naming the file, or a report (0/1); never a stack trace,
 * an internal error, an unhandled rejection, a process warning, the canary, or a hang.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import fc from "fast-check";
import { afterAll, describe, expect, it } from "vitest";
import { loadResourceFile } from "../../src/input";
import { expectNoCrash, expectOneLineError, runCli } from "./cli";
import {
  ARM_SEEDS,
  CANARY,
  count,
  describeCase,
  expandTokens,
  FUZZ_RUNS,
  FUZZ_TIMEOUT,
  jsonCase,
  mutateBytes,
  mutatedText,
  reportCounts,
  ROOT,
  seed,
  STACK_EXPORT_SEEDS,
  tempDir,
  TEXT_TOKENS,
} from "./helpers";

const dir = tempDir();
afterAll(() => {
  fs.rmSync(dir, { recursive: true, force: true });
  reportCounts();
});

const CONFIG = path.join(ROOT, "examples", "bridgeguard.yaml");
const HEALTHY = path.join(ROOT, "examples", "healthy-stamp.json");
const SEEDS = [...STACK_EXPORT_SEEDS, ...ARM_SEEDS];

function write(name: string, content: string | Buffer): string {
  const file = path.join(dir, name);
  fs.writeFileSync(file, content);
  return file;
}

/** Fuzz cases for the CLI: `failing` that the loader rejects in process, `loading` that it loads. */
function pickCases(failing: number, loading: number): { file: string; context: string; loads: boolean }[] {
  const out: { file: string; context: string; loads: boolean }[] = [];
  let wantFail = failing;
  let wantLoad = loading;
  const samples = fc.sample(jsonCase(SEEDS.length), { numRuns: 50 * (failing + loading), seed: FUZZ_RUNS ? Date.now() : 0xc11 });
  for (const [i, c] of samples.entries()) {
    if (wantFail === 0 && wantLoad === 0) break;
    const text = mutatedText(seed(SEEDS[c.seed]!), c.values);
    const file = write(`cli-case-${i}.json`, mutateBytes(text, c.bytes));
    let loads = true;
    try {
      loadResourceFile(file);
    } catch {
      loads = false;
    }
    if (loads ? wantLoad-- > 0 : wantFail-- > 0) out.push({ file, context: describeCase(c, SEEDS), loads });
    else fs.rmSync(file);
  }
  return out;
}

describe("fuzz cases through the built CLI", () => {
  const failing = FUZZ_RUNS ? Math.max(12, Math.round(FUZZ_RUNS / 100)) : 8;
  const loading = FUZZ_RUNS ? Math.max(4, Math.round(FUZZ_RUNS / 400)) : 2;

  it(
    `${failing} inputs the loader rejects: exit 2, one stderr line naming the file; ${loading} it loads: a report`,
    async () => {
      const cases = pickCases(failing, loading);
      expect(cases.length).toBe(failing + loading);
      // Two at a time: the machine may have two cores, and each run starts a Node process.
      for (let i = 0; i < cases.length; i += 2) {
        await Promise.all(
          cases.slice(i, i + 2).map(async ({ file, context, loads }) => {
            count("CLI: fuzz case through bin/bridgeguard.js");
            const run = await runCli(["audit", file, "--config", CONFIG, "--format", "json"]);
            if (loads) {
              expectNoCrash(run, context);
              expect([0, 1], `${context}: ${run.stderr}`).toContain(run.status);
              expect(() => JSON.parse(run.stdout)).not.toThrow();
            } else {
              expectOneLineError(run, context, file);
            }
          }),
        );
      }
    },
    FUZZ_TIMEOUT,
  );

  it("a hostile file among good ones, on worker threads: its one line, the others' report, exit 2", async () => {
    count("CLI: fuzz case through bin/bridgeguard.js");
    const deep = write("deep-among-good.json", `${"[".repeat(100_000)}${"]".repeat(100_000)}`);
    const run = await runCli(["audit", HEALTHY, deep, path.join(ROOT, "examples", "misconfigured-stamp.json"), "--jobs", "2", "--format", "json", "--config", CONFIG]);
    expectNoCrash(run, "deep among good");
    expect(run.status).toBe(2);
    expect(run.stderr.trim().split("\n")).toHaveLength(1);
    expect(run.stderr).toContain(deep);
    const report = JSON.parse(run.stdout) as { stacks: { file: string; error?: string }[] };
    expect(report.stacks.map((s) => Boolean(s.error))).toEqual([false, true, false]);
  });
});

/** `text` in UTF-32, as PowerShell's `Out-File -Encoding utf32` writes it (little-endian, with a BOM). */
function utf32(text: string, order: "le" | "be", bom: boolean): Buffer {
  const chars = Array.from(bom ? `\uFEFF${text}` : text);
  const out = Buffer.alloc(chars.length * 4);
  chars.forEach((c, i) => (order === "le" ? out.writeUInt32LE(c.codePointAt(0)!, i * 4) : out.writeUInt32BE(c.codePointAt(0)!, i * 4)));
  return out;
}

describe("hand-made worst cases through the built CLI", () => {
  const secret = { "4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270", plaintext: JSON.stringify(CANARY) };
  const cases: [string, () => string, RegExp][] = [
    ["100k levels of arrays", () => write("deep-array.json", `${"[".repeat(100_000)}${"]".repeat(100_000)}`), /\[0\]: expected an ARM resource/],
    ["100k levels of objects where the checks read a list", () => {
      const exp = JSON.parse(fs.readFileSync(HEALTHY, "utf8")) as { deployment: { resources: { type: string; outputs: Record<string, unknown> }[] } };
      exp.deployment.resources.find((x) => x.type.includes("RuleCollectionGroup"))!.outputs.ruleCollections = TEXT_TOKENS.deepObject;
      return write("deep-outputs.json", expandTokens(JSON.stringify(exp)));
    }, /outputs\.ruleCollections: expected an array of objects, got an object/],
    ["a 10 MB URN", () => {
      const exp = JSON.parse(fs.readFileSync(HEALTHY, "utf8")) as { deployment: { resources: { urn: string; type: string }[] } };
      const r = exp.deployment.resources.find((x) => x.type.includes("AzureFirewall"))!;
      r.urn = `urn:pulumi:x::y::azure-native:network:AzureFirewall::${"n".repeat(10 * 1024 * 1024)}`;
      return write("huge-urn.json", JSON.stringify(exp));
    }, /urn: expected at most 8192 characters .* got a string of 10485\d+/],
    ["a 10 MB rule name, with a secret beside it", () => {
      const exp = JSON.parse(fs.readFileSync(HEALTHY, "utf8")) as { deployment: { resources: { type: string; outputs: { ruleCollections?: { rules: Record<string, unknown>[] }[] } }[] } };
      const rcg = exp.deployment.resources.find((x) => x.type.includes("RuleCollectionGroup"))!;
      rcg.outputs.ruleCollections![0]!.rules[0]!.name = "r".repeat(10 * 1024 * 1024);
      rcg.outputs.ruleCollections![0]!.rules[0]!.description = secret;
      return write("huge-name.json", JSON.stringify(exp));
    }, /rules\[0\]\.name: expected at most 8192 characters/],
    ["UTF-16 (PowerShell 5's `>`)", () => write("utf16.json", Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(fs.readFileSync(HEALTHY, "utf8"), "utf16le")])), /UTF-16/],
    // UTF-32 was called UTF-16 (its little-endian mark FF FE 00 00 begins with UTF-16's FF FE).
    ["UTF-32LE with its BOM (Out-File -Encoding utf32)", () => write("utf32le.json", utf32(fs.readFileSync(HEALTHY, "utf8"), "le", true)), /the file is UTF-32, expected UTF-8 JSON/],
    ["UTF-32BE with its BOM", () => write("utf32be.json", utf32(fs.readFileSync(HEALTHY, "utf8"), "be", true)), /the file is UTF-32, expected UTF-8 JSON/],
    ["UTF-32LE without a BOM", () => write("utf32le-nobom.json", utf32(fs.readFileSync(HEALTHY, "utf8"), "le", false)), /the file is UTF-32, expected UTF-8 JSON/],
    ["UTF-16LE without a BOM", () => write("utf16-nobom.json", Buffer.from(fs.readFileSync(HEALTHY, "utf8"), "utf16le")), /the file is UTF-16, expected UTF-8 JSON/],
    ["invalid UTF-8 between two tokens", () => write("bad-utf8.json", Buffer.concat([Buffer.from('{"version": 3,'), Buffer.from([0xc3, 0x28, 0xff]), Buffer.from(' "deployment": {}}')])), /:1:15: invalid JSON/],
    ["invalid UTF-8 inside a key", () => write("bad-utf8-key.json", Buffer.concat([Buffer.from('{"version": 3, "deploy'), Buffer.from([0xc3, 0x28, 0xff]), Buffer.from('ment": {}}')])), /expected a Pulumi stack export/],
    ["a BOM twice", () => write("bom2.json", Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf, 0xef, 0xbb, 0xbf]), fs.readFileSync(HEALTHY)])), /:1:1: invalid JSON/],
    ["truncated in a secret", () => {
      const text = JSON.stringify({ version: 3, deployment: { resources: [{ urn: "urn:pulumi:a::b::c::d", type: "azure-native:azurestack:Registration", outputs: { registrationToken: secret } }] } });
      return write("truncated.json", text.slice(0, text.indexOf(CANARY) + 5));
    }, /invalid JSON: unterminated string/],
    ["duplicate keys", () => write("dup.json", '{"version": 3, "version": "3", "deployment": {"resources": []}}'), /version: expected 3 or 4, got a string/],
    ["empty", () => write("empty.json", ""), /the file is empty/],
    ["a directory", () => fs.mkdtempSync(path.join(dir, "dir-")), /is a directory/],
    ["a file that does not exist", () => path.join(dir, "nope.json"), /file not found/],
  ];
  for (const [name, make, message] of cases) {
    it(name, async () => {
      count("CLI: hand-made worst case");
      const file = make();
      const run = await runCli(["audit", file, "--format", "json"], { timeoutMs: 30_000 });
      expectOneLineError(run, name, message);
      expect(run.stderr).toContain(file);
    });
  }
});

describe("hostile bridgeguard.yaml through the built CLI", () => {
  const bomb = [`a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]`];
  for (let i = 1; i < 9; i++) bomb.push(`b${i}: &b${i} [${Array.from({ length: 10 }, () => (i === 1 ? "*a" : `*b${i - 1}`)).join(", ")}]`);
  const cases: [string, string | Buffer, RegExp][] = [
    ["an alias bomb (a billion laughs)", `${bomb.join("\n")}\n`, /invalid YAML: .*alias/i],
    ["100k levels of flow sequences", `egress: ${"[".repeat(100_000)}${"]".repeat(100_000)}\n`, /invalid YAML: nested too deeply/],
    // As deep as 1 MiB of indentation allows (MAX_CONFIG_BYTES): the parser's own stack runs out first.
    ["1400 levels of block mappings", `egress:\n${Array.from({ length: 1400 }, (_, i) => `${" ".repeat(i + 1)}k${i}:`).join("\n")} 1\n`, /nested too deeply/],
    ["a 512 KB value", `registration:\n  subscriptionId: 7c2a8e2e-3f1d-4b6a-9a7e-2d4c1b9f0a11\n  name: ${"n".repeat(512 * 1024)}\n`, /registration\.name: expected at most 8192 characters/],
    ["a key with a line break", `"clo\\nud": AzureCloud\n`, /unknown key "clo\\nud"/],
    ["a non-scalar key (no process warning on stderr)", `? [a, b]\n: c\n`, /unknown key "\[ a, b \]"/],
    ["YAML 1.1 tags that make a Set, a Map, bytes, a date", `%YAML 1.1\n---\nrules: !!omap [{BG201: {enabled: false}}]\n`, /rules: expected plain data/],
    ["a proxy password beside an error", `probe:\n  proxy: http://probe:${CANARY}@proxy.example.test:3128\n  timeout: soon\n`, /probe\.timeout: expected /],
    ["binary garbage", Buffer.from([0x00, 0xff, 0xfe, 0x1b, 0x5b, 0x32, 0x4a, 0x0a, 0x80]), /invalid YAML|expected a mapping/],
  ];
  for (const [name, content, message] of cases) {
    it(name, async () => {
      count("CLI: hostile bridgeguard.yaml");
      const file = write("bridgeguard.yaml", content);
      for (const command of [["audit", HEALTHY], ["policy-config"]]) {
        const run = await runCli([...command, "--config", file], { timeoutMs: 30_000 });
        expectOneLineError(run, `${name} (${command[0]})`, message);
        expect(run.stderr).toContain(file);
      }
    });
  }
});

describe("--jobs has an upper bound", () => {
  // Each job is a worker thread holding a whole file: --jobs 100000 would start as many threads as files.
  it.each(["65", "100000", "9007199254740993"])("--jobs %s is bad usage naming the bound", async (jobs) => {
    const run = await runCli(["audit", HEALTHY, "--jobs", jobs]);
    expect(run.status).toBe(2);
    expect(run.stdout).toBe("");
    expect(run.stderr).toMatch(/--jobs.*expected a whole number from 1 to 64/);
  });

  it("--jobs 64, the bound, is accepted", async () => {
    const run = await runCli(["audit", HEALTHY, "--jobs", "64", "--config", CONFIG]);
    expectNoCrash(run, "--jobs 64");
    expect(run.status).toBe(0);
  });
});

describe("size limits", () => {
  it("a 1 GiB stack export (sparse) fails at once, naming the limit and the flag that raises it", async () => {
    const file = path.join(dir, "huge.json");
    fs.writeFileSync(file, "");
    fs.truncateSync(file, 1024 ** 3);
    const run = await runCli(["audit", file], { timeoutMs: 20_000 });
    expectOneLineError(run, "1 GiB export", `${file}: is 1 GiB, over the 256 MiB limit (raise it with --max-input-size)`);
    // Refused from its size: nothing was read (reading a gigabyte of zeros would take seconds and memory).
    expect(run.ms).toBeLessThan(5000);
    fs.rmSync(file);
  });

  it("--max-input-size lowers and raises the limit; a value beyond what JSON.parse takes is bad usage", async () => {
    const small = await runCli(["audit", HEALTHY, "--max-input-size", "16KiB"]);
    expectOneLineError(small, "16 KiB limit", /is 38\.\d KiB, over the 16 KiB limit \(raise it with --max-input-size\)/);
    const enough = await runCli(["audit", HEALTHY, "--max-input-size", "1M", "--config", CONFIG]);
    expectNoCrash(enough, "1 MiB limit");
    expect(enough.status).toBe(0);
    const tooBig = await runCli(["audit", HEALTHY, "--max-input-size", "2GiB"]);
    expect(tooBig.status).toBe(2);
    expect(tooBig.stderr).toMatch(/--max-input-size.*at most 512 MiB|at most 5\d\d\.\d MiB/);
    const nonsense = await runCli(["audit", HEALTHY, "--max-input-size", "lots"]);
    expect(nonsense.status).toBe(2);
    expect(nonsense.stderr).toMatch(/expected a size such as 100MiB/);
  });

  it.skipIf(process.platform !== "linux")("a device with no end (/dev/zero) is read only up to the limit", async () => {
    const run = await runCli(["audit", "/dev/zero", "--max-input-size", "4MiB"], { timeoutMs: 20_000 });
    expectOneLineError(run, "/dev/zero", "/dev/zero: is larger than the 4 MiB limit (raise it with --max-input-size)");
  });

  it.skipIf(process.platform !== "linux")("probe --ca-file /dev/zero is read only up to its limit", async () => {
    const run = await runCli(["probe", "--ca-file", "/dev/zero", "--only", "login.microsoftonline.com:443"], { timeoutMs: 20_000 });
    expectOneLineError(run, "--ca-file /dev/zero", "/dev/zero: --ca-file: larger than the 16 MiB a certificate bundle can be");
  });

  describe.skipIf(process.platform !== "linux")("a file that says it is 0 bytes and reads without end (/proc/self/pagemap)", () => {
    // The limits hold on the bytes read, not on the size a file reports: procfs, sysfs and FUSE files stat
    // as 0 bytes. pagemap reads on for gigabytes (1.27 GB in 20 s, before) and takes only reads whose length
    // is a multiple of 8 (a read of "limit + 1" bytes ended in EINVAL). The run's 20 s time limit is the
    // guard against reading on; the message is what says the limit, not an error, stopped it.
    const PAGEMAP = "/proc/self/pagemap";
    it("stats as a 0-byte regular file", () => {
      const stat = fs.statSync(PAGEMAP);
      expect(stat.isFile()).toBe(true);
      expect(stat.size).toBe(0);
    });

    it.each([
      ["the input", ["audit", PAGEMAP, "--max-input-size", "8MiB"], `${PAGEMAP}: is larger than the 8 MiB limit (raise it with --max-input-size)`],
      ["--config", ["audit", HEALTHY, "--config", PAGEMAP], `${PAGEMAP}: is larger than the 1 MiB limit of a configuration file`],
      ["--baseline", ["audit", HEALTHY, "--config", CONFIG, "--baseline", PAGEMAP, "--max-input-size", "8MiB"], `${PAGEMAP}: is larger than the 8 MiB limit (raise it with --max-input-size)`],
      ["probe --ca-file", ["probe", "--ca-file", PAGEMAP, "--only", "login.microsoftonline.com:443"], `${PAGEMAP}: --ca-file: larger than the 16 MiB a certificate bundle can be`],
    ])("as %s: exit 2, one line naming the limit", async (what, args, line) => {
      const run = await runCli(args, { timeoutMs: 20_000 });
      expectOneLineError(run, `${PAGEMAP} as ${what}`, line);
    });
  });

  it("a 1 GiB bridgeguard.yaml (sparse) fails at once", async () => {
    const file = path.join(dir, "huge.yaml");
    fs.writeFileSync(file, "");
    fs.truncateSync(file, 1024 ** 3);
    const run = await runCli(["audit", HEALTHY, "--config", file], { timeoutMs: 20_000 });
    expectOneLineError(run, "1 GiB config", `${file}: is 1 GiB, over the 1 MiB limit of a configuration file`);
    expect(run.ms).toBeLessThan(5000);
    fs.rmSync(file);
  });

  // YAML costs about 500 bytes of memory per byte at its densest: 15 MiB of `{},` ran a 4 GB heap out (exit 134)
  // and 900 KB did under --max-old-space-size=64.
  it("a dense bridgeguard.yaml too large for the heap: one line naming it and the way out, exit 2", async () => {
    const file = path.join(dir, "dense.yaml");
    fs.writeFileSync(file, `x: [${"{},".repeat(300_000)}{}]\n`);
    const run = await runCli(["audit", HEALTHY, "--config", file], { env: { NODE_OPTIONS: "--max-old-space-size=64" }, timeoutMs: 30_000 });
    expectOneLineError(run, "dense config, small heap", /dense\.yaml: is 878\.9 KiB: more YAML than this process can surely parse within its \d+ MB heap limit \([\d.]+ KiB; raise it with NODE_OPTIONS=--max-old-space-size=<MB>\)$/);
    fs.rmSync(file);
  });
});

describe("no unhandled rejection, no uncaught exception, in the CLI", () => {
  // A preloaded module makes the process misbehave after bin/bridgeguard.js has installed its handlers:
  // what a bug in a socket callback or a forgotten promise would do.
  const preload = (name: string, code: string) => write(name, code);

  it("an unhandled rejection ends the run with one internal-error line and exit 2, not a stack trace and exit 1", async () => {
    const file = preload("reject.js", `setTimeout(() => { Promise.reject(new Error("deliberate rejection\\n    at somewhere (x.js:1:1)")); }, 0);\n`);
    const run = await runCli(["rules"], { env: { NODE_OPTIONS: `--require ${file}` } });
    expect(run.status).toBe(2);
    expect(run.stderr).toBe("bridgeguard: internal error: unhandled rejection: deliberate rejection\n");
  });

  it("an exception thrown from a callback: the same", async () => {
    const file = preload("throw.js", `setTimeout(() => { throw new TypeError("deliberate throw"); }, 0);\n`);
    const run = await runCli(["rules"], { env: { NODE_OPTIONS: `--require ${file}` } });
    expect(run.status).toBe(2);
    expect(run.stderr).toBe("bridgeguard: internal error: deliberate throw\n");
  });
});
