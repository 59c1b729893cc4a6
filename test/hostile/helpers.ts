/**
 * Shared pieces of the hostile-input suite: the canary secret, the seed corpus (the repository's own
 * examples and fixtures, with the canary planted in every secret-bearing place), the mutations the
 * fuzzers apply (at the paths the checks read, on the parsed value, on the JSON text and on its bytes),
 * and the property every loader must satisfy: a result, or one `UserError` whose message is one line
 * naming the file, carries no stack and no canary.
 *
 * Case counts: `npm test` runs a bounded number (fixed seed, so CI is deterministic); `npm run fuzz`
 * sets `FUZZ_RUNS` (and may set `FUZZ_SEED`) for a long, randomly seeded run.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { Worker } from "node:worker_threads";
import fc from "fast-check";
import { afterAll } from "vitest";
import { SECRET_SIG, SIG_KEY, UNKNOWN_SENTINEL } from "../../src/input";
import { isUserError } from "../../src/model/errors";

export const ROOT = path.resolve(__dirname, "..", "..");

/** The canary secret: planted in every secret-bearing place; must never come out anywhere. */
export const CANARY = "CANARY-hostile-9d41c7e2b8";
/** The canary as the ciphertext Pulumi would store (base64 payload after `v1:`). */
export const CANARY_CIPHERTEXT = `v1:${Buffer.from(CANARY).toString("base64")}:AAABAQ`;

/** Every form of the canary that must never appear in an output. */
export function canaryForms(extra: readonly string[] = []): string[] {
  return [CANARY, Buffer.from(CANARY).toString("base64"), encodeURIComponent(CANARY), ...extra];
}

export function expectNoCanary(text: string, where: string, extra: readonly string[] = []): void {
  for (const form of canaryForms(extra)) {
    if (text.includes(form)) throw new Error(`${where}: the canary secret (${form}) leaked:\n${text.slice(Math.max(0, text.indexOf(form) - 300), text.indexOf(form) + 300)}`);
  }
}

// ---------------------------------------------------------------------------------------------------
// Case counts

/** `FUZZ_RUNS` from the environment (`npm run fuzz`); 0 in `npm test`. */
export const FUZZ_RUNS = Number(process.env.FUZZ_RUNS ?? "") || 0;
export const LONG_RUN = FUZZ_RUNS > 0;

/** fast-check parameters: `bounded` cases and a fixed seed in `npm test`; `FUZZ_RUNS × share` and a random (or `FUZZ_SEED`) seed in a fuzz run. */
export function fuzzParameters(bounded: number, share = 1): fc.Parameters<unknown> {
  if (!LONG_RUN) return { numRuns: bounded, seed: 0x5eed, endOnFailure: true };
  const seed = process.env.FUZZ_SEED ? Number(process.env.FUZZ_SEED) : undefined;
  return { numRuns: Math.max(bounded, Math.round(FUZZ_RUNS * share)), ...(seed !== undefined ? { seed } : {}), endOnFailure: true };
}

/**
 * Each case is written to a file before it runs (`FUZZ_TRACE=<file>`, or one in the temporary directory),
 * and a watchdog thread kills the process when one case runs for minutes: an endless loop in synchronous
 * code would otherwise hang the test run silently (no test timeout can interrupt it). The watchdog prints
 * the case first, so that it can be read back and replayed.
 */
const TRACE_FILE = process.env.FUZZ_TRACE ?? path.join(os.tmpdir(), `bridgeguard-fuzz-case-${process.pid}.txt`);
let watchdog: Int32Array | undefined;

// The trace matters only to a run the watchdog kills (which runs no hook); a named FUZZ_TRACE stays.
afterAll(() => {
  if (!process.env.FUZZ_TRACE) fs.rmSync(TRACE_FILE, { force: true });
});

/** Runs one case under the watchdog: `description` is what it prints if the case never ends. */
export function guarded<T>(description: string, fn: () => T): T {
  fs.writeFileSync(TRACE_FILE, `${description}\n`);
  watchdog ??= startWatchdog(Number(process.env.FUZZ_HANG_SECONDS) || (LONG_RUN ? 600 : 180));
  Atomics.store(watchdog, 0, Math.floor(Date.now() / 1000) & 0x7fffffff);
  try {
    return fn();
  } finally {
    Atomics.store(watchdog, 0, 0);
  }
}

function startWatchdog(limitSeconds: number): Int32Array {
  const shared = new Int32Array(new SharedArrayBuffer(4));
  const code = `
    const { workerData } = require("node:worker_threads");
    const fs = require("node:fs");
    const { shared, limit, file, pid } = workerData;
    const sleeper = new Int32Array(new SharedArrayBuffer(4));
    for (;;) {
      Atomics.wait(sleeper, 0, 0, 5000);
      const last = Atomics.load(shared, 0);
      if (last !== 0 && (Math.floor(Date.now() / 1000) & 0x7fffffff) - last > limit) {
        let text = "";
        try { text = fs.readFileSync(file, "utf8"); } catch {}
        fs.writeSync(2, "\\nhostile-input fuzzing: one case has run for more than " + limit + " s (a hang); it is:\\n" + text + "\\n");
        process.kill(pid, "SIGKILL");
      }
    }`;
  const worker = new Worker(code, { eval: true, workerData: { shared, limit: limitSeconds, file: TRACE_FILE, pid: process.pid } });
  worker.unref();
  return shared;
}

/** Per-test timeout: generous for a fuzz run. */
export const FUZZ_TIMEOUT = LONG_RUN ? 6 * 60 * 60_000 : 120_000;

/** Cases each fuzzer ran, reported at the end of the file (the closing note quotes these). */
export const counted = new Map<string, number>();
export function count(name: string): void {
  counted.set(name, (counted.get(name) ?? 0) + 1);
}
export function reportCounts(): void {
  const lines = [...counted].map(([name, n]) => `  ${name}: ${n} case(s)`);
  if (lines.length) process.stdout.write(`hostile-input cases run:\n${lines.join("\n")}\n`);
}

// ---------------------------------------------------------------------------------------------------
// Temporary files

export function tempDir(prefix = "bridgeguard-hostile-"): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

// ---------------------------------------------------------------------------------------------------
// The property

/**
 * What a loader may throw: a `UserError` whose message is one line, names `file` first, carries no stack
 * trace, no canary, and stays short (no value is ever copied into it).
 */
export function expectCleanUserError(error: unknown, file: string, context: string): void {
  if (!isUserError(error)) {
    const e = error as Error | undefined;
    throw new Error(`${context}: not a UserError but ${e?.name ?? typeof error}: ${e?.message ?? String(error)}\n${e?.stack ?? ""}`);
  }
  const message = error.message;
  if (/[\r\n]/.test(message)) throw new Error(`${context}: the message is not one line: ${JSON.stringify(message.slice(0, 500))}`);
  if (!message.startsWith(file)) throw new Error(`${context}: the message does not start with the file ${file}: ${message.slice(0, 300)}`);
  if (/\bat .+:\d+:\d+\)?$/m.test(message) || /\s{2,}at\s/.test(message)) throw new Error(`${context}: a stack trace in the message: ${message.slice(0, 300)}`);
  if (message.length > 2000) throw new Error(`${context}: a ${message.length}-character message (a value was copied into it?): ${message.slice(0, 300)}…`);
  expectNoCanary(message, context);
}

/** Runs `fn`: its value, or undefined after checking what it threw with `expectCleanUserError`. */
export function cleanly<T>(fn: () => T, file: string, context: string): T | undefined {
  try {
    return fn();
  } catch (error) {
    expectCleanUserError(error, file, context);
    return undefined;
  }
}

/** Fails when `fn` takes longer than `ms` (a hang, or something quadratic in a hostile value). */
export function within<T>(ms: number, context: string, fn: () => T): T {
  const started = performance.now();
  const value = fn();
  const took = performance.now() - started;
  if (took > ms) throw new Error(`${context}: took ${Math.round(took)} ms (budget ${ms} ms)`);
  return value;
}

// ---------------------------------------------------------------------------------------------------
// Seeds

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type JsonPath = (string | number)[];

export const secretValue = (payload: Record<string, string>): Record<string, Json> => ({ [SIG_KEY]: SECRET_SIG, ...payload });

function readJson(file: string): Json {
  return JSON.parse(fs.readFileSync(path.join(ROOT, file), "utf8")) as Json;
}

type ExportResource = { urn: string; type: string; inputs?: Record<string, Json>; outputs?: Record<string, Json> };

/**
 * Plants the canary in a stack export's secret-bearing places: the registration's `registrationToken`
 * (ciphertext in the inputs, `--show-secrets` plaintext in the outputs), a registration property the
 * checks read (`billingModel`), and a firewall rule's name and target FQDN (which evidence would quote).
 */
export function plantSecrets(exp: Json): Json {
  const resources = ((exp as { deployment: { resources: ExportResource[] } }).deployment.resources ?? []) as ExportResource[];
  for (const r of resources) {
    if (/azurestack(\/v\w+)?:Registration$/.test(r.type)) {
      r.inputs ??= {};
      r.outputs ??= {};
      r.inputs.registrationToken = secretValue({ ciphertext: CANARY_CIPHERTEXT });
      r.outputs.registrationToken = secretValue({ plaintext: JSON.stringify(CANARY) });
      r.outputs.billingModel = secretValue({ plaintext: JSON.stringify(`${CANARY}-billing`) });
    }
    if (/:FirewallPolicyRuleCollectionGroup$/.test(r.type)) {
      const collections = r.outputs?.ruleCollections as { rules?: Record<string, Json>[] }[] | undefined;
      const rule = collections?.find((c) => c.rules?.length)?.rules?.[0];
      if (rule) {
        rule.name = secretValue({ plaintext: JSON.stringify(`${CANARY}-rule`) });
        if (Array.isArray(rule.targetFqdns)) rule.targetFqdns = [...rule.targetFqdns, secretValue({ ciphertext: CANARY_CIPHERTEXT })];
      }
    }
  }
  return exp;
}

export interface Seed {
  name: string;
  value: Json;
  /** Paths of every value below the top (not inside a secret), the mutation targets. */
  paths: JsonPath[];
}

export const STACK_EXPORT_SEEDS = [
  "examples/healthy-stamp.json",
  "examples/misconfigured-stamp.json",
  "test/fixtures/stack-export-v3.json",
  "test/fixtures/stack-export-v4.json",
];
export const ARM_SEEDS = [
  "test/fixtures/arm/egress-array.json",
  "test/fixtures/arm/classic-firewall.json",
  "test/fixtures/arm/registration-get.json",
  "test/fixtures/arm/registrations-list.json",
  "test/fixtures/arm/az-nsg-show.json",
];

export function isSecret(value: unknown): boolean {
  return typeof value === "object" && value !== null && (value as Record<string, unknown>)[SIG_KEY] === SECRET_SIG;
}

/** Every path below `value`, depth first; a secret is a target as a whole, never what is inside it. */
export function collectPaths(value: Json): JsonPath[] {
  const out: JsonPath[] = [];
  const visit = (v: Json, at: JsonPath) => {
    if (at.length) out.push(at);
    if (isSecret(v) || v === null || typeof v !== "object") return;
    if (Array.isArray(v)) v.forEach((item, i) => visit(item, [...at, i]));
    else for (const [k, item] of Object.entries(v)) visit(item, [...at, k]);
  };
  visit(value, []);
  return out;
}

let seedCache: Map<string, Seed> | undefined;
export function seed(file: string): Seed {
  seedCache ??= new Map();
  let s = seedCache.get(file);
  if (!s) {
    const value = STACK_EXPORT_SEEDS.includes(file) ? plantSecrets(readJson(file)) : readJson(file);
    s = { name: file, value, paths: collectPaths(value) };
    seedCache.set(file, s);
  }
  return s;
}

// ---------------------------------------------------------------------------------------------------
// Mutations

/** Stand-ins substituted into the JSON text after serialization (deep nesting, huge values, odd numbers). */
export const TEXT_TOKENS = {
  deepArray: "bg~deep-array~",
  deepObject: "bg~deep-object~",
  hugeString: "bg~huge-string~",
  hugeNumber: "bg~huge-number~",
  bigInteger: "bg~big-integer~",
  negativeZero: "bg~negative-zero~",
} as const;

/** A token as it appears in JSON or YAML text (quoted or plain). */
const TOKEN_IN_TEXT = /(["']?)bg~([a-z-]+)~\1/g;

/** Replaces the tokens in serialized text (JSON, or YAML flow or block) by what they stand for. */
export function expandTokens(text: string): string {
  if (!text.includes("bg~")) return text;
  // A token repeated thousands of times (a repeated list) expands twice; the others stay small.
  let heavy = 0;
  return text.replace(TOKEN_IN_TEXT, (match, _quote: string, name: string) => {
    const token = `bg~${name}~`;
    if (token === TEXT_TOKENS.deepArray || token === TEXT_TOKENS.deepObject || token === TEXT_TOKENS.hugeString) {
      if (++heavy > 2) return "0";
    }
    return tokenText(token) ?? match;
  });
}

export const DEEP_LEVELS = 100_000;
export const HUGE_STRING_BYTES = 10 * 1024 * 1024;

function tokenText(token: string): string | undefined {
  switch (token) {
    case TEXT_TOKENS.deepArray:
      return `${"[".repeat(DEEP_LEVELS)}${"]".repeat(DEEP_LEVELS)}`;
    case TEXT_TOKENS.deepObject:
      return `${'{"a":'.repeat(DEEP_LEVELS)}1${"}".repeat(DEEP_LEVELS)}`;
    case TEXT_TOKENS.hugeString:
      return `"${"x".repeat(HUGE_STRING_BYTES)}"`;
    case TEXT_TOKENS.hugeNumber:
      return "1e400";
    case TEXT_TOKENS.bigInteger:
      return "123456789012345678901234567890123456789";
    case TEXT_TOKENS.negativeZero:
      return "-0";
    default:
      return undefined;
  }
}

/** Strings the checks give a meaning to, and strings that break formatters (XML, ANSI, bidi, surrogates). */
const INTERESTING_STRINGS = [
  "",
  " ",
  "*",
  "0.0.0.0/0",
  "0.0.0.0",
  "10.0.0.0/8",
  "203.0.113.0/27",
  "203.0.113.5",
  "255.255.255.255/32",
  "::/0",
  "fe80::1%eth0",
  "1.2.3.4/33",
  "999.999.999.999",
  "1.2.3",
  "1-65535",
  "65535-1",
  "0-0",
  "443",
  "-1",
  "65536",
  "1e3",
  "443,80",
  "Any",
  "Internet",
  "VirtualAppliance",
  "None",
  "Allow",
  "Deny",
  "Alert",
  "Off",
  "Inbound",
  "Outbound",
  "Tcp",
  "TCP",
  "Https",
  "Https:443",
  "*.trafficmanager.net",
  "*.",
  ".",
  "..",
  "*.*",
  "**",
  "AzureCloud",
  "global",
  "Succeeded",
  "Deleting",
  "/subscriptions/",
  "/subscriptions/x/resourceGroups//providers/Microsoft.Network/azureFirewalls/",
  "urn:pulumi:",
  "urn:pulumi:a::b::c::d::e",
  "__proto__",
  "constructor",
  "toString",
  "hasOwnProperty",
  UNKNOWN_SENTINEL,
  "\u0000",
  "\u0007\u0008\u000b\u000c",
  "\n",
  "line\nbreak",
  "\r\n",
  "\u2028\u2029",
  "\u001b[31mred\u001b[0m\u001b[2J",
  "\u202eevil",
  "\ud800",
  "\udfff\ud800",
  "😀",
  "]]>",
  "<script>&amp;</script>",
  "\"'`${x}",
  "%s%n%x",
  "$(whoami)",
  "a".repeat(1000),
  "x.".repeat(200),
];

/** A value of any JSON type, biased towards what breaks readers: wrong types, odd strings, secrets, unknowns, special wrappers. */
export function hostileValue(): fc.Arbitrary<Json> {
  const leaf: fc.Arbitrary<Json> = fc.oneof(
    { weight: 3, arbitrary: fc.constantFrom<Json>(null, true, false, 0, -1, 1, 0.5, 65535, 65536, -0.0, 1e21, Number.MAX_SAFE_INTEGER, -1e308) },
    { weight: 6, arbitrary: fc.constantFrom<Json>(...INTERESTING_STRINGS) },
    { weight: 2, arbitrary: fc.string({ maxLength: 40, unit: "binary" }) },
    { weight: 1, arbitrary: fc.double({ noNaN: true, noDefaultInfinity: true }) },
    { weight: 1, arbitrary: fc.integer() },
  );
  return fc.oneof(
    { weight: 10, arbitrary: leaf },
    { weight: 2, arbitrary: fc.array(leaf, { maxLength: 5 }) },
    { weight: 2, arbitrary: fc.dictionary(fc.constantFrom("type", "id", "name", "properties", "value", "port", "__proto__", "x"), leaf, { maxKeys: 4 }) },
    { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 3 }) as fc.Arbitrary<Json> },
    { weight: 1, arbitrary: fc.constant<Json>([]) },
    { weight: 1, arbitrary: fc.constant<Json>({}) },
    { weight: 2, arbitrary: fc.constantFrom<Json>(secretValue({ plaintext: JSON.stringify(CANARY) }), secretValue({ ciphertext: CANARY_CIPHERTEXT }), secretValue({})) },
    // Pulumi's output-value wrapper (state v4): secret, unknown, and a plain value inside.
    {
      weight: 1,
      arbitrary: fc.constantFrom<Json>(
        { "4dabf18193072939515e22adb298388d": "d0e6a833031e9bbcd3f4e8bde6ca49a4", secret: true, value: CANARY },
        { "4dabf18193072939515e22adb298388d": "d0e6a833031e9bbcd3f4e8bde6ca49a4" },
        { "4dabf18193072939515e22adb298388d": "d0e6a833031e9bbcd3f4e8bde6ca49a4", value: "Allow" },
        { "4dabf18193072939515e22adb298388d": "d0e6a833031e9bbcd3f4e8bde6ca49a4", value: { "4dabf18193072939515e22adb298388d": "d0e6a833031e9bbcd3f4e8bde6ca49a4", value: 1 } },
        { "4dabf18193072939515e22adb298388d": "unknown-signature" },
      ),
    },
    // Substituted in the text: 100k levels of nesting, a 10 MB string, numbers JSON.parse turns odd.
    { weight: 1, arbitrary: fc.constantFrom<Json>(TEXT_TOKENS.deepArray, TEXT_TOKENS.deepObject) },
    { weight: 1, arbitrary: fc.constantFrom<Json>(TEXT_TOKENS.hugeNumber, TEXT_TOKENS.bigInteger, TEXT_TOKENS.negativeZero) },
    { weight: 1, arbitrary: fc.constant<Json>(TEXT_TOKENS.hugeString) },
  );
}

export type ValueMutation =
  | { kind: "replace"; at: number; value: Json }
  | { kind: "delete"; at: number }
  /** A second copy of a key in the raw text: `first` puts it before the original (which then wins). */
  | { kind: "duplicate-key"; at: number; value: Json; first: boolean }
  /** The array (or object) at the path repeated many times: lists of thousands of rules. */
  | { kind: "repeat"; at: number; times: number };

export type ByteMutation =
  | { kind: "truncate"; fraction: number }
  | { kind: "bom"; where: "start" | "middle" | "twice" }
  | { kind: "invalid-utf8"; fraction: number; bytes: number[] }
  | { kind: "utf16" }
  | { kind: "flip"; fraction: number; byte: number };

export interface JsonCase {
  seed: number;
  values: ValueMutation[];
  bytes?: ByteMutation;
}

export function valueMutation(): fc.Arbitrary<ValueMutation> {
  const at = fc.nat();
  return fc.oneof(
    { weight: 8, arbitrary: fc.record({ kind: fc.constant("replace" as const), at, value: hostileValue() }) },
    { weight: 3, arbitrary: fc.record({ kind: fc.constant("delete" as const), at }) },
    { weight: 2, arbitrary: fc.record({ kind: fc.constant("duplicate-key" as const), at, value: hostileValue(), first: fc.boolean() }) },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant("repeat" as const), at, times: fc.integer({ min: 2, max: 3000 }) }) },
  );
}

export function byteMutation(): fc.Arbitrary<ByteMutation> {
  // Uniform over the file (fc.double would favour 0 and 1: the first and last byte).
  const fraction = fc.integer({ min: 0, max: 10_000 }).map((n) => n / 10_000);
  return fc.oneof(
    fc.record({ kind: fc.constant("truncate" as const), fraction }),
    fc.record({ kind: fc.constant("bom" as const), where: fc.constantFrom("start" as const, "middle" as const, "twice" as const) }),
    fc.record({
      kind: fc.constant("invalid-utf8" as const),
      fraction,
      bytes: fc.array(fc.constantFrom(0x80, 0xbf, 0xc0, 0xc1, 0xc3, 0xe2, 0xed, 0xf0, 0xf4, 0xf5, 0xfe, 0xff), { minLength: 1, maxLength: 4 }),
    }),
    fc.record({ kind: fc.constant("utf16" as const) }),
    fc.record({ kind: fc.constant("flip" as const), fraction, byte: fc.integer({ min: 0, max: 255 }) }),
  );
}

export function jsonCase(seeds: number): fc.Arbitrary<JsonCase> {
  return fc.record({
      seed: fc.nat({ max: seeds - 1 }),
      values: fc.array(valueMutation(), { minLength: 0, maxLength: 3 }),
      // One case in four also breaks the bytes (most cases must still parse to reach the checks).
      bytes: fc.oneof({ weight: 3, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary: byteMutation() }),
  });
}

function getAt(root: Json, at: JsonPath): Json | undefined {
  let cur: Json | undefined = root;
  for (const key of at) {
    if (cur === null || typeof cur !== "object") return undefined;
    cur = (cur as Record<string | number, Json>)[key];
  }
  return cur;
}

export const DUPLICATE_MARKER = "bg-duplicate-key-marker";

/**
 * Applies the value mutations to a copy of the seed (paths chosen among the seed's). A duplicated key is
 * `DUPLICATE_MARKER` in the value, renamed to `duplicateKey` in the text.
 */
export function mutatedValue(s: Seed, mutations: readonly ValueMutation[]): { root: Json; duplicateKey: string | undefined } {
  const root = structuredClone(s.value);
  let duplicate: { key: string } | undefined;
  for (const m of mutations) {
    const at = s.paths[m.at % s.paths.length]!;
    const parent = getAt(root, at.slice(0, -1));
    const key = at[at.length - 1]!;
    if (parent === null || typeof parent !== "object") continue; // an earlier mutation removed it
    const container = parent as Record<string | number, Json>;
    if (!(key in container)) continue;
    if (m.kind === "replace") container[key] = m.value;
    else if (m.kind === "delete") {
      if (Array.isArray(parent)) parent.splice(Number(key), 1);
      else delete container[key];
    } else if (m.kind === "repeat") {
      const v = container[key]!;
      // Bounded: at most ~20k items and ~16 MB of text, whatever was repeated before.
      if (Array.isArray(v) && v.length > 0) {
        const times = Math.max(1, Math.min(m.times, Math.floor(20_000 / v.length), Math.floor(16_000_000 / JSON.stringify(v).length)));
        container[key] = Array.from({ length: times }, () => v).flat() as Json;
      }
    } else if (m.kind === "duplicate-key" && !duplicate && !Array.isArray(parent) && typeof key === "string" && !isSecret(parent)) {
      // Rebuild the object with a marker key (before or after the original) that the text then renames.
      const entries = Object.entries(container);
      const rebuilt: Record<string, Json> = {};
      for (const [k, v] of entries) {
        if (k === key && m.first) rebuilt[DUPLICATE_MARKER] = m.value;
        rebuilt[k] = v;
        if (k === key && !m.first) rebuilt[DUPLICATE_MARKER] = m.value;
      }
      const grand = getAt(root, at.slice(0, -2));
      if (at.length === 1) {
        for (const k of Object.keys(container)) delete container[k];
        Object.assign(container, rebuilt);
      } else if (grand && typeof grand === "object") (grand as Record<string | number, Json>)[at[at.length - 2]!] = rebuilt;
      duplicate = { key };
    }
  }
  return { root, duplicateKey: duplicate?.key };
}

/** `mutatedValue` serialized as JSON, with the duplicate key and the tokens in place. */
export function mutatedText(s: Seed, mutations: readonly ValueMutation[]): string {
  const { root, duplicateKey } = mutatedValue(s, mutations);
  let text = JSON.stringify(root);
  if (duplicateKey !== undefined) text = text.replace(JSON.stringify(DUPLICATE_MARKER), JSON.stringify(duplicateKey));
  return expandTokens(text);
}

/** The byte-level mutation of a serialized file. */
export function mutateBytes(text: string, m: ByteMutation | undefined): Buffer {
  const bytes = Buffer.from(text, "utf8");
  if (!m) return bytes;
  const offset = (fraction: number) => Math.min(bytes.length, Math.floor(fraction * bytes.length));
  const BOM = Buffer.from([0xef, 0xbb, 0xbf]);
  switch (m.kind) {
    case "truncate":
      return bytes.subarray(0, offset(m.fraction));
    case "bom": {
      if (m.where === "start") return Buffer.concat([BOM, bytes]);
      if (m.where === "twice") return Buffer.concat([BOM, BOM, bytes]);
      const mid = offset(0.5);
      return Buffer.concat([bytes.subarray(0, mid), BOM, bytes.subarray(mid)]);
    }
    case "invalid-utf8": {
      const at = offset(m.fraction);
      return Buffer.concat([bytes.subarray(0, at), Buffer.from(m.bytes), bytes.subarray(at)]);
    }
    case "utf16":
      // What PowerShell 5's `>` writes: UTF-16LE with its BOM.
      return Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, "utf16le")]);
    case "flip": {
      const copy = Buffer.from(bytes);
      if (copy.length) copy[Math.min(copy.length - 1, offset(m.fraction))] = m.byte;
      return copy;
    }
  }
}

export function describeCase(c: JsonCase, seeds: readonly string[]): string {
  const summary = JSON.stringify(c, (_k, v: unknown) => (typeof v === "string" && v.length > 80 ? `${v.slice(0, 80)}…(${v.length})` : v));
  return `${seeds[c.seed]} ${summary}`;
}
