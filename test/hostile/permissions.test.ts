/**
 * Permissions, as a process that mode bits bind (root reads a directory of mode 000, so running as plain
 * root would test nothing): as root the CLI runs without the capabilities that bypass mode bits (see
 * asUnprivileged), as anyone else as itself. An unreadable subdirectory of an audited directory was skipped
 * silently (exit 0, its stacks unaudited) while an unreadable file gave exit 2; both are one line and exit 2
 * now.
 */
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { expectOneLineError, type RunOptions, runCli } from "./cli";
import { ROOT, tempDir } from "./helpers";

const CONFIG = path.join(ROOT, "examples", "bridgeguard.yaml");
const HEALTHY = path.join(ROOT, "examples", "healthy-stamp.json");

/**
 * As root: root without the two capabilities that let it ignore mode bits (CAP_DAC_OVERRIDE and
 * CAP_DAC_READ_SEARCH, dropped from the bounding set by util-linux's `setpriv`, so the exec'd CLI never
 * gains them), which works wherever the repository lives; `nobody` only where `setpriv` is missing, since
 * `nobody` cannot run a CLI inside a private directory (a clone in a `mktemp -d` directory, mode 700).
 * As anyone else: nothing to switch.
 */
function asUnprivileged(): RunOptions | undefined {
  if (process.getuid?.() !== 0) return {};
  try {
    execFileSync("setpriv", ["--bounding-set", "-dac_override,-dac_read_search", "true"], { stdio: "ignore" });
    return { wrapper: ["setpriv", "--bounding-set", "-dac_override,-dac_read_search"] };
  } catch {
    // no setpriv: fall back to nobody
  }
  try {
    const uid = Number(execFileSync("id", ["-u", "nobody"], { encoding: "utf8" }).trim());
    const gid = Number(execFileSync("id", ["-g", "nobody"], { encoding: "utf8" }).trim());
    return Number.isInteger(uid) && Number.isInteger(gid) ? { uid, gid } : undefined;
  } catch {
    return undefined;
  }
}

const user = process.platform === "win32" ? undefined : asUnprivileged();
const dir = tempDir();
const stacks = path.join(dir, "stacks");
const locked = path.join(stacks, "locked");

beforeAll(() => {
  // Readable by the unprivileged user down to the locked directory, which nobody but root can list.
  fs.chmodSync(dir, 0o755);
  fs.mkdirSync(locked, { recursive: true });
  fs.chmodSync(stacks, 0o755);
  fs.copyFileSync(HEALTHY, path.join(stacks, "a.json"));
  fs.chmodSync(path.join(stacks, "a.json"), 0o644);
  fs.copyFileSync(HEALTHY, path.join(locked, "b.json"));
  fs.copyFileSync(HEALTHY, path.join(stacks, "unreadable.json"));
  fs.chmodSync(path.join(stacks, "unreadable.json"), 0o000);
  fs.chmodSync(locked, 0o000);
});
afterAll(() => {
  fs.chmodSync(locked, 0o755);
  fs.rmSync(dir, { recursive: true, force: true });
});

// Skipped only where no unprivileged user can be had: Windows (no mode bits), or root without `nobody`.
describe.skipIf(user === undefined)("as a user who is not root", () => {
  it("an unreadable subdirectory of an audited directory: exit 2, one line naming it", async () => {
    const run = await runCli(["audit", stacks, "--config", CONFIG], user);
    expectOneLineError(run, "unreadable subdirectory", `${locked}: cannot list the directory: permission denied (EACCES) (its stacks would go unaudited)`);
  });

  it("the same reached through a glob", async () => {
    const run = await runCli(["audit", `${stacks}/**/*.json`, "--config", CONFIG], user);
    expectOneLineError(run, "unreadable subdirectory through a glob", `${locked}: cannot list the directory: permission denied`);
  });

  it("an unreadable file named on the command line: exit 2, one line naming it", async () => {
    const file = path.join(stacks, "unreadable.json");
    const run = await runCli(["audit", file, "--config", CONFIG], user);
    expectOneLineError(run, "unreadable file", `${file}: permission denied`);
  });

  it("the readable file alone is audited as usual (the user can run the CLI at all)", async () => {
    const run = await runCli(["audit", path.join(stacks, "a.json"), "--config", CONFIG], user);
    expect(run.stderr).toBe("");
    expect(run.status).toBe(0);
  });
});
