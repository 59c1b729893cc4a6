/**
 * Terminal safety: text from an input (a URN, a resource name, a file name, an argument) never reaches a
 * terminal as control characters. Before, error lines on stderr quoted URNs and file names raw, so an
 * escape sequence in a resource name could retitle the window, clear the screen or erase a line to print a
 * fake "all checks passed"; `explain` echoed its argument raw; the text report let bidirectional controls
 * through. Held by `terminalSafe` (src/model/terminal-safe.ts), which the stderr lines and the text report
 * both use.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import fc from "fast-check";
import { afterAll, describe, expect, it } from "vitest";
import { printable } from "../../src/report/text";
import { stderrLine, terminalSafe } from "../../src/model/terminal-safe";
import { expectNoCrash, expectOneLineError, runCli } from "./cli";
import { FUZZ_RUNS, ROOT, tempDir } from "./helpers";

const dir = tempDir();
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

/** Everything a terminal acts on: C0 but newline, DEL, C1, and the bidirectional controls. */
const UNSAFE = /[\u0000-\u0009\u000B-\u001F\u007F-\u009F\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]/;
/** Erase the line above, retitle the window (OSC ... BEL), clear the screen with the one-character CSI, and a right-to-left override. */
const EVIL = "\u001b[1A\u001b[2K\u001b]0;pwned\u0007\u009b2J\u202eevil";
const EVIL_SHOWN = "\\x1b[1A\\x1b[2K\\x1b]0;pwned\\x07\\x9b2J\\u202eevil";

describe("terminalSafe", () => {
  it.each([
    ["ESC and BEL (CSI, OSC)", "\u001b]0;title\u0007", "\\x1b]0;title\\x07"],
    ["DEL and C1 (the one-character CSI and OSC)", "a\u007fb\u009bc\u009dd", "a\\x7fb\\x9bc\\x9dd"],
    ["carriage return and tab", "a\rb\tc", "a\\x0db\\x09c"],
    ["bidirectional controls (Trojan Source)", "\u202etxt.exe\u2066\u061c", "\\u202etxt.exe\\u2066\\u061c"],
    ["printable Unicode is kept", "hub-fw-été-東京-😀", "hub-fw-été-東京-😀"],
  ])("%s", (_, input, shown) => {
    expect(terminalSafe(input)).toBe(shown);
  });

  it("keeps newlines only when asked; a stderr line is one line", () => {
    expect(terminalSafe("a\nb")).toBe("a\\x0ab");
    expect(terminalSafe("a\nb", { keepNewlines: true })).toBe("a\nb");
    expect(stderrLine(`x.json: bad\n${EVIL}\r\nfake: all checks passed`)).toBe(`bridgeguard: x.json: bad ${EVIL_SHOWN} fake: all checks passed\n`);
  });

  it("the text report's printable is the same escaping (newlines kept, tabs as spaces)", () => {
    expect(printable(`a\tb\r\n${EVIL}`)).toBe(`a b\n${EVIL_SHOWN}`);
  });

  it("property: no unsafe character survives, and text without one is unchanged", () => {
    fc.assert(
      fc.property(fc.string({ unit: "binary", maxLength: 60 }), (text) => {
        const safe = terminalSafe(text);
        expect(safe).not.toMatch(UNSAFE);
        expect(stderrLine(text).slice(0, -1)).not.toMatch(/[\n\r]/);
        if (!UNSAFE.test(text) && !text.includes("\n")) expect(safe).toBe(text);
      }),
      { numRuns: FUZZ_RUNS || 2000, seed: FUZZ_RUNS ? Date.now() : 0x7e5 },
    );
  });
});

/** The example misconfigured stamp, with EVIL appended to every network resource's URN and name. */
function evilExport(): { file: string; urn: string } {
  const stack = JSON.parse(fs.readFileSync(path.join(ROOT, "examples", "misconfigured-stamp.json"), "utf8")) as {
    deployment: { resources: Array<{ urn: string; type: string; parent?: string; outputs?: Record<string, unknown> }> };
  };
  const renamed = new Map<string, string>();
  for (const r of stack.deployment.resources) {
    if (!r.type.startsWith("azure-native:network:")) continue;
    renamed.set(r.urn, r.urn + EVIL);
    r.urn += EVIL;
    if (typeof r.outputs?.name === "string") r.outputs.name += EVIL;
  }
  for (const r of stack.deployment.resources) if (r.parent && renamed.has(r.parent)) r.parent = renamed.get(r.parent);
  expect(renamed.size).toBeGreaterThan(0);
  const file = path.join(dir, "evil.json");
  fs.writeFileSync(file, JSON.stringify(stack));
  return { file, urn: [...renamed.values()][0]! };
}

describe("through the built CLI", () => {
  const config = path.join(ROOT, "examples", "bridgeguard.yaml");

  it("explain echoes its argument escaped, on one line", async () => {
    const run = await runCli(["explain", EVIL]);
    expectOneLineError(run, "explain", `unknown error code or rule "${EVIL_SHOWN}"`);
    expect(run.stderr).not.toMatch(UNSAFE);
  });

  it("a file name with escape sequences, not found: one escaped line", async () => {
    // No `[`: a name with one would be read as a glob.
    const file = path.join(dir, "\u001b]0;pwned\u0007\u009d\u202eevil.json");
    const run = await runCli(["audit", file, "--config", config]);
    expectOneLineError(run, "file name", `${dir}/\\x1b]0;pwned\\x07\\x9d\\u202eevil.json: file not found`);
    expect(run.stderr).not.toMatch(UNSAFE);
  });

  it("an error quoting a URN with escape sequences (a duplicate resource): one escaped line", async () => {
    const { file, urn } = evilExport();
    const stack = JSON.parse(fs.readFileSync(file, "utf8")) as { deployment: { resources: Array<{ urn: string }> } };
    stack.deployment.resources.push(stack.deployment.resources.find((r) => r.urn === urn)!);
    const dup = path.join(dir, "evil-duplicate.json");
    fs.writeFileSync(dup, JSON.stringify(stack));
    const run = await runCli(["audit", dup, "--config", config]);
    expectOneLineError(run, "duplicate URN", EVIL_SHOWN);
    expect(run.stderr).not.toMatch(UNSAFE);
  });

  it("the text report shows such names escaped; in colour, the only escape sequences are its own SGR colours", async () => {
    const { file } = evilExport();
    const plain = await runCli(["audit", file, "--config", config, "--format", "text"], { env: { NO_COLOR: "1" } });
    expectNoCrash(plain, "text report");
    expect(plain.status).toBe(1);
    expect(plain.stdout).toContain(EVIL_SHOWN);
    expect(plain.stdout).not.toMatch(UNSAFE);
    const coloured = await runCli(["audit", file, "--config", config, "--format", "text"], { env: { FORCE_COLOR: "1" } });
    expectNoCrash(coloured, "coloured text report");
    expect(coloured.stdout).toContain(EVIL_SHOWN);
    expect(coloured.stdout).toMatch(/\u001b\[\d+m/);
    expect(coloured.stdout.replace(/\u001b\[\d+(;\d+)*m/g, "")).not.toMatch(UNSAFE);
    expect(plain.stderr + coloured.stderr).not.toMatch(UNSAFE);
  });
});
